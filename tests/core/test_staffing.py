"""The staffing plan on hand-built cities with known answers, and on the demo when it exists.

City (metres around x=500000, y=4520000), all zones from 2022-02-16:

    ZA sealed      box(0,0,1000,1000)    SA1 (100,100) in compound CA1 box(0,0,300,300)
                                         SA2 (800,800) in compound CA2 box(700,700,1000,1000)
                                         BA boiler room (500,500)
                   operators E01 (50,50) + E02 (200,250) in CA1, E03 (850,900) in CA2,
                   E04 (400,400), E05 (600,100); boiler operators E06 E07 E08 E11;
                   electrician E09; welder E10
    ZB sealed      box(2000,0,3000,1000) SB station, nobody lives there
    ZC controlled  box(4000,0,5000,1000) BC boiler room, two operators E30 E31 (no boiler operator)
    ZP precaution  box(6000,0,7000,1000) SP station, operator E21 (free: precaution never locks)
    ZD sealed      box(8000,0,9000,1000) ended 2022-02-20: SD not locked
    E20 operator at (2500,2000), outside every zone (free)
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from scipy.optimize import linear_sum_assignment

from heatgis.analysis.staffing import StaffingProblem, plan_staffing
from heatgis.analysis.staffing.rules import SiteRule, StaffingRules
from heatgis.errors import HeatGISError
from heatgis.model.project import Project
from heatgis.model.schema import conform

X0, Y0 = 500000.0, 4520000.0
AT = "2022-02-21T08:00"
DEMO = Path(__file__).resolve().parents[2] / "data" / "hohhot_demo.gpkg"
#: words of an English sentence, which a message in Chinese must not hold
ENGLISH = re.compile(r"\b(?:the|is|not|must|cannot|has|have|with|use|give|write|who|which)\b")


def _box(x0, y0, x1, y1):
    return shapely.box(X0 + x0, Y0 + y0, X0 + x1, Y0 + y1)


def _pt(x, y):
    return shapely.Point(X0 + x, Y0 + y)


def _gdf(layer, rows, geoms):
    return conform(layer, gpd.GeoDataFrame(pd.DataFrame(rows), geometry=geoms, crs="EPSG:4546"))


def _station(sid, compound=None):
    return dict(
        station_id=sid,
        name=f"站{sid}",
        network_id="N1",
        heated_area_m2=10000.0,
        households=100,
        design_load_kw=450.0,
        compound_id=compound,
        depot_id="D1",
        address="",
    )


def _boiler(bid):
    return dict(
        asset_id=bid,
        name=f"锅炉房{bid}",
        fuel="gas",
        capacity_mw=5.0,
        heated_area_m2=50000.0,
        households=500,
        compound_id=None,
        depot_id="D1",
    )


def _person(sid, role, skills=None):
    return dict(
        staff_id=sid,
        name=f"员工{sid}",
        role=role,
        skills=skills or role,
        depot_id="D1",
        assigned_site=None,
        phone=f"138-0000-{sid[1:]:0>4}",
    )


def staffing_city() -> Project:
    """The city of the module docstring."""
    stations = _gdf(
        "stations",
        [_station("SA1", "CA1"), _station("SA2", "CA2"), _station("SB"), _station("SP"), _station("SD")],
        [_pt(100, 100), _pt(800, 800), _pt(2500, 500), _pt(6500, 500), _pt(8500, 500)],
    )
    boilers = _gdf("boiler_rooms", [_boiler("BA"), _boiler("BC")], [_pt(500, 500), _pt(4500, 500)])
    zones = _gdf(
        "lockdown_zones",
        [
            dict(zone_id="ZA", name="甲封控区", level="sealed", start="2022-02-16T00:00", end=None),
            dict(zone_id="ZB", name="乙封控区", level="sealed", start="2022-02-16T00:00", end=None),
            dict(zone_id="ZC", name="丙管控区", level="controlled", start="2022-02-16T00:00", end=None),
            dict(zone_id="ZP", name="丁防范区", level="precaution", start="2022-02-16T00:00", end=None),
            dict(zone_id="ZD", name="戊封控区", level="sealed", start="2022-02-16T00:00", end="2022-02-20T00:00"),
        ],
        [
            _box(0, 0, 1000, 1000),
            _box(2000, 0, 3000, 1000),
            _box(4000, 0, 5000, 1000),
            _box(6000, 0, 7000, 1000),
            _box(8000, 0, 9000, 1000),
        ],
    )
    compounds = _gdf(
        "compounds",
        [
            dict(compound_id="CA1", name="甲一小区", district="新城区", households=300, served_by="SA1"),
            dict(compound_id="CA2", name="甲二小区", district="新城区", households=300, served_by="SA2"),
        ],
        [_box(0, 0, 300, 300), _box(700, 700, 1000, 1000)],
    )
    people = [
        ("E01", "operator", None, (50, 50)),
        ("E02", "operator", None, (200, 250)),
        ("E03", "operator", None, (850, 900)),
        ("E04", "operator", None, (400, 400)),
        ("E05", "operator", None, (600, 100)),
        ("E06", "boiler_operator", None, (500, 600)),
        ("E07", "boiler_operator", None, (450, 450)),
        ("E08", "boiler_operator", None, (550, 550)),
        ("E09", "electrician", None, (300, 700)),
        ("E10", "welder", None, (900, 100)),
        ("E11", "boiler_operator", None, (520, 480)),
        ("E20", "operator", None, (2500, 2000)),
        ("E21", "operator", None, (6500, 400)),
        ("E30", "operator", None, (4400, 400)),
        ("E31", "operator", "operator;welder", (4600, 600)),
    ]
    staff = _gdf("staff", [_person(s, r, k) for s, r, k, _ in people], [_pt(*xy) for *_, xy in people])
    depots = _gdf("depots", [dict(depot_id="D1", name="一号运营所", district="新城区")], [_pt(3000, 3000)])
    return Project(
        {
            "stations": stations,
            "boiler_rooms": boilers,
            "lockdown_zones": zones,
            "compounds": compounds,
            "staff": staff,
            "depots": depots,
        },
        {"name": "staffing city", "reference_time": AT},
    )


def trap_city() -> Project:
    """Greedy (nearest first) fails here; the optimum staffs both sites.

    Zone Z: station S (100,100), boiler room B (900,900), rules 3 x 1 at both.
    X (operator who is also a boiler operator) lives 10 m from S; operators O1-O3 at
    100/200/300 m from S; boiler operators B1, B2 at 100/200 m from B. Greedy puts
    X at S and leaves B one short; the optimum sends X to B and O1-O3 to S.
    """
    stations = _gdf("stations", [_station("S")], [_pt(100, 100)])
    boilers = _gdf("boiler_rooms", [_boiler("B")], [_pt(900, 900)])
    zones = _gdf(
        "lockdown_zones",
        [dict(zone_id="Z", name="封控区", level="sealed", start="2022-02-16T00:00", end=None)],
        [_box(0, 0, 1000, 1000)],
    )
    people = [
        ("X", "operator", "operator;boiler_operator", (110, 100)),
        ("O1", "operator", None, (100, 200)),
        ("O2", "operator", None, (100, 300)),
        ("O3", "operator", None, (100, 400)),
        ("B1", "boiler_operator", None, (900, 800)),
        ("B2", "boiler_operator", None, (900, 700)),
    ]
    staff = _gdf("staff", [_person(s, r, k) for s, r, k, _ in people], [_pt(*xy) for *_, xy in people])
    return Project(
        {"stations": stations, "boiler_rooms": boilers, "lockdown_zones": zones, "staff": staff},
        {"name": "trap", "reference_time": AT},
    )


TRAP_RULES = StaffingRules(
    station=SiteRule(3, 1, "operator"), boiler_room=SiteRule(3, 1, "boiler_operator"), on_call={}
)


# ------------------------------------------------------------------------- feasibility checks


def assert_feasible(project, plan):
    """Every assignment: shared active locking zone, skill, nobody twice, no site over its need."""
    from heatgis.analysis.impact import impact

    res = impact(project, plan.at)
    staff_zones = dict(zip(res.staff["staff_id"], res.staff["zone_ids"]))
    site_zones = {(k, i): set(z) for k, i, z in zip(res.sites["kind"], res.sites["id"], res.sites["zone_ids"])}
    st = project.layer("staff").set_index("staff_id")
    a = plan.assignments
    assert not a["staff_id"].duplicated().any(), "someone is assigned twice"
    for r in a.itertuples():
        assert r.staff_id in staff_zones, f"{r.staff_id} is not locked in"
        skills = set(str(st.loc[r.staff_id, "skills"]).split(";")) | {st.loc[r.staff_id, "role"]}
        if r.site_kind == "on_call":
            assert r.site_id in staff_zones[r.staff_id]
            assert r.role in plan.rules.on_call or set(plan.rules.on_call) & skills
        else:
            zones = site_zones[(r.site_kind, r.site_id)]
            assert r.zone_id in zones and r.zone_id in staff_zones[r.staff_id]
            assert plan.rules.rule(r.site_kind).role in skills
            assert r.shift in plan.rules.shift_names(r.site_kind)
    per = a[a["site_kind"] != "on_call"].groupby(["site_id", "shift"]).size()
    for (sid, _shift), n in per.items():
        kind = plan.sites.set_index("site_id").loc[sid, "site_kind"]
        assert n <= plan.rules.rule(kind).per_shift
    s = plan.sites
    assert (s["assigned"] + s["short"] == s["needed"]).all()
    # shift counts met where possible: no short site has a qualified insider left idle
    if plan.rules.max_walk_m is None and not plan.removals:
        busy = set(a["staff_id"])
        for r in s[s["short"] > 0].itertuples():
            role = plan.rules.rule(r.site_kind).role
            idle = [
                p
                for p, zs in staff_zones.items()
                if p not in busy
                and set(zs) & set(r.zone_ids)
                and role in set(str(st.loc[p, "skills"]).split(";")) | {st.loc[p, "role"]}
            ]
            assert not idle, f"{r.site_id} is short while {idle} stay idle"
    assert len(plan.duty_list) == len(s) - int((s["status"] == "staffed").sum())


# ------------------------------------------------------------------------- the hand-built city


def test_plan_on_city_is_feasible_and_known():
    project = staffing_city()
    plan = plan_staffing(project)
    assert_feasible(project, plan)
    s = plan.sites.set_index("site_id")
    assert sorted(s.index) == ["BA", "BC", "SA1", "SA2", "SB"]
    # five operators for six places: SA1 full from its compound + the cheaper outsider, SA2 two
    a = plan.assignments.set_index("staff_id")
    assert set(a.index[a["site_id"] == "SA1"]) == {"E01", "E02", "E05"}
    assert set(a.index[a["site_id"] == "SA2"]) == {"E03", "E04"}
    assert a.loc["E01", "same_compound"] and a.loc["E03", "same_compound"] and not a.loc["E05", "same_compound"]
    assert a.loc["E05", "distance_m"] == 500.0
    assert s.loc["SA1", "status"] == "staffed"
    assert s.loc["SA2", "status"] == "partial" and s.loc["SA2", "shifts_covered"] == 2
    assert "needed at other sites" in s.loc["SA2", "reason"]
    assert "only 2 of 3 shifts covered" in s.loc["SA2", "reason"]
    # four boiler operators for 3 shifts x 2: every shift covered, two short
    assert s.loc["BA", "assigned"] == 4 and s.loc["BA", "shifts_covered"] == 3
    assert "only 4 boiler_operator(s) locked in zone(s) ZA for 6 places" in s.loc["BA", "reason"]
    # the infeasible cases, with their reasons
    assert s.loc["SB", "status"] == "unstaffed"
    assert s.loc["SB", "reason"].startswith("no locked-in staff in its zone(s) ZB")
    assert s.loc["BC", "reason"].startswith("no one with the skill boiler_operator in zone(s) ZC")
    # the crews' duty list: locked sites minus the fully staffed one; unstaffed first
    assert plan.totals["left_to_crews"] == 5 - 1
    assert list(plan.duty_list["priority"]) == [1, 1, 2, 2]
    assert set(plan.duty_list["site_id"]) == {"SB", "BC", "SA2", "BA"}
    assert plan.duty_list[["x", "y"]].notna().all().all()
    # on call: E09 in ZA; nobody in ZB; ZC has no electrician
    oc = plan.on_call.set_index("zone_id")
    assert oc.loc["ZA", "assigned"] == 1 and a.loc["E09", "site_kind"] == "on_call"
    assert oc.loc["ZB", "reason"] == "no electrician locked in zone ZB"
    # who is locked in and who is free
    assert set(plan.free_staff["staff_id"]) == {"E20", "E21"}
    assert len(plan.locked_in_staff) == 13
    by_zone = plan.locked_in_by("zone_id").set_index("zone_id")
    assert by_zone.loc["ZA", "staff"] == 11 and by_zone.loc["ZC", "staff"] == 2
    assert by_zone.loc["ZA", "assigned"] == 10  # all but the welder


def test_pin_survives_resolve_and_removal_excludes():
    project = staffing_city()
    problem = StaffingProblem(project)
    plan = problem.solve(pins=[("E04", "SA1", "00:00-08:00")])
    assert_feasible(project, plan)
    a = plan.assignments.set_index("staff_id")
    assert a.loc["E04", "site_id"] == "SA1" and a.loc["E04", "shift"] == "00:00-08:00" and a.loc["E04", "pinned"]
    assert set(a.index[a["site_id"] == "SA1"]) == {"E01", "E02", "E04"}
    # a second re-solve with a removal keeps the pin
    plan2 = problem.solve(pins=plan.pins, removals=[("E01", "SA1")])
    a2 = plan2.assignments.set_index("staff_id")
    assert a2.loc["E04", "site_id"] == "SA1" and a2.loc["E04", "pinned"]
    assert a2.loc["E01", "site_id"] != "SA1"
    assert_feasible(project, plan2)
    assert (
        "1 removed by hand" in " ".join(plan2.sites["reason"])
        or plan2.sites.set_index("site_id").loc["SA1", "status"] == "staffed"
    )
    # removing a person altogether
    plan3 = problem.solve(removals=["E09"])
    assert "E09" not in set(plan3.assignments["staff_id"])
    assert plan3.on_call.set_index("zone_id").loc["ZA", "reason"].endswith("1 removed by hand")


def test_bad_pins_are_clear_errors():
    problem = StaffingProblem(staffing_city())
    with pytest.raises(HeatGISError, match="not in the staff layer"):
        problem.solve(pins=[("NOBODY", "SA1")])
    with pytest.raises(HeatGISError, match="not locked in"):
        problem.solve(pins=[("E20", "SA1")])
    with pytest.raises(HeatGISError, match="not a locked site"):
        problem.solve(pins=[("E01", "SD")])
    with pytest.raises(HeatGISError, match="has not the skill boiler_operator"):
        problem.solve(pins=[("E01", "BA")])
    with pytest.raises(HeatGISError, match="does not live in a zone"):
        problem.solve(pins=[("E30", "SA1")])
    with pytest.raises(HeatGISError, match="use one of its shifts"):
        problem.solve(pins=[("E01", "SA1", "09:00-17:00")])
    with pytest.raises(HeatGISError, match="pinned twice"):
        problem.solve(pins=[("E01", "SA1"), ("E01", "SA2")])
    # and in Chinese: the skill in the vocabulary's word, the ids as they are
    with pytest.raises(HeatGISError) as err:
        problem.solve(pins=[("E01", "BA")])
    zh = err.value.text("zh")
    assert "员工 'E01' 不能指定到 'BA'：不具备司炉工技能" in zh and "解决办法：指定具备该技能的人员" in zh
    assert not ENGLISH.search(zh), zh


def test_time_and_reference_errors():
    project = staffing_city()
    with pytest.raises(HeatGISError, match="not a time I can read"):
        plan_staffing(project, at="tomorrow-ish")
    project.meta["reference_time"] = ""
    with pytest.raises(HeatGISError, match="no reference time"):
        plan_staffing(project)
    # before any zone starts nothing is locked and nobody is needed
    plan = plan_staffing(project, at="2022-02-01T08:00")
    assert plan.totals["locked_sites"] == 0 and len(plan.assignments) == 0 and len(plan.duty_list) == 0
    assert plan.totals["staff_free"] == 15


def test_max_walk_and_rule_changes():
    project = staffing_city()
    plan = plan_staffing(project, rules=StaffingRules(max_walk_m=150))
    s = plan.sites.set_index("site_id")
    # only E01 (71 m) is within 150 m of SA1; SA2: E03 (111 m)
    assert s.loc["SA1", "assigned"] == 1 and s.loc["SA2", "assigned"] == 1
    assert (plan.assignments["distance_m"] <= 150).all()
    plan = plan_staffing(project, rules=StaffingRules(station=SiteRule(2, 1, "operator"), on_call={"welder": 1}))
    s = plan.sites.set_index("site_id")
    assert s.loc["SA1", "needed"] == 2 and s.loc["SA1", "status"] == "staffed"
    assert s.loc["SA2", "status"] == "staffed"
    oc = plan.on_call.set_index(["zone_id", "role"])
    assert oc.loc[("ZA", "welder"), "assigned"] == 1
    assert oc.loc[("ZC", "welder"), "assigned"] == 1  # E31 has the welder skill and no boiler work
    assert StaffingRules(station=SiteRule(2, 1)).shift_names("station") == ["08:00-20:00", "20:00-08:00"]


def test_progress_and_cancel_through_feedback():
    from heatgis.errors import Cancelled, Feedback

    seen = []
    plan_staffing(staffing_city(), feedback=Feedback(lambda pct, m: seen.append(pct)))
    assert seen[-1] == 100.0 and all(0 <= f <= 100 for f in seen) and seen == sorted(seen)
    # cancelled from the start, and cancelled after the candidates step (between steps)
    fb = Feedback()
    fb.cancel()
    with pytest.raises(Cancelled):
        plan_staffing(staffing_city(), feedback=fb)
    project = staffing_city()
    before = dict(project.meta)
    steps = []

    def cancel_at_candidates(pct, message):
        steps.append(message)
        if message == "candidates":
            late.cancel()

    late = Feedback(cancel_at_candidates)
    with pytest.raises(Cancelled):
        plan_staffing(project, feedback=late)
    assert "candidates" in steps and "done" not in steps and project.meta == before


def test_json_and_csv(tmp_path):
    plan = plan_staffing(staffing_city())
    doc = json.loads(json.dumps(plan.to_dict(), ensure_ascii=False))
    assert set(doc) >= {
        "at",
        "rules",
        "totals",
        "sites",
        "assignments",
        "on_call",
        "duty_list",
        "locked_in_by_zone",
        "locked_in_by_depot",
        "locked_in_by_role",
        "solver",
    }
    assert doc["totals"]["fully_staffed"] == 1 and doc["totals"]["left_to_crews"] == 4
    assert doc["at"] == "2022-02-21T08:00"
    out = tmp_path / "plan.csv"
    plan.to_csv(out)
    table = pd.read_csv(out, encoding="utf-8-sig", dtype=str)
    assert len(table) == len(plan.assignments)
    assert "姓名 name" in table.columns and "电话 phone" in table.columns and "班次 shift" in table.columns
    row = table[table["员工编号 staff"] == "E01"].iloc[0]
    assert row["姓名 name"] == "员工E01" and row["电话 phone"] == "138-0000-0001"
    assert row["站点编号 site"] == "SA1"
    with pytest.raises(HeatGISError, match="cannot be written"):
        plan.to_csv(tmp_path / "no" / "such" / "dir" / "plan.csv")


# ------------------------------------------------------------------------- optimality


def test_solver_beats_greedy_on_known_optimum():
    project = trap_city()
    problem = StaffingProblem(project, rules=TRAP_RULES)
    best = problem.solve()
    greedy = problem.solve(method="greedy")
    assert_feasible(project, best)
    a = best.assignments.set_index("staff_id")
    assert set(a.index[a["site_id"] == "S"]) == {"O1", "O2", "O3"}
    assert set(a.index[a["site_id"] == "B"]) == {"X", "B1", "B2"}
    assert best.totals["fully_staffed"] == 2 and best.totals["left_to_crews"] == 0
    known = 100 + 200 + 300 + 100 + 200 + np.hypot(790, 800)
    assert best.assignments["distance_m"].sum() == pytest.approx(known, abs=0.5)
    # greedy takes X for S (10 m) and leaves B short: the case is a real trap
    assert greedy.totals["fully_staffed"] == 1 and greedy.totals["places_filled"] == 5


def test_solver_matches_brute_force_assignment():
    """Against scipy's Hungarian method on the place-expanded matrix (same objective)."""
    project = staffing_city()
    rules = StaffingRules(on_call={})
    problem = StaffingProblem(project, rules=rules)
    plan = problem.solve()
    places = [d for d in range(len(problem.sites)) for _ in range(problem.site_need[d])]
    big = 10**9
    cost = np.full((len(problem.people), len(places)), big * 10, dtype=float)
    ecost = {(p, d): c for p, d, c in zip(problem.ep, problem.ed, problem.ecost)}
    for j, d in enumerate(places):
        for p in range(len(problem.people)):
            if (p, d) in ecost:
                cost[p, j] = ecost[(p, d)] - big
    # unassigned people cost 0: pad with dummy columns
    cost = np.hstack([cost, np.zeros((len(problem.people), len(problem.people)))])
    r, c = linear_sum_assignment(cost)
    brute = cost[r, c]
    brute = brute[brute < 0]
    assert len(brute) == plan.totals["places_filled"]
    solver_cost = sum(
        ecost[(problem.person_pos[s], problem.site_pos[t])]
        for s, t in zip(plan.assignments["staff_id"], plan.assignments["site_id"])
    )
    assert solver_cost == pytest.approx((brute + big).sum())


