"""Crew routing: graph building, barriers, the plan, dispatch, re-planning, outputs."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from heatgis.errors import Feedback, HeatGISError
from heatgis.routing import plan as P
from heatgis.routing.barriers import apply_barriers, stop_access
from heatgis.routing.dispatch import nearest_crew
from heatgis.routing.planner import build_graph, plan_routes
from heatgis.routing.roads import RoadGraph
from heatgis.routing.vrp import VrpProblem, nearest_neighbour, solve
from tests.core.test_routing_city import X0, Y0, B, L, gdf, grid_city
from tests.core.test_routing_city import P as pt

ALL = ["S1", "S2", "S3", "S4", "B1", "S5", "S6"]
SITE_XY = {"S1": (800, 810), "S2": (1400, 1000), "S3": (200, 200), "S4": (1810, 1600), "B1": (600, 1190)}


@pytest.fixture(scope="module")
def city():
    return grid_city()


@pytest.fixture(scope="module")
def plan(city):
    return plan_routes(city, duty=pd.DataFrame({"site_id": ALL}), time_limit=1.0)


# ---------------------------------------------------------------------- graph


def roads_frame(rows, geoms):
    return gdf("roads", rows, geoms)


def r(i, oneway=0, speed=36.0, cls="local"):
    return dict(road_id=f"R{i}", name=f"路{i}", road_class=cls, speed_kmh=speed, oneway=oneway)


def test_grid_graph_nodes_and_times(city):
    g = build_graph(city)
    assert g.n_nodes == 121 + 2 + 1  # grid, island (2 ends), far end of the long road
    assert g.n_arcs == 2 * len(g.edges)
    local = g.edges["road_class"].to_numpy()[g.edge] == "local"
    grid = g.length_m == 200
    assert np.allclose(g.time_s[local & grid], 20.0)  # 200 m at 36 km/h
    assert np.allclose(g.time_s[~local & grid], 10.0)  # arterial, 72 km/h


def test_oneway_split_and_snap():
    # R1 runs west→east through a vertex (100, 0) that R2 starts at, 0.3 m off (snapped)
    roads = roads_frame(
        [r(1, oneway=1), r(2, oneway=-1), r(3)],
        [L((0, 0), (100, 0), (200, 0)), L((100.3, 0.2), (100, 100)), L((200, 0), (200, 100), (100, 100))],
    )
    g = RoadGraph.from_roads(roads)
    assert g.n_nodes == 4  # (0,0) (100,0) (200,0) (100,100); (200,100) is inside R3 only
    xy = np.round(g.xy - [X0, Y0]).astype(int).tolist()
    node = {tuple(p): i for i, p in enumerate(xy)}
    arcs = {(tuple(xy[t]), tuple(xy[h])) for t, h in zip(g.tail, g.head)}
    assert ((0, 0), (100, 0)) in arcs and ((100, 0), (0, 0)) not in arcs  # oneway=1
    assert ((100, 100), (100, 0)) in arcs and ((100, 0), (100, 100)) not in arcs  # oneway=-1
    assert ((200, 0), (100, 100)) in arcs and ((100, 100), (200, 0)) in arcs
    assert len(node) == 4 and len(g.edges) == 4


def test_attach_split_and_node():
    roads = roads_frame([r(1)], [L((0, 0), (200, 0))])
    g = RoadGraph.from_roads(roads).attach([pt(80, 30), pt(199.8, 5)], ["a", "b"])
    a, b = g.points.set_index("point_id").loc[["a", "b"]].itertuples()
    assert a.method == "split" and a.offset_m == pytest.approx(30.0)
    assert np.allclose(g.xy[a.road_node], [X0 + 80, Y0])
    assert b.method == "node" and np.allclose(g.xy[b.road_node], [X0 + 200, Y0])
    # the split edge keeps its total time: 0→a→end = 200 m at 10 m/s
    assert g.time_s[~g.edges["access"].to_numpy()[g.edge]].sum() == pytest.approx(2 * 20.0)


@pytest.mark.parametrize("field,value,needle", [("oneway", 2, "oneway"), ("speed_kmh", -5, "not positive")])
def test_bad_roads_name_row_and_fix(field, value, needle):
    rows = [r(1), r(2)]
    rows[1][field] = value
    with pytest.raises(HeatGISError) as e:
        RoadGraph.from_roads(roads_frame(rows, [L((0, 0), (1, 0)), L((1, 0), (2, 0))]), file="x.gpkg")
    p = e.value.problem
    assert p.layer == "roads" and p.row == "R2" and p.field == field and needle in p.message and p.fix
    assert p.file == "x.gpkg"


def test_no_roads_and_degrees():
    with pytest.raises(HeatGISError, match="no roads"):
        RoadGraph.from_roads(None)
    wgs = roads_frame([r(1)], [L((0, 0), (1, 0))]).set_crs("EPSG:4326", allow_override=True)
    with pytest.raises(HeatGISError, match="degrees"):
        RoadGraph.from_roads(wgs)
    with pytest.raises(HeatGISError) as e:
        RoadGraph.from_roads(wgs, file="roads.gpkg")
    zh = e.value.text("zh")
    assert "单位为度" in zh and "重投影到项目的米制坐标系" in zh and "roads.gpkg" in zh
    assert "travel times" not in zh and "reproject" not in zh


# ---------------------------------------------------------------------- barriers


def test_barriers_close_sealed_slow_precaution(city):
    g = build_graph(city).attach([pt(800, 810), pt(1400, 1000)], ["in", "out"])
    bg = apply_barriers(g, city.layer("lockdown_zones"), city.reference_time, precaution_factor=2.0)
    assert bg.zones["zone_id"].tolist() == ["Z1"]  # Z3 has ended, Z2 only slows
    road = ~g.edges["access"].to_numpy()[g.edge]
    inside = shapely.length(shapely.intersection(g.geoms[g.edge], B(500, 500, 1100, 1300))) > 1.0
    assert bg.closed[inside].all() and not bg.closed[~inside & road].any()
    # 3 streets x 5 edges up, 4 streets x 4 edges across, +1 where S1 splits its street; two ways each
    assert (bg.closed & road).sum() == 2 * (3 * 5 + 4 * 4 + 1)
    mid = shapely.line_interpolate_point(g.geoms[g.edge], 0.5, normalized=True)
    z2 = shapely.within(mid, B(1500, 0, 2000, 400)) & (g.length_m == 200)
    assert np.allclose(bg.time_s[z2], 2 * g.time_s[z2])
    acc = stop_access(bg, ["in", "out"]).table.set_index("stop_id")
    assert acc.loc["in", "zones"] == ["Z1"] and acc.loc["in", "in_s"] > 0
    assert acc.loc["out", "in_s"] == 0 and acc.loc["out", "reachable"]


def _inside_parts(geom, zone):
    inter = shapely.intersection(geom, zone)
    parts = shapely.get_parts(shapely.line_merge(inter) if inter.geom_type == "MultiLineString" else inter)
    return [p for p in parts if p.length > 1.0]


def test_no_route_through_a_closed_zone(city, plan):
    zones = city.layer("lockdown_zones")
    closed = zones[zones["zone_id"] == "Z1"].geometry.iloc[0]
    in_z = {s for s, z in zip(plan.routes["site_id"], plan.routes["zone_ids"]) if "Z1" in z}
    assert in_z == {"S1", "B1"}
    checked = 0
    for leg in plan.legs.itertuples():
        ends = [s for s in (leg.from_id, leg.to_id) if s in in_z]
        for part in _inside_parts(leg.geometry, closed):
            checked += 1
            # every piece inside the zone is the way in to / out of a site in that zone, touching it
            assert ends, f"leg {leg.from_id}->{leg.to_id} of {leg.crew_id} drives through Z1"
            assert min(part.distance(pt(*SITE_XY[s])) for s in ends) < 1.0
    assert checked >= 2  # both in-zone sites were entered


def test_detour_around_the_zone(city):
    # S2 lies east of the zone on the arterial; from D1 the straight way runs through Z1
    plan = plan_routes(
        city, duty=pd.DataFrame({"site_id": ["S2"], "window_start": ["08:00"], "window_end": ["08:05"]}), time_limit=0.2
    )
    leg = plan.legs.iloc[0]
    assert shapely.length(shapely.intersection(leg.geometry, B(500, 500, 1100, 1300))) < 1.0


def test_served_once_and_shifts_respected(city, plan):
    served = plan.routes["site_id"].tolist()
    assert len(served) == len(set(served))
    assert set(served) | set(plan.dropped["site_id"]) == set(ALL)
    assert not set(served) & set(plan.dropped["site_id"])
    for c in plan.crews.itertuples():
        mine = plan.routes[plan.routes["crew_id"] == c.crew_id].sort_values("seq")
        assert mine["seq"].tolist() == list(range(1, len(mine) + 1))
        assert (mine["eta"] >= c.shift_start).all()
        assert (mine["depart"] <= c.shift_end).all()
        assert c.back <= c.shift_end and c.leave >= c.shift_start
        assert (mine["eta"].iloc[1:].to_numpy() >= mine["depart"].iloc[:-1].to_numpy()).all()
    svc = dict(zip(plan.routes["site_id"], plan.routes["service_min"]))
    assert svc["B1"] == 60 and svc["S1"] == 40
    assert set(plan.crews["crew_id"]) == {"C1", "C2"}  # C3 works nights


def test_unreachable_and_other_reasons(city):
    duty = pd.DataFrame(
        {
            "site_id": ["S5", "S3", "S2", "S4"],
            "window_start": [None, "03:00", None, None],
            "window_end": [None, "04:00", None, None],
            "service_min": [None, None, 12 * 60, None],
        }
    )
    plan = plan_routes(city, duty=duty, time_limit=0.3)
    why = dict(zip(plan.dropped["site_id"], plan.dropped["reason"]))
    assert why == {"S5": P.UNREACHABLE, "S3": P.OUTSIDE_SHIFT, "S2": P.TOO_FAR}
    assert plan.routes["site_id"].tolist() == ["S4"]
    assert all(plan.dropped["detail"].str.len() > 10)


def test_unknown_site_in_duty_list(city):
    with pytest.raises(HeatGISError) as e:
        plan_routes(city, duty=pd.DataFrame({"site_id": ["NOPE"]}), time_limit=0.1)
    assert e.value.problem.row == "NOPE" and e.value.problem.fix


def test_precaution_factor_lengthens_travel(city):
    duty = pd.DataFrame({"site_id": ["S3"]})
    slow = plan_routes(city, duty=duty, time_limit=0.2, precaution_factor=3.0)
    fast = plan_routes(city, duty=duty, time_limit=0.2, precaution_factor=1.0)
    assert slow.travel_s >= fast.travel_s  # S3 is away from Z2: never faster with the slow-down


# ---------------------------------------------------------------------- optimum


def test_small_instance_reaches_the_known_optimum():
    """One crew, six sites on a 5x5 grid of 100 m local streets: brute force all 720 orders."""
    from tests.core.test_routing_city import CRS

    rows, geoms, k = [], [], 0
    for i in range(5):
        for j in range(4):
            for a, b in (
                ((j * 100, i * 100), ((j + 1) * 100, i * 100)),
                ((i * 100, j * 100), (i * 100, (j + 1) * 100)),
            ):
                k += 1
                rows.append(r(k))
                geoms.append(L(a, b))
    xy = {"A": (0, 400), "B": (300, 100), "C": (400, 400), "D": (100, 200), "E": (400, 0), "F": (200, 300)}
    stations = gdf(
        "stations",
        [
            dict(
                station_id=s,
                name=s,
                network_id="N",
                heated_area_m2=1,
                households=1,
                design_load_kw=1,
                compound_id=None,
                depot_id="D1",
                address="",
            )
            for s in xy
        ],
        [pt(*v) for v in xy.values()],
    )
    from heatgis.model.project import Project
    from heatgis.model.schema import conform

    proj = Project(
        {
            "roads": roads_frame(rows, geoms),
            "stations": stations,
            "depots": gdf("depots", [dict(depot_id="D1", name="所", district="x")], [pt(0, 0)]),
            "crews": conform(
                "crews",
                pd.DataFrame(
                    [
                        dict(
                            crew_id="C1",
                            name="队",
                            depot_id="D1",
                            members=5,
                            shift_start="08:00",
                            shift_end="20:00",
                            skills="",
                        )
                    ]
                ),
            ),
        },
        {"reference_time": "2022-02-25T08:00", "crs": CRS},
    )
    plan = plan_routes(proj, duty=pd.DataFrame({"site_id": list(xy)}), time_limit=1.0)
    depot = (0, 0)
    t = lambda a, b: (abs(a[0] - b[0]) + abs(a[1] - b[1])) / 10.0  # noqa: E731  36 km/h = 10 m/s
    best = min(
        sum(t(p, q) for p, q in zip([depot] + [xy[s] for s in o], [xy[s] for s in o] + [depot]))
        for o in itertools.permutations(xy)
    )
    assert len(plan.routes) == 6
    assert plan.travel_s == pytest.approx(best, abs=0.6)  # rounding to whole seconds per leg


def test_vrp_beats_nearest_neighbour_and_streams_plans():
    rng = np.random.default_rng(7)
    n = 40
    xy = rng.uniform(0, 15000, (n, 2))
    tr = (np.hypot(*(xy[:, None] - xy[None]).transpose(2, 0, 1)) / 8).astype(int)
    veh = [0, 0, 1, 1]
    prob = VrpProblem(tr, np.r_[0, 0, np.full(n - 2, 900)], np.arange(2, n), veh, veh, [(0, 12 * 3600)] * 4)
    seen, msgs, steps = [], [], []
    sol = solve(
        prob,
        1.0,
        on_plan=lambda routes, tot: seen.append(tot),
        feedback=Feedback(lambda pct, m: (msgs.append(pct), steps.append(m))),
    )
    nn = nearest_neighbour(prob)
    assert not sol.dropped and sorted(x for r_ in sol.routes for x in r_) == list(range(2, n))
    assert sol.travel_s < nn.travel_s
    assert seen and msgs[-1] == 100.0
    # the steps carry their figures in both languages (the app shows them in its language)
    assert steps[-1].startswith(f"plan done: {n - 2} visits, ")
    assert steps[-1].zh.startswith("计划完成：") and "小时" in steps[-1].zh
    assert sum(1 for r_ in sol.routes if r_) >= 3  # the span cost shares the work


def test_cancel_returns_the_best_so_far():
    rng = np.random.default_rng(3)
    n = 30
    tr = rng.integers(60, 900, (n, n))
    np.fill_diagonal(tr, 0)
    prob = VrpProblem(tr, np.zeros(n, int), np.arange(1, n), [0], [0], [(0, 10**6)])
    fb = Feedback()
    fb.cancel()
    sol = solve(prob, 30.0, feedback=fb)
    assert sol.status == "ok" and len(sol.routes[0]) == n - 1


# ---------------------------------------------------------------------- dispatch, re-plan


def test_dispatch_nearest_free_crew(city, plan):
    d = nearest_crew(city, "S2", at="2022-02-25T07:30")  # nobody on shift: night crew C3 is
    assert d.crew_id == "C3"
    d = nearest_crew(city, "S2", at="2022-02-25T09:00")
    assert d.crew_id == "C2"  # D2 is 600 m away on the arterial; D1 must drive around Z1
    assert d.eta == pd.Timestamp("2022-02-25T09:00") + pd.Timedelta(seconds=d.travel_s)
    assert d.travel_s == pytest.approx(600 / 20 + 0.0, abs=1.0)
    d2 = nearest_crew(city, "S2", at="2022-02-25T09:00", busy=["C2"])
    assert d2.crew_id == "C1" and d2.travel_s > d.travel_s
    assert shapely.length(shapely.intersection(d2.geometry, B(500, 500, 1100, 1300))) < 1.0
    json.dumps(d2.to_dict())


def test_replan_keeps_started_visits(city, plan):
    now = plan.routes["depart"].min()  # first visits are done, their crews are driving on
    z = city.layer("lockdown_zones")
    extra = gdf(
        "lockdown_zones",
        [dict(zone_id="Z9", name="新封控区", level="sealed", start="2022-02-25T08:00", end=None)],
        [B(1300, 1500, 1900, 1900)],
    )
    zones = pd.concat([z, extra], ignore_index=True)
    new = plan_routes(city, zones=zones, duty=pd.DataFrame({"site_id": ALL}), time_limit=0.5, keep=plan, now=now)
    for c in plan.crews.itertuples():
        old = plan.routes[plan.routes["crew_id"] == c.crew_id].reset_index(drop=True)
        left = [c.leave] + list(old["depart"].iloc[:-1])
        started = old[[lv <= now for lv in left]]
        mine = new.routes[new.routes["crew_id"] == c.crew_id].reset_index(drop=True)
        pd.testing.assert_frame_equal(
            mine.iloc[: len(started)][["site_id", "eta", "depart"]], started[["site_id", "eta", "depart"]]
        )
        assert (mine["eta"].iloc[len(started) :] >= now).all()
    served = new.routes["site_id"].tolist()
    assert len(served) == len(set(served))
    assert set(served) | set(new.dropped["site_id"]) == set(ALL)
    s4 = new.routes[new.routes["site_id"] == "S4"]
    if len(s4) and not (plan.routes.set_index("site_id").loc["S4", "eta"] <= now):
        assert s4["zone_ids"].iloc[0] == ["Z9"]


# ---------------------------------------------------------------------- outputs


def test_outputs(plan, tmp_path):
    doc = plan.to_dict()
    text = json.dumps(doc, ensure_ascii=False)
    assert doc["totals"]["visits"] == len(plan.routes) and "Z1" in doc["closed_zones"]
    assert sum(len(c["stops"]) for c in doc["crews"]) == len(plan.routes)
    assert "S5" in text
    path = plan.to_geojson(tmp_path / "routes.geojson")
    back = gpd.read_file(path)
    assert len(back) == len(plan.legs) and back.crs.to_epsg() == 4326
    assert set(back["color"]) == set(plan.crews.loc[plan.crews["stops"] > 0, "color"])
    sheets = plan.write_route_sheets(tmp_path / "sheets")
    assert len(sheets) == len(plan.crews)
    busy = plan.crews.sort_values("stops").iloc[-1]
    rows = (tmp_path / "sheets" / f"route_{busy.crew_id}.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rows[2].startswith("0,") and str(busy.depot_id) in rows[2]
    assert sum(1 for x in rows if x and x.split(",")[0].isdigit()) == busy.stops + 2
    g = plan.route_geometries()
    assert len(g) == len(plan.crews) and g.crs == plan.crs


# ---------------------------------------------------------------------- OpenStreetMap

OSM = Path(__file__).resolve().parents[2] / "tests" / "data" / "beijing_cau_map.osm"  # ODbL, see its README


@pytest.mark.parametrize("name", ["beijing_cau_map.osm", "beijing_cau_map.osm.pbf"])
def test_osm_graph_routes_between_real_points(name):
    from scipy.sparse.csgraph import dijkstra

    g = RoadGraph.from_osm(OSM.parent / name, crs="EPSG:4547")
    assert g.crs == "EPSG:4547" and g.n_nodes > 100
    assert g.n_arcs < 2 * len(g.edges)  # oneway streets have one arc
    assert set(g.edges["road_class"]) <= {"expressway", "arterial", "secondary", "local"}
    # two real places ~1 km apart (WGS84): 学清路 north part and the China Agricultural University area
    pts = gpd.GeoSeries([shapely.Point(116.3525, 40.0075), shapely.Point(116.3555, 40.0005)], crs="EPSG:4326").to_crs(
        "EPSG:4547"
    )
    # the nearest nodes of the driveable (strongly connected) city
    main = np.flatnonzero(g.main_component())
    assert len(main) > 0.5 * g.n_nodes
    xy = shapely.get_coordinates(np.asarray(pts.values))
    a, b = (int(main[np.argmin(np.hypot(*(g.xy[main] - p).T))]) for p in xy)
    t = dijkstra(g.csr(), indices=[a, b])
    straight = float(np.hypot(*(g.xy[a] - g.xy[b])))
    assert straight > 500 and np.isfinite(t[0, b]) and np.isfinite(t[1, a])
    dist = dijkstra(g.csr(weight=g.length_m), indices=a)[b]
    assert straight * 0.999 <= dist < straight * 3
    # attaching the real points gives split points on their nearest streets
    ga = g.attach(np.asarray(pts.values), ["a", "b"])
    assert set(ga.points["method"]) <= {"split", "node"} and (ga.points["offset_m"] < 300).all()


def test_osm_missing_file(tmp_path):
    with pytest.raises(HeatGISError, match="does not exist"):
        RoadGraph.from_osm(tmp_path / "nope.osm")


def test_close_pairs_match_brute_force():
    """Snapping pairs from the grid look-up equal every pair within the distance (all pairs checked)."""
    from heatgis.routing.roads_build import _close_pairs

    rng = np.random.default_rng(7)
    for snap in (0.5, 2.0):
        coords = np.vstack([rng.uniform(0, 40, (1500, 2)), rng.uniform(-3, 3, (300, 2)) + 17.0])
        key = np.round(coords / snap).astype(np.int64)
        uniq, vid = np.unique(key, axis=0, return_inverse=True)
        vid = vid.ravel()
        xy = np.zeros((len(uniq), 2))
        np.add.at(xy, vid, coords)
        xy /= np.bincount(vid)[:, None]
        d = np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1])
        want = {(int(i), int(j)) for i, j in zip(*np.nonzero(np.triu(d <= snap, 1)))}
        got = {(int(i), int(j)) for i, j in _close_pairs(uniq, xy, snap)}
        assert want and got == want


def test_travel_matrix_and_planner_cancel_through_feedback(city):
    import scipy.sparse as sp

    from heatgis.errors import Cancelled
    from heatgis.routing.matrix import travel_matrix

    n = 300  # a line of nodes 1 s apart
    csr = sp.csr_matrix((np.ones(n - 1), (np.arange(n - 1), np.arange(1, n))), shape=(n, n))
    seen = []
    full = travel_matrix(csr, range(n), [n - 1], chunk=10, feedback=Feedback(lambda pct, m: seen.append(pct)))
    assert full[0, 0] == n - 1 and seen[-1] == 100.0 and len(seen) == n // 10
    seen.clear()
    fb = Feedback(lambda pct, m: seen.append(pct), is_canceled=lambda: len(seen) >= 3)
    with pytest.raises(Cancelled):
        travel_matrix(csr, range(n), [n - 1], chunk=10, feedback=fb)
    assert len(seen) == 3  # stopped at the next chunk
    stopped = Feedback()
    stopped.cancel()
    with pytest.raises(Cancelled):
        plan_routes(city, duty=pd.DataFrame({"site_id": ALL}), time_limit=1.0, feedback=stopped)


def test_route_options_dataclass_and_keywords_plan_alike(city):
    from heatgis.routing.planner import RouteOptions

    duty = pd.DataFrame({"site_id": ALL})
    a = plan_routes(city, options=RouteOptions(duty=duty, time_limit=0.3, shift="day"))
    b = plan_routes(city, duty=duty, time_limit=0.3)
    assert a.shift == b.shift == "day" and set(a.routes["site_id"]) == set(b.routes["site_id"])
    night = plan_routes(city, options=RouteOptions(duty=duty, time_limit=0.3), shift="night")
    assert night.shift == "night"  # a keyword overrides the options
    with pytest.raises(TypeError, match="time_limt"):
        plan_routes(city, duty=duty, time_limt=1)


def test_plan_routes_is_a_view_of_the_crews_planner(city):
    """One planner: the shift's routes come from plan_operations, with closures at the time of travel."""
    z9 = gdf(
        "lockdown_zones",
        [dict(zone_id="Z9", name="九号封控区", level="sealed", start="2022-02-25T12:00", end=None)],
        [B(-50, 300, 500, 700)],
    )
    zones = pd.concat([city.layer("lockdown_zones"), z9], ignore_index=True)
    duty = pd.DataFrame({"site_id": ["S3"], "window_start": ["13:00"], "window_end": ["13:30"]})
    box = B(-50, 300, 500, 700).buffer(-1)
    before = plan_routes(city, duty=duty, time_limit=0.3)  # Z9 not in the project: the short way
    after = plan_routes(city, zones=zones, duty=duty, time_limit=0.3)
    for p in (before, after):
        assert p.stats["planner"] == "plan_operations" and p.routes["site_id"].tolist() == ["S3"]
    crew = after.routes["crew_id"].iloc[0]
    leg = after.legs[(after.legs["crew_id"] == crew) & (after.legs["to_id"] == "S3")].iloc[0]
    # planned at 08:00, driven after 12:00: the leg goes around the zone imposed at 12:00
    assert shapely.intersection(leg.geometry, box).length < 1
    assert after.closed_zones == ["Z1"]  # the zones at the shift start, as the plan's header says
    old = before.legs[before.legs["to_id"] == "S3"].iloc[0]
    assert shapely.intersection(old.geometry, box).length > 100  # without the zone: straight through there
    if before.routes["crew_id"].iloc[0] == crew:
        assert leg.travel_s > old.travel_s
