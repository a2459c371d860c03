"""The search box of the tool bar: compound, zone, station, staff, address by name, id or pinyin.

A thin widget over ``heatgis.analysis.search.SearchIndex`` (the core index): typing lists
the best hits in a completer popup ("hry" → 华润苑 · 小区 C-0656); choosing one (Enter takes
the first) selects the feature, zooms the map to it and shows its attributes. Ctrl+K
focuses the box (Ctrl+F is the attribute table's filter). The index is built on the
first search (~0.7 s on the demo) and again after a layer changed.
"""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

HIT_ROLE = QtCore.Qt.ItemDataRole.UserRole + 1
SHORTCUT = "Ctrl+K"


class SearchBox(QtWidgets.QLineEdit):
    """A line edit with a completer of search hits.

    Parameters
    ----------
    window : MainWindow
        Its ``session`` (project, selection), ``canvas`` (zoom) and ``show_identify``.

    Signals
    -------
    found(str, int)
        The layer and row the map was zoomed to.
    """

    found = QtCore.Signal(str, int)

    def __init__(self, window, parent=None):
        super().__init__(parent)
        self.window = window
        self.index = None
        self._session = None
        self.hits: list = []
        self.setClearButtonEnabled(True)
        self.setMinimumWidth(220)
        self.setMaximumWidth(340)
        self.model = QtGui.QStandardItemModel(self)
        self.completer = QtWidgets.QCompleter(self.model, self)
        self.completer.setCompletionMode(QtWidgets.QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setMaxVisibleItems(12)
        self.completer.setWidget(self)
        self.completer.activated[QtCore.QModelIndex].connect(self._activated)
        self.textEdited.connect(self.update_hits)
        self.returnPressed.connect(self._return)
        self.shortcut = QtGui.QShortcut(QtGui.QKeySequence(SHORTCUT), window)
        self.shortcut.setContext(QtCore.Qt.ShortcutContext.WindowShortcut)
        self.shortcut.activated.connect(self.focus_search)
        self.retranslate()

    def retranslate(self) -> None:
        self.setPlaceholderText(self.tr("Search: name, id, pinyin (hry), address…"))
        self.setToolTip(
            self.tr(
                "Find a compound, zone, station, boiler room, depot or person by name, id, "
                "pinyin initials or address ({0})"
            ).format(SHORTCUT)
        )

    def focus_search(self) -> None:
        self.setFocus(QtCore.Qt.FocusReason.ShortcutFocusReason)
        self.selectAll()

    # ------------------------------------------------------------------ index
    def ensure_index(self):
        """The index of the window's project (built now if the project or a layer changed)."""
        s = self.window.session
        if s is None:
            return None
        if self._session is not s:
            self._session, self.index = s, None
            s.layerChanged.connect(self._invalidate)
        if self.index is None:
            from heatgis.analysis.search import SearchIndex

            QtWidgets.QApplication.setOverrideCursor(QtCore.Qt.CursorShape.WaitCursor)
            try:
                self.index = SearchIndex.from_project(s.project)
            finally:
                QtWidgets.QApplication.restoreOverrideCursor()
        return self.index

    def _invalidate(self, *args) -> None:
        self.index = None

    # ------------------------------------------------------------------ hits
    def search(self, text: str) -> list:
        ix = self.ensure_index()
        return ix.search(text, limit=15) if ix is not None else []

    def update_hits(self, text: str) -> list:
        """List the hits for ``text`` in the popup (what typing does)."""
        self.hits = self.search(text)
        lang = getattr(self.window, "lang", "zh")
        self.model.clear()
        for k, h in enumerate(self.hits):
            item = QtGui.QStandardItem(h.label(lang))
            item.setData(k, HIT_ROLE)
            item.setEditable(False)
            self.model.appendRow(item)
        if self.hits and self.hasFocus():
            self.completer.complete()
        elif not self.hits:
            self.completer.popup().hide()
        return self.hits

    def _activated(self, index: QtCore.QModelIndex) -> None:
        k = index.data(HIT_ROLE)
        if k is not None and 0 <= int(k) < len(self.hits):
            self.go_to(self.hits[int(k)])

    def _return(self) -> None:
        if self.completer.popup().isVisible():
            return  # the completer's own activation picks the row
        hits = self.hits or self.update_hits(self.text())
        if hits:
            self.go_to(hits[0])
        else:
            self.window.show_message(self.tr("Nothing found for '{0}'").format(self.text()))

    def go_to(self, hit) -> None:
        """Select the hit's feature, zoom the map to it, show its attributes."""
        s = self.window.session
        if s is None:
            return
        self.completer.popup().hide()
        s.select(hit.layer, [hit.row])
        self.window.canvas.zoom_to_selection()
        if hasattr(self.window, "show_identify"):
            self.window.show_identify(hit.layer, hit.row)
        self.window.show_message(hit.label(getattr(self.window, "lang", "zh")))
        self.found.emit(hit.layer, int(hit.row))
