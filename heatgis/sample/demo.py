"""The deterministic demo city: Hohhot, winter 2022, reproducing the reference figures exactly.

``generate_demo()`` builds every layer of the contract from ``numpy.random.default_rng(seed)``
and Hohhot's real district outlines; the rest (streets, compounds, stations, staff, zones) is
synthetic. See data/README.md for the figures it reproduces.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from heatgis.errors import HeatGISError
from heatgis.io.chinacrs import gcj02_to_wgs84
from heatgis.model.project import Project
from heatgis.model.schema import DEFAULT_CRS, conform
from heatgis.paths import DISTRICTS_FILE
from heatgis.sample import names as N
from heatgis.sample import networks as NW
from heatgis.sample import people as PP
from heatgis.sample import zones as Z
from heatgis.sample.city import build_compounds, largest_remainder, points_inside
from heatgis.sample.roads import build_grid, build_roads
from heatgis.sample.scenario import build_zones, locked_sites, plan_locked, zone_frame_rows
from heatgis.sample.staff import build_staff as _staff
from heatgis.sample.weather import build_weather

REFERENCE_TIME = "2022-02-25T08:00"
DEMO_SEED = 20220225
FILE_TIMESTAMP = "2022-02-16T00:00:00Z"
N_STATIONS, N_BOILER_ROOMS = 812, 93
TOTAL_AREA, TOTAL_HOUSEHOLDS = 85_710_000, 626_700
LOCKED_STATIONS, LOCKED_BOILER_ROOMS = 24, 3
LOCKED_AREA, LOCKED_HOUSEHOLDS = 5_159_000, 38_500
N_CREWS, CREW_MEMBERS = 15, 248
N_DEPOTS = 12
N_BOILER_NETWORKS = 15
URBAN = ("新城区", "回民区", "玉泉区", "赛罕区")


def load_districts(path=DISTRICTS_FILE) -> gpd.GeoDataFrame:
    """Hohhot's 9 districts (Amap outlines, GCJ-02) in EPSG:4546, simplified ~20 m."""
    import pyogrio

    path = Path(path)
    if not path.exists():
        raise HeatGISError(
            "the district outlines for the demo city are missing",
            "restore data/sources/hohhot_districts_amap_gcj02.geojson from the repository "
            "(git checkout -- data/sources), or reinstall HeatGIS",
            file=path,
        )
    df = pyogrio.read_dataframe(path)
    geoms = shapely.transform(
        np.asarray(df.geometry.values), lambda c: np.column_stack(gcj02_to_wgs84(c[:, 0], c[:, 1]))
    )
    out = gpd.GeoDataFrame(
        {"name": df["name"].astype(str).to_numpy(), "adcode": df["adcode"].astype(str).to_numpy()},
        geometry=geoms,
        crs="EPSG:4326",
    ).to_crs(DEFAULT_CRS)
    g = shapely.simplify(np.asarray(out.geometry.values), 20.0)
    out["geometry"] = shapely.make_valid(shapely.set_precision(g, 0.1))
    return out


def _district_of(pts, districts):
    urban = districts[districts["name"].isin(URBAN)].reset_index(drop=True)
    geoms = np.asarray(urban.geometry.values)
    idx = shapely.STRtree(geoms).query_nearest(pts, all_matches=False)[1]
    return urban["name"].to_numpy()[idx]


def _xy(geoms):
    return shapely.get_coordinates(np.asarray(geoms, dtype=object))


