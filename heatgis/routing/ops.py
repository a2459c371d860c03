"""The one crew planner: duty over a horizon → roster → vehicle routes → ``OpsPlan``.

``plan_operations(project, at, hours)`` is the call behind ``heatgis crews``:

1. ``duty.build_duty``: presence / on-call places per staffing shift, patrols, tickets,
   and the time slices in which the closures are constant;
2. ``roster.build_roster``: a crew member for each place, a team for each vehicle shift;
3. vehicle stops: the person **boards** at their crew's depot and is set down (**drop**)
   before the place starts (within ``relief.before_min``, early enough to put on gear);
   after it ends they are taken back (**pickup**, within ``relief.after_min``) and
   **alight** at the depot, unless they stay inside (closed loop). Board and drop (pickup
   and alight) are one pick-up-and-delivery pair of the same vehicle, at most
   ``RIDE_MIN`` apart, and take a seat (``seats`` minus the team). Each patrol inside its
   window; each ticket by its deadline (skills matched per stop, the team's skills being
   the vehicle's);
4. travel times per time slice (``barriers.apply_barriers`` at the slice start): the
   solver sees, for each leg, the closures of the slice in which the stop's window
   opens, or the longest way over the slices of its window when the closures change inside
   it; the routes are then driven again in time order with the closures of the moment
   each leg is driven (those at arrival when a zone is imposed on the way), which also
   draws the legs (a zone imposed at 10:00 changes the legs driven after 10:00); a leg
   still crossing a zone closed while driven is flagged (``legs.closed_on_way``). Between
   two stops in the same closed zone whose policy is ``shift`` the leg goes directly inside
   the zone, keeping the gear on;
5. everything not met is listed with its reason.

Each crew vehicle on each crew shift that overlaps the horizon (widened by the relief
windows) is one vehicle of the model, so the first shift's people are set down by the
crews on duty before ``at``. Tickets inserted later go through ``tickets.insert_ticket``.
"""

from __future__ import annotations

import time
from types import SimpleNamespace

import numpy as np
import pandas as pd

from heatgis.model.vocab import code_text
from heatgis.routing import opsplan as O
from heatgis.routing.barriers import DEFAULT_PRECAUTION_FACTOR
from heatgis.routing.crew_rules import CrewRules
from heatgis.routing.duty import build_duty
from heatgis.routing.network import OpsNetwork, bit, mask_of
from heatgis.routing.ops_search import solve_by_shift
from heatgis.routing.roster import RosterResult, Slot, build_roster, crew_members, locked_at_home, members_or_crews
from heatgis.routing.vehicles import O_colors, vehicle_shifts  # noqa: F401
from heatgis.routing.vrp import VrpProblem
from heatgis.text import Text

PEN_DROP, PEN_PICKUP, PEN_TICKET, PEN_PATROL = 40_000_000, 20_000_000, 10_000_000, 2_000_000
#: longest ride (minutes) between boarding at the depot and being set down, or taken back and alighting
RIDE_MIN = 90


