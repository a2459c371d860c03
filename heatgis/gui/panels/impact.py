"""The live impact panel: headline figures and the per-zone table.

Figures come from ``ImpactSession.totals()`` (updated incrementally by each
zone command), the per-zone table from the session's zone memberships. Above the
figures, a warning line says when the project has problems that may make them wrong
(the check every command runs, ``heatgis.analysis.quality``), with the first problems
in its tooltip; it is checked in a worker thread when the project opens and after
each change of a layer. The figures and the table follow the time and the zones while the dock is in
sight; tabbed behind another or closed, it is brought up to date once it is again (``gui.onscreen``).
"""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from heatgis.gui.i18n import Retranslating, current_language, problem_text
from heatgis.gui.onscreen import ViewRefresh
from heatgis.gui.panels.table_model import FrameModel, sorting_proxy
from heatgis.model.vocab import fmt_wan, level_label, wan


class ImpactPanel(Retranslating, QtWidgets.QWidget):
    """Locked stations, boiler rooms, 万㎡, 万户, staff locked in; zones table."""

    zoneActivated = QtCore.Signal(str)

    KEYS = ("stations", "boiler_rooms", "area", "households", "staff")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.session = None
        self.lang = "zh"
        self.time_label = QtWidgets.QLabel()
        self.quality = None
        self.quality_label = QtWidgets.QLabel()
        self.quality_label.setObjectName("quality_warning")
        self.quality_label.setWordWrap(True)
        self.quality_label.setStyleSheet("color: #8a4b00; background: #fff3cd; padding: 3px;")
        self.quality_label.setVisible(False)
        self._quality_worker = None
        self._quality_pending = False
        self._quality_timer = QtCore.QTimer(self)
        self._quality_timer.setSingleShot(True)
        self._quality_timer.setInterval(400)
        self._quality_timer.timeout.connect(self.check_quality)
        self.figures: dict[str, QtWidgets.QLabel] = {}
        self.captions: dict[str, QtWidgets.QLabel] = {}
        #: beside each figure, its change since 24 h earlier (较昨日 +3)
        self.deltas: dict[str, QtWidgets.QLabel] = {}
        self._shown_change = None
        self.zones_change = QtWidgets.QLabel()
        self.zones_change.setObjectName("zones_change")
        self.zones_change.setWordWrap(False)  # counts first: a narrow dock clips a name, never a count
        # its text changes on every step: it must not move the dock's size (the map would be resized
        # and drawn again), so it takes the width it is given and two lines: the new zones, the lifted ones
        # (the first of each; the whole list in the tooltip)
        self.zones_change.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Fixed)
        self.zones_change.setFixedHeight(2 * self.fontMetrics().lineSpacing() + 2)
        self.zones_change.setAlignment(QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignTop)
        grid = QtWidgets.QGridLayout()
        for i, key in enumerate(self.KEYS):
            value = QtWidgets.QLabel("–")
            value.setObjectName(f"figure_{key}")
            value.setStyleSheet(self.FIGURE_STYLE)
            value.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
            cap = QtWidgets.QLabel()
            cap.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
            delta = QtWidgets.QLabel()
            delta.setObjectName(f"change_{key}")
            delta.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
            delta.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Preferred)
            grid.addWidget(value, 0 if i < 3 else 3, i % 3)
            grid.addWidget(cap, 1 if i < 3 else 4, i % 3)
            grid.addWidget(delta, 2 if i < 3 else 5, i % 3)
            self.figures[key], self.captions[key], self.deltas[key] = value, cap, delta
        self.model = FrameModel()
        self.proxy = sorting_proxy(self.model, self)
        self.table = QtWidgets.QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        # until the planner clicks a header: the session's order (active zones first, by households)
        self.table.horizontalHeader().setSortIndicator(-1, QtCore.Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.doubleClicked.connect(self._activated)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)  # compact rows
        self.table.horizontalHeader().setMinimumSectionSize(36)
        # fitted to the first rows only: every cell of 20,000 zones would stall the window
        self.table.horizontalHeader().setResizeContentsPrecision(60)  # the widths from the first rows (~4x quicker)
        self._sized = False  # columns fitted to their contents once (then the planner's widths stay)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.time_label)
        lay.addWidget(self.quality_label)
        lay.addLayout(grid)
        lay.addWidget(self.zones_change)
        lay.addWidget(self.table, 1)
        #: the figures, their change and the zone table (or the sketch's figures): for the eye only
        self.lazy = ViewRefresh(self, self.refresh)
        self.retranslate()

    def retranslate(self) -> None:
        texts = {
            "stations": self.tr("locked stations"),
            "boiler_rooms": self.tr("locked boiler rooms"),
            "area": self.tr("heated area (10k m²)"),
            "households": self.tr("households (10k)"),
            "staff": self.tr("staff locked in"),
        }
        for k, t in texts.items():
            self.captions[k].setText(t)
        self._shown_change = None  # its texts in the new language
        if getattr(self, "quality", None) is not None:
            self._show_quality()
        # the zone and its households first (what the planner reads across a narrow dock), its id last
        self.headers = {
            "name": self.tr("zone"),
            "households": self.tr("households"),
            "heated_area_m2": self.tr("10k m²"),
            "level": self.tr("level"),
            "stations": self.tr("stations"),
            "boiler_rooms": self.tr("boiler rooms"),
            "staff_locked_in": self.tr("staff"),
            "active": self.tr("active"),
            "zone_id": self.tr("id"),
        }
        self._sized = False  # the titles and levels in the other language: the columns fitted again
        self.lazy.run()

    def set_session(self, session, check: bool = True) -> None:
        """Show ``session``'s figures; ``check``: check its data now (else the caller does, later:
        the main window after the first map, when no other work competes with the check)."""
        self.session = session
        self.quality = None
        session.impactChanged.connect(self.lazy.request)
        session.sketchChanged.connect(self.lazy.request)
        session.layerChanged.connect(lambda _name: self._quality_timer.start())
        self.lazy.request()
        if check:
            self.check_quality()

    # ---------------------------------------------------------------- data problems
    def check_quality(self) -> None:
        """Check the project's data (in a worker thread); the warning line shows the result."""
        if self.session is None:
            return
        if self._quality_worker is not None and self._quality_worker.isRunning():
            self._quality_pending = True
            return
        from heatgis.gui.workers import Worker

        project = self.session.project

        def work(feedback):
            from heatgis.analysis.quality import check_project

            return check_project(project)

        self._quality_pending = False
        worker = Worker(work, self)
        worker.done.connect(self._quality_done)
        worker.failed.connect(lambda exc, tb: self._quality_done(None))
        worker.finished.connect(self._quality_finished)
        self._quality_worker = worker
        worker.start()

    def _quality_finished(self) -> None:
        if self._quality_pending:
            self._quality_pending = False
            self.check_quality()

    def _quality_done(self, quality) -> None:
        self.quality = quality
        self._show_quality()

    def wait_quality(self, ms: int = 10000) -> None:
        """Wait for a running check (tests, closing)."""
        if self._quality_worker is not None:
            self._quality_worker.wait(ms)
            QtCore.QCoreApplication.processEvents()

    def _show_quality(self) -> None:
        q = self.quality
        if q is None or not q.total:
            self.quality_label.setVisible(False)
            self.quality_label.setText("")
            self.quality_label.setToolTip("")
            return
        if q.errors:
            text = self.tr(
                "⚠ Data problems: {0} ({1} errors). Figures may be wrong; run 'heatgis validate' for the list."
            ).format(f"{q.total:,}", f"{q.errors:,}")
        else:
            text = self.tr("Data warnings: {0} (no errors).").format(f"{q.total:,}")
        self.quality_label.setText(text)
        lines = [problem_text(p) for p in q.first(10)]
        if q.total > len(lines):
            lines.append(self.tr("... {0} more").format(f"{q.total - len(lines):,}"))
        self.quality_label.setToolTip("\n".join(lines))
        self.quality_label.setVisible(True)

    #: the figures' look while a zone is drawn (the would-be totals) and otherwise
    FIGURE_STYLE = "font-size: 20pt; font-weight: bold; color: #b2182b;"
    SKETCH_STYLE = "font-size: 20pt; font-weight: bold; font-style: italic; color: #8a4b00;"

    def _set_figure_style(self, style: str) -> None:
        for label in self.figures.values():
            if label.styleSheet() != style:  # a style sheet set again re-polishes: only when it changes
                label.setStyleSheet(style)

    def _show_sketch(self) -> None:
        """While a zone is drawn or its vertex dragged, the figures follow the pointer: the totals
        if the zone were in force now, in italics, with their change against the live figures
        (``refresh`` shows them while ``session.sketch_totals`` is set)."""
        from heatgis.analysis.change import signed

        t = self.session.sketch_totals
        self._shown_change = None  # the deltas show this zone's change: the day-before one is written again after
        now = self.session.totals()
        self._set_figure_style(self.SKETCH_STYLE)
        self.time_label.setText(self.tr("Drawing: the figures if this zone were in force now"))
        values = {
            "stations": (t.stations, now.stations, "count"),
            "boiler_rooms": (t.boiler_rooms, now.boiler_rooms, "count"),
            "area": (t.heated_area_m2, now.heated_area_m2, "wan"),
            "households": (t.households, now.households, "wan"),
            "staff": (t.staff_locked_in, now.staff_locked_in, "count"),
        }
        for k, (v, v0, kind) in values.items():
            self.figures[k].setText(str(v) if kind == "count" else fmt_wan(v))
            d = v - v0
            self.deltas[k].setText(self.tr("this zone {0}").format(signed(d, kind)))
            style = f"color: {self.CHANGE_COLOURS[(d > 0) - (d < 0)]};"
            if self.deltas[k].styleSheet() != style:
                self.deltas[k].setStyleSheet(style)

    def refresh(self) -> None:
        if self.session is None:
            return
        if self.session.sketch_totals is not None:
            self._show_sketch()
            return
        self._set_figure_style(self.FIGURE_STYLE)
        t = self.session.totals()
        self.time_label.setText(self.tr("Impact at {0}").format(t.at.strftime("%Y-%m-%d %H:%M")))
        self.figures["stations"].setText(str(t.stations))
        self.figures["boiler_rooms"].setText(str(t.boiler_rooms))
        self.figures["area"].setText(fmt_wan(t.heated_area_m2))
        self.figures["households"].setText(fmt_wan(t.households))
        self.figures["staff"].setText(str(t.staff_locked_in))
        self._show_change(self.session.change())
        table = self.session.zone_table()
        table["heated_area_m2"] = wan(table["heated_area_m2"])
        if self.session.renderer.style.lang == "zh":
            table["level"] = table["level"].map(level_label)
        self.model.set_frame(table[list(self.headers)], self.headers, self._rows_in_sight())
        if not self._sized and len(table):
            self._sized = True
            self.table.resizeColumnsToContents()
            self.table.setColumnWidth(0, min(self.table.columnWidth(0), 170))  # long zone names elide

    def _rows_in_sight(self) -> tuple | None:
        """(first, last) row the table shows while it shows the session's order (None once sorted)."""
        if self.proxy.sortColumn() >= 0:
            return None
        top = self.table.rowAt(0)
        bottom = self.table.rowAt(self.table.viewport().height() - 1)
        return (max(top, 0), bottom if bottom >= 0 else 10**9)

    #: the change's colour: more locked (worse) red, fewer green, none grey
    CHANGE_COLOURS = {1: "#b2182b", -1: "#1a7a3a", 0: "#666666"}

    def _show_change(self, change) -> None:
        """Each figure's change since 24 h earlier, and the zones that began or ended (nothing to do
        when the session gives the same change again: it keeps one per time and zone state)."""
        from heatgis.analysis.change import signed

        if self._shown_change is change:
            return
        self._shown_change = change

        keys = {
            "stations": ("stations", "count", ""),
            "boiler_rooms": ("boiler_rooms", "count", ""),
            "area": ("heated_area_m2", "wan", self.tr("10k m²")),
            "households": ("households", "wan", self.tr("10k households")),
            "staff": ("staff_locked_in", "count", ""),
        }
        since = change.since.strftime("%m-%d %H:%M")
        for k, (key, kind, unit) in keys.items():
            d = change.delta(key)
            text = signed(d, kind) + (f" {unit}" if unit and d else "")
            label = self.deltas[k]
            label.setText(f"{change.label(current_language())} {text}")  # the vocabulary's words, as the deck
            value = (lambda v: f"{int(v):,}") if kind == "count" else fmt_wan
            label.setToolTip(
                self.tr("{0} at {1}, {2} now").format(value(change.before[key]), since, value(change.now[key]))
            )
            style = f"color: {self.CHANGE_COLOURS[(d > 0) - (d < 0)]};"
            if label.styleSheet() != style:  # a style sheet set again re-polishes: only when it changes
                label.setStyleSheet(style)
        self.zones_change.setText(self._zones_text(change, most=1, sep="\n"))  # new / lifted: a line each
        self.zones_change.setToolTip(self._zones_text(change, most=None, sep="\n"))

    def _zones_text(self, change, most: int | None, sep: str = "; ") -> str:
        """新增 2: Z-051 怡景苑封控区, … / 解除 1: …; all of them when ``most`` is None."""
        parts = []
        for frame, word in (
            (change.new_zones, self.tr("new zones {0}: {1}")),
            (change.lifted_zones, self.tr("lifted zones {0}: {1}")),
        ):
            if not len(frame):
                continue
            ids, names = frame["zone_id"].to_numpy(), frame["name"].to_numpy()  # (no itertuples: a step's cost)
            k = len(ids) if most is None else most
            names = ", ".join(f"{i} {n}" for i, n in zip(ids[:k], names[:k]))
            if most is not None and len(frame) > most:
                names += " …"
            parts.append(word.format(len(frame), names))
        if not parts:
            return self.tr("vs day before: no zone began or ended")
        return self.tr("vs day before: {0}").format(sep.join(parts))

    def _activated(self, index) -> None:
        src = self.proxy.mapToSource(index)
        self.zoneActivated.emit(str(self.model.frame.iloc[src.row()]["zone_id"]))
