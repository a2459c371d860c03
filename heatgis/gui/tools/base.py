"""The map tool abstraction and the simple tools (pan, identify, box select).

A tool gets the canvas' mouse clicks and drags (pyqtgraph events, already in
scene coordinates), cursor moves in map coordinates and key presses; it returns
True when it handled the event. The ``host`` (the main window) gives access to
the project session and to dialogs.
"""

from __future__ import annotations

import numpy as np
import shapely
from PySide6 import QtCore, QtGui, QtWidgets

PICK_PX = 6.0  # how close (pixels) a click must be to a point or line to pick it


class MapTool:
    """Base class: does nothing, lets the ViewBox pan and zoom."""

    name = "tool"
    cursor = QtCore.Qt.CursorShape.ArrowCursor

    def __init__(self, canvas, host):
        self.canvas = canvas
        self.host = host

    @property
    def session(self):
        return self.canvas.session

    def map_pos(self, ev) -> tuple[float, float]:
        p = self.canvas.vb.mapSceneToView(ev.scenePos())
        return p.x(), p.y()

    def activate(self) -> None:
        pass

    def deactivate(self) -> None:
        pass

    def click(self, ev) -> bool:
        return False

    def drag(self, ev) -> bool:
        return False

    def move(self, x: float, y: float) -> None:
        pass

    def key(self, key) -> bool:
        return False

    def pick(self, x: float, y: float, layers=None):
        """The topmost visible feature at (x, y): (layer, row) or None."""
        s = self.session
        if s is None:
            return None
        tol = PICK_PX * self.canvas.m_per_px()
        for st in reversed(s.renderer.style.layers):
            if not st.visible or (layers is not None and st.layer not in layers):
                continue
            row = s.nearest(st.layer, x, y, tol)
            if row is not None:
                return st.layer, row
        return None


class PanTool(MapTool):
    """Drag to pan, wheel to zoom (the ViewBox does both)."""

    name = "pan"
    cursor = QtCore.Qt.CursorShape.OpenHandCursor


class IdentifyTool(MapTool):
    """Click a feature to see its attributes."""

    name = "identify"
    cursor = QtCore.Qt.CursorShape.WhatsThisCursor

    def click(self, ev) -> bool:
        if ev.button() != QtCore.Qt.MouseButton.LeftButton:
            return False
        hit = self.pick(*self.map_pos(ev))
        if hit is None:
            self.session.select("", [])
            self.host.show_identify(None, None)
        else:
            self.session.select(hit[0], [hit[1]])
            self.host.show_identify(*hit)
        return True


class SelectTool(MapTool):
    """Click or drag a box to select features of the current layer."""

    name = "select"
    cursor = QtCore.Qt.CursorShape.CrossCursor

    def __init__(self, canvas, host):
        super().__init__(canvas, host)
        self.band = None

    def click(self, ev) -> bool:
        if ev.button() != QtCore.Qt.MouseButton.LeftButton:
            return False
        layer = self.host.current_layer()
        hit = self.pick(*self.map_pos(ev), layers=[layer])
        self.session.select(layer, [hit[1]] if hit else [])
        return True

    def drag(self, ev) -> bool:
        if ev.button() != QtCore.Qt.MouseButton.LeftButton:
            return False
        vb = self.canvas.vb
        a = vb.mapSceneToView(ev.buttonDownScenePos())
        b = vb.mapSceneToView(ev.scenePos())
        rect = QtCore.QRectF(a, b).normalized()
        if self.band is None:
            self.band = QtWidgets.QGraphicsRectItem()
            pen = QtGui.QPen(QtGui.QColor("#00a0e0"), 1.5, QtCore.Qt.PenStyle.DashLine)
            pen.setCosmetic(True)
            self.band.setPen(pen)
            self.band.setBrush(QtGui.QColor(0, 160, 224, 40))
            self.band.setZValue(2000)
            vb.addItem(self.band, ignoreBounds=True)
        self.band.setRect(rect)
        if ev.isFinish():
            vb.removeItem(self.band)
            self.band = None
            self.select_box(rect.left(), rect.top(), rect.right(), rect.bottom())
        return True

    def select_box(self, x0, y0, x1, y1) -> np.ndarray:
        layer = self.host.current_layer()
        rows = self.session.features_at(layer, shapely.box(x0, y0, x1, y1))
        self.session.select(layer, rows)
        return rows