def plan_operations(
    project,
    at=None,
    hours: float = 24,
    rules=None,
    zones=None,
    time_limit: float = 2.0,
    graph=None,
    precaution_factor: float = DEFAULT_PRECAUTION_FACTOR,
    span_cost: int = 1,
    feedback=None,
    *,
    duty=None,
    crew_rules: CrewRules | None = None,
    start_from: dict | None = None,
    on_plan=None,
) -> O.OpsPlan:
    """The crews' plan for ``[at, at + hours)`` (module docstring).

    Parameters
    ----------
    project : Project
    at : str or Timestamp, optional
        Start of the horizon (default the scenario's reference time).
    hours : float
        Length of the horizon (default 24, at most 72).
    rules : StaffingRules, optional
        Staffing rules; their ``crews`` part holds the crew rules.
    zones : GeoDataFrame, optional
        Lockdown zones (default the project's).
    time_limit : float
        Seconds of route search.
    graph : RoadGraph, optional
        The road graph (``planner.build_graph``), built when omitted.
    precaution_factor : float
    span_cost : int
        > 0 shares the work among the vehicles of each shift (PyVRP's balance, or each vehicle's
        work share ``VrpProblem.work_cap``/``work_max`` in OR-Tools, ``ops_search``); 0 plans
        the shortest driving.
    feedback : Feedback, optional
    duty : Duty, optional
        The duty to carry out instead of ``duty.build_duty``'s (``planner.plan_routes`` gives a
        list of site visits). When it holds no places and no crew has members in the staff
        layer, each crew vehicle's team is the crew (``crews.members`` people, ``crews.skills``).
    crew_rules : CrewRules, optional
        Instead of ``CrewRules.of(rules)``.
    start_from : dict, optional
        crew_id → (kind, id, x, y, Timestamp): the crew's vehicles on duty at that time start
        there then (a re-plan from where the crew is); they still end at their depot.
    on_plan : callable, optional
        ``on_plan(routes, travel_s)`` with every better plan of each shift's search.

    Returns
    -------
    OpsPlan

    Raises
    ------
    HeatGISError
        Horizon over 72 h, crews without members, members without skills, bad rules.
    """
    from heatgis.analysis.staffing import StaffingRules
    from heatgis.routing.ops_build import assemble

    t_all = time.perf_counter()
    rules = rules or StaffingRules()
    cr = crew_rules or CrewRules.of(rules)
    zones = project.layer("lockdown_zones") if zones is None else zones
    if duty is None:
        members = crew_members(project)
        duty = build_duty(project, at, hours, rules, cr, zones, feedback)
    else:
        members = members_or_crews(project, need=len(duty.places) > 0)
    t_duty = time.perf_counter() - t_all
    lo = duty.at - pd.Timedelta(minutes=cr.relief_before_min)
    hi = duty.end + pd.Timedelta(minutes=cr.relief_after_min)
    veh = vehicle_shifts(project, cr, lo, hi)
    _start_from(veh, start_from)
    origin = lo.normalize() - pd.Timedelta(days=1)
    sec = _seconds_since(origin)
    # 1. who holds which place, who drives which vehicle shift
    t0 = time.perf_counter()
    rr, veh_sk = _roster_step(project, duty, cr, members, veh, zones, sec, feedback)
    t_roster = time.perf_counter() - t0
    # 2. the stops: relief trips of the places filled, the patrols, visits and tickets
    nodes, pairs, unmet = _duty_nodes(project, duty, cr, members, rr, sec, sec(hi))
    # 3. travel times per time slice between the depots and the stops
    t0 = time.perf_counter()
    g = _travel_step(project, duty, cr, veh, nodes, zones, graph, precaution_factor, origin, feedback)
    t_net = time.perf_counter() - t0
    # 4. the model (stops no vehicle could serve are left out with their reason) and its search
    whole, visits, pre, team_n = _model(veh, rr, veh_sk, nodes, pairs, g, sec)
    t0 = time.perf_counter()
    sol = solve_by_shift(veh, whole, team_n, time_limit, feedback, on_plan, span_cost)
    t_solve = time.perf_counter() - t0
    # 5. driven again at the time of travel: the plan
    _step(feedback, 96, Text("drive-through", "行程汇总"))
    plan = assemble(
        project,
        duty,
        cr,
        members,
        veh,
        rr,
        nodes,
        g.n_dep,
        g.node_loc,
        g.gear_node,
        g.windows,
        g.service,
        sol,
        pre,
        unmet,
        g.net,
        origin,
        rules,
    )
    times = {"duty_s": t_duty, "roster_s": t_roster, "network_s": t_net, "solve_s": t_solve}
    plan.stats.update(_stats(times, time.perf_counter() - t_all, veh, nodes, visits, sol, duty, g.net, plan))
    plan._ctx = {"project": project, "net": g.net, "origin": origin, "cr": cr, "members": members, "rules": rules}
    return plan


def _stats(times, total_s, veh, nodes, visits, sol, duty, net, plan) -> dict:
    """``OpsPlan.stats``: the seconds of each step and the sizes and ending of the search."""
    return {
        **{k: round(v, 3) for k, v in times.items()},
        "total_s": round(total_s, 3),
        "vehicles": int(len(veh)),
        "nodes": int(len(nodes)),
        "visits": int(len(visits)),
        "solver_status": sol.status,
        "solver": sol.backend,  # "pyvrp", "ortools" or both ("ortools,pyvrp"): the shifts' models
        "stopped": sol.stopped,
        "improvements": len(sol.history),
        "patrols": int((duty.visits["duty"] == "patrol").sum()) if len(duty.visits) else 0,
        "slices": len(duty.slices),
        "matrices": net.n_matrices,
        "legs_closed_on_way": int((plan.legs["closed_on_way"] != "").sum()) if len(plan.legs) else 0,
    }


