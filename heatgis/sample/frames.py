"""The demo city's contract layers, made from the generator's steps (``sample.demo``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from heatgis.model.schema import DEFAULT_CRS
from heatgis.sample import networks as NW
from heatgis.sample.weather import build_weather

if TYPE_CHECKING:
    from heatgis.sample.demo import City, Demand, Networks, People, Sites, Zones


def contract_layers(
    rng, seed, city: City, sites: Sites, demand: Demand, zones: Zones, nets: Networks, people: People
) -> dict:
    """Every layer of the contract (not yet conformed), in the order the demo file keeps them."""
    named = np.isin(city.roads["road_class"], ["arterial", "secondary", "ring"])
    ntree = shapely.STRtree(city.roads["geometry"][named])
    near_road = city.roads["name"][named][ntree.query_nearest(sites.pts, all_matches=False)[1]]
    numbers = rng.integers(1, 400, len(sites.ids))
    addresses = [f"{d_} {rd} {n_}号" for d_, rd, n_ in zip(city.cdist[sites.comp], near_road, numbers)]
    L = city_layers(city, sites, demand)
    L.update(network_layers(rng, city, sites, demand, nets, addresses, people.site_depot))
    L["weather"] = build_weather(seed)
    L.update(people_layers(people))
    L["lockdown_zones"] = _gdf(
        {
            "zone_id": [z["zone_id"] for z in zones.rows],
            "name": [z["name"] for z in zones.rows],
            "level": zones.frame["level"],
            "start": zones.frame["start"],
            "end": zones.frame["end"],
            "source": [z["source"] for z in zones.rows],
            "notes": [z["notes"] for z in zones.rows],
        },
        zones.geom,
    )
    return L


def city_layers(city: City, sites: Sites, demand: Demand) -> dict:
    """districts, roads, compounds."""
    districts, roads = city.districts, city.roads
    return {
        "districts": gpd.GeoDataFrame(
            districts[["name", "adcode"]], geometry=districts.geometry.values, crs=DEFAULT_CRS
        ),
        "roads": _gdf(
            {
                "road_id": [f"R-{k + 1:05d}" for k in range(len(roads["geometry"]))],
                "name": roads["name"],
                "road_class": roads["road_class"],
                "speed_kmh": roads["speed_kmh"],
                "oneway": roads["oneway"],
            },
            roads["geometry"],
        ),
        "compounds": _gdf(
            {
                "compound_id": _compound_ids(city),
                "name": city.cname,
                "district": city.cdist,
                "households": demand.hh,
                "served_by": sites.ids[sites.served],
            },
            city.cpoly,
        ),
    }


def network_layers(rng, city: City, sites: Sites, demand: Demand, nets: Networks, addresses, site_depot) -> dict:
    """heat_sources, stations, boiler_rooms, pipes."""
    src_rows, network, load_kw, pipes = nets.src_rows, nets.network, nets.load_kw, nets.pipes
    cname, cid = city.cname, _compound_ids(city)
    n_st, area = len(sites.st_comp), demand.area
    sl, bl = slice(0, n_st), slice(n_st, len(sites.ids))
    return {
        "heat_sources": _gdf(
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
        ),
        "stations": _gdf(
            {
                "station_id": sites.ids[sl],
                "name": [cname[k] + "换热站" for k in sites.st_comp],
                "network_id": network,
                "heated_area_m2": area[sl].astype(float),
                "households": demand.site_hh[sl],
                "design_load_kw": load_kw,
                "compound_id": cid[sites.st_comp],
                "depot_id": site_depot[sl],
                "address": addresses[sl],
            },
            sites.pts[sl],
        ),
        "boiler_rooms": _gdf(
            {
                "asset_id": sites.ids[bl],
                "name": [cname[k] + "燃气锅炉房" for k in sites.br_comp],
                "fuel": "gas",
                "capacity_mw": _boiler_capacity(
                    area[bl] * rng.uniform(50, 60, len(sites.br_comp)) / 1e6, nets.fed, load_kw
                ),
                "heated_area_m2": area[bl].astype(float),
                "households": demand.site_hh[bl],
                "compound_id": cid[sites.br_comp],
                "depot_id": site_depot[bl],
            },
            sites.pts[bl],
        ),
        "pipes": _gdf(
            {
                "pipe_id": [f"PIPE-{k + 1:05d}" for k in range(len(pipes))],
                "network_id": [p["network_id"] for p in pipes],
                "from_id": [p["from_id"] for p in pipes],
                "to_id": [p["to_id"] for p in pipes],
                "dn_mm": [p["dn_mm"] for p in pipes],
            },
            NW.lines([p["coords"] for p in pipes]),
        ),
    }


def people_layers(people: People) -> dict:
    """depots, crews, staff."""
    staff, drows = people.staff, people.drows
    return {
        "depots": _gdf(
            {
                "depot_id": people.depot_ids,
                "name": [d_["name"] for d_ in drows],
                "district": [d_["district"] for d_ in drows],
            },
            shapely.points(people.dxy),
        ),
        "crews": pd.DataFrame(people.crews),
        "staff": staff[[c for c in staff.columns if c != "geometry"] + ["geometry"]],
    }


def _compound_ids(city: City) -> np.ndarray:
    return np.array([f"C-{k + 1:04d}" for k in range(len(city.cpoly))], dtype=object)


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
