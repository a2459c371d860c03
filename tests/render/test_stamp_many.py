"""Thousands of marks of one colour (the province's locked-site rings, the zones' marks) are laid at once
(``batches._stamp_many``) instead of one blit each: the same pixels as the blits, within the rounding Qt
does at every blit (a few of 255 where marks overlap)."""

from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtGui

from heatgis.render import batches
from heatgis.render.highlight import draw_rings

W, H = 600, 400
#: Qt rounds each blit to 8 bits in turn; laid at once, the marks are rounded once
TOLERANCE = 4
REAL = batches._stamp_many


def _draw(xy, monkeypatch, at_once: bool, transform=None) -> tuple[np.ndarray, list]:
    calls = []

    def spy(*a):
        calls.append(REAL(*a))
        return calls[-1]

    monkeypatch.setattr(batches, "_stamp_many", spy)
    monkeypatch.setattr(batches, "STAMP_MANY", 1000 if at_once else 10**9)
    img = QtGui.QImage(W, H, QtGui.QImage.Format.Format_RGB32)
    img.fill(QtGui.QColor("#2060c0"))
    p = QtGui.QPainter(img)
    p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
    if transform is not None:
        p.setWorldTransform(transform)
    p.setClipRect(QtCore.QRect(20, 10, W - 60, H - 30))  # a clipped drawing (the canvas's changed places)
    draw_rings(p, xy, 7.5, 2.4, "#ff00aa", 0.9)
    p.end()
    return np.frombuffer(img.constBits(), np.uint8).reshape(H, -1).astype(int).copy(), calls


def test_many_rings_at_once_match_one_blit_each(qapp, monkeypatch):
    rng = np.random.default_rng(7)
    xy = np.vstack([rng.uniform((-20, -20), (W + 20, H + 20), (4000, 2)), [[100.0, 100.0]] * 3])  # some alike
    one_by_one, _ = _draw(xy, monkeypatch, at_once=False)
    at_once, calls = _draw(xy, monkeypatch, at_once=True)
    assert calls == [True]  # laid at once
    diff = np.abs(one_by_one - at_once)
    assert diff.max() <= TOLERANCE, diff.max()
    assert (diff > 0).mean() < 0.2
    assert (at_once[:10] == one_by_one[:10]).all()  # outside the clip: untouched
    assert (at_once.reshape(H, W, 4)[:, :, :3] != [192, 96, 32]).any(axis=2).mean() > 0.5  # rings drawn


def test_sparse_few_or_scaled_marks_are_blitted(qapp, monkeypatch):
    rng = np.random.default_rng(8)
    few = rng.uniform((0, 0), (W, H), (500, 2))  # too few
    _, calls = _draw(few, monkeypatch, at_once=True)
    assert calls == [False]  # too few to pay
    sparse = rng.uniform((-3000, -3000), (W + 3000, H + 3000), (1500, 2))
    a, calls = _draw(sparse, monkeypatch, at_once=True)
    b, _ = _draw(sparse, monkeypatch, at_once=False)
    assert calls == [False] and (a == b).all()  # too far apart: a drawing of all of them costs more
    many = rng.uniform((0, 0), (W, H), (6000, 2))
    a, calls = _draw(many, monkeypatch, at_once=True, transform=QtGui.QTransform.fromScale(1.5, 1.5))
    b, _ = _draw(many, monkeypatch, at_once=False, transform=QtGui.QTransform.fromScale(1.5, 1.5))
    assert calls == [False] and (a == b).all()  # a scaled painter: blits
    t = QtGui.QTransform.fromTranslate(3.4, -2.6)
    a, calls = _draw(many, monkeypatch, at_once=True, transform=t)
    b, _ = _draw(many, monkeypatch, at_once=False, transform=t)
    assert calls == [True] and np.abs(a - b).max() <= TOLERANCE  # a translation: the blits' pixels
