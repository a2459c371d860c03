"""Batched, tiled, level-of-detail geometry for fast redraws.

A ``PathBatch`` keeps the lines or polygon rings of many features as a few
``QPainterPath`` objects, one per tile of a coarse grid (tiles outside the view
are skipped) and per simplification level (a city drawn at 40 m per pixel does
not need every 1 m vertex). A ``PointBatch`` keeps points as ``QPolygonF`` per
tile, drawn with ``drawPoints`` and a cosmetic pen: one call per tile, symbols
keep their pixel size at every zoom.
"""

from __future__ import annotations

import numpy as np
import shapely
from PySide6 import QtCore, QtGui

from heatgis.render.qpath import lines_path, path_from_arrays, polygonf_from_arrays, polygons_path, subset_path

LOD_TOLERANCES = (0.0, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0)  # metres
#: a batch of so few features that are each this many times larger than the view is clipped
CLIP_FEATURES, CLIP_RATIO = 64, 4.0


def is_raster(painter: QtGui.QPainter) -> bool:
    """True when the painter rasterizes (screen, QImage); False for PDF, printers, QPicture."""
    engine = painter.paintEngine()
    return engine is not None and engine.type() == QtGui.QPaintEngine.Type.Raster


def stamp(
    painter: QtGui.QPainter, dev_xy: np.ndarray, cache: dict, key, half: float, draw, one_colour: bool = False
) -> None:
    """One mark at every device position, drawn once into a sprite and blitted (raster devices).

    ``draw(p, c)`` paints the mark centred at (c, c) on a transparent sprite ``2 * half`` points
    wide; ``cache`` keeps up to 64 sprites by ``key`` and the device pixel ratio. A mark of
    ``one_colour`` (one colour, its alpha varying: a ring, a filled and outlined square) at many
    positions is laid over them all at once (``_stamp_many``) instead of one blit each.
    """
    dev = painter.device()
    dpr = dev.devicePixelRatioF() if hasattr(dev, "devicePixelRatioF") else 1.0
    key = (key, dpr)
    sprite = cache.get(key)
    if sprite is None:
        size = int(np.ceil(2 * half * dpr))
        sprite = QtGui.QImage(size, size, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
        sprite.fill(QtCore.Qt.GlobalColor.transparent)
        sprite.setDevicePixelRatio(dpr)
        p = QtGui.QPainter(sprite)
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        draw(p, size / dpr / 2)
        p.end()
        if len(cache) > 64:
            cache.clear()
        cache[key] = sprite
    off = sprite.width() / dpr / 2
    if one_colour and _stamp_many(painter, dev_xy, sprite, off):
        return
    blit, at = painter.drawImage, QtCore.QPointF  # bound once: a blit is a few µs, half of it Python
    for x, y in (np.asarray(dev_xy, float).reshape(-1, 2) - off).tolist():
        blit(at(x, y), sprite)


#: a mark of one colour is laid at once (``_stamp_many``) from this many positions, when its area
#: holds at most ``STAMP_AREA_PER_MARK`` device pixels per mark (a blit costs ~1.7 µs, laying them
#: all at once ~1.1 µs a mark and ~6 ns a pixel of the drawing)
STAMP_MANY, STAMP_AREA_PER_MARK = 1000, 100.0


def _stamp_many(painter: QtGui.QPainter, dev_xy: np.ndarray, sprite: QtGui.QImage, off: float) -> bool:
    """Lay ``sprite`` (one colour, alpha varying) at every device position in one drawing.

    Marks of one colour C laid one over another leave, at each pixel, C over what was there with
    the alpha 1 - prod(1 - a_i) of the marks covering it, whatever their order: that alpha is summed
    as logarithms with ``numpy.bincount`` over the marks' pixels (Qt's raster engine puts a blit on
    the whole pixel ``qRound`` of its corner, so do these) and drawn as one image. Qt rounds
    each blit to 8 bits in turn: the result differs from the blits by a few of 255 where marks
    overlap. False (nothing drawn) when the painter does not draw plainly (a transform other than
    a translation, opacity, another composition mode, a device pixel ratio) or when the marks are
    too few or too sparse for it to pay.
    """
    n = len(dev_xy)
    if n < STAMP_MANY:
        return False
    dev = painter.device()
    dpr = dev.devicePixelRatioF() if hasattr(dev, "devicePixelRatioF") else 1.0
    t = painter.worldTransform()
    if (
        dpr != 1.0
        or sprite.devicePixelRatio() != 1.0
        or t.type().value > QtGui.QTransform.TransformationType.TxTranslate.value
        or painter.opacity() != 1.0
        or painter.compositionMode() != QtGui.QPainter.CompositionMode.CompositionMode_SourceOver
        or not is_raster(painter)
    ):
        return False
    xy = np.asarray(dev_xy, float).reshape(-1, 2)
    ix = np.floor(xy[:, 0] - off + t.dx() + 0.5).astype(np.int64)  # device pixel of each corner (qRound)
    iy = np.floor(xy[:, 1] - off + t.dy() + 0.5).astype(np.int64)
    s = sprite.width()
    x0, y0 = int(ix.min()), int(iy.min())  # the drawing: the bounds of all the marks
    w, h = int(ix.max()) + s - x0, int(iy.max()) + s - y0
    if x0 >= dev.width() or y0 >= dev.height() or x0 + w <= 0 or y0 + h <= 0:
        return True  # all outside the device
    if w * h > STAMP_AREA_PER_MARK * n:
        return False
    img = sprite.convertToFormat(QtGui.QImage.Format.Format_ARGB32_Premultiplied)
    px = np.frombuffer(img.constBits(), np.uint8).reshape(s, img.bytesPerLine() // 4, 4)[:, :s].reshape(-1, 4)
    alpha = px[:, 3].astype(float) / 255.0
    taps = np.flatnonzero(alpha > 0)
    if len(taps) == 0:
        return True
    full = taps[np.argmax(alpha[taps])]
    bgr = px[full, :3].astype(float) / alpha[full]  # the mark's colour where it is most opaque
    opaque = alpha[taps] >= 1.0
    du, dv = taps % s, taps // s
    a8 = _coverage(ix - x0, iy - y0, du, dv, np.log1p(-np.where(opaque, 0.0, alpha[taps])), opaque, w, h)
    k = np.arange(256)
    b, g, r = (np.rint(np.minimum(c, 255.0) * k / 255.0).astype(np.uint32) for c in bgr)
    argb = (k.astype(np.uint32) << 24) | (r << 16) | (g << 8) | b  # premultiplied, by alpha
    out = np.ascontiguousarray(argb[a8])
    image = QtGui.QImage(out.data, w, h, 4 * w, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
    painter.save()
    painter.resetTransform()
    painter.drawImage(QtCore.QPoint(x0, y0), image)
    painter.restore()
    return True


def _coverage(ix, iy, du, dv, logs, opaque, w: int, h: int) -> np.ndarray:
    """The alpha (w * h, flat, 0-255) of marks whose corners are at (ix, iy) in a w x h drawing that
    holds them whole, of taps (du, dv) from the corner with ``log(1 - alpha)`` ``logs`` (where not
    ``opaque``: there the alpha is 1 whatever lies below)."""
    base = iy * w + ix
    tap = dv * w + du
    p = ~opaque
    total = np.bincount((base[:, None] + tap[p][None, :]).ravel(), np.tile(logs[p], len(base)), w * h)
    # 255 (1 - exp(total)), rounded; under e^-16 nothing shows through (and float32 stays normal)
    a8 = (255.5 - 255.0 * np.exp(np.maximum(total, -16.0).astype(np.float32))).astype(np.uint8)
    a8[(base[:, None] + tap[opaque][None, :]).ravel()] = 255
    return a8


#: a layer of at least this many square points sets their pixels with numpy (``square_points``)
SQUARES_MANY = 20000


def square_points(painter: QtGui.QPainter, xy: np.ndarray, side: int, colour: QtGui.QColor) -> bool:
    """Opaque aliased squares ``side`` device pixels wide at world positions ``xy``, their pixels set
    with numpy on one image drawn at once (100,000 stations: ~8 ms; ``drawPoints`` with a square
    pen ~30 ms). A square covers the pixels from ``round(x - side / 2)`` on, as Qt's do (Qt widens
    one by a pixel now and then, when its edge falls within ~1/50 px of a pixel's middle).
    False (nothing drawn) unless the painter draws plainly on a raster device (no rotation, no
    opacity, no other composition mode, no device pixel ratio), the colour is opaque and the
    points are many."""
    dev = painter.device()
    dpr = dev.devicePixelRatioF() if hasattr(dev, "devicePixelRatioF") else 1.0
    t = painter.worldTransform()
    if (
        len(xy) < SQUARES_MANY
        or colour.alpha() != 255
        or dpr != 1.0
        or t.m12() != 0.0
        or t.m21() != 0.0
        or painter.opacity() != 1.0
        or painter.compositionMode() != QtGui.QPainter.CompositionMode.CompositionMode_SourceOver
        or not is_raster(painter)
    ):
        return False
    side = max(int(side), 1)
    w, h = dev.width(), dev.height()
    x = np.floor(t.m11() * xy[:, 0] + t.dx() - side / 2 + 0.5).astype(np.int64)
    y = np.floor(t.m22() * xy[:, 1] + t.dy() - side / 2 + 0.5).astype(np.int64)
    keep = (x > -side) & (x < w) & (y > -side) & (y < h)
    x, y = x[keep] + side, y[keep] + side  # in a drawing ``side`` pixels wider on every side
    W = w + 2 * side
    canvas = np.zeros((h + 2 * side) * W, np.uint32)
    corner = y * W + x
    value = np.uint32(colour.rgba())  # #AARRGGBB: opaque, premultiplied alike
    for dy in range(side):
        for dx in range(side):
            canvas[corner + (dy * W + dx)] = value
    image = QtGui.QImage(canvas.data, W, h + 2 * side, 4 * W, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
    painter.save()
    painter.resetTransform()
    painter.drawImage(QtCore.QPoint(-side, -side), image)
    painter.restore()
    return True


def hairline_offsets(width_px: float) -> list[tuple[float, float]]:
    """Device-pixel offsets at which a 1 px line, drawn repeatedly, looks ``width_px`` wide.

    Qt's raster engine draws antialiased cosmetic lines of width <= 1 on a fast path;
    any wider pen goes through the general stroker, which is 30-100x slower on tens of
    thousands of segments. Two or three shifted hairlines cover every direction.
    """
    extra = width_px - 1.0
    if extra <= 0.05:
        return [(0.0, 0.0)]
    h = extra / 2.0
    if extra < 1.0:  # under 2 px: two copies on the anti-diagonal thicken every direction but one
        return [(-h, h), (h, -h)]
    offs = [(-h, -h), (h, -h), (-h, h)]
    if extra > 1.5:
        offs.append((h, h))
    return offs


def _tiles(cx: np.ndarray, cy: np.ndarray, per_tile: int = 400, max_side: int = 24) -> list[np.ndarray]:
    n = len(cx)
    if n == 0:
        return []
    side = int(min(max_side, max(1, np.sqrt(n / per_tile))))
    if side == 1:
        return [np.arange(n)]
    x0, x1 = np.nanmin(cx), np.nanmax(cx)
    y0, y1 = np.nanmin(cy), np.nanmax(cy)
    ix = np.clip(((cx - x0) / max(x1 - x0, 1e-9) * side).astype(int), 0, side - 1)
    iy = np.clip(((cy - y0) / max(y1 - y0, 1e-9) * side).astype(int), 0, side - 1)
    key = ix * side + iy
    order = np.argsort(key, kind="stable")
    cuts = np.flatnonzero(np.diff(key[order])) + 1
    return [g for g in np.split(order, cuts) if len(g)]


def _rect(b: np.ndarray) -> QtCore.QRectF:
    return QtCore.QRectF(QtCore.QPointF(b[0], b[1]), QtCore.QPointF(b[2], b[3]))


def view_rect(extent) -> QtCore.QRectF:
    x0, y0, x1, y1 = extent
    return QtCore.QRectF(QtCore.QPointF(min(x0, x1), min(y0, y1)), QtCore.QPointF(max(x0, x1), max(y0, y1)))


class PathBatch:
    """Lines or polygons of many features as tiled paths with levels of detail.

    Parameters
    ----------
    geoms : ndarray of shapely geometries
    polygons : bool
        Rings of polygons (fillable, odd-even) instead of lines.
    vertices : callable, optional
        ``vertices(tolerance)``: the ``qpath.vertex_arrays`` of the features of an owner that several
        batches share (the zones, sorted into batches anew at each time), simplified at
        ``tolerance`` as ``paths`` would; with ``members``, the owner's indices of ``geoms``. The
        tile paths are then gathered from those arrays (numpy alone) instead of walking the
        geometries again for every new batch.
    each : callable, optional
        ``each(tolerance)``: one path per feature of the owner (indexed as ``members``), simplified
        as ``vertices``. A fill of at least ``EACH_MIN`` features on a raster device then draws the
        path of each feature in view instead of the tile paths: the antialiased fill of a path
        costs about the area of its bounds, so thousands of zones a few pixels wide spread over the
        view fill ~8x faster one by one. A pixel only one feature touches gets the same value
        either way; features that overlap each blend there (a tile path, filled odd-even, left
        their overlap open).
    """

    #: a fill of at least this many features draws each one's own path (see ``each``)
    EACH_MIN = 256

    def __init__(
        self,
        geoms: np.ndarray,
        polygons: bool = False,
        vertices=None,
        members=None,
        each=None,
    ):
        geoms = np.asarray(geoms, dtype=object)
        ok = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms)) if len(geoms) else np.zeros(0, bool)
        self.geoms = geoms[ok]
        self._ok = ok
        self._vertices = vertices
        self._each = each if members is not None else None
        self._members = None if members is None else np.asarray(members, int)[ok]
        self.polygons = polygons
        b = shapely.bounds(self.geoms) if len(self.geoms) else np.zeros((0, 4))
        self._b = b
        self.tiles = _tiles((b[:, 0] + b[:, 2]) / 2, (b[:, 1] + b[:, 3]) / 2)
        self.rects = [_rect(np.r_[b[t, 0].min(), b[t, 1].min(), b[t, 2].max(), b[t, 3].max()]) for t in self.tiles]
        self.bounds = tuple(np.r_[b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max()]) if len(b) else None
        self._levels: dict[float, list[QtGui.QPainterPath]] = {}

    def __len__(self) -> int:
        return len(self.geoms)

    def paths(self, tolerance: float = 0.0) -> list[QtGui.QPainterPath]:
        """The tile paths at one simplification level (built on first use)."""
        if tolerance not in self._levels:
            make = polygons_path if self.polygons else lines_path
            out = []
            if self._vertices is not None:  # the owner's vertices, simplified once for all its batches
                arrays = self._vertices(tolerance)
                out = [subset_path(arrays, self._members[t]) for t in self.tiles]
            for t in self.tiles if self._vertices is None else ():
                g = self.geoms[t]
                if tolerance > 0:
                    g = shapely.simplify(g, tolerance, preserve_topology=self.polygons)
                    g = g[~shapely.is_empty(g)]
                out.append(make(g))
            self._levels[tolerance] = out
        return self._levels[tolerance]

    @staticmethod
    def level_for(m_per_px: float) -> float:
        """The simplification (metres) at ``m_per_px`` metres per *device* pixel.

        Detail is a matter of device pixels: a 300-dpi print of a view keeps
        vertices the screen drops, while what is shown (road classes, labels)
        is decided on style pixels by the painters.
        """
        tol = 0.0
        for t in LOD_TOLERANCES:
            if t <= 0.8 * m_per_px:  # under a pixel: invisible
                tol = t
        return tol

    def draw(
        self,
        painter: QtGui.QPainter,
        view: QtCore.QRectF,
        m_per_px: float,
        offsets_px=((0.0, 0.0),),
        frame: QtCore.QRectF | None = None,
    ) -> None:
        """Draw the tiles in ``view`` with the painter's pen and brush.

        ``offsets_px`` repeats the drawing shifted by device pixels (see
        ``hairline_offsets``); a few huge polygons (county outlines) are clipped to
        the view first, so the rasterizer never walks kilometres of unseen outline.
        ``frame`` is the whole drawing when ``view`` is a part of it (``ViewContext.frame``):
        the polygons are cut around the whole, as for a drawing of the whole.
        """
        if not self.tiles:
            return
        paths = self._clipped(view if frame is None else frame, m_per_px)
        raster = is_raster(painter)
        if paths is None and not raster:
            paths = self._in_view(view, m_per_px)
        if paths is None and self._each is not None and len(self) >= self.EACH_MIN:
            if painter.brush().style() != QtCore.Qt.BrushStyle.NoBrush:  # a fill (outlines stay tiled)
                paths = self._each_in_view(view, m_per_px)
        if paths is None:
            paths = [
                p
                for rect, p in zip(self.rects, self.paths(self.level_for(m_per_px)))
                if rect.intersects(view) or rect.contains(view)
            ]
        base = painter.worldTransform()
        for dx, dy in offsets_px:
            if dx or dy:
                painter.setWorldTransform(base * QtGui.QTransform.fromTranslate(dx, dy))
            for path in paths:
                painter.drawPath(path)
        painter.setWorldTransform(base)

    def _hit(self, view: QtCore.QRectF) -> np.ndarray:
        """Which features' bounds meet ``view``."""
        b = self._b
        return (
            (b[:, 2] >= view.left()) & (b[:, 0] <= view.right()) & (b[:, 3] >= view.top()) & (b[:, 1] <= view.bottom())
        )

    def _each_in_view(self, view: QtCore.QRectF, m_per_px: float) -> list[QtGui.QPainterPath]:
        """The own path of every feature whose bounds meet the view (see ``each``)."""
        every = self._each(self.level_for(m_per_px))
        return [every[k] for k in self._members[self._hit(view)].tolist()]

    def _in_view(self, view: QtCore.QRectF, m_per_px: float) -> list[QtGui.QPainterPath]:
        """Vector devices (PDF, printer): one path of just the features whose bounds meet the view.

        A tile reaches well beyond a zoomed-in page, and a PDF keeps every segment it is given,
        seen or not: drawn by tiles, each page of a zone atlas carried ~0.5 MB of streets
        outside its frame. A page is drawn once, so nothing is cached.
        """
        g = self.geoms[self._hit(view)]
        level = self.level_for(m_per_px)
        if level and len(g):
            g = shapely.simplify(g, level, preserve_topology=self.polygons)
            g = g[~shapely.is_empty(g)]
        make = polygons_path if self.polygons else lines_path
        return [make(g)] if len(g) else []

    def _clipped(self, view: QtCore.QRectF, m_per_px: float):
        """Paths of the features clipped to a box around the view (None: not worth it).

        The box is three views wide and kept while panning stays inside it, so the
        clipping (a few ms) is paid once per zoom, not once per frame.
        """
        if len(self.geoms) > CLIP_FEATURES or self.bounds is None:
            return None
        b = self.bounds
        if (b[2] - b[0]) * (b[3] - b[1]) < CLIP_RATIO * view.width() * view.height():
            return None
        level = self.level_for(m_per_px)
        cached = getattr(self, "_clip_cache", None)
        if cached is not None and cached[0] == level and cached[1].contains(view):
            return cached[2]
        w, h = view.width(), view.height()
        box = view.adjusted(-w, -h, w, h)
        g = shapely.simplify(self.geoms, level, preserve_topology=self.polygons) if level else self.geoms
        g = shapely.clip_by_rect(g, box.left(), box.top(), box.right(), box.bottom())
        g = g[~shapely.is_empty(g)]
        make = polygons_path if self.polygons else lines_path
        paths = [make(g)] if len(g) else []
        self._clip_cache = (level, box, paths)
        return paths

    def prepare(self, m_per_px: float) -> None:
        """Build the level used at ``m_per_px`` now rather than on the first paint."""
        self.paths(self.level_for(m_per_px))


def symbol_path(xy: np.ndarray, size_m: float, symbol: str) -> QtGui.QPainterPath:
    """One path of an octagon (or a square) of ``size_m`` metres around each point."""
    if symbol == "square":
        a = np.radians([45, 135, 225, 315, 45])
        r = size_m / 2 * np.sqrt(2)
    else:
        a = np.radians(np.arange(0, 361, 45) + 22.5)
        r = size_m / 2 / np.cos(np.radians(22.5))
    dx, dy = r * np.cos(a), r * np.sin(a)
    starts = np.zeros((len(xy), len(a)), bool)
    starts[:, 0] = True
    return path_from_arrays((xy[:, 0:1] + dx).ravel(), (xy[:, 1:2] + dy).ravel(), starts.ravel())


class PointBatch:
    """Points of many features as tiled ``QPolygonF`` for ``drawPoints``."""

    def __init__(self, xy: np.ndarray):
        xy = np.asarray(xy, float).reshape(-1, 2)
        self.xy = xy[np.isfinite(xy).all(axis=1)]
        self.tiles = _tiles(self.xy[:, 0], self.xy[:, 1], per_tile=1000)
        self.rects = [
            QtCore.QRectF(
                QtCore.QPointF(self.xy[t, 0].min(), self.xy[t, 1].min()),
                QtCore.QPointF(self.xy[t, 0].max(), self.xy[t, 1].max()),
            )
            for t in self.tiles
        ]
        self.polys = [polygonf_from_arrays(self.xy[t, 0], self.xy[t, 1]) for t in self.tiles]
        self.bounds = tuple(np.r_[self.xy.min(axis=0), self.xy.max(axis=0)]) if len(self.xy) else None
        self._symbols: dict = {}

    def __len__(self) -> int:
        return len(self.xy)

    def draw(self, painter: QtGui.QPainter, view: QtCore.QRectF, margin: float = 0.0) -> None:
        """``drawPoints`` per tile in view (symbol size from the painter's cosmetic pen)."""
        grown = view.adjusted(-margin, -margin, margin, margin)
        if not is_raster(painter):  # a PDF keeps every point it is given: only those in view
            xy = self.xy[self._within(grown)]
            if len(xy):
                painter.drawPoints(polygonf_from_arrays(xy[:, 0], xy[:, 1]))
            return
        for i, (rect, poly) in enumerate(zip(self.rects, self.polys)):
            r = rect.adjusted(-1e-6, -1e-6, 1e-6, 1e-6)
            if r.intersects(grown) or grown.contains(rect.topLeft()):
                part = self._part(i, grown)
                if part is None:
                    painter.drawPoints(poly)
                elif len(part):
                    painter.drawPoints(polygonf_from_arrays(part[:, 0], part[:, 1]))

    #: a tile of at least this many points, met by a view holding at most half of them, draws just those
    PART_MIN = 64

    def _part(self, i: int, grown: QtCore.QRectF):
        """Tile ``i``'s points inside ``grown`` when they are few of its points (the map canvas draws
        small clips around what a time step changed), else None: the whole tile. The pixels are the
        same either way: a point or a symbol covers only pixels near it, and a tile's symbols stay
        one path (overlapping ones within a tile combine as they do in the whole tile's path)."""
        t = self.tiles[i]
        if len(t) < self.PART_MIN or grown.contains(self.rects[i]):
            return None
        xy = self.xy[t]
        inside = (
            (xy[:, 0] >= grown.left())
            & (xy[:, 0] <= grown.right())
            & (xy[:, 1] >= grown.top())
            & (xy[:, 1] <= grown.bottom())
        )
        n = int(inside.sum())
        return xy[inside] if 2 * n <= len(t) else None

    def _within(self, rect: QtCore.QRectF) -> np.ndarray:
        x, y = self.xy[:, 0], self.xy[:, 1]
        return (x >= rect.left()) & (x <= rect.right()) & (y >= rect.top()) & (y <= rect.bottom())

    def symbols(self, size_m: float, symbol: str = "circle") -> list[QtGui.QPainterPath]:
        """Per tile, one path of all symbols (octagons or squares) of ``size_m`` metres.

        Filling these paths is much cheaper than stroking wide pens point by
        point; they are rebuilt when the zoom changes (cached for the last few).
        """
        key = (round(size_m, 6), symbol)
        if key not in self._symbols:
            if len(self._symbols) > 6:
                self._symbols.pop(next(iter(self._symbols)))
            self._symbols[key] = [symbol_path(self.xy[t], size_m, symbol) for t in self.tiles]
        return self._symbols[key]

    def fill(self, painter: QtGui.QPainter, view: QtCore.QRectF, size_m: float, symbol: str) -> None:
        """Fill the symbol paths of the tiles in view with the painter's brush."""
        grown = view.adjusted(-size_m, -size_m, size_m, size_m)
        if not is_raster(painter):  # vector devices: only the symbols in view, not whole tiles
            xy = self.xy[self._within(grown)]
            if len(xy):
                painter.drawPath(symbol_path(xy, size_m, symbol))
            return
        for i, (rect, path) in enumerate(zip(self.rects, self.symbols(size_m, symbol))):
            r = rect.adjusted(-1e-6, -1e-6, 1e-6, 1e-6)
            if r.intersects(grown) or grown.contains(rect.topLeft()):
                part = self._part(i, grown)
                if part is None:
                    painter.drawPath(path)
                elif len(part):
                    painter.drawPath(symbol_path(part, size_m, symbol))


def merge_boxes(boxes, slack: float, cell: float = 160.0) -> np.ndarray:
    """Cover the boxes (n, 4: x0, y0, x1, y1) with fewer, larger ones: two are merged while the box
    around both is at most ``slack`` larger in area than the two apart (drawing a box costs a fixed
    amount plus its area: ``slack`` is that fixed amount in area). Boxes are first pooled by the
    ``cell`` of their centre, so hundreds of small boxes cost a few numpy passes, not a Python loop
    over pairs. Returns (m, 4), m <= n; every input box lies inside one of them."""
    b = np.asarray(boxes, float).reshape(-1, 4)
    if len(b) > 24:  # pool by the cell of the centre
        cx = np.floor((b[:, 0] + b[:, 2]) / 2 / cell)
        cy = np.floor((b[:, 1] + b[:, 3]) / 2 / cell)
        _, inv = np.unique(np.column_stack([cx, cy]), axis=0, return_inverse=True)
        inv = np.asarray(inv).ravel()
        k = inv.max() + 1
        pooled = np.empty((k, 4))
        pooled[:, 0:2] = np.inf
        pooled[:, 2:4] = -np.inf
        np.minimum.at(pooled[:, 0], inv, b[:, 0])
        np.minimum.at(pooled[:, 1], inv, b[:, 1])
        np.maximum.at(pooled[:, 2], inv, b[:, 2])
        np.maximum.at(pooled[:, 3], inv, b[:, 3])
        b = pooled
    while len(b) > 1:
        area = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
        w = np.maximum.outer(b[:, 2], b[:, 2]) - np.minimum.outer(b[:, 0], b[:, 0])
        h = np.maximum.outer(b[:, 3], b[:, 3]) - np.minimum.outer(b[:, 1], b[:, 1])
        extra = w * h - area[:, None] - area[None, :]
        np.fill_diagonal(extra, np.inf)
        k = int(np.argmin(extra))
        i, j = divmod(k, len(b))
        if extra[i, j] > slack:
            break
        b[i] = (min(b[i, 0], b[j, 0]), min(b[i, 1], b[j, 1]), max(b[i, 2], b[j, 2]), max(b[i, 3], b[j, 3]))
        b = np.delete(b, j, axis=0)
    return b
