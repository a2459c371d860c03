"""A province's 100,000 stations at city scale are small opaque squares: their pixels are set with numpy
(``batches.square_points``) instead of ``drawPoints`` with a square pen, ~5x faster, the same pixels but
for a rare square Qt widens by one pixel."""

from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtGui

from heatgis.render import batches
from heatgis.render.batches import PointBatch, square_points
from heatgis.render.context import cosmetic_pen

W, H = 500, 300


def _draw(xy, numpy_way: bool, side=3, colour="#1f5fbf", alpha=1.0, transform=None, clip=None):
    img = QtGui.QImage(W, H, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(QtCore.Qt.GlobalColor.transparent)
    p = QtGui.QPainter(img)
    p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, False)
    k = 0.01
    p.setWorldTransform(transform or QtGui.QTransform(k, 0, 0, -k, -1000 * k, (2000 + H / k) * k))
    if clip is not None:
        p.setClipRect(clip)
    pen = cosmetic_pen(colour, float(side), alpha, cap=QtCore.Qt.PenCapStyle.SquareCap)
    p.setPen(pen)
    done = numpy_way and square_points(p, xy, side, pen.color())
    if not done:
        PointBatch(xy).draw(p, QtCore.QRectF(-1e7, -1e7, 2e7, 2e7))
    p.end()
    return np.frombuffer(img.constBits(), np.uint32).reshape(H, W).copy(), done


def _points(n, seed=5):
    rng = np.random.default_rng(seed)
    return rng.uniform((500, 1500), (1000 + W / 0.01 + 500, 2000 + H / 0.01 + 500), (n, 2))


def test_squares_set_with_numpy_match_draw_points(qapp, monkeypatch):
    monkeypatch.setattr(batches, "SQUARES_MANY", 1000)
    xy = _points(6000)
    for side in (1, 2, 3):
        a, done = _draw(xy, True, side)
        b, _ = _draw(xy, False, side)
        assert done
        assert (a != 0).sum() > 0.3 * (b != 0).sum() > 0
        assert (a != b).sum() <= 0.002 * (b != 0).sum(), side  # a rare square Qt widens
    clip = QtCore.QRect(40, 30, 200, 100)
    a, _ = _draw(xy, True, clip=clip)
    b, _ = _draw(xy, False, clip=clip)
    assert (a[:30] == 0).all() and (a[:, :40] == 0).all()  # nothing outside the clip
    assert (a != b).sum() <= 0.002 * (b != 0).sum()


def test_other_squares_are_drawn_by_qt(qapp, monkeypatch):
    monkeypatch.setattr(batches, "SQUARES_MANY", 1000)
    assert not _draw(_points(500), True)[1]  # few
    assert not _draw(_points(6000), True, alpha=0.8)[1]  # see-through: overlaps darken
    rotated = QtGui.QTransform().rotate(30) * QtGui.QTransform.fromScale(0.01, 0.01)
    assert not _draw(_points(6000), True, transform=rotated)[1]
