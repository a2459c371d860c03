"""Heat balance speed: the vectorized balance against a plain per-station Python loop, in the same run.

    python benchmarks/heat.py [--repeat N] [--hours 72]

For the demo (812 stations, 93 boiler rooms, 30 networks) and the 10x city (8,120 stations),
over 72 hours of the demo's weather:

- ``full``: ``heat_balance(project, engine=...)``, everything ``heatgis heat`` computes after the
  project is open and indexed (weather, the zones' uplift hour by hour, loads, the balance per
  network and boiler room, the risk ranking);
- ``core``: the loads and the balance per network alone, vectorized (hours x stations arrays);
- ``loop``: the same loads and balance as a plain Python loop over stations and hours (the
  baseline), given the same temperatures and uplift shares; its network demand is checked
  against the vectorized one.

Target: full < 50 ms on the demo.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from heatgis.analysis.heat import (
    _boilers,
    _stations,
    heat_balance,
    horizon,
    hourly_temperature,
    locked_share,
)
from heatgis.analysis.heat_networks import _group
from heatgis.analysis.impact import ImpactEngine
from heatgis.analysis.staffing.rules import HeatRules
from heatgis.model.store import open_project

DEMO = Path(__file__).resolve().parents[1] / "data" / "hohhot_demo.gpkg"


def best(fn, repeat):
    times = []
    out = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times) * 1e3, out


def inputs(project, engine, hours):
    rules = HeatRules()
    hrs = horizon(project.reference_time, hours)
    tout, _ = hourly_temperature(project.layer("weather"), hrs)
    st, br = _stations(project), _boilers(project, rules)
    share, _, _, _ = locked_share(engine, project.layer("lockdown_zones"), hrs, st["station_id"], br["asset_id"])
    return rules, tout, st, share


def core(rules, tout, st, share):
    """Loads and network demand, vectorized (what ``heat_balance`` does for the stations)."""
    f = np.clip((rules.indoor_c - tout) / (rules.indoor_c - rules.design_outdoor_c), 0.0, None)
    load = np.outer(f, st["design_load_kw"].to_numpy(float)) * (1.0 + rules.lockdown_uplift * share)
    names, order, starts = _group(st["network_id"].to_numpy(dtype=object).astype(str))
    return names, np.add.reduceat(load[:, order], starts, axis=1) / 1000.0


def loop(rules, tout, st, share):
    """The baseline: one station and one hour at a time, into a dict per network."""
    design = st["design_load_kw"].tolist()
    nets = st["network_id"].astype(str).tolist()
    temps = tout.tolist()
    sh = share.tolist()
    span = rules.indoor_c - rules.design_outdoor_c
    demand: dict[str, list[float]] = {}
    for s in range(len(design)):
        row = demand.setdefault(nets[s], [0.0] * len(temps))
        for h, t in enumerate(temps):
            f = (rules.indoor_c - t) / span
            if f < 0:
                f = 0.0
            row[h] += design[s] * f * (1.0 + rules.lockdown_uplift * sh[h][s]) / 1000.0
    return demand


def run(name, project, hours, repeat):
    t0 = time.perf_counter()
    engine = ImpactEngine(project)
    build = (time.perf_counter() - t0) * 1e3
    full_ms, result = best(lambda: heat_balance(project, hours=hours, engine=engine), repeat)
    args = inputs(project, engine, hours)
    core_ms, (names, dem) = best(lambda: core(*args), repeat)
    loop_ms, ref = best(lambda: loop(*args), max(1, min(repeat, 3)))
    for j, n in enumerate(names):
        assert np.allclose(dem[:, j], ref[n], rtol=1e-9, atol=1e-9), n
    S = len(args[2])
    print(f"{name}: {S} stations x {hours} h, {len(result.networks)} networks (engine built once: {build:.0f} ms)")
    print(f"  full heat_balance   {full_ms:8.1f} ms")
    print(f"  core (vectorized)   {core_ms:8.2f} ms")
    print(
        f"  loop (per station)  {loop_ms:8.1f} ms   loop/core = {loop_ms / core_ms:,.0f}x, "
        f"loop/full = {loop_ms / full_ms:,.1f}x"
    )
    return full_ms


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=10)
    ap.add_argument("--hours", type=int, default=72)
    a = ap.parse_args()
    project = open_project(DEMO)
    full = run("demo", project, a.hours, a.repeat)
    print(f"  target full < 50 ms on the demo: {'met' if full < 50 else 'NOT met'}")
    from heatgis.sample.scale import tile_project

    run("10x city", tile_project(project, 10), a.hours, max(1, a.repeat // 2))


if __name__ == "__main__":
    main()