def _seconds_since(origin):
    """``sec(t)``: whole seconds from ``origin`` to the time ``t`` (the model's clock)."""

    def sec(t):
        return int(round((pd.Timestamp(t) - origin).total_seconds()))

    return sec


def _roster_step(project, duty, cr, members, veh, zones, sec, feedback) -> tuple[RosterResult, list]:
    """The roster (``build_roster``) of the duty's places and the vehicle shifts' teams.

    Sets ``veh["team"]`` and ``veh["skills"]`` (in place) and returns the roster and each
    vehicle's skills (sets).
    """
    site_depot = _site_depots(project)
    gin, gout = cr.gear_entry_min * 60, cr.gear_exit_min * 60
    slots = [
        Slot(
            p.place_id,
            p.skill,
            sec(p.start) - gin,
            sec(p.end) + gout,
            None,
            site_depot.get(p.site_id),
            (p.zone_ids[0] if p.policy == "closed_loop" and p.zone_ids else None),
            float(p.days or 0),
        )
        for p in duty.places.itertuples()
    ]
    wanted = set(duty.visits["skill"]) if len(duty.visits) else set()
    vslots = [
        (v.vehicle_id, v.crew_id, sec(v.avail_start), sec(v.avail_end), cr.team, wanted) for v in veh.itertuples()
    ]
    _step(feedback, 32, Text("roster", "排班"))
    if members.attrs.get("whole_crews"):  # a visit list for crews without a staff roster
        rr = RosterResult(
            {
                v: list(members.loc[members["crew_id"] == c, "staff_id"])
                for v, c in zip(veh["vehicle_id"], veh["crew_id"])
            },
            {},
            {},
            {},
        )
    else:
        rr = build_roster(
            members, slots, vslots, cr.max_hours_24h, cr.min_rest_h, locked_at_home(members, zones, duty.slices, sec)
        )
    skills_of = dict(zip(members["staff_id"], members["skills"]))
    veh["team"] = [";".join(rr.assigned.get(v, [])) for v in veh["vehicle_id"]]
    veh_sk = [
        set().union(*[skills_of[s] for s in rr.assigned.get(v, [])]) if rr.assigned.get(v) else set()
        for v in veh["vehicle_id"]
    ]
    veh["skills"] = [";".join(sorted(s)) for s in veh_sk]
    return rr, veh_sk


