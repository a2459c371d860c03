"""The map canvas: a pyqtgraph ViewBox in project CRS metres.

The layers are painted by the shared renderer (``heatgis.render``: batched, tiled
paths per layer, never one item per feature) into cached images a little larger
than the view (``map_items.BaseMapItem``), as QGIS's map canvas does: panning blits the
image, a zoom or a style change renders it again; a time step renders only the
zones, over the cached image of the layers below, and lays the cached sheet of
the sites above them over that.
Locked-site rings, the selection and the plan overlays are drawn live above it.
Mouse interaction is delegated to the current map tool (``gui/tools``); the
ViewBox keeps wheel zoom and, for the pan tool, drag panning.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6 import QtCore, QtGui

from heatgis.gui.map_items import BaseMapItem, HighlightItem, OverlayItem
from heatgis.render.context import ViewContext
from heatgis.render.mapdraw import MapRenderer, draw_scale_bar
from heatgis.render.overlays import draw_overlay_legend


class MapViewBox(pg.ViewBox):
    """A ViewBox that hands clicks and drags to the current map tool first."""

    def __init__(self, canvas: MapCanvas):
        super().__init__(lockAspect=True, enableMenu=False)
        self.canvas = canvas

    def mouseClickEvent(self, ev) -> None:
        tool = self.canvas.tool
        if tool is not None and tool.click(ev):
            ev.accept()
            return
        super().mouseClickEvent(ev)

    def mouseDragEvent(self, ev, axis=None) -> None:
        tool = self.canvas.tool
        if tool is not None and tool.drag(ev):
            ev.accept()
            return
        super().mouseDragEvent(ev, axis)


class MapCanvas(pg.GraphicsView):
    """The map widget.

    Signals
    -------
    cursorMoved(float, float)
        Map coordinates under the mouse (metres, project CRS).
    scaleChanged(float)
        Metres per pixel after a zoom.
    """

    cursorMoved = QtCore.Signal(float, float)
    scaleChanged = QtCore.Signal(float)
    painted = QtCore.Signal()  # after each paint of the viewport

    def __init__(self, parent=None):
        super().__init__(parent, background=None)
        self.session = None
        self.tool = None
        self.antialias = True
        self.vb = MapViewBox(self)
        self.vb.invertY(False)
        self.setCentralItem(self.vb)
        self.cache_enabled = True  # pan by blitting the rendered map (see BaseMapItem)
        self.base = BaseMapItem(self)
        self.highlight = HighlightItem(self, "__highlight__")
        self.overlay_item = OverlayItem(self, "__overlays__")
        self.show_overlay_legend = True
        self.setMouseTracking(True)
        self.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)
        self.scene().sigMouseMoved.connect(self._mouse_moved)
        self.vb.sigRangeChanged.connect(lambda *a: self.scaleChanged.emit(self.m_per_px()))

    # ---------------------------------------------------------------- binding
    def set_session(self, session, first_map=None) -> None:
        """Show ``session``'s map; ``first_map``: its first frame rendered by the open's worker."""
        for item in (self.base, self.highlight, self.overlay_item):
            if item.scene() is not None:
                self.vb.removeItem(item)
        self.session = session
        if session is None:
            return
        self.setBackground(QtGui.QColor(session.renderer.style.background))
        self.vb.addItem(self.base)
        self.vb.addItem(self.highlight)
        self.highlight.setZValue(1000)
        self.vb.addItem(self.overlay_item)
        self.overlay_item.setZValue(1001)
        session.overlaysChanged.connect(self.refresh_overlays)
        self.restyle()
        self.base.first_map = first_map
        session.layerChanged.connect(self._layer_changed)
        session.impactChanged.connect(self.refresh_highlights)
        session.timeChanged.connect(lambda *a: self.refresh_overlays())  # the zones; plans of another time hide
        session.selectionChanged.connect(lambda *a: self.highlight.update())
        self.refresh_highlights()
        self.zoom_full()

    def restyle(self) -> None:
        """Draw again after a change of layer visibility, order, colour or language."""
        if self.session is None:
            return
        self.base.invalidate()
        self.viewport().update()

    def _layer_changed(self, name: str) -> None:
        self.base.prepareGeometryChange()
        st = self.session.renderer.style.get(name) if self.session is not None else None
        if st is not None and st.kind == "zone":  # a zone edit: the zones and what lies above them
            self.base.refresh()
        else:
            self.base.invalidate()

    def refresh_highlights(self) -> None:
        if self.session is not None:
            self.session.renderer.highlight.set_locked(self.session.locked_xy())
            self.base.refresh()  # labels make room for the rings of the locked sites (the view with it)

    def refresh_overlays(self) -> None:
        self.base.refresh()  # labels make room for the status rings (drawn live above the map); the view with it

    def zoom_to_overlays(self, pad: float = 0.15) -> None:
        """Frame what the plan overlays show (the locked sites, the routes)."""
        if self.session is None:
            return
        bs = [o.bounds for o in self.session.renderer.overlays if getattr(o, "visible", True) and o.bounds]
        if bs:
            import numpy as np

            b = np.array(bs, float)
            self.zoom_to((b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max()), pad=pad)

    # ---------------------------------------------------------------- geometry
    def m_per_px(self) -> float:
        """Metres per screen pixel, from the ViewBox's current view-to-device mapping."""
        a = self.vb.mapViewToDevice(QtCore.QPointF(0, 0))
        b = self.vb.mapViewToDevice(QtCore.QPointF(1000, 0))
        if a is None or b is None:
            return 1.0
        d = ((b.x() - a.x()) ** 2 + (b.y() - a.y()) ** 2) ** 0.5
        return 1000.0 / d if d > 0 else 1.0

    def view_context(self) -> ViewContext:
        r = self.vb.viewRect()
        lang = self.session.renderer.style.lang if self.session is not None else "zh"
        return ViewContext((r.left(), r.top(), r.right(), r.bottom()), self.m_per_px(), lang)

    def full_rect(self) -> QtCore.QRectF:
        b = self.session.renderer.bounds() if self.session is not None else None
        if b is None:
            return QtCore.QRectF(0, 0, 1, 1)
        return QtCore.QRectF(b[0], b[1], b[2] - b[0], b[3] - b[1])

    def zoom_to(self, bounds, pad: float = 0.05, min_size: float = 300.0) -> None:
        if bounds is None:
            return
        x0, y0, x1, y1 = bounds
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        w, h = max(x1 - x0, min_size), max(y1 - y0, min_size)
        self.vb.setRange(xRange=(cx - w / 2, cx + w / 2), yRange=(cy - h / 2, cy + h / 2), padding=pad)

    def zoom_full(self) -> None:
        """The whole city (its streets, compounds and sites; districts reach far beyond)."""
        if self.session is not None:
            self.zoom_to(self.session.renderer.city_bounds(), pad=MapRenderer.FULL_PAD)

    def zoom_to_layer(self, layer: str) -> None:
        if self.session is not None:
            self.zoom_to(self.session.renderer.bounds([layer]))

    def zoom_to_selection(self) -> None:
        if self.session is not None:
            self.zoom_to(self.session.selection_bounds(), pad=0.3)

    def map_to_widget(self, x: float, y: float) -> QtCore.QPoint:
        """Viewport pixel position of a map coordinate (for tests and tools)."""
        scene = self.vb.mapViewToScene(QtCore.QPointF(x, y))
        return self.mapFromScene(scene)

    def widget_to_map(self, pos) -> tuple[float, float]:
        p = self.vb.mapSceneToView(self.mapToScene(pos))
        return p.x(), p.y()

    # ---------------------------------------------------------------- events
    def set_tool(self, tool) -> None:
        if self.tool is not None:
            self.tool.deactivate()
        self.tool = tool
        if tool is not None:
            tool.activate()
            self.viewport().setCursor(tool.cursor)

    def _mouse_moved(self, scene_pos) -> None:
        p = self.vb.mapSceneToView(scene_pos)
        self.cursorMoved.emit(p.x(), p.y())
        if self.tool is not None:
            self.tool.move(p.x(), p.y())

    def paintEvent(self, ev) -> None:
        super().paintEvent(ev)
        self.painted.emit()

    def keyPressEvent(self, ev) -> None:
        if self.tool is not None and self.tool.key(ev.key()):
            ev.accept()
            return
        super().keyPressEvent(ev)

    def drawForeground(self, painter, rect) -> None:
        super().drawForeground(painter, rect)
        if self.session is None:
            return
        painter.save()
        painter.resetTransform()
        vp = QtCore.QRectF(self.viewport().rect())
        draw_scale_bar(painter, vp, self.m_per_px(), self.session.renderer.style.lang)
        if self.show_overlay_legend:  # never over more than ~40% of the map's height (many crews)
            rows = max(3, int(vp.height() * 0.4 // 17))
            draw_overlay_legend(painter, vp, self.session.renderer.overlays, self.session.renderer.style.lang, rows)
        text = self.hidden_plans_text()
        if text:
            draw_banner(painter, vp, text)
        painter.restore()

    def hidden_plans_text(self) -> str:
        """The banner over the map naming the plans hidden because they were made for another time ("")."""
        hidden = self.session.hidden_plans() if self.session is not None else {}
        if not hidden:
            return ""
        names = {
            "staffing": self.tr("staffing plan"),
            "routes": self.tr("crew routes"),
            "dispatch": self.tr("dispatch"),
        }
        parts = [f"{names.get(n, n)} {span_text(*span)}" for n, span in hidden.items()]
        return self.tr("Plans for another time hidden: {0} (map at {1})").format(
            "; ".join(parts), f"{self.session.at:%m-%d %H:%M}"
        )


def span_text(start, end) -> str:
    """ "02-25 08:00" (one moment), "02-25 08:00–20:00" (one day), "02-25 08:00–02-26 08:00"."""
    if start == end:
        return f"{start:%m-%d %H:%M}"
    if start.normalize() == end.normalize():
        return f"{start:%m-%d %H:%M}–{end:%H:%M}"
    return f"{start:%m-%d %H:%M}–{end:%m-%d %H:%M}"


def draw_banner(painter: QtGui.QPainter, rect: QtCore.QRectF, text: str) -> QtCore.QRectF:
    """A grey banner at the top centre of ``rect`` (device coordinates); returns where it went."""
    font = QtGui.QFont(painter.font())
    font.setPointSizeF(9.5)
    font.setBold(True)
    painter.setFont(font)
    fm = QtGui.QFontMetricsF(font)
    w = min(fm.horizontalAdvance(text) + 24, rect.width() - 16)
    box = QtCore.QRectF(rect.center().x() - w / 2, rect.top() + 8, w, fm.height() + 12)
    painter.setPen(QtGui.QPen(QtGui.QColor("#5f6368"), 1))
    painter.setBrush(QtGui.QColor(240, 240, 240, 235))
    painter.drawRoundedRect(box, 4, 4)
    painter.setPen(QtGui.QColor("#3c4043"))
    painter.drawText(
        box.adjusted(8, 0, -8, 0),
        int(QtCore.Qt.AlignmentFlag.AlignCenter),
        fm.elidedText(text, QtCore.Qt.TextElideMode.ElideRight, box.width() - 16),
    )
    return box
