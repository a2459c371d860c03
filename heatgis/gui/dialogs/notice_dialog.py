"""The notice dialog: paste or load a lockdown notice, confirm the matched compounds, create the zones.

Thin: :func:`heatgis.io.notice.notice_to_zones` does the work (the same as
``heatgis zones-from-notice``). Each notice name is one row: a checkbox (taken or
not), the name as written, a combo of candidate compounds with their scores, and
the status. Unmatched names are listed below. OK adds the checked rows' zones as
one undoable command.
"""

from __future__ import annotations

import pandas as pd
from PySide6 import QtCore, QtWidgets
from PySide6.QtCore import QT_TRANSLATE_NOOP

from heatgis.errors import HeatGISError
from heatgis.gui.i18n import current_language, error_text
from heatgis.model.vocab import ZONE_LEVELS, label

#: a match's status in the table (translated in the "NoticeDialog" context)
STATUS_TEXT = {
    "matched": QT_TRANSLATE_NOOP("NoticeDialog", "✓ matched"),
    "confirm": QT_TRANSLATE_NOOP("NoticeDialog", "? to confirm"),
    "unmatched": QT_TRANSLATE_NOOP("NoticeDialog", "✗ unmatched"),
}
#: how a candidate compound was found (``io.notice``'s methods)
METHOD_TEXT = {
    "exact": QT_TRANSLATE_NOOP("NoticeDialog", "exact"),
    "variant": QT_TRANSLATE_NOOP("NoticeDialog", "variant"),
    "fuzzy": QT_TRANSLATE_NOOP("NoticeDialog", "fuzzy"),
}