def test_full_sites_preferred_over_spreading():
    """Three operators, two sites needing three: one full site, not 2 + 1.

    O1 lives 100 m from S, P 100 m from B, M in between (495 m from S, 636 m from B).
    The least-walking flow spreads them (O1, M -> S; P -> B): no site complete.
    The CP-SAT stage completes S: 100 + 495 + 1063 m beats completing B.
    """
    project = trap_city()
    st = project.layers["staff"]
    keep = st[st["staff_id"].isin(["O1", "B1", "O2"])].copy()
    keep["role"] = "operator"
    keep["skills"] = "operator"
    keep["staff_id"] = keep["staff_id"].map({"O1": "O1", "B1": "P", "O2": "M"})
    keep.loc[keep["staff_id"] == "M", "geometry"] = _pt(450, 450)
    project.layers["staff"] = keep.reset_index(drop=True)
    rules = StaffingRules(station=SiteRule(3, 1), boiler_room=SiteRule(3, 1, "operator"), on_call={})
    problem = StaffingProblem(project, rules=rules)
    plan = problem.solve()
    assert plan.solver["refined_groups"] == 1 and plan.solver["method"] == "min_cost_flow+cp_sat"
    assert plan.totals["fully_staffed"] == 1 and plan.totals["places_filled"] == 3
    assert plan.sites.set_index("site_id").loc["S", "assigned"] == 3
    assert plan.assignments["distance_m"].sum() == pytest.approx(100 + np.hypot(350, 350) + np.hypot(800, 700), abs=0.5)
    assert problem.solve(method="greedy").totals["fully_staffed"] == 0


