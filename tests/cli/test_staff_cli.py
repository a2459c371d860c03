"""`heatgis staff` as a planner runs it: on the hand-built city (known answers) and on the demo.

The tests go through ``heatgis.cli.main`` (exit codes, error printing) exactly as the
installed command does.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

import heatgis.cli
from heatgis.model.store import save_project
from tests.core.test_staffing import staffing_city


@pytest.fixture
def cli(capsys):
    def run(*args):
        code = heatgis.cli.main([str(a) for a in args])
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


@pytest.fixture
def city(tmp_path):
    path = tmp_path / "city.gpkg"
    save_project(staffing_city(), path)
    return path


def test_tables_on_city(cli, city):
    code, out, err = cli("staff", city)
    assert code == 0, err
    assert "2022-02-21 08:00" in out
    assert "locked sites 锁闭站点 5 (stations 换热站 3, boiler rooms 锅炉房 2)" in out
    assert "left to the crews 交抢修队 4 (= 5 locked - 1 fully staffed)" in out
    assert "no locked-in staff in its zone(s) ZB" in out
    assert "no one with the skill boiler_operator in zone(s) ZC" in out
    assert "Duty list for the crews 抢修队任务清单 (4" in out
    assert "员工E01" in out and "138-0000-0001" in out


def test_json_shape_and_csv(cli, city, tmp_path):
    out_csv = tmp_path / "plan.csv"
    code, out, err = cli("staff", city, "--json", "--csv", out_csv)
    assert code == 0, err
    doc = json.loads(out)
    assert doc["at"] == "2022-02-21T08:00"
    assert doc["totals"]["locked_sites"] == 5 and doc["totals"]["fully_staffed"] == 1
    assert [d["site_id"] for d in doc["duty_list"]][:2] == ["BC", "SB"] or {
        d["site_id"] for d in doc["duty_list"][:2]
    } == {"BC", "SB"}
    assert {"staff_id", "name", "phone", "site_id", "shift", "pinned"} <= set(doc["assignments"][0])
    assert doc["rules"]["boiler_room"] == {"shifts": 3, "per_shift": 2, "role": "boiler_operator"}
    table = pd.read_csv(out_csv, encoding="utf-8-sig", dtype=str)
    assert len(table) == len(doc["assignments"])
    assert "wrote" in err


def test_pin_remove_and_rules(cli, city, tmp_path):
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps({"station": {"shifts": 2}}), encoding="utf-8")
    code, out, err = cli("staff", city, "--json", "--rules", rules, "--pin", "E04,SA1,20:00-08:00", "--remove", "E09")
    assert code == 0, err
    doc = json.loads(out)
    rows = {a["staff_id"]: a for a in doc["assignments"]}
    assert rows["E04"]["site_id"] == "SA1" and rows["E04"]["shift"] == "20:00-08:00" and rows["E04"]["pinned"]
    assert "E09" not in rows
    assert doc["rules"]["station"]["shifts"] == 2


@pytest.mark.parametrize(
    "args, text",
    [
        (["--at", "someday"], "'someday' is not a time I can read"),
        (["--pin", "E04"], "--pin 'E04' is not STAFF,SITE[,SHIFT]"),
        (["--pin", "E20,SA1"], "not locked in"),
    ],
)
def test_bad_input_exits_2(cli, city, args, text):
    code, out, err = cli("staff", city, *args)
    assert code == 2 and text in err and "Fix:" in err


def test_bad_rules_file_names_file(cli, city, tmp_path):
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps({"station": {"shifts": 3, "operators": 1}}), encoding="utf-8")
    code, _, err = cli("staff", city, "--rules", rules)
    assert code == 2
    assert str(rules) in err and "unknown rule key(s): station.operators" in err
    assert "use only: station.shifts, station.per_shift, station.role" in err


def test_missing_project(cli, tmp_path):
    code, _, err = cli("staff", tmp_path / "none.gpkg")
    assert code == 2 and "does not exist" in err


def test_json_on_city(cli, city):
    code, out, _ = cli("staff", city, "--json")
    assert code == 0
    assert json.loads(out)["totals"]["left_to_crews"] == 4


def test_demo(cli, demo_path):
    code, out, err = cli("staff", demo_path, "--json")
    assert code == 0, err
    doc = json.loads(out)
    t = doc["totals"]
    assert doc["at"] == "2022-02-25T08:00"
    assert t["locked_sites"] == 27 and t["staff_locked_in"] >= 400
    assert t["left_to_crews"] == t["locked_sites"] - t["fully_staffed"] == len(doc["duty_list"])


def test_save_overrides_into_the_project_and_use_them(cli, city):
    code, _, err = cli("staff", city, "--pin", "E04,SA1,00:00-08:00", "--remove", "E05,SA1", "--save")
    assert code == 0 and "saved 1 pins and 1 removals" in err
    # the next run (or the app, or the report) applies them without being told
    code, out, _ = cli("staff", city, "--json")
    doc = json.loads(out)
    assert doc["pins"] == [["E04", "SA1", "00:00-08:00"]] and doc["removals"] == [["E05", "SA1"]]
    pinned = [a for a in doc["assignments"] if a["staff_id"] == "E04"][0]
    assert pinned["site_id"] == "SA1" and pinned["pinned"]
    code, out, _ = cli("staff", city, "--json", "--no-saved")
    assert json.loads(out)["pins"] == []
    # at a time when E04 is not locked in, the saved pin is left out with a note
    code, out, err = cli("staff", city, "--at", "2022-02-01T08:00")
    assert code == 0 and "pin E04 → SA1 is not used at 2022-02-01 08:00" in err
