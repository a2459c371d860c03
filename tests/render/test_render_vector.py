"""Vector output (PDF) carries only what a page shows: a zoomed-in page of a big layer is small.

A PDF keeps every segment and symbol it is given, visible or clipped away; drawing whole tiles
made each page of a 45-page zone atlas carry ~0.5 MB of streets and homes outside its frame.
"""

from __future__ import annotations

import os

import numpy as np
import shapely

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _pdf_bytes(tmp_path, name, draw) -> int:
    from PySide6 import QtCore, QtGui

    from heatgis.export.pdf import ensure_gui_app

    ensure_gui_app()
    path = tmp_path / f"{name}.pdf"
    writer = QtGui.QPdfWriter(str(path))
    writer.setPageSize(QtGui.QPageSize(QtGui.QPageSize.PageSizeId.A4))
    p = QtGui.QPainter(writer)
    p.setWindow(QtCore.QRect(0, 0, 10000, 10000))  # the whole 10 km city on the page
    p.setPen(QtGui.QPen(QtGui.QColor("black"), 0))
    p.setBrush(QtGui.QColor("red"))
    draw(p)
    p.end()
    return path.stat().st_size


def test_pdf_pages_carry_only_features_in_view(tmp_path):
    from PySide6 import QtCore

    from heatgis.render.batches import PathBatch, PointBatch

    rng = np.random.default_rng(5)
    xy = rng.uniform(0, 10000, (20000, 2))
    starts = rng.uniform(0, 10000, (8000, 2))
    lines = shapely.linestrings(np.stack([starts, starts + 40, starts + [80, 0]], axis=1))
    points, roads = PointBatch(xy), PathBatch(lines)
    city = QtCore.QRectF(0, 0, 10000, 10000)
    corner = QtCore.QRectF(0, 0, 1000, 1000)  # 1 % of the city

    def everything(view):
        return lambda p: (points.fill(p, view, 20.0, "circle"), points.draw(p, view), roads.draw(p, view, 1.0))

    whole = _pdf_bytes(tmp_path, "whole", everything(city))
    zoomed = _pdf_bytes(tmp_path, "zoomed", everything(corner))
    assert zoomed < 0.05 * whole
    # and what is in view is there: the corner holds ~200 homes and ~80 roads, an empty view nothing
    empty = _pdf_bytes(tmp_path, "empty", everything(QtCore.QRectF(20000, 20000, 1000, 1000)))
    assert zoomed > 3 * empty


def test_points_xy_reads_points_and_takes_the_centroid_of_anything_else():
    """Sites' positions (rings, labels): points as they are, other shapes by their centroid, missing
    and empty ones NaN; the same as the centroid of every one."""
    import numpy as np
    import shapely

    from heatgis.render.qpath import points_xy

    rng = np.random.default_rng(5)
    geoms = shapely.points(rng.random((50, 2)) * 1000).astype(object)
    geoms[3] = None
    geoms[4] = shapely.Point()
    geoms[5] = shapely.box(0, 0, 2, 4)
    geoms[6] = shapely.Point(5, 6, 7)
    geoms[7] = shapely.MultiPoint([(0, 0), (2, 0)])
    got = points_xy(geoms)
    ok = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    assert np.isnan(got[~ok]).all() and not np.isnan(got[ok]).any()
    c = shapely.centroid(geoms[ok])
    assert np.array_equal(got[ok], np.c_[shapely.get_x(c), shapely.get_y(c)])
    assert got[5].tolist() == [1.0, 2.0] and got[7].tolist() == [1.0, 0.0]
