"""One device-pixel scale: the 300-dpi PNG and the PDF (rasterised by pdftoppm at 300 dpi) of the same
pages look alike, the plans are on the printed map, and the screen's px=1 is what it was.

The pages are the demo at the reference time with a real staffing plan and a real OR-Tools crew plan:
the city map (A4 landscape), a close-up of a staffed locked site (its magenta ring, labels) and a
close-up of a crew stop (the crew's marker and route).
"""

from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pytest

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")

DPI = 300
K = DPI / 72.0  # device pixels per point (per style pixel) at 300 dpi


def _rgb(img) -> np.ndarray:
    """(h, w, 3) uint8 array of a QImage."""
    from PySide6 import QtGui

    img = img.convertToFormat(QtGui.QImage.Format.Format_RGB888)
    w, h, bpl = img.width(), img.height(), img.bytesPerLine()
    buf = np.frombuffer(img.constBits(), np.uint8, count=bpl * h).reshape(h, bpl)
    return buf[:, : w * 3].reshape(h, w, 3).copy()


def _hex(c: str) -> np.ndarray:
    return np.array([int(c[i : i + 2], 16) for i in (1, 3, 5)], float)


def _near(rgb: np.ndarray, colours, tol: float = 28.0) -> np.ndarray:
    """Mask of pixels within ``tol`` (RGB distance) of any of ``colours``."""
    a = rgb.astype(float)
    m = np.zeros(rgb.shape[:2], bool)
    for c in colours:
        m |= np.sqrt(((a - _hex(c)) ** 2).sum(axis=2)) < tol
    return m


@pytest.fixture(scope="module")
def plans(demo_project, qapp):
    from heatgis.analysis.impact import impact
    from heatgis.analysis.staffing import plan_staffing
    from heatgis.export.pdf import ensure_gui_app
    from heatgis.routing.planner import plan_routes

    ensure_gui_app()
    result = impact(demo_project)
    staffing = plan_staffing(demo_project, result.at)
    crew_plan = plan_routes(demo_project, at=result.at, time_limit=1.0)
    assert len(crew_plan.routes) > 0
    return demo_project, result, staffing, crew_plan


