"""The impact engine on a hand-built project: overlaps, boundaries, time, tracing, the live session."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from heatgis.analysis.impact import ImpactEngine, impact
from heatgis.analysis.timeline import timeline
from heatgis.errors import HeatGISError

from .conftest import box


def locked_ids(result):
    return sorted(result.sites["id"])


def test_reference_time_counts_overlaps_once(tiny_project):
    r = impact(tiny_project)  # 2022-02-21 08:00: Z1, Z2, Z4 lock; Z3 is precaution
    assert locked_ids(r) == ["B1", "S1", "S2", "S3", "S5"]
    t = r.totals
    assert (t.stations, t.boiler_rooms) == (4, 1)
    # S2 lies in Z1 and Z2 and is counted once
    assert t.heated_area_m2 == 1000 + 2000 + 4000 + 16000 + 500
    assert t.households == 10 + 20 + 40 + 160 + 5
    s2 = r.sites.set_index("id").loc["S2"]
    assert s2["zone_ids"] == ["Z1", "Z2"]
    zones = r.zones.set_index("zone_id")
    assert zones.loc["Z1", "stations"] == 2 and zones.loc["Z2", "stations"] == 2
    assert not zones.loc["Z3", "locks"] and zones.loc["Z3", "stations"] == 1


def test_boundary_point_counts_as_inside(tiny_project):
    r = impact(tiny_project, at="2022-02-21T08:00")
    assert "S3" in set(r.sites["id"])  # S3 sits exactly on Z2's eastern edge


def test_start_inclusive_end_exclusive(tiny_project):
    before = impact(tiny_project, at="2022-02-17T23:59")
    assert locked_ids(before) == ["B1", "S1", "S2"]  # only Z1 yet
    at_start = impact(tiny_project, at="2022-02-18T00:00")
    assert "S3" in locked_ids(at_start)
    at_end = impact(tiny_project, at="2022-02-22T00:00")  # Z4 ends exactly now
    assert "S5" not in locked_ids(at_end)
    after_z1 = impact(tiny_project, at="2022-03-01T00:00")  # Z1 lifted, Z2 open-ended
    assert locked_ids(after_z1) == ["S2", "S3"]


def test_staff_locked_in(tiny_project):
    r = impact(tiny_project)
    # E1 home in Z1+Z2, E3 in Z2, E2 in the precaution zone only
    assert r.totals.staff_locked_in == 2
    assert sorted(r.staff["staff_id"]) == ["E1", "E3"]
    assert r.zones.set_index("zone_id").loc["Z2", "staff_locked_in"] == 2


def test_downstream_of_locked_boiler_room(tiny_project):
    r = impact(tiny_project)
    d = r.downstream
    assert list(d["id"]) == ["S6"] and list(d["upstream_id"]) == ["B1"]
    assert not d["locked"].iloc[0]
    # reported beside, never added
    assert r.totals.heated_area_m2 == 23500


def test_compounds_served_from_outside(tiny_project):
    r = impact(tiny_project)
    s = r.served_inside
    assert list(s["compound_id"]) == ["C1"]  # C2 is heated by S1, inside the same zone
    assert list(s["served_by"]) == ["S6"]


def test_json_shape(tiny_project):
    doc = impact(tiny_project).to_dict()
    assert doc["at"] == "2022-02-21T08:00"
    assert doc["locked"] == {
        "stations": 4,
        "boiler_rooms": 1,
        "heated_area_m2": 23500,
        "households": 235,
        "heat_sources": 0,
    }
    assert doc["staff_locked_in"] == 2
    assert set(doc["zones"][0]) >= {
        "zone_id",
        "name",
        "level",
        "stations",
        "boiler_rooms",
        "heated_area_m2",
        "households",
    }
    assert set(doc["sites"][0]) >= {"kind", "id", "name", "zone_ids", "heated_area_m2", "households"}
    assert isinstance(doc["downstream"], list) and isinstance(doc["served_inside"], list)


def test_unknown_time_is_a_clear_error(tiny_project):
    with pytest.raises(HeatGISError, match="not a time"):
        impact(tiny_project, at="next tuesday")


def test_session_matches_full_compute_after_edits(tiny_project):
    engine = ImpactEngine(tiny_project)
    zones = tiny_project.layer("lockdown_zones")
    s = engine.session(zones, "2022-02-21T08:00")
    full = engine.compute(zones, "2022-02-21T08:00").totals
    assert s.totals() == full
    # draw a new sealed zone over S4 (in the precaution zone)
    s.upsert_zone("Z9", box(340, 40, 360, 60), "sealed", "2022-02-20T00:00", name="新区")
    t = s.totals()
    assert (t.stations, t.heated_area_m2) == (5, 23500 + 8000)
    assert t == s.result().totals
    # move Z1 away from S1 (S2 stays locked through Z2), then undo by restoring it
    old = zones.set_index("zone_id").loc["Z1"]
    s.upsert_zone("Z1", box(1000, 1000, 1100, 1100), "sealed", old["start"], old["end"])
    assert "S1" not in set(s.result().sites["id"])
    s.upsert_zone("Z1", old.geometry, "sealed", old["start"], old["end"])
    s.remove_zone("Z9")
    assert s.totals() == full
    # moving the clock reuses memberships
    s.set_time("2022-02-17T08:00")
    assert s.totals() == engine.compute(zones, "2022-02-17T08:00").totals
    for at in ("2022-02-16T08:00", "2022-02-21T08:00", "2022-02-19T08:00", "2022-04-30T08:00"):
        s.set_time(at)
        assert s.totals() == engine.compute(zones, at).totals
    # an edit after a time step takes away what that step counted, no more
    s.set_time("2022-02-21T08:00")
    s.upsert_zone("Z9", box(340, 40, 360, 60), "sealed", "2022-02-20T00:00", name="新区")
    s.remove_zone("Z9")
    assert s.totals() == full


def test_session_totals_at_another_time_leave_its_clock(tiny_project):
    """``totals_at``: what the session would show at another time (the app's 较昨日), its clock and
    counts untouched, also after an edit."""
    engine = ImpactEngine(tiny_project)
    zones = tiny_project.layer("lockdown_zones")
    s = engine.session(zones, "2022-02-21T08:00")
    now = s.totals()
    for at in ("2022-02-16T08:00", "2022-02-19T08:00", "2022-02-20T12:00", "2022-04-30T08:00"):
        assert s.totals_at(at) == engine.compute(zones, at).totals
        assert s.totals() == now
    s.upsert_zone("Z9", box(340, 40, 360, 60), "sealed", "2022-02-20T00:00", name="新区")
    moved = engine.session(zones, "2022-02-20T12:00")
    moved.upsert_zone("Z9", box(340, 40, 360, 60), "sealed", "2022-02-20T00:00", name="新区")
    assert s.totals_at("2022-02-20T12:00") == moved.totals() != engine.compute(zones, "2022-02-20T12:00").totals


def test_timeline_matches_point_queries(tiny_project):
    tl = timeline(tiny_project)
    assert tl["time"].iloc[0].strftime("%Y-%m-%d %H:%M") == "2022-02-16 08:00"
    for row in tl.itertuples():
        r = impact(tiny_project, at=row.time)
        assert (row.stations, row.boiler_rooms, row.heated_area_m2, row.households, row.staff_locked_in) == (
            r.totals.stations,
            r.totals.boiler_rooms,
            r.totals.heated_area_m2,
            r.totals.households,
            r.totals.staff_locked_in,
        )
    assert tl["stations"].max() == 4


def test_inputs_not_mutated(tiny_project):
    zones = tiny_project.layer("lockdown_zones")
    before = zones.copy()
    impact(tiny_project)
    assert zones.equals(before)


def test_empty_project_answers_zero():
    from heatgis.model.project import Project

    r = impact(Project(meta={"reference_time": "2022-02-20T08:00"}))
    assert r.totals.stations == 0 and r.totals.heated_area_m2 == 0 and len(r.sites) == 0


def test_invalid_zone_geometry_still_counts(tiny_project):
    # a bow-tie zone over S1 (self-intersection); the store repairs it on open, the engine must not crash
    bow = shapely.Polygon([(500000, 4520000), (500020, 4520020), (500020, 4520000), (500000, 4520020)])
    zones = tiny_project.layer("lockdown_zones").copy()
    zones.loc[0, "geometry"] = shapely.make_valid(bow)
    r = impact(tiny_project, zones=zones, at="2022-02-17T08:00")
    assert "S1" in set(r.sites["id"])
    assert np.isclose(r.totals.heated_area_m2, 1000)


def test_timeline_reduction_matches_a_dense_product():
    """Per-day membership reduction equals (days x zones) @ (zones x members) > 0."""
    from heatgis.analysis.timeline import _any_per_member

    rng = np.random.default_rng(3)
    a = rng.random((9, 12)) < 0.3
    zone = rng.integers(0, 12, 80)
    member = rng.integers(0, 40, 80)
    dense = np.zeros((12, 40))
    dense[zone, member] = 1
    assert np.array_equal(_any_per_member(a, zone, member, 40), (a.astype(float) @ dense) > 0)
    assert not _any_per_member(a, zone[:0], member[:0], 40).any()


def test_downstream_is_breadth_first_and_follows_pipe_direction():
    import pandas as pd

    from heatgis.analysis.network import PipeNetwork

    pipes = pd.DataFrame({"from_id": ["S", "S", "A", "A", "B", "C", "X"], "to_id": ["B", "A", "D", "C", "E", "A", "S"]})
    net = PipeNetwork(pipes)
    assert net.downstream("S") == ["A", "B", "C", "D", "E"]
    assert net.downstream("C") == ["A", "D"]
    assert net.downstream("E") == [] and net.downstream("nope") == []
