"""Thousands of small zones fill one by one (``PathBatch`` ``each``): the antialiased fill of one tile path
costs the area of its bounds, so a province's zones a few pixels wide filled ~8x slower as tiles. Drawn
one by one, every pixel only one zone touches gets the same value as from the tile path."""

from __future__ import annotations

import numpy as np
import shapely
from PySide6 import QtCore, QtGui

from heatgis.render.batches import PathBatch
from heatgis.render.qpath import feature_paths, polygons_path, vertex_arrays


def _zones(n: int = 400, seed: int = 3) -> np.ndarray:
    """``n`` small irregular polygons on a grid, apart from each other (no pixel shared)."""
    rng = np.random.default_rng(seed)
    side = int(np.ceil(np.sqrt(n)))
    out = []
    for k in range(n):
        cx, cy = (k % side) * 100.0, (k // side) * 100.0
        a = np.sort(rng.uniform(0, 2 * np.pi, 9))
        r = rng.uniform(10, 30, 9)
        out.append(shapely.Polygon(np.column_stack([cx + r * np.cos(a), cy + r * np.sin(a)])))
    return np.array(out, dtype=object)


def _fill(batch: PathBatch, size: int, extent) -> np.ndarray:
    img = QtGui.QImage(size, size, QtGui.QImage.Format.Format_RGB32)
    img.fill(QtGui.QColor("white"))
    p = QtGui.QPainter(img)
    p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
    x0, y0, x1, y1 = extent
    k = size / (x1 - x0)
    p.setWorldTransform(QtGui.QTransform(k, 0, 0, -k, -x0 * k, y1 * k))
    p.setPen(QtCore.Qt.PenStyle.NoPen)
    p.setBrush(QtGui.QColor(214, 39, 40, 120))
    batch.draw(p, QtCore.QRectF(QtCore.QPointF(x0, y0), QtCore.QPointF(x1, y1)), 1.0 / k)
    p.setBrush(QtGui.QBrush(QtGui.QColor(214, 39, 40, 140), QtCore.Qt.BrushStyle.BDiagPattern))
    batch.draw(p, QtCore.QRectF(QtCore.QPointF(x0, y0), QtCore.QPointF(x1, y1)), 1.0 / k)
    p.end()
    return np.frombuffer(img.constBits(), np.uint8).reshape(size, -1).copy()


def test_feature_paths_are_each_geometrys_own_path(qapp):
    geoms = np.concatenate([_zones(30), np.array([None, shapely.Polygon()], dtype=object)])
    geoms[4] = shapely.MultiPolygon(
        [geoms[4], shapely.box(2000, 2000, 2010, 2010).difference(shapely.box(2003, 2003, 2006, 2006))]
    )
    paths = feature_paths(vertex_arrays(geoms, polygons=True))
    assert len(paths) == len(geoms)
    for k in range(30):
        assert paths[k] == polygons_path(geoms[k : k + 1]), k
    assert paths[4].elementCount() > paths[3].elementCount()  # both parts and the hole
    assert paths[-1].isEmpty() and paths[-2].isEmpty()
    assert feature_paths(vertex_arrays(np.array([], dtype=object))) == []


def test_zones_filled_one_by_one_match_the_tile_paths(qapp):
    geoms = _zones(400)
    members = np.arange(len(geoms))
    arrays = {}

    def vertices(tol):
        return arrays.setdefault(tol, vertex_arrays(geoms, polygons=True))

    each = PathBatch(
        geoms, polygons=True, vertices=vertices, members=members, each=lambda t: feature_paths(vertices(t))
    )
    tiled = PathBatch(geoms, polygons=True, vertices=vertices, members=members)
    assert len(each) >= PathBatch.EACH_MIN
    drawn = []
    each.paths = lambda *a: drawn.append(a) or PathBatch.paths(each, *a)  # the tile paths are not filled
    for extent in ((-50, -50, 2000, 2000), (300, 300, 900, 900)):  # the whole, a part (zones cut by the frame)
        a = _fill(each, 500, extent)
        b = _fill(tiled, 500, extent)
        assert (a != b).sum() == 0, extent
        assert (a != 255).any()  # something was drawn
    assert drawn == []


def test_a_few_zones_stay_one_path(qapp):
    """Under ``EACH_MIN`` features (a city's zones of one level), the tile paths are filled as before."""
    geoms = _zones(40)
    members = np.arange(len(geoms))
    called = []
    batch = PathBatch(
        geoms,
        polygons=True,
        vertices=lambda t: vertex_arrays(geoms, polygons=True),
        members=members,
        each=lambda t: called.append(t) or feature_paths(vertex_arrays(geoms, polygons=True)),
    )
    _fill(batch, 300, (-50, -50, 700, 700))
    assert called == []