# ------------------------------------------------------------------------- rules files


def test_rules_file_round_trip(tmp_path):
    f = tmp_path / "rules.json"
    f.write_text(
        json.dumps(
            {"station": {"shifts": 2}, "boiler_room": {"per_shift": 3}, "on_call": {"welder": 1}, "max_walk_m": 800}
        ),
        encoding="utf-8",
    )
    r = StaffingRules.load(f)
    assert r.station == SiteRule(2, 1, "operator") and r.boiler_room == SiteRule(3, 3, "boiler_operator")
    assert r.on_call == {"welder": 1} and r.max_walk_m == 800.0
    assert StaffingRules.from_dict(r.to_dict()) == r


@pytest.mark.parametrize(
    "doc, match",
    [
        ({"stations": {}}, r"unknown rule key\(s\): stations"),
        ({"station": {"shift": 3}}, r"unknown rule key\(s\): station.shift"),
        ({"station": {"shifts": "three"}}, "'station.shifts' is 'three', not a whole number"),
        ({"station": {"shifts": 5}}, "cannot be split"),
        ({"boiler_room": {"role": "stoker"}}, "not a staff role"),
        ({"on_call": {"electrician": 1.5}}, "not a whole number"),
        ({"on_call": ["electrician"]}, "'on_call' must be an object"),
        ({"max_walk_m": "far"}, "not a positive number of metres"),
        ({"shift_start": "8 o'clock"}, "not a time of day"),
        ([1, 2], "must be a JSON object"),
    ],
)
def test_bad_rules_files_name_the_file_and_fix(tmp_path, doc, match):
    f = tmp_path / "rules.json"
    f.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(HeatGISError, match=match) as err:
        StaffingRules.load(f)
    assert err.value.problem.file == str(f) and err.value.problem.fix


