"""Painting one layer: the same code draws on screen (a map item), into a QImage and a PDF.

``make_painter(frame, style, at)`` returns a ``LayerPainter`` for a contract
layer. Its ``paint(painter, ctx)`` draws into a QPainter whose world transform
maps the project CRS (metres) to device pixels; ``ctx`` (a ``ViewContext``)
carries the visible extent, the scale and the device-pixel scale ``px``.

Two kinds of pixel meet here. *Style pixels* are the units of ``styles.py``
(line widths, symbol and label sizes, label and visibility scales in metres per
style pixel); *device pixels* are what the painter draws (screen pixels, PDF
points, PNG pixels). ``ctx.px`` is device pixels per style pixel: 1 on screen,
1 in the 72-dpi PDF (a style pixel prints as a point), 300/72 in a 300-dpi PNG.
Every size drawn is ``style size * ctx.px``; every decision about *what* is
drawn (labels, road classes, dense outlines, crowded symbols) is taken on
``ctx.m_per_spx`` (metres per style pixel), so the PNG and the PDF of one page
show the same features; only the level of detail and the raster fast paths
depend on device pixels (``ctx.m_per_px``). Lines, outlines and symbols use
cosmetic pens; labels are drawn only past the layer's label scale and only for
features in view, in the CJK font.
"""

from __future__ import annotations

import itertools

import numpy as np
import shapely
from PySide6 import QtCore, QtGui

from heatgis.render.batches import (
    PathBatch,
    PointBatch,
    hairline_offsets,
    is_raster,
    square_points,
    stamp,
    symbol_path,
)
from heatgis.render.context import ViewContext, color, cosmetic_pen, to_device  # noqa: F401 (re-exported)
from heatgis.render.labels import Labels, _texts
from heatgis.render.qpath import feature_paths, points_xy, vertex_arrays
from heatgis.render.styles import LayerStyle

#: beyond this many metres per pixel (a whole region on screen) lines are drawn 1 px wide
OVERVIEW_M_PER_PX = 60.0
#: widest line (device px) drawn as shifted hairlines on raster devices; wider ones get a real pen
HAIRLINE_MAX_PX = 3.0

_SERIAL = itertools.count()
#: the sprites of the zones' marks and the sites' symbols (``batches.stamp``)
_SPRITES: dict = {}


class LayerPainter:
    """Base: one layer's prepared drawing."""

    #: what it draws changes with the time shown (the map canvas draws it, and the layers above it,
    #: again on a time step, over its image of the layers below)
    time_dependent = False

    def __init__(self, frame, style: LayerStyle):
        self.serial = next(_SERIAL)  # a new painter (the layer's data changed) draws something else
        self.style = style
        self.frame = frame
        self._labels: Labels | None = None
        self._make_labels = None
        self.bounds = None

    @property
    def labels(self) -> Labels | None:
        """The layer's labels, built on first use: their anchors (a point on every compound, the
        middle of every road) cost ~0.2 s on the demo and are not needed while labels are hidden."""
        if self._make_labels is not None:
            make, self._make_labels = self._make_labels, None
            self._labels = make()
        return self._labels

    @labels.setter
    def labels(self, value: Labels | None) -> None:
        self._labels, self._make_labels = value, None

    def lazy_labels(self, make) -> None:
        """``make()`` builds the Labels when they are first needed."""
        self._labels, self._make_labels = None, make

    def state(self):
        """A token that changes whenever what this painter draws changes (its style aside: a style
        change draws the whole map again); compared, never interpreted."""
        return self.serial

    def changed_bounds(self, old_state):
        """World bounds (k, 4) of what is drawn differently now than in ``old_state`` (an earlier
        ``state()``); None when unknown (then everything may have changed)."""
        return None if old_state != self.state() else np.zeros((0, 4))

    def paint(self, painter: QtGui.QPainter, ctx: ViewContext) -> None:
        raise NotImplementedError

    def label_offset(self, ctx: ViewContext) -> tuple:
        """Where labels sit from their anchors (style pixels)."""
        return (0, 0)

    def batches(self) -> list:
        """The path batches it draws at every time (``PathBatch.prepare`` builds their detail ahead)."""
        return []

    def has_labels(self) -> bool:
        return bool(self.style.labels) and (self._labels is not None or self._make_labels is not None)

    def labels_shown(self, ctx: ViewContext) -> bool:
        """Labels are on and the scale shows them (checked before building them)."""
        return self.has_labels() and ctx.m_per_spx <= self.style.label_scale

    def paint_labels(self, painter, ctx) -> None:
        if not self.labels_shown(ctx):
            return
        placed = None if ctx.placed is None else ctx.placed.get(self.style.layer, [])
        self.labels.draw(painter, ctx, self.style, self.label_offset(ctx), placed)


