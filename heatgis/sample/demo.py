"""The deterministic demo city: Hohhot, winter 2022, reproducing the reference figures exactly.

``generate_demo()`` builds every layer of the contract from ``numpy.random.default_rng(seed)``
and Hohhot's real district outlines; the rest (streets, compounds, stations, staff, zones) is
synthetic. See data/README.md for the figures it reproduces.

The steps, in the order they draw from the one generator: ``build_city`` (districts, streets,
compounds), ``place_sites`` (the 27 locked sites first, then the rest), ``allocate_demand``
(households and heated area), ``lockdown_zones``, ``heat_networks`` (boiler-room and heat-source
networks, pipes), ``depots_crews_staff``, then ``frames.contract_layers`` (the layers) and
``demo_meta``. Each returns a small dataclass the later steps read.
"""

from __future__ import annotations

from dataclasses import dataclass
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
from heatgis.sample.frames import contract_layers
from heatgis.sample.roads import build_grid, build_roads
from heatgis.sample.scenario import LockPlan, build_zones, locked_sites, plan_locked, zone_frame_rows
from heatgis.sample.staff import build_staff
from heatgis.text import Text

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
            Text("the district outlines for the demo city are missing", "缺少示例城市的行政区边界"),
            Text(
                "restore data/sources/hohhot_districts_amap_gcj02.geojson from the repository "
                "(git checkout -- data/sources), or reinstall HeatGIS",
                "请从代码库恢复 data/sources/hohhot_districts_amap_gcj02.geojson"
                "（git checkout -- data/sources），或重新安装 HeatGIS",
            ),
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


@dataclass
class City:
    """The districts, streets and residential compounds (``c*``: one entry per compound)."""

    districts: gpd.GeoDataFrame
    roads: dict
    cpoly: np.ndarray  # compound outlines
    cen: np.ndarray  # compound centroids (x, y)
    cdist: np.ndarray  # district name of each compound
    cname: list  # compound names
    ctree: shapely.STRtree
    r: np.ndarray  # distance of each compound from the city centre (m)


@dataclass
class Sites:
    """The stations (first ``N_STATIONS``) and boiler rooms, with the compounds they serve."""

    plan: LockPlan
    br_locked: list  # compounds of the locked boiler rooms: BR-A, BR-C (no staff), BR-B
    no_op: list  # compounds of the locked stations without an operator
    st_comp: np.ndarray  # compound of each station
    br_comp: np.ndarray  # compound of each boiler room
    ids: np.ndarray
    pts: np.ndarray
    xy: np.ndarray
    is_locked: np.ndarray
    host_mask: np.ndarray  # bool per compound: holds a site
    served: np.ndarray  # the site serving each compound
    served_locked: np.ndarray  # bool per compound: served by a locked site

    @property
    def comp(self) -> np.ndarray:
        return np.concatenate([self.st_comp, self.br_comp])


@dataclass
class Demand:
    """Households per compound and per site, heated area per site."""

    hh: np.ndarray
    site_hh: np.ndarray
    area: np.ndarray


@dataclass
class Zones:
    """The lockdown zones: their rows, outlines and (start, end, level) frame."""

    rows: list
    geom: np.ndarray
    frame: pd.DataFrame
    ref: pd.Timestamp
    nos: object  # the sealed compounds without a site of their own (scenario.build_zones)


@dataclass
class Networks:
    """Which source or boiler room heats each station, and the pipes."""

    network: np.ndarray  # network_id per station
    src_rows: list  # the heat sources (networks.source_points)
    fed: dict  # boiler-room index -> the stations it feeds
    load_kw: np.ndarray  # design load per station
    pipes: list


@dataclass
class People:
    """Depots, crews and staff."""

    drows: list
    dxy: np.ndarray
    depot_ids: np.ndarray
    site_depot: np.ndarray
    crews: list
    staff: gpd.GeoDataFrame


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
        _refuse_bundled_demo(path)
    # the steps draw from one generator in this order; changing the order changes the city
    rng = np.random.default_rng(seed)
    city = build_city(rng)
    sites = place_sites(rng, city)
    demand = allocate_demand(rng, city, sites)
    zones = lockdown_zones(rng, city, sites)
    nets = heat_networks(rng, sites, zones, demand.area)
    people = depots_crews_staff(rng, seed, city, sites, zones, demand)
    layers = contract_layers(rng, seed, city, sites, demand, zones, nets, people)
    project = Project({name: conform(name, frame) for name, frame in layers.items()}, demo_meta(seed))
    if path is not None:
        from heatgis.model.store import save_project

        save_project(project, path, timestamp=FILE_TIMESTAMP, replace=True, force=force)  # a new file, reproducible
    return project


