"""Edit → Undo history: the undo stack as a list ("draw zone Z-101", "pin ST-0012 …"), newest last.

Each step the project went through is an entry, named in the UI's language (``command_text``); the
current state is checked, steps undone are listed after it. Choosing an entry undoes or redoes up to
it, one command at a time on the project's one undo stack (so the figures, the map and the docks
follow each step as they do for Ctrl+Z).
"""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from heatgis.gui.command_text import command_text


class HistoryMenu(QtCore.QObject):
    """The History submenu of ``menu`` for ``window`` (its session's stack, its undo/redo)."""

    def __init__(self, window, menu: QtWidgets.QMenu):
        super().__init__(window)
        self.window = window
        self.menu = menu.addMenu("")
        self.menu.aboutToShow.connect(self.rebuild)
        self.rebuild()

    def retranslate(self) -> None:
        self.menu.setTitle(self.tr("Undo history"))

    def entries(self) -> list[tuple[str, int]]:
        """(text, position) per step: position k means k commands done; the current one is ``len(done)``."""
        s = self.window.session
        if s is None:
            return []
        style = s.renderer.style

        def title(code):
            st = style.get(code)
            return st.title(style.lang) if st is not None else code

        done, undone = s.stack.history()
        out = [(self.tr("Opened project"), 0)]
        out += [(command_text(c.text, title), k + 1) for k, c in enumerate(done)]
        out += [(command_text(c.text, title), len(done) + k + 1) for k, c in enumerate(undone)]
        return out

    def current(self) -> int:
        s = self.window.session
        return len(s.stack.history()[0]) if s is not None else 0

    def rebuild(self) -> None:
        self.menu.clear()
        now = self.current()
        group = QtGui.QActionGroup(self.menu)
        for text, pos in self.entries():
            a = self.menu.addAction(text, lambda pos=pos: self.go_to(pos))
            a.setCheckable(True)
            a.setChecked(pos == now)
            group.addAction(a)
            if pos > now:  # undone: shown as what redo would bring back
                f = a.font()
                f.setItalic(True)
                a.setFont(f)
        self.menu.setEnabled(self.window.session is not None)

    def go_to(self, position: int) -> None:
        """Undo or redo until ``position`` commands are done."""
        s = self.window.session
        if s is None:
            return
        while self.current() > position and s.stack.can_undo:
            self.window.undo()
        while self.current() < position and s.stack.can_redo:
            self.window.redo()
