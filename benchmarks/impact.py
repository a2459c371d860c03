"""Impact speed: the vectorized engine against a plain per-zone loop, in the same run.

    python benchmarks/impact.py [--repeat N]

Prints milliseconds and ratios (loop / engine) for the demo and the 10x city
(8,120 stations, ~20,000 compounds, ~1,000 zones): the full impact at the
reference time, and the one-zone incremental update of the live session.
Targets: demo full < 20 ms, incremental < 2 ms, 10x full < 300 ms.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from heatgis.analysis.impact import ImpactEngine
from heatgis.analysis.sites import site_frame
from heatgis.model.schema import LOCKING_LEVELS
from heatgis.model.store import open_project

DEMO = Path(__file__).resolve().parents[1] / "data" / "hohhot_demo.gpkg"


def best(fn, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times) * 1e3, out


def per_zone_loop(project, at):
    """The baseline: one geopandas predicate call per active locking zone, then a union."""
    sites, geoms = site_frame(project)
    import geopandas as gpd

    pts = gpd.GeoSeries(geoms)
    staff = project.layer("staff").geometry
    zones = project.layer("lockdown_zones")
    t = pd.Timestamp(at)
    active = (zones["start"] <= t) & (zones["end"].isna() | (t < zones["end"])) & zones["level"].isin(LOCKING_LEVELS)
    locked = np.zeros(len(sites), bool)
    staff_locked = np.zeros(len(staff), bool)
    for geom in zones.geometry[active]:
        locked |= pts.intersects(geom).to_numpy()
        staff_locked |= staff.intersects(geom).to_numpy()
    return (
        int((locked & (sites["kind"] == "station")).sum()),
        float(sites["heated_area_m2"][locked].sum()),
        int(staff_locked.sum()),
    )


def run(name, project, repeat):
    at = project.reference_time
    zones = project.layer("lockdown_zones")
    t0 = time.perf_counter()
    engine = ImpactEngine(project)
    build_ms = (time.perf_counter() - t0) * 1e3
    full_ms, res = best(lambda: engine.compute(zones, at), repeat)
    loop_ms, loop = best(lambda: per_zone_loop(project, at), max(1, repeat // 3))
    assert (res.totals.stations, res.totals.heated_area_m2, res.totals.staff_locked_in) == loop, (res.totals, loop)
    session = engine.session(zones, at)
    row = zones.iloc[0]
    moved = [shapely.affinity.translate(row.geometry, dx, 0) for dx in (10.0, 0.0)]
    k = iter(range(10**9))

    def edit():
        session.upsert_zone(row["zone_id"], moved[next(k) % 2], row["level"], row["start"], row["end"])
        return session.totals()

    inc_ms, _ = best(edit, repeat * 5)
    print(
        f"{name}: {len(engine.sites)} sites, {len(zones)} zones, {len(engine.staff)} staff homes, "
        f"{len(engine.compounds)} compounds"
    )
    print(f"  engine build (indexes, once per project)      {build_ms:9.2f} ms")
    print(
        f"  full impact at {at:%Y-%m-%d %H:%M}           {full_ms:9.2f} ms   "
        f"per-zone loop {loop_ms:9.2f} ms   ratio loop/engine {loop_ms / full_ms:6.1f}x"
    )
    print(
        f"  one-zone incremental update + totals          {inc_ms:9.3f} ms   "
        f"(redoing the loop {loop_ms:9.2f} ms)  ratio {loop_ms / inc_ms:8.1f}x"
    )
    return full_ms, inc_ms


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--scale", type=int, default=10)
    args = ap.parse_args()
    from heatgis.sample import tile_project

    demo = open_project(DEMO)
    d_full, d_inc = run("demo", demo, args.repeat)
    big = tile_project(demo, args.scale)
    b_full, b_inc = run(f"{args.scale}x city", big, max(3, args.repeat // 3))
    print(
        f"targets: demo full < 20 ms ({d_full:.1f}), incremental < 2 ms ({d_inc:.3f}), "
        f"{args.scale}x full < 300 ms ({b_full:.1f})"
    )


if __name__ == "__main__":
    main()
