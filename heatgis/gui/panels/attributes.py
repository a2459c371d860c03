"""Attribute table of any layer (select rows = select on the map, double-click = zoom, a filter
over one or all fields, select all shown) and the identify panel (the attributes of one clicked
feature)."""

from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets

from heatgis.gui.i18n import Retranslating
from heatgis.gui.onscreen import ViewRefresh
from heatgis.gui.panels.table_model import FrameModel, MaskProxy, _text, text_mask
from heatgis.model.schema import LAYERS


def field_title(layer: str, col: str, lang: str) -> str:
    spec = LAYERS.get(layer)
    f = spec.field(col) if spec is not None else None
    if lang == "zh" and f is not None and f.label_zh:
        return f.label_zh
    return col


class AttributeTable(Retranslating, QtWidgets.QWidget):
    """A layer picker and a sortable table of the layer's attributes."""

    rowsSelected = QtCore.Signal(str, object)  # layer, row positions
    zoomRequested = QtCore.Signal(str, int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.session = None
        self.layer_box = QtWidgets.QComboBox()
        self.layer_box.currentIndexChanged.connect(self._layer_picked)
        self.model = FrameModel()
        self.proxy = MaskProxy(self)
        self.proxy.setSourceModel(self.model)
        self.filter_edit = QtWidgets.QLineEdit()
        self.filter_edit.setClearButtonEnabled(True)
        self.field_box = QtWidgets.QComboBox()
        self.select_shown = QtWidgets.QPushButton()
        self.select_shown.clicked.connect(self.select_all_shown)
        self._filter_timer = QtCore.QTimer(self, singleShot=True, interval=200)
        self._filter_timer.timeout.connect(self.apply_filter)
        self.filter_edit.textChanged.connect(lambda _t: self._filter_timer.start())
        self.field_box.currentIndexChanged.connect(lambda _i: self.apply_filter())
        find = QtGui.QShortcut(QtGui.QKeySequence.StandardKey.Find, self)
        find.setContext(QtCore.Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.activated.connect(lambda: (self.filter_edit.setFocus(), self.filter_edit.selectAll()))
        self.view = QtWidgets.QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        # the layer's own order until the planner clicks a header (no sort of 100,000 rows on open)
        self.view.horizontalHeader().setSortIndicator(-1, QtCore.Qt.SortOrder.AscendingOrder)
        self.view.verticalHeader().setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.Fixed)
        self.view.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.selectionModel().selectionChanged.connect(self._selection)
        self.view.doubleClicked.connect(self._double)
        self.count = QtWidgets.QLabel()
        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.layer_box, 1)
        top.addWidget(self.count)
        bar = QtWidgets.QHBoxLayout()
        bar.addWidget(self.filter_edit, 2)
        bar.addWidget(self.field_box, 1)
        bar.addWidget(self.select_shown)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(top)
        lay.addLayout(bar)
        lay.addWidget(self.view, 1)
        self._syncing = False
        #: the layer to show: filled while the dock is in sight, else once it is again (100,000 rows
        #: would stall the open, and each zone edit refills the zones)
        self._pending: str | None = None
        self.lazy = ViewRefresh(self, self._show_pending)
        self.retranslate()

    def retranslate(self) -> None:
        self.filter_edit.setPlaceholderText(self.tr("Filter rows (Ctrl+F)…"))
        self.filter_edit.setToolTip(self.tr("Show the rows whose field contains this text (any case)"))
        self.field_box.setToolTip(self.tr("Field to search"))
        if self.field_box.count():
            self.field_box.setItemText(0, self.tr("All fields"))
        self.select_shown.setText(self.tr("Select shown"))
        self.select_shown.setToolTip(self.tr("Select every row shown here, and on the map"))
        self._update_count()

    def set_session(self, session) -> None:
        self.session = session
        session.layerChanged.connect(lambda n: n == self.layer() and self._request(n))
        session.selectionChanged.connect(self._map_selection)
        self.refresh_layers()

    def refresh_layers(self) -> None:
        if self.session is None:
            return
        cur = self.layer()
        lang = self.session.renderer.style.lang
        self.layer_box.blockSignals(True)
        self.layer_box.clear()
        for name, spec in LAYERS.items():
            if self.session.project.has(name):
                self.layer_box.addItem(spec.title_zh if lang == "zh" else spec.title_en, name)
        self.layer_box.blockSignals(False)
        self._request(cur or self.layer_box.itemData(0))

    def _request(self, layer: str) -> None:
        self._pending = layer
        self.lazy.request()

    def _show_pending(self) -> None:
        if self._pending is None:
            return
        self.show_layer(self._pending)
        s = self.session
        if s is not None and s.selection_layer == self.layer() and len(s.selection):
            self._map_selection(s.selection_layer, s.selection)  # what the map selected meanwhile

    def layer(self) -> str:
        return self.layer_box.currentData() or ""

    def show_layer(self, layer: str) -> None:
        if not layer or self.session is None:
            return
        self._pending = None
        i = self.layer_box.findData(layer)
        if i >= 0 and i != self.layer_box.currentIndex():
            self.layer_box.blockSignals(True)
            self.layer_box.setCurrentIndex(i)
            self.layer_box.blockSignals(False)
        frame = self.session.project.layer(layer)
        lang = self.session.renderer.style.lang
        titles = {c: field_title(layer, c, lang) for c in frame.columns}
        self.model.set_frame(frame, titles)
        field = self.field_box.currentData()
        self.field_box.blockSignals(True)
        self.field_box.clear()
        self.field_box.addItem(self.tr("All fields"), "")
        for c in self.model.frame.columns:
            self.field_box.addItem(titles.get(c, c), c)
        self.field_box.setCurrentIndex(max(0, self.field_box.findData(field or "")))
        self.field_box.blockSignals(False)
        self.apply_filter()

    def apply_filter(self) -> None:
        """Show the rows matching the filter text in the chosen field (all fields by default)."""
        self._filter_timer.stop()
        self.proxy.set_mask(text_mask(self.model.frame, self.filter_edit.text(), self.field_box.currentData() or None))
        self._update_count()

    def _update_count(self) -> None:
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        self.count.setText(
            str(total)
            if shown == total
            else self.tr("%1 of %2").replace("%1", f"{shown:,}").replace("%2", f"{total:,}")
        )

    def select_all_shown(self) -> None:
        """Select every row the filter shows (the map follows)."""
        n = self.proxy.rowCount()
        if n == 0:
            return
        flags = QtCore.QItemSelectionModel.SelectionFlag
        self.view.selectionModel().select(
            QtCore.QItemSelection(self.proxy.index(0, 0), self.proxy.index(n - 1, 0)), flags.ClearAndSelect | flags.Rows
        )

    def _layer_picked(self, i) -> None:
        self.show_layer(self.layer_box.itemData(i))

    def rows(self) -> np.ndarray:
        sel = self.view.selectionModel().selectedRows()
        return np.array(sorted(self.proxy.mapToSource(ix).row() for ix in sel), dtype=np.intp)

    def select_rows(self, rows) -> None:
        """Select rows (frame positions) in the table; the map follows."""
        sm = self.view.selectionModel()
        sel = QtCore.QItemSelection()
        for r in rows:
            ix = self.proxy.mapFromSource(self.model.index(int(r), 0))
            sel.select(ix, ix)
        sm.select(
            sel, QtCore.QItemSelectionModel.SelectionFlag.ClearAndSelect | QtCore.QItemSelectionModel.SelectionFlag.Rows
        )
        if len(rows):
            self.view.scrollTo(self.proxy.mapFromSource(self.model.index(int(rows[0]), 0)))

    def _selection(self, *args) -> None:
        if not self._syncing:
            self.rowsSelected.emit(self.layer(), self.rows())

    def _map_selection(self, layer, rows) -> None:
        if layer != self.layer() or self.lazy.stale:  # (a stale table takes it when it is filled)
            return
        self._syncing = True
        self.select_rows(rows)
        self._syncing = False

    def _double(self, index) -> None:
        self.zoomRequested.emit(self.layer(), self.proxy.mapToSource(index).row())


