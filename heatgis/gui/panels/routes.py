"""The crew-routes panel: plan a shift, see the crews' Gantt chart and the stops with ETAs.

A thin widget: it collects the shift and the time limit, calls the same
``plan_routes`` the CLI calls (in a worker thread, with a progress bar), shows
the result, and emits ``routesChanged(GeoDataFrame)`` with one route geometry
per crew (crew colour, stop count) so the map can draw them.
"""
from __future__ import annotations

import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QHBoxLayout, QLabel, QProgressBar, QPushButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

STOP_HEADERS = ["crew", "#", "site", "name", "address", "zones", "ETA", "depart", "km"]


class _Worker(QObject):
    progress = Signal(float, str)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, fn):
        super().__init__()
        self.fn = fn
        self.cancelled = False

    def run(self):
        try:
            plan = self.fn(progress=lambda f, m: self.progress.emit(float(f), str(m)),
                           cancel=lambda: self.cancelled)
        except Exception as exc:  # shown to the planner, never swallowed silently
            self.failed.emit(str(exc))
            return
        self.finished.emit(plan)


class GanttChart(pg.PlotWidget):
    """One row per crew: the shift as a pale bar, driving in grey, service in the crew's colour."""

    def __init__(self, parent=None):
        super().__init__(parent, background="w")
        self.setMouseEnabled(x=True, y=False)
        self.getPlotItem().setLabel("bottom", "hours from shift start")
        self.items: list = []

    def set_plan(self, plan) -> None:
        self.clear()
        self.items = []
        if plan is None or plan.crews.empty:
            return
        t0 = plan.shift_start
        h = lambda t: (pd.Timestamp(t) - t0).total_seconds() / 3600.0  # noqa: E731
        ticks = []
        for row, c in enumerate(plan.crews.itertuples()):
            stops = plan.routes[plan.routes["crew_id"] == c.crew_id]
            x0 = [h(c.shift_start)] + [h(e) for e in stops["eta"]]
            w = [h(c.shift_end) - h(c.shift_start)] + [h(d) - h(e) for e, d in zip(stops["eta"], stops["depart"])]
            brushes = [pg.mkBrush(230, 230, 230)] + [pg.mkBrush(QColor(c.color))] * len(stops)
            heights = [0.8] + [0.6] * len(stops)
            if len(stops):  # the drive back, grey
                x0.append(h(stops["depart"].iloc[-1]))
                w.append(h(c.back) - h(stops["depart"].iloc[-1]))
                brushes.append(pg.mkBrush(150, 150, 150))
                heights.append(0.3)
            item = pg.BarGraphItem(x0=x0, y=[row] * len(x0), height=heights, width=w, brushes=brushes,
                                   pen=pg.mkPen(None))
            self.addItem(item)
            self.items.append(item)
            ticks.append((row, f"{c.crew_id} {c.name}"))
        self.getPlotItem().getAxis("left").setTicks([ticks])
        self.getPlotItem().invertY(True)


class RoutesPanel(QWidget):
    """Plan the crews' shift and show it.

    Signals
    -------
    routesChanged(object)
        A GeoDataFrame (crew_id, name, color, stops, geometry) after each plan.
    planReady(object)
        The CrewPlan.
    """

    routesChanged = Signal(object)
    planReady = Signal(object)

    def __init__(self, project=None, parent=None):
        super().__init__(parent)
        self.project = project
        self.plan = None
        self.graph = None
        self._thread = None
        self._worker = None
        self.shift = QComboBox()
        self.shift.addItem("白班 day 08:00–20:00", "day")
        self.shift.addItem("夜班 night 20:00–08:00", "night")
        self.time_limit = QDoubleSpinBox()
        self.time_limit.setRange(0.1, 600)
        self.time_limit.setValue(1.0)
        self.time_limit.setSuffix(" s")
        self.plan_button = QPushButton("排班路线 Plan routes")
        self.plan_button.clicked.connect(self.start_plan)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.status = QLabel("")
        self.gantt = GanttChart()
        self.table = QTableWidget(0, len(STOP_HEADERS))
        self.table.setHorizontalHeaderLabels(STOP_HEADERS)
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.dropped = QTableWidget(0, 3)
        self.dropped.setHorizontalHeaderLabels(["site", "reason", "detail"])
        top = QHBoxLayout()
        for w in (QLabel("班次"), self.shift, QLabel("time limit"), self.time_limit, self.plan_button):
            top.addWidget(w)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.progress)
        lay.addWidget(self.status)
        lay.addWidget(self.gantt, 2)
        lay.addWidget(self.table, 3)
        lay.addWidget(QLabel("未安排 Not served"))
        lay.addWidget(self.dropped, 1)

    # ------------------------------------------------------------------ planning
    def set_project(self, project) -> None:
        self.project = project
        self.graph = None

    def start_plan(self, duty=None) -> None:
        """Plan in a worker thread; ``planReady`` fires when done."""
        if self.project is None or self._thread is not None:
            return
        from heatgis.routing.planner import build_graph, plan_routes

        project, shift, limit = self.project, self.shift.currentData(), float(self.time_limit.value())
        graph = self.graph

        def job(progress, cancel):
            g = graph if graph is not None else build_graph(project)
            self.graph = g
            return plan_routes(project, shift=shift, time_limit=limit, duty=duty, graph=g,
                               progress=progress, cancel=cancel)

        self._thread = QThread(self)
        self._worker = _Worker(job)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progress.connect(self._on_progress)
        self._worker.finished.connect(self._on_done)
        self._worker.failed.connect(self._on_failed)
        self.plan_button.setEnabled(False)
        self._thread.start()

    def cancel(self) -> None:
        if self._worker is not None:
            self._worker.cancelled = True

    def _stop_thread(self):
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
            self._thread = None
            self._worker = None
        self.plan_button.setEnabled(True)

    def _on_progress(self, fraction, message):
        self.progress.setValue(int(round(fraction * 100)))
        self.status.setText(message)

    def _on_failed(self, message):
        self._stop_thread()
        self.status.setText(message)

    def _on_done(self, plan):
        self._stop_thread()
        self.set_plan(plan)

    # ------------------------------------------------------------------ showing
    def set_plan(self, plan) -> None:
        """Show a CrewPlan (from the worker or given directly)."""
        self.plan = plan
        self.gantt.set_plan(plan)
        r = plan.routes
        colors = dict(zip(plan.crews["crew_id"], plan.crews["color"]))
        self.table.setRowCount(len(r))
        for i, s in enumerate(r.itertuples()):
            vals = [s.crew_id, s.seq, s.site_id, s.name, s.address or "", ",".join(s.zone_ids),
                    f"{s.eta:%H:%M}", f"{s.depart:%H:%M}", f"{s.distance_m / 1000:.1f}"]
            for j, v in enumerate(vals):
                it = QTableWidgetItem(str(v))
                if j == 0:
                    it.setForeground(QColor(colors[s.crew_id]))
                if j in (1, 8):
                    it.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.table.setItem(i, j, it)
        d = plan.dropped
        self.dropped.setRowCount(len(d))
        for i, x in enumerate(d.itertuples()):
            for j, v in enumerate((x.site_id, x.reason, x.detail)):
                self.dropped.setItem(i, j, QTableWidgetItem(str(v)))
        t = plan.to_dict()["totals"]
        self.status.setText(f"{t['visits']} visits, {t['crews_used']}/{t['crews']} crews, "
                            f"{t['travel_s'] / 3600:.1f} h driving, {t['dropped']} not served")
        self.planReady.emit(plan)
        self.routesChanged.emit(plan.route_geometries())
