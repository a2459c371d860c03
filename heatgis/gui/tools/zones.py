"""Zone tools: draw a lockdown zone vertex by vertex; edit one by dragging its vertices.

Draw: click to add vertices, double-click ends (at least three), Esc cancels;
the host then asks for name, level, start and end and pushes ``AddZone``.
Edit: click a zone to select it (its vertices show as handles), drag a handle
to move it (``EditZoneGeometry`` when released), Delete removes the zone
(``DeleteZone``), double-click opens its attributes (``SetZoneAttributes``).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import shapely
from PySide6 import QtCore, QtGui, QtWidgets

from heatgis.gui.tools.base import PICK_PX, MapTool
from heatgis.model.commands import DeleteZone, EditZoneGeometry

ZONES = "lockdown_zones"


def _preview_item(color="#d62728") -> QtWidgets.QGraphicsPathItem:
    item = QtWidgets.QGraphicsPathItem()
    pen = QtGui.QPen(QtGui.QColor(color), 2.0)
    pen.setCosmetic(True)
    item.setPen(pen)
    c = QtGui.QColor(color)
    c.setAlpha(50)
    item.setBrush(c)
    item.setZValue(3000)
    return item


def _path(coords, cursor=None, closed=False) -> QtGui.QPainterPath:
    path = QtGui.QPainterPath()
    pts = list(coords) + ([cursor] if cursor is not None else [])
    if not pts:
        return path
    path.moveTo(*pts[0])
    for p in pts[1:]:
        path.lineTo(*p)
    if closed and len(pts) > 2:
        path.closeSubpath()
    return path


class DrawZoneTool(MapTool):
    """Click vertices, double-click to finish, Esc to cancel."""

    name = "draw_zone"
    cursor = QtCore.Qt.CursorShape.CrossCursor

    def __init__(self, canvas, host):
        super().__init__(canvas, host)
        self.vertices: list[tuple[float, float]] = []
        self.preview = None
        self.cursor_pos = None

    def activate(self) -> None:
        self.cancel()

    def deactivate(self) -> None:
        self.cancel()

    def cancel(self) -> None:
        self.vertices = []
        self.cursor_pos = None
        if self.preview is not None:
            self.canvas.vb.removeItem(self.preview)
            self.preview = None
        if self.session is not None:
            self.session.sketch(None)

    def _update(self) -> None:
        if self.preview is None:
            self.preview = _preview_item()
            self.canvas.vb.addItem(self.preview, ignoreBounds=True)
        self.preview.setPath(_path(self.vertices, self.cursor_pos, closed=True))
        self._sketch()

    def _sketch(self) -> None:
        """The live figures follow the pointer: the polygon so far, closed through the cursor."""
        pts = list(self.vertices) + ([self.cursor_pos] if self.cursor_pos is not None else [])
        if self.session is None or len(pts) < 3:
            return
        poly = shapely.Polygon(pts)
        if not poly.is_valid:
            poly = shapely.make_valid(poly)
        self.session.sketch(poly)

    def click(self, ev) -> bool:
        if ev.button() != QtCore.Qt.MouseButton.LeftButton:
            return False
        x, y = self.map_pos(ev)
        if ev.double():
            tol = PICK_PX * self.canvas.m_per_px()
            if not self.vertices or np.hypot(x - self.vertices[-1][0], y - self.vertices[-1][1]) > tol:
                self.vertices.append((x, y))
            self.finish()
        else:
            self.vertices.append((x, y))
            self._update()
        return True

    def drag(self, ev) -> bool:
        return False  # drags still pan while drawing

    def move(self, x, y) -> None:
        if self.vertices:
            self.cursor_pos = (x, y)
            self._update()

    def key(self, key) -> bool:
        if key == QtCore.Qt.Key.Key_Escape and self.vertices:
            self.cancel()
            return True
        if key == QtCore.Qt.Key.Key_Backspace and self.vertices:
            self.vertices.pop()
            self._update()
            return True
        return False

    def finish(self) -> None:
        verts = self.vertices
        self.cancel()
        if len(verts) < 3:
            self.host.show_message(
                QtCore.QCoreApplication.translate("DrawZoneTool", "A zone needs at least three vertices.")
            )
            return
        poly = shapely.Polygon(verts)
        if not poly.is_valid:
            poly = shapely.make_valid(poly)
            parts = [p for p in shapely.get_parts(poly) if p.geom_type == "Polygon"]
            poly = max(parts, key=lambda p: p.area) if parts else shapely.Polygon()
        self.host.create_zone(poly)


class EditZoneTool(MapTool):
    """Select a zone, drag its vertices, Delete to remove it, double-click for its form."""

    name = "edit_zone"
    cursor = QtCore.Qt.CursorShape.PointingHandCursor

    def __init__(self, canvas, host):
        super().__init__(canvas, host)
        self.zone_id: str | None = None
        self.handles = None
        self.preview = None
        self._drag_vertex: int | None = None
        self._coords: np.ndarray | None = None
        self._drag_zone: tuple[list, str] = ([], "sealed")  # the dragged zone's holes and level

    _bound = None

    def activate(self) -> None:
        if self.session is not None:
            self.session.layerChanged.connect(self._zones_changed)
            self._bound = self.session

    def deactivate(self) -> None:
        if self._bound is not None:
            try:
                self._bound.layerChanged.disconnect(self._zones_changed)
            except (RuntimeError, TypeError):
                pass
            self._bound = None
        if self.session is not None and self.zone_id is not None and self.zone_id in self._ids():
            self.set_zone(None)
        else:
            self.zone_id = None
            if self.handles is not None:
                self.canvas.vb.removeItem(self.handles)
                self.handles = None

    def _zones_changed(self, name) -> None:
        if name == ZONES:
            self.set_zone(self.zone_id if self.zone_id in self._ids() else None)

    def _ids(self) -> list[str]:
        return list(self.session.project.layer(ZONES)["zone_id"].astype(str))

    def _geom(self, zone_id):
        z = self.session.project.layer(ZONES)
        return z.geometry.iloc[self._ids().index(zone_id)]

    def set_zone(self, zone_id: str | None) -> None:
        """Select the zone whose vertices can be dragged (None: none)."""
        self.zone_id = zone_id
        vb = self.canvas.vb
        if zone_id is None:
            if self.handles is not None:
                vb.removeItem(self.handles)
                self.handles = None
            return
        ring = self._ring(self._geom(zone_id))
        if self.handles is None:
            self.handles = pg.ScatterPlotItem(
                size=9, symbol="s", pen=pg.mkPen("#8b0000", width=1.5), brush=pg.mkBrush("#ffffff"), pxMode=True
            )
            self.handles.setZValue(3001)
            vb.addItem(self.handles, ignoreBounds=True)
        self.handles.setData(ring[:-1, 0], ring[:-1, 1])
        rows = np.flatnonzero(np.array(self._ids()) == zone_id)
        self.session.select(ZONES, rows)

    @staticmethod
    def _ring(geom) -> np.ndarray:
        if geom.geom_type == "MultiPolygon":
            geom = max(geom.geoms, key=lambda g: g.area)
        return np.asarray(geom.exterior.coords)

    def vertices(self) -> np.ndarray:
        """The selected zone's outer ring without the closing vertex."""
        return self._ring(self._geom(self.zone_id))[:-1] if self.zone_id else np.zeros((0, 2))

    def click(self, ev) -> bool:
        if ev.button() != QtCore.Qt.MouseButton.LeftButton:
            return False
        x, y = self.map_pos(ev)
        hit = self.pick(x, y, layers=[ZONES])
        if hit is None:
            self.set_zone(None)
            self.session.select("", [])
            return True
        zid = self._ids()[hit[1]]
        self.set_zone(zid)
        if ev.double():
            self.host.edit_zone_attributes(zid)
        return True

    def drag(self, ev) -> bool:
        if ev.button() != QtCore.Qt.MouseButton.LeftButton or self.zone_id is None:
            return False
        vb = self.canvas.vb
        if ev.isStart():
            p = vb.mapSceneToView(ev.buttonDownScenePos())
            verts = self.vertices()
            d = np.hypot(verts[:, 0] - p.x(), verts[:, 1] - p.y())
            k = int(np.argmin(d)) if len(d) else -1
            if k < 0 or d[k] > PICK_PX * 1.5 * self.canvas.m_per_px():
                self._drag_vertex = None
                return False  # not on a vertex: pan
            self._drag_vertex = k
            self._coords = verts.copy()
            geom = self._geom(self.zone_id)
            zones = self.session.project.layer(ZONES)
            level = zones["level"].to_numpy()[zones["zone_id"].astype(str).to_numpy() == self.zone_id]
            self._drag_zone = (
                [r.coords for r in geom.interiors] if geom.geom_type == "Polygon" else [],
                str(level[0]) if len(level) else "sealed",
            )
            self.preview = _preview_item("#8b0000")
            vb.addItem(self.preview, ignoreBounds=True)
        if self._drag_vertex is None:
            return False
        p = vb.mapSceneToView(ev.scenePos())
        self._coords[self._drag_vertex] = (p.x(), p.y())
        self.preview.setPath(_path([tuple(c) for c in self._coords], closed=True))
        if ev.isFinish():
            vb.removeItem(self.preview)
            self.preview = None
            k, self._drag_vertex = self._drag_vertex, None
            self.session.sketch(None)
            self.move_vertex(k, *self._coords[k])
        else:
            self._sketch_drag()
        return True

    def _sketch_drag(self) -> None:
        """The live figures follow the dragged vertex (the zone as it would be, holes kept)."""
        holes, level = self._drag_zone
        poly = shapely.Polygon(self._coords, holes)
        if not poly.is_valid:
            poly = shapely.make_valid(poly)
        self.session.sketch(poly, level, replace=self.zone_id)

    def move_vertex(self, index: int, x: float, y: float) -> None:
        """Move vertex ``index`` of the selected zone's outer ring (an undoable command)."""
        geom = self._geom(self.zone_id)
        verts = self.vertices().copy()
        verts[index] = (x, y)
        poly = shapely.Polygon(verts)
        if geom.geom_type == "Polygon" and len(geom.interiors):
            poly = shapely.Polygon(verts, [r.coords for r in geom.interiors])
        self.host.run_command(EditZoneGeometry(self.zone_id, poly, geom))

    def key(self, key) -> bool:
        if key in (QtCore.Qt.Key.Key_Delete, QtCore.Qt.Key.Key_Backspace) and self.zone_id:
            zid = self.zone_id
            self.set_zone(None)
            self.host.run_command(DeleteZone(zid))
            return True
        if key == QtCore.Qt.Key.Key_Escape and self.zone_id:
            self.set_zone(None)
            return True
        return False
