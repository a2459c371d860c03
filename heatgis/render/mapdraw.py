"""The map as one drawing: ``MapRenderer(project, style, at).render(painter, extent, target_rect)``.

``MapRenderer`` is the renderer the screen, the PNG/PDF export and the slides share:
it keeps the prepared layer painters of one project (so repeated renders, panning,
printing several pages reuse them) and its ``render`` maps the extent (project CRS
metres) onto ``target_rect`` (device pixels or points) with the aspect kept, draws
the visible layers bottom to top, the highlights (locked sites, selection), its
overlays (plans) and, optionally, the scale bar.

``px`` is the device-pixel scale (device pixels per style pixel, see
``heatgis.render.layers``): 1 on screen, 1 in the 72-dpi PDF of the print
layout, dpi/72 in its PNG. The same renderer, style and overlays draw all three.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
from PySide6 import QtCore, QtGui

from heatgis.render.fonts import cjk_font
from heatgis.render.highlight import HighlightPainter
from heatgis.render.labels import place_labels
from heatgis.render.layers import LayerPainter, ViewContext, color, cosmetic_pen, make_painter
from heatgis.render.styles import LayerStyle, MapStyle, default_style


def style_for(project, lang: str = "zh") -> MapStyle:
    """The default style with the project's pipe networks coloured."""
    pipes = project.layer("pipes")
    nets = pipes["network_id"].astype(str).unique() if len(pipes) else ()
    return default_style(nets, lang)