@pytest.fixture(scope="module")
def printed(plans, tmp_path_factory):
    """Three pages written as one PDF and as 300-dpi PNGs, the PDF rasterised at 300 dpi."""
    from PySide6 import QtGui

    from heatgis.export.pages import map_renderer, situation_page
    from heatgis.export.pdf import write_pdf, write_png
    from heatgis.render.layout import PageSpec, paint_page

    project, result, staffing, crew_plan = plans
    r = map_renderer(project, result, staffing=staffing, crew_plan=crew_plan)
    sites = staffing.sites
    staffed = sites[sites["status"] == "staffed"].iloc[0]
    stop_id = crew_plan.routes["site_id"].iloc[0]
    stop = sites[sites["site_id"] == stop_id].iloc[0]
    centres = {"staffed": (staffed["x"], staffed["y"]), "stop": (stop["x"], stop["y"])}

    def around(x, y, d=300.0):
        return (x - d, y - d, x + d, y + d)

    pages = [
        situation_page(project, result, r),
        situation_page(project, result, r, extent=around(*centres["staffed"])),
        situation_page(project, result, r, extent=around(*centres["stop"])),
    ]
    spec = PageSpec("A4", True, DPI)
    out = tmp_path_factory.mktemp("pxscale")
    write_pdf(pages, spec, out / "map.pdf", r)
    subprocess.run(["pdftoppm", "-r", str(DPI), "-png", str(out / "map.pdf"), str(out / "pdf")], check=True)
    pngs, pdfs, infos = [], [], []
    for i, page in enumerate(pages, 1):
        write_png(page, spec, out / f"p{i}.png", r)
        pngs.append(_rgb(QtGui.QImage(str(out / f"p{i}.png"))))
        pdfs.append(_rgb(QtGui.QImage(str(out / f"pdf-{i}.png"))))
        scratch = QtGui.QImage(*PageSpec("A4", True, 150).size_px, QtGui.QImage.Format.Format_RGB32)
        p = QtGui.QPainter(scratch)  # the layout in points, whatever the device
        infos.append(paint_page(p, PageSpec("A4", True, 150), page, r))
        p.end()
    text = [
        subprocess.run(
            ["pdftotext", "-f", str(i), "-l", str(i), str(out / "map.pdf"), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        for i in (1, 2, 3)
    ]
    return {
        "r": r,
        "pngs": pngs,
        "pdfs": pdfs,
        "infos": infos,
        "text": text,
        "centres": centres,
        "stop_id": stop_id,
        "crew_plan": crew_plan,
        "staffing": staffing,
    }


def _frame(a: np.ndarray, info, inset_pt: float = 3.0) -> np.ndarray:
    """The map frame of a page raster (300 dpi), a few points inside its border."""
    f = info["frame"]
    x0, y0 = int((f.left() + inset_pt) * K), int((f.top() + inset_pt) * K)
    x1, y1 = int((f.right() - inset_pt) * K), int((f.bottom() - inset_pt) * K)
    return a[y0:y1, x0:x1]


def _device_xy(info, xy) -> tuple[float, float]:
    """Where a project point lands on the 300-dpi page (pixels)."""
    f, e = info["frame"], info["extent"]
    sx = f.width() / (e[2] - e[0])
    return (f.left() + (xy[0] - e[0]) * sx) * K, (f.top() + (e[3] - xy[1]) * sx) * K


def test_png_and_pdf_pages_have_the_same_size(printed):
    for png, pdf in zip(printed["pngs"], printed["pdfs"]):
        assert abs(png.shape[0] - pdf.shape[0]) <= 2 and abs(png.shape[1] - pdf.shape[1]) <= 2


@pytest.mark.parametrize("page", [0, 1])
def test_road_and_station_pixels_match_between_png_and_pdf(printed, page):
    from heatgis.render.styles import ROAD_CLASSES

    info = printed["infos"][page]
    png = _frame(printed["pngs"][page], info)
    pdf = _frame(printed["pdfs"][page], info)
    roads = [ROAD_CLASSES[k][0] for k in ("ring", "expressway", "arterial")]
    station = ["#1f5fbf"]
    for colours, floor in ((roads, 0.002), (station, 0.0001)):
        a, b = _near(png, colours).mean(), _near(pdf, colours).mean()
        assert a > floor and b > floor, (colours, a, b)
        assert a == pytest.approx(b, rel=0.2), (colours, a, b)


def _ring_radius(a: np.ndarray, centre, colour="#ff00aa", search_px=80) -> float:
    """Outer radius (pixels) of the ``colour`` ring around ``centre``: the 95th percentile distance."""
    cx, cy = centre
    x0, y0 = int(cx - search_px), int(cy - search_px)
    win = a[y0 : y0 + 2 * search_px, x0 : x0 + 2 * search_px]
    ys, xs = np.nonzero(_near(win, [colour], tol=40))
    assert len(xs) > 50, "no ring found"
    d = np.hypot(xs + x0 + 0.5 - cx, ys + y0 + 0.5 - cy)
    return float(np.percentile(d, 95))


def test_locked_ring_has_the_same_radius_in_mm(printed):
    from heatgis.render.overlays import RING_PX, STATUS_COLOURS

    info = printed["infos"][1]
    centre = _device_xy(info, printed["centres"]["staffed"])
    colour = STATUS_COLOURS["staffed"]
    r_png = _ring_radius(printed["pngs"][1], centre, colour)
    r_pdf = _ring_radius(printed["pdfs"][1], centre, colour)
    mm = 25.4 / DPI
    assert r_png * mm == pytest.approx(r_pdf * mm, abs=0.1)
    # the staffing mark (radius RING_PX, pen 3.2 style px = points on paper) takes the place of
    # the locked-site ring: one ring per site, not two
    outer_pt = RING_PX + 3.2 / 2
    expected_mm = outer_pt * 25.4 / 72
    assert r_png * mm == pytest.approx(expected_mm, abs=0.15)
    assert r_pdf * mm == pytest.approx(expected_mm, abs=0.15)
    for a in (printed["pngs"][1], printed["pdfs"][1]):
        cx, cy = centre
        k = int(RING_PX * 1.5 * DPI / 72)
        assert not _near(a[int(cy) - k : int(cy) + k, int(cx) - k : int(cx) + k], ["#ff00aa"], tol=40).any()


def test_crew_stop_and_route_on_the_printed_map(printed):
    from heatgis.render.overlays import STOP_PX

    plan = printed["crew_plan"]
    crew = plan.routes.loc[plan.routes["site_id"] == printed["stop_id"], "crew_id"].iloc[0]
    colour = plan.crews.set_index("crew_id").loc[crew, "color"]
    info = printed["infos"][2]
    cx, cy = _device_xy(info, printed["centres"]["stop"])
    rad = int(STOP_PX * K)
    for a in (printed["pngs"][2], printed["pdfs"][2]):
        disc = a[int(cy) - rad : int(cy) + rad, int(cx) - rad : int(cx) + rad]
        # the stop marker: a disc of the crew's colour, STOP_PX points in radius
        assert _near(disc, [colour], tol=30).mean() > 0.3
        # the route leaves the stop along the roads: crew colour beyond the marker too
        frame = _frame(a, info)
        assert _near(frame, [colour], tol=30).sum() > 4 * np.pi * rad**2 * 0.5


def test_legend_lists_the_plans(printed):
    plan = printed["crew_plan"]
    text = printed["text"][0]
    crews = plan.crews[plan.crews["stops"] > 0]
    assert len(crews)
    for c in crews.itertuples():
        assert f"{c.crew_id} {c.name}" in text
    counts = printed["staffing"].sites["status"].value_counts()
    from heatgis.render.overlays import STATUS_LABELS

    for status, n in counts.items():
        assert f"{STATUS_LABELS[status][0]} ({n})" in text
    assert "锁闭站点(圈)" in text


def test_labels_decided_on_style_pixels(printed):
    """The close-up is under the stations' label scale in points: the PDF has their names as text,
    and the PNG has as much label ink as the PDF raster."""
    project = printed["r"].project
    st = project.layer("stations")
    info = printed["infos"][1]
    e = info["extent"]
    m_per_pt = (e[2] - e[0]) / info["frame"].width()
    assert m_per_pt <= printed["r"].style.get("stations").label_scale
    inside = st[st.geometry.x.between(e[0] + 100, e[2] - 100) & st.geometry.y.between(e[1] + 100, e[3] - 100)]
    assert len(inside)
    assert any(str(n) in printed["text"][1] for n in inside["name"])
    ink = ["#123c7a"]
    png = _near(_frame(printed["pngs"][1], info), ink, tol=20).mean()
    pdf = _near(_frame(printed["pdfs"][1], info), ink, tol=20).mean()
    assert png > 0 and pdf > 0
    assert png == pytest.approx(pdf, rel=0.35)


def test_overview_inset_is_drawn(printed):
    """The inset shows the city (roads), not an empty frame."""
    from heatgis.render.styles import ROAD_CLASSES

    info = printed["infos"][0]
    f = info["frame"]
    for a in (printed["pngs"][0], printed["pdfs"][0]):
        side = a[int(f.top() * K) : int(f.bottom() * K), int((f.right() + 12) * K) :]
        assert _near(side, [ROAD_CLASSES["ring"][0], ROAD_CLASSES["arterial"][0]]).sum() > 2000


# ---------------------------------------------------------------------------- px on the renderer


def _render(project, renderer, extent, size, px):
    from PySide6 import QtCore, QtGui

    img = QtGui.QImage(size, size, QtGui.QImage.Format.Format_RGB32)
    img.fill(QtGui.QColor("#ffffff"))
    p = QtGui.QPainter(img)
    p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
    ctx = renderer.render(p, extent, QtCore.QRectF(0, 0, size, size), scale_bar=False, px=px)
    p.end()
    return _rgb(img), ctx


def test_px_scales_sizes_not_content(plans):
    """The same view drawn 3x larger at px=3 shows the same share of roads and stations as at px=1."""
    from heatgis.export.pages import map_renderer

    project, result, staffing, crew_plan = plans
    r = map_renderer(project, result)
    st = project.layer("stations")
    x, y = st.geometry.x.median(), st.geometry.y.median()
    extent = (x - 2500, y - 2500, x + 2500, y + 2500)
    small, c1 = _render(project, r, extent, 300, 1.0)
    big, c3 = _render(project, r, extent, 900, 3.0)
    assert c1.px == 1.0 and c3.px == 3.0
    assert c3.m_per_spx == pytest.approx(c1.m_per_spx)
    assert c3.m_per_px == pytest.approx(c1.m_per_px / 3)
    for colours in (["#1f5fbf"], ["#d9822b", "#e0a030", "#c8a060"]):
        a, b = _near(small, colours).mean(), _near(big, colours).mean()
        assert a > 0.001 and a == pytest.approx(b, rel=0.3), (colours, a, b)


def test_px_one_is_the_default(plans):
    """render(..., px=1.0) is render(...) — the screen's drawing is the default."""
    from PySide6 import QtCore, QtGui

    from heatgis.export.pages import map_renderer

    project, result, _, _ = plans
    r = map_renderer(project, result)
    st = project.layer("stations")
    x, y = st.geometry.x.median(), st.geometry.y.median()
    extent = (x - 1500, y - 1500, x + 1500, y + 1500)
    a, ctx = _render(project, r, extent, 300, 1.0)
    img = QtGui.QImage(300, 300, QtGui.QImage.Format.Format_RGB32)
    img.fill(QtGui.QColor("#ffffff"))
    p = QtGui.QPainter(img)
    p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
    ctx2 = r.render(p, extent, QtCore.QRectF(0, 0, 300, 300), scale_bar=False)
    p.end()
    assert ctx2.px == 1.0 and ctx2.m_per_spx == ctx2.m_per_px
    assert np.array_equal(a, _rgb(img))


def test_bad_px_is_refused(plans):
    from PySide6 import QtCore, QtGui

    from heatgis.export.pages import map_renderer

    project, result, _, _ = plans
    r = map_renderer(project, result)
    img = QtGui.QImage(10, 10, QtGui.QImage.Format.Format_RGB32)
    p = QtGui.QPainter(img)
    try:
        for bad in (0.0, -1.0, float("nan")):
            with pytest.raises(ValueError, match="px must be a positive number"):
                r.render(p, (0, 0, 1, 1), QtCore.QRectF(0, 0, 10, 10), px=bad)
    finally:
        p.end()


def test_map_renderer_without_plans_has_no_overlays(plans):
    from heatgis.export.pages import map_renderer

    project, result, staffing, crew_plan = plans
    assert map_renderer(project, result).overlays == []
    r = map_renderer(project, result, staffing=staffing, crew_plan=crew_plan)
    assert [type(o).__name__ for o in r.overlays] == ["SiteStatusOverlay", "RoutesOverlay"]
    assert r.overlays[0].counts()["staffed"] == int((staffing.sites["status"] == "staffed").sum())