def test_rules_file_missing_or_not_json(tmp_path):
    with pytest.raises(HeatGISError, match="does not exist"):
        StaffingRules.load(tmp_path / "none.json")
    f = tmp_path / "bad.json"
    f.write_text("{station: 3", encoding="utf-8")
    with pytest.raises(HeatGISError, match="not valid JSON") as err:
        StaffingRules.load(f)
    assert err.value.problem.file == str(f)
    zh = err.value.text("zh")
    assert "规则文件不是有效的 JSON（第 1 行，第 2 列：" in zh and "解决办法：改正 JSON" in zh, zh


def test_rules_errors_read_right_in_chinese(tmp_path):
    f = tmp_path / "rules.json"
    f.write_text(json.dumps({"station": {"shifts": 5}}), encoding="utf-8")
    with pytest.raises(HeatGISError) as err:
        StaffingRules.load(f)
    zh = err.value.text("zh")
    assert zh.startswith(f"错误：{f}，字段 station.shifts：station.shifts 为 5；一天无法分成这么多个整小时的等长班次")
    assert "解决办法：使用 1、2、3、4、6、8、12 或 24" in zh
    assert not ENGLISH.search(zh), zh
    assert str(err.value).startswith(f"error: {f}, field station.shifts: station.shifts is 5; the day cannot")


