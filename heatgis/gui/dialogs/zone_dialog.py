"""The zone form: name, level, start and end (empty end = still active)."""

from __future__ import annotations

import pandas as pd
from PySide6 import QtCore, QtWidgets

from heatgis.gui.i18n import current_language
from heatgis.model.vocab import ZONE_LEVELS, label


class ZoneDialog(QtWidgets.QDialog):
    """Ask for a zone's attributes; ``values()`` returns them as a dict."""

    def __init__(self, name="", level="sealed", start=None, end=None, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Lockdown zone"))
        self.name = QtWidgets.QLineEdit(name)
        self.level = QtWidgets.QComboBox()
        lang = current_language()
        for lv in ZONE_LEVELS:  # the vocabulary's words in the UI's language: "封控区" / "sealed"
            self.level.addItem(label("level", lv, lang), lv)
        self.level.setCurrentIndex(ZONE_LEVELS.index(level) if level in ZONE_LEVELS else 0)
        fmt = "yyyy-MM-dd HH:mm"
        self.start = QtWidgets.QDateTimeEdit(_qdt(start or pd.Timestamp.now().floor("h")))
        self.start.setDisplayFormat(fmt)
        self.start.setCalendarPopup(True)
        self.open_ended = QtWidgets.QCheckBox(self.tr("still active (no end)"))
        self.end = QtWidgets.QDateTimeEdit(
            _qdt(
                end
                if end is not None and not pd.isna(end)
                else pd.Timestamp(start or pd.Timestamp.now()) + pd.Timedelta(days=7)
            )
        )
        self.end.setDisplayFormat(fmt)
        self.end.setCalendarPopup(True)
        self.open_ended.toggled.connect(lambda on: self.end.setEnabled(not on))
        self.open_ended.setChecked(end is None or pd.isna(end))
        form = QtWidgets.QFormLayout(self)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Level"), self.level)
        form.addRow(self.tr("Start"), self.start)
        form.addRow(self.tr("End"), self.end)
        form.addRow("", self.open_ended)
        buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.StandardButton.Ok | QtWidgets.QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> dict:
        start = pd.Timestamp(self.start.dateTime().toString("yyyy-MM-ddTHH:mm"))
        end = None if self.open_ended.isChecked() else pd.Timestamp(self.end.dateTime().toString("yyyy-MM-ddTHH:mm"))
        return {"name": self.name.text().strip(), "level": self.level.currentData(), "start": start, "end": end}


def _qdt(ts) -> QtCore.QDateTime:
    ts = pd.Timestamp(ts)
    return QtCore.QDateTime.fromString(ts.strftime("%Y-%m-%dT%H:%M"), "yyyy-MM-ddTHH:mm")