class MapRenderer:
    """Prepared painters for the layers of one project.

    Parameters
    ----------
    project : Project
    style : MapStyle, optional
    at : Timestamp, optional
        The time the zones are shown at (active zones filled, others dashed).
    """

    def __init__(self, project, style: MapStyle | None = None, at=None):
        self.project = project
        self.style = style or style_for(project)
        self.at = at
        self.painters: dict[str, LayerPainter | None] = {}
        self.highlight = HighlightPainter()
        #: drawn after the highlights: objects with ``paint(painter, ctx)`` and ``visible``
        #: (``heatgis.render.overlays``: staffing status, crew routes, dispatch)
        self.overlays: list = []
        #: tiles drawn behind the layers (``heatgis.render.basemap.Basemap``; None: none)
        self.basemap = None
        self._own_fills: dict = {}

    #: fill opacity of area layers while a basemap shows (the districts' fill is opaque otherwise)
    BASEMAP_FILLS = {"districts": 0.0, "compounds": 0.3}

    def set_basemap(self, basemap) -> None:
        """Draw ``basemap`` behind the layers (None: none); opaque area fills turn see-through meanwhile."""
        self.basemap = basemap
        for name, alpha in self.BASEMAP_FILLS.items():
            st = self.style.get(name)
            if st is None:
                continue
            own = self._own_fills.setdefault(name, st.fill_alpha)
            st.fill_alpha = min(own, alpha) if basemap is not None else own

    def paint_basemap(self, painter: QtGui.QPainter, ctx: ViewContext) -> None:
        bm = self.basemap
        if bm is not None and getattr(bm, "visible", True):
            bm.paint(painter, ctx)

    def painter(self, layer: str) -> LayerPainter | None:
        if layer not in self.painters:
            st = self.style.get(layer)
            if st is None or not self.project.has(layer):
                self.painters[layer] = None
            else:
                self.painters[layer] = make_painter(
                    self.project.layer(layer), st, self.at if st.kind == "zone" else None
                )
        return self.painters[layer]

    def invalidate(self, layer: str) -> None:
        self.painters.pop(layer, None)

    def set_time(self, at) -> None:
        self.at = at
        p = self.painters.get("lockdown_zones")
        if p is not None:
            p.set_time(at)

    #: what "the whole city" frames (the districts reach far beyond): ``city_bounds``
    CITY_LAYERS = ("roads", "compounds", "stations", "boiler_rooms", "lockdown_zones")
    #: the margin around the whole city, a share of its size on each side (``MapCanvas.zoom_full``)
    FULL_PAD = 0.02

    def city_bounds(self):
        """The bounds of the city's streets, compounds, sites and zones (of every layer without them)."""
        return self.bounds(self.CITY_LAYERS) or self.bounds()

    def bounds(self, layers=None):
        bs = []
        for s in self.style.layers:
            if layers is not None and s.layer not in layers:
                continue
            p = self.painter(s.layer)
            if p is not None and p.bounds is not None:
                bs.append(p.bounds)
        if not bs:
            return None
        b = np.array(bs, float)
        return (b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max())

    #: stands for the basemap tiles in ``render(layers=...)`` / ``draw(layers=...)``
    BASEMAP = "__basemap__"
    #: style pixels around a ``render(clip=...)`` within which features are drawn (their symbols,
    #: outlines and marks may reach into it)
    CLIP_PAD_PX = 32.0

    def visible_painters(self) -> list[tuple[str, LayerPainter]]:
        """(layer, painter) of the visible layers, bottom to top."""
        out = []
        for s in self.style.layers:
            if s.visible:
                p = self.painter(s.layer)
                if p is not None:
                    out.append((s.layer, p))
        return out

    def view_context(self, extent, target_rect: QtCore.QRectF, px: float = 1.0, font_px: float | None = None):
        """The ``ViewContext`` and world transform ``render`` uses for ``extent`` in ``target_rect``."""
        if not (px > 0 and math.isfinite(px)):
            raise ValueError(f"px must be a positive number, not {px!r}")
        extent, transform, m_per_px = fit_extent(extent, target_rect)
        return ViewContext(extent, m_per_px, self.style.lang, float(px), font_px), transform

    def layout_labels(self, painter: QtGui.QPainter, ctx: ViewContext, reserved=(), overlays: bool = True) -> dict:
        """Place the labels of every visible layer for the drawing ``ctx`` (``painter`` carries its
        world transform and device), against one space, clear of the highlights, of the ``reserved``
        device rectangles and, when ``overlays``, of the overlays' marks. Returns ``ctx.placed``:
        layer -> [(x0, y0, w, h, text)] in device pixels, what ``draw(labels=...)`` takes."""
        drawn = [p for _, p in self.visible_painters()]
        place_labels(drawn, painter, ctx, self.highlight, reserved, self.overlays if overlays else ())
        return ctx.placed

    def draw(
        self,
        painter: QtGui.QPainter,
        ctx: ViewContext,
        layers=None,
        labels: dict | None = None,
        highlight: bool = True,
        overlays: bool = True,
        reserved=(),
    ) -> None:
        """Draw the map of ``ctx`` into ``painter``, whose world transform maps the project CRS to
        the device (``render`` sets it up; the canvas draws stacks of layers with it).

        Parameters
        ----------
        layers : iterable of str, optional
            Draw only these visible layers (``BASEMAP`` for the tiles), in the style's order;
            None: the basemap and every visible layer. Their labels are placed as on the whole map
            (``labels``), so a drawing of some layers over a drawing of the others gives the
            pixels of the whole map.
        labels : dict, optional
            Labels already placed (``layout_labels``); default: placed now over every visible layer.
        highlight, overlays : bool
            Draw the highlights (locked sites, selection) and ``self.overlays`` (plans) after the layers.
        reserved : iterable of QRectF
            Device rectangles the labels keep clear of (when placed now).
        """
        ctx.placed = labels if labels is not None else self.layout_labels(painter, ctx, reserved, overlays)
        keep = None if layers is None else set(layers)
        aa = painter.testRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        if keep is None or self.BASEMAP in keep:
            self.paint_basemap(painter, ctx)
        for name, p in self.visible_painters():
            if keep is None or name in keep:
                p.paint(painter, ctx)
                painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, aa)
        if highlight:
            self.highlight.paint(painter, ctx, covered=self.overlays if overlays else ())
        for o in self.overlays if overlays else ():
            if getattr(o, "visible", True):
                o.paint(painter, ctx)

    def render(
        self,
        painter: QtGui.QPainter,
        extent,
        target_rect: QtCore.QRectF,
        scale_bar: bool = True,
        background: bool = True,
        px: float = 1.0,
        font_px: float | None = None,
        overlays: bool = True,
        reserved=(),
        layers=None,
        highlight: bool = True,
        labels: dict | None = None,
        clip=None,
    ) -> ViewContext:
        """Draw the map of ``extent`` into ``target_rect``; returns the view context used.

        Parameters
        ----------
        painter : QPainter
        extent : tuple
            (x0, y0, x1, y1) in the project CRS; grown to the target's aspect.
        target_rect : QRectF
            Where, in device coordinates.
        scale_bar, background : bool
        px : float
            Device pixels per style pixel (1.0 on screen).
        font_px : float, optional
            Factor on label point sizes (default ``px``).
        overlays : bool
            Draw ``self.overlays`` (plans) after the highlights.
        reserved : iterable of QRectF
            Device rectangles that labels keep clear of (a print layout's north arrow, scale bar).
        layers, highlight, labels
            Some of the layers only, the highlights or not, labels placed before: see ``draw``.
        clip : QRectF, optional
            Draw only there (device coordinates), as the whole drawing has it there: the labels are
            placed on the whole target, the painters skip what lies away from the clip. The map
            canvas draws again the part of its image that a time step changed.
        """
        ctx, transform = self.view_context(extent, target_rect, px, font_px)
        painter.save()
        box = target_rect if clip is None else QtCore.QRectF(clip).intersected(target_rect)
        painter.setClipRect(box)
        if background:
            painter.fillRect(box, color(self.style.background))
        painter.setWorldTransform(transform)
        if labels is None:
            labels = self.layout_labels(painter, ctx, reserved, overlays)
        ctx.placed = labels
        seen = ctx
        if clip is not None:  # what reaches into the clip: features within a margin of it
            pad = self.CLIP_PAD_PX * px
            w = transform.inverted()[0].mapRect(box.adjusted(-pad, -pad, pad, pad))
            seen = replace(ctx, extent=(w.left(), w.top(), w.right(), w.bottom()), frame=ctx.extent)
        self.draw(painter, seen, layers, labels, highlight, overlays, reserved)
        painter.resetTransform()
        if scale_bar:
            draw_scale_bar(painter, target_rect, ctx.m_per_px, self.style.lang, px=px)
        painter.restore()
        return ctx


