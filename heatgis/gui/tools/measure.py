"""The measure tool: click points, the distance (and from three points the area) shows live.

Distances and areas are in metres of the project CRS (``heatgis.analysis.measure``). Click to
add a point, move to see the length to the pointer, double-click to finish (the result stays
until the next click), Backspace removes the last point, Esc cancels.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from heatgis.analysis.measure import measure_text
from heatgis.gui.tools.base import MapTool

COLOUR = "#6a1b9a"


class MeasureTool(MapTool):
    """Measure distance and area on the map.

    Attributes
    ----------
    points : list of (x, y)
        The clicked points (project CRS).
    text : str
        The current reading ("Distance 1.23 km  Area 4.5 ha …").
    """

    name = "measure"
    cursor = QtCore.Qt.CursorShape.CrossCursor

    def __init__(self, canvas, host):
        super().__init__(canvas, host)
        self.points: list[tuple[float, float]] = []
        self.cursor_pos = None
        self.finished = False
        self.text = ""
        self.line = None
        self.label = None

    def lang(self) -> str:
        return getattr(self.host, "lang", "zh")

    def activate(self) -> None:
        self.cancel()

    def deactivate(self) -> None:
        self.cancel()

    def cancel(self) -> None:
        self.points, self.cursor_pos, self.finished, self.text = [], None, False, ""
        vb = self.canvas.vb
        for item in (self.line, self.label):
            if item is not None and item.scene() is not None:
                vb.removeItem(item)
        self.line = self.label = None
        self._report()

    def _items(self) -> None:
        if self.line is None:
            self.line = QtWidgets.QGraphicsPathItem()
            pen = QtGui.QPen(QtGui.QColor(COLOUR), 2.2)
            pen.setCosmetic(True)
            self.line.setPen(pen)
            fill = QtGui.QColor(COLOUR)
            fill.setAlpha(35)
            self.line.setBrush(fill)
            self.line.setZValue(3000)
            self.canvas.vb.addItem(self.line, ignoreBounds=True)
        if self.label is None:
            self.label = pg.TextItem(
                color="#2b0a3d", fill=pg.mkBrush(255, 255, 255, 225), border=pg.mkPen(COLOUR), anchor=(0, 1.2)
            )
            self.label.setZValue(3001)
            self.canvas.vb.addItem(self.label, ignoreBounds=True)

    def current(self) -> np.ndarray:
        """The points measured now: the clicked ones and, while drawing, the pointer."""
        pts = list(self.points)
        if self.cursor_pos is not None and not self.finished:
            pts.append(self.cursor_pos)
        return np.asarray(pts, float).reshape(-1, 2)

    def _update(self) -> None:
        pts = self.current()
        if len(pts) == 0:
            self.cancel()
            return
        self._items()
        path = QtGui.QPainterPath()
        path.moveTo(*pts[0])
        for x, y in pts[1:]:
            path.lineTo(x, y)
        if len(pts) >= 3:
            path.closeSubpath()
        self.line.setPath(path)
        self.text = measure_text(pts, self.lang())
        self.label.setText(self.text)
        self.label.setPos(*pts[-1])
        self._report()

    def _report(self) -> None:
        gis = getattr(self.host, "gis_tools", None)
        if gis is not None:
            gis.show_measure(self.text)

    def click(self, ev) -> bool:
        if ev.button() != QtCore.Qt.MouseButton.LeftButton:
            return False
        self.add_point(*self.map_pos(ev), finish=ev.double())
        return True

    def add_point(self, x: float, y: float, finish: bool = False) -> None:
        """Add a point (a click); ``finish`` ends the measurement there (a double-click)."""
        if self.finished:
            self.cancel()
        if not (
            self.points
            and finish
            and np.hypot(x - self.points[-1][0], y - self.points[-1][1]) <= 6 * self.canvas.m_per_px()
        ):
            self.points.append((float(x), float(y)))
        self.finished = bool(finish)
        self.cursor_pos = None if finish else (float(x), float(y))
        self._update()

    def drag(self, ev) -> bool:
        return False  # drags pan

    def move(self, x, y) -> None:
        if self.points and not self.finished:
            self.cursor_pos = (x, y)
            self._update()

    def key(self, key) -> bool:
        if key == QtCore.Qt.Key.Key_Escape and (self.points or self.text):
            self.cancel()
            return True
        if key == QtCore.Qt.Key.Key_Backspace and self.points and not self.finished:
            self.points.pop()
            self._update()
            return True
        return False
