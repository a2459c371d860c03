"""Edit → Edit history: who changed what in a project in the database (the audit rows its triggers write).

One row per audited change: time (this computer's clock), user, layer, row, what happened and,
for a change, the fields before → after. Filtered by layer and row id; read in a Worker.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import shiboken6
from PySide6 import QtCore, QtWidgets

from heatgis.gui.i18n import Retranslating, error_text
from heatgis.gui.panels.table_model import FrameModel
from heatgis.gui.workers import Worker

#: columns of the audit's before/after that are bookkeeping, not the planner's data
SKIP = {"fid", "heatgis_version", "heatgis_changed_by", "heatgis_changed_at"}
LIMIT = 500


def changed_fields(before, after, geometry_word: str = "geometry") -> str:
    """ "level: sealed → controlled; name: A → B" for the fields that differ (geometry named, not shown);
    an added or deleted row: its values ("level: sealed; name: A")."""
    before, after = before or {}, after or {}
    if not before or not after:
        row = after or before
        return "; ".join(
            geometry_word if k == "geom" or isinstance(v, dict) else f"{k}: {'' if v is None else v}"
            for k, v in row.items()
            if k not in SKIP and v is not None
        )
    out = []
    for k in list(dict.fromkeys([*before, *after])):
        if k in SKIP:
            continue
        a, b = before.get(k), after.get(k)
        if a == b:
            continue
        if k == "geom" or isinstance(a, dict) or isinstance(b, dict):
            out.append(geometry_word)
        else:
            out.append(f"{k}: {'' if a is None else a} → {'' if b is None else b}")
    return "; ".join(out)


def load_history(project, layer, row_id):
    def work(feedback):
        from heatgis.model.store import postgis as pgs

        feedback.set_progress(20, "reading")
        return pgs.audit_history(project, layer=layer or None, row_id=row_id or None, limit=LIMIT)

    return work


class HistoryDialog(Retranslating, QtWidgets.QDialog):
    """The audit rows of ``project`` (read from the database), newest first."""

    loaded = QtCore.Signal()

    def __init__(self, project, parent=None):
        super().__init__(parent)
        self.project = project
        self.worker: Worker | None = None
        self.frame = pd.DataFrame()
        self.layer = QtWidgets.QComboBox()
        self.layer.addItem("", "")
        for name in project.origin.tables:
            self.layer.addItem(self._title(name), name)
        self.row = QtWidgets.QLineEdit()
        self.row.setClearButtonEnabled(True)
        self.refresh_button = QtWidgets.QPushButton()
        self.refresh_button.clicked.connect(self.refresh)
        self.layer.currentIndexChanged.connect(lambda *_: self.refresh())
        self.row.returnPressed.connect(self.refresh)
        self.model = FrameModel()
        self.table = QtWidgets.QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.note = QtWidgets.QLabel()
        self.bar = QtWidgets.QProgressBar()
        self.bar.setVisible(False)
        self.layer_label = QtWidgets.QLabel()
        self.row_label = QtWidgets.QLabel()
        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.layer_label)
        top.addWidget(self.layer, 1)
        top.addWidget(self.row_label)
        top.addWidget(self.row, 1)
        top.addWidget(self.refresh_button)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)
        layout.addWidget(self.bar)
        self.resize(980, 460)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Edit history"))
        self.layer_label.setText(self.tr("Layer"))
        self.layer.setItemText(0, self.tr("all layers"))
        self.row_label.setText(self.tr("Row"))
        self.row.setPlaceholderText(self.tr("row id, e.g. Z-005"))
        self.refresh_button.setText(self.tr("Refresh"))
        self._show()

    def _title(self, layer: str) -> str:
        from heatgis.gui.database import layer_title

        win = self.parent()
        return layer_title(win, layer) if hasattr(win, "session") else layer

    def filter(self, layer: str = "", row_id: str = "") -> None:
        """Show the history of one layer and/or row (empty: all)."""
        self.row.setText(row_id)
        k = self.layer.findData(layer)
        if k != self.layer.currentIndex():
            self.layer.setCurrentIndex(max(k, 0))  # refreshes
        else:
            self.refresh()

    def refresh(self) -> None:
        if self.worker is not None and shiboken6.isValid(self.worker) and self.worker.isRunning():
            self.worker.wait(15000)
        self.bar.setVisible(True)
        self.worker = w = Worker(
            load_history(self.project, self.layer.currentData(), self.row.text().strip()), self, bar=self.bar
        )
        w.done.connect(self._loaded)
        w.failed.connect(lambda exc, tb: self.note.setText(error_text(exc)))
        w.finished.connect(lambda: shiboken6.isValid(self) and self.bar.setVisible(False))
        w.finished.connect(w.deleteLater)
        w.start()

    def wait(self, ms: int = 30000) -> None:
        w = self.worker
        if w is not None and shiboken6.isValid(w):
            w.wait(ms)
        QtCore.QCoreApplication.processEvents()

    def _loaded(self, frame) -> None:
        self.frame = frame
        self._show()
        self.loaded.emit()

    def _show(self) -> None:
        f = self.frame
        ops = {
            "INSERT": self.tr("added"),
            "UPDATE": self.tr("changed"),
            "DELETE": self.tr("deleted"),
        }
        tz = datetime.now().astimezone().tzinfo
        rows = []
        for r in f.itertuples(index=False):
            what = changed_fields(r.before, r.after, self.tr("geometry"))
            rows.append(
                (
                    f"{pd.Timestamp(r.at).tz_convert(tz):%Y-%m-%d %H:%M:%S}",
                    r.user,
                    self._title(r.layer),
                    r.row_id,
                    ops.get(r.op, r.op),
                    what,
                )
            )
        cols = ["at", "user", "layer", "row_id", "op", "changes"]
        headers = {
            "at": self.tr("Time"),
            "user": self.tr("User"),
            "layer": self.tr("Layer"),
            "row_id": self.tr("Row"),
            "op": self.tr("Change"),
            "changes": self.tr("Before → after"),
        }
        self.model.set_frame(pd.DataFrame(rows, columns=cols), headers)
        self.table.resizeColumnsToContents()
        self.note.setText(self.tr("{0} changes, newest first").format(len(rows)))

    def closeEvent(self, ev) -> None:
        self.wait(15000)
        super().closeEvent(ev)