def generate_demo(seed: int = DEMO_SEED, path=None, force: bool = False) -> Project:
    """Generate the Hohhot demo city.

    Parameters
    ----------
    seed : int
        Seed of ``numpy.random.default_rng``; the same seed gives the same city.
    path : path-like, optional
        Also save the project there (GeoPackage, fixed file timestamp).
    force : bool
        Allow ``path`` to be the bundled demo itself (refused by default, checked before generating).

    Returns
    -------
    heatgis.model.project.Project
        All contract layers, conformed, in EPSG:4546.
    """
    if path is not None and not force:
        from heatgis.paths import is_bundled_demo

        if is_bundled_demo(path):
            raise HeatGISError(
                "this is the bundled demo project, which HeatGIS does not change by default",
                "write the demo to another file (heatgis demo my.gpkg), or add --force to "
                "regenerate the bundled demo itself",
                file=path,
            )
    rng = np.random.default_rng(seed)
    districts = load_districts()
    urban = shapely.union_all(np.asarray(districts.geometry.values)[districts["name"].isin(URBAN)])
    grid = build_grid(rng, urban)
    roads = build_roads(rng, grid)
    cpoly = build_compounds(rng, grid, roads["geometry"])
    nC = len(cpoly)
    cen = _xy(shapely.centroid(cpoly))
    cdist = _district_of(shapely.points(cen), districts)
    cname = N.compound_names(rng, nC)
    ctree = shapely.STRtree(cpoly)
    r = Z.radius(cen)

    # ------------------------------------------------ sites: the locked 27 first, then the rest
    plan = plan_locked(rng, cpoly, cen, ctree)
    s = plan.singles
    br_locked = [int(s[0]), int(s[1]), int(plan.cluster_hosts[0][0])]  # BR-A, BR-C (no staff), BR-B
    no_op = [int(k) for k in s[2:7]]  # locked stations w/o operator
    locked_hosts = plan.locked_hosts
    n_other = N_STATIONS + N_BOILER_ROOMS - len(locked_hosts)
    pool = np.flatnonzero(~plan.touched)
    others = np.sort(rng.choice(pool, size=n_other, replace=False))
    w = r[others] ** 2
    br_other = rng.choice(others, size=N_BOILER_ROOMS - LOCKED_BOILER_ROOMS, replace=False, p=w / w.sum())
    br_comp = np.sort(np.concatenate([br_locked, br_other]))
    st_comp = np.sort(np.setdiff1d(np.concatenate([locked_hosts, others]), br_comp))
    assert len(st_comp) == N_STATIONS and len(br_comp) == N_BOILER_ROOMS
    site_comp = np.concatenate([st_comp, br_comp])
    nS = len(site_comp)
    site_ids = np.array(
        [f"ST-{k + 1:04d}" for k in range(N_STATIONS)] + [f"GB-{k + 1:03d}" for k in range(N_BOILER_ROOMS)],
        dtype=object,
    )
    site_pts = points_inside(rng, cpoly[site_comp], spread=0.35)
    site_xy = _xy(site_pts)
    is_locked = np.isin(site_comp, locked_hosts)
    host_mask = np.zeros(nC, bool)
    host_mask[site_comp] = True
    site_of_comp = np.full(nC, -1)
    site_of_comp[site_comp] = np.arange(nS)

    # every compound is served by its own site or the nearest one
    served = site_of_comp.copy()
    rest = np.flatnonzero(served < 0)
    served[rest] = shapely.STRtree(site_pts).query_nearest(shapely.points(cen[rest]), all_matches=False)[1]
    served_locked = is_locked[served]

    # households and heated area: the locked group and the rest allocated separately
    hw = shapely.area(cpoly) * rng.lognormal(0, 0.35, nC) * (1 + 1.5 * np.exp(-r / 4000))
    hh = np.zeros(nC, dtype=np.int64)
    hh[served_locked] = largest_remainder(LOCKED_HOUSEHOLDS, hw[served_locked], minimum=60)
    hh[~served_locked] = largest_remainder(TOTAL_HOUSEHOLDS - LOCKED_HOUSEHOLDS, hw[~served_locked], minimum=40)
    site_hh = np.bincount(served, weights=hh, minlength=nS).astype(np.int64)
    aw = site_hh * rng.uniform(0.85, 1.15, nS)
    area = np.zeros(nS, dtype=np.int64)
    area[is_locked] = largest_remainder(LOCKED_AREA, aw[is_locked])
    area[~is_locked] = largest_remainder(TOTAL_AREA - LOCKED_AREA, aw[~is_locked])

    # ------------------------------------------------ zones
    zl, nos, early = build_zones(rng, plan, cpoly, cen, cname, ctree, host_mask, served_locked)
    zrows = zone_frame_rows(zl)
    zgeom = np.array([z["geometry"] for z in zrows], dtype=object)
    zframe = pd.DataFrame(
        {"start": [z["start"] for z in zrows], "end": [z["end"] for z in zrows], "level": [z["level"] for z in zrows]}
    )
    ref = pd.Timestamp(REFERENCE_TIME)
    got = locked_sites(site_pts, zgeom, Z.active_locking(zframe, ref))
    if not np.array_equal(got, is_locked):
        raise RuntimeError("demo generator: the locked sites do not match the plan")

    # ------------------------------------------------ networks and pipes
    st_xy, br_xy = site_xy[:N_STATIONS], site_xy[N_STATIONS:]
    st_locked = is_locked[:N_STATIONS]
    in_any_zone = locked_sites(site_pts, zgeom, np.ones(len(zgeom), bool))[:N_STATIONS]
    network = np.full(N_STATIONS, None, dtype=object)
    br_ids = site_ids[N_STATIONS:]
    br_locked_idx = [int(np.flatnonzero(br_comp == k)[0]) for k in br_locked]
    unl = np.flatnonzero(~is_locked[N_STATIONS:])
    feeders = [br_locked_idx[1]] + list(np.sort(rng.choice(unl, size=N_BOILER_NETWORKS - 1, replace=False)))
    fed = {}
    for b in feeders:
        ok = (network == None) & ~st_locked  # noqa: E711
        if b == br_locked_idx[1]:
            ok &= ~in_any_zone
        cand = np.flatnonzero(ok)
        d = np.hypot(*(st_xy[cand] - br_xy[b]).T)
        k = 2 if b == br_locked_idx[1] else int(rng.integers(1, 4))
        take = cand[np.argsort(d, kind="stable")[:k]]
        network[take] = br_ids[b]
        fed[b] = take
    src_rows, anchors = NW.source_points()
    free = np.flatnonzero(network == None)  # noqa: E711
    part = NW.partition(st_xy[free], anchors, [s_["weight"] for s_ in src_rows])
    for si in range(len(src_rows)):  # every source heats at least a few stations
        if (part == si).sum() < 4:
            d = np.hypot(*(st_xy[free] - anchors[si]).T)
            part[np.argsort(d, kind="stable")[:4]] = si
    network[free] = np.array([s_["network_id"] for s_ in src_rows], dtype=object)[part]
    load_kw = np.round(area[:N_STATIONS] * rng.uniform(40, 50, N_STATIONS) / 1000.0, 1)

    pipes = []
    for si, src in enumerate(src_rows):
        members = np.flatnonzero(network == src["network_id"])
        root_id, root_xy = src["source_id"], (src["x"], src["y"])
        if src["kind"] == "long_distance":
            jid = f"J-{src['network_id']}-0001"
            pipes.append(
                {
                    "network_id": src["network_id"],
                    "from_id": root_id,
                    "to_id": jid,
                    "dn_mm": int(NW.dn_for(area[members].sum())),
                    "coords": NW.trunk_coords(rng, root_xy, anchors[si]),
                }
            )
            root_id, root_xy = jid, tuple(anchors[si])
        pipes += NW.tree_pipes(
            rng, src["network_id"], root_id, root_xy, site_ids[members], st_xy[members], area[members]
        )
    for b in feeders:
        members = fed[b]
        pipes += NW.tree_pipes(
            rng, br_ids[b], br_ids[b], tuple(br_xy[b]), site_ids[members], st_xy[members], area[members]
        )

    # ------------------------------------------------ depots, crews, staff
    centres, _ = PP.kmeans(rng, site_xy, N_DEPOTS)
    drows = PP.depot_rows(centres, _district_of(shapely.points(centres), districts))
    dorder = np.array([d_["idx"] for d_ in drows])
    dxy = centres[dorder]
    depot_ids = np.array([d_["depot_id"] for d_ in drows], dtype=object)
    site_depot = depot_ids[PP.nearest(site_xy, dxy)]
    crews = PP.crew_rows(rng, list(depot_ids), N_CREWS, CREW_MEMBERS)

    staff = _staff(
        rng,
        plan,
        zgeom,
        zframe,
        ref,
        ctree,
        cpoly,
        hh,
        st_comp,
        br_comp,
        site_ids,
        site_xy,
        locked_hosts,
        br_locked,
        no_op,
        nos,
        dxy,
        depot_ids,
    )

    # ------------------------------------------------ frames
    named = np.isin(roads["road_class"], ["arterial", "secondary", "ring"])
    ntree = shapely.STRtree(roads["geometry"][named])
    near_road = roads["name"][named][ntree.query_nearest(site_pts, all_matches=False)[1]]
    numbers = rng.integers(1, 400, nS)
    site_dist = cdist[site_comp]
    L = {}
    L["districts"] = gpd.GeoDataFrame(
        districts[["name", "adcode"]], geometry=districts.geometry.values, crs=DEFAULT_CRS
    )
    L["roads"] = _gdf(
        {
            "road_id": [f"R-{k + 1:05d}" for k in range(len(roads["geometry"]))],
            "name": roads["name"],
            "road_class": roads["road_class"],
            "speed_kmh": roads["speed_kmh"],
            "oneway": roads["oneway"],
        },
        roads["geometry"],
    )
    L["compounds"] = _gdf(
        {
            "compound_id": [f"C-{k + 1:04d}" for k in range(nC)],
            "name": cname,
            "district": cdist,
            "households": hh,
            "served_by": site_ids[served],
        },
        cpoly,
    )
    L["heat_sources"] = _gdf(
        {
            "source_id": [s_["source_id"] for s_ in src_rows],
            "name": [s_["name"] for s_ in src_rows],
            "kind": [s_["kind"] for s_ in src_rows],
            "capacity_mw": [
                max(10.0, round(load_kw[network == s_["network_id"]].sum() * 1.15 / 5000) * 5.0) for s_ in src_rows
            ],
            "network_id": [s_["network_id"] for s_ in src_rows],
        },
        shapely.points([(s_["x"], s_["y"]) for s_ in src_rows]),
    )
    cid = L["compounds"]["compound_id"].to_numpy()
    sl = slice(0, N_STATIONS)
    L["stations"] = _gdf(
        {
            "station_id": site_ids[sl],
            "name": [cname[k] + "换热站" for k in st_comp],
            "network_id": network,
            "heated_area_m2": area[sl].astype(float),
            "households": site_hh[sl],
            "design_load_kw": load_kw,
            "compound_id": cid[st_comp],
            "depot_id": site_depot[sl],
            "address": [f"{d_} {rd} {n_}号" for d_, rd, n_ in zip(site_dist[sl], near_road[sl], numbers[sl])],
        },
        site_pts[sl],
    )
    bl = slice(N_STATIONS, nS)
    L["boiler_rooms"] = _gdf(
        {
            "asset_id": br_ids,
            "name": [cname[k] + "燃气锅炉房" for k in br_comp],
            "fuel": "gas",
            "capacity_mw": _boiler_capacity(area[bl] * rng.uniform(50, 60, N_BOILER_ROOMS) / 1e6, fed, load_kw),
            "heated_area_m2": area[bl].astype(float),
            "households": site_hh[bl],
            "compound_id": cid[br_comp],
            "depot_id": site_depot[bl],
        },
        site_pts[bl],
    )
    L["pipes"] = _gdf(
        {
            "pipe_id": [f"PIPE-{k + 1:05d}" for k in range(len(pipes))],
            "network_id": [p["network_id"] for p in pipes],
            "from_id": [p["from_id"] for p in pipes],
            "to_id": [p["to_id"] for p in pipes],
            "dn_mm": [p["dn_mm"] for p in pipes],
        },
        NW.lines([p["coords"] for p in pipes]),
    )
    L["weather"] = build_weather(seed)
    L["depots"] = _gdf(
        {"depot_id": depot_ids, "name": [d_["name"] for d_ in drows], "district": [d_["district"] for d_ in drows]},
        shapely.points(dxy),
    )
    L["crews"] = pd.DataFrame(crews)
    crew_of, staff["depot_id"], staff["assigned_site"] = PP.crew_members(seed, staff, crews, zgeom)
    staff["crew_id"] = crew_of
    L["staff"] = staff[[c for c in staff.columns if c != "geometry"] + ["geometry"]]
    L["lockdown_zones"] = _gdf(
        {
            "zone_id": [z["zone_id"] for z in zrows],
            "name": [z["name"] for z in zrows],
            "level": zframe["level"],
            "start": zframe["start"],
            "end": zframe["end"],
            "source": [z["source"] for z in zrows],
            "notes": [z["notes"] for z in zrows],
        },
        zgeom,
    )
    layers = {name: conform(name, frame) for name, frame in L.items()}
    meta = {
        "name": "呼和浩特演示城市 Hohhot demo city",
        "reference_time": REFERENCE_TIME,
        "crs": DEFAULT_CRS,
        "seed": str(seed),
        "notes": (
            "Synthetic demo city (streets, compounds, stations, staff, lockdown zones are "
            "generated) on Hohhot's real district outlines, built to reproduce the 2022 "
            "reference figures: 812 stations, 93 gas boiler rooms, 85.71 million m2, "
            "626,700 households; at 2022-02-25 08:00 24 stations and 3 boiler rooms locked, "
            "5,159,000 m2, 38,500 households."
        ),
    }
    project = Project(layers, meta)
    if path is not None:
        from heatgis.model.store import save_project

        save_project(project, path, timestamp=FILE_TIMESTAMP, replace=True, force=force)  # a new file, reproducible
    return project


def _boiler_capacity(own_mw, fed, load_kw) -> np.ndarray:
    """Boiler-room capacity (MW, 0.01): its own area's, plus 1.15 x the design load of the
    stations it feeds (as the heat sources are sized)."""
    cap = np.asarray(own_mw, dtype=float).copy()
    for b, members in fed.items():
        cap[b] += load_kw[members].sum() * 1.15 / 1000.0
    return np.round(cap, 2)


def _gdf(cols, geoms):
    n = len(geoms)
    data = {k: (v if np.ndim(v) else [v] * n) for k, v in cols.items()}
    return gpd.GeoDataFrame(
        data, geometry=gpd.GeoSeries(np.asarray(geoms, dtype=object), crs=DEFAULT_CRS), crs=DEFAULT_CRS
    )
