"""Above every layer: the locked sites' rings and the selection (``HighlightPainter``), and the rings
themselves (``draw_rings``: one sprite blitted on raster devices, vector shapes in a PDF)."""

from __future__ import annotations

import numpy as np
import shapely
from PySide6 import QtCore, QtGui

from heatgis.render.batches import is_raster, stamp
from heatgis.render.context import ViewContext, color, cosmetic_pen, to_device
from heatgis.render.labels import LabelSpace
from heatgis.render.qpath import points_xy, rings_fill_path

_SPRITES: dict = {}


def draw_rings(
    painter: QtGui.QPainter, dev_xy: np.ndarray, r: float, width: float, colour: str, alpha: float = 1.0
) -> None:
    """Rings at device positions (the painter's transform must be reset).

    On raster devices one antialiased ring is drawn once into a small image and
    blitted at every position (hundreds of rings in ~1 ms; filling or stroking them
    as one big path costs 15-40 ms per frame); in a PDF they stay vector shapes.
    """
    dev_xy = np.asarray(dev_xy, float).reshape(-1, 2)
    if len(dev_xy) == 0:
        return
    if not is_raster(painter):
        painter.setPen(QtCore.Qt.PenStyle.NoPen)
        painter.setBrush(color(colour, alpha))
        painter.drawPath(rings_fill_path(dev_xy, r, width))
        return

    def ring(p, c):
        p.setPen(QtCore.Qt.PenStyle.NoPen)
        p.setBrush(color(colour, alpha))
        p.drawPath(rings_fill_path(np.array([[c, c]]), r, width, sides=48))

    key = (colour, round(alpha, 3), round(r, 2), round(width, 2))
    stamp(painter, dev_xy, _SPRITES, key, r + width / 2 + 1.5, ring, one_colour=True)


def _same(a, b) -> bool:
    """The same objects (arrays by identity), element by element for tuples."""
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(x is y or (isinstance(x, bool) and x == y) for x, y in zip(a, b))
    return a is b


def _not_marked(xy: np.ndarray, overlays) -> np.ndarray:
    """The rows of ``xy`` that no visible overlay marks (overlays with an ``xy`` array of sites)."""
    marked = [
        np.asarray(o.xy, float).reshape(-1, 2)
        for o in overlays
        if getattr(o, "visible", True) and len(getattr(o, "xy", ()))
    ]
    if not marked or len(xy) == 0:
        return xy
    m = np.vstack(marked)
    key = np.round(xy[:, 0], 1) + 1j * np.round(xy[:, 1], 1)
    return xy[~np.isin(key, np.round(m[:, 0], 1) + 1j * np.round(m[:, 1], 1))]


class HighlightPainter:
    """Locked sites (rings) and the selection (outlines / bold symbols) above all layers.

    Parameters
    ----------
    scale : float
        Factor on the ring sizes (an overview inset draws them smaller).
    """

    #: (radius, pen width) in style pixels
    LOCKED_RING = (7.5, 2.4)
    SELECTED_RING = (9.0, 3.0)

    def __init__(self, scale: float = 1.0):
        self.scale = scale
        self.locked_xy = np.zeros((0, 2))
        self.selection = np.array([], dtype=object)
        self._sel_path = None
        self._sel_points = np.zeros((0, 2))

    def set_locked(self, xy: np.ndarray) -> None:
        self.locked_xy = np.asarray(xy, float).reshape(-1, 2)

    def _unmarked(self, covered) -> np.ndarray:
        """The locked sites no overlay in ``covered`` marks, kept while the locked sites and the
        overlays' sites are the same arrays (the canvas asks on every frame of a pan)."""
        refs = (self.locked_xy, *[(o, getattr(o, "visible", True), getattr(o, "xy", None)) for o in covered])
        c = getattr(self, "_unmarked_cache", None)
        if c is None or len(c[0]) != len(refs) or not all(_same(a, b) for a, b in zip(c[0], refs)):
            c = self._unmarked_cache = (refs, _not_marked(self.locked_xy, covered))
        return c[1]

    def reserve(self, painter: QtGui.QPainter, ctx: ViewContext, space: LabelSpace) -> None:
        """Take the room of the locked-site rings in ``space``, so no label lies under a ring."""
        if len(self.locked_xy) == 0:
            return
        r, w = self.LOCKED_RING
        half = (r + w / 2) * ctx.px * self.scale
        pad = 2 * half * ctx.m_per_px  # a ring whose centre is just outside still shows
        x0, y0, x1, y1 = ctx.extent
        xy = self.locked_xy
        inside = (xy[:, 0] >= x0 - pad) & (xy[:, 0] <= x1 + pad) & (xy[:, 1] >= y0 - pad) & (xy[:, 1] <= y1 + pad)
        dev = to_device(painter, xy[inside])
        space.reserve(dev[:, 0] - half, dev[:, 1] - half, 2 * half, 2 * half)

    def set_selection(self, geoms) -> None:
        from heatgis.render.qpath import lines_path, polygons_path

        geoms = np.asarray(list(geoms), dtype=object)
        self.selection = geoms
        if len(geoms) == 0:
            self._sel_path, self._sel_points = None, np.zeros((0, 2))
            return
        t = shapely.get_type_id(geoms)
        pts = np.isin(t, (0, 4))
        self._sel_points = points_xy(geoms[pts])
        path = polygons_path(geoms[np.isin(t, (3, 6))])
        path.addPath(lines_path(geoms[np.isin(t, (1, 5))]))
        self._sel_path = path

    def paint(
        self, painter: QtGui.QPainter, ctx: ViewContext, locked_colour="#ff00aa", selection_colour="#00c8ff", covered=()
    ) -> None:
        """Draw the selection and the locked-site rings; a locked site that an overlay in
        ``covered`` marks already (its staffing status ring) gets no second ring."""
        k = ctx.px * self.scale
        if self._sel_path is not None:
            painter.setPen(cosmetic_pen(selection_colour, 3.0 * k, 0.95))
            painter.setBrush(color(selection_colour, 0.15))
            painter.drawPath(self._sel_path)
        extent = ctx.extent
        locked = self._unmarked(covered)
        for xy, col, (r, w) in (
            (locked, locked_colour, self.LOCKED_RING),
            (self._sel_points, selection_colour, self.SELECTED_RING),
        ):
            if len(xy) == 0:
                continue
            r, w = r * k, w * k
            pad = (r + w) * ctx.m_per_px  # a ring whose centre is just outside still shows
            inside = (
                (xy[:, 0] >= extent[0] - pad)
                & (xy[:, 0] <= extent[2] + pad)
                & (xy[:, 1] >= extent[1] - pad)
                & (xy[:, 1] <= extent[3] + pad)
            )
            dev = to_device(painter, xy[inside])
            painter.save()
            painter.resetTransform()
            draw_rings(painter, dev, r, w, col)
            painter.restore()
