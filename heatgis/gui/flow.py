"""A layout that wraps its widgets onto the next line when the row is too narrow (Qt's flow layout example).

The docks' button rows use it, so a dock at 1366×768 is as narrow as its content allows and never
forces the window wider than the screen.
"""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets


class FlowLayout(QtWidgets.QLayout):
    """Left to right, wrapping; ``addStretch`` is ignored (items stay packed to the left)."""

    def __init__(self, parent=None, spacing: int = 6):
        super().__init__(parent)
        self._items: list[QtWidgets.QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item) -> None:
        self._items.append(item)

    def addStretch(self, stretch: int = 0) -> None:  # a QHBoxLayout habit: nothing to do here
        return None

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, i):
        return self._items[i] if 0 <= i < len(self._items) else None

    def takeAt(self, i):
        return self._items.pop(i) if 0 <= i < len(self._items) else None

    def expandingDirections(self):
        return QtCore.Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._do(QtCore.QRect(0, 0, width, 0), True)

    def setGeometry(self, rect) -> None:
        super().setGeometry(rect)
        self._do(rect, False)

    def sizeHint(self):
        w = h = 0
        for it in self._items:
            s = it.sizeHint()
            w += s.width() + self._spacing
            h = max(h, s.height())
        m = self.contentsMargins()
        return QtCore.QSize(w + m.left() + m.right(), h + m.top() + m.bottom())

    def minimumSize(self):
        size = QtCore.QSize()
        for it in self._items:
            size = size.expandedTo(it.minimumSize())
        m = self.contentsMargins()
        return size + QtCore.QSize(m.left() + m.right(), m.top() + m.bottom())

    def _do(self, rect, test: bool) -> int:
        m = self.contentsMargins()
        r = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        x, y, line = r.x(), r.y(), 0
        for it in self._items:
            w = it.widget()
            if w is not None and not w.isVisibleTo(w.parentWidget() or w):
                continue
            s = it.sizeHint()
            if x + s.width() > r.right() + 1 and line > 0:
                x, y, line = r.x(), y + line + self._spacing, 0
            if not test:
                it.setGeometry(QtCore.QRect(QtCore.QPoint(x, y), s))
            x += s.width() + self._spacing
            line = max(line, s.height())
        return y + line - rect.y() + m.bottom()
