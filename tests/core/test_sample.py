"""The demo city: the reference figures, the contract, determinism, the tiled benchmark city."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from heatgis.model.schema import LAYERS
from heatgis.model.store import open_project
from heatgis.model.validation import validate_layer
from heatgis.sample import DEMO_SEED, REFERENCE_TIME, generate_demo, tile_project

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "data" / "hohhot_demo.gpkg"
ALL_LAYERS = (
    "districts",
    "roads",
    "compounds",
    "heat_sources",
    "stations",
    "boiler_rooms",
    "pipes",
    "depots",
    "crews",
    "staff",
    "lockdown_zones",
)


@pytest.fixture(scope="module")
def fresh():
    return generate_demo(seed=DEMO_SEED)


@pytest.fixture(scope="module")
def committed():
    return open_project(COMMITTED)


@pytest.fixture(params=["committed", "fresh"])
def project(request):
    return request.getfixturevalue(request.param)


def _active_locking(zones, t):
    t = pd.Timestamp(t)
    return (
        (zones["start"] <= t)
        & (zones["end"].isna() | (zones["end"] > t))
        & zones["level"].isin(["sealed", "controlled"])
    ).to_numpy()


def _inside(points, zones, t):
    """Bool per point: intersects an active sealed/controlled zone at t (plain shapely)."""
    geoms = np.asarray(zones.geometry.values)[_active_locking(zones, t)]
    pts = np.asarray(points.geometry.values)
    return np.array([bool(shapely.intersects(p, geoms).any()) for p in pts])


def test_all_layers_and_meta(project):
    assert set(ALL_LAYERS) <= set(project.layers)
    m = project.meta
    assert m["name"] == "呼和浩特演示城市 Hohhot demo city"
    assert m["reference_time"] == REFERENCE_TIME == "2022-02-25T08:00"
    assert m["crs"] == "EPSG:4546" and str(m["seed"]) == str(DEMO_SEED)
    assert "synthetic" in m["notes"].lower()
    for name in ALL_LAYERS:
        frame = project.layers[name]
        errors = [p for p in validate_layer(name, frame, project.crs) if p.severity == "error"]
        assert errors == [], (name, errors[:3])
        if LAYERS[name].geometry:
            assert frame.crs.to_epsg() == 4546


def test_reference_totals(project):
    L = project.layers
    st, br = L["stations"], L["boiler_rooms"]
    assert len(st) == 812 and len(br) == 93 and (br["fuel"] == "gas").all()
    assert st["heated_area_m2"].sum() + br["heated_area_m2"].sum() == 85_710_000
    assert st["households"].sum() + br["households"].sum() == 626_700
    assert L["compounds"]["households"].sum() == 626_700
    assert L["heat_sources"]["kind"].value_counts().to_dict() == {
        "plant": 10,
        "chp": 2,
        "long_distance": 1,
        "coal_boiler": 2,
    }
    crews = L["crews"]
    assert len(crews) == 15 and crews["members"].sum() == 248
    assert {"08:00", "20:00"} == set(crews["shift_start"]) == set(crews["shift_end"])
    assert len(L["districts"]) == 9 and 1900 <= len(L["compounds"]) <= 2100
    assert 2500 <= len(L["staff"]) <= 3500 and 90 <= len(L["lockdown_zones"]) <= 110
    assert 8 <= len(L["depots"]) <= 16


def test_locked_at_reference_time(project):
    L = project.layers
    zones = L["lockdown_zones"]
    s = _inside(L["stations"], zones, REFERENCE_TIME)
    b = _inside(L["boiler_rooms"], zones, REFERENCE_TIME)
    assert s.sum() == 24 and b.sum() == 3
    assert L["stations"]["heated_area_m2"][s].sum() + L["boiler_rooms"]["heated_area_m2"][b].sum() == 5_159_000
    assert L["stations"]["households"][s].sum() + L["boiler_rooms"]["households"][b].sum() == 38_500
    staff = _inside(L["staff"], zones, REFERENCE_TIME)
    assert 410 <= staff.sum() <= 460
    earlier = (
        _inside(L["stations"], zones, "2022-02-18T08:00").sum()
        + _inside(L["boiler_rooms"], zones, "2022-02-18T08:00").sum()
    )
    assert 0 < earlier < 27
    assert (zones["end"] < pd.Timestamp("2022-03-31")).all()
    assert zones["start"].min() >= pd.Timestamp("2022-02-16")
    assert set(zones["level"]) == {"sealed", "controlled", "precaution"}


def test_locked_sites_and_staff_in_their_zones(project):
    L = project.layers
    zones = L["lockdown_zones"]
    zg = np.asarray(zones.geometry.values)[_active_locking(zones, REFERENCE_TIME)]
    staff = L["staff"]
    sg = np.asarray(staff.geometry.values)

    def with_role(layer, role):
        has = []
        for pt in np.asarray(L[layer].geometry.values):
            mine = zg[shapely.intersects(pt, zg)]
            if len(mine) == 0:
                continue
            home = shapely.intersects(sg[:, None], mine[None, :]).any(axis=1)
            has.append(bool((staff["role"][home] == role).any()))
        return np.array(has)

    ops = with_role("stations", "operator")
    assert len(ops) == 24 and 3 <= (~ops).sum() <= 6
    bos = with_role("boiler_rooms", "boiler_operator")
    assert len(bos) == 3 and bos.sum() == 2


def test_compounds_outside_and_downstream(project):
    L = project.layers
    zones = L["lockdown_zones"]
    comp = L["compounds"]
    zg = np.asarray(zones.geometry.values)[_active_locking(zones, REFERENCE_TIME)]
    cen = shapely.point_on_surface(np.asarray(comp.geometry.values))
    in_zone = np.array([bool(shapely.intersects(c, zg).any()) for c in cen])
    locked_sites = set(L["stations"]["station_id"][_inside(L["stations"], zones, REFERENCE_TIME)]) | set(
        L["boiler_rooms"]["asset_id"][_inside(L["boiler_rooms"], zones, REFERENCE_TIME)]
    )
    served_outside = in_zone & ~comp["served_by"].isin(locked_sites).to_numpy()
    assert served_outside.sum() >= 3
    # a locked boiler room feeds stations that lie outside every zone
    locked_br = L["boiler_rooms"]["asset_id"][_inside(L["boiler_rooms"], zones, REFERENCE_TIME)]
    st = L["stations"]
    allz = np.asarray(zones.geometry.values)
    fed = st[st["network_id"].isin(set(locked_br))]
    assert len(fed) >= 1
    assert not any(shapely.intersects(p, allz).any() for p in np.asarray(fed.geometry.values))


def test_sites_and_compounds_consistent(project):
    L = project.layers
    comp = L["compounds"].set_index("compound_id")
    sites = pd.concat(
        [
            L["stations"].rename(columns={"station_id": "id"})[["id", "households", "compound_id", "geometry"]],
            L["boiler_rooms"].rename(columns={"asset_id": "id"})[["id", "households", "compound_id", "geometry"]],
        ]
    )
    assert comp["served_by"].notna().all() and comp["served_by"].isin(set(sites["id"])).all()
    per_site = comp.groupby("served_by")["households"].sum()
    assert (per_site.reindex(sites["id"]).to_numpy() == sites["households"].to_numpy()).all()
    # every site sits in its compound and serves it
    polys = comp.loc[sites["compound_id"], "geometry"].to_numpy()
    assert shapely.contains(polys, np.asarray(sites.geometry.values)).all()
    assert (comp.loc[sites["compound_id"], "served_by"].to_numpy() == sites["id"].to_numpy()).all()
    # compounds keep 15 m from every road
    roads = np.asarray(L["roads"].geometry.values)
    tree = shapely.STRtree(roads)
    assert len(tree.query(np.asarray(L["compounds"].geometry.values), predicate="dwithin", distance=15.0)[0]) == 0
    nv = shapely.get_num_coordinates(np.asarray(L["compounds"].geometry.values)) - 1
    assert nv.min() >= 4 and nv.max() <= 8
    assert L["compounds"]["name"].is_unique


def test_roads_connected(project):
    roads = project.layers["roads"]
    g = np.asarray(roads.geometry.values)
    assert len(roads) > 20_000 and roads["road_id"].is_unique
    assert (shapely.length(g) > 0).all()
    assert set(roads["road_class"]) == {"ring", "expressway", "arterial", "secondary", "local"}
    assert set(roads["oneway"]) == {0, 1}
    ends = np.round(
        np.concatenate(
            [shapely.get_coordinates(shapely.get_point(g, 0)), shapely.get_coordinates(shapely.get_point(g, -1))]
        ),
        2,
    )
    _, node = np.unique(ends, axis=0, return_inverse=True)
    node = node.ravel()
    n = len(g)
    m = coo_matrix((np.ones(n), (node[:n], node[n:])), shape=(node.max() + 1,) * 2)
    assert connected_components(m, directed=False)[0] == 1


def test_pipe_trees(project):
    L = project.layers
    pipes, st = L["pipes"], L["stations"]
    roots = set(L["heat_sources"]["source_id"]) | set(L["boiler_rooms"]["asset_id"])
    assert pipes["to_id"].is_unique
    assert set(st["station_id"]) <= set(pipes["to_id"])
    net_of = dict(zip(pipes["to_id"], pipes["network_id"]))
    assert all(net_of[s] == n for s, n in zip(st["station_id"], st["network_id"]))
    starts = set(pipes["from_id"]) - set(pipes["to_id"])
    assert starts <= roots
    counts = st["network_id"].value_counts()
    big = set(counts.index[:3])
    assert big == {"CHP-1", "CHP-2", "LD-1"}
    assert set(L["heat_sources"]["network_id"]) <= set(counts.index)
    br_nets = [n for n in counts.index if n.startswith("GB-")]
    assert 10 <= len(br_nets) <= 20 and counts[br_nets].max() <= 3
    # diameters shrink downstream
    dn = dict(zip(pipes["to_id"], pipes["dn_mm"]))
    up = pipes[pipes["from_id"].isin(dn)]
    assert (up["from_id"].map(dn).to_numpy() >= up["dn_mm"].to_numpy()).all()


def test_fresh_equals_committed(fresh, committed):
    for name in ALL_LAYERS:
        a, b = fresh.layers[name].reset_index(drop=True), committed.layers[name].reset_index(drop=True)
        assert list(a.columns) == list(b.columns), name
        cols = [c for c in a.columns if c != "geometry"]
        pd.testing.assert_frame_equal(pd.DataFrame(a[cols]), pd.DataFrame(b[cols]), check_dtype=False, obj=name)
        if "geometry" in a.columns:
            assert shapely.equals_exact(
                np.asarray(a.geometry.values), np.asarray(b.geometry.values), tolerance=1e-6
            ).all(), name
    assert {k: str(v) for k, v in fresh.meta.items()} == {k: v for k, v in committed.meta.items()}


def test_tile_project(fresh):
    big = tile_project(fresh, k=10)
    L = big.layers
    assert len(L["stations"]) == 8120 and len(L["compounds"]) == 10 * len(fresh.layers["compounds"])
    assert len(L["lockdown_zones"]) == 10 * len(fresh.layers["lockdown_zones"])
    for name, frame in L.items():
        idf = LAYERS[name].id_field
        if idf is None:  # the weather series: kept once, not tiled
            assert len(frame) == len(fresh.layers[name]), name
            continue
        assert frame[idf].is_unique, name
    st = L["stations"]
    assert st["compound_id"].isin(set(L["compounds"]["compound_id"])).all()
    assert st["depot_id"].isin(set(L["depots"]["depot_id"])).all()
    assert set(L["pipes"]["to_id"]) >= set(st["station_id"])
    assert L["compounds"]["served_by"].isin(set(st["station_id"]) | set(L["boiler_rooms"]["asset_id"])).all()
    x = shapely.get_x(np.asarray(st.geometry.values))
    assert x[-1] > x[0] + 9 * 20_000
    assert len(fresh.layers["stations"]) == 812  # input untouched


def test_weather_series_and_boiler_rooms_sized_for_their_stations(project):
    w = project.layers["weather"]
    t = pd.DatetimeIndex(w["time"])
    assert t[0] == pd.Timestamp("2022-02-01T00:00") and t[-1] == pd.Timestamp("2022-03-31T23:00")
    assert (np.diff(t.asi8) == np.diff(t.asi8)[0]).all() and len(t) == 59 * 24  # hourly, no gap
    coldest = w.loc[w["outdoor_c"].idxmin()]
    assert coldest["outdoor_c"] == -18.0 and coldest["time"] == pd.Timestamp("2022-02-26T06:00")
    assert (w["outdoor_c"] == -18.0).sum() == 1
    # a boiler room feeding stations can carry their design load (x 1.15) besides its own area
    L = project.layers
    br = L["boiler_rooms"].set_index("asset_id")
    fed = L["stations"].groupby("network_id")["design_load_kw"].sum()
    for b in set(fed.index) & set(br.index):
        assert br.loc[b, "capacity_mw"] * 1000 >= fed[b] * 1.15 + br.loc[b, "heated_area_m2"] * 0.05 - 10


def test_fresh_weather_equals_committed(fresh, committed):
    pd.testing.assert_frame_equal(
        fresh.layers["weather"].reset_index(drop=True),
        committed.layers["weather"].reset_index(drop=True),
        check_dtype=False,
    )