def _duty_nodes(project, duty, cr, members, rr, sec, hi_s) -> tuple[list, list, list]:
    """The stops of the model: nodes (dicts), pick-up-and-delivery pairs (positions in nodes) and
    the unmet rows of the places the roster could not fill.

    Each place filled gets its relief trip: board at the member's depot and drop before the
    place starts (unless already inside), pickup after it ends and alight at the depot (a
    closed-loop stay only when its N days end inside the horizon, ``hi_s`` seconds). Then one
    node per patrol, visit and ticket.
    """
    nodes = []  # dicts: task, duty_id, loc, ws, we, service, skill, load, pen, staff, place_id, ...
    pairs = []  # (board, drop) and (pickup, alight) positions in ``nodes``
    unmet = []
    depots = project.layer("depots")
    dgeom = dict(zip(depots["depot_id"].astype(str), depots.geometry))
    dname = dict(zip(depots["depot_id"].astype(str), depots["name"].astype(str)))
    home = dict(zip(members["staff_id"], members["depot_id"]))
    ride = RIDE_MIN * 60
    gin, gout = cr.gear_entry_min * 60, cr.gear_exit_min * 60
    comes_out = _comes_out(rr, cr, hi_s)
    for p in duty.places.itertuples():
        sid = rr.assigned.get(p.place_id)
        if sid is None:
            why, detail = rr.reasons[p.place_id], rr.details.get(p.place_id, "")
            unmet.append(_unmet(p.duty, p.place_id, p.site_id, p.skill, p.start, p.end, why, detail))
            continue
        loc = ("site", p.site_id, p.x, p.y)
        d = home.get(sid) if home.get(sid) in dgeom else next(iter(dgeom))
        dep = SimpleNamespace(site_id=d, site_kind="depot", name=dname[d], x=dgeom[d].x, y=dgeom[d].y)
        dloc = ("depot", d, dgeom[d].x, dgeom[d].y)
        hand = cr.handover_min * 60

        def relief(task, at, ws, we, load, pen, site, sid=sid, p=p, hand=hand):
            return _relief_stop(task, p, sid, hand, at, ws, we, load, pen, site)

        if rr.entered.get(p.place_id, True):
            ws, we = sec(p.start) - cr.relief_before_min * 60, sec(p.start) - gin
            nodes.append(relief("board", dloc, ws - ride, we, 1, PEN_DROP, dep))
            nodes.append(relief("drop", loc, ws, we, -1, PEN_DROP, p))
            pairs.append((len(nodes) - 2, len(nodes) - 1))
        stays = rr.stays.get(p.place_id, False)
        if not stays or p.place_id in comes_out:
            ws = sec(p.end) + gout if not stays else int(comes_out[p.place_id])  # closed loop: after N days
            we = ws + cr.relief_after_min * 60 - (gout if not stays else 0)
            nodes.append(relief("pickup", loc, ws, we, 1, PEN_PICKUP, p))
            nodes.append(relief("alight", dloc, ws, we + ride, -1, PEN_PICKUP, dep))
            pairs.append((len(nodes) - 2, len(nodes) - 1))
    nodes += [_visit_node(v, sec) for v in duty.visits.itertuples()]
    return nodes, pairs, unmet


def _comes_out(rr, cr, hi_s) -> dict:
    """place_id → seconds: a closed-loop stay whose N days end inside the horizon is taken out from
    the last place held (not when the person is set down again for their next stay right then:
    they stay in)."""
    again = {
        (x[0], x[3])
        for x in rr.stints
        for y in rr.stints
        if y[0] == x[0] and x[3] <= y[2] <= x[3] + cr.relief_after_min * 60
    }
    return {
        key: until
        for sid, _z, _s0, until, key in rr.stints
        if rr.stays.get(key) and until < hi_s and (sid, until) not in again
    }


def _visit_node(v, sec) -> dict:
    """The node of a patrol, visit or ticket row ``v`` of ``duty.visits``."""
    urgent = v.duty in ("ticket", "visit")
    return dict(
        task=v.duty,
        duty_id=v.duty_id,
        loc=("site" if v.site_kind != "point" else "point", v.site_id, v.x, v.y),
        ws=sec(v.window_start),
        we=sec(v.window_end) - int(v.service_min * 60),
        service=int(v.service_min * 60),
        skill=v.skill,
        load=0,
        pen=(PEN_TICKET * (1 + int(v.priority))) if urgent else PEN_PATROL,
        prio=int(v.priority) if urgent else 0,
        staff="",
        place=None,
        site=v,
        gear=bool(v.zone_ids),
    )


