"""The map canvas: a pyqtgraph ViewBox in project CRS metres.

The layers are painted by the shared renderer (``heatgis.render``: batched, tiled
paths per layer, never one item per feature) into one cached image a little larger
than the view (``BaseMapItem``), as QGIS's map canvas does: panning blits that
image, a zoom, an edit, a style or time change renders it again. Locked-site rings,
the selection and the plan overlays are drawn live above it.
Mouse interaction is delegated to the current map tool (``gui/tools``); the
ViewBox keeps wheel zoom and, for the pan tool, drag panning.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from heatgis.render.batches import is_raster
from heatgis.render.labels import place_labels
from heatgis.render.layers import ViewContext
from heatgis.render.mapdraw import draw_scale_bar
from heatgis.render.overlays import draw_overlay_legend


def painter_context(painter: QtGui.QPainter, canvas) -> ViewContext:
    """Extent and scale of what this painter really draws (its transform, its device)."""
    t = painter.worldTransform()
    inv, ok = t.inverted()
    dev = painter.device()
    r = inv.mapRect(QtCore.QRectF(0, 0, dev.width(), dev.height())) if ok else canvas.vb.viewRect()
    m = 1.0 / max((t.m11() ** 2 + t.m12() ** 2) ** 0.5, 1e-12)
    lang = canvas.session.renderer.style.lang if canvas.session is not None else "zh"
    return ViewContext((r.left(), r.top(), r.right(), r.bottom()), m, lang)


class LayerItem(pg.GraphicsObject):
    """Something drawn over the whole map by one painter of the renderer."""

    def __init__(self, canvas: MapCanvas, layer: str):
        super().__init__()
        self.canvas = canvas
        self.layer = layer
        self.setFlag(QtWidgets.QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, False)

    def painter(self):
        s = self.canvas.session
        return s.renderer.painter(self.layer) if s is not None else None

    def boundingRect(self) -> QtCore.QRectF:
        return self.canvas.full_rect()

    def paint(self, painter, *args) -> None:
        p = self.painter()
        if p is None:
            return
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, self.canvas.antialias)
        p.paint(painter, painter_context(painter, self.canvas))


class BaseMapItem(LayerItem):
    """All visible layers, rendered into one image with a margin around the view.

    The image is reused while the scale, the device size and the renderer's state
    (``invalidate``) stay the same and the view stays inside it: a pan frame costs
    one blit. Non-raster targets (printing the view, SVG) are drawn directly.
    """

    MARGIN = 0.3  # of the view's width/height on each side

    def __init__(self, canvas: MapCanvas):
        super().__init__(canvas, "__base__")
        self.version = 0
        self._cache = None  # (key, world QRectF, QImage)
        self.renders = 0  # how many times the image was rendered (tests, benchmarks)

    def invalidate(self) -> None:
        self.version += 1
        self._cache = None
        self.update()

    def paint(self, painter, *args) -> None:
        s = self.canvas.session
        if s is None:
            return
        ctx = painter_context(painter, self.canvas)
        if not self.canvas.cache_enabled or not is_raster(painter):
            painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, self.canvas.antialias)
            self._paint_layers(painter, ctx)
            return
        t = painter.worldTransform()
        dev = painter.device()
        dpr = dev.devicePixelRatioF() if hasattr(dev, "devicePixelRatioF") else 1.0
        key = (self.version, t.m11(), t.m12(), t.m21(), t.m22(), self.canvas.antialias, dev.width(), dev.height(), dpr)
        x0, y0, x1, y1 = ctx.extent
        view = QtCore.QRectF(QtCore.QPointF(x0, y0), QtCore.QPointF(x1, y1))
        c = self._cache
        if c is None or c[0] != key or not c[1].contains(view):
            c = self._cache = (key, *self._render(t, dev.width(), dev.height(), dpr, ctx))
        _, world, image = c
        corner = t.map(QtCore.QPointF(world.left(), world.bottom()))  # the image's top left (y is up)
        painter.save()
        painter.resetTransform()
        painter.drawImage(QtCore.QPointF(round(corner.x()), round(corner.y())), image)
        painter.restore()

    def _render(self, t: QtGui.QTransform, w: int, h: int, dpr: float, ctx: ViewContext):
        mx, my = round(w * self.MARGIN), round(h * self.MARGIN)
        W, H = w + 2 * mx, h + 2 * my
        image = QtGui.QImage(round(W * dpr), round(H * dpr), QtGui.QImage.Format.Format_RGB32)
        image.setDevicePixelRatio(dpr)
        image.fill(QtGui.QColor(self.canvas.session.renderer.style.background))
        into = t * QtGui.QTransform.fromTranslate(mx, my)
        world = into.inverted()[0].mapRect(QtCore.QRectF(0, 0, W, H))
        p = QtGui.QPainter(image)
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, self.canvas.antialias)
        p.setRenderHint(QtGui.QPainter.RenderHint.TextAntialiasing, True)
        p.setWorldTransform(into)
        self._paint_layers(
            p, ViewContext((world.left(), world.top(), world.right(), world.bottom()), ctx.m_per_px, ctx.lang)
        )
        p.end()
        self.renders += 1
        return world, image

    def _paint_layers(self, painter, ctx: ViewContext) -> None:
        r = self.canvas.session.renderer
        aa = painter.testRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        drawn = [p for p in (r.painter(st.layer) for st in r.style.layers if st.visible) if p is not None]
        place_labels(drawn, painter, ctx, r.highlight, overlays=r.overlays)  # one label space, as in print
        if getattr(r, "basemap", None) is not None:
            r.paint_basemap(painter, ctx)  # offline tiles behind the layers (heatgis.render.basemap)
        for lp in drawn:
            lp.paint(painter, ctx)
            painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, aa)


class HighlightItem(LayerItem):
    """Locked sites and the selection, above every layer."""

    def painter(self):
        s = self.canvas.session
        return s.renderer.highlight if s is not None else None

    def boundingRect(self) -> QtCore.QRectF:
        return self.canvas.full_rect()

    def paint(self, painter, *args) -> None:
        p = self.painter()
        if p is not None:
            painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
            p.paint(painter, painter_context(painter, self.canvas), covered=self.canvas.session.renderer.overlays)


class OverlayItem(HighlightItem):
    """The plan overlays of the renderer (staffing status, crew routes, dispatch), above everything."""

    def paint(self, painter, *args) -> None:
        s = self.canvas.session
        if s is None:
            return
        ctx = painter_context(painter, self.canvas)
        for o in s.renderer.overlays:
            if getattr(o, "visible", True):
                o.paint(painter, ctx)


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
    def set_session(self, session) -> None:
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
        session.layerChanged.connect(self._layer_changed)
        session.impactChanged.connect(self.refresh_highlights)
        session.timeChanged.connect(lambda *a: self.base.invalidate())
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
        self.base.invalidate()

    def refresh_highlights(self) -> None:
        if self.session is not None:
            self.session.renderer.highlight.set_locked(self.session.locked_xy())
            self.highlight.update()
            self.base.invalidate()  # zones drawn as they now are

    def refresh_overlays(self) -> None:
        self.base.invalidate()  # labels make room for the status rings
        self.overlay_item.update()
        self.viewport().update()

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

    CITY_LAYERS = ("roads", "compounds", "stations", "boiler_rooms", "lockdown_zones")

    def zoom_full(self) -> None:
        """The whole city (its streets, compounds and sites; districts reach far beyond)."""
        if self.session is not None:
            b = self.session.renderer.bounds(self.CITY_LAYERS) or self.session.renderer.bounds()
            self.zoom_to(b, pad=0.02)

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
        if self.show_overlay_legend:
            draw_overlay_legend(painter, vp, self.session.renderer.overlays, self.session.renderer.style.lang)
        painter.restore()