# ------------------------------------------------------------------------- the demo


@pytest.fixture(scope="module")
def demo():
    if not DEMO.exists():
        pytest.skip("data/hohhot_demo.gpkg not generated yet")
    from heatgis.model.store import open_project

    return open_project(DEMO)


@pytest.fixture(scope="module")
def demo_problem(demo):
    return StaffingProblem(demo)


def test_demo_plan_is_feasible(demo, demo_problem):
    plan = demo_problem.solve()
    assert plan.at == demo.reference_time
    assert plan.totals["locked_sites"] == 27
    assert plan.totals["stations"] == 24 and plan.totals["boiler_rooms"] == 3
    assert plan.totals["staff_locked_in"] >= 400
    assert_feasible(demo, plan)
    s = plan.sites
    assert plan.totals["left_to_crews"] == len(s) - int((s["status"] == "staffed").sum())
    assert set(plan.duty_list["site_id"]) == set(s.loc[s["short"] > 0, "site_id"])
    assert (s.loc[s["short"] > 0, "reason"] != "").all()
    assert plan.solver["status"] == "optimal"
    # shift counts met where possible: the optimum fills at least as many places as greedy,
    # and completes at least as many sites
    greedy = demo_problem.solve(method="greedy")
    assert plan.totals["places_filled"] >= greedy.totals["places_filled"]
    assert plan.totals["fully_staffed"] >= greedy.totals["fully_staffed"]


