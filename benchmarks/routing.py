"""Crew-routing benchmark: travel-time matrices and the OR-Tools plan against nearest-neighbour.

Run: ``python benchmarks/routing.py [data/hohhot_demo.gpkg]``. Prints

* graph build and matrix times for all depots and locked sites on the demo and on
  the 10x tiled city (ratio 10x / demo; target: demo matrix under 1 s);
* the end-to-end ``plan_routes`` time with a 1 s search (target: within 2 s);
* total travel time of the OR-Tools plan after 1 s and 10 s and of a
  nearest-neighbour plan of the same instance, for the demo duty list and for
  300 stops (ratio OR-Tools / nearest-neighbour; target on 300 stops <= 0.80).
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from heatgis.analysis.impact import ImpactEngine  # noqa: E402
from heatgis.model.store import open_project  # noqa: E402
from heatgis.routing.barriers import apply_barriers, stop_access, stop_matrix  # noqa: E402
from heatgis.routing.planner import (build_graph, crews_on_shift, duty_list, plan_routes,  # noqa: E402
                                     shift_window, site_points)
from heatgis.routing.vrp import VrpProblem, nearest_neighbour, solve  # noqa: E402


def timed(fn, *a, **k):
    t = time.perf_counter()
    out = fn(*a, **k)
    return out, time.perf_counter() - t


def matrix_case(project, label):
    at = project.reference_time
    zones = project.layer("lockdown_zones")
    g, t_graph = timed(build_graph, project)
    locked = ImpactEngine(project).compute(zones, at).sites["id"].astype(str).tolist()
    sp = site_points(project).set_index("site_id")
    dep = project.layer("depots")
    ids = [f"depot:{d}" for d in dep["depot_id"]] + [f"site:{s}" for s in locked]
    geoms = list(dep.geometry) + [sp.at[s, "geometry"] for s in locked]
    t0 = time.perf_counter()
    ga = g.attach(np.array(geoms, dtype=object), ids)
    bg = apply_barriers(ga, zones, at)
    acc = stop_access(bg, ids)
    t_prep = time.perf_counter() - t0
    m, t_mat = timed(stop_matrix, bg, acc)
    finite = np.isfinite(m).mean()
    print(f"{label:>6}: graph {g.n_nodes:,} nodes / {g.n_arcs:,} arcs built in {t_graph:.2f} s; "
          f"{len(ids)} stops ({len(dep)} depots + {len(locked)} locked sites): attach+barriers+legs "
          f"{t_prep:.2f} s, matrix {t_mat:.3f} s (total {t_prep + t_mat:.2f} s), {finite:.0%} of pairs reachable")
    return t_prep + t_mat


def vrp_case(label, project, sites, crews, service_s):
    """Matrix for crews' depots + sites, then OR-Tools 1 s / 10 s vs nearest-neighbour."""
    at = project.reference_time
    sp = site_points(project).set_index("site_id")
    depots = list(dict.fromkeys(crews["depot_id"]))
    dgeom = dict(zip(crews["depot_id"], crews["geometry"]))
    ids = [f"depot:{d}" for d in depots] + [f"site:{s}" for s in sites]
    geoms = [dgeom[d] for d in depots] + [sp.at[s, "geometry"] for s in sites]
    g = build_graph(project).attach(np.array(geoms, dtype=object), ids)
    bg = apply_barriers(g, project.layer("lockdown_zones"), at)
    acc = stop_access(bg, ids)
    m, t_mat = timed(stop_matrix, bg, acc)
    ok = np.isfinite(m[: len(depots)]).all(axis=0) & np.isfinite(m[:, : len(depots)]).all(axis=1)
    visits = np.flatnonzero(ok)[np.flatnonzero(ok) >= len(depots)]
    travel = np.where(np.isfinite(m), np.round(m), 10 ** 7).astype(np.int64)
    s0 = crews["shift_start"].min()
    shifts = [(int((c.shift_start - s0).total_seconds()), int((c.shift_end - s0).total_seconds()))
              for c in crews.itertuples()]
    pos = {d: i for i, d in enumerate(depots)}
    starts = [pos[d] for d in crews["depot_id"]]
    service = np.r_[np.zeros(len(depots)), np.full(len(sites), service_s)].astype(np.int64)
    prob = VrpProblem(travel, service, visits, starts, starts, shifts)
    nn, t_nn = timed(nearest_neighbour, prob)
    print(f"\n{label}: {len(visits)} reachable visits, {len(crews)} crews, service {service_s / 60:.0f} min "
          f"(matrix {t_mat:.2f} s)")
    print(f"  nearest-neighbour : {nn.travel_s / 3600:7.2f} h driving, {len(visits) - len(nn.dropped)} served, "
          f"{sum(1 for r in nn.routes if r)} crews used ({t_nn * 1000:.0f} ms)")
    for limit in (1.0, 10.0):
        sol, t = timed(solve, prob, limit)
        print(f"  OR-Tools {limit:4.0f} s   : {sol.travel_s / 3600:7.2f} h driving, "
              f"{len(visits) - len(sol.dropped)} served, {sum(1 for r in sol.routes if r)} crews used, "
              f"latest return {max(sol.ends_s) / 3600:.1f} h into the shift ({t:.1f} s); "
              f"ratio to nearest-neighbour {sol.travel_s / max(nn.travel_s, 1):.2f}")
        sol0, _ = timed(solve, prob, limit, span_cost=0)
        print(f"  (no span cost)    : {sol0.travel_s / 3600:7.2f} h driving, "
              f"{sum(1 for r in sol0.routes if r)} crews used; ratio {sol0.travel_s / max(nn.travel_s, 1):.2f}")


