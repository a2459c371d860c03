"""Crew operations benchmark: the 24-hour plan and a ticket insertion on the demo.

Run: ``python benchmarks/crewops.py [data/hohhot_demo.gpkg]``. Prints, measured in the same run:

* ``plan_operations`` on the demo at 2022-02-25 08:00, 24 h, at the default search limit
  (1.5 s, the ``heatgis crews`` default): its parts (duty, roster, network, search, drive-through)
  and the total, as a ratio against the single-shift view (``plan_routes``: the duty list's visits
  of the day shift through the same ``plan_operations``, 1 s) run here too (target: total under
  5 s on an unloaded machine), and how each shift's search ended (settled / time limit);
* ``insert_ticket`` of one repair ticket into that plan (target under 1 s), and the ratio
  against re-planning the whole horizon;
* the greedy roster against the exact CP-SAT roster (``roster.solve_exact``) on the demo's
  places of one day: places filled by each and their times.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from heatgis.model.store import open_project  # noqa: E402
from heatgis.routing.ops import plan_operations  # noqa: E402
from heatgis.routing.planner import build_graph, plan_routes  # noqa: E402
from heatgis.routing.tickets import insert_ticket, new_ticket  # noqa: E402


def timed(fn, *a, **k):
    t = time.perf_counter()
    out = fn(*a, **k)
    return out, time.perf_counter() - t


def main(path):
    project = open_project(path)
    at = "2022-02-25T08:00"
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (timings scale with it)")
    graph, t_graph = timed(build_graph, project)
    _, t_old = timed(plan_routes, project, at, shift="day", time_limit=1.0, graph=graph)
    plan, t_ops = timed(plan_operations, project, at, 24, time_limit=1.5, graph=graph)
    s = plan.stats
    c = plan.coverage()
    print(f"road graph {t_graph:.2f} s (shared by both planners below)")
    print(f"single-shift view, plan_routes (day, 1 s search): {t_old:.2f} s")
    print(
        f"24-hour plan (1.5 s search): {t_ops:.2f} s = duty {s['duty_s']:.2f} + roster {s['roster_s']:.2f} + "
        f"network {s['network_s']:.2f} ({s['matrices']} closure sets of {s['slices']} slices) + search "
        f"{s['solve_s']:.2f} + drive-through {t_ops - s['duty_s'] - s['roster_s'] - s['network_s'] - s['solve_s']:.2f}"
        f"  -> ratio to the single shift {t_ops / t_old:.2f}x"
    )
    ended = s["stopped"].split(",")
    print(f"  search per shift model: {ended.count('settled')} of {len(ended)} settled before their share of the limit")
    print(
        f"  {s['vehicles']} vehicle shifts, {s['nodes']} stops to place; presence {c['presence_filled']}/"
        f"{c['presence_required']}, all places {c['places_filled']}/{c['places_required']}, patrols "
        f"{c['patrols_done']}/{c['patrols_required']}, unmet {len(plan.unmet)}"
    )
    tk = new_ticket(
        project,
        site_id="ST-0001",
        kind="repair",
        skill="welder",
        priority=1,
        duration_min=90,
        reported="2022-02-25T10:00",
        deadline="2022-02-25T14:00",
        ticket_id="BENCH-1",
    )
    out, t_ins = timed(insert_ticket, plan, tk)
    row = out.tickets.set_index("ticket_id").loc["BENCH-1"]
    print(
        f"ticket inserted in {t_ins:.3f} s ({row['status']}, {row['vehicle_id']}, ETA {row['eta']:%H:%M}) "
        f"-> {t_ins / t_ops:.2f}x a full re-plan"
    )
    from heatgis.routing.ops import _site_depots  # noqa: F401
    from heatgis.routing.roster import Slot, build_roster, crew_members, solve_exact

    m = crew_members(project)
    origin = plan.at
    slots = [
        Slot(p.place_id, p.skill, (p.start - origin).total_seconds() - 900, (p.end - origin).total_seconds() + 600)
        for p in plan.places.itertuples()
    ]
    g, t_g = timed(build_roster, m, slots, [], plan.rules.max_hours_24h, plan.rules.min_rest_h)
    e, t_e = timed(solve_exact, m, slots, plan.rules.max_hours_24h, plan.rules.min_rest_h, 20.0)
    print(
        f"roster of {len(slots)} places, {len(m)} members: greedy {len(g.assigned)} filled in {t_g:.3f} s, "
        f"CP-SAT {e} in {t_e:.2f} s -> greedy/exact {len(g.assigned) / max(e, 1):.3f}, "
        f"speed {t_e / max(t_g, 1e-6):.0f}x"
    )


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ROOT / "data" / "hohhot_demo.gpkg")
