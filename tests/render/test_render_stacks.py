"""``MapRenderer.render`` of some layers at a time, with the labels of the whole map, adds up to the
render of all of them, pixel for pixel; and a clip redraws a part as the whole drawing has it."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402


def _setup(demo_project):
    from PySide6 import QtCore, QtGui

    from heatgis.render.mapdraw import MapRenderer

    r = MapRenderer(demo_project, at=pd.Timestamp("2022-02-25T08:00"))
    b = r.bounds(("stations",))
    cx, cy = (b[0] + b[2]) / 2, (b[1] + b[3]) / 2
    extent = (cx - 6000, cy - 4000, cx + 6000, cy + 4000)  # the centre: zones, sites and their labels
    rect = QtCore.QRectF(0, 0, 600, 400)

    def image():
        img = QtGui.QImage(600, 400, QtGui.QImage.Format.Format_RGB32)
        img.fill(QtGui.QColor(r.style.background))
        return img

    def painter(img):
        p = QtGui.QPainter(img)
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        return p

    return r, extent, rect, image, painter


def _pixels(img) -> np.ndarray:
    return np.frombuffer(img.constBits(), np.uint8).reshape(img.height(), -1).copy()


def test_stacks_of_layers_add_up_to_the_whole_map(demo_project, qapp):
    r, extent, rect, image, painter = _setup(demo_project)
    whole = image()
    p = painter(whole)
    ctx = r.render(p, extent, rect, scale_bar=False, highlight=False, overlays=False)
    p.end()
    assert any(ctx.placed.values())  # labels are drawn in this view
    names = [n for n, _ in r.visible_painters()]
    cut = names.index("lockdown_zones")
    stacked = image()
    p = painter(stacked)
    lctx, t = r.view_context(extent, rect)
    p.setWorldTransform(t)
    labels = r.layout_labels(p, lctx, overlays=False)
    p.resetTransform()
    for layers in ([r.BASEMAP, *names[:cut]], names[cut:]):
        r.render(
            p,
            extent,
            rect,
            scale_bar=False,
            background=False,
            layers=layers,
            highlight=False,
            overlays=False,
            labels=labels,
        )
    p.end()
    assert (_pixels(stacked) == _pixels(whole)).all()
    # one stack alone is not the whole map (the test sees the layers)
    alone = image()
    p = painter(alone)
    r.render(p, extent, rect, scale_bar=False, layers=names[cut:], highlight=False, overlays=False, labels=labels)
    p.end()
    assert (_pixels(alone) != _pixels(whole)).any()


def test_a_clip_redraws_a_part_as_the_whole_drawing_has_it(demo_project, qapp):
    from PySide6 import QtCore

    r, extent, rect, image, painter = _setup(demo_project)
    before = image()
    p = painter(before)
    r.render(p, extent, rect, scale_bar=False)
    p.end()
    r.set_time(pd.Timestamp("2022-02-18T08:00"))  # other zones in force
    after = image()
    p = painter(after)
    r.render(p, extent, rect, scale_bar=False)
    p.end()
    assert (_pixels(before) != _pixels(after)).any()
    # redraw a band of the earlier image at the new time, over the background there
    band = QtCore.QRect(120, 80, 300, 200)
    patched = before.copy()
    p = painter(patched)
    r.render(p, extent, rect, scale_bar=False, clip=QtCore.QRectF(band))
    p.end()
    a, b, c = (x.reshape(400, 600, 4) for x in (_pixels(patched), _pixels(after), _pixels(before)))
    inside = np.zeros((400, 600), bool)
    inside[80:280, 120:420] = True
    assert (a[inside] == b[inside]).all()  # inside the clip: the new map exactly
    assert (a[~inside] == c[~inside]).all()  # outside: untouched
