"""No impossible figure is published quietly, and no user error shows a traceback.

Every spoilt project is a real copy of the demo edited with SQL in ``tmp_path``; every command
runs through ``heatgis.cli.main`` as a planner runs it.
"""

from __future__ import annotations

import json
import os
import stat

import pytest

from heatgis.cli import main
from tests.core.bad_projects import CASES, bad_project, copy_demo

WARNING = "warning: the project has"


def run(args, capsys):
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    assert "Traceback" not in out.err and "Traceback" not in out.out
    return code, out.out, out.err


@pytest.fixture(scope="module")
def text_households(tmp_path_factory):
    return bad_project(tmp_path_factory.mktemp("hh"), "households_as_text")


def test_the_demo_prints_no_warning_and_passes_strict(demo_path, capsys):
    code, out, err = run(["impact", demo_path, "--strict"], capsys)
    assert code == 0 and "38,500 (3.85 万户)" in out
    assert "problem" not in err
    code, out, _ = run(["validate", demo_path], capsys)
    assert code == 0 and "0 error(s), 0 warning(s)" in out


@pytest.mark.parametrize("case", sorted(CASES))
def test_impact_warns_strict_refuses_validate_lists(tmp_path, case, capsys):
    path = bad_project(tmp_path, case)
    at = ["--at", "2022-02-25T08:00"]
    code, out, err = run(["impact", path, *at], capsys)
    assert code == 0 and "Locked 封控锁闭" in out
    line = next(x for x in err.splitlines() if x.startswith(WARNING))
    assert "figures may be wrong" in line and f"run 'heatgis validate {path}'" in line
    code, out, err = run(["impact", path, *at, "--strict"], capsys)
    assert code == 2 and out == ""
    assert "--strict: the project has" in err and "nothing was printed, written or saved" in err
    code, out, _ = run(["validate", path], capsys)
    assert code == 1
    for expected in CASES[case][1]:
        assert expected in out


def test_impact_json_carries_the_count(text_households, capsys):
    code, out, err = run(["impact", text_households, "--json"], capsys)
    assert code == 0 and WARNING in err
    doc = json.loads(out)
    assert doc["data_problems"]["errors"] == 2
    assert doc["locked"]["households"] == 38500 - 1310 + 1  # the wrong figure, now flagged


@pytest.mark.qt  # runs heatgis report, which draws with QtGui
def test_staff_routes_report_warn_and_strict_writes_nothing(text_households, tmp_path, capsys):
    csv = tmp_path / "plan.csv"
    code, out, err = run(["staff", text_households, "--csv", csv], capsys)
    assert code == 0 and csv.exists() and "problems (2 errors)" in err
    code, out, err = run(["routes", text_households, "--time-limit", "0.3"], capsys)
    assert code == 0 and "Crew plan" in out and "problems (2 errors)" in err
    rep = tmp_path / "rep"
    code, out, err = run(["report", text_households, "--out", rep, "--no-plans"], capsys)
    assert code == 0 and (rep / "report.xlsx").exists() and "problems (2 errors)" in err
    from openpyxl import load_workbook

    kpi = {r[0]: r[2] for r in load_workbook(rep / "report.xlsx")["概况"].iter_rows(values_only=True)}
    assert kpi["数据问题（错误）"] == "2 (2)"  # the workbook for the meeting says it too

    csv2, geo, rep2 = tmp_path / "p2.csv", tmp_path / "r.geojson", tmp_path / "rep2"
    for args in (
        ["staff", text_households, "--csv", csv2, "--save"],
        ["routes", text_households, "--geojson", geo, "--sheets", tmp_path / "sheets"],
        ["report", text_households, "--out", rep2],
        ["crews", text_households, "--geojson", geo],
        ["heat", text_households, "--csv", csv2],
    ):
        before = text_households.stat().st_mtime_ns
        code, out, err = run([*args, "--strict"], capsys)
        assert code == 2 and out == "" and "--strict" in err, args
        assert "'1,310' is stored as text" in err
        assert text_households.stat().st_mtime_ns == before
    assert not csv2.exists() and not geo.exists() and not rep2.exists()
    assert not (tmp_path / "sheets").exists()