class VectorPainter(LayerPainter):
    """Polygons or lines, optionally one batch per category (road class, network)."""

    def __init__(self, frame, style: LayerStyle):
        super().__init__(frame, style)
        geoms = np.asarray(frame.geometry.values) if len(frame) else np.array([], dtype=object)
        polygons = style.kind == "polygon"
        self.groups: list[tuple[object, PathBatch]] = []
        fld = style.category_field
        if fld and fld in frame.columns and len(frame):
            values = frame[fld].astype(str).to_numpy()
            order = [c.value for c in style.categories]
            for v in sorted(set(values), key=lambda v: (order.index(v) if v in order else -1, v), reverse=True):
                self.groups.append((v, PathBatch(geoms[values == v], polygons)))
        else:
            self.groups.append((None, PathBatch(geoms, polygons)))
        bs = [b.bounds for _, b in self.groups if b.bounds is not None]
        self.bounds = (
            (min(b[0] for b in bs), min(b[1] for b in bs), max(b[2] for b in bs), max(b[3] for b in bs)) if bs else None
        )
        if style.label_field and len(frame):

            def make():
                anchors = (
                    shapely.point_on_surface(geoms)
                    if polygons
                    else shapely.line_interpolate_point(geoms, 0.5, normalized=True)
                )
                return Labels(points_xy(anchors), _texts(frame, style.label_field))

            self.lazy_labels(make)

    def batches(self) -> list:
        return [b for _, b in self.groups]

    def paint(self, painter, ctx) -> None:
        s = self.style
        view = ctx.rect
        aa = painter.testRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        raster = is_raster(painter)
        cats = {}
        for c in reversed(s.categories):  # the first of a value wins, as in LayerStyle.category
            cats[c.value] = c
        for value, batch in self.groups:
            cat = cats.get(value) if value is not None else None
            if cat is not None and cat.max_scale is not None and ctx.m_per_spx > cat.max_scale:
                continue
            col = cat.color if cat else s.color
            width = cat.width if cat else s.width
            dense = len(batch) > 1000 and ctx.m_per_spx > 4
            if dense and ctx.px <= 1.0:  # screen speed; a print is rendered once, smooth
                painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, False)
            if s.kind == "polygon" and s.fill:
                painter.setPen(QtCore.Qt.PenStyle.NoPen)
                painter.setBrush(color(s.fill, s.fill_alpha * s.opacity))
                batch.draw(painter, view, ctx.m_per_px, frame=ctx.frame_rect)
                if dense:  # outlines of thousands of tiny polygons: noise
                    continue
            stroke(painter, batch, ctx, col, width, s.opacity, raster)
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, aa)
        self.paint_labels(painter, ctx)


def stroke(
    painter,
    batch: PathBatch,
    ctx: ViewContext,
    col: str,
    width: float,
    alpha: float,
    raster: bool,
    style=QtCore.Qt.PenStyle.SolidLine,
) -> None:
    """Outline a batch ``width`` style px wide (``width * ctx.px`` device px).

    On raster devices a line of up to ``HAIRLINE_MAX_PX`` device pixels is drawn as
    shifted hairlines (Qt's fast path); wider lines (a 300-dpi print) and vector
    devices (PDF) get a real pen.
    """
    painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
    dev = width * ctx.px
    if raster and ctx.m_per_spx > OVERVIEW_M_PER_PX and ctx.px <= 1.0:
        dev = min(dev, 1.0)  # a region-wide overview on screen: every line a hairline
    if raster and style == QtCore.Qt.PenStyle.SolidLine and 1.0 < dev <= HAIRLINE_MAX_PX:
        painter.setPen(cosmetic_pen(col, 1.0, alpha))
        batch.draw(painter, ctx.rect, ctx.m_per_px, hairline_offsets(dev), frame=ctx.frame_rect)
    else:
        painter.setPen(cosmetic_pen(col, dev, alpha, style))  # dashes are in pen widths: they scale too
        batch.draw(painter, ctx.rect, ctx.m_per_px, frame=ctx.frame_rect)


