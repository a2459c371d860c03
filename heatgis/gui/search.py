"""The search box of the tool bar: compound, zone, station, staff, address by name, id or pinyin.

A thin widget over ``heatgis.analysis.search.SearchIndex`` (the core index): typing lists
the best hits in a completer popup ("hry" → 华润苑 · 小区 C-0656); choosing one (Enter takes
the first) selects the feature, zooms the map to it and shows its attributes. Ctrl+K
focuses the box (Ctrl+F is the attribute table's filter). The index is built in a worker
(~0.7 s on the demo) once the project's map is drawn, and again after a layer changed; what is
typed meanwhile is searched when it lands.
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
    indexReady()
        The search index of the open project was built.
    """

    found = QtCore.Signal(str, int)
    indexReady = QtCore.Signal()

    def __init__(self, window, parent=None):
        super().__init__(parent)
        self.window = window
        self.index = None
        self._session = None
        self._worker = None
        self._job = 0
        self._waiting = ""  # "list" or "go": typed (or Enter) while the index was being built
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

    def focusInEvent(self, ev) -> None:
        super().focusInEvent(ev)
        self.ensure_index()  # built when first needed (~0.7 s on the demo, in a worker)

    def focus_search(self) -> None:
        self.setFocus(QtCore.Qt.FocusReason.ShortcutFocusReason)
        self.selectAll()

    # ------------------------------------------------------------------ index
    def ensure_index(self):
        """The index of the window's project, or None while it is being built (in a worker, ~0.7 s on
        the demo: started when the search box first gets the focus and again after a layer changed);
        typing meanwhile shows the hits once it lands."""
        s = self.window.session
        if s is None:
            return None
        if self._session is not s:
            self._session, self.index = s, None
            s.layerChanged.connect(lambda *a, s=s: self._invalidate(s))
        if self.index is None and self._worker is None:
            self._build(s)
        return self.index

    def _build(self, s) -> None:
        from heatgis.analysis.search import SearchIndex
        from heatgis.gui.workers import Worker

        self._job += 1
        job, project = self._job, s.project
        w = self._worker = Worker(lambda feedback: SearchIndex.from_project(project), self)
        w.done.connect(lambda ix: self._built(job, s, ix))
        w.failed.connect(lambda exc, tb: self.window.show_message(f"{type(exc).__name__}: {exc}"))
        w.finished.connect(lambda: self._finished(w))
        w.start()

    def _finished(self, w) -> None:
        if self._worker is w:
            self._worker = None
        w.deleteLater()

    def _built(self, job, s, ix) -> None:
        if job != self._job or self._session is not s or self.window.session is not s:
            return  # a layer changed or another project opened meanwhile: a newer build follows
        self.index = ix
        self.indexReady.emit()
        if self._waiting:  # typed while it was being built
            go, self._waiting = self._waiting == "go", ""
            hits = self.update_hits(self.text())
            if go and hits:
                self.go_to(hits[0])

    def wait_index(self, ms: int = 30000):
        """Block until the index is built and shown (scripts, tests); returns it."""
        self.ensure_index()
        w = self._worker
        if w is not None:
            w.wait(ms)
            QtCore.QCoreApplication.processEvents()
        return self.index

    def _invalidate(self, s=None) -> None:
        if s is None or s is self._session:
            self.index = None
            self._job += 1  # a build running now read the old layer

    # ------------------------------------------------------------------ hits
    def search(self, text: str) -> list:
        ix = self.ensure_index()
        return ix.search(text, limit=15) if ix is not None else []

    def update_hits(self, text: str) -> list:
        """List the hits for ``text`` in the popup (what typing does)."""
        self.hits = self.search(text)
        if self.index is None and self.window.session is not None and text:
            self._waiting = self._waiting or "list"
            self.window.show_message(self.tr("Building the search index…"))
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
        elif self.index is None and self.window.session is not None:
            self._waiting = "go"  # Enter before the index landed: go to the first hit when it does
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