def test_bad_reference_time_is_a_message(tmp_path, capsys):
    path = bad_project(tmp_path, "bad_reference_time")
    for cmd in ("impact", "staff", "routes"):
        code, out, err = run([cmd, path], capsys)
        assert code == 2, cmd
        assert "the reference time 'next tuesday'" in err and "--at" in err


# ------------------------------------------------------------------ tracebacks of the issue


@pytest.fixture
def notice(tmp_path):
    p = tmp_path / "通告.txt"
    p.write_text(
        "呼和浩特市新冠肺炎疫情防控指挥部通告\n自2022年2月26日0时起，将以下区域划定为封控区：\n"
        "新城区：阳光花园。\n特此通告。",
        encoding="utf-8",
    )
    return p


@pytest.fixture
def zones_file(tmp_path):
    import geopandas as gpd
    import shapely

    p = tmp_path / "z.geojson"
    gpd.GeoDataFrame(
        {"zone_id": ["NZ-1"], "name": ["新区"], "level": ["sealed"], "start": ["2022-02-25T00:00"], "end": [None]},
        geometry=[shapely.box(111.6, 40.8, 111.61, 40.81)],
        crs="EPSG:4326",
    ).to_file(p)
    return p


@pytest.mark.qt  # runs heatgis report, which draws with QtGui
def test_invalid_crs_all_seven_commands(tmp_path, notice, zones_file, capsys):
    path = bad_project(tmp_path, "bad_crs")
    code, out, err = run(["impact", path], capsys)
    assert code == 0 and "38,500" in out and WARNING in err
    code, out, _ = run(["validate", path], capsys)
    assert code == 1 and "the coordinate system 'EPSG:99999' cannot be read" in out
    code, out, err = run(["staff", path], capsys)
    assert code == 0 and WARNING in err
    code, out, err = run(["routes", path, "--time-limit", "0.3"], capsys)
    assert code == 0 and WARNING in err
    code, out, err = run(["report", path, "--out", tmp_path / "rep", "--strict"], capsys)
    assert code == 2 and "EPSG:99999" in err
    code, out, err = run(["import", path, zones_file, "--layer", "lockdown_zones", "--dry-run"], capsys)
    assert code == 0 and "dry run" in out
    code, out, err = run(["zones-from-notice", path, notice, "--dry-run"], capsys)
    assert code == 0 and "the project was not changed" in out


def test_a_station_without_id_is_still_planned(tmp_path, capsys):
    """A NULL station id used to end staff and routes with a KeyError ('nan')."""
    path = bad_project(tmp_path, "null_site_id")
    code, out, err = run(["impact", path, "--json"], capsys)
    assert code == 0 and json.loads(out)["locked"]["households"] == 38500 and WARNING in err
    assert "stations#25" in [s["id"] for s in json.loads(out)["sites"]]
    code, out, err = run(["staff", path], capsys)
    assert code == 0 and WARNING in err
    code, out, err = run(["routes", path, "--time-limit", "0.3", "--duty", "locked"], capsys)
    assert code == 0 and WARNING in err


def test_duplicate_site_ids_routes(tmp_path, capsys):
    path = bad_project(tmp_path, "duplicate_ids")
    code, out, err = run(["routes", path, "--time-limit", "0.3", "--duty", "locked"], capsys)
    assert code == 2
    assert "the site id 'ST-0062' is used by 2 stations" in err and "own id" in err


@pytest.fixture
def read_only(tmp_path):
    """A folder with no write bit (refused for root too, who could otherwise write there)."""
    folder = tmp_path / "ro"
    folder.mkdir()
    yield folder
    folder.chmod(stat.S_IRWXU)


