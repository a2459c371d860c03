"""The live impact panel: headline figures and the per-zone table.

Figures come from ``ImpactSession.totals()`` (updated incrementally by each
zone command), the per-zone table from the session's zone memberships.
"""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from heatgis.gui.i18n import Retranslating
from heatgis.gui.panels.table_model import FrameModel, sorting_proxy

LEVEL_ZH = {"sealed": "封控", "controlled": "管控", "precaution": "防范"}


class ImpactPanel(Retranslating, QtWidgets.QWidget):
    """Locked stations, boiler rooms, 万㎡, 万户, staff locked in; zones table."""

    zoneActivated = QtCore.Signal(str)

    KEYS = ("stations", "boiler_rooms", "area", "households", "staff")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.session = None
        self.lang = "zh"
        self.time_label = QtWidgets.QLabel()
        self.figures: dict[str, QtWidgets.QLabel] = {}
        self.captions: dict[str, QtWidgets.QLabel] = {}
        grid = QtWidgets.QGridLayout()
        for i, key in enumerate(self.KEYS):
            value = QtWidgets.QLabel("–")
            value.setObjectName(f"figure_{key}")
            value.setStyleSheet("font-size: 20pt; font-weight: bold; color: #b2182b;")
            value.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
            cap = QtWidgets.QLabel()
            cap.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(value, 0 if i < 3 else 2, i % 3)
            grid.addWidget(cap, 1 if i < 3 else 3, i % 3)
            self.figures[key], self.captions[key] = value, cap
        self.model = FrameModel()
        self.proxy = sorting_proxy(self.model, self)
        self.table = QtWidgets.QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        # until the planner clicks a header: the session's order (active zones first, by stations)
        self.table.horizontalHeader().setSortIndicator(-1, QtCore.Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.doubleClicked.connect(self._activated)
        self.table.verticalHeader().setVisible(False)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.time_label)
        lay.addLayout(grid)
        lay.addWidget(self.table, 1)
        self.retranslate()

    def retranslate(self) -> None:
        texts = {"stations": self.tr("locked stations"), "boiler_rooms": self.tr("locked boiler rooms"),
                 "area": self.tr("heated area (10k m²)"), "households": self.tr("households (10k)"),
                 "staff": self.tr("staff locked in")}
        for k, t in texts.items():
            self.captions[k].setText(t)
        self.headers = {"zone_id": self.tr("zone"), "name": self.tr("name"), "level": self.tr("level"),
                        "active": self.tr("active"), "stations": self.tr("stations"),
                        "boiler_rooms": self.tr("boiler rooms"), "heated_area_m2": self.tr("10k m²"),
                        "households": self.tr("households"), "staff_locked_in": self.tr("staff")}
        self.refresh()

    def set_session(self, session) -> None:
        self.session = session
        session.impactChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        if self.session is None:
            return
        t = self.session.totals()
        self.time_label.setText(self.tr("Impact at {0}").format(t.at.strftime("%Y-%m-%d %H:%M")))
        self.figures["stations"].setText(str(t.stations))
        self.figures["boiler_rooms"].setText(str(t.boiler_rooms))
        self.figures["area"].setText(f"{t.heated_area_m2 / 1e4:,.1f}")
        self.figures["households"].setText(f"{t.households / 1e4:,.2f}")
        self.figures["staff"].setText(str(t.staff_locked_in))
        table = self.session.zone_table()
        table["heated_area_m2"] = table["heated_area_m2"] / 1e4
        if self.session.renderer.style.lang == "zh":
            table["level"] = table["level"].map(lambda v: LEVEL_ZH.get(v, v))
        self.model.set_frame(table, self.headers)

    def _activated(self, index) -> None:
        src = self.proxy.mapToSource(index)
        self.zoneActivated.emit(str(self.model.frame.iloc[src.row()]["zone_id"]))
