"""The routes dock's Gantt chart: one row per crew, in clock time (pyqtgraph)."""

from __future__ import annotations

import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor

_C = "RoutesPanel"  # its texts are the routes dock's (translation context)


class ClockAxis(pg.AxisItem):
    """The Gantt's time axis in clock time ("08:00", "14:30"; the day too when the shift crosses midnight)."""

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.origin = None

    def tickStrings(self, values, scale, spacing):
        if self.origin is None:
            return super().tickStrings(values, scale, spacing)
        out = []
        for v in values:
            t = self.origin + pd.Timedelta(hours=float(v))
            out.append(f"{t:%H:%M}" if t.normalize() == self.origin.normalize() else f"{t:%m-%d %H:%M}")
        return out


class GanttChart(pg.PlotWidget):
    """One row per crew: the shift as a pale bar, service in the crew's colour, the drive back grey;
    the time axis in clock time."""

    def __init__(self, parent=None):
        self.clock = ClockAxis("bottom")
        super().__init__(parent, background="w", axisItems={"bottom": self.clock})
        self.setMouseEnabled(x=True, y=False)
        self.getPlotItem().setLabel("bottom", QCoreApplication.translate(_C, "time of day"))
        self.items: list = []
        self.now_line = pg.InfiniteLine(angle=90, pen=pg.mkPen("#b2182b", width=2, style=Qt.DashLine))
        self.now_line.setVisible(False)
        self.addItem(self.now_line)
        self.origin = None

    def set_plan(self, plan) -> None:
        for item in self.items:
            self.removeItem(item)
        self.items = []
        self.origin = None
        if plan is None or plan.crews.empty:
            return
        t0 = self.origin = self.clock.origin = pd.Timestamp(plan.shift_start)
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
            item = pg.BarGraphItem(
                x0=x0, y=[row] * len(x0), height=heights, width=w, brushes=brushes, pen=pg.mkPen(None)
            )
            self.addItem(item)
            self.items.append(item)
            ticks.append((row, f"{c.crew_id} {c.name}"))
        self._ticks = ticks
        self._thin_ticks()
        self.getPlotItem().invertY(True)
        self.setXRange(0, max(h(plan.shift_end), 1.0), padding=0.02)

    def _thin_ticks(self) -> None:
        """Every crew's name when the rows are tall enough, else every k-th (a short dock at 1366×768)."""
        ticks = getattr(self, "_ticks", [])
        if not ticks:
            return
        room = max(self.getPlotItem().getViewBox().height(), 1.0)
        k = max(1, -(-len(ticks) * 14 // int(room)))  # ceil: ~14 px per label
        self.getPlotItem().getAxis("left").setTicks([ticks[::k]])

    def resizeEvent(self, ev) -> None:
        super().resizeEvent(ev)
        self._thin_ticks()

    def set_now(self, at) -> None:
        if self.origin is None or at is None:
            self.now_line.setVisible(False)
            return
        self.now_line.setValue((pd.Timestamp(at) - self.origin).total_seconds() / 3600.0)
        self.now_line.setVisible(True)