class ZonePainter(LayerPainter):
    """Lockdown zones by level; sealed hatched; zones not active at ``at`` dashed, unfilled.

    A zone in force smaller than ``MIN_PX`` style pixels (a compound at city scale: a 300-m zone is
    ~7 px at 1:160,000) also gets a square mark of that size in its level's colour, so the zones stay
    visible on the whole-city map, its print and its slide.
    """

    MIN_PX = 11.0

    time_dependent = True

    def __init__(self, frame, style: LayerStyle, at=None):
        super().__init__(frame, style)
        self.set_time(at)

    def state(self):
        """Changes when a zone comes into force or ends (not on a time step that changes neither)."""
        return (self.serial, self._active_key)

    def changed_bounds(self, old_state):
        """The bounds of the zones that came into force or ended since ``old_state``."""
        if not isinstance(old_state, tuple) or old_state[0] != self.serial:
            return None
        (n, was), (m, now) = old_state[1], self._active_key
        if n != m:
            return None

        def bits(b):
            return np.unpackbits(np.frombuffer(b, np.uint8), count=n).astype(bool)

        flip = bits(was) != bits(now)
        return shapely.bounds(self._z.geoms[flip]).reshape(-1, 4)

    #: path batches kept per set of zones drawn together (a timeline scrubbed back and forth reuses them)
    BATCHES_KEPT = 64

    def set_time(self, at) -> None:
        """Show the zones as they are at ``at``. The zones' arrays, label points and each group's
        paths are kept: a time step only sorts the zones into active and not."""
        from heatgis.analysis.zones import ZoneArrays

        key = (id(self.frame), len(self.frame))
        if getattr(self, "_zkey", None) != key:
            self._zkey = key
            self._z = ZoneArrays.from_frame(self.frame)
            self._label_xy = points_xy(shapely.point_on_surface(self._z.geoms)) if len(self._z) else None
            b = shapely.bounds(self._z.geoms) if len(self._z) else np.zeros((0, 4))
            self._size = np.maximum(b[:, 2] - b[:, 0], b[:, 3] - b[:, 1])  # metres: the small ones get a mark
            self._batches: dict = {}
            self._simplified: dict = {}
            self._paths: dict = {}
            self._labels_by_key: dict = {}
        z = self._z
        active = z.active(at) if at is not None and len(z) else np.ones(len(z), bool)
        self._active_key = (len(active), np.packbits(active).tobytes())
        if len(self._batches) > self.BATCHES_KEPT:
            self._batches.clear()
        self.groups = []
        self._marks: dict = {}  # level -> (xy, size in metres) of the zones in force
        for level in sorted(set(z.levels.tolist())):
            for act in (False, True):
                m = (z.levels == level) & (active == act)
                if m.any():
                    bk = (level, act, np.packbits(m).tobytes())
                    if bk not in self._batches:
                        self._batches[bk] = PathBatch(
                            z.geoms[m],
                            polygons=True,
                            vertices=self._vertices,
                            members=np.flatnonzero(m),
                            each=self._each,
                        )
                    self.groups.append((level, act, self._batches[bk]))
                    if act:
                        self._marks[level] = (self._label_xy[m], self._size[m])
        self.bounds = tuple(shapely.total_bounds(z.geoms)) if len(z) else None
        if len(z) and self._active_key not in self._labels_by_key:  # kept per set of zones in force
            if len(self._labels_by_key) > self.BATCHES_KEPT:
                self._labels_by_key.clear()
            self._labels_by_key[self._active_key] = Labels(self._label_xy, np.where(active, z.names, ""))
        self.labels = self._labels_by_key.get(self._active_key)

    def _vertices(self, tolerance: float):
        """Every zone's rings simplified at ``tolerance``, as ``qpath.vertex_arrays`` (once per level
        of detail, for all the batches: a time step that sorts the zones into new batches gathers
        their paths from these arrays)."""
        if tolerance not in self._simplified:
            if len(self._simplified) > 8:
                self._simplified.clear()
            g = self._z.geoms
            if tolerance > 0:
                g = shapely.simplify(g, tolerance, preserve_topology=True)
            self._simplified[tolerance] = vertex_arrays(g, polygons=True)
        return self._simplified[tolerance]

    def _each(self, tolerance: float) -> list:
        """Every zone's own path at ``tolerance`` (``PathBatch``'s ``each``: a fill of thousands of
        zones draws them one by one), built once per level of detail for all the batches."""
        if tolerance not in self._paths:
            if len(self._paths) > 8:
                self._paths.clear()
            self._paths[tolerance] = feature_paths(self._vertices(tolerance))
        return self._paths[tolerance]

    def paint(self, painter, ctx) -> None:
        s = self.style
        view = ctx.rect
        raster = is_raster(painter)
        for level, act, batch in self.groups:
            cat = s.category(level)
            col = cat.color if cat else s.color
            if act:
                painter.setPen(QtCore.Qt.PenStyle.NoPen)
                painter.setBrush(color(col, s.fill_alpha * s.opacity))
                batch.draw(painter, view, ctx.m_per_px, frame=ctx.frame_rect)
                if cat is not None and cat.hatched:
                    brush = QtGui.QBrush(color(col, 0.55 * s.opacity), QtCore.Qt.BrushStyle.BDiagPattern)
                    # keep the hatch spacing in style pixels whatever the zoom and device
                    brush.setTransform(
                        QtGui.QTransform.fromScale(ctx.px, ctx.px) * painter.worldTransform().inverted()[0]
                    )
                    painter.setBrush(brush)
                    batch.draw(painter, view, ctx.m_per_px, frame=ctx.frame_rect)
                stroke(painter, batch, ctx, col, s.width, s.opacity, raster)
            else:
                stroke(painter, batch, ctx, col, 1.0, 0.7 * s.opacity, raster, QtCore.Qt.PenStyle.DashLine)
        self._paint_small(painter, ctx)
        self.paint_labels(painter, ctx)

    def _paint_small(self, painter, ctx) -> None:
        """Square marks on the zones in force drawn smaller than ``MIN_PX`` (see the class docstring)."""
        s = self.style
        for level, (xy, size) in self._marks.items():
            small = size / ctx.m_per_spx < self.MIN_PX
            if not small.any():
                continue
            cat = s.category(level)
            col = cat.color if cat else s.color
            x0, y0, x1, y1 = ctx.extent
            pts = xy[small]
            pts = pts[(pts[:, 0] >= x0) & (pts[:, 0] <= x1) & (pts[:, 1] >= y0) & (pts[:, 1] <= y1)]
            if not len(pts):
                continue
            half = self.MIN_PX * ctx.px / 2
            pen = cosmetic_pen(col, 1.8 * ctx.px, s.opacity)
            fill = color(col, s.fill_alpha * s.opacity)
            painter.save()
            dev = to_device(painter, pts)
            painter.resetTransform()
            if is_raster(painter):  # one mark drawn into a sprite, blitted at every zone (the stroker once)

                def mark(p, c, pen=pen, fill=fill, half=half):
                    p.setPen(pen)
                    p.setBrush(fill)
                    p.drawRect(QtCore.QRectF(c - half, c - half, 2 * half, 2 * half))

                key = ("zone mark", col, round(half, 3), round(s.opacity, 3), round(s.fill_alpha, 3), round(ctx.px, 3))
                stamp(painter, dev, _SPRITES, key, half + 0.9 * ctx.px + 1.5, mark, one_colour=True)
            else:
                path = QtGui.QPainterPath()
                for x, y in dev:
                    path.addRect(QtCore.QRectF(x - half, y - half, 2 * half, 2 * half))
                painter.setPen(pen)
                painter.setBrush(fill)
                painter.drawPath(path)
            painter.restore()


