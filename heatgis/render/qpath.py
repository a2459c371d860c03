"""Shapely geometry arrays to QPainterPath / QPolygonF, vectorized.

The paths are filled through ``QDataStream`` from one numpy buffer (the format
Qt serialises ``QPainterPath`` and ``QPolygonF`` in), so building a path of a
million vertices costs a few numpy operations and one read, not a Python loop.
"""

from __future__ import annotations

import numpy as np
import shapely
from PySide6 import QtCore, QtGui

_PATH_DTYPE = np.dtype([("type", ">i4"), ("x", ">f8"), ("y", ">f8")])


def path_from_arrays(x: np.ndarray, y: np.ndarray, starts: np.ndarray) -> QtGui.QPainterPath:
    """A path through the points; ``starts`` marks (True) the first vertex of each part.

    Parameters
    ----------
    x, y : ndarray of float
    starts : ndarray of bool
        True where a new subpath begins (MoveTo), False where the vertex
        continues the previous one (LineTo).
    """
    n = len(x)
    path = QtGui.QPainterPath()
    if n == 0:
        return path
    buf = np.empty(n, dtype=_PATH_DTYPE)
    buf["type"] = np.where(starts, 0, 1)
    buf["x"] = x
    buf["y"] = y
    data = (
        np.array([n], ">i4").tobytes() + buf.tobytes() + np.array([0, 0], ">i4").tobytes()
    )  # cStart, fill rule OddEven
    ba = QtCore.QByteArray(data)
    stream = QtCore.QDataStream(ba, QtCore.QIODevice.OpenModeFlag.ReadOnly)
    stream >> path
    return path


def polygonf_from_arrays(x: np.ndarray, y: np.ndarray) -> QtGui.QPolygonF:
    """A QPolygonF (point list) of the coordinates, e.g. for ``drawPoints``."""
    poly = QtGui.QPolygonF()
    n = len(x)
    if n == 0:
        return poly
    buf = np.empty((n, 2), ">f8")
    buf[:, 0] = x
    buf[:, 1] = y
    ba = QtCore.QByteArray(np.array([n], ">u4").tobytes() + buf.tobytes())
    stream = QtCore.QDataStream(ba, QtCore.QIODevice.OpenModeFlag.ReadOnly)
    stream >> poly
    return poly


def lines_path(geoms: np.ndarray) -> QtGui.QPainterPath:
    """One path of all (multi)linestrings in ``geoms``."""
    parts = shapely.get_parts(geoms[~shapely.is_missing(geoms)])
    return _parts_path(parts)


def polygons_path(geoms: np.ndarray) -> QtGui.QPainterPath:
    """One path of all rings of all (multi)polygons (odd-even fill: holes stay open)."""
    parts = shapely.get_parts(geoms[~shapely.is_missing(geoms)])
    rings = shapely.get_rings(parts) if len(parts) else parts
    return _parts_path(rings)


def _parts_path(parts: np.ndarray) -> QtGui.QPainterPath:
    if len(parts) == 0:
        return QtGui.QPainterPath()
    xy, idx = shapely.get_coordinates(parts, return_index=True)
    starts = np.ones(len(idx), bool)
    starts[1:] = idx[1:] != idx[:-1]
    return path_from_arrays(xy[:, 0], xy[:, 1], starts)


def vertex_arrays(geoms: np.ndarray, polygons: bool = True):
    """The vertices of every geometry's rings (``polygons``) or lines, as ``polygons_path`` /
    ``lines_path`` walk them: (x, y, starts, offsets), geometry k's vertices at
    ``offsets[k]:offsets[k + 1]`` (none for a missing or empty one). ``subset_path`` builds the path
    of any subset from them with numpy alone, as ``polygons_path`` would from the subset."""
    geoms = np.asarray(geoms, dtype=object)
    n = len(geoms)
    keep = np.flatnonzero(~shapely.is_missing(geoms)) if n else np.zeros(0, int)
    parts, owner = shapely.get_parts(geoms[keep], return_index=True) if len(keep) else (keep, keep)
    owner = keep[owner]
    if polygons and len(parts):
        parts, ring_of = shapely.get_rings(parts, return_index=True)
        owner = owner[ring_of]
    if len(parts):
        xy, part = shapely.get_coordinates(parts, return_index=True)
    else:
        xy, part = np.zeros((0, 2)), np.zeros(0, int)
    starts = np.ones(len(part), bool)
    starts[1:] = part[1:] != part[:-1]
    offsets = np.searchsorted(owner[part], np.arange(n + 1)) if len(part) else np.zeros(n + 1, int)
    return xy[:, 0].copy(), xy[:, 1].copy(), starts, offsets


