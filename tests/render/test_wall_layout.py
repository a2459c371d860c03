"""The wall map, readable from 2 m: on A2/A1/A0 (or when asked) no text is below 14 pt on paper, the
map's labels are not either and its symbols grow with the sheet; the planner picks the text size; an
A0 PNG at 300 dpi is refused (the PDF is vector)."""

from __future__ import annotations

import pytest
from PySide6 import QtGui

from heatgis.errors import HeatGISError


@pytest.fixture(scope="module")
def ctx(demo_project, qapp):
    from heatgis.analysis.impact import impact
    from heatgis.export.pages import map_renderer
    from heatgis.export.pdf import ensure_gui_app

    ensure_gui_app()
    result = impact(demo_project)
    return demo_project, result, map_renderer(demo_project, result)


def _paint(ctx, spec, monkeypatch):
    """Paint the situation page; the text sizes asked for (points on paper) and the map's factors."""
    from heatgis.export.pages import situation_page
    from heatgis.render import layout
    from heatgis.render.mapdraw import MapRenderer

    project, result, r = ctx
    sizes, renders = [], []
    font = layout.PageCanvas.font

    def spy_font(self, pt, bold=False):
        f = font(self, pt, bold)
        sizes.append(f.pointSizeF() / self.g)
        return f

    real_render = MapRenderer.render

    def spy_render(self, painter, extent, target, **kw):
        renders.append(kw)
        return real_render(self, painter, extent, target, **kw)

    monkeypatch.setattr(layout.PageCanvas, "font", spy_font)
    monkeypatch.setattr(MapRenderer, "render", spy_render)
    w, h = spec.size_pt
    img = QtGui.QImage(round(w / 4), round(h / 4), QtGui.QImage.Format.Format_RGB32)  # 18 dpi is enough here
    p = QtGui.QPainter(img)
    info = layout.paint_page(p, spec, situation_page(project, result, r), r)
    p.end()
    k = img.width() / w
    labels = min(st.label_size for st in r.style.layers if st.visible and st.labels)
    frame = renders[0]
    return sizes, labels * frame["font_px"] / (k * 72.0 / (img.logicalDpiY() or 72)), frame["px"] / k, info


def test_wall_sheets_keep_text_legible_from_two_metres(ctx, monkeypatch):
    from heatgis.render.layout import WALL_MIN_PT, PageSpec

    a3 = PageSpec("A3", True)
    assert not a3.wall and a3.min_text_pt == 0
    sizes, label_pt, sym, _ = _paint(ctx, a3, monkeypatch)
    assert min(sizes) < 11 and label_pt < 11 and sym == pytest.approx(1.0)  # the desk layout, as before
    for paper in ("A1", "A0"):
        spec = PageSpec(paper, True)
        assert spec.wall and spec.min_text_pt == WALL_MIN_PT == 14
        sizes, label_pt, sym, info = _paint(ctx, spec, monkeypatch)
        assert min(sizes) >= 14 - 1e-6, paper  # legend, tables, footer, scale bar
        assert label_pt >= 14 - 1e-6, paper  # the map's labels
        assert sym == pytest.approx((spec.size_pt[1] / 595.0) ** 0.5)  # symbols and rings grown with the sheet
        assert info["rows"] > 0  # the locked-sites table still has rows
    # A3 as a wall map, and the planner's text size
    sizes, label_pt, _, _ = _paint(ctx, PageSpec("A3", True, wall=True, text_scale=1.5), monkeypatch)
    assert min(sizes) >= 14 - 1e-6 and label_pt >= 14 - 1e-6
    big, _, _, _ = _paint(ctx, PageSpec("A3", True, text_scale=1.5), monkeypatch)
    assert max(big) == pytest.approx(1.5 * max(_paint(ctx, a3, monkeypatch)[0]))


def test_big_png_refused_and_bad_options(ctx):
    from heatgis.render.layout import PageSpec

    PageSpec("A0", True, 150).check_png()  # 7022 x 4967: fine
    with pytest.raises(HeatGISError, match="PDF"):
        PageSpec("A0", True, 300).check_png()
    with pytest.raises(HeatGISError, match="A0"):
        PageSpec("B5")
    with pytest.raises(HeatGISError):
        PageSpec("A3", text_scale=9)
    assert PageSpec("a1").page_layout().pageSize().id() == QtGui.QPageSize.PageSizeId.A1