class PointPainter(LayerPainter):
    """Point symbols of fixed pixel size, one ``drawPoints`` per tile."""

    def __init__(self, frame, style: LayerStyle):
        super().__init__(frame, style)
        geoms = np.asarray(frame.geometry.values) if len(frame) else np.array([], dtype=object)
        xy = points_xy(geoms)
        self.batch = PointBatch(xy)
        self.bounds = self.batch.bounds
        if style.label_field and len(frame):
            self.lazy_labels(lambda: Labels(xy, _texts(frame, style.label_field)))

    def symbol_px(self, m_per_spx: float) -> float:
        """Symbol size in style pixels at ``m_per_spx`` metres per style pixel.

        Symbols shrink a little in crowded city-wide views.
        """
        s = self.style
        if m_per_spx > 8 and len(self.batch) > 500:
            return max(2.0, s.size * 0.6)
        return s.size

    def paint(self, painter, ctx) -> None:
        s = self.style
        size = self.symbol_px(ctx.m_per_spx)
        m = ctx.m_per_spx  # metres per style pixel: size * m is the symbol in metres
        painter.setPen(QtCore.Qt.PenStyle.NoPen)
        aa = painter.testRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        if len(self.batch) > 500 and m > 4 and ctx.px <= 1.0:
            # thousands of tiny symbols on screen: crisp is fine and 10x faster
            painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, False)
            if size < 4.5 and is_raster(painter):  # dots of a few pixels: square points, 2-3x faster
                side = max(1.0, round(size * 0.886))  # the square with the area of the round symbol
                pen = cosmetic_pen(s.color, side, s.opacity, cap=QtCore.Qt.PenCapStyle.SquareCap)
                painter.setPen(pen)
                if not square_points(painter, self.batch.xy, int(side), pen.color()):
                    self.batch.draw(painter, ctx.rect, size * m)
                painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, aa)
                self.paint_labels(painter, ctx)
                return
        if len(self.batch) <= self.SPRITE_MAX and is_raster(painter):
            self._stamp(painter, ctx, size)
            painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, aa)
            self.paint_labels(painter, ctx)
            return
        if size >= 4:  # a white rim keeps symbols readable on the base map
            painter.setBrush(color("#ffffff", 0.9 * s.opacity))
            self.batch.fill(painter, ctx.rect, (size + 2.0) * m, s.symbol)
        painter.setBrush(color(s.color, s.opacity))
        self.batch.fill(painter, ctx.rect, size * m, s.symbol)
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, aa)
        self.paint_labels(painter, ctx)

    #: a layer of at most this many points has its symbols drawn once into sprites and blitted at each
    #: point on raster devices (the depots, heat sources: filling their paths cost ~2 ms a layer a frame)
    SPRITE_MAX = 1000

    def _stamp(self, painter, ctx: ViewContext, size: float) -> None:
        """The symbols in view as sprites: every rim, then every symbol, as the paths draw them."""
        s = self.style
        xy = self.batch.xy
        pad = (size + 2.0) * ctx.m_per_spx
        x0, y0, x1, y1 = ctx.extent
        inside = (xy[:, 0] >= x0 - pad) & (xy[:, 0] <= x1 + pad) & (xy[:, 1] >= y0 - pad) & (xy[:, 1] <= y1 + pad)
        if not inside.any():
            return
        smooth = painter.testRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        painter.save()
        dev = to_device(painter, xy[inside])
        painter.resetTransform()
        parts = [(color(s.color, s.opacity), size)]
        if size >= 4:  # a white rim keeps symbols readable on the base map
            parts.insert(0, (color("#ffffff", 0.9 * s.opacity), size + 2.0))
        for brush, sz in parts:
            d = sz * ctx.px

            def draw(p, c, brush=brush, d=d):
                p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, smooth)
                p.setPen(QtCore.Qt.PenStyle.NoPen)
                p.setBrush(brush)
                p.drawPath(symbol_path(np.array([[c, c]]), d, s.symbol))

            key = ("symbol", s.symbol, round(d, 3), brush.rgba(), smooth)
            stamp(painter, dev, _SPRITES, key, 0.75 * d + 1.5, draw)
        painter.restore()

    def label_offset(self, ctx: ViewContext) -> tuple:
        return (0, self.symbol_px(ctx.m_per_spx) / 2 + 8)


def make_painter(frame, style: LayerStyle, at=None) -> LayerPainter | None:
    """The painter for a layer's frame (None for tables without geometry)."""
    if not hasattr(frame, "geometry"):
        return None
    if style.kind == "zone":
        return ZonePainter(frame, style, at)
    if style.kind == "point":
        return PointPainter(frame, style)
    return VectorPainter(frame, style)
