"""A map readable at a glance: the staffing status marks differ by shape (deuteranopia simulation),
red keeps one meaning, and a ringed station keeps its name."""

from __future__ import annotations

import colorsys

import numpy as np
import pytest

pytestmark = pytest.mark.usefixtures("qapp")

RING_STATES = ("staffed", "partial", "unstaffed")


def _marks_image(px: float = 1.0):
    """The three status marks on white, 120 px apart, at ``px`` device px per style px."""
    from PySide6 import QtCore, QtGui

    from heatgis.render.context import ViewContext
    from heatgis.render.mapdraw import fit_extent
    from heatgis.render.overlays import SiteStatusOverlay

    w, h = int(360 * px), int(120 * px)
    img = QtGui.QImage(w, h, QtGui.QImage.Format.Format_RGB32)
    img.fill(QtGui.QColor("#ffffff"))
    o = SiteStatusOverlay()
    o.set_sites([60, 180, 300], [60, 60, 60], list(RING_STATES))
    extent, tf, m = fit_extent((0, 0, 360, 120), QtCore.QRectF(0, 0, w, h))
    p = QtGui.QPainter(img)
    p.setWorldTransform(tf)
    o.paint(p, ViewContext(extent, m, "zh", px))
    p.end()
    return img


def _patches(img, px):
    from heatgis.render.cvd import image_array, simulate

    rgb = simulate(image_array(img), "deuteranopia")
    half = int(20 * px)
    c = int(60 * px)
    return [rgb[c - half : c + half, int(x * px) - half : int(x * px) + half] for x in (60, 180, 300)]


@pytest.mark.parametrize("px", [1.0, 300 / 72])
def test_status_marks_differ_in_shape_under_deuteranopia(px):
    from heatgis.render.cvd import luminance

    patches = _patches(_marks_image(px), px)
    ink = [(255 - p.astype(int)).max(axis=2) > 60 for p in patches]  # drawn, whatever its hue
    for a in range(3):
        for b in range(a + 1, 3):
            diff = (ink[a] ^ ink[b]).sum() / (ink[a] | ink[b]).sum()
            assert diff > 0.2, (RING_STATES[a], RING_STATES[b], diff)
    # the shapes themselves, in grey levels of the simulated image (no hue needed):
    lum = [luminance(p) for p in patches]
    n = lum[0].shape[0]
    c, q = n // 2, max(2, int(4 * px))
    left = [float(v[c - q : c + q, c - int(8 * px) : c - int(4 * px)].mean()) for v in lum]
    right = [float(v[c - q : c + q, c + int(4 * px) : c + int(8 * px)].mean()) for v in lum]
    assert left[0] > 0.9 and right[0] > 0.9  # staffed: an empty ring
    assert left[1] < 0.6 and right[1] > 0.9  # partly staffed: the left half filled
    diag = [float(v[c + int(d * px), c + int(d * px)]) for d in (-5, 5) for v in lum[2:]]
    assert max(diag) < 0.35  # unstaffed: a cross through the middle
    assert lum[2][c, c - int(6 * px)] > lum[2][c - int(5 * px), c - int(5 * px)]  # between the arms: lighter


def _hue_is_red(hex_: str) -> bool:
    r, g, b = (int(hex_[i : i + 2], 16) / 255 for i in (1, 3, 5))
    h, light, s = colorsys.rgb_to_hls(r, g, b)
    return s > 0.35 and 0.15 < light < 0.8 and (h * 360 < 15 or h * 360 > 340)


def test_red_means_the_sealed_zones_alone():
    from heatgis.render.layout_parts import ACCENT
    from heatgis.render.overlays import STATUS_COLOURS
    from heatgis.render.styles import LEVEL_STYLE, default_style

    st = default_style()
    assert _hue_is_red(LEVEL_STYLE["sealed"][0])
    others = {
        "heat sources": st.get("heat_sources").color,
        "unstaffed": STATUS_COLOURS["unstaffed"],
        "KPI figures": ACCENT.name(),
    }
    assert not any(_hue_is_red(c) for c in others.values()), others
    assert len({c.lower() for c in others.values()} | {LEVEL_STYLE["sealed"][0]}) == 4