def _refuse_bundled_demo(path) -> None:
    from heatgis.paths import is_bundled_demo

    if is_bundled_demo(path):
        raise HeatGISError(
            Text(
                "this is the bundled demo project, which HeatGIS does not change by default",
                "这是随软件附带的示例项目，HeatGIS 默认不修改它",
            ),
            Text(
                "write the demo to another file (heatgis demo my.gpkg), or add --force to "
                "regenerate the bundled demo itself",
                "请将示例写入其他文件（heatgis demo my.gpkg），或加上 --force 重新生成附带的示例项目本身",
            ),
            file=path,
        )


def build_city(rng) -> City:
    """The real districts, a street grid on the urban ones, and the compounds between the streets."""
    districts = load_districts()
    urban = shapely.union_all(np.asarray(districts.geometry.values)[districts["name"].isin(URBAN)])
    grid = build_grid(rng, urban)
    roads = build_roads(rng, grid)
    cpoly = build_compounds(rng, grid, roads["geometry"])
    cen = _xy(shapely.centroid(cpoly))
    cdist = _district_of(shapely.points(cen), districts)
    cname = N.compound_names(rng, len(cpoly))
    return City(districts, roads, cpoly, cen, cdist, cname, shapely.STRtree(cpoly), Z.radius(cen))


def place_sites(rng, city: City) -> Sites:
    """The locked 27 sites first (in the compounds the lockdown plan chose), then the rest."""
    cpoly, cen, r = city.cpoly, city.cen, city.r
    nC = len(cpoly)
    plan = plan_locked(rng, cpoly, cen, city.ctree)
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
    is_locked = np.isin(site_comp, locked_hosts)
    host_mask = np.zeros(nC, bool)
    host_mask[site_comp] = True
    # every compound is served by its own site or the nearest one
    served = np.full(nC, -1)
    served[site_comp] = np.arange(nS)
    rest = np.flatnonzero(served < 0)
    served[rest] = shapely.STRtree(site_pts).query_nearest(shapely.points(cen[rest]), all_matches=False)[1]
    return Sites(
        plan,
        br_locked,
        no_op,
        st_comp,
        br_comp,
        site_ids,
        site_pts,
        _xy(site_pts),
        is_locked,
        host_mask,
        served,
        served_locked=is_locked[served],
    )


def allocate_demand(rng, city: City, sites: Sites) -> Demand:
    """Households and heated area: the locked group and the rest allocated separately, to the unit."""
    cpoly, r = city.cpoly, city.r
    nC, nS = len(cpoly), len(sites.ids)
    served, served_locked, is_locked = sites.served, sites.served_locked, sites.is_locked
    hw = shapely.area(cpoly) * rng.lognormal(0, 0.35, nC) * (1 + 1.5 * np.exp(-r / 4000))
    hh = np.zeros(nC, dtype=np.int64)
    hh[served_locked] = largest_remainder(LOCKED_HOUSEHOLDS, hw[served_locked], minimum=60)
    hh[~served_locked] = largest_remainder(TOTAL_HOUSEHOLDS - LOCKED_HOUSEHOLDS, hw[~served_locked], minimum=40)
    site_hh = np.bincount(served, weights=hh, minlength=nS).astype(np.int64)
    aw = site_hh * rng.uniform(0.85, 1.15, nS)
    area = np.zeros(nS, dtype=np.int64)
    area[is_locked] = largest_remainder(LOCKED_AREA, aw[is_locked])
    area[~is_locked] = largest_remainder(TOTAL_AREA - LOCKED_AREA, aw[~is_locked])
    return Demand(hh, site_hh, area)


