"""Printed route sheets for real: a real OR-Tools plan of the demo, a real PDF read back with poppler."""

from __future__ import annotations

import shutil
import subprocess

import pandas as pd
import pytest

from heatgis.errors import Feedback, HeatGISError

pytestmark = pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils not installed")

REFERENCE = "2022-02-25T08:00"


def _run(*args) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def _page_text(path, page: int) -> str:
    return _run("pdftotext", "-layout", "-f", str(page), "-l", str(page), str(path), "-")


def _in_order(text: str, needles) -> bool:
    pos = -1
    for n in needles:
        pos = text.find(n, pos + 1)
        if pos < 0:
            return False
    return True


@pytest.fixture(scope="module")
def demo_plan(demo_project, qapp):  # pytest-qt's QApplication, shared with the GUI tests of the session
    from heatgis.routing.planner import plan_routes

    return plan_routes(demo_project, at=REFERENCE, shift="day", time_limit=1)


@pytest.fixture(scope="module")
def sheets_pdf(demo_project, demo_plan, tmp_path_factory):
    from heatgis.export.route_sheets import write_route_sheets_pdf

    path = tmp_path_factory.mktemp("sheets") / "route_sheets.pdf"
    seen = []
    out = write_route_sheets_pdf(demo_plan, demo_project, path, feedback=Feedback(lambda pct, m: seen.append(pct)))
    assert out == path and path.exists() and not path.with_name(path.name + ".part").exists()
    assert seen[-1] == pytest.approx(100.0)
    return path


def _working(plan):
    return plan.crews[plan.crews["stops"] > 0].reset_index(drop=True)


def test_one_a4_portrait_page_per_working_crew(demo_plan, sheets_pdf):
    info = _run("pdfinfo", str(sheets_pdf))
    n = len(_working(demo_plan))
    assert n >= 5  # the demo's day shift keeps most day crews busy
    assert f"Pages:           {n}\n" in info
    assert "595 x 842 pts (A4)" in info


def test_cjk_font_is_embedded(sheets_pdf):
    fonts = _run("pdffonts", str(sheets_pdf)).splitlines()[2:]
    cjk = [ln for ln in fonts if any(k in ln for k in ("WenQuanYi", "YaHei", "SimHei", "NotoSansCJK", "SourceHan"))]
    assert cjk, fonts
    assert all(" yes " in ln for ln in cjk)


def test_each_page_lists_its_crew_stops_in_order_with_etas(demo_plan, sheets_pdf):
    for i, c in enumerate(_working(demo_plan).itertuples(), start=1):
        text = _page_text(sheets_pdf, i)
        assert "抢修队路线单" in text and "Crew route sheet" not in text  # one language a sheet
        assert c.crew_id in text and c.name in text and c.depot_name in text
        assert f"{c.shift_start:%Y-%m-%d}" in text and "白班 08:00–20:00" in text
        stops = demo_plan.routes[demo_plan.routes["crew_id"] == c.crew_id].sort_values("seq")
        assert len(stops) == c.stops
        table = text[text.index("站点编号") :]  # the stops table (the map above has no site ids)
        assert _in_order(table, list(stops["site_id"])), (c.crew_id, list(stops["site_id"]), table)
        for s in stops.itertuples():
            assert f"{s.eta:%H:%M}" in table and f"{s.depart:%H:%M}" in table
            assert f"{s.distance_m / 1000:.2f}" in table
        assert f"返回驻地: {c.back:%H:%M}" in text  # the totals line
        assert f"{c.distance_m / 1000:.1f} km" in text
        assert "EPSG:4546" in text and f"第{i}/{len(_working(demo_plan))}页" in "".join(text.split())
        assert "比例尺 1:" in text


def test_english_sheets_and_a_crew_that_needs_two_pages(demo_project, qapp, tmp_path):
    """One crew, 45 short visits: the table continues on a second page, every stop still in order."""
    from heatgis.export.route_sheets import write_route_sheets_pdf
    from heatgis.model.project import Project
    from heatgis.routing.planner import plan_routes

    crews, st = demo_project.layer("crews"), demo_project.layer("stations")
    one = Project({**demo_project.layers, "crews": crews[crews["crew_id"] == "CR-01"]}, dict(demo_project.meta))
    sites = st.loc[st["depot_id"].isin(["D-01", "D-02"]), "station_id"].head(45).to_numpy()
    plan = plan_routes(
        one, at=REFERENCE, shift="day", duty=pd.DataFrame({"site_id": sites, "service_min": 3}), time_limit=1
    )
    stops = plan.routes.sort_values("seq")
    assert len(stops) > 40 and len(plan.crews) == 1
    path = write_route_sheets_pdf(plan, one, tmp_path / "one.pdf", lang="en")
    assert "Pages:           2\n" in _run("pdfinfo", str(path))
    p1, p2 = _page_text(path, 1), _page_text(path, 2)
    assert "site id" in p1 and "drive min" in p1 and "CR-01" in p2 and "(continued)" in p2
    both = p1[p1.index("site id") :] + p2[p2.index("site id") :]
    assert _in_order(both, list(stops["site_id"]))
    last = stops.iloc[-1]
    assert last["site_id"] not in p1 and last["site_id"] in p2
    assert "back at depot" in p2 and "page 2 / 2" in p2


def test_a_plan_without_working_crews_is_a_clear_error(qapp, tmp_path):
    from heatgis.export.route_sheets import write_route_sheets_pdf
    from heatgis.routing.planner import plan_routes
    from tests.core.test_routing_city import grid_city

    city = grid_city()
    plan = plan_routes(city, at="2022-02-18T09:00", duty="locked", time_limit=0.2)  # no zone active yet
    assert len(plan.crews) and (plan.crews["stops"] == 0).all()
    path = tmp_path / "none.pdf"
    with pytest.raises(HeatGISError, match="no crew with a stop") as err:
        write_route_sheets_pdf(plan, city, path)
    assert str(path) in str(err.value) and err.value.problem.fix
    assert not path.exists() and not list(tmp_path.iterdir())


def test_unwritable_paths_name_the_file(demo_project, demo_plan, qapp, tmp_path):
    from heatgis.export.route_sheets import write_route_sheets_pdf

    missing = tmp_path / "no_such_folder" / "sheets.pdf"
    with pytest.raises(HeatGISError, match="does not exist") as err:
        write_route_sheets_pdf(demo_plan, demo_project, missing)
    assert str(missing) in str(err.value)
    folder = tmp_path / "taken.pdf"  # a folder where the file should go: the replace fails
    folder.mkdir()
    (folder / "keep.txt").write_text("x")
    with pytest.raises(HeatGISError, match="could not be replaced") as err:
        write_route_sheets_pdf(demo_plan, demo_project, folder)
    assert str(folder) in str(err.value)
    assert (folder / "keep.txt").exists() and not (tmp_path / "taken.pdf.part").exists()


def test_cancel_leaves_no_file(demo_project, demo_plan, qapp, tmp_path):
    from heatgis.errors import Cancelled
    from heatgis.export.route_sheets import write_route_sheets_pdf

    path = tmp_path / "c.pdf"
    calls = []
    fb = Feedback(lambda pct, m: calls.append(pct), is_canceled=lambda: len(calls) >= 2)
    with pytest.raises(Cancelled):
        write_route_sheets_pdf(demo_plan, demo_project, path, feedback=fb)
    assert not path.exists() and not list(tmp_path.iterdir())
