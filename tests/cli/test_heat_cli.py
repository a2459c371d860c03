"""`heatgis heat` as a dispatcher runs it, and the same figures in the workbook, the deck and the A3 map.

Through ``heatgis.cli.main`` (exit codes, error printing) as the installed command does.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pandas as pd
import pytest

import heatgis.cli
from heatgis.model.store import open_project, save_project
from tests.core.conftest import tiny_project as _tiny_fixture
from tests.core.test_heat import with_heat

tiny_project = _tiny_fixture  # the hand-built city of tests/core (a fixture)


@pytest.fixture
def cli(capsys):
    def run(*args):
        code = heatgis.cli.main([str(a) for a in args])
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


@pytest.fixture
def tiny(tmp_path, tiny_project):
    path = tmp_path / "tiny.gpkg"
    p = with_heat(tiny_project, capacity_mw=1.0)
    del p.layers["weather"]
    save_project(p, path)
    return path


@pytest.mark.qt  # the report draws the map with QtGui
def test_demo_cold_night_json_equals_the_workbook_the_slide_and_the_a3_map(cli, demo_path, tmp_path):
    code, out, err = cli("heat", demo_path, "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["temperature"]["min_c"] == -18.0 and doc["temperature"]["coldest_time"] == "2022-02-26T06:00"
    assert doc["hours"] == 72 and doc["at"] == "2022-02-25T08:00"
    nets = {n["network_id"]: n for n in doc["networks"]}
    assert len(nets) == 30 and nets["CHP-1"]["kind"] == "chp"
    assert doc["totals"]["networks_in_deficit"] == 0
    assert len(doc["risk"]) == 10 and doc["risk"][0]["rank"] == 1
    assert doc["risk_inputs"]["staffing_plan"] is True

    code, _, err = cli("report", demo_path, "--out", tmp_path / "out", "--paper", "A3", "--no-plans")
    assert code == 0, err
    # the workbook: the networks' table of 供热平衡 holds the JSON's figures, and 逐时供热 the hourly ones
    from openpyxl import load_workbook

    wb = load_workbook(tmp_path / "out" / "report.xlsx")
    ws = wb["供热平衡"]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    head = dict(r[:2] for r in values[:9])
    assert head["最冷时刻"] == "2022-02-26 06:00" and head["室外气温(℃)"] == -18.0
    assert (
        head["全网需求(MW)"] == doc["totals"]["demand_mw"] and head["全网供热能力(MW)"] == doc["totals"]["capacity_mw"]
    )
    top = next(i for i, r in enumerate(values) if r[0] == "管网")
    rows = {r[0]: r for r in values[top + 1 :] if r[0]}
    assert set(rows) == set(nets)
    for nid, n in nets.items():
        r = rows[nid]
        assert (r[3], r[4], r[5], r[6], r[8]) == (
            n["capacity_mw"],
            n["demand_mw"],
            n["margin_mw"],
            n["margin_pct"],
            n["hours_in_deficit"],
        )
    hourly = pd.DataFrame(list(wb["逐时供热"].values)[1:], columns=next(iter(wb["逐时供热"].values)))
    assert len(hourly) == 72 * 30
    at_cold = hourly[hourly["时间"] == pd.Timestamp("2022-02-26T06:00")].set_index("管网")
    for nid, n in nets.items():
        assert at_cold.loc[nid, "需求(MW)"] == n["demand_mw"] and at_cold.loc[nid, "室外气温(℃)"] == -18.0

    # the deck: the heat slide's table shows the tightest networks with the JSON's figures to 0.1 MW
    from pptx import Presentation

    prs = Presentation(str(tmp_path / "out" / "briefing.pptx"))
    slide = next(
        s for s in prs.slides if any(sh.has_text_frame and sh.text_frame.text.startswith("供热平衡") for sh in s.shapes)
    )
    table = next(sh.table for sh in slide.shapes if getattr(sh, "has_table", False) and sh.has_table)
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells[0][:3] == ["管网", "能力 MW", "需求 MW"] and len(cells) == 11
    tightest = sorted(nets.values(), key=lambda n: (n["margin_pct"], n["network_id"]))[:10]
    for row, n in zip(cells[1:], tightest):
        assert row == [
            n["network_id"],
            f"{n['capacity_mw']:,.1f}",
            f"{n['demand_mw']:,.1f}",
            f"{n['margin_mw']:,.1f}",
            f"{n['margin_pct']:.1f}",
            str(n["hours_in_deficit"]),
        ]
    assert any(sh.shape_type == 13 for sh in slide.shapes)  # the chart picture
    texts = "\n".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
    assert f"{doc['totals']['demand_mw']:,.1f} MW" in texts and f"{doc['totals']['capacity_mw']:,.1f} MW" in texts

    # the A3 map: the heat panel's city row and tightest network, in the PDF's text
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", str(tmp_path / "out" / "map.pdf"), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "供热平衡" in text and "-18.0" in text
        t = tightest[0]
        line = next(x for x in text.splitlines() if x.strip().startswith(t["network_id"]))
        assert f"{t['capacity_mw']:,.1f}" in line and f"{t['demand_mw']:,.1f}" in line
        city = next(x for x in text.splitlines() if x.strip().startswith("全网"))
        assert f"{doc['totals']['capacity_mw']:,.1f}" in city and f"{doc['totals']['demand_mw']:,.1f}" in city


def test_tables_and_csv(cli, demo_path, tmp_path):
    code, out, err = cli(
        "heat", demo_path, "--hours", "24", "--temp", "-25", "--no-staffing", "--csv", tmp_path / "h.csv"
    )
    assert code == 0, err
    assert "coldest hour 最冷时刻 2022-02-25 08:00: -25.0 °C (constant -25 °C)" in out
    assert "Boiler rooms in deficit 缺口锅炉房 (" in out and "CHP-1" in out
    h = pd.read_csv(tmp_path / "h.csv", encoding="utf-8-sig")
    assert len(h) == 24 * 30 and list(h.columns) == [
        "time",
        "network_id",
        "outdoor_c",
        "demand_mw",
        "capacity_mw",
        "margin_mw",
        "deficit",
    ]
    assert (h["outdoor_c"] == -25.0).all() and h["deficit"].any()


def test_weather_import_saved_and_used(cli, tiny, tmp_path):
    code, _, err = cli("heat", tiny, "--at", "2022-02-21T08:00")
    assert code == 2 and "no weather series" in err and "--temp" in err
    w = tmp_path / "w.csv"
    t = pd.date_range("2022-02-21T00:00", periods=48, freq="h")
    pd.DataFrame({"时间": t.strftime("%Y-%m-%d %H:%M"), "气温": [-5.0 - (i % 24) / 2 for i in range(48)]}).to_csv(
        w, index=False, encoding="gbk"
    )
    code, out, err = cli("heat", tiny, "--weather", w, "--save", "--at", "2022-02-21T08:00", "--hours", "24", "--json")
    assert code == 0, err
    assert "read 48 hours of weather" in err and "saved into" in err
    assert json.loads(out)["temperature"]["min_c"] == -16.5
    assert len(open_project(tiny).layer("weather")) == 48
    code, out, err = cli("heat", tiny, "--at", "2022-02-21T08:00", "--hours", "24", "--json")
    assert code == 0, err
    doc = json.loads(out)
    n1 = next(n for n in doc["networks"] if n["network_id"] == "N1")
    assert n1["capacity_mw"] == 1.0 and n1["stations"] == 6


def test_bad_weather_file_exit_2_naming_rows(cli, tiny, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "time,outdoor_c\n2022-02-21 08:00,-10\n2022-02-21 09:00,abc\n2022-02-21 10:00,80\n", encoding="utf-8"
    )
    before = tiny.read_bytes()
    code, out, err = cli("heat", tiny, "--weather", bad, "--save")
    assert code == 2 and out == ""
    assert "row 3, field outdoor_c: the temperature 'abc' is not a number" in err
    assert "row 4, field outdoor_c: the temperature 80 °C is not plausible" in err
    assert "Traceback" not in err and tiny.read_bytes() == before
    code, _, err = cli("heat", tiny, "--save")
    assert code == 2 and "--weather" in err
    code, _, err = cli("heat", tiny, "--temp", "80")
    assert code == 2 and "not a plausible outdoor temperature" in err


def test_import_command_takes_weather_and_metered_tables(cli, tiny, tmp_path):
    w = tmp_path / "w.csv"
    w.write_text("时间,气温\n2022-02-21 00:00,-8\n2022-02-21 01:00,-9\n2022-02-21 04:00,-12\n", encoding="utf-8")
    code, out, err = cli("import", tiny, w, "--layer", "weather", "--dry-run")
    assert code == 0, err
    assert "weather: 3 rows" in out and "dry run" in out and "2 hour(s) missing" in err
    assert not open_project(tiny).has("weather")
    code, out, err = cli("import", tiny, w, "--layer", "weather")
    assert code == 0 and "saved into" in out
    assert open_project(tiny).layer("weather")["outdoor_c"].tolist() == [-8.0, -9.0, -12.0]
    m = tmp_path / "m.csv"
    m.write_text("station_id,time,heat_kw\nS1,2022-02-21 00:00,50\nS1,2022-02-21 01:00,abc\n", encoding="utf-8")
    code, out, err = cli("import", tiny, m, "--layer", "metered")
    assert code == 2 and "row 3, field heat_kw" in err
