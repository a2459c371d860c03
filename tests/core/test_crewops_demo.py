"""The crews' plan on the committed demo at the reference time, 24 h: coverage and cross-checks."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from heatgis.model.store import open_project
from heatgis.routing.ops import plan_operations
from heatgis.routing.roster import check_roster, crew_members

DEMO = Path(__file__).resolve().parents[2] / "data" / "hohhot_demo.gpkg"


@pytest.fixture(scope="module")
def demo():
    return open_project(DEMO)


@pytest.fixture(scope="module")
def plan(demo):
    return plan_operations(demo, "2022-02-25T08:00", 24)


def test_demo_crews_have_248_members(demo):
    m = crew_members(demo)
    assert len(m) == 248 and m["crew_id"].nunique() == 15
    assert m.groupby("crew_id").size().between(16, 17).all()
    boiler = set(m.loc[m["skills"].map(lambda s: "boiler_operator" in s), "crew_id"])
    assert boiler == {"CR-04", "CR-09", "CR-14"}


def test_every_presence_place_the_skills_can_fill_is_filled(demo, plan):
    m = crew_members(demo)
    have = set().union(*m["skills"])
    p = plan.places
    assert (p["duty"] == "presence").sum() == 28  # 6 unstaffed sites + the partial ones, one day
    can = p[p["skill"].isin(have)]
    assert (can["status"] == "filled").all(), can[can["status"] != "filled"][["place_id", "reason"]]
    c = plan.coverage()
    assert c["presence_filled"] == c["presence_required"] == 28
    # the partly staffed ST-0115 needs a crew member only in its uncovered shift
    st115 = p[(p["site_id"] == "ST-0115") & (p["duty"] == "presence")]
    assert list(st115["shift"]) == ["00:00-08:00"]


def test_roster_routes_and_geojson_agree(demo, plan, tmp_path):
    m = crew_members(demo)
    r = plan.roster.copy()
    held = r["task"] != "vehicle"
    gin, gout = pd.Timedelta(minutes=plan.rules.gear_entry_min), pd.Timedelta(minutes=plan.rules.gear_exit_min)
    r["duty_start"] = r["start"].where(~held, r["start"] - gin)
    r["duty_end"] = r["end"].where(~held, r["end"] + gout)
    assert check_roster(r, m, plan.rules.max_hours_24h, plan.rules.min_rest_h) == []
    # every roster place row is set down by the vehicle whose stop names the person, in time
    stops = plan.stops
    for x in r[held].itertuples():
        d = stops[(stops["task"] == "drop") & (stops["duty_id"] == x.place_id)]
        assert len(d) == 1 and d["vehicle_id"].iloc[0] == x.drop_vehicle and d["staff_ids"].iloc[0] == x.staff_id
        assert d["site_id"].iloc[0] == x.site_id and d["start"].iloc[0] <= x.start
    # the GeoJSON holds one point per stop with the same site, task, crew and ETA
    gj = json.loads(plan.to_geojson(tmp_path / "ops.geojson").read_text(encoding="utf-8"))
    pts = [f["properties"] for f in gj["features"] if f["properties"]["feature"] == "stop"]
    a = sorted((p["vehicle_id"], p["seq"], p["site_id"], p["task"], p["crew_id"], p["eta"]) for p in pts)
    b = sorted(
        (s.vehicle_id, s.seq, s.site_id, s.task, s.crew_id, s.arrive.isoformat(timespec="minutes"))
        for s in stops.itertuples()
    )
    assert a == b
    legs = [f for f in gj["features"] if f["properties"]["feature"] == "leg"]
    assert len(legs) == plan.legs.geometry.notna().sum()
    # the JSON's routes are the same stops
    d = plan.to_dict()
    assert sum(len(v["stops"]) for v in d["routes"]) == len(stops)
    assert len(d["roster"]) == len(plan.roster)


def test_work_is_shared_across_vehicles(plan):
    st = plan.stops
    work = (st["depart"] - st["start"]).dt.total_seconds().groupby(st["vehicle_id"]).sum() + st.groupby("vehicle_id")[
        "travel_s"
    ].sum()
    assert work.max() <= 6 * 3600  # of a 12-hour shift (without the work share one vehicle had 10.9 h)
    assert (plan.vehicles["stops"] > 0).sum() >= 20  # not one or two vehicles doing everything


def test_relief_trips_are_or_tools_models(plan):
    # every shift holds relief pairs in seats, which only the OR-Tools model expresses
    assert plan.stats["solver"] == "ortools"


def test_routes_view_of_the_day_shift(plan, tmp_path):
    from heatgis.routing.opsplan import shift_view

    day = shift_view(plan, "day")
    assert set(day.crews["shift_start"]) == {pd.Timestamp("2022-02-25T08:00")}
    assert len(day.routes) == plan.stops["vehicle_id"].isin(day.crews["crew_id"]).sum()
    assert set(day.routes["kind"]) <= {"board", "drop", "pickup", "alight", "patrol", "ticket"}
    assert len(day.write_route_sheets(tmp_path)) == len(day.crews)
    json_doc = day.to_dict()
    assert json_doc["totals"]["visits"] == len(day.routes)


@pytest.mark.parametrize(
    ("column", "value", "says"),
    [("shift_start", "8h", "is not HH:MM"), ("depot_id", "D-99", "is not in the depots layer")],
)
def test_a_bad_crew_row_is_named_by_the_shift_and_the_vehicles(column, value, says):
    """The crew's shift and depot are read once (shift_inputs.crew_clock, check_crew_depot) for
    both the day's crews and the vehicle shifts: a bad row is named the same way by both."""
    from heatgis.errors import HeatGISError
    from heatgis.routing.crew_rules import CrewRules
    from heatgis.routing.shift_inputs import crews_on_shift
    from heatgis.routing.vehicles import vehicle_shifts

    project = open_project(DEMO)
    crews = project.layers["crews"].copy()
    crews.loc[crews.index[0], column] = value
    project.layers["crews"] = crews
    at = pd.Timestamp("2022-02-25T08:00")
    for run in (
        lambda: crews_on_shift(project, at, "day"),
        lambda: vehicle_shifts(project, CrewRules(), at, at + pd.Timedelta(hours=24)),
    ):
        with pytest.raises(HeatGISError, match=says) as err:
            run()
        p = err.value.problem
        assert (p.layer, p.row, p.field) == ("crews", "CR-01", column)