def test_a_ringed_station_keeps_its_label(demo_project):
    from PySide6 import QtCore, QtGui

    from heatgis.analysis.impact import impact
    from heatgis.export.pages import map_renderer
    from heatgis.export.pdf import ensure_gui_app
    from heatgis.render.overlays import SiteStatusOverlay

    ensure_gui_app()
    res = impact(demo_project)
    r = map_renderer(demo_project, res)
    st = demo_project.layer("stations").set_index("station_id")
    ids = res.sites.loc[res.sites["kind"] == "station", "id"].tolist()[:6]
    pts = st.loc[ids].geometry
    o = SiteStatusOverlay()
    o.set_sites(pts.x, pts.y, (list(RING_STATES) * 2)[: len(ids)])
    r.overlays = [o]
    for sid in ids:
        x, y = st.loc[sid].geometry.x, st.loc[sid].geometry.y
        img = QtGui.QImage(700, 450, QtGui.QImage.Format.Format_RGB32)
        p = QtGui.QPainter(img)
        ctx = r.render(p, (x - 350, y - 225, x + 350, y + 225), QtCore.QRectF(0, 0, 700, 450))
        p.end()
        names = [t[4] for t in ctx.placed["stations"]]
        assert st.loc[sid, "name"] in names
        x0, y0, w, h, _ = next(t for t in ctx.placed["stations"] if t[4] == st.loc[sid, "name"])
        assert y0 - h / 2 >= 225 + 11  # below the ring (radius 11 px), not under it


def test_every_ringed_station_in_a_crowded_view_keeps_its_label(demo_project):
    """All locked stations ringed at once, views on the tightest groups: each ringed name is placed."""
    from PySide6 import QtCore, QtGui

    from heatgis.analysis.impact import impact
    from heatgis.export.pages import map_renderer
    from heatgis.export.pdf import ensure_gui_app
    from heatgis.render.overlays import SiteStatusOverlay

    ensure_gui_app()
    res = impact(demo_project)
    r = map_renderer(demo_project, res)
    st = demo_project.layer("stations").set_index("station_id")
    ids = res.sites.loc[res.sites["kind"] == "station", "id"].tolist()
    xy = np.column_stack([st.loc[ids].geometry.x, st.loc[ids].geometry.y])
    o = SiteStatusOverlay()
    o.set_sites(xy[:, 0], xy[:, 1], (list(RING_STATES) * len(ids))[: len(ids)])
    r.overlays = [o]
    br = demo_project.layer("boiler_rooms").set_index("asset_id")
    bids = res.sites.loc[res.sites["kind"] == "boiler_room", "id"].tolist()
    sites = np.vstack([xy, np.column_stack([br.loc[bids].geometry.x, br.loc[bids].geometry.y])])
    tight = np.argsort([np.sort(np.hypot(*(sites - p).T))[2] for p in sites])[:4]
    xy_centres = sites
    checked = 0
    for k, (w, h) in ((k, wh) for k in tight for wh in ((744, 377), (744, 478))):
        cx, cy = xy_centres[k]
        img = QtGui.QImage(w, h, QtGui.QImage.Format.Format_RGB32)
        p = QtGui.QPainter(img)
        ctx = r.render(p, (cx - 700, cy - 450, cx + 700, cy + 450), QtCore.QRectF(0, 0, w, h))
        p.end()
        ext = ctx.extent
        placed = {t[4] for t in ctx.placed["stations"]}
        inner = (
            (xy[:, 0] > ext[0] + 250)
            & (xy[:, 0] < ext[2] - 250)
            & (xy[:, 1] > ext[1] + 120)
            & (xy[:, 1] < ext[3] - 120)
        )
        for sid in np.asarray(ids)[inner]:
            assert st.loc[sid, "name"] in placed, sid
            checked += 1
    assert checked >= 6