def main(path=ROOT / "data" / "hohhot_demo.gpkg"):
    project = open_project(path)
    at = project.reference_time
    print(f"HeatGIS routing benchmark on {path} at {at:%Y-%m-%d %H:%M}\n")
    demo_s = matrix_case(project, "demo")
    from heatgis.sample import tile_project

    big = tile_project(project, k=10)
    big.meta["reference_time"] = project.meta["reference_time"]
    big_s = matrix_case(big, "10x")
    print(f"matrix 10x / demo: {big_s / demo_s:.1f}x (target demo < 1 s: {'met' if demo_s < 1 else 'MISSED'})")

    g = build_graph(project)
    duty, source = duty_list(project, at, duty="auto")
    plan_routes(project, graph=g, duty=duty, time_limit=0.2)  # warm-up (imports)
    plan, t_plan = timed(plan_routes, project, graph=g, duty=duty, time_limit=1.0)
    print(f"\nplan_routes (duty list '{source}', {len(duty)} sites, 1 s search, graph prebuilt): "
          f"{t_plan:.2f} s end to end (target within 2 s: {'met' if t_plan <= 2 else 'MISSED'}); "
          f"steps {({k: v for k, v in plan.stats.items() if k.endswith('_s')})}")
    _, t_auto = timed(plan_routes, project, graph=g, time_limit=1.0)
    print(f"plan_routes with the staffing step and the duty list computed inside: {t_auto:.2f} s")

    s_start, _ = shift_window(at, "day")
    day = crews_on_shift(project, s_start, "day")
    vrp_case(f"demo duty list ({source})", project, duty["site_id"].tolist(), day, 40 * 60)
    locked = duty_list(project, at, duty="locked")[0]
    vrp_case("demo, all locked sites", project, locked["site_id"].tolist(), day, 40 * 60)
    night = crews_on_shift(project, s_start + pd.Timedelta(hours=12), "night")
    night = night.assign(shift_start=night["shift_start"] - pd.Timedelta(hours=12),
                         shift_end=night["shift_end"] - pd.Timedelta(hours=12))
    crews = pd.concat([day, night], ignore_index=True)  # all 15 crews on one shift
    rng = np.random.default_rng(20220225)
    st = project.layer("stations")["station_id"].astype(str).to_numpy()
    stops300 = sorted(rng.choice(st, 300, replace=False).tolist())
    vrp_case("300 stops (random stations, all 15 crews)", project, stops300, crews, 15 * 60)


if __name__ == "__main__":
    main(*sys.argv[1:])