def test_read_only_folders(read_only, tmp_path, notice, zones_file, demo_path, capsys):
    proj = copy_demo(read_only, "p.gpkg")
    read_only.chmod(stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP)
    before = sorted(os.listdir(read_only))
    code, out, err = run(["import", proj, zones_file, "--layer", "lockdown_zones", "--append"], capsys)
    assert code == 2 and f"the folder {read_only} is read-only" in err
    code, out, err = run(["zones-from-notice", proj, notice, "--accept-all"], capsys)
    assert code == 2 and "is read-only" in err
    code, out, err = run(["routes", demo_path, "--geojson", read_only / "r.geojson"], capsys)
    assert code == 2 and "is read-only" in err and "r.geojson" in err
    code, out, err = run(["routes", demo_path, "--sheets", read_only / "sheets"], capsys)
    assert code == 2 and "is read-only" in err
    code, out, err = run(["demo", read_only / "d.gpkg"], capsys)
    assert code == 2 and "is read-only" in err
    code, out, err = run(["staff", demo_path, "--csv", read_only / "p.csv"], capsys)
    assert code == 2 and "is read-only" in err
    assert sorted(os.listdir(read_only)) == before


def test_rules_file_not_utf8(demo_path, tmp_path, capsys):
    rules = tmp_path / "rules.json"
    rules.write_bytes('{"station": {"shifts": 3}, "note": "换热站"}'.encode("gbk"))
    code, out, err = run(["staff", demo_path, "--rules", rules], capsys)
    assert code == 2 and "rules.json" in err and "not UTF-8" in err


def test_demo_onto_a_folder(tmp_path, capsys):
    code, out, err = run(["demo", tmp_path], capsys)
    assert code == 2 and "a folder, not a project file" in err


# ------------------------------------------------------------------ main() itself


class _Args:
    def __init__(self, fn):
        self.func = fn


def test_os_error_is_a_message_naming_the_file(capsys):
    from heatgis.cli import run_command

    def fails(args):
        raise PermissionError(13, "Permission denied", "/data/plans/out.csv")

    assert run_command(_Args(fails)) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "/data/plans/out.csv: Permission denied" in err and "Fix:" in err


def test_a_bug_shows_its_traceback_and_asks_to_report_it(capsys):
    from heatgis import __version__
    from heatgis.cli import run_command

    def bug(args):
        return 1 / 0

    assert run_command(_Args(bug)) == 70
    err = capsys.readouterr().err
    assert "Traceback" in err and "ZeroDivisionError" in err
    assert f"This is a bug in HeatGIS {__version__}" in err and "report it" in err


def test_import_that_orphans_references_warns_and_strict_keeps_the_file(tmp_path, capsys):
    """Replacing the stations with a file of other ids leaves pipes, compounds and staff pointing
    at stations that are gone: the import says so; with --strict it does not save."""
    import geopandas as gpd

    from heatgis.model.store import open_project

    path = copy_demo(tmp_path, "p.gpkg")
    st = open_project(path).layer("stations").copy()
    st["station_id"] = "NEW-" + st["station_id"].str[3:]
    src = tmp_path / "stations_new.gpkg"
    gpd.GeoDataFrame(st, geometry="geometry", crs=st.crs).to_file(src, layer="stations")
    before = path.read_bytes()
    code, out, err = run(["import", path, src, "--layer", "stations", "--replace", "--strict"], capsys)
    assert code == 2 and "--strict: the project has" in err and "is not a known station_id" in err
    assert path.read_bytes() == before
    code, out, err = run(["import", path, src, "--layer", "stations", "--replace"], capsys)
    assert code == 0 and "saved" in out
    line = next(x for x in err.splitlines() if x.startswith(WARNING))
    assert int(line.split("has ")[1].split(" ")[0].replace(",", "")) > 3000
    code, out, _ = run(["validate", path], capsys)
    assert code == 1 and "'ST-0025' is not a known station_id or asset_id" in out
