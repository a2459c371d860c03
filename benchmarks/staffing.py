"""Staffing plan: the exact solver against a nearest-first greedy baseline, same run, same candidates.

Run: python benchmarks/staffing.py [--k 10] [--repeat 3]

For the demo and the k-times tiled city (heatgis.sample.tile_project) at the
reference time it prints: the time to build the candidates (impact + zones +
skills + distances, shared by both methods), the solve time of the exact solver
(min-cost flow + CP-SAT completion) and of greedy, their ratio, and the quality
ratio solver / greedy of sites fully staffed and places filled. Target: the
solver under 1 s on the 10x city.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def best_of(fn, repeat):
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def run(name, project, repeat):
    from heatgis.analysis.impact import ImpactEngine
    from heatgis.analysis.staffing import StaffingProblem

    t_build, problem = best_of(lambda: StaffingProblem(project), 1)
    engine = ImpactEngine(project)
    t_warm, _ = best_of(lambda: StaffingProblem(project, engine=engine), repeat)
    t_opt, opt = best_of(lambda: problem.solve(), repeat)
    t_gr, gr = best_of(lambda: problem.solve(method="greedy"), repeat)
    o, g = opt.totals, gr.totals
    print(
        f"\n{name}: {o['locked_sites']} locked sites, {o['staff_locked_in']} staff locked in, "
        f"{len(problem.ep)} candidate pairs, {o['places_needed']} places + {o['on_call_needed']} on call"
    )
    print(f"  build candidates (shared)      {t_build:8.3f} s   with a ready ImpactEngine (GUI) {t_warm:.3f} s")
    print(f"  solve exact ({opt.solver['method']}, {opt.solver['refined_groups']} CP-SAT groups) {t_opt:8.3f} s")
    print(f"  solve greedy baseline          {t_gr:8.3f} s   time ratio exact/greedy {t_opt / t_gr:6.2f}")
    print(f"  end to end exact (build+solve) {t_build + t_opt:8.3f} s")
    print(
        f"  sites fully staffed  exact {o['fully_staffed']:5d}  greedy {g['fully_staffed']:5d}  "
        f"ratio {o['fully_staffed'] / max(g['fully_staffed'], 1):.3f}"
    )
    print(
        f"  places filled        exact {o['places_filled']:5d}  greedy {g['places_filled']:5d}  "
        f"ratio {o['places_filled'] / max(g['places_filled'], 1):.3f}"
    )
    print(f"  on-call filled       exact {o['on_call_filled']:5d}  greedy {g['on_call_filled']:5d}")
    walk_o = opt.assignments.loc[opt.assignments["site_kind"] != "on_call", "distance_m"].sum()
    walk_g = gr.assignments.loc[gr.assignments["site_kind"] != "on_call", "distance_m"].sum()
    print(f"  total walk m         exact {walk_o:9.0f}  greedy {walk_g:9.0f}")
    print(f"  target: exact solve < 1 s -> {'met' if t_opt < 1.0 else 'NOT met'}")
    return t_opt


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--k", type=int, default=10, help="tiles for the big city (default 10)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--project", default=str(ROOT / "data" / "hohhot_demo.gpkg"))
    args = ap.parse_args(argv)
    from heatgis.model.store import open_project
    from heatgis.sample import tile_project

    demo = open_project(args.project)
    run("demo", demo, args.repeat)
    big = tile_project(demo, args.k)
    run(f"{args.k}x city", big, args.repeat)


if __name__ == "__main__":
    main()
