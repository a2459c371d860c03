"""The crews' operations plan on the grid city: skills, rest, presence, closures in time, direct legs."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
import shapely

from heatgis.analysis.staffing import StaffingRules
from heatgis.errors import HeatGISError
from heatgis.model.schema import conform
from heatgis.routing import opsplan as O
from heatgis.routing.crew_rules import CrewRules
from heatgis.routing.ops import plan_operations
from heatgis.routing.roster import check_roster, crew_members
from heatgis.routing.tickets import insert_ticket, new_ticket, with_ticket
from heatgis.routing.vrp import VrpProblem, solve
from tests.core.test_routing_city import B, P, gdf, grid_city

REF = pd.Timestamp("2022-02-25T08:00")


def ops_city(members=None, extra_zones=(), tickets=None):
    """The grid city with crew members (homes outside every zone) and optional extra zones/tickets.

    At 08:00 S1 and B1 are locked in Z1 with nobody inside: 3 operator places at S1, 6 boiler
    operator places at B1 and 3 on-call electricians for Z1 a day.
    """
    p = grid_city()
    rows, geoms = [], []
    members = members or {
        "C1": [
            "operator",
            "operator;electrician",
            "boiler_operator",
            "boiler_operator;operator",
            "electrician;operator",
            "operator",
        ],
        "C2": ["operator", "boiler_operator", "boiler_operator", "electrician", "operator;welder", "operator"],
        "C3": ["operator", "boiler_operator", "boiler_operator", "electrician", "operator", "operator;electrician"],
    }
    k = 0
    for crew, skills in members.items():
        for sk in skills:
            k += 1
            role = sk.split(";")[0]
            rows.append(
                dict(
                    staff_id=f"M{k:02d}",
                    name=f"员工{k}",
                    role=role,
                    skills=sk,
                    depot_id="D1",
                    assigned_site=None,
                    phone=None,
                    crew_id=crew,
                )
            )
            geoms.append(P(1900, 1900 - 10 * k))
    p.layers["staff"] = gdf("staff", rows, geoms)
    if extra_zones:
        z = p.layers["lockdown_zones"]
        add = gdf("lockdown_zones", [r for r, _ in extra_zones], [g for _, g in extra_zones])
        p.layers["lockdown_zones"] = conform("lockdown_zones", pd.concat([z, add], ignore_index=True))
    if tickets:
        for t in tickets:
            p.layers["tickets"] = with_ticket(p, new_ticket(p, **t))
    return p


@pytest.fixture(scope="module")
def city():
    return ops_city()


@pytest.fixture(scope="module")
def plan(city):
    return plan_operations(city, REF, 24, time_limit=1.0)


def test_duty_places_and_coverage(plan):
    p = plan.places
    assert set(p["site_id"]) == {"S1", "B1"}
    assert (p["duty"] == "presence").sum() == 9 and (p["duty"] == "on_call").sum() == 3
    assert set(p.loc[p["site_id"] == "B1", "skill"]) <= {"boiler_operator", "electrician"}
    c = plan.coverage()
    assert c["places_required"] == 12 and len(c["per_shift"]) == 3
    assert c["places_filled"] + sum(plan.unmet["duty"].isin(["presence", "on_call"])) == 12


def test_skills_never_mismatched(city, plan):
    m = crew_members(city)
    skills = dict(zip(m["staff_id"], m["skills"]))
    held = plan.roster[plan.roster["task"] != "vehicle"]
    assert len(held) > 0
    for r in held.itertuples():
        assert r.skill in skills[r.staff_id]
    vsk = dict(zip(plan.vehicles["vehicle_id"], plan.vehicles["skills"]))
    for s in plan.stops.itertuples():
        if s.skill:
            assert s.skill in vsk[s.vehicle_id].split(";")
    team = plan.roster[plan.roster["task"] == "vehicle"]
    for r in team.itertuples():
        assert r.crew_id == plan.vehicles.set_index("vehicle_id").at[r.vehicle_id, "crew_id"]


def _duty_rows(plan):
    r = plan.roster.copy()
    gear_in = pd.Timedelta(minutes=plan.rules.gear_entry_min)
    gear_out = pd.Timedelta(minutes=plan.rules.gear_exit_min)
    held = r["task"] != "vehicle"
    r["duty_start"] = np.where(held, r["start"] - gear_in, r["start"])
    r["duty_end"] = np.where(held, r["end"] + gear_out, r["end"])
    r["duty_start"], r["duty_end"] = pd.to_datetime(r["duty_start"]), pd.to_datetime(r["duty_end"])
    return r


def test_nobody_in_two_places_or_over_the_rest_rule(city, plan):
    rows = _duty_rows(plan)
    assert check_roster(rows, crew_members(city), plan.rules.max_hours_24h, plan.rules.min_rest_h) == []
    # and the check does catch a breach
    one = rows[rows["task"] != "vehicle"].iloc[:1]
    later = one.assign(
        duty_start=one["duty_end"] + pd.Timedelta(hours=2), duty_end=one["duty_end"] + pd.Timedelta(hours=4)
    )
    assert any("rests only" in x for x in check_roster(pd.concat([one, later]), crew_members(city)))


def test_each_place_held_whole_shift_or_unmet(plan):
    gear_in = pd.Timedelta(minutes=plan.rules.gear_entry_min)
    unmet = set(plan.unmet["duty_id"])
    for p in plan.places.itertuples():
        if p.status != "filled":
            assert p.place_id in unmet and p.reason
            continue
        r = plan.roster[plan.roster["place_id"] == p.place_id].iloc[0]
        assert r.staff_id == p.staff_id
        drop = plan.stops[(plan.stops["task"] == "drop") & (plan.stops["duty_id"] == p.place_id)]
        assert len(drop) == 1 and drop["vehicle_id"].iloc[0] == r.drop_vehicle
        assert drop["staff_ids"].iloc[0] == p.staff_id
        assert drop["start"].iloc[0] <= p.start - gear_in  # set down in time to put on gear
        board = plan.stops[(plan.stops["task"] == "board") & (plan.stops["duty_id"] == p.place_id)]
        assert len(board) == 1 and board["vehicle_id"].iloc[0] == r.drop_vehicle  # got in the same vehicle
        assert board["seq"].iloc[0] < drop["seq"].iloc[0] and board["site_id"].iloc[0] == "D1"
        pick = plan.stops[(plan.stops["task"] == "pickup") & (plan.stops["duty_id"] == p.place_id)]
        if len(pick):
            assert pick["start"].iloc[0] >= p.end
            out = plan.stops[(plan.stops["task"] == "alight") & (plan.stops["duty_id"] == p.place_id)]
            assert len(out) == 1 and out["vehicle_id"].iloc[0] == pick["vehicle_id"].iloc[0]
            assert out["seq"].iloc[0] > pick["seq"].iloc[0]
        else:
            assert ((plan.unmet["duty"] == "pickup") & (plan.unmet["duty_id"] == p.place_id)).any()


def test_seats_and_load(plan):
    seats = dict(zip(plan.vehicles["vehicle_id"], plan.vehicles["seats"]))
    team = dict(zip(plan.vehicles["vehicle_id"], plan.vehicles["team"]))
    for s in plan.stops.itertuples():
        assert 0 <= s.load <= seats[s.vehicle_id] - len(team[s.vehicle_id].split(";"))


def test_same_zone_leg_is_direct(plan):
    net = plan._ctx["net"]
    s1, b1 = net.index("site", "S1"), net.index("site", "B1")
    direct, d, _ = net.leg(s1, b1, True, True, REF + pd.Timedelta(hours=2))
    assert d
    sn = net.net(0)
    regular = sn.m[s1, b1] + net.gin + net.gout
    assert direct < regular
    arcs = net.arcs(s1, b1, 0, True)
    line = net.geometry(arcs)
    z1 = B(500, 500, 1100, 1300)
    assert line.length > 0 and shapely.difference(line, z1.buffer(1)).length < 1  # never leaves Z1
    # with closed-loop entry the leg leaves the zone and enters again
    rules = StaffingRules(crews={"entry": {"sealed": {"policy": "closed_loop", "days": 3}}})
    from heatgis.routing.network import OpsNetwork

    net2 = OpsNetwork(
        plan._ctx["project"],
        net.locs[: net.n_active],
        plan._ctx["project"].layer("lockdown_zones"),
        [{"start": REF, "end": REF + pd.Timedelta(hours=24)}],
        CrewRules.of(rules),
    )
    t2, d2, _ = net2.leg(s1, b1, False, False, REF)
    assert not d2 and t2 > direct


def test_zone_imposed_mid_shift_changes_later_legs():
    z9 = (
        {"zone_id": "Z9", "name": "九号封控区", "level": "sealed", "start": "2022-02-25T12:00", "end": None},
        B(-50, 300, 500, 700),
    )
    t = [
        dict(
            site_id="S3",
            skill="operator",
            duration_min=20,
            reported="2022-02-25T08:00",
            deadline="2022-02-25T10:00",
            ticket_id="T-EARLY",
        ),
        dict(
            site_id="S3",
            skill="operator",
            duration_min=20,
            reported="2022-02-25T13:00",
            deadline="2022-02-25T16:00",
            ticket_id="T-LATE",
        ),
    ]
    city = ops_city(extra_zones=[z9], tickets=t)
    plan = plan_operations(city, REF, 12, time_limit=1.0)
    assert set(plan.tickets["status"]) == {"planned"}
    legs = plan.legs.merge(plan.stops[["vehicle_id", "seq", "duty_id"]], on=["vehicle_id", "seq"])
    zone = z9[1].buffer(-1)
    early = legs[legs["duty_id"] == "T-EARLY"].iloc[0]
    assert legs[legs["duty_id"] == "T-LATE"].iloc[0]["depart"] >= pd.Timestamp("2022-02-25T12:00")
    after_12 = plan.legs[(plan.legs["depart"] >= pd.Timestamp("2022-02-25T12:00")) & plan.legs.geometry.notna()]
    assert len(after_12)
    for g in after_12.geometry:  # every leg driven after 12:00 goes around the new zone
        assert shapely.intersection(g, zone).length < 1
    # the same trip before 12:00 drives through where the zone will be
    net = plan._ctx["net"]
    a, b = net.index("depot", "D1"), net.index("site", "S3")
    before, _, _ = net.leg(a, b, False, True, pd.Timestamp("2022-02-25T11:00"))
    after, _, _ = net.leg(a, b, False, True, pd.Timestamp("2022-02-25T12:30"))
    assert after > before
    line = net.geometry(net.arcs(a, b, net.slice_at(pd.Timestamp("2022-02-25T11:00")), False))
    assert shapely.intersection(line, zone).length > 100
    assert early["arrive"] <= pd.Timestamp("2022-02-25T10:00")
    # the solver sees a stop whose window spans 12:00 by its longest way (around Z9)
    idx = [a, b]
    gear = np.array([False, True])
    s11, s13 = net.slice_at(pd.Timestamp("2022-02-25T11:00")), net.slice_at(pd.Timestamp("2022-02-25T13:00"))
    first = np.array([s11, s11])
    m_open = net.composite(idx, gear, first, 1)
    m_span = net.composite(idx, gear, first, 1, last_slice=np.array([s11, s13]))
    assert m_open[0, 1] == pytest.approx(before) and m_span[0, 1] == pytest.approx(after)
    # legs are checked at the time of travel: none crosses a zone closed while it is driven
    assert plan.stats["legs_closed_on_way"] == 0 and (plan.legs["closed_on_way"] == "").all()
    # a leg set off just before 12:00 arrives after it: routed under the closures at arrival, around Z9
    just = pd.Timestamp("2022-02-25T11:59:50")
    tt, direct, s = net.leg_in_time(a, b, False, True, just)
    assert tt == pytest.approx(after) and net.slice_at(just) != s
    assert shapely.intersection(net.geometry(net.arcs(a, b, s, direct)), zone).length < 1
    # the check after solving names the zone a leg routed under the 11:00 closures crosses after 12:00
    arcs_11 = net.arcs(a, b, net.slice_at(pd.Timestamp("2022-02-25T11:00")), False)
    s11 = net.slice_at(just)
    assert net.closed_on_way(arcs_11, s11, just, just + pd.Timedelta(minutes=5), a, b) == ["Z9"]
    assert net.closed_on_way(arcs_11, s11, just - pd.Timedelta(hours=1), just - pd.Timedelta(minutes=50), a, b) == []


def test_closed_loop_takes_people_out_for_n_days():
    city = ops_city()
    rules = StaffingRules(crews={"entry": {"sealed": {"policy": "closed_loop", "days": 3}}})
    plan = plan_operations(city, REF, 48, rules=rules, time_limit=1.0)
    shift = plan_operations(city, REF, 48, time_limit=1.0)
    held = plan.roster[plan.roster["task"] != "vehicle"]
    inside = set(held["staff_id"])
    # the people who went in hold only Z1 places and drive no vehicle during the 3 days
    assert not (plan.roster[(plan.roster["task"] == "vehicle")]["staff_id"].isin(inside)).any()
    assert set(held["site_id"]) <= {"S1", "B1"}
    # nobody is taken back: they stay in; fewer people hold the same places than with shift entry
    assert (plan.stops["task"] == "pickup").sum() == 0
    n_shift = shift.roster[shift.roster["task"] != "vehicle"]["staff_id"].nunique()
    assert len(inside) < n_shift
    again = held[held["drop_vehicle"] == ""]
    assert len(again) > 0  # later shifts held by people already inside, no drop needed
    assert (plan.places["policy"] == "closed_loop").all()


def test_small_instance_solved_to_its_known_optimum():
    # 1 depot (0), 5 visits; two vehicles: v0 has skill bit 1, v1 bit 2; visit 3 needs bit 2;
    # drops (-1) and pickups (+1) with 1 passenger seat each
    rng = np.random.default_rng(7)
    xy = rng.uniform(0, 1000, (6, 2))
    travel = np.round(np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))).astype(np.int64)
    skills = np.array([0, 0, 1, 2, 0, 0])
    load = np.array([0, -1, 0, 0, 1, 0])
    prob = VrpProblem(
        travel,
        np.zeros(6, np.int64),
        np.arange(1, 6),
        [0, 0],
        [0, 0],
        [(0, 10**6)] * 2,
        node_skills=skills,
        vehicle_skills=[1, 2],
        load=load,
        seats=[1, 1],
    )
    sol = solve(prob, time_limit=2.0, span_cost=0)
    assert not sol.dropped

    def ok(route, v):
        cur = sum(1 for x in route if load[x] < 0)
        if cur > 1:
            return False
        for x in route:
            if skills[x] and skills[x] & [1, 2][v] != skills[x]:
                return False
            cur += load[x]
            if cur < 0 or cur > 1:
                return False
        return True

    def cost(route):
        path = [0] + list(route) + [0]
        return sum(int(travel[a, b]) for a, b in zip(path[:-1], path[1:]))

    best = np.inf
    nodes = [1, 2, 3, 4, 5]
    for mask in itertools.product([0, 1], repeat=5):
        parts = [[n for n, m in zip(nodes, mask) if m == v] for v in (0, 1)]
        c = 0
        for v, part in enumerate(parts):
            c += min((cost(p) for p in itertools.permutations(part) if ok(p, v)), default=np.inf)
        best = min(best, c)
    assert sol.travel_s == best


def test_roster_greedy_matches_exact_on_a_small_case(city):
    from heatgis.routing.roster import Slot, build_roster, solve_exact

    m = crew_members(city)
    h = 3600
    slots = [
        Slot(f"P{k}", sk, s * h, (s + 8) * h)
        for k, (sk, s) in enumerate(
            [
                ("boiler_operator", 0),
                ("boiler_operator", 0),
                ("boiler_operator", 8),
                ("boiler_operator", 8),
                ("boiler_operator", 16),
                ("boiler_operator", 16),
                ("operator", 0),
                ("operator", 8),
                ("operator", 16),
                ("electrician", 0),
                ("electrician", 8),
                ("electrician", 16),
                ("boiler_operator", 24),
                ("boiler_operator", 24),
                ("boiler_operator", 32),
            ]
        )
    ]
    greedy = build_roster(m, slots, [], 12, 8)
    exact = solve_exact(m, slots, 12, 8)
    assert len(greedy.assigned) == exact
    assert set(greedy.reasons.values()) <= {O.NO_QUALIFIED, O.REST_RULE}


def test_insert_ticket_keeps_started_work_and_picks_a_qualified_crew(city, plan):
    tk = new_ticket(
        city,
        site_id="S2",
        skill="welder",
        duration_min=45,
        reported="2022-02-25T10:00",
        deadline="2022-02-25T13:00",
        ticket_id="T1",
    )
    out = insert_ticket(plan, tk)
    row = out.tickets.set_index("ticket_id").loc["T1"]
    assert row["status"] == "planned"
    v = out.vehicles.set_index("vehicle_id").loc[row["vehicle_id"]]
    assert "welder" in v["skills"].split(";")
    started = plan.stops[plan.stops["start"] <= pd.Timestamp("2022-02-25T10:00")]
    again = out.stops.merge(started, on=["vehicle_id", "seq", "duty_id", "task"], suffixes=("", "_old"))
    assert len(again) == len(started) and (again["start"] == again["start_old"]).all()
    assert plan.tickets.empty or "T1" not in set(plan.tickets["ticket_id"])  # the input plan is unchanged
    # too tight a deadline: served, but marked late
    tk2 = new_ticket(
        city,
        site_id="S4",
        skill="operator",
        duration_min=60,
        reported="2022-02-25T10:00",
        deadline="2022-02-25T10:30",
        ticket_id="T2",
    )
    out2 = insert_ticket(out, tk2)
    r2 = out2.tickets.set_index("ticket_id").loc["T2"]
    assert r2["status"] == "late" and r2["late"] > 0


@pytest.mark.parametrize(
    "doc,needle,field",
    [
        ({"sites": {"pumping_station": {"duty": "patrol"}}}, "unknown site kind", "crews.sites.pumping_station"),
        ({"sites": {"station": {"patrol_h": -4}}}, "negative", "crews.sites.station.patrol_h"),
        ({"rest": {"min_rest_h": "8"}}, "not a number", "crews.rest.min_rest_h"),
        ({"entry": {"sealed": {"policy": "stay"}}}, "policy", "crews.entry.sealed.policy"),
    ],
)
def test_bad_rules_name_the_key(doc, needle, field):
    with pytest.raises(HeatGISError) as e:
        CrewRules.from_dict(doc, file="rules.json")
    assert needle in str(e.value) and e.value.problem.field == field and "rules.json" in str(e.value)


def test_bad_crews_and_members_and_horizon():
    city = ops_city()
    city.layers["crews"] = conform(
        "crews",
        pd.concat(
            [
                city.layer("crews"),
                pd.DataFrame(
                    [
                        dict(
                            crew_id="C9",
                            name="九队",
                            depot_id="D1",
                            members=5,
                            shift_start="08:00",
                            shift_end="20:00",
                            skills="operator",
                        )
                    ]
                ),
            ],
            ignore_index=True,
        ),
    )
    with pytest.raises(HeatGISError) as e:
        plan_operations(city, REF, 24)
    assert e.value.problem.row == "C9" and "no members" in str(e.value)
    city = ops_city(members={"C1": ["operator"], "C2": ["operator"], "C3": ["operator"]})
    city.layers["staff"].loc[1, "skills"] = None
    with pytest.raises(HeatGISError) as e:
        plan_operations(city, REF, 24)
    assert e.value.problem.row == "M02" and "no skills" in str(e.value)
    with pytest.raises(HeatGISError) as e:
        plan_operations(ops_city(), REF, 80)
    assert "72" in str(e.value)


def test_bad_tickets(city):
    with pytest.raises(HeatGISError, match="skill 'plumber'"):
        new_ticket(city, site_id="S1", skill="plumber")
    with pytest.raises(HeatGISError, match="outside the map"):
        new_ticket(city, x=0.0, y=0.0)
    with pytest.raises(HeatGISError, match="not a station"):
        new_ticket(city, site_id="NOPE")


def test_json_and_geojson_agree(plan, tmp_path):
    import json

    d = plan.to_dict()
    for key in ("coverage", "roster", "routes", "unmet"):
        assert key in d
    assert {"places_required", "places_filled", "per_shift"} <= set(d["coverage"])
    assert {"staff_id", "crew_id", "site_id", "skill", "start", "end"} <= set(d["roster"][0])
    stops = [s for r in d["routes"] for s in r["stops"]]
    assert {"site_id", "task", "arrive", "depart"} <= set(stops[0])
    gj = json.loads(plan.to_geojson(tmp_path / "ops.geojson").read_text(encoding="utf-8"))
    pts = [f for f in gj["features"] if f["properties"]["feature"] == "stop"]
    lines = [f for f in gj["features"] if f["properties"]["feature"] == "leg"]
    assert len(pts) == len(stops) and lines
    assert all(f["geometry"]["type"] == "Point" for f in pts)
    assert {"site_id", "task", "crew_id", "eta", "name"} <= set(pts[0]["properties"])
    json.dumps(d)


def test_member_locked_in_at_home_by_a_new_zone_is_not_rostered():
    # a zone imposed at 12:00 over the homes of the first members (x 1900, y 1890..1850)
    z = (
        {"zone_id": "ZH", "name": "宿舍封控区", "level": "sealed", "start": "2022-02-25T12:00", "end": None},
        B(1880, 1840, 1920, 1895),
    )
    city = ops_city(extra_zones=[z])
    plan = plan_operations(city, REF, 24, time_limit=0.5)
    locked = {"M01", "M02", "M03", "M04", "M05"}
    late = plan.roster[plan.roster["end"] > pd.Timestamp("2022-02-25T12:00")]
    assert not late["staff_id"].isin(locked).any()


def test_duty_follows_zones_imposed_and_lifted_inside_shifts():
    from heatgis.routing.duty import build_duty

    z = (
        {
            "zone_id": "ZS",
            "name": "临时封控区",
            "level": "sealed",
            "start": "2022-02-25T10:00",
            "end": "2022-02-25T20:00",
        },
        B(1300, 900, 1500, 1100),
    )
    city = ops_city(extra_zones=[z])
    d = build_duty(city, REF, 24)
    s2 = d.places[(d.places["site_id"] == "S2") & (d.places["duty"] == "presence")]
    got = sorted(zip(s2["start"].dt.strftime("%H:%M"), s2["end"].dt.strftime("%H:%M"), s2["shift"]))
    assert got == [("10:00", "16:00", "08:00-16:00"), ("16:00", "20:00", "16:00-24:00")]
    cuts = [s["start"].strftime("%H:%M") for s in d.slices]
    assert {"10:00", "20:00"} <= set(cuts)


def test_closed_loop_people_are_picked_up_when_their_days_end_inside_the_horizon():
    city = ops_city()
    one_day = StaffingRules(crews={"entry": {"sealed": {"policy": "closed_loop", "days": 1}}})
    plan = plan_operations(city, REF, 48, rules=one_day, time_limit=1.0)
    gin = pd.Timedelta(minutes=plan.rules.gear_entry_min)
    held = plan.roster[plan.roster["task"] != "vehicle"].sort_values(["staff_id", "start"])
    pick = plan.stops[plan.stops["task"] == "pickup"]
    drops = plan.stops[plan.stops["task"] == "drop"]
    out_after_days = 0
    for sid, rows in held.groupby("staff_id"):
        entries = rows[rows["drop_vehicle"] != ""]
        for k, e in enumerate(entries.itertuples()):
            days_end = e.start - gin + pd.Timedelta(days=1)
            nxt = entries["start"].iloc[k + 1] if k + 1 < len(entries) else None
            if days_end >= plan.end or (nxt is not None and nxt - gin <= days_end + pd.Timedelta(hours=1)):
                continue  # still inside at the end of the horizon, or set down again for the next stay
            stay = rows[(rows["start"] >= e.start) & (rows["start"] < days_end)]
            mine = pick[pick["staff_ids"] == sid]
            got = mine[(mine["start"] >= stay["end"].max()) & (mine["start"] <= days_end + pd.Timedelta(hours=1))]
            # taken out once the place ends or the days end, from the last place held (or listed unmet)
            assert (
                len(got) == 1 or ((plan.unmet["duty"] == "pickup") & plan.unmet["detail"].str.startswith(sid)).any()
            ), sid
            if len(got) and got["start"].iloc[0] >= days_end:
                out_after_days += 1
                assert got["site_id"].iloc[0] == stay["site_id"].iloc[-1]
                later = drops[(drops["staff_ids"] == sid) & (drops["start"] > days_end)]
                assert (later["start"] >= got["depart"].iloc[0]).all()  # not set down before being taken out
    assert out_after_days >= 1  # people whose last place ended before their day was up come out after it
    # a stay longer than the horizon: nobody is taken out
    long = StaffingRules(crews={"entry": {"sealed": {"policy": "closed_loop", "days": 3}}})
    assert (plan_operations(city, REF, 48, rules=long, time_limit=1.0).stops["task"] == "pickup").sum() == 0


def test_crews_view_holds_every_stop_of_the_horizon(city):
    from heatgis.routing.planner import crews_view

    view = crews_view(city, REF, 24, time_limit=0.5)
    ops = plan_operations(city, REF, 24, time_limit=0.5)
    # every vehicle shift of the horizon, day and night, as one CrewPlan (heatgis heat --crews)
    assert set(view.crews["crew_id"]) == set(ops.vehicles["vehicle_id"])
    assert set(view.routes["kind"]) >= {"drop", "pickup", "board", "alight"}
    assert view.routes["eta"].min() < REF + pd.Timedelta(hours=12) < view.routes["eta"].max()
    # a project without crew members: the duty list's visits of the shift (plan_routes)
    from tests.core.test_routing_city import grid_city

    plain = crews_view(grid_city(), REF, 24, time_limit=0.3)
    assert set(plain.crews["crew_id"]) == {"C1", "C2"} and plain.stats["planner"] == "plan_operations"


def test_messages_and_unmet_details_read_in_chinese(city):
    """The planner reads the crews' errors and why a duty is not met in Chinese (English unchanged)."""
    import re

    english = re.compile(r"[A-Za-z]{4,} [a-z]{3,}")  # an English phrase (ids and codes are single words)
    with pytest.raises(HeatGISError) as e:
        new_ticket(city, site_id="S1", skill="plumber")
    zh = e.value.text("zh")
    assert "技能 'plumber' 无法识别" in zh and "请使用以下之一" in zh and not english.search(zh), zh
    with pytest.raises(HeatGISError) as e:
        CrewRules.from_dict({"rest": {"min_rest_h": "8"}}, file="rules.json")
    assert (
        "不是数字" in e.value.text("zh")
        and str(e.value.problem.message) == "'crews.rest.min_rest_h' is '8', not a number"
    )
    with pytest.raises(HeatGISError) as e:
        plan_operations(ops_city(), REF, 80)
    assert "超过了抢修队计划最多覆盖的 72 小时" in e.value.text("zh")
    plan = plan_operations(ops_city(members={c: ["operator"] for c in ("C1", "C2", "C3")}), REF, 24, time_limit=1.0)
    details = {d.zh: str(d) for d in plan.unmet["detail"]}
    assert details["没有队员具备电工技能"] == "no crew member has the skill electrician"
    assert any(zh.endswith("无法送达：时间窗内没有在岗的抢修车辆") for zh in details)
    assert all(not english.search(zh) for zh in details), details
