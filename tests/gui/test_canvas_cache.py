"""The map canvas pans by blitting one rendered image; zooms and style changes render it again; a time
step, a zone edit or a plan arriving renders only the zones and the layers above them, over the cached
image of the layers below (the sites above the zones from their own transparent sheet), and the result is
the renderer's drawing of the whole map, pixel for pixel up to the sheet's rounding."""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
from PySide6 import QtGui

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
    partial = c.base.partial_renders
    demo_window.run_command(
        AddZone(
            "Z-TEST", shapely.box(cx - 300, cy - 300, cx + 300, cy + 300), name="测试封控区", level="sealed", start=s.at
        )
    )
    c.viewport().repaint()
    # a zone edit draws the zones and the layers above them again, over the cached layers below
    assert (c.base.renders, c.base.partial_renders) == (n, partial + 1)
    assert _differing(_composed(c), _whole_map(c)) == 0
    c.vb.scaleBy((0.5, 0.5))
    c.viewport().repaint()
    assert c.base.renders == n + 1


def _whole_map(canvas) -> QtGui.QImage:
    """One render of every layer, the highlights and the plans over the canvas's image extent."""
    base = canvas.base
    extent, rect = base.image_frame()
    image = base.new_image()
    p = base.begin(image)
    canvas.session.renderer.render(p, extent, rect, scale_bar=False)
    p.end()
    return image


def _composed(canvas) -> QtGui.QImage:
    """The canvas's top image with the highlights and plans drawn over it, as its items draw them live."""
    base = canvas.base
    extent, rect = base.image_frame()
    image = base._stacks[-1][1].copy()
    p = base.begin(image)
    canvas.session.renderer.render(p, extent, rect, scale_bar=False, background=False, layers=())
    p.end()
    return image


#: the sites above the zones are drawn once on a transparent sheet and laid over the zones: where a
#: symbol's antialiased edge is partly transparent, that rounds its colour once more (by 1 or 2 of 255)
ROUNDING = 2


def _differing(a: QtGui.QImage, b: QtGui.QImage) -> int:
    """How many colour channels differ by more than the sheet's rounding."""
    x, y = (np.frombuffer(i.constBits(), np.uint8).reshape(i.height(), -1).astype(np.int16) for i in (a, b))
    return int((np.abs(x - y) > ROUNDING).sum())


