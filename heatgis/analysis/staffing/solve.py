"""The staffing assignment as a network problem, solved exactly (and a greedy baseline).

The problem in plain arrays: people ``0..n-1``; demands (a locked site's places,
or a zone's on-call places) each with ``need`` places and a ``reward`` per filled
place; candidate edges (person, demand, cost). A person fills at most one place.

``solve_optimal`` is lexicographic:

1. the most places filled, weighted by the demand's reward (a site place is
   worth more than an on-call place), then the least cost (cost = walking
   distance in metres + a penalty for living outside the site's compound) - one
   min-cost flow (OR-Tools ``SimpleMinCostFlow``), exact;
2. among plans that fill as many places, the most sites fully staffed: a site
   half-staffed still needs the crews, so it is better to complete one site than
   to spread people over two. The flow cannot express "all or nothing", so every
   connected group of sites where two or more are left short is re-solved with
   CP-SAT (OR-Tools), the flow's plan as a hint and its counts of filled places
   fixed. Filling the most places and completing the most sites never conflict:
   an augmenting path keeps every filled place filled.

``solve_greedy`` is the baseline a dispatcher would do by hand: nearest
candidate first, site places before on-call places.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from heatgis.analysis.graphs import connected_labels

SITE_REWARD = 10**9  # one more site place beats any on-call place and any distance
CALL_REWARD = 10**8  # one more on-call place beats any distance
FULL_BONUS = 10**10  # one more fully staffed site (CP-SAT stage), beats any distance sum


@dataclass
class Solution:
    chosen: np.ndarray  # bool per edge
    method: str
    status: str
    refined_groups: int = 0


def solve_optimal(
    n_people: int,
    need: np.ndarray,
    is_site: np.ndarray,
    ep: np.ndarray,
    ed: np.ndarray,
    cost: np.ndarray,
    time_limit_s: float = 2.0,
) -> Solution:
    """Exact plan: most places, then most full sites, then least cost.

    Parameters
    ----------
    n_people : int
    need : int array, one per demand (places still open)
    is_site : bool array, one per demand (False = on-call)
    ep, ed : int arrays, one per edge: person and demand index
    cost : int array, one per edge (>= 0)
    time_limit_s : float
        Per CP-SAT group; the flow's plan is kept where CP-SAT finds nothing better.
    """
    from ortools.graph.python import min_cost_flow

    m = len(ep)
    if m == 0 or need.sum() == 0:
        return Solution(np.zeros(m, bool), "min_cost_flow", "optimal")
    nd = len(need)
    reward = np.where(is_site, SITE_REWARD, CALL_REWARD).astype(np.int64)
    src, sink = 0, 1 + n_people + nd
    people = np.unique(ep)
    tails = np.concatenate([np.zeros(len(people), np.int64), 1 + ep, 1 + n_people + np.arange(nd), [src]])
    heads = np.concatenate([1 + people, 1 + n_people + ed, np.full(nd, sink), [sink]])
    caps = np.concatenate([np.ones(len(people), np.int64), np.ones(m, np.int64), need.astype(np.int64), [len(people)]])
    costs = np.concatenate([np.zeros(len(people), np.int64), cost.astype(np.int64), -reward, [0]])
    f = min_cost_flow.SimpleMinCostFlow()
    arcs = f.add_arcs_with_capacity_and_unit_cost(tails.astype(np.int32), heads.astype(np.int32), caps, costs)
    f.set_nodes_supplies(np.array([src, sink], np.int32), np.array([len(people), -len(people)], np.int64))
    status = f.solve()
    if status != f.OPTIMAL:
        raise RuntimeError(f"the min-cost flow failed (status {status})")
    flows = f.flows(arcs[len(people) : len(people) + m])
    chosen = flows > 0
    sol = Solution(chosen, "min_cost_flow", "optimal")
    _complete_sites(sol, n_people, need, is_site, ep, ed, cost, time_limit_s)
    return sol


def _complete_sites(sol, n_people, need, is_site, ep, ed, cost, time_limit_s) -> None:
    """CP-SAT over each group of connected demands where two or more sites stay short."""
    nd = len(need)
    filled = np.bincount(ed[sol.chosen], minlength=nd)
    short_site = is_site & (filled < need) & (need > 0)
    if short_site.sum() < 2:
        return
    label = connected_labels(n_people + nd, ep, n_people + ed)
    dlabel = label[n_people:]
    counts = np.bincount(dlabel[short_site], minlength=label.max() + 1)
    for comp in np.flatnonzero(counts >= 2):
        edges = np.flatnonzero(dlabel[ed] == comp)
        sol.refined_groups += 1
        better, status = _cpsat_group(edges, need, is_site, ep, ed, cost, sol.chosen, time_limit_s)
        if better is not None:
            sol.chosen[edges] = better
            sol.method = "min_cost_flow+cp_sat"
        if status != "optimal":
            sol.status = status


def _cpsat_group(edges, need, is_site, ep, ed, cost, chosen, time_limit_s):
    from ortools.sat.python import cp_model

    md = cp_model.CpModel()
    x = [md.new_bool_var(f"x{e}") for e in edges]
    by_person: dict[int, list] = {}
    by_demand: dict[int, list] = {}
    for v, e in zip(x, edges):
        by_person.setdefault(int(ep[e]), []).append(v)
        by_demand.setdefault(int(ed[e]), []).append(v)
    for vs in by_person.values():
        md.add_at_most_one(vs)
    full = []
    for d, vs in by_demand.items():
        md.add(sum(vs) <= int(need[d]))
        if is_site[d] and need[d] > 0:
            fv = md.new_bool_var(f"full{d}")
            md.add(sum(vs) >= int(need[d])).only_enforce_if(fv)
            full.append(fv)
    site_e = [v for v, e in zip(x, edges) if is_site[ed[e]]]
    call_e = [v for v, e in zip(x, edges) if not is_site[ed[e]]]
    md.add(sum(site_e) == int(sum(chosen[e] for e in edges if is_site[ed[e]])))
    md.add(sum(call_e) == int(sum(chosen[e] for e in edges if not is_site[ed[e]])))
    md.maximize(FULL_BONUS * sum(full) - sum(int(cost[e]) * v for v, e in zip(x, edges)))
    for v, e in zip(x, edges):
        md.add_hint(v, bool(chosen[e]))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = 1
    st = solver.solve(md)
    if st not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, "flow only (CP-SAT found no plan in time)"
    vals = np.array([solver.boolean_value(v) for v in x])
    # keep the flow's plan unless CP-SAT's is at least as good (it is, given the hint)
    return vals, "optimal" if st == cp_model.OPTIMAL else "feasible (time limit)"


def solve_greedy(
    n_people: int, need: np.ndarray, is_site: np.ndarray, ep: np.ndarray, ed: np.ndarray, cost: np.ndarray
) -> Solution:
    """Nearest first: take candidate edges in order of cost, site places before on-call ones."""
    m = len(ep)
    chosen = np.zeros(m, bool)
    left = need.astype(np.int64).copy()
    busy = np.zeros(n_people, bool)
    order = np.lexsort((cost, ~is_site[ed])) if m else np.empty(0, np.intp)
    for e in order.tolist():
        p, d = ep[e], ed[e]
        if not busy[p] and left[d] > 0:
            busy[p] = True
            left[d] -= 1
            chosen[e] = True
    return Solution(chosen, "greedy", "heuristic")