def _travel_step(project, duty, cr, veh, nodes, zones, graph, precaution_factor, origin, feedback) -> SimpleNamespace:
    """The locations (depots first, then where re-planned vehicles start, then the stops), their
    network per time slice and the model's node arrays: ``net``, ``n_dep``, ``dep_locs``,
    ``node_loc``, ``gear_node``, ``windows``, ``service``, ``slice_of_node`` and ``travel`` (each leg
    under the closures of the slice its stop's window opens in)."""
    depots = project.layer("depots")
    dgeom = dict(zip(depots["depot_id"].astype(str), depots.geometry))
    depot_ids = list(dict.fromkeys(veh["depot_id"]))
    # the first nodes: the depots, then the places re-planned vehicles start from
    dep_locs = [("depot", d, dgeom[d].x, dgeom[d].y) for d in depot_ids]
    dep_locs += list(dict.fromkeys(tuple(x) for x in veh["start_loc"].dropna())) if "start_loc" in veh else []
    locs = list(dep_locs)
    loc_index = {}
    for lc in locs:
        loc_index[lc[:2]] = len(loc_index)
    for nd in nodes:
        key = nd["loc"][:2]
        if key not in loc_index:
            loc_index[key] = len(loc_index)
            locs.append(nd["loc"])
    _step(feedback, 35, Text("travel times", "行车时间"))
    net = OpsNetwork(project, locs, zones, duty.slices, cr, graph=graph, precaution_factor=precaution_factor)
    _step(feedback, 50, Text("routes", "路线"))
    n_dep = len(dep_locs)
    nn = n_dep + len(nodes)
    node_loc = np.array([loc_index[lc[:2]] for lc in dep_locs] + [loc_index[nd["loc"][:2]] for nd in nodes])
    gear_node = np.zeros(nn, bool)
    gear_node[n_dep:] = [bool(nd.get("gear")) for nd in nodes]
    ws = np.r_[np.full(n_dep, -1), [max(nd["ws"], 0) for nd in nodes]].astype(np.int64)
    we = np.r_[np.full(n_dep, -1), [nd["we"] for nd in nodes]].astype(np.int64)
    slice_of_node = np.array([net.slice_at(origin + pd.Timedelta(seconds=int(max(w, 0)))) for w in ws])
    last_slice = np.array([net.slice_at(origin + pd.Timedelta(seconds=int(max(w, 0)))) for w in we])
    travel = net.composite(node_loc, gear_node, slice_of_node, n_dep, last_slice)
    service = np.r_[np.zeros(n_dep), [nd["service"] for nd in nodes]].astype(np.int64)
    return SimpleNamespace(
        net=net,
        n_dep=n_dep,
        dep_locs=dep_locs,
        node_loc=node_loc,
        gear_node=gear_node,
        windows=np.c_[ws, we],
        service=service,
        slice_of_node=slice_of_node,
        travel=travel,
    )


def _model(veh, rr, veh_sk, nodes, pairs, g, sec) -> tuple[VrpProblem, list, dict, list]:
    """The whole horizon's ``VrpProblem``, the nodes it visits, the reasons of those left out before
    the search (``_precheck``; a pair whole or not at all) and each vehicle's team size.

    Sets ``veh["start_node"]`` and ``veh["end_node"]`` (in place).
    """
    n_dep, travel, service, windows = g.n_dep, g.travel, g.service, g.windows
    node_sk = np.r_[np.zeros(n_dep), [mask_of([nd["skill"]]) if nd["skill"] else 0 for nd in nodes]].astype(np.int64)
    veh_mask = [mask_of(s) for s in veh_sk]
    team_n = [len(rr.assigned.get(v, [])) for v in veh["vehicle_id"]]
    seats = [max(int(s) - t, 0) for s, t in zip(veh["seats"], team_n)]
    load = np.r_[np.zeros(n_dep), [nd["load"] for nd in nodes]].astype(np.int64)
    pen = np.r_[np.zeros(n_dep), [nd["pen"] for nd in nodes]].astype(np.int64)
    dep_node = {lc[:2]: k for k, lc in enumerate(g.dep_locs)}
    ends = [dep_node[("depot", d)] for d in veh["depot_id"]]
    starts = list(ends)
    if "start_loc" in veh:
        starts = [e if not isinstance(x, tuple) else dep_node[x[:2]] for e, x in zip(ends, veh["start_loc"])]
    veh["start_node"], veh["end_node"] = starts, ends
    shifts = [(sec(a), sec(b)) for a, b in zip(veh["avail_start"], veh["avail_end"])]
    visits, pre = [], {}
    for k, nd in enumerate(nodes):
        i = n_dep + k
        why = _precheck(
            i,
            nd,
            g.net,
            g.node_loc,
            g.slice_of_node,
            veh_mask,
            team_n,
            shifts,
            windows,
            node_sk,
            travel,
            service,
            starts,
            ends,
        )
        if why:
            pre[i] = why
        else:
            visits.append(i)
    node_pairs = [(n_dep + a, n_dep + b) for a, b in pairs]
    for a, b in node_pairs:  # a pair is served whole or not at all
        if (a in pre) != (b in pre):
            pre.setdefault(a, pre.get(b))
            pre.setdefault(b, pre.get(a))
    visits = [i for i in visits if i not in pre]
    big = 10 * (max(e for _, e in shifts) + 1) if shifts else 10**7
    tr = np.where(np.isfinite(travel), np.round(travel), big).astype(np.int64)
    prio = np.r_[np.zeros(n_dep), [nd.get("prio", 0) for nd in nodes]].astype(np.int64)
    whole = VrpProblem(
        tr,
        service,
        np.array(visits, np.int64),
        starts,
        ends,
        shifts,
        windows,
        prio,
        node_sk,
        veh_mask,
        load,
        seats,
        pen,
        node_pairs,
    )
    return whole, visits, pre, team_n