def fit_extent(extent, target_rect: QtCore.QRectF):
    """Grow ``extent`` to the target's aspect; return (extent, world transform, metres per px)."""
    x0, y0, x1, y1 = (float(v) for v in extent)
    w, h = max(x1 - x0, 1e-9), max(y1 - y0, 1e-9)
    tw, th = target_rect.width(), target_rect.height()
    m_per_px = max(w / tw, h / th)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half_w, half_h = tw * m_per_px / 2, th * m_per_px / 2
    extent = (cx - half_w, cy - half_h, cx + half_w, cy + half_h)
    s = 1.0 / m_per_px
    # world (x right, y up) -> device (x right, y down)
    transform = QtGui.QTransform(s, 0, 0, -s, target_rect.left() - extent[0] * s, target_rect.top() + extent[3] * s)
    return extent, transform, m_per_px


def nice_length(max_m: float) -> float:
    """The largest 1/2/5 x 10^k metres not above ``max_m``."""
    if max_m <= 0:
        return 0.0
    k = math.floor(math.log10(max_m))
    for m in (5, 2, 1):
        if m * 10**k <= max_m:
            return m * 10**k
    return 10**k


def draw_scale_bar(
    painter: QtGui.QPainter,
    rect: QtCore.QRectF,
    m_per_px: float,
    lang: str = "zh",
    max_px: float = 160.0,
    px: float = 1.0,
) -> float:
    """A black-and-white scale bar at the bottom left of ``rect`` (device coordinates).

    Parameters
    ----------
    m_per_px : float
        Metres per device pixel.
    max_px : float
        Longest bar, in style pixels.
    px : float
        Device pixels per style pixel.

    Returns
    -------
    float
        The length the bar shows, in metres.
    """
    length = nice_length(max_px * px * m_per_px)
    if length <= 0:
        return 0.0
    bar = length / m_per_px
    k = px
    x, y = rect.left() + 16 * k, rect.bottom() - 22 * k
    painter.save()
    painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, False)
    painter.fillRect(QtCore.QRectF(x - 6 * k, y - 20 * k, bar + 72 * k, 32 * k), QtGui.QColor(255, 255, 255, 190))
    half = bar / 2
    painter.fillRect(QtCore.QRectF(x, y, half, 5 * k), QtGui.QColor("#222222"))
    painter.fillRect(QtCore.QRectF(x + half, y, half, 5 * k), QtGui.QColor("#ffffff"))
    painter.setPen(QtGui.QPen(QtGui.QColor("#222222"), 1 * k))
    painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
    painter.drawRect(QtCore.QRectF(x, y, bar, 5 * k))
    painter.setFont(cjk_font(8.5 * k))
    label = f"{length / 1000:g} km" if length >= 1000 else f"{length:g} m"
    painter.drawText(QtCore.QPointF(x, y - 5 * k), "0")
    painter.drawText(QtCore.QPointF(x + bar - 8 * k, y - 5 * k), label)
    painter.restore()
    return length


