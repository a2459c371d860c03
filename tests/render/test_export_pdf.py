"""The print layout for real: PDF page size/count, embedded CJK font, text; PNG pixel size; errors."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from heatgis.errors import HeatGISError

pytestmark = pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils not installed")


def _run(*args) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def ctx(demo_project, qapp):  # pytest-qt's QApplication, so GUI tests can share the session
    from heatgis.analysis.impact import impact
    from heatgis.export.pages import map_renderer
    from heatgis.export.pdf import ensure_gui_app

    ensure_gui_app()
    result = impact(demo_project)
    return demo_project, result, map_renderer(demo_project, result)


@pytest.fixture(scope="module")
def a3_pdf(ctx, tmp_path_factory):
    from heatgis.export.pages import situation_page
    from heatgis.export.pdf import write_pdf
    from heatgis.render.layout import PageSpec

    project, result, r = ctx
    path = tmp_path_factory.mktemp("pdf") / "map.pdf"
    write_pdf([situation_page(project, result, r)], PageSpec("A3", True, 300), path, r)
    return path


def test_pdf_page_size_and_count(a3_pdf):
    info = _run("pdfinfo", str(a3_pdf))
    assert "Pages:           1" in info
    assert "1191 x 842 pts (A3)" in info


def test_pdf_embeds_a_cjk_font(a3_pdf):
    fonts = _run("pdffonts", str(a3_pdf)).splitlines()[2:]
    cjk = [ln for ln in fonts if any(k in ln for k in ("WenQuanYi", "YaHei", "SimHei", "NotoSansCJK", "SourceHan"))]
    assert cjk, fonts
    assert all(" yes " in ln for ln in cjk)  # embedded


def test_pdf_text_has_title_and_figures(a3_pdf):
    text = _run("pdftotext", str(a3_pdf), "-")
    assert "疫情封控区供热影响图" in text
    assert "2022-02-25 08:00" in text
    for figure in ("24", "515.90", "3.85", "436", "15/248"):
        assert figure in text
    assert "EPSG:4546" in text and "锁闭站点" in text and "比例尺 1:" in text


def test_png_has_the_requested_pixels(ctx, tmp_path):
    from PySide6 import QtGui

    from heatgis.export.pages import situation_page
    from heatgis.export.pdf import write_png
    from heatgis.render.layout import PageSpec

    project, result, r = ctx
    path = write_png(situation_page(project, result, r), PageSpec("A4", True, 300), tmp_path / "m.png", r)
    img = QtGui.QImage(str(path))
    assert (img.width(), img.height()) == (3508, 2480)
    assert abs(img.dotsPerMeterX() * 0.0254 - 300) < 1
    # not blank: the map and the red KPI figures are there
    colours = {img.pixel(x, y) for x in range(0, 3508, 97) for y in range(0, 2480, 97)}
    assert len(colours) > 20


def test_scale_bar_is_true_at_page_scale(ctx):
    from PySide6 import QtGui

    from heatgis.export.pages import situation_page
    from heatgis.render.layout import PageSpec, paint_page

    project, result, r = ctx
    spec = PageSpec("A4", False, 150)
    img = QtGui.QImage(*spec.size_px, QtGui.QImage.Format.Format_RGB32)
    p = QtGui.QPainter(img)
    info = paint_page(p, spec, situation_page(project, result, r), r)
    p.end()
    paper_m = info["bar_pt"] * 0.0254 / 72
    assert info["bar_m"] / paper_m == pytest.approx(info["scale"], rel=1e-9)
    from heatgis.render.layout import round_scale

    assert round_scale(info["scale"]) == info["scale"] and info["bar_m"] in {1000, 2000, 5000, 500, 200, 10000}


def test_atlas_pages_the_zones_with_impact_by_households(ctx, tmp_path):
    """By default one page per sealed or controlled zone that locks sites, most households first, each
    zoomed to its zone; ``all_zones`` pages every active zone."""
    from heatgis.export.pages import atlas_pages, zones_with_impact
    from heatgis.export.pdf import write_pdf
    from heatgis.render.layout import PageSpec

    project, result, r = ctx
    shown, _ = zones_with_impact(result.zones)
    pages = atlas_pages(project, result, r, "zones")
    assert len(pages) == len(shown) == 22 < result.totals.zones_active
    hh = [int(p.kpis[3][1].replace(".", "")) for p in pages]  # 万户 with two decimals
    assert hh == sorted(hh, reverse=True)
    assert all(p.highlight.startswith(z) for p, z in zip(pages, shown["zone_id"]))
    for p in pages:  # zoomed to its zone: the page's extent is a few times the zone, not the city
        fx0, fy0, fx1, fy1 = p.focus.bounds
        x0, y0, x1, y1 = p.extent
        assert x0 <= fx0 and x1 >= fx1 and (x1 - x0) < 6 * max(fx1 - fx0, fy1 - fy0, 1500.0)
    assert len(atlas_pages(project, result, r, "zones", all_zones=True)) == result.totals.zones_active == 44
    path = write_pdf(pages, PageSpec("A4", True, 150), tmp_path / "atlas.pdf", r)
    assert "Pages:           22" in _run("pdfinfo", str(path))
    text = _run("pdftotext", "-f", "2", "-l", "2", str(path), "-")
    z = shown.iloc[1]
    assert z["zone_id"] in text and z["name"] in text


def test_district_page_and_unknown_district(ctx):
    from heatgis.export.pages import situation_page

    project, result, r = ctx
    page = situation_page(project, result, r, district="新城区")
    assert len(page.sites) == int(
        result.by_district.set_index("district").loc["新城区", "stations"]
        + result.by_district.set_index("district").loc["新城区", "boiler_rooms"]
    )
    with pytest.raises(HeatGISError) as e:
        situation_page(project, result, r, district="不存在区")
    assert "不存在区" in str(e.value) and "新城区" in str(e.value) and "districts" in str(e.value)


def test_bad_paper_dpi_and_folder(ctx, tmp_path):
    from heatgis.export.pages import situation_page
    from heatgis.export.pdf import write_pdf
    from heatgis.render.layout import PageSpec

    with pytest.raises(HeatGISError, match="A4, A3, A2, A1 or A0") as err:
        PageSpec("A5")
    assert err.value.text("zh") == "错误：不支持纸张 'A5' 解决办法：使用 --paper A4、A3、A2、A1 或 A0"
    with pytest.raises(HeatGISError, match="150 or --dpi 300"):
        PageSpec("A4", True, 600)
    project, result, r = ctx
    with pytest.raises(HeatGISError, match="does not exist") as err:
        write_pdf([situation_page(project, result, r)], PageSpec(), tmp_path / "nope" / "m.pdf", r)
    assert f"文件夹 {tmp_path / 'nope'} 不存在 解决办法：新建该文件夹，或另选输出文件夹" in err.value.text("zh")
