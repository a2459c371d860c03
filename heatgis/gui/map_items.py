"""The map canvas's graphics items: the layers rendered into cached images in stacks (``BaseMapItem``),
the locked sites and the selection (``HighlightItem``) and the plan overlays (``OverlayItem``), drawn
live above them. ``MapCanvas`` (``map_canvas.py``) holds them in its view box."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from heatgis.render.batches import is_raster, merge_boxes
from heatgis.render.layers import ViewContext

if TYPE_CHECKING:
    from heatgis.gui.map_canvas import MapCanvas


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
    """The visible layers, rendered into images with a margin around the view, in stacks.

    The layers are cut into stacks before each time-dependent one (the lockdown zones) and after
    it: the basemap and the layers below the zones (districts, compounds, roads, pipes) are one
    image; the zones are drawn over a copy of it; the sites above them are a sheet (``is_sheet``),
    drawn once on a transparent image and laid over the zones' image. The images are reused while
    the scale, the device size and the style (``invalidate``) stay the same and the view stays
    inside them: a pan frame costs one blit. ``refresh`` (a time step, other locked sites, a plan
    arriving) places the labels again and renders only the stacks whose layers or labels changed:
    a step that brings zones into force draws the zones and what lies above them over the cached
    image below, only around the zones that changed and the labels that moved (a clip region);
    a step that changes neither draws nothing. Every stack is drawn by
    ``MapRenderer.render`` with the labels placed on the whole map, so the top image is, pixel for
    pixel, the renderer's drawing of the whole map. Non-raster targets (printing the view, SVG) are
    drawn directly.
    """

    MARGIN = 0.3  # of the view's width/height on each side
    #: the open's worker's render of the first frame (``first_map.FirstMap``), until a frame is made
    first_map = None

    def __init__(self, canvas: MapCanvas):
        super().__init__(canvas, "__base__")
        self.version = 0
        self._frame = None  # (key, world QRectF, image width, height, device pixel ratio)
        self._stacks: list = []  # [(key, QImage)], the bottom stack first; the last is shown
        self._dirty = True
        self.renders = 0  # how many times every stack was rendered, from the bottom (tests, benchmarks)
        self.partial_renders = 0  # ... only stacks above the bottom one, over its cached image
        self.clipped_renders = 0  # stacks drawn again only where they changed
        self.sheet_renders = 0  # sheets (the sites above the zones) drawn whole
        self.adopted = 0  # frames whose stacks the open's worker rendered (``adopt``)

    def invalidate(self) -> None:
        """Render every stack again (a style, language or layer change)."""
        self.version += 1
        self._frame = None
        self._stacks = []
        self.first_map = None
        self.update()

    def refresh(self) -> None:
        """The time, the locked sites or the plans changed: render again the stacks that changed with them."""
        self._dirty = True
        # the whole view is painted again (the items above it with it): an item's own update() reaches
        # the view only once the scene has processed it, after this paint, and painted the map twice
        self.canvas.viewport().update()

    def paint(self, painter, *args) -> None:
        s = self.canvas.session
        if s is None:
            return
        ctx = painter_context(painter, self.canvas)
        if not self.canvas.cache_enabled or not is_raster(painter):
            painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, self.canvas.antialias)
            r = s.renderer
            r.draw(painter, ctx, labels=r.layout_labels(painter, ctx), highlight=False, overlays=False)
            return
        t = painter.worldTransform()
        dev = painter.device()
        dpr = dev.devicePixelRatioF() if hasattr(dev, "devicePixelRatioF") else 1.0
        key = (self.version, t.m11(), t.m12(), t.m21(), t.m22(), self.canvas.antialias, dev.width(), dev.height(), dpr)
        x0, y0, x1, y1 = ctx.extent
        view = QtCore.QRectF(QtCore.QPointF(x0, y0), QtCore.QPointF(x1, y1))
        f = self._frame
        if f is None or f[0] != key or not f[1].contains(view):
            self._frame = (key, *self._margin(t, dev.width(), dev.height(), dpr))
            self._stacks = []
            self._adopt(t, dev.width(), dev.height(), dpr)
        if self._dirty or not self._stacks:
            self._update()
        world, image = self._frame[1], self._stacks[-1][1]
        corner = t.map(QtCore.QPointF(world.left(), world.bottom()))  # the image's top left (y is up)
        painter.save()
        painter.resetTransform()
        painter.drawImage(QtCore.QPointF(round(corner.x()), round(corner.y())), image)
        painter.restore()

    def _adopt(self, t: QtGui.QTransform, w: int, h: int, dpr: float) -> None:
        """A new frame: the stacks the open's worker rendered, when they were made for it (``_update``
        then renders again only the stacks whose layers or labels differ, as for a cached frame)."""
        pre, self.first_map = self.first_map, None
        if pre is not None and pre.matches(self.canvas.session.renderer, t, w, h, dpr, self.canvas.antialias):
            self._stacks = pre._stacks
            self.adopted += 1

    def _margin(self, t: QtGui.QTransform, w: int, h: int, dpr: float):
        """The world rectangle and size of an image of the view with a margin around it."""
        mx, my = round(w * self.MARGIN), round(h * self.MARGIN)
        W, H = w + 2 * mx, h + 2 * my
        into = t * QtGui.QTransform.fromTranslate(mx, my)
        world = into.inverted()[0].mapRect(QtCore.QRectF(0, 0, W, H))
        return world, W, H, dpr

    def image_frame(self):
        """(world extent, QRectF of the image): what the stacks are rendered with (a test
        compares the top image with one render of every layer)."""
        _, world, W, H, _ = self._frame
        return (world.left(), world.top(), world.right(), world.bottom()), QtCore.QRectF(0, 0, W, H)

    def new_image(self) -> QtGui.QImage:
        _, _, W, H, dpr = self._frame
        image = QtGui.QImage(round(W * dpr), round(H * dpr), QtGui.QImage.Format.Format_RGB32)
        image.setDevicePixelRatio(dpr)
        image.fill(QtGui.QColor(self.canvas.session.renderer.style.background))
        return image

    def begin(self, image: QtGui.QImage) -> QtGui.QPainter:
        """A painter on ``image`` with the canvas's render hints."""
        p = QtGui.QPainter(image)
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, self.canvas.antialias)
        p.setRenderHint(QtGui.QPainter.RenderHint.TextAntialiasing, True)
        return p

    def stacks(self) -> list[list[str]]:
        """The layers of each stack, bottom up (the first holds the basemap): a stack begins at each
        time-dependent layer and at the first layer after one (the sites above the zones: a sheet)."""
        r = self.canvas.session.renderer
        out: list[list[str]] = [[r.BASEMAP]]
        after = False  # the layer before was time-dependent
        for name, p in r.visible_painters():
            if p.time_dependent or after:
                out.append([])
            out[-1].append(name)
            after = p.time_dependent
        return out

    def is_sheet(self, names: list[str]) -> bool:
        """A stack above the bottom one whose layers do not change with time: drawn once on a
        transparent image and laid over the stack below (a time step draws no site again)."""
        r = self.canvas.session.renderer
        q = r.painter(names[0]) if names[0] != r.BASEMAP else None
        return q is not None and not q.time_dependent

    def new_sheet(self) -> QtGui.QImage:
        _, _, W, H, dpr = self._frame
        image = QtGui.QImage(round(W * dpr), round(H * dpr), QtGui.QImage.Format.Format_ARGB32_Premultiplied)
        image.setDevicePixelRatio(dpr)
        image.fill(QtCore.Qt.GlobalColor.transparent)
        return image

    #: a stack changed over more than this share of its image is rendered whole
    WHOLE_SHARE = 0.35
    #: device pixels around a changed zone's bounds (its outline, hatching, mark) and a moved label
    ZONE_PAD_PX, LABEL_PAD_PX = 16, 4
    #: what one more clipped drawing costs, as an area (device px²): changed places nearer than that
    #: are drawn as one box (``merge_boxes``)
    CLIP_SLACK_PX2 = 256.0 * 256.0

    def _update(self) -> None:
        """Place the labels on the whole image, then render the stacks from the lowest one whose
        layers' state or labels changed."""
        r = self.canvas.session.renderer
        extent, rect = self.image_frame()
        first_image = self._stacks[0][1] if self._stacks else self.new_image()
        p = self.begin(first_image)  # the labels are measured on the device they are drawn on
        ctx, transform = r.view_context(extent, rect)
        p.setWorldTransform(transform)
        placed = r.layout_labels(p, ctx)
        p.end()
        stacks = self.stacks()
        keys = []
        for names in stacks:
            ps = [(n, r.painter(n)) for n in names]
            keys.append(
                (
                    tuple((n, q.state() if q is not None else None) for n, q in ps),
                    tuple(tuple(placed.get(n, ())) for n in names),
                )
            )
        first = 0
        while first < min(len(keys), len(self._stacks)) and self._stacks[first][0] == keys[first]:
            first += 1
        self._dirty = False
        if first == len(keys) and len(self._stacks) == len(keys):
            return  # nothing drawn changed
        self._render(first, stacks, keys, placed, first_image, transform)

    def _changed(self, i: int, key, transform: QtGui.QTransform) -> list | None:
        """Where stack ``i`` now differs from its image (device pixels: boxes around the zones that
        came into force or ended and the labels that moved; []: nowhere); None when unknown (then it
        is rendered whole). The bottom stack's layers do not change with time: only its labels may
        move (a locked site's ring took a district's place), and it is drawn again around them."""
        if i >= len(self._stacks):
            return None
        old = self._stacks[i][0]
        if [n for n, _ in old[0]] != [n for n, _ in key[0]]:
            return None
        r = self.canvas.session.renderer
        out = []
        zp, lp = self.ZONE_PAD_PX, self.LABEL_PAD_PX
        for (name, was), before, now in zip(old[0], old[1], key[1]):
            q = r.painter(name)
            bounds = q.changed_bounds(was) if q is not None else (None if was is not None else ())
            if bounds is None:
                return None
            for x0, y0, x1, y1 in bounds:
                box = transform.mapRect(QtCore.QRectF(QtCore.QPointF(x0, y0), QtCore.QPointF(x1, y1)))
                out.append(box.adjusted(-zp, -zp, zp, zp))
            for x, y, w, h, _ in set(before) ^ set(now):
                out.append(QtCore.QRectF(x - lp, y - h / 2 - lp, w + 2 * lp, h + 2 * lp))
        return out

    def _clips(self, boxes: list, rect: QtCore.QRectF) -> list | None:
        """The changed boxes merged into a few whole-pixel clips inside the image (None: so much
        changed that the stack is rendered whole)."""
        boxes = [b.intersected(rect) for b in boxes]
        boxes = [(b.left(), b.top(), b.right(), b.bottom()) for b in boxes if not b.isEmpty()]
        if not boxes:
            return []
        out = []
        for x0, y0, x1, y1 in merge_boxes(boxes, self.CLIP_SLACK_PX2):
            out.append(QtCore.QRectF(QtCore.QRectF(QtCore.QPointF(x0, y0), QtCore.QPointF(x1, y1)).toAlignedRect()))
        if sum(c.width() * c.height() for c in out) > self.WHOLE_SHARE * rect.width() * rect.height():
            return None
        return out

    def _render(self, first: int, stacks, keys, placed: dict, first_image: QtGui.QImage, transform) -> None:
        """Render the stacks from ``first`` up, each over a copy of the image below it; a stack that
        changed in small parts only (a few zones, a few labels) is drawn again there, in its image,
        one clipped drawing per cluster of changed places. A sheet (``is_sheet``) keeps its own
        transparent drawing, drawn again only where its layers or labels changed, and is laid over
        the stack below wherever either changed."""
        extent, rect = self.image_frame()
        out = self._stacks[:first]
        below = None  # where the stack below changed (device boxes; None: everywhere)
        whole = False  # the bottom stack rendered whole
        for i in range(first, len(stacks)):
            own = self._changed(i, keys[i], transform)
            sheet = None
            if i > 0 and self.is_sheet(stacks[i]):
                old = self._stacks[i][2] if i < len(self._stacks) else None
                sheet, own = self._draw_sheet(old, own, stacks[i], placed, extent, rect)
            boxes = own
            if boxes is not None and i > first:
                boxes = None if below is None else boxes + below
            clips = self._clips(boxes, rect) if boxes is not None else None
            if clips is None:
                if i == 0:  # the image the labels were measured on, unless it holds the stack already
                    image = self.new_image() if self._stacks else first_image
                else:
                    image = out[-1][1].copy()
                targets = [None]
            else:
                image = self._stacks[i][1]  # drawn again in place, where it changed
                targets = clips
            if targets:
                p = self.begin(image)
                for clip in targets:
                    self._draw_stack(p, i, clip, out, sheet, stacks[i], placed, extent, rect)
                p.end()
                if clips:
                    self.clipped_renders += 1
            out.append((keys[i], image, sheet))
            below = clips
            whole = whole or (i == 0 and clips is None)
        self._stacks = out
        if whole:
            self.renders += 1
        else:
            self.partial_renders += 1

    def _draw_sheet(self, old, own, names, placed, extent, rect):
        """A sheet's transparent drawing, made again where its layers or labels changed (``own``:
        device boxes; None: everywhere, or no drawing yet). Returns it and where it changed."""
        clips = self._clips(own, rect) if own is not None and old is not None else None
        if clips == []:
            return old, own
        sheet = old if clips is not None else self.new_sheet()
        self.sheet_renders += clips is None
        p = self.begin(sheet)
        for clip in clips if clips is not None else [None]:
            if clip is not None:  # cleared there, then drawn again there
                p.setCompositionMode(QtGui.QPainter.CompositionMode.CompositionMode_Clear)
                p.fillRect(clip, QtCore.Qt.GlobalColor.transparent)
                p.setCompositionMode(QtGui.QPainter.CompositionMode.CompositionMode_SourceOver)
            self._draw_layers(p, names, placed, extent, rect, clip)
        p.end()
        return sheet, (own if clips is not None else None)

    def _draw_stack(self, p, i: int, clip, out, sheet, names, placed, extent, rect) -> None:
        """Stack ``i`` into its image (``p``), whole or in ``clip``: over the stack below (in the
        image already when whole), its layers or its sheet."""
        if clip is not None and i == 0:  # the bottom stack there: the background, its layers
            p.fillRect(clip, QtGui.QColor(self.canvas.session.renderer.style.background))
        elif clip is not None:  # the stack below there, then this stack's layers
            p.save()
            p.setClipRect(clip)
            p.setCompositionMode(QtGui.QPainter.CompositionMode.CompositionMode_Source)
            p.drawImage(QtCore.QPointF(0, 0), out[-1][1])
            p.restore()
        if sheet is None:
            self._draw_layers(p, names, placed, extent, rect, clip)
            return
        p.save()
        if clip is not None:
            p.setClipRect(clip)
        p.drawImage(QtCore.QPointF(0, 0), sheet)
        p.restore()

    def _draw_layers(self, p, names, placed, extent, rect, clip) -> None:
        self.canvas.session.renderer.render(
            p,
            extent,
            rect,
            scale_bar=False,
            background=False,  # the first image comes filled with the background
            layers=names,
            highlight=False,
            overlays=False,
            labels=placed,
            clip=clip,
        )


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
