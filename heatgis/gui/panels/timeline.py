"""The timeline dock: locked sites, heated area and households per day, and the time slider.

The series come from ``heatgis.analysis.timeline.timeline`` (the same function
as ``heatgis impact --timeline``), computed in a worker; the slider steps
through the days and sets the time the map and the impact panel show.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from heatgis.gui.i18n import Retranslating
from heatgis.gui.onscreen import ViewRefresh
from heatgis.model.vocab import wan
from heatgis.render.fonts import cjk_font


class DayAxis(pg.AxisItem):
    """Dates as MM-DD at midnight ticks, spaced to fit (pyqtgraph's DateAxisItem ran "27" into "Mar")."""

    def tickValues(self, minVal, maxVal, size):
        days = max((maxVal - minVal) / 86400.0, 1e-9)
        fit = max(int(size // 55), 1)
        step = next((k for k in (1, 2, 3, 5, 7, 10, 14, 21, 30, 60) if days / k <= fit), 90) * 86400
        first = np.ceil(minVal / step) * step
        return [(step, list(np.arange(first, maxVal + 1, step)))]

    def tickStrings(self, values, scale, spacing):
        return [pd.Timestamp(v, unit="s").strftime("%m-%d") for v in values]


class TimelinePanel(Retranslating, QtWidgets.QWidget):
    """Three charts side by side (one row, readable at a low dock height) sharing the date axis,
    a current-time line and a day slider; a fourth, outdoor temperature (left axis) and the city's
    heat demand against capacity (right axis, MW), when the project has a weather series
    (``frame.attrs["heat"]``, the ``HeatResult.city`` of ``heatgis.analysis.heat``)."""

    timeSelected = QtCore.Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.frame = pd.DataFrame()
        self._times = np.array([], dtype="datetime64[ns]")
        self.plots = pg.GraphicsLayoutWidget()
        self.plots.setBackground("w")
        self.charts = []
        self.lines = []
        for col in range(4):
            axis = DayAxis(orientation="bottom")  # seconds of wall-clock time, shown as dates
            p = self.plots.addPlot(row=0, col=col, axisItems={"bottom": axis})
            p.showGrid(x=True, y=True, alpha=0.25)
            p.setMouseEnabled(x=False, y=False)
            p.hideButtons()
            p.getAxis("left").setWidth(44)
            p.setMinimumHeight(90)
            if self.charts:
                p.setXLink(self.charts[0])
            line = pg.InfiniteLine(angle=90, pen=pg.mkPen("#b2182b", width=2))
            p.addItem(line, ignoreBounds=True)  # moving it must not make the view fit its range again
            self.charts.append(p)
            self.lines.append(line)
        self.legend = self.charts[0].addLegend(offset=(4, 4), labelTextSize="8pt", verSpacing=-6)
        self._cache_static_parts()
        # the heat chart: temperature on the left axis, demand and capacity (MW) on a right-hand view
        heat = self.charts[3]
        self.heat_view = pg.ViewBox()
        heat.showAxis("right")
        heat.scene().addItem(self.heat_view)
        heat.getAxis("right").linkToView(self.heat_view)
        heat.getAxis("right").setWidth(44)
        self.heat_view.setXLink(heat)
        heat.vb.sigResized.connect(lambda: self.heat_view.setGeometry(heat.vb.sceneBoundingRect()))
        heat.setVisible(False)
        self.slider = QtWidgets.QSlider(QtCore.Qt.Orientation.Horizontal)
        self.slider.setEnabled(False)
        self.slider.valueChanged.connect(self._slid)
        self._coalesce = QtCore.QTimer(self, singleShot=True, interval=0)
        self._coalesce.timeout.connect(lambda: self._step(self.slider.value()))
        self.date_label = QtWidgets.QLabel()
        self.date_label.setMinimumWidth(130)
        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.slider, 1)
        row.addWidget(self.date_label)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.plots, 1)
        lay.addLayout(row)
        self._at = None
        #: the date, the time lines and the slider follow the session's time while the dock is in sight
        self.lazy = ViewRefresh(self, lambda: self._at is not None and self.show_time(self._at))
        self.retranslate()

    def _cache_static_parts(self) -> None:
        """Axes (with their grid), titles and the legend are kept as pixmaps: moving the time line
        repaints the strip it crosses, and replaying every axis's ticks and labels there took
        most of a timeline step (Qt redraws a cached item only when it changes itself)."""
        cache = QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache
        for p in self.charts:
            for name in ("left", "bottom", "right", "top"):
                p.getAxis(name).setCacheMode(cache)
            p.titleLabel.setCacheMode(cache)
        self.legend.setCacheMode(cache)

    def _cache_curves(self) -> None:
        """The curves are kept as pixmaps too: the strip the time line leaves and enters is then two
        blits per chart, not the curves (1,400 hourly points on the heat chart) drawn again there."""
        cache = QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache
        items = [i for p in self.charts for i in p.listDataItems()] + list(self.heat_view.addedItems)
        while items:  # a PlotDataItem draws nothing itself: its curve and symbols are its children
            item = items.pop()
            item.setCacheMode(cache)
            items += item.childItems()

    def retranslate(self) -> None:
        titles = (
            self.tr("Locked sites (stations, boiler rooms)"),
            self.tr("Heated area (10k m²)"),
            self.tr("Households (10k)"),
            self.tr("Outdoor °C (blue), heat demand / capacity MW (red)"),
        )
        for p, t in zip(self.charts, titles):
            p.setTitle(t, size="9pt")
            p.titleLabel.item.setFont(cjk_font(9))
        names = self._series_names()
        for sample, label in getattr(self.legend, "items", []):  # the curves already drawn
            key = getattr(sample.item, "series", None)
            if key in names:
                label.setText(names[key])

    def _series_names(self) -> dict:
        """The legend's names of the first chart's curves, in the UI's language."""
        return {"stations": self.tr("stations"), "boiler_rooms": self.tr("boiler rooms")}

    def set_timeline(self, frame: pd.DataFrame, at=None) -> None:
        """Show a timeline frame (columns of ``heatgis.analysis.timeline.timeline``)."""
        self.frame = frame.reset_index(drop=True)
        times = self.frame["time"] if "time" in self.frame.columns else pd.Series([], dtype="datetime64[ns]")
        self._times = pd.to_datetime(times).to_numpy()
        for p in self.charts:
            for item in list(p.listDataItems()):
                p.removeItem(item)
        self.heat_view.clear()
        self.show_heat(frame.attrs.get("heat"))
        if frame.empty:
            self.slider.setEnabled(False)
            return
        x = np.array([t.timestamp() for t in pd.to_datetime(frame["time"])])
        self._x = x
        names = self._series_names()
        series = [
            (
                (frame["stations"], "#1f5fbf", "stations"),
                (frame["boiler_rooms"], "#ff7f0e", "boiler_rooms"),
            ),
            ((wan(frame["heated_area_m2"]), "#b2182b", "area"),),
            ((wan(frame["households"]), "#2ca02c", "households"),),
        ]
        for p, group in zip(self.charts, series):
            for values, col, key in group:
                item = p.plot(
                    x,
                    np.asarray(values, float),
                    pen=pg.mkPen(col, width=2),
                    symbol="o",
                    symbolSize=4,
                    symbolBrush=col,
                    symbolPen=None,
                    stepMode=None,
                    name=names.get(key, key),
                )
                item.series = key  # its legend entry named again on a language switch
        self._cache_curves()
        self.slider.blockSignals(True)
        self.slider.setRange(0, len(frame) - 1)
        self.slider.setEnabled(True)
        k = self.index_of(at) if at is not None else 0
        self.slider.setValue(k)
        self.slider.blockSignals(False)
        self.show_time(at if at is not None else frame["time"].iloc[0])

    def show_heat(self, city) -> None:
        """The hourly outdoor temperature and the city's heat demand against capacity (or hide the chart)."""
        heat = self.charts[3]
        self.heat = city
        if city is None or len(city) == 0:
            heat.setVisible(False)
            return
        x = pd.DatetimeIndex(city["time"]).as_unit("s").asi8.astype(float)
        heat.plot(x, city["outdoor_c"].to_numpy(float), pen=pg.mkPen("#1f5fbf", width=1.5), name=self.tr("outdoor °C"))
        for col, values, style in (
            ("#b2182b", city["demand_mw"], QtCore.Qt.PenStyle.SolidLine),
            ("#5b6470", city["capacity_mw"], QtCore.Qt.PenStyle.DashLine),
        ):
            self.heat_view.addItem(
                pg.PlotCurveItem(x, np.asarray(values, float), pen=pg.mkPen(col, width=1.5, style=style))
            )
        self.heat_view.enableAutoRange(axis=pg.ViewBox.YAxis)
        heat.setVisible(True)

    def index_of(self, at) -> int:
        times = self._times
        at = np.datetime64(pd.Timestamp(at).to_datetime64())
        k = int(np.searchsorted(times, at, side="right")) - 1
        return max(0, min(k, len(times) - 1))

    def set_time(self, at) -> None:
        """The session's time moved: shown now, or once the dock is in sight again."""
        self._at = at
        self.lazy.request()

    def show_time(self, at) -> None:
        at = pd.Timestamp(at)
        self.date_label.setText(at.strftime("%Y-%m-%d %H:%M"))
        for line in self.lines:
            line.setValue(at.tz_localize("UTC").timestamp() if at.tz is None else at.timestamp())
        if not self.frame.empty:
            self.slider.blockSignals(True)
            self.slider.setValue(self.index_of(at))
            self.slider.blockSignals(False)

    def _slid(self, k: int) -> None:
        if self.frame.empty:
            return
        if self.slider.isSliderDown():  # dragged: the moves that queue up while a step is drawn make one step
            self._coalesce.start()
            return
        self._step(k)

    def _step(self, k: int) -> None:
        if self.frame.empty or not 0 <= k < len(self.frame):
            return
        at = pd.Timestamp(self.frame["time"].iloc[k])
        self.show_time(at)
        self.timeSelected.emit(at)
