"""``heatgis crews`` and ``heatgis tickets add`` end to end on real GeoPackages, in a real process."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from heatgis.model.store import open_project, save_project
from tests.core.test_crewops import ops_city

ROOT = Path(__file__).resolve().parents[2]


def heatgis(*argv):
    return subprocess.run(
        [sys.executable, "-m", "heatgis", *map(str, argv)], capture_output=True, text=True, cwd=ROOT, timeout=300
    )


def md5(path):
    return hashlib.md5(Path(path).read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def gpkg(tmp_path_factory):
    path = tmp_path_factory.mktemp("crews") / "grid.gpkg"
    save_project(ops_city(), path)
    return path


def test_crews_json_and_geojson(gpkg, tmp_path):
    out = tmp_path / "ops.geojson"
    r = heatgis(
        "crews", gpkg, "--at", "2022-02-25T08:00", "--hours", "24", "--time-limit", "0.5", "--json", "--geojson", out
    )
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["coverage"]["places_required"] == 12
    assert {"places_required", "places_filled", "per_shift"} <= set(d["coverage"])
    assert {"staff_id", "crew_id", "site_id", "skill", "start", "end"} <= set(d["roster"][0])
    route = next(v for v in d["routes"] if v["stops"])
    assert {"crew"} <= set(route) and {"site_id", "task", "arrive", "depart"} <= set(route["stops"][0])
    gj = json.loads(out.read_text(encoding="utf-8"))
    kinds = {f["geometry"]["type"] for f in gj["features"]}
    assert {"Point", "LineString"} <= kinds


def test_crews_text(gpkg):
    r = heatgis("crews", gpkg, "--time-limit", "0.3")
    assert r.returncode == 0, r.stderr
    assert "places filled" in r.stdout and "Roster" in r.stdout


@pytest.mark.parametrize(
    "argv,needle",
    [
        (["--hours", "80"], "72 hours"),
        (["--time-limit", "0"], "not positive"),
    ],
)
def test_crews_bad_input(gpkg, argv, needle):
    before = md5(gpkg)
    r = heatgis("crews", gpkg, *argv)
    assert r.returncode == 2 and needle in r.stderr and "Traceback" not in r.stderr
    assert md5(gpkg) == before


def test_crews_bad_rules_file(gpkg, tmp_path):
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps({"crews": {"sites": {"station": {"patrol_h": -2}}}}), encoding="utf-8")
    r = heatgis("crews", gpkg, "--rules", rules)
    assert r.returncode == 2 and "crews.sites.station.patrol_h" in r.stderr and "rules.json" in r.stderr
    rules.write_text(json.dumps({"crews": {"sites": {"pump": {}}}}), encoding="utf-8")
    before = md5(gpkg)
    r = heatgis("crews", gpkg, "--rules", rules)
    assert r.returncode == 2 and "unknown site kind" in r.stderr and "Traceback" not in r.stderr
    assert md5(gpkg) == before


def test_crew_without_members_names_the_row(tmp_path):
    p = ops_city()
    staff = p.layers["staff"]
    p.layers["staff"] = staff[staff["crew_id"] != "C2"].reset_index(drop=True)
    path = save_project(p, tmp_path / "nomem.gpkg")
    before = md5(path)
    r = heatgis("crews", path)
    assert r.returncode == 2 and "row C2" in r.stderr and "no members" in r.stderr
    assert md5(path) == before


def test_member_without_skills_names_the_row(tmp_path):
    p = ops_city()
    p.layers["staff"].loc[1, "skills"] = None
    path = save_project(p, tmp_path / "noskill.gpkg")
    before = md5(path)
    r = heatgis("crews", path, "--roster-pdf", tmp_path / "roster.pdf")
    assert r.returncode == 2 and "M02" in r.stderr and "no skills" in r.stderr and "Traceback" not in r.stderr
    assert md5(path) == before and not (tmp_path / "roster.pdf").exists()


def test_tickets_add_saves_and_crews_plans_it(tmp_path):
    path = save_project(ops_city(), tmp_path / "t.gpkg")
    r = heatgis(
        "tickets",
        "add",
        path,
        "--site",
        "S2",
        "--kind",
        "repair",
        "--skill",
        "welder",
        "--priority",
        "1",
        "--duration",
        "90",
        "--deadline",
        "2022-02-25T14:00",
        "--reported",
        "2022-02-25T08:00",
    )
    assert r.returncode == 0, r.stderr
    t = open_project(path).layer("tickets")
    assert list(t["ticket_id"]) == ["TK-0001"] and t["skill"].iloc[0] == "welder"
    r = heatgis("crews", path, "--time-limit", "0.5", "--json")
    d = json.loads(r.stdout)
    assert d["tickets"][0]["ticket_id"] == "TK-0001" and d["tickets"][0]["status"] == "planned"
    before = md5(path)
    for argv, needle in (
        (["--site", "S2", "--skill", "plumber"], "plumber"),
        (["--x", "0", "--y", "0"], "outside"),
        (["--site", "NOPE"], "NOPE"),
    ):
        r = heatgis("tickets", "add", path, *argv)
        assert r.returncode == 2 and needle in r.stderr and "Traceback" not in r.stderr
    assert md5(path) == before