def test_time_steps_draw_the_zones_over_the_cached_layers_below(demo_window, qtbot):
    """Time steps that bring zones into force and end them never render the layers below the zones
    again (districts, compounds, roads, pipes), and the map shown is the whole map's render exactly."""
    demo_window.wait_for_workers()
    qtbot.wait(100)
    c, s = demo_window.canvas, demo_window.session
    c.viewport().repaint()
    assert c.base.stacks()[0] == [s.renderer.BASEMAP, "districts", "compounds", "roads", "pipes"]
    assert c.base.stacks()[1][0] == "lockdown_zones"
    z = s.project.layer("lockdown_zones")
    changes = sorted(set(pd.to_datetime(z["start"]).dropna()) | set(pd.to_datetime(z["end"]).dropna()))
    times = [changes[0] - pd.Timedelta(hours=1)] + changes[:: max(1, len(changes) // 8)] + [changes[-1], s.at]
    assert c.base.stacks()[2][0] == "staff"  # the sites above the zones: a sheet of their own
    n, partial, sheets = c.base.renders, c.base.partial_renders, c.base.sheet_renders
    for t in times:
        s.set_time(t)
        c.viewport().repaint()
        assert c.base.renders == n, t  # the layers below the zones: not rendered again
        assert c.base.sheet_renders == sheets, t  # nor the sites above them (only where labels moved)
        assert _differing(_composed(c), _whole_map(c)) == 0, t
    assert c.base.partial_renders > partial
    assert c.base.clipped_renders > 0  # drawn again only around the zones that changed
    # the plans of the last time arrive (their rings move labels at most): still no render from the bottom
    demo_window.wait_for_workers()
    qtbot.wait(200)
    c.viewport().repaint()
    assert c.base.renders == n
    assert _differing(_composed(c), _whole_map(c)) == 0


def test_a_step_that_changes_nothing_drawn_renders_nothing(demo_window, qtbot):
    demo_window.wait_for_workers()
    qtbot.wait(100)
    c, s = demo_window.canvas, demo_window.session
    # a second later the staffing plan (made for one moment) hides: its rings give their room back to
    # the labels, which may move (drawn again around them); a second after that nothing changes
    s.set_time(s.at + pd.Timedelta(seconds=1))
    c.viewport().repaint()
    n, partial = c.base.renders, c.base.partial_renders
    s.set_time(s.at + pd.Timedelta(seconds=1))  # no zone starts or ends within the second
    c.viewport().repaint()
    assert (c.base.renders, c.base.partial_renders) == (n, partial)
    assert _differing(_composed(c), _whole_map(c)) == 0


def test_time_steps_at_city_scale_draw_only_what_changed_and_match_the_whole_map(demo_window, qtbot):
    """Zoomed out to the whole city (zones drawn as marks, the sites' symbols crowded), every step draws
    again only the clips around what changed, point tiles cut to them, and the map shown is still
    the whole map's render exactly."""
    demo_window.wait_for_workers()
    qtbot.wait(100)
    c, s = demo_window.canvas, demo_window.session
    c.vb.scaleBy((4, 4))
    c.viewport().repaint()
    z = s.project.layer("lockdown_zones")
    changes = sorted(set(pd.to_datetime(z["start"]).dropna()) | set(pd.to_datetime(z["end"]).dropna()))
    n, clipped = c.base.renders, c.base.clipped_renders
    for t in changes[:: max(1, len(changes) // 6)] + [changes[-1]]:
        s.set_time(t)
        c.viewport().repaint()
        assert c.base.renders == n, t
        assert _differing(_composed(c), _whole_map(c)) == 0, t
    assert c.base.clipped_renders > clipped


def test_the_first_map_draws_paths_the_open_built(window, qtbot):
    """File → Open builds the map's painters and their paths at the whole city's detail in its worker
    (``load_project`` → ``warm_renderer``): the first paint in the GUI thread builds no path."""
    from heatgis.errors import Feedback
    from heatgis.gui.workers import load_project
    from tests.gui.conftest import DEMO

    vp = window.canvas.viewport()
    project, engine, live, renderer, _ = load_project(str(DEMO), window.lang, (vp.width(), vp.height()))(Feedback())
    assert renderer is not None and renderer.painters  # every layer's painter is made
    window.set_project(project, engine, live, renderer)
    assert window.session.renderer is renderer
    batches = [b for p in renderer.painters.values() if p is not None for b in p.batches()]
    assert len(batches) > 10
    built = [set(b._levels) for b in batches]
    assert all(built)  # a level of every batch, before any paint
    window.canvas.viewport().repaint()
    assert window.canvas.base.renders >= 1
    assert [set(b._levels) for b in batches] == built  # the paint used them: nothing new was built


def test_a_renderer_of_another_language_is_not_taken(window, qtbot):
    from heatgis.errors import Feedback
    from heatgis.gui.workers import load_project
    from tests.gui.conftest import DEMO

    other = "zh" if window.lang == "en" else "en"
    project, engine, live, renderer, _ = load_project(str(DEMO), other, (800, 600))(Feedback())
    window.set_project(project, engine, live, renderer)
    assert window.session.renderer is not renderer
    assert window.session.renderer.style.lang == window.lang


def test_locked_sites_follow_the_time_from_coordinates_read_once(demo_window):
    """The locked sites' coordinates come from every site's, read once per engine, at every time."""
    from heatgis.render.qpath import points_xy

    s = demo_window.session
    geoms = s.engine.sites.geoms
    seen = set()
    for t in pd.date_range(s.at - pd.Timedelta(days=6), periods=5, freq="3D"):
        s.set_time(t)
        xy = s.locked_xy()
        assert np.array_equal(xy, points_xy(geoms[s.live.locked]), equal_nan=True), t
        np.testing.assert_array_equal(demo_window.canvas.session.renderer.highlight.locked_xy, xy)
        seen.add(len(xy))
    assert len(seen) > 1  # the locked sites changed with the time
    assert s._site_xy[0] is geoms


def test_the_first_map_is_the_one_the_open_rendered(window, qtbot):
    """File → Open renders the first map in its worker (``first_map.FirstMap``) for the frame the
    canvas will show; the canvas adopts it: its first paint renders nothing, and the adopted image is
    the renderer's drawing of the whole map. Another frame (the window resized) renders as before."""
    from heatgis.gui.first_map import FirstMap
    from tests.gui.conftest import DEMO

    with qtbot.waitSignal(window.projectLoaded, timeout=60000):
        window.open_project(DEMO)
    c = window.canvas
    c.viewport().repaint()
    assert c.base.adopted == 1
    assert c.base.renders == 0  # nothing rendered in the GUI thread
    assert c.base.first_map is None  # used once
    assert _differing(_composed(c), _whole_map(c)) == 0
    fresh = _fresh_stacks(c)
    assert len(fresh) == len(c.base._stacks)
    for (key, image, _), (key2, image2, _) in zip(c.base._stacks, fresh):
        assert key == key2
        assert image == image2  # the adopted stacks are the canvas's own render, pixel for pixel
    # a frame it was not made for is rendered in the GUI thread
    vp = c.viewport()
    pre = FirstMap(c.session.renderer, c.base.deviceTransform(c.viewportTransform()), vp.width() + 10, vp.height())
    assert not pre.render().matches(
        c.session.renderer, c.base.deviceTransform(c.viewportTransform()), vp.width(), vp.height(), 1.0, True
    )
    window.wait_for_workers()


def _fresh_stacks(canvas) -> list:
    """The canvas's stacks for its frame, rendered again by the canvas itself."""
    base = canvas.base
    saved = (base._stacks, base.renders)
    base._stacks = []
    base._update()
    fresh, base._stacks = base._stacks, saved[0]
    base.renders = saved[1]
    return fresh


def test_a_first_map_for_another_size_is_drawn_again_in_a_worker(window, qtbot):
    """The panels took some of the map's room after the open's worker drew the first map (the 10x
    city's wider figures): the window draws it again in a worker for the room the map has, and
    shows the map then (``projectLoaded``); its first paint still renders nothing in the GUI thread."""
    from heatgis.errors import Feedback
    from heatgis.gui.workers import load_project
    from tests.gui.conftest import DEMO

    vp = window.canvas.viewport()
    res = load_project(str(DEMO), window.lang, (vp.width() + 7, vp.height()))(Feedback())
    assert res[4] is not None and res[4].size[0] == vp.width() + 7
    with qtbot.waitSignal(window.projectLoaded, timeout=60000):
        window.set_project(*res)
        assert window.canvas.session is None  # the map waits for its drawing
    c = window.canvas
    assert c.session is window.session
    c.viewport().repaint()
    assert (c.base.adopted, c.base.renders) == (1, 0)
    assert _differing(_composed(c), _whole_map(c)) == 0
    window.wait_for_workers()