def draw_swatch(
    painter: QtGui.QPainter, rect: QtCore.QRectF, style: LayerStyle, category=None, px: float = 1.0
) -> None:
    """The legend symbol of a layer (or of one of its categories), as drawn on the map.

    ``rect`` is in device coordinates; ``px`` is device pixels per style pixel
    (the sizes of ``style`` are style pixels, as on the map).
    """
    col = category.color if category is not None else style.color
    width = category.width if category is not None else style.width
    k = px
    painter.save()
    painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
    c = rect.center()
    if style.kind == "point":
        cap = QtCore.Qt.PenCapStyle.SquareCap if style.symbol == "square" else QtCore.Qt.PenCapStyle.RoundCap
        size = min(style.size * k, rect.height() - 2 * k)
        painter.setPen(cosmetic_pen("#ffffff", size + 2 * k, 0.9 * style.opacity, cap=cap))
        painter.drawPoint(c)
        painter.setPen(cosmetic_pen(col, size, style.opacity, cap=cap))
        painter.drawPoint(c)
    elif style.kind == "line":
        painter.setPen(cosmetic_pen(col, max(width, 1.5) * k, style.opacity))
        painter.drawLine(QtCore.QPointF(rect.left() + 2 * k, c.y()), QtCore.QPointF(rect.right() - 2 * k, c.y()))
    else:
        r = rect.adjusted(2 * k, 3 * k, -2 * k, -3 * k)
        fill = style.fill if style.kind == "polygon" else col
        painter.setPen(cosmetic_pen(col, max(width, 1.0) * k, style.opacity))
        painter.setBrush(color(fill or col, style.fill_alpha * style.opacity))
        painter.drawRect(r)
        if category is not None and category.hatched:
            painter.setPen(QtCore.Qt.PenStyle.NoPen)
            brush = QtGui.QBrush(color(col, 0.55), QtCore.Qt.BrushStyle.BDiagPattern)
            brush.setTransform(QtGui.QTransform.fromScale(k, k))  # the map's hatch spacing
            painter.setBrush(brush)
            painter.drawRect(r)
    painter.restore()
