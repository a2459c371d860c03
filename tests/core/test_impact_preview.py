"""The figures that follow the pointer while a zone is drawn: ImpactSession.preview."""

from __future__ import annotations

import dataclasses

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from heatgis.analysis.impact import ImpactEngine
from heatgis.model.store import open_project
from tests.conftest import DEMO

AT = "2022-02-25T08:00"


@pytest.fixture(scope="module")
def demo():
    project = open_project(DEMO)
    return project, ImpactEngine(project)


def _sketches(project, n=12, seed=3):
    """Random drawn-looking polygons over the city (some over locked sites, some not)."""
    rng = np.random.default_rng(seed)
    st = project.layer("stations")
    x0, y0, x1, y1 = st.total_bounds
    out = []
    for _ in range(n):
        cx, cy = rng.uniform(x0, x1), rng.uniform(y0, y1)
        r = rng.uniform(300, 2500)
        ang = np.sort(rng.uniform(0, 2 * np.pi, 7))
        rad = r * rng.uniform(0.5, 1.0, 7)
        out.append(shapely.Polygon(np.c_[cx + rad * np.cos(ang), cy + rad * np.sin(ang)]))
    return out


def _fields(t):
    d = dataclasses.asdict(t)
    d.pop("at")
    return d


@pytest.mark.parametrize("level", ["sealed", "precaution"])
def test_preview_equals_adding_the_zone_then_taking_it_away(demo, level):
    project, engine = demo
    s = engine.session(project.layer("lockdown_zones"), AT)
    before = _fields(s.totals())
    for k, geom in enumerate(_sketches(project)):
        got = _fields(s.preview(geom, level))
        s.upsert_zone(f"sketch-{k}", geom, level, "2022-02-20T00:00")
        assert got == _fields(s.totals())
        s.remove_zone(f"sketch-{k}")
        assert _fields(s.totals()) == before  # preview changed nothing


def test_preview_replacing_a_zone_equals_editing_it(demo):
    project, engine = demo
    zones = project.layer("lockdown_zones")
    s = engine.session(zones, AT)
    at = pd.Timestamp(AT)
    active = (pd.to_datetime(zones["start"]) <= at) & (
        pd.to_datetime(zones["end"]).isna() | (pd.to_datetime(zones["end"]) > at)
    )
    picks = [zones[active & (zones["level"] == "sealed")].iloc[0], zones[~active].iloc[0]]
    picks.append(zones[active & (zones["level"] == "precaution")].iloc[0])
    for zone in picks:
        moved = shapely.affinity.translate(zone.geometry, 800, -400)
        got = _fields(s.preview(moved, str(zone["level"]), replace=str(zone["zone_id"])))
        end = None if pd.isna(zone["end"]) else zone["end"]
        s.upsert_zone(str(zone["zone_id"]), moved, str(zone["level"]), zone["start"], end, str(zone["name"]))
        assert got == _fields(s.totals())


def test_preview_against_a_plain_geopandas_recount(demo):
    """Independent route: the sites inside any active locking zone or the sketch, by geopandas sjoin."""
    project, engine = demo
    zones = project.layer("lockdown_zones")
    s = engine.session(zones, AT)
    at = pd.Timestamp(AT)
    start = pd.to_datetime(zones["start"])
    end = pd.to_datetime(zones["end"])
    active = (start <= at) & (end.isna() | (end > at)) & zones["level"].isin(["sealed", "controlled"])
    sites = pd.concat([project.layer("stations"), project.layer("boiler_rooms")], ignore_index=True)
    for geom in _sketches(project, n=6, seed=11):
        locking = gpd.GeoDataFrame(geometry=list(zones.geometry[active]) + [geom], crs=zones.crs)
        hit = gpd.sjoin(sites, locking, predicate="intersects")
        inside = sites.loc[np.unique(hit.index)]
        t = s.preview(geom, "sealed")
        assert t.stations + t.boiler_rooms == len(inside)
        assert t.households == int(inside["households"].sum())
        assert t.heated_area_m2 == pytest.approx(float(inside["heated_area_m2"].sum()))
