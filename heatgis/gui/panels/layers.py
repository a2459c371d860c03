"""The layers panel: toggle, reorder, colour/size/opacity, labels; and the legend.

The list shows the top layer first (the reverse of the drawing order). The
legend draws each visible layer's symbols with ``render.mapdraw.draw_swatch``,
the same code the map uses, so it matches what is drawn.
"""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from heatgis.gui.i18n import Retranslating
from heatgis.render.mapdraw import draw_swatch

ROLE = QtCore.Qt.ItemDataRole.UserRole


def swatch_icon(style, category=None, w=28, h=16) -> QtGui.QIcon:
    pm = QtGui.QPixmap(w, h)
    pm.fill(QtCore.Qt.GlobalColor.transparent)
    p = QtGui.QPainter(pm)
    draw_swatch(p, QtCore.QRectF(0, 0, w, h), style, category)
    p.end()
    return QtGui.QIcon(pm)


class LayersPanel(Retranslating, QtWidgets.QWidget):
    """Layers list + properties of the current layer + legend."""

    styleChanged = QtCore.Signal()
    currentLayerChanged = QtCore.Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.session = None
        self.list = QtWidgets.QListWidget()
        self.list.setDragDropMode(QtWidgets.QAbstractItemView.DragDropMode.InternalMove)
        self.list.setIconSize(QtCore.QSize(28, 16))
        self.list.model().rowsMoved.connect(self._reordered)
        self.list.itemChanged.connect(self._item_changed)
        self.list.currentItemChanged.connect(self._current_changed)
        self.color_button = QtWidgets.QPushButton()
        self.color_button.clicked.connect(self._pick_color)
        self.size_spin = QtWidgets.QDoubleSpinBox()
        self.size_spin.setRange(0.5, 30)
        self.size_spin.setSingleStep(0.5)
        self.size_spin.valueChanged.connect(self._size_changed)
        self.opacity = QtWidgets.QSlider(QtCore.Qt.Orientation.Horizontal)
        self.opacity.setRange(5, 100)
        self.opacity.valueChanged.connect(self._opacity_changed)
        self.labels_box = QtWidgets.QCheckBox()
        self.labels_box.toggled.connect(self._labels_changed)
        self.form = QtWidgets.QFormLayout()
        self.form_labels = [QtWidgets.QLabel() for _ in range(3)]
        self.form.addRow(self.form_labels[0], self.color_button)
        self.form.addRow(self.form_labels[1], self.size_spin)
        self.form.addRow(self.form_labels[2], self.opacity)
        self.form.addRow("", self.labels_box)
        self.legend_title = QtWidgets.QLabel()
        self.legend = QtWidgets.QTreeWidget()
        self.legend.setHeaderHidden(True)
        self.legend.setIconSize(QtCore.QSize(28, 16))
        self.legend.setRootIsDecorated(False)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.list, 3)
        lay.addLayout(self.form)
        lay.addWidget(self.legend_title)
        lay.addWidget(self.legend, 2)
        self._busy = False
        self.retranslate()

    def retranslate(self) -> None:
        for lab, text in zip(self.form_labels, (self.tr("Colour"), self.tr("Size / width"), self.tr("Opacity"))):
            lab.setText(text)
        self.labels_box.setText(self.tr("Show labels"))
        self.legend_title.setText(self.tr("Legend"))
        self.refresh()

    @property
    def style(self):
        return self.session.renderer.style if self.session is not None else None

    def set_session(self, session) -> None:
        self.session = session
        self.refresh()

    def refresh(self) -> None:
        if self.style is None:
            return
        self._busy = True
        cur = self.current_layer()
        self.list.clear()
        lang = self.style.lang
        for s in reversed(self.style.layers):
            if not self.session.project.has(s.layer):
                continue
            it = QtWidgets.QListWidgetItem(swatch_icon(s), s.title(lang))
            it.setData(ROLE, s.layer)
            it.setFlags(it.flags() | QtCore.Qt.ItemFlag.ItemIsUserCheckable | QtCore.Qt.ItemFlag.ItemIsDragEnabled)
            it.setCheckState(QtCore.Qt.CheckState.Checked if s.visible else QtCore.Qt.CheckState.Unchecked)
            self.list.addItem(it)
            if s.layer == cur:
                self.list.setCurrentItem(it)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)
        self._busy = False
        self._load_props()
        self.refresh_legend()

    def refresh_legend(self) -> None:
        self.legend.clear()
        lang = self.style.lang
        for s in reversed(self.style.layers):
            if not s.visible or not self.session.project.has(s.layer):
                continue
            top = QtWidgets.QTreeWidgetItem([s.title(lang)])
            f = top.font(0)
            f.setBold(True)
            top.setFont(0, f)
            self.legend.addTopLevelItem(top)
            values = None
            if s.category_field and s.categories:
                frame = self.session.project.layer(s.layer)
                values = (
                    set(frame[s.category_field].astype(str).unique().tolist())
                    if s.category_field in frame.columns
                    else set()
                )
            if values:
                for c in s.categories:
                    if c.value in values:
                        text = c.label_zh if lang == "zh" else c.label_en
                        QtWidgets.QTreeWidgetItem(top, [text or c.value]).setIcon(0, swatch_icon(s, c))
            else:
                top.setIcon(0, swatch_icon(s))
            top.setExpanded(True)

    def current_layer(self) -> str:
        it = self.list.currentItem()
        return it.data(ROLE) if it is not None else ""

    def set_current_layer(self, layer: str) -> None:
        for i in range(self.list.count()):
            if self.list.item(i).data(ROLE) == layer:
                self.list.setCurrentRow(i)

    def current_style(self):
        return self.style.get(self.current_layer()) if self.style is not None else None

    # ------------------------------------------------------------ edits
    def _changed(self, legend=True) -> None:
        if legend:
            self.refresh_legend()
            it = self.list.currentItem()
            if it is not None and self.current_style() is not None:
                self._busy = True
                it.setIcon(swatch_icon(self.current_style()))
                self._busy = False
        self.styleChanged.emit()

    def _item_changed(self, it) -> None:
        if self._busy:
            return
        s = self.style.get(it.data(ROLE))
        s.visible = it.checkState() == QtCore.Qt.CheckState.Checked
        self._changed()

    def _reordered(self, *args) -> None:
        order = [self.list.item(i).data(ROLE) for i in range(self.list.count())]
        by = {s.layer: s for s in self.style.layers}
        rest = [s for s in self.style.layers if s.layer not in order]
        self.style.layers[:] = rest + [by[n] for n in reversed(order)]
        self._changed()

    def move_layer(self, layer: str, to_top_index: int) -> None:
        """Move ``layer`` to row ``to_top_index`` of the list (0 = drawn on top)."""
        order = [self.list.item(i).data(ROLE) for i in range(self.list.count())]
        order.remove(layer)
        order.insert(to_top_index, layer)
        by = {s.layer: s for s in self.style.layers}
        rest = [s for s in self.style.layers if s.layer not in order]
        self.style.layers[:] = rest + [by[n] for n in reversed(order)]
        self.refresh()
        self.styleChanged.emit()

    def _current_changed(self, *args) -> None:
        if not self._busy:
            self._load_props()
            self.currentLayerChanged.emit(self.current_layer())

    def _load_props(self) -> None:
        s = self.current_style()
        if s is None:
            return
        self._busy = True
        self.color_button.setStyleSheet(f"background:{s.color}")
        self.color_button.setText(s.color)
        self.size_spin.setValue(s.size if s.kind == "point" else s.width)
        self.opacity.setValue(int(round(s.opacity * 100)))
        self.labels_box.setChecked(s.labels)
        self.labels_box.setEnabled(bool(s.label_field))
        self._busy = False

    def _pick_color(self) -> None:
        s = self.current_style()
        if s is None:
            return
        c = QtWidgets.QColorDialog.getColor(QtGui.QColor(s.color), self)
        if c.isValid():
            self.set_color(c.name())

    def set_color(self, hex_: str) -> None:
        s = self.current_style()
        s.color = hex_
        if s.kind == "polygon" and s.fill:
            s.fill = hex_
        if s.categories and s.kind != "zone":
            pass  # categorised layers keep their class colours; the default colour is for other values
        self._load_props()
        self._changed()

    def _size_changed(self, v) -> None:
        s = self.current_style()
        if self._busy or s is None:
            return
        if s.kind == "point":
            s.size = v
        else:
            s.width = v
            for c in s.categories:
                c.width = v
        self._changed()

    def _opacity_changed(self, v) -> None:
        s = self.current_style()
        if self._busy or s is None:
            return
        s.opacity = v / 100.0
        self._changed(legend=False)

    def _labels_changed(self, on) -> None:
        s = self.current_style()
        if self._busy or s is None:
            return
        s.labels = bool(on)
        self._changed(legend=False)
