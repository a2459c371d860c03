"""View → Bookmarks: save the current view in the project, go back to it, delete it.

The list lives in the project (``heatgis.model.bookmarks``: ``heatgis_meta`` key ``bookmarks``)
and every change is a ``SetBookmarks`` command on the project's undo stack: the project is
marked unsaved, Ctrl+Z takes it back, Save writes it into the GeoPackage.
"""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from heatgis.model.bookmarks import SetBookmarks, bookmarks, with_bookmark, without_bookmark


class BookmarksMenu(QtCore.QObject):
    """The Bookmarks submenu of ``window`` (``ask_name(default)`` may be replaced by tests)."""

    def __init__(self, window, parent_menu: QtWidgets.QMenu):
        super().__init__(window)
        self.window = window
        self.menu = parent_menu.addMenu("")
        self.add = QtGui.QAction(window, shortcut=QtGui.QKeySequence("Ctrl+Shift+B"), triggered=self.add_current)
        self.delete_menu = QtWidgets.QMenu(window)
        self.menu.aboutToShow.connect(self.rebuild)
        self.ask_name = self._ask_name_dialog
        self.rebuild()

    def retranslate(self) -> None:
        self.menu.setTitle(self.tr("&Bookmarks"))
        self.add.setText(self.tr("Add current view…"))
        self.delete_menu.setTitle(self.tr("Delete"))

    def items(self) -> list[dict]:
        s = self.window.session
        return bookmarks(s.project) if s is not None else []

    def rebuild(self) -> None:
        self.menu.clear()
        self.menu.addAction(self.add)
        self.add.setEnabled(self.window.session is not None)
        items = self.items()
        if items:
            self.menu.addSeparator()
        self.delete_menu.clear()
        for b in items:
            self.menu.addAction(b["name"], lambda n=b["name"]: self.go_to(n))
            self.delete_menu.addAction(b["name"], lambda n=b["name"]: self.delete(n))
        if items:
            self.menu.addSeparator()
            self.menu.addMenu(self.delete_menu)

    def add_current(self, name: str | None = None) -> bool:
        """Save the map's current view under a name (asked if not given)."""
        s = self.window.session
        if s is None:
            return False
        if name is None:
            name = self.ask_name(self.tr("View {0}").format(len(self.items()) + 1))
        if not name:
            return False
        from heatgis.errors import HeatGISError

        try:
            items = with_bookmark(self.items(), name, self.window.canvas.view_context().extent)
        except HeatGISError as exc:
            self.window.report_error(exc)
            return False
        return self._set(items, self.tr("Add bookmark {0}").format(name))

    def delete(self, name: str) -> bool:
        return self._set(without_bookmark(self.items(), name), self.tr("Delete bookmark {0}").format(name))

    def go_to(self, name: str) -> bool:
        for b in self.items():
            if b["name"] == name:
                self.window.canvas.zoom_to(tuple(b["extent"]), pad=0.0, min_size=1.0)
                return True
        return False

    def _set(self, items, text: str) -> bool:
        ok = self.window.run_command(SetBookmarks(items, text))
        self.rebuild()
        return ok

    def _ask_name_dialog(self, default: str) -> str:
        name, ok = QtWidgets.QInputDialog.getText(
            self.window, self.tr("Bookmark"), self.tr("Name of this view:"), text=default
        )
        return name.strip() if ok else ""