class NoticeDialog(QtWidgets.QDialog):
    """Zones from a lockdown notice.

    Parameters
    ----------
    project : Project
    stack : UndoStack, optional
    parent : QWidget, optional
    """

    def __init__(self, project, stack=None, parent=None):
        super().__init__(parent)
        self.project, self.stack = project, stack
        self.result = None
        self.zones = None
        self.setWindowTitle(self.tr("Zones from a notice"))
        self.resize(900, 700)

        self.text = QtWidgets.QPlainTextEdit()
        self.text.setPlaceholderText(self.tr("Paste the announcement here, or load a .txt/.docx"))
        load = QtWidgets.QPushButton(self.tr("Load file…"))
        load.clicked.connect(self._browse)
        match = QtWidgets.QPushButton(self.tr("Match"))
        match.clicked.connect(self.run_match)
        self.start = QtWidgets.QDateTimeEdit()
        self.start.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.start.setCalendarPopup(True)
        self.level = QtWidgets.QComboBox()
        self.level.addItem(self.tr("from the notice"), None)
        for lv in ZONE_LEVELS:
            self.level.addItem(label("level", lv, current_language()), lv)
        self.min_score = QtWidgets.QSpinBox()
        self.min_score.setRange(50, 100)
        self.min_score.setValue(85)

        top = QtWidgets.QHBoxLayout()
        for w in (
            load,
            QtWidgets.QLabel(self.tr("Start")),
            self.start,
            QtWidgets.QLabel(self.tr("Level")),
            self.level,
            QtWidgets.QLabel(self.tr("Accept automatically ≥")),
            self.min_score,
            match,
        ):
            top.addWidget(w)
        top.addStretch(1)

        self.table = QtWidgets.QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Use"), self.tr("Name in the notice"), self.tr("Compound (score)"), self.tr("Status")]
        )
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(1, 200)
        self.table.setColumnWidth(2, 320)
        self.unmatched = QtWidgets.QListWidget()
        self.unmatched.setMaximumHeight(110)
        self.summary = QtWidgets.QLabel("")
        self.buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.Ok | QtWidgets.QDialogButtonBox.Cancel)
        self.buttons.button(QtWidgets.QDialogButtonBox.Ok).setText(self.tr("Create zones"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        lay = QtWidgets.QVBoxLayout(self)
        lay.addWidget(self.text, 2)
        lay.addLayout(top)
        lay.addWidget(self.table, 3)
        lay.addWidget(QtWidgets.QLabel(self.tr("Unmatched (draw them by hand):")))
        lay.addWidget(self.unmatched)
        lay.addWidget(self.summary)
        lay.addWidget(self.buttons)
        if project.readable_reference_time() is not None:
            self.set_start(project.readable_reference_time())

    # ------------------------------------------------------------ input
    def _browse(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(
            self, self.tr("Notice"), "", self.tr("Notice (*.txt *.docx);;All files (*)")
        )
        if path:
            self.load_file(path)

    def load_file(self, path) -> None:
        from heatgis.io.notice import read_notice

        try:
            self.set_text(read_notice(path))
        except HeatGISError as exc:
            self.summary.setText(error_text(exc))

    def set_text(self, text: str) -> None:
        self.text.setPlainText(text)
        self.run_match()

    def set_start(self, ts) -> None:
        ts = pd.Timestamp(ts)
        self.start.setDateTime(
            QtCore.QDateTime(QtCore.QDate(ts.year, ts.month, ts.day), QtCore.QTime(ts.hour, ts.minute))
        )

    def start_time(self) -> pd.Timestamp:
        return pd.Timestamp(self.start.dateTime().toString("yyyy-MM-ddTHH:mm"))

    # ------------------------------------------------------------ matching
    def run_match(self) -> None:
        """Parse and match the text; fill the table (the notice's date becomes the start)."""
        from heatgis.io.notice import parse_notice
        from heatgis.io.notice_zones import notice_to_zones

        text = self.text.toPlainText()
        try:
            date = parse_notice(text).date
            if date is not None:
                self.set_start(date)
            self.result = notice_to_zones(
                self.project,
                text,
                start=self.start_time(),
                level=self.level.currentData(),
                min_score=float(self.min_score.value()),
            )
        except HeatGISError as exc:
            self.result = None
            self.table.setRowCount(0)
            self.unmatched.clear()
            self.summary.setText(error_text(exc))
            return
        matches = [m for m in self.result.matches if m.status != "unmatched"]
        self.table.setRowCount(len(matches))
        self._rows = matches
        for r, m in enumerate(matches):
            use = QtWidgets.QTableWidgetItem()
            use.setFlags(QtCore.Qt.ItemIsUserCheckable | QtCore.Qt.ItemIsEnabled)
            use.setCheckState(QtCore.Qt.Checked if m.accepted else QtCore.Qt.Unchecked)
            self.table.setItem(r, 0, use)
            name = m.query.text + (f" ({m.query.detail})" if m.query.detail else "")
            item = QtWidgets.QTableWidgetItem(name)
            item.setFlags(item.flags() & ~QtCore.Qt.ItemIsEditable)
            self.table.setItem(r, 1, item)
            combo = QtWidgets.QComboBox()
            for c in m.candidates:
                method = self.tr(METHOD_TEXT[c.method]) if c.method in METHOD_TEXT else c.method
                combo.addItem(f"{c.name}  [{c.compound_id}]  {method} {c.score:g}", c.compound_id)
            self.table.setCellWidget(r, 2, combo)
            st = QtWidgets.QTableWidgetItem(self.tr(STATUS_TEXT[m.status]))
            st.setFlags(st.flags() & ~QtCore.Qt.ItemIsEditable)
            self.table.setItem(r, 3, st)
        self.unmatched.clear()
        for m in self.result.unmatched:
            self.unmatched.addItem(m.query.text)
        n_conf = sum(1 for m in matches if m.status == "confirm")
        self.summary.setText(
            self.tr("{0} names: {1} matched, {2} to confirm, {3} unmatched; start {4}").format(
                len(self.result.matches),
                len(self.result.matched),
                n_conf,
                len(self.result.unmatched),
                f"{self.start_time():%Y-%m-%d %H:%M}",
            )
        )

    def row_of(self, name: str) -> int:
        return next(r for r, m in enumerate(self._rows) if m.query.text == name)

    def set_checked(self, name: str, checked: bool = True, compound_id: str | None = None) -> None:
        """Tick a row (and pick its candidate), as a planner would."""
        r = self.row_of(name)
        self.table.item(r, 0).setCheckState(QtCore.Qt.Checked if checked else QtCore.Qt.Unchecked)
        if compound_id is not None:
            combo = self.table.cellWidget(r, 2)
            combo.setCurrentIndex(combo.findData(compound_id))

    def build_zones(self):
        """The zones of the checked rows with their chosen candidates."""
        from heatgis.io.notice_zones import rebuild_zones

        if self.result is None:
            raise HeatGISError(self.tr("Nothing matched yet."), self.tr("Paste a notice and press Match."))
        for r, m in enumerate(self._rows):
            checked = self.table.item(r, 0).checkState() == QtCore.Qt.Checked
            if checked:
                m.confirm(self.table.cellWidget(r, 2).currentData())
            else:
                m.reject()
        self.result.start = self.start_time()
        self.zones = rebuild_zones(self.project, self.result, level=self.level.currentData())
        return self.zones

    def accept(self) -> None:
        from heatgis.io.commands import AddZones

        try:
            zones = self.build_zones()
            if len(zones) == 0:
                self.summary.setText(self.tr("No row is checked: nothing to add."))
                return
            cmd = AddZones(zones, source="notice")
            if self.stack is not None:
                self.stack.push(cmd)
            else:
                cmd.do(self.project)
        except HeatGISError as exc:
            self.summary.setText(error_text(exc))
            return
        super().accept()