class IdentifyPanel(Retranslating, QtWidgets.QTreeWidget):
    """Field / value of the feature last clicked with the identify tool."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setColumnCount(2)
        self.setRootIsDecorated(False)
        self.retranslate()

    def retranslate(self) -> None:
        self.setHeaderLabels([self.tr("Field"), self.tr("Value")])

    def show_feature(self, project, layer, row, lang="zh", status=()) -> None:
        """The feature's fields, after ``status``: (question, answer) rows shown first, in bold (a site:
        locked or not, by which zone since when, who staffs it, the next crew visit)."""
        self.clear()
        if layer is None:
            return
        for q, a in status:
            item = QtWidgets.QTreeWidgetItem(self, [q, a])
            f = item.font(0)
            f.setBold(True)
            item.setFont(0, f)
            item.setFont(1, f)
            item.setToolTip(1, a)
        spec = LAYERS.get(layer)
        title = (spec.title_zh if lang == "zh" else spec.title_en) if spec else layer
        QtWidgets.QTreeWidgetItem(self, [self.tr("layer"), title])
        rec = project.layer(layer).iloc[row]
        for col, v in rec.items():
            if col == "geometry":
                continue
            QtWidgets.QTreeWidgetItem(self, [field_title(layer, col, lang), _text(v)])
        self.resizeColumnToContents(0)
