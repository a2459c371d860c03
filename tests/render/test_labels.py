"""Labels of all layers share one space: none overlaps another, none lies under a locked-site ring."""

from __future__ import annotations

import itertools
import os

import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _boxes(ctx):
    return [(layer, x0, y0 - h / 2, w, h) for layer, placed in ctx.placed.items() for x0, y0, w, h, _ in placed]


def _overlap(a, b) -> bool:
    return a[1] < b[1] + b[3] and b[1] < a[1] + a[3] and a[2] < b[2] + b[4] and b[2] < a[2] + a[4]


def test_labels_of_all_layers_never_overlap_and_keep_clear_of_rings(demo_project, qapp):
    from PySide6 import QtCore, QtGui

    from heatgis.analysis.impact import impact
    from heatgis.export.pages import map_renderer
    from heatgis.render.highlight import HighlightPainter
    from heatgis.render.layers import to_device

    result = impact(demo_project)
    r = map_renderer(demo_project, result)
    locked = r.highlight.locked_xy
    assert len(locked) == 27
    cx, cy = np.median(locked, axis=0)
    img = QtGui.QImage(1400, 1000, QtGui.QImage.Format.Format_RGB32)
    p = QtGui.QPainter(img)
    for half in (1500.0, 4000.0):  # station names show at the first scale, zone names at both
        ctx = r.render(p, (cx - half, cy - half, cx + half, cy + half), QtCore.QRectF(0, 0, 1400, 1000))
        boxes = _boxes(ctx)
        layers = {b[0] for b in boxes}
        assert len(boxes) > 5 and "lockdown_zones" in layers
        for a, b in itertools.combinations(boxes, 2):
            assert not _overlap(a, b), (a, b)
        # the rings of locked sites (drawn above all layers) cover no label
        p.setWorldTransform(_transform(r, ctx))
        rr, w = HighlightPainter.LOCKED_RING
        half_ring = rr + w / 2
        for x, y in to_device(p, r.highlight.locked_xy):
            ring = ("ring", x - half_ring, y - half_ring, 2 * half_ring, 2 * half_ring)
            hit = [b for b in boxes if _overlap(ring, b)]
            assert not hit, (ring, hit)
        p.resetTransform()
    p.end()


def _transform(r, ctx):
    from PySide6 import QtCore

    from heatgis.render.mapdraw import fit_extent

    return fit_extent(ctx.extent, QtCore.QRectF(0, 0, 1400, 1000))[1]


def test_labels_keep_clear_of_reserved_furniture(demo_project, qapp):
    """A print layout reserves its north arrow and scale bar: no label is placed under them."""
    from PySide6 import QtCore, QtGui

    from heatgis.analysis.impact import impact
    from heatgis.export.pages import map_renderer

    r = map_renderer(demo_project, impact(demo_project))
    cx, cy = np.median(r.highlight.locked_xy, axis=0)
    img = QtGui.QImage(1400, 1000, QtGui.QImage.Format.Format_RGB32)
    p = QtGui.QPainter(img)
    view = (cx - 1500, cy - 1500, cx + 1500, cy + 1500)
    free = r.render(p, view, QtCore.QRectF(0, 0, 1400, 1000))
    # reserve the busiest spot of the free layout: the box around its first few labels
    first = [b for b in _boxes(free)][:3]
    x0, y0 = min(b[1] for b in first), min(b[2] for b in first)
    x1, y1 = max(b[1] + b[3] for b in first), max(b[2] + b[4] for b in first)
    box = QtCore.QRectF(x0, y0, x1 - x0, y1 - y0)
    kept = r.render(p, view, QtCore.QRectF(0, 0, 1400, 1000), reserved=[box])
    p.end()
    furniture = ("box", box.left(), box.top(), box.width(), box.height())
    assert _boxes(kept) and not any(_overlap(furniture, b) for b in _boxes(kept))