def lockdown_zones(rng, city: City, sites: Sites) -> Zones:
    """The zones of the scenario; at the reference time they lock exactly the planned sites."""
    zl, nos, _early = build_zones(
        rng, sites.plan, city.cpoly, city.cen, city.cname, city.ctree, sites.host_mask, sites.served_locked
    )
    zrows = zone_frame_rows(zl)
    zgeom = np.array([z["geometry"] for z in zrows], dtype=object)
    zframe = pd.DataFrame({k: [z[k] for z in zrows] for k in ("start", "end", "level")})
    ref = pd.Timestamp(REFERENCE_TIME)
    got = locked_sites(sites.pts, zgeom, Z.active_locking(zframe, ref))
    if not np.array_equal(got, sites.is_locked):
        raise RuntimeError("demo generator: the locked sites do not match the plan")
    return Zones(zrows, zgeom, zframe, ref, nos)


def heat_networks(rng, sites: Sites, zones: Zones, area) -> Networks:
    """Boiler rooms feeding a few stations each, the heat sources' networks over the rest, the pipes."""
    st_xy, br_xy = sites.xy[:N_STATIONS], sites.xy[N_STATIONS:]
    br_ids = sites.ids[N_STATIONS:]
    fed, network = _boiler_networks(rng, sites, zones)
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
            rng, src["network_id"], root_id, root_xy, sites.ids[members], st_xy[members], area[members]
        )
    for b, members in fed.items():
        pipes += NW.tree_pipes(
            rng, br_ids[b], br_ids[b], tuple(br_xy[b]), sites.ids[members], st_xy[members], area[members]
        )
    return Networks(network, src_rows, fed, load_kw, pipes)


def _boiler_networks(rng, sites: Sites, zones: Zones) -> tuple[dict, np.ndarray]:
    """``N_BOILER_NETWORKS`` boiler rooms each feeding the nearest 1-3 free stations (the locked
    BR-C two stations outside every zone); (fed: boiler-room index -> stations, network per station)."""
    st_xy, br_xy = sites.xy[:N_STATIONS], sites.xy[N_STATIONS:]
    st_locked = sites.is_locked[:N_STATIONS]
    in_any_zone = locked_sites(sites.pts, zones.geom, np.ones(len(zones.geom), bool))[:N_STATIONS]
    network = np.full(N_STATIONS, None, dtype=object)
    br_ids = sites.ids[N_STATIONS:]
    br_c = int(np.flatnonzero(sites.br_comp == sites.br_locked[1])[0])
    unl = np.flatnonzero(~sites.is_locked[N_STATIONS:])
    feeders = [br_c] + list(np.sort(rng.choice(unl, size=N_BOILER_NETWORKS - 1, replace=False)))
    fed = {}
    for b in feeders:
        ok = (network == None) & ~st_locked  # noqa: E711
        if b == br_c:
            ok &= ~in_any_zone
        cand = np.flatnonzero(ok)
        d = np.hypot(*(st_xy[cand] - br_xy[b]).T)
        k = 2 if b == br_c else int(rng.integers(1, 4))
        take = cand[np.argsort(d, kind="stable")[:k]]
        network[take] = br_ids[b]
        fed[b] = take
    return fed, network


def depots_crews_staff(rng, seed, city: City, sites: Sites, zones: Zones, demand: Demand) -> People:
    """Depots at k-means centres of the sites, the crews at them, the staff and the crews' members."""
    centres, _ = PP.kmeans(rng, sites.xy, N_DEPOTS)
    drows = PP.depot_rows(centres, _district_of(shapely.points(centres), city.districts))
    dxy = centres[np.array([d_["idx"] for d_ in drows])]
    depot_ids = np.array([d_["depot_id"] for d_ in drows], dtype=object)
    site_depot = depot_ids[PP.nearest(sites.xy, dxy)]
    crews = PP.crew_rows(rng, list(depot_ids), N_CREWS, CREW_MEMBERS)
    staff = build_staff(rng, city, sites, zones, demand, dxy, depot_ids)
    crew_of, staff["depot_id"], staff["assigned_site"] = PP.crew_members(seed, staff, crews, zones.geom)
    staff["crew_id"] = crew_of
    return People(drows, dxy, depot_ids, site_depot, crews, staff)


def demo_meta(seed) -> dict:
    """The project metadata of the demo."""
    return {
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
