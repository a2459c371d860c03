"""The cold snap: degree-hour loads, metered fits, network and boiler-room balance, risk, weather files.

Known answers: hand-computed loads, the tiny city of ``tests/core/conftest.py`` (zones with
known times) with a heat source added, synthetic metered data with a known slope, and the demo.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from heatgis.analysis.heat import (
    degree_hour_factor,
    degree_hour_load,
    fit_metered,
    heat_balance,
)
from heatgis.analysis.heat_risk import risk_ranking
from heatgis.analysis.staffing.rules import HeatRules, StaffingRules, patrol_interval_h
from heatgis.errors import HeatGISError
from heatgis.io.weather import read_metered, read_weather
from heatgis.model.store import open_project, save_project
from tests.core.conftest import gdf, pt


def with_heat(project, capacity_mw=1.0, weather=None):
    """The tiny city with one heat source on N1 and an hourly weather series."""
    project.layers["heat_sources"] = gdf(
        "heat_sources",
        [{"source_id": "H1", "name": "热源1", "kind": "plant", "capacity_mw": capacity_mw, "network_id": "N1"}],
        [pt(1000, 1000)],
    )
    if weather is None:
        t = pd.date_range("2022-02-20T00:00", "2022-02-24T00:00", freq="h")
        weather = pd.DataFrame({"time": t, "outdoor_c": -10.0 - 8.0 * np.cos(2 * np.pi * (t.hour - 15) / 24)})
    project.layers["weather"] = weather
    return project


# ------------------------------------------------------------------ degree-hour method


def test_degree_hour_hand_computed():
    # Q(T) = Q_design x (18 - T) / (18 - (-17)) = Q_design x (18 - T) / 35
    q = degree_hour_load([1000.0, 350.0], [-17.0, -18.0, 0.5, 18.0, 25.0])
    assert q[0].tolist() == pytest.approx([1000.0, 350.0])
    assert q[1].tolist() == pytest.approx([1000.0 * 36 / 35, 360.0])
    assert q[2].tolist() == pytest.approx([500.0, 175.0])
    assert q[3].tolist() == [0.0, 0.0]
    assert q[4].tolist() == [0.0, 0.0]  # warmer than indoors: no heating, never negative
    # another design temperature and indoor temperature (e.g. Harbin -24 °C, 20 °C indoors)
    assert degree_hour_factor(-2.0, -24.0, 20.0) == pytest.approx(22 / 44)


def test_station_loads_and_uplift_follow_the_zones(tiny_project):
    p = with_heat(tiny_project, capacity_mw=10.0)
    rules = HeatRules(lockdown_uplift=0.1)
    r = heat_balance(p, at="2022-02-21T08:00", hours=24, temp=-17.0, rules=rules)
    ids = r.stations["station_id"].tolist()
    design = r.stations["design_load_kw"].to_numpy()
    load = r.station_load_kw
    assert load.shape == (24, 6)
    k = {s: ids.index(s) for s in ids}
    # S4 (precaution zone only) never gets the uplift; S1 (its compound C2 sealed) always
    assert load[:, k["S4"]] == pytest.approx(np.full(24, design[k["S4"]]))
    assert load[:, k["S1"]] == pytest.approx(np.full(24, design[k["S1"]] * 1.1))
    # S6 lies outside every zone but heats compound C1 inside Z1: its households stay at home
    assert load[0, k["S6"]] == pytest.approx(design[k["S6"]] * 1.1)
    # S5 is in Z4, sealed until 2022-02-22 00:00 = hour 16 of the horizon
    assert load[15, k["S5"]] == pytest.approx(design[k["S5"]] * 1.1)
    assert load[16, k["S5"]] == pytest.approx(design[k["S5"]])
    # no uplift: at the design temperature every station draws exactly its design load
    r0 = heat_balance(p, at="2022-02-21T08:00", hours=24, temp=-17.0, rules=HeatRules(lockdown_uplift=0.0))
    assert r0.station_load_kw == pytest.approx(np.tile(design, (24, 1)))
    assert r0.networks.set_index("network_id").loc["N1", "demand_mw"] == pytest.approx(design.sum() / 1000, abs=1e-3)


def test_inputs_are_not_modified(tiny_project):
    p = with_heat(tiny_project)
    before = {n: f.copy() for n, f in p.layers.items()}
    heat_balance(p, at="2022-02-21T08:00", hours=12)
    for n, f in before.items():
        pd.testing.assert_frame_equal(p.layers[n], f)


# ------------------------------------------------------------------ metered fits


def test_fitted_slope_recovered_from_noisy_metered_data():
    rng = np.random.default_rng(7)
    truth = {"A": (400.0, -20.0), "B": (900.0, -35.0), "C": (1500.0, -50.0)}
    rows = []
    for sid, (a, b) in truth.items():
        t = rng.uniform(-20, 5, 400)
        q = a + b * t
        rows.append(
            pd.DataFrame({"station_id": sid, "outdoor_c": t, "heat_kw": q + rng.normal(0, 0.05 * q.mean(), len(t))})
        )
    fits = fit_metered(pd.concat(rows), ["C", "A", "B", "D"]).set_index("station_id")
    for sid, (a, b) in truth.items():
        assert fits.loc[sid, "slope_kw_per_c"] == pytest.approx(b, rel=0.05)
        assert fits.loc[sid, "intercept_kw"] == pytest.approx(a, rel=0.05)
        assert fits.loc[sid, "r2"] > 0.8 and fits.loc[sid, "n"] == 400 and fits.loc[sid, "used"]
    assert fits.loc["D", "n"] == 0 and not fits.loc["D", "used"]  # no readings: the design formula
    # too few readings, or no relation to temperature: not used
    few = fit_metered(rows[0].head(10), ["A"]).iloc[0]
    assert not few["used"]
    flat = pd.DataFrame({"station_id": "A", "outdoor_c": rng.uniform(-20, 5, 100), "heat_kw": rng.uniform(0, 1, 100)})
    assert not fit_metered(flat, ["A"]).iloc[0]["used"]


def test_metered_fit_replaces_the_design_formula(tiny_project):
    p = with_heat(tiny_project)
    w = p.layers["weather"]
    rng = np.random.default_rng(3)
    m = pd.DataFrame(
        {"station_id": "S3", "time": w["time"], "heat_kw": 300.0 - 12.0 * w["outdoor_c"] + rng.normal(0, 3.0, len(w))}
    )
    p.layers["metered"] = m
    r = heat_balance(p, at="2022-02-21T08:00", hours=24, temp=-15.0, rules=HeatRules(lockdown_uplift=0.0))
    st = r.stations.set_index("station_id")
    assert st.loc["S3", "model"] == "metered" and st.loc["S1", "model"] == "design"
    assert st.loc["S3", "load_kw"] == pytest.approx(300.0 + 12.0 * 15.0, rel=0.02)
    fit = r.fits.set_index("station_id").loc["S3"]
    assert fit["slope_kw_per_c"] == pytest.approx(-12.0, rel=0.05) and fit["r2"] > 0.9


# ------------------------------------------------------------------ balance


def test_network_balance_is_the_sum_of_its_stations(demo_project):
    r = heat_balance(demo_project, at="2022-02-25T08:00", hours=48)
    st = r.stations
    net = st["network_id"].to_numpy()
    br = demo_project.layer("boiler_rooms")["asset_id"].astype(str).tolist()
    hourly = r.hourly.set_index(["time", "network_id"])
    for nid in ["CHP-1", "LD-1", "P-05", "CB-2"]:
        expected = r.station_load_kw[:, net == nid].sum(axis=1) / 1000.0
        got = hourly.xs(nid, level="network_id")["demand_mw"].to_numpy()
        assert got == pytest.approx(expected, abs=1e-3)
    # the demo: every network has a capacity, and boiler-room networks are their boiler room's
    assert r.networks["capacity_mw"].notna().all()
    fed = r.networks[r.networks["kind"] == "boiler_room"]
    assert set(fed["network_id"]) <= set(br) and len(fed) == 15
    b = r.boiler_rooms.set_index("asset_id")
    for nid in fed["network_id"]:
        row = r.networks.set_index("network_id").loc[nid]
        assert row["demand_mw"] == pytest.approx(b.loc[nid, "demand_mw"], abs=2e-3)
        assert b.loc[nid, "demand_mw"] == pytest.approx(b.loc[nid, "own_mw"] + b.loc[nid, "fed_mw"], abs=2e-3)
    # the city's demand at the coldest hour is the sum over all stations and boiler rooms
    own = b["own_mw"].sum()
    assert r.totals()["demand_mw"] == pytest.approx(r.station_load_kw[r.coldest].sum() / 1000 + own, rel=1e-6)


def test_deficit_hours_appear_when_capacity_is_cut(tiny_project):
    p = with_heat(tiny_project, capacity_mw=100.0)
    r = heat_balance(p, at="2022-02-21T00:00", hours=48)
    n1 = r.networks.set_index("network_id").loc["N1"]
    assert n1["hours_in_deficit"] == 0 and n1["first_deficit"] is None
    demand = r.hourly[r.hourly["network_id"] == "N1"]["demand_mw"].to_numpy()
    cut = float(np.quantile(demand, 0.75))  # a quarter of the hours above it
    p.layers["heat_sources"] = p.layers["heat_sources"].assign(capacity_mw=cut)
    r = heat_balance(p, at="2022-02-21T00:00", hours=48)
    n1 = r.networks.set_index("network_id").loc["N1"]
    assert n1["hours_in_deficit"] == int((demand > cut).sum()) > 0
    first = r.hours[int(np.argmax(demand > cut))]
    assert n1["first_deficit"] == f"{first:%Y-%m-%dT%H:%M}"
    assert n1["margin_mw"] == pytest.approx(cut - demand[r.coldest], abs=1e-3) and n1["margin_mw"] < 0
    # boiler room B1 (500 m² x 45 W/m² = 22.5 kW at -17 °C): cut its capacity below that
    p.layers["boiler_rooms"] = p.layers["boiler_rooms"].assign(capacity_mw=0.02)
    b1 = heat_balance(p, at="2022-02-21T00:00", hours=48, temp=-17.0).boiler_rooms.set_index("asset_id").loc["B1"]
    assert b1["own_mw"] == pytest.approx(0.0225 * 1.1, abs=5e-4)  # B1 lies in sealed Z1: +10 % (MW to 0.001)
    assert b1["hours_in_deficit"] == 48 and b1["margin_mw"] < 0


def test_demo_cold_night(demo_project):
    r = heat_balance(demo_project)
    assert r.coldest_time == pd.Timestamp("2022-02-26T06:00") and r.coldest_c == -18.0
    assert len(r.hours) == 72 and r.at == pd.Timestamp("2022-02-25T08:00")
    # 24 + 3 sites locked at the reference time stay locked that night
    assert int(r.stations["locked"].sum()) == 24 and int(r.boiler_rooms["locked"].sum()) == 3
    # the demo's sources are sized 15 % above the design load: no deficit at -18 °C, some at -25 °C
    assert r.totals()["networks_in_deficit"] == 0
    assert heat_balance(demo_project, temp=-25.0).totals()["networks_in_deficit"] > 0


def test_weather_must_cover_the_horizon(tiny_project):
    p = with_heat(tiny_project)
    with pytest.raises(HeatGISError, match="covers 2022-02-20 00:00 to 2022-02-24 00:00") as err:
        heat_balance(p, at="2022-02-23T12:00", hours=24)
    zh = err.value.text("zh")
    assert (
        "气温序列覆盖 2022-02-20 00:00 至 2022-02-24 00:00，不含所求时段（2022-02-23 12:00 至 2022-02-24 11:00）" in zh
    )
    assert "解决办法：换一个 --at/--hours，导入更长的序列，或给出 --temp" in zh
    del p.layers["weather"]
    with pytest.raises(HeatGISError, match="no weather series"):
        heat_balance(p, at="2022-02-21T08:00")
    assert heat_balance(p, at="2022-02-21T08:00", temp=-18).temperature_source == "constant -18 °C"


# ------------------------------------------------------------------ risk


def test_risk_score_as_documented(tiny_project):
    from heatgis.analysis.staffing import plan_staffing

    p = with_heat(tiny_project)
    r = heat_balance(p, at="2022-02-21T08:00", hours=12)
    assert r.risk_inputs["staffing_plan"] is False
    locked = set(r.risk["site_id"])
    assert locked == {"S1", "S2", "S3", "S5", "B1"}  # S4 precaution only, S6 outside
    assert (r.risk["staffed"] == "unknown").all()
    plan = plan_staffing(p, r.coldest_time)
    risk, inputs = risk_ranking(r, plan)
    assert inputs["staffing_plan"] and not inputs["crew_plan"]
    k = risk.set_index("site_id")
    w = HeatRules().risk_weights
    interval = patrol_interval_h(HeatRules(), r.coldest_c)
    status = plan.sites.set_index("site_id")["status"]
    for sid in locked:
        load = k.loc[sid, "load_kw"] / k["load_kw"].max()
        hh = k.loc[sid, "households"] / k["households"].max()
        unstaffed = {"staffed": 0.0, "partial": 0.5, "unstaffed": 1.0}[status.get(sid, "unstaffed")]
        since = 0.0 if status.get(sid) == "staffed" else 1.0  # no crew plan: unknown = overdue
        expected = (
            100
            * (w["load"] * load + w["unstaffed"] * unstaffed + w["since_visit"] * since + w["households"] * hh)
            / sum(w.values())
        )
        assert k.loc[sid, "score"] == pytest.approx(expected, abs=0.06)
        assert k.loc[sid, "patrol_interval_h"] == pytest.approx(interval, abs=0.01)
    assert risk["rank"].tolist() == list(range(1, len(risk) + 1))
    assert risk["score"].is_monotonic_decreasing


def test_time_since_crew_visit_counts(tiny_project, tmp_path):
    from types import SimpleNamespace

    p = with_heat(tiny_project)
    r = heat_balance(p, at="2022-02-21T08:00", hours=12, temp=-15.0)  # constant: coldest = first hour 08:00
    t0 = r.coldest_time
    routes = pd.DataFrame(
        {
            "site_id": ["S1", "S2", "S3"],
            "eta": [t0 - pd.Timedelta(hours=3), t0 - pd.Timedelta(hours=1), t0 + pd.Timedelta(hours=2)],
            "depart": [t0 - pd.Timedelta(hours=2), t0 - pd.Timedelta(minutes=30), t0 + pd.Timedelta(hours=3)],
        }
    )
    risk, inputs = risk_ranking(r, None, SimpleNamespace(routes=routes))
    k = risk.set_index("site_id")
    assert inputs["crew_plan"]
    assert k.loc["S1", "hours_since_visit"] == 2.0 and k.loc["S2", "hours_since_visit"] == 0.5
    assert np.isnan(k.loc["S3", "hours_since_visit"])  # visited only after the coldest hour
    assert "no crew visit" in k.loc["S3", "reason"]
    # the reasons in both languages; the workbook writes them in Chinese
    assert k.loc["S1", "reason"].zh.endswith("，抢修队 2 小时前巡检")
    assert k.loc["S3", "reason"].zh.endswith("，最冷时刻前无抢修队巡检")
    from openpyxl import Workbook, load_workbook

    from heatgis.export.xlsx import write_heat_sheets

    wb = Workbook()
    r.risk = risk
    write_heat_sheets(wb, r)
    wb.save(tmp_path / "heat.xlsx")
    ws = load_workbook(tmp_path / "heat.xlsx")["风险站点"]
    head = [c.value for c in ws[1]]
    rows = {row[head.index("站点编号")]: row for row in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["S3"][head.index("说明")] == k.loc["S3", "reason"].zh
    assert rows["S1"][head.index("驻守")] == "未知"


# ------------------------------------------------------------------ rules


def test_heat_rules_in_the_rules_file(tmp_path):
    f = tmp_path / "rules.json"
    f.write_text(
        '{"heat": {"design_outdoor_c": -24, "indoor_c": 20, "lockdown_uplift": 0.15, '
        '"patrol_interval_h": [[-5, 6], [-25, 1]]}}',
        encoding="utf-8",
    )
    r = StaffingRules.load(f)
    assert r.heat.design_outdoor_c == -24 and r.heat.lockdown_uplift == 0.15
    assert r.station.shifts == 3  # the staffing rules keep their defaults
    assert patrol_interval_h(r, -15) == pytest.approx(3.5)
    assert patrol_interval_h(r, 10) == 6 and patrol_interval_h(r, -40) == 1
    assert patrol_interval_h(HeatRules(), [0, -10, -15, -20]).tolist() == [12, 8, 4, 2]
    assert StaffingRules.from_dict(r.to_dict()) == r
    for bad, what in [
        ({"heat": {"indoor_c": -30}}, "heat.indoor_c"),
        ({"heat": {"lockdown_uplift": 2}}, "heat.lockdown_uplift"),
        ({"heat": {"design_outdoor_c": "cold"}}, "heat.design_outdoor_c"),
        ({"heat": {"patrol_interval_h": [[0, 2], [-20, 8]]}}, "heat.patrol_interval_h"),
        ({"heat": {"risk_weights": {"luck": 1}}}, "heat.risk_weights"),
        ({"heat": {"wind": 3}}, "heat.wind"),
    ]:
        with pytest.raises(HeatGISError) as exc:
            StaffingRules.from_dict(bad, file="rules.json")
        assert exc.value.problem.field == what and exc.value.problem.file == "rules.json"


# ------------------------------------------------------------------ weather files


def write(tmp_path, name, text, encoding="utf-8"):
    f = tmp_path / name
    f.write_text(text, encoding=encoding)
    return f


def test_weather_file_chinese_headers_and_units(tmp_path):
    f = write(
        tmp_path,
        "天气.csv",
        "时间,气温(℃)\n2022-02-25 08:00,-10.5\n2022-02-25 09:00,-11℃\n2022-02-25 10:00,-12度\n",
        encoding="gbk",
    )
    w, warnings = read_weather(f)
    assert w["outdoor_c"].tolist() == [-10.5, -11.0, -12.0] and warnings == []
    assert w["time"].iloc[0] == pd.Timestamp("2022-02-25T08:00")


def test_weather_file_xlsx(tmp_path):
    f = tmp_path / "weather.xlsx"
    t = pd.date_range("2022-02-25T00:00", periods=6, freq="h")
    pd.DataFrame({"时间": t, "室外温度": [-5, -6, -7, -8, -9, -10]}).to_excel(f, index=False)
    w, _ = read_weather(f)
    assert len(w) == 6 and w["outdoor_c"].iloc[-1] == -10


def test_bad_weather_files_name_the_row(tmp_path):
    f = write(
        tmp_path,
        "bad.csv",
        "time,outdoor_c\n2022-02-25 08:00,-10\n2022-02-25 09:00,冷\n"
        "2022-02-25 07:00,-9\n2022-02-25 12:00,+80\nyesterday,-3\n",
    )
    with pytest.raises(HeatGISError) as exc:
        read_weather(f)
    found = {(p.row, p.field): p.message for p in exc.value.problems}
    assert "not a number" in found[("3", "outdoor_c")] and "冷" in found[("3", "outdoor_c")]
    assert "earlier than row 3" in found[("4", "time")]
    assert "80 °C is not plausible" in found[("5", "outdoor_c")]
    assert "not a date and time" in found[("6", "time")]
    assert all(p.file == str(f) and p.layer == "weather" for p in exc.value.problems)
    dup = write(tmp_path, "dup.csv", "time,outdoor_c\n2022-02-25 08:00,-10\n2022-02-25 08:00,-11\n")
    with pytest.raises(HeatGISError) as exc:
        read_weather(dup)
    assert exc.value.problems[0].row == "3" and "same as in the row before" in exc.value.problems[0].message
    assert exc.value.problems[0].message.zh == "时间 2022-02-25 08:00 与上一行相同"


def test_bad_weather_file_in_chinese(tmp_path):
    from tests.core.io_fixtures import english_sentences

    f = write(tmp_path, "bad.csv", "时间,气温\n2022-02-25 08:00,-10\n2022-02-25 09:00,冷\n2022-02-25 07:00,+80\n")
    with pytest.raises(HeatGISError) as exc:
        read_weather(f)
    zh = exc.value.text("zh").splitlines()
    assert zh[0] == f"错误：{f}，图层 weather：气象文件有 3 个问题 解决办法：请改正下列各行后重新导入"
    assert (
        zh[1]
        == f"  错误：{f}，图层 weather，第 3 行，字段 气温：气温 '冷' 不是数字 解决办法：请用数字填写气温（°C），如 -18"
    )
    assert "第 4 行，字段 气温：气温 80 °C 不合理（超出 -60 至 50 °C）" in zh[2]
    assert "第 4 行，字段 时间：时间 2022-02-25 07:00 早于第 3 行的 2022-02-25 09:00" in zh[3]
    assert not any(english_sentences(line) for line in zh)
    nocol = write(tmp_path, "nocol.csv", "时刻,气温\n2022-02-25 08:00,-10\n")
    with pytest.raises(HeatGISError) as exc:
        read_weather(nocol)
    assert exc.value.problem.message.zh == "没有找到时间列；现有的列：时刻、气温"
    assert exc.value.problem.fix.zh == "请将该列命名为 时间 或 time"


def test_missing_hours_are_a_warning_listing_the_gaps(tmp_path):
    f = write(
        tmp_path,
        "gaps.csv",
        "time,outdoor_c\n2022-02-25 08:00,-10\n2022-02-25 09:00,\n"
        "2022-02-25 12:00,-11\n2022-02-25 15:00,-12\n2022-02-25 16:00,-12\n",
    )
    w, warnings = read_weather(f)
    assert len(w) == 4 and all(p.severity == "warning" for p in warnings)
    text = "\n".join(str(p) for p in warnings)
    assert "row 3" in text and "the temperature is empty" in text
    assert (
        "5 hour(s) missing: 2022-02-25 09:00–2022-02-25 11:00 (3 h, after row 2); "
        "2022-02-25 13:00–2022-02-25 14:00 (2 h, after row 4)"
    ) in text
    assert warnings[-1].message.zh == (
        "缺少 5 个小时：2022-02-25 09:00–2022-02-25 11:00（3 小时，位于第 2 行之后）；"
        "2022-02-25 13:00–2022-02-25 14:00（2 小时，位于第 4 行之后）"
    )


def test_metered_file_and_project_round_trip(tmp_path, tiny_project):
    f = write(
        tmp_path,
        "m.csv",
        "换热站编号,时间,热负荷\nS1,2022-02-20 00:00,120\nS1,2022-02-20 01:00,\nS2,2022-02-20 00:00,240.5\n",
    )
    m, warnings = read_metered(f)
    assert m["station_id"].tolist() == ["S1", "S2"] and m["heat_kw"].tolist() == [120.0, 240.5]
    assert warnings[0].row == "3"
    bad = write(tmp_path, "mb.csv", "station_id,time,heat_kw\nS1,2022-02-20 00:00,-5\n")
    with pytest.raises(HeatGISError) as exc:
        read_metered(bad)
    assert exc.value.problems[0].row == "2"
    p = with_heat(tiny_project)
    p.layers["metered"] = m
    path = save_project(p, tmp_path / "p.gpkg")
    back = open_project(path)
    assert back.layer("weather")["outdoor_c"].to_numpy() == pytest.approx(p.layers["weather"]["outdoor_c"].to_numpy())
    assert (back.layer("weather")["time"].to_numpy() == p.layers["weather"]["time"].to_numpy()).all()
    assert back.layer("metered")["station_id"].tolist() == ["S1", "S2"]


def test_the_10x_city_keeps_one_weather_series(demo_project):
    from heatgis.sample.scale import tile_project

    big = tile_project(demo_project, 3)
    assert len(big.layers["weather"]) == len(demo_project.layer("weather"))
    r = heat_balance(big, hours=24, temp=-18.0)
    assert len(r.stations) == 3 * 812 and len(r.networks) == 3 * 30