def test_demo_pin_survives(demo, demo_problem):
    plan = demo_problem.solve()
    # pin someone to a site other than the one the solver chose, when the demo offers one
    a = plan.assignments[plan.assignments["site_kind"] != "on_call"]
    alt = None
    for e, d in zip(demo_problem.ep, demo_problem.ed):
        if d >= len(demo_problem.sites):
            continue
        sid = demo_problem.people["staff_id"].iloc[e]
        site = demo_problem.sites["site_id"].iloc[d]
        if sid in set(a["staff_id"]) and a.set_index("staff_id").loc[sid, "site_id"] != site:
            alt = (sid, site)
            break
    if alt is None:
        alt = tuple(a[["staff_id", "site_id"]].iloc[0])
    plan2 = demo_problem.solve(pins=[alt])
    row = plan2.assignments.set_index("staff_id").loc[alt[0]]
    assert row["site_id"] == alt[1] and row["pinned"]
    assert_feasible(demo, plan2)


def test_demo_zone_without_staff_is_reported(demo):
    """Remove every locked-in person of one zone: its sites are short with that reason."""
    problem = StaffingProblem(demo)
    zone = problem.sites["zone_ids"].iloc[0][0]
    gone = [s for s, zs in zip(problem.people["staff_id"], problem.people["zone_ids"]) if zone in zs]
    st = demo.layer("staff")
    from heatgis.model.project import Project

    p2 = Project(dict(demo.layers, staff=st[~st["staff_id"].isin(gone)].reset_index(drop=True)), demo.meta)
    plan = plan_staffing(p2)
    s = plan.sites[[zs == [zone] for zs in plan.sites["zone_ids"]]]
    assert len(s) >= 1
    assert (s["status"] == "unstaffed").all()
    assert s["reason"].str.startswith(f"no locked-in staff in its zone(s) {zone}").all()
    assert set(s["site_id"]) <= set(plan.duty_list["site_id"])


