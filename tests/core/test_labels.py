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
    from heatgis.render.layers import HighlightPainter, to_device

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