def subset_path(arrays, members: np.ndarray) -> QtGui.QPainterPath:
    """The path of the geometries ``members`` (indices, in that order) from ``vertex_arrays``."""
    x, y, starts, offsets = arrays
    members = np.asarray(members, int)
    lo, hi = offsets[members], offsets[members + 1]
    lens = hi - lo
    total = int(lens.sum())
    if total == 0:
        return QtGui.QPainterPath()
    idx = np.repeat(lo - np.concatenate([[0], np.cumsum(lens)[:-1]]), lens) + np.arange(total)
    return path_from_arrays(x[idx], y[idx], starts[idx])


def feature_paths(arrays) -> list[QtGui.QPainterPath]:
    """One path per geometry of ``vertex_arrays`` (an empty path for a missing or empty one), all
    read from one buffer: thousands of paths cost a numpy pass and a short loop of reads."""
    x, y, starts, offsets = arrays
    n = len(offsets) - 1
    if n <= 0:
        return []
    buf = np.empty(len(x), dtype=_PATH_DTYPE)
    buf["type"] = np.where(starts, 0, 1)
    buf["x"] = x
    buf["y"] = y
    raw = buf.tobytes()
    size = _PATH_DTYPE.itemsize
    counts = np.diff(offsets)
    heads = counts.astype(">i4").tobytes()
    tail = np.array([0, 0], ">i4").tobytes()  # cStart, fill rule OddEven (not read after an empty path)
    chunks = []
    for k, (lo, hi) in enumerate(zip(offsets[:-1].tolist(), offsets[1:].tolist())):
        chunks.append(heads[4 * k : 4 * k + 4])
        if hi > lo:
            chunks.append(raw[lo * size : hi * size])
            chunks.append(tail)
    ba = QtCore.QByteArray(b"".join(chunks))  # kept alive while the stream reads it
    stream = QtCore.QDataStream(ba, QtCore.QIODevice.OpenModeFlag.ReadOnly)
    out = []
    for _ in range(n):
        path = QtGui.QPainterPath()
        stream >> path
        out.append(path)
    return out


def points_xy(geoms: np.ndarray) -> np.ndarray:
    """(n, 2) coordinates of point geometries (missing or empty ones become NaN)."""
    out = np.full((len(geoms), 2), np.nan)
    if len(geoms) == 0:
        return out
    ok = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    if ok.any():
        c = geoms[ok]
        other = shapely.get_type_id(c) != 0  # points are read as they are (6x faster than their centroid)
        if other.any():
            c = c.copy()
            c[other] = shapely.centroid(c[other])
        out[ok, 0] = shapely.get_x(c)
        out[ok, 1] = shapely.get_y(c)
    return out


def circles_path(xy: np.ndarray, r: float, sides: int = 24) -> QtGui.QPainterPath:
    """One path of closed ``sides``-gons of radius ``r`` around each point (rings, stop discs).

    Built with numpy in one go: a few hundred rings cost one path, not one call each.
    """
    xy = np.asarray(xy, float).reshape(-1, 2)
    if len(xy) == 0:
        return QtGui.QPainterPath()
    a = np.linspace(0.0, 2 * np.pi, sides + 1)
    x = (xy[:, 0:1] + r * np.cos(a)).ravel()
    y = (xy[:, 1:2] + r * np.sin(a)).ravel()
    starts = np.zeros((len(xy), sides + 1), bool)
    starts[:, 0] = True
    return path_from_arrays(x, y, starts.ravel())


def rings_fill_path(xy: np.ndarray, r: float, width: float, sides: int = 24) -> QtGui.QPainterPath:
    """Rings of radius ``r`` and ``width`` around each point, as an area to *fill*.

    Filling is what Qt's raster engine does fast; stroking hundreds of circles with a
    wide antialiased pen goes through the general stroker and costs ~100x more. The
    inner circle runs the other way round and the path fills by winding, so rings that
    overlap join instead of cancelling.
    """
    xy = np.asarray(xy, float).reshape(-1, 2)
    if len(xy) == 0:
        return QtGui.QPainterPath()
    a = np.linspace(0.0, 2 * np.pi, sides + 1)
    ro, ri = r + width / 2.0, max(r - width / 2.0, 0.0)
    ang = np.concatenate([a, a[::-1]])
    rad = np.concatenate([np.full(sides + 1, ro), np.full(sides + 1, ri)])
    x = (xy[:, 0:1] + rad * np.cos(ang)).ravel()
    y = (xy[:, 1:2] + rad * np.sin(ang)).ravel()
    starts = np.zeros((len(xy), 2 * (sides + 1)), bool)
    starts[:, 0] = True
    starts[:, sides + 1] = True
    path = path_from_arrays(x, y, starts.ravel())
    path.setFillRule(QtCore.Qt.FillRule.WindingFill)
    return path