def test_connected_labels_match_scipy():
    """The numpy components used by the solver's repair step number components like scipy."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    from heatgis.analysis.graphs import connected_labels

    rng = np.random.default_rng(11)
    for n, m in ((1, 0), (7, 0), (60, 40), (3000, 2500)):
        a, b = rng.integers(0, n, m), rng.integers(0, n, m)
        want = connected_components(coo_matrix((np.ones(m), (a, b)), shape=(n, n)), directed=False)[1]
        assert np.array_equal(connected_labels(n, a, b), want)


# ------------------------------------------------------------ saved overrides


def test_overrides_saved_in_the_project_file_come_back(tmp_path):
    """Pins and removals go into the GeoPackage and are applied when it is read again."""
    from heatgis.analysis.staffing import overrides as so
    from heatgis.model.store import open_project, save_project

    project = staffing_city()
    so.store_overrides(project, [("E04", "SA1", "00:00-08:00")], [("E05", "SA1")])
    path = save_project(project, tmp_path / "city.gpkg")
    again = open_project(path)
    assert so.saved_overrides(again) == ((("E04", "SA1", "00:00-08:00"),), (("E05", "SA1"),), [])
    plan = plan_staffing(again)
    a = plan.assignments.set_index("staff_id")
    assert a.loc["E04", "site_id"] == "SA1" and a.loc["E04", "pinned"]
    assert not ((a.index == "E05") & (a["site_id"] == "SA1")).any()
    assert plan.pins == (("E04", "SA1", "00:00-08:00"),) and plan.notes == []
    # ignoring them gives the plain plan; clearing removes the key from the file
    assert plan_staffing(again, saved=False).pins == ()
    so.store_overrides(again, (), ())
    assert "staffing_overrides" not in open_project(save_project(again)).meta


def test_saved_overrides_that_no_longer_fit_are_left_out_with_a_note():
    from heatgis.analysis.staffing import overrides as so

    project = staffing_city()
    so.store_overrides(
        project, [("E20", "SA1"), ("E04", "SA1"), ("E01", "SA1"), ("E02", "SA1"), ("E03", "SA1")], [("NOBODY", None)]
    )
    plan = plan_staffing(project)
    notes = " | ".join(str(n) for n in plan.notes)
    assert "pin E20 → SA1 is not used at 2022-02-21 08:00" in notes and "not locked in" in notes
    assert "pin E03 → SA1" in notes and "already has all the people it needs" in notes
    assert "removal of NOBODY" in notes
    assert {p[0] for p in plan.pins} == {"E04", "E01", "E02"}
    assert_feasible(project, plan)
    # at a time when nothing is locked every pin is left out, and the plan is still made
    assert plan_staffing(project, "2022-02-01T08:00").totals["locked_sites"] == 0


def test_unreadable_saved_overrides_give_a_warning_not_a_failure(tmp_path):
    from heatgis.analysis.staffing import overrides as so

    project = staffing_city()
    project.path = tmp_path / "city.gpkg"
    project.meta["staffing_overrides"] = "{not json"
    pins, removals, notes = so.saved_overrides(project)
    assert (pins, removals) == ((), ()) and len(notes) == 1
    text = str(notes[0])
    assert "city.gpkg" in text and "staffing_overrides" in text and "Fix:" in text
    assert plan_staffing(project).notes == notes


def test_given_overrides_come_on_top_of_saved_ones():
    from heatgis.analysis.staffing.overrides import merged

    pins, removals = merged(
        [("E01", "SA1", None), ("E02", "SA1", None)],
        [("E05", "SA1"), ("E07", None)],
        [("E02", "SA2")],
        [("E01", "SA1")],
    )
    assert pins == (("E02", "SA2", None),)
    assert removals == (("E05", "SA1"), ("E07", None), ("E01", "SA1"))


def test_reasons_in_chinese(demo_project):
    """Every reason the demo's staffing plan gives reads in Chinese (no English part left)."""
    import re

    from heatgis.analysis.staffing import plan_staffing
    from heatgis.analysis.staffing.reasons import reason_zh

    plan = plan_staffing(demo_project)
    reasons = [r for r in list(plan.sites["reason"]) + list(plan.on_call["reason"]) if r]
    assert reasons
    for r in reasons:
        zh = reason_zh(r)
        assert not re.search(r"[a-z]{3,}", zh.replace("Z-", "")), (r, zh)
    assert reason_zh(
        "only 3 operator(s) locked in zone(s) Z-022, Z-023 for 6 places; all 3 shifts covered, 3 short of 6"
    ) == ("管控区 Z-022、Z-023 仅有 3 名运行工，需 6 个岗位；3 个班次均有人，缺 3 人（共需 6）")
    assert reason_zh("something new") == "something new"
