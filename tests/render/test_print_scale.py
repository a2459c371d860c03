"""Print at the scale on screen: round scales from the planners' series, never 25% below the fit."""

from __future__ import annotations

import numpy as np
import pytest

from heatgis.errors import HeatGISError
from heatgis.render.layout import SCALE_STEPS, nice_scales, parse_scale, round_scale


def test_round_scale_never_more_than_25_percent_below_the_fit():
    fits = np.geomspace(800, 3_000_000, 20001)
    chosen = np.array([round_scale(f) for f in fits])
    ratio = fits / chosen
    assert (chosen >= fits * (1 - 1e-9)).all()  # the map still fits
    assert ratio.min() >= 0.75 - 1e-9  # never more than 25% smaller than what fits
    mant = chosen / 10 ** np.floor(np.log10(chosen) + 1e-12)
    assert set(np.round(mant, 6)) <= set(SCALE_STEPS)


@pytest.mark.parametrize(
    "fit, expected",
    [
        (104_223, 125_000),
        (110_831, 125_000),
        (126_000, 150_000),
        (48_213, 50_000),
        (10_001, 12_500),
        (2_100, 2_500),
        (160_000, 200_000),
        (7_400, 7_500),
        (7_600, 10_000),
    ],
)
def test_round_scale_values(fit, expected):
    assert round_scale(fit) == expected


def test_nice_scales_and_typed_scales():
    assert nice_scales(10_000, 100_000) == [
        10_000,
        12_500,
        15_000,
        20_000,
        25_000,
        30_000,
        40_000,
        50_000,
        60_000,
        75_000,
        100_000,
    ]
    assert parse_scale("1:25000") == 25_000
    assert parse_scale(" 1 : 25,000 ") == 25_000
    assert parse_scale("1：2.5万") == 25_000
    assert parse_scale("110831") == 110_831
    assert parse_scale("") is None and parse_scale("auto") is None
    for bad in ("abc", "2:5000", "1:0", "-5"):
        with pytest.raises(HeatGISError):
            parse_scale(bad)


@pytest.fixture(scope="module")
def ctx(demo_project, qapp):
    from heatgis.analysis.impact import impact
    from heatgis.export.pages import map_renderer
    from heatgis.export.pdf import ensure_gui_app

    ensure_gui_app()
    result = impact(demo_project)
    return demo_project, result, map_renderer(demo_project, result)


def _paint(ctx, page, spec):
    from PySide6 import QtGui

    from heatgis.render.layout import paint_page

    project, result, r = ctx
    img = QtGui.QImage(*spec.size_px, QtGui.QImage.Format.Format_RGB32)
    p = QtGui.QPainter(img)
    info = paint_page(p, spec, page, r)
    p.end()
    return info


def test_the_city_on_a3_prints_at_the_next_round_scale(ctx):
    """The issue: the whole city (1:110,831 on screen) printed on A3 at 1:200,000."""
    from heatgis.export.pages import situation_page
    from heatgis.render.layout import PageSpec
    from heatgis.render.mapdraw import fit_extent

    project, result, r = ctx
    page = situation_page(project, result, r)
    info = _paint(ctx, page, PageSpec("A3", True, 150))
    _, _, m_per_pt = fit_extent(page.extent, info["frame"])
    fit = m_per_pt / (0.0254 / 72)
    assert fit / info["scale"] >= 0.75
    assert info["scale"] <= 150_000 and info["scale"] != 200_000
    assert info["scale"] == round_scale(fit)


def test_a_typed_scale_is_printed_exactly(ctx):
    from heatgis.export.pages import situation_page
    from heatgis.render.layout import PageSpec

    project, result, r = ctx
    page = situation_page(project, result, r)
    page.scale = 25_000
    info = _paint(ctx, page, PageSpec("A4", True, 150))
    assert info["scale"] == 25_000
    x0, y0, x1, y1 = info["extent"]
    frame_m = info["frame"].width() * 0.0254 / 72
    assert (x1 - x0) / frame_m == pytest.approx(25_000, rel=1e-9)
    cx, cy = (page.extent[0] + page.extent[2]) / 2, (page.extent[1] + page.extent[3]) / 2
    assert ((x0 + x1) / 2, (y0 + y1) / 2) == pytest.approx((cx, cy))
