"""The map canvas pans by blitting one rendered image; edits, zooms and style changes render again."""

from __future__ import annotations

import numpy as np
import shapely

from heatgis.model.commands import AddZone


def _pixels(widget) -> np.ndarray:
    from PySide6 import QtGui

    img = widget.grab().toImage().convertToFormat(QtGui.QImage.Format.Format_RGB32)
    ptr = img.constBits()
    return np.frombuffer(ptr, np.uint8).reshape(img.height(), img.bytesPerLine())[:, : img.width() * 4].copy()


def test_pan_reuses_the_rendered_map(demo_window, qtbot):
    c = demo_window.canvas
    c.viewport().repaint()
    before = c.base.renders
    w = c.vb.viewRect().width()
    for _ in range(5):
        c.vb.translateBy(x=0.03 * w, y=0)
        c.viewport().repaint()
    assert c.base.renders == before  # inside the margin: no new rendering
    c.vb.translateBy(x=0.5 * w, y=0)  # beyond the margin
    c.viewport().repaint()
    assert c.base.renders == before + 1


def test_cached_frame_matches_a_direct_render(demo_window, qtbot):
    demo_window.wait_for_workers()  # the staffing plan lands its rings first
    qtbot.wait(100)
    c = demo_window.canvas
    c.vb.translateBy(x=0.05 * c.vb.viewRect().width(), y=0)
    c.viewport().repaint()
    cached = _pixels(c.viewport())
    c.cache_enabled = False
    c.viewport().repaint()
    direct = _pixels(c.viewport())
    c.cache_enabled = True
    # the blit lands on whole pixels, the direct drawing at the view's sub-pixel offset: compare
    # each pixel with its 3x3 neighbourhood in the other image
    a = cached.reshape(cached.shape[0], -1, 4)[:, :, :3].astype(int)
    b = direct.reshape(direct.shape[0], -1, 4)[:, :, :3].astype(int)
    best = np.full(a.shape[:2], 10**6)
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            shifted = np.roll(np.roll(b, dy, axis=0), dx, axis=1)
            best = np.minimum(best, np.abs(a - shifted).sum(axis=2))
    share = (best[2:-2, 2:-2] > 60).mean()
    # what remains are labels: the cached image places them over a larger extent, so a few
    # collide differently; geometry and symbols match
    assert share < 0.03, share


def test_edit_and_zoom_render_again(demo_window):
    c = demo_window.canvas
    s = demo_window.session
    c.viewport().repaint()
    n = c.base.renders
    x0, y0, x1, y1 = (c.vb.viewRect().left(), c.vb.viewRect().top(), c.vb.viewRect().right(), c.vb.viewRect().bottom())
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    demo_window.run_command(
        AddZone(
            "Z-TEST", shapely.box(cx - 300, cy - 300, cx + 300, cy + 300), name="测试封控区", level="sealed", start=s.at
        )
    )
    c.viewport().repaint()
    assert c.base.renders == n + 1
    c.vb.scaleBy((0.5, 0.5))
    c.viewport().repaint()
    assert c.base.renders == n + 2