def _precheck(
    i, nd, net, node_loc, slice_of_node, veh_mask, team_n, shifts, windows, node_sk, travel, service, starts, ends
):
    """(reason, detail) when no vehicle could serve node ``i``; None otherwise."""
    loc = int(node_loc[i])
    if not net.reachable(loc, int(slice_of_node[i])):
        return O.UNREACHABLE, net.reason(loc, int(slice_of_node[i]))
    lo, hi = int(windows[i, 0]), int(windows[i, 1])
    if hi < lo:
        return O.WINDOW_MISSED, Text("its window is shorter than the work", "时间窗短于作业所需时间")
    on = [v for v, (a, b) in enumerate(shifts) if a <= hi and b >= lo and team_n[v] > 0]
    if not on:
        return O.NO_VEHICLE_TIME, Text("no crew vehicle is on duty in its window", "时间窗内没有在岗的抢修车辆")
    req = int(node_sk[i])
    if req and not any(veh_mask[v] & req == req for v in on):
        return O.NO_CREW_SKILL, Text(
            "no vehicle team on duty then has the skill {skill}",
            "当时在岗的车组都不具备{skill}技能",
            skill=code_text("skill", nd["skill"]),
        )
    trip = [travel[starts[v], i] + service[i] + travel[i, ends[v]] for v in on]
    if all(t > shifts[v][1] - shifts[v][0] for t, v in zip(trip, on)):
        return O.NO_VEHICLE_TIME, Text(
            "too far for a vehicle shift: {h:.1f} h from the nearest depot",
            "超出车辆一个班次的行程：距最近驻地 {h:.1f} 小时",
            h=min(travel[starts[v], i] for v in on) / 3600,
        )
    return None


def _start_from(veh, start_from) -> None:
    """Vehicles of a crew in ``start_from`` on duty at its time start there, then (in place)."""
    if not start_from or not len(veh):
        return
    locs = []
    for k, v in enumerate(veh.itertuples()):
        got = start_from.get(v.crew_id)
        loc = None
        if got is not None:
            t = pd.Timestamp(got[4])
            if v.avail_start <= t < v.avail_end:
                veh.loc[veh.index[k], "avail_start"] = t
                if got[1] is not None:
                    loc = (got[0], str(got[1]), float(got[2]), float(got[3]))
        locs.append(loc)
    veh["start_loc"] = locs


def _step(feedback, percent, message) -> None:
    if feedback is not None:
        feedback.check()
        feedback.set_progress(percent, message)


def _relief_stop(task, p, sid, hand, at, ws, we, load, pen, site) -> dict:
    """One stop of a relief trip (board, drop, pickup, alight) for ``sid`` holding place ``p``."""
    return dict(
        task=task,
        duty_id=p.place_id,
        loc=at,
        ws=ws,
        we=we,
        service=hand,
        skill="",
        load=load,
        pen=pen,
        staff=sid,
        place=p.place_id,
        site=site,
    )


def _unmet(duty, duty_id, site_id, skill, start, end, reason, detail=""):
    return {
        "duty": duty,
        "duty_id": duty_id,
        "site_id": site_id,
        "skill": skill,
        "start": start,
        "end": end,
        "reason": reason,
        "detail": detail,
    }


def _site_depots(project) -> dict:
    out = {}
    for layer, idf in (("stations", "station_id"), ("boiler_rooms", "asset_id")):
        if project.has(layer):
            f = project.layer(layer)
            out.update(zip(f[idf].astype(str), f["depot_id"].astype(str)))
    return out


__all__ = ["plan_operations", "vehicle_shifts", "bit", "mask_of"]
