"""The staffing plan: locked-in staff run the locked sites in their own zone; the rest go to the crews.

For a time t (default: the scenario's reference time):

- the staff locked in at home (home in an active sealed/controlled zone) and the
  staff free to work;
- a proposed plan: for each locked site, locked-in people who live in the same
  active locking zone (sharing at least one zone with the site), qualified for the
  site's role (``StaffingRules``), the same compound first (home inside the
  site's compound polygon), then the shortest walk (straight line in the project
  CRS, metres in EPSG:4546 - inside one sealed compound the walk is short and the
  road network does not apply);
- the zones' shared on-call electricians/welders;
- each short site with the reason; the duty list of the crews = every locked
  site not fully staffed.

The matching is an assignment problem solved exactly (``staffing_solve``): the
most places filled, then the most sites fully staffed, then the least walking.
Hand overrides: ``pins`` fix an assignment before solving, ``removals`` forbid one.

``StaffingProblem(project, at)`` builds the candidates once; ``problem.solve(pins,
removals)`` re-solves cheaply (the GUI's path). ``plan_staffing`` is the one call.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import shapely

import heatgis.analysis.staffing.overrides as so
from heatgis.analysis.staffing.plan import SAME_COMPOUND_BONUS, STAFF_COLUMNS, StaffingPlan, pin_tuple, removal_tuple
from heatgis.analysis.staffing.report import build_plan
from heatgis.analysis.staffing.rules import StaffingRules
from heatgis.analysis.staffing.solve import solve_greedy, solve_optimal
from heatgis.errors import Feedback, HeatGISError
from heatgis.model.vocab import code_text
from heatgis.text import Text

#: the planner's overrides, named in messages
_WHAT = {"pin": Text("pin", "人工指定"), "removal": Text("removal", "人工移除")}

# ============================================================================ the problem


class StaffingProblem:
    """Candidates for one moment, built once; ``solve`` with any pins and removals.

    Parameters
    ----------
    project : Project
    at : str or Timestamp, optional
        Default: the scenario's reference time.
    rules : StaffingRules, optional
    zones : GeoDataFrame, optional
        Default: the project's lockdown_zones.
    engine : ImpactEngine, optional
        Reuse an engine already built for the project.
    feedback : heatgis.errors.Feedback, optional
        Progress 0-100; checked between the steps (raises ``Cancelled``).
    """

    def __init__(
        self,
        project,
        at=None,
        rules: StaffingRules | None = None,
        zones=None,
        engine=None,
        feedback: Feedback | None = None,
    ):
        from heatgis.analysis.impact import ImpactEngine
        from heatgis.model.project import parse_time

        self.rules = rules or StaffingRules()
        self.scenario = project.name
        fb = feedback if feedback is not None else Feedback()

        def step(fraction, message):
            fb.check("the staffing plan")
            fb.set_progress(100.0 * fraction, message)

        if at is None:
            at = project.reference_time
            if at is None:
                raise HeatGISError(
                    Text("the project has no reference time", "项目没有参考时间"),
                    Text("give the time, e.g. --at 2022-02-18T08:00", "给出时间，例如 --at 2022-02-18T08:00"),
                    file=project.path,
                )
        self.at = parse_time(at)
        step(0.05, Text("impact", "影响"))
        engine = engine or ImpactEngine(project)
        zones = project.layer("lockdown_zones") if zones is None else zones
        res = engine.compute(zones, self.at)
        self.zone_names = dict(zip(zones["zone_id"].astype(str), zones["name"].astype(str))) if len(zones) else {}
        step(0.4, Text("staff", "人员"))
        self._staff(project, res)
        self._sites(project, engine, res)
        step(0.6, Text("candidates", "候选人员"))
        self._demands()
        self._candidates()
        step(1.0, Text("ready", "就绪"))

    # ---------------------------------------------------------------- building
    def _staff(self, project, res) -> None:
        st = project.layer("staff")
        f = pd.DataFrame(
            {
                c: (st[c] if c in st.columns else pd.Series([None] * len(st), index=st.index))
                for c in ["staff_id", "name", "role", "skills", "depot_id", "assigned_site", "phone"]
            }
        )
        f = f.reset_index(drop=True)
        for c in f.columns:
            f[c] = f[c].astype(object).where(f[c].notna(), "").astype(str).astype(object)
        pts = shapely.centroid(np.asarray(st.geometry.values)) if len(st) else np.array([], dtype=object)
        f["x"], f["y"] = shapely.get_x(pts), shapely.get_y(pts)
        locked_ids = res.staff["staff_id"].astype(str).tolist() if len(res.staff) else []
        zmap = dict(zip(locked_ids, res.staff["zone_ids"])) if locked_ids else {}
        is_locked = f["staff_id"].isin(zmap).to_numpy()
        self.free = f[~is_locked].reset_index(drop=True)[STAFF_COLUMNS]
        people = f[is_locked].reset_index(drop=True)
        people["zone_ids"] = [list(zmap[s]) for s in people["staff_id"]]
        self.people = people
        self.points = pts[is_locked] if len(st) else pts
        self.person_pos = {s: i for i, s in enumerate(people["staff_id"])}
        self.all_staff = set(f["staff_id"])
        self.qual = [
            {t.strip() for t in sk.replace(",", ";").split(";") if t.strip()} | {role}
            for sk, role in zip(people["skills"].tolist(), people["role"].tolist())
        ]

    def _sites(self, project, engine, res) -> None:
        s = res.sites.reset_index(drop=True)
        key = list(zip(engine.sites.frame["kind"], engine.sites.frame["id"].astype(str)))
        pos = {k: i for i, k in enumerate(key)}
        idx = np.array([pos[(k, str(i))] for k, i in zip(s["kind"], s["id"])], dtype=np.intp)
        g = shapely.centroid(engine.sites.geoms[idx]) if len(idx) else np.array([], dtype=object)
        comp = project.layer("compounds")
        polys = dict(zip(comp["compound_id"].astype(str), np.asarray(comp.geometry.values))) if len(comp) else {}
        self.sites = pd.DataFrame(
            {
                "site_kind": s["kind"].to_numpy(),
                "site_id": s["id"].astype(str).to_numpy(),
                "name": s["name"].to_numpy(),
                "zone_ids": list(s["zone_ids"]),
                "x": shapely.get_x(g) if len(g) else [],
                "y": shapely.get_y(g) if len(g) else [],
                "heated_area_m2": s["heated_area_m2"].to_numpy(),
                "households": s["households"].to_numpy(),
                "depot_id": s["depot_id"].to_numpy(),
                "district": s["district"].to_numpy(),
            }
        )
        self.site_poly = np.array(
            [polys.get(str(c)) if c is not None else None for c in s["compound_id"]], dtype=object
        )
        self.site_pos: dict = {}
        for i, sid in enumerate(self.sites["site_id"]):
            self.site_pos.setdefault(sid, i)

    def _demands(self) -> None:
        r = self.rules
        n = len(self.sites)
        self.site_role = np.array([r.rule(k).role for k in self.sites["site_kind"]], dtype=object)
        self.site_need = np.array([r.rule(k).needed for k in self.sites["site_kind"]], dtype=np.int64)
        zones = sorted({z for zs in self.sites["zone_ids"] for z in zs})
        self.calls = [(z, role, int(k)) for z in zones for role, k in r.on_call.items() if k > 0]
        self.n_demands = n + len(self.calls)

    def _candidates(self) -> None:
        """Every (person, demand) pair allowed by zone, skill and walking distance."""
        people, sites = self.people, self.sites
        pz = pd.DataFrame(
            {
                "p": np.repeat(np.arange(len(people)), [len(z) for z in people["zone_ids"]]),
                "zone": [z for zs in people["zone_ids"] for z in zs],
            }
        )
        sz = pd.DataFrame(
            {
                "s": np.repeat(np.arange(len(sites)), [len(z) for z in sites["zone_ids"]]),
                "zone": [z for zs in sites["zone_ids"] for z in zs],
            }
        )
        pairs = pz.merge(sz, on="zone").sort_values(["s", "p", "zone"])
        pairs = pairs.drop_duplicates(["p", "s"])  # zone = first shared zone
        p, s = pairs["p"].to_numpy(np.intp), pairs["s"].to_numpy(np.intp)
        self.inside_any = np.bincount(s, minlength=len(sites))
        role = self.site_role[s]
        qual = self.qual
        q = np.array([r in qual[i] for r, i in zip(role.tolist(), p.tolist())], dtype=bool)
        self.inside_qualified = np.bincount(s[q], minlength=len(sites))
        p, s, zone = p[q], s[q], pairs["zone"].to_numpy(object)[q]
        d = (
            np.hypot(
                people["x"].to_numpy()[p] - sites["x"].to_numpy()[s],
                people["y"].to_numpy()[p] - sites["y"].to_numpy()[s],
            )
            if len(p)
            else np.zeros(0)
        )
        poly = self.site_poly[s]
        same = np.zeros(len(p), bool)
        has = np.array([g is not None for g in poly], dtype=bool)
        if has.any():
            same[has] = shapely.intersects(poly[has].astype(object), self.points[p[has]])
        if self.rules.max_walk_m is not None:
            ok = d <= self.rules.max_walk_m
            p, s, zone, d, same = p[ok], s[ok], zone[ok], d[ok], same[ok]
        self.within_walk = np.bincount(s, minlength=len(sites))
        # on-call candidates: qualified people locked in the zone
        cp, cd, cz = [], [], []
        zone_people: dict[str, list[int]] = {}
        for i, zs in enumerate(people["zone_ids"]):
            for z in zs:
                zone_people.setdefault(z, []).append(i)
        for k, (z, role, _) in enumerate(self.calls):
            for i in zone_people.get(z, []):
                if role in self.qual[i]:
                    cp.append(i)
                    cd.append(len(sites) + k)
                    cz.append(z)
        self.ep = np.concatenate([p, np.array(cp, np.intp)]).astype(np.intp)
        self.ed = np.concatenate([s, np.array(cd, np.intp)]).astype(np.intp)
        self.ezone = np.concatenate([zone, np.array(cz, dtype=object)])
        self.edist = np.concatenate([d, np.zeros(len(cp))])
        self.esame = np.concatenate([same, np.zeros(len(cp), bool)])
        self.ecost = np.round(self.edist).astype(np.int64) + np.where(self.esame, 0, SAME_COMPOUND_BONUS)
        self.ecost[len(p) :] = 0
        self.call_qualified = np.bincount(np.array(cd, np.intp) - len(sites), minlength=len(self.calls))

    # ---------------------------------------------------------------- solving
    def solve(self, pins=(), removals=(), method: str = "optimal", time_limit_s: float = 2.0) -> StaffingPlan:
        """The plan with ``pins`` fixed first and ``removals`` excluded.

        Parameters
        ----------
        pins : iterable of (staff_id, site_id) or (staff_id, site_id, shift)
            Assignments fixed by hand (the site may be a zone id for an on-call place).
        removals : iterable of (staff_id, site_id) or (staff_id, None) or staff_id
            Assignments forbidden by hand; ``None`` keeps the person out of the plan.
        method : {"optimal", "greedy"}
            "greedy" is the nearest-first baseline (benchmarks, comparison only).

        Raises
        ------
        HeatGISError
            A pin or removal names an unknown person or site, a person not locked in
            that site's zone, or without its skill.
        """
        t0 = time.perf_counter()
        pins = tuple(pin_tuple(p) for p in pins)
        removals = tuple(removal_tuple(r) for r in removals)
        nd = self.n_demands
        need = np.concatenate([self.site_need, np.array([k for _, _, k in self.calls], np.int64)])
        is_site = np.arange(nd) < len(self.sites)
        keep = np.ones(len(self.ep), bool)
        removed_at = np.zeros(nd, np.int64)
        for sid, target in removals:
            self._check_staff(sid, "removal")
            i = self.person_pos.get(sid)
            if i is None:
                continue
            hit = self.ep == i
            if target is not None:
                hit &= np.isin(self.ed, self._demand_ids(target, "removal", sid))
            removed_at += np.bincount(self.ed[hit & keep], minlength=nd)
            keep &= ~hit
        pinned_edges, pin_shift = [], {}
        used: set[str] = set()
        for sid, target, shift in pins:
            e = self._pin_edge(sid, target, used)
            need[self.ed[e]] -= 1
            if need[self.ed[e]] < 0:
                raise HeatGISError(
                    Text(
                        "more people are pinned to '{target}' than it needs",
                        "指定到 '{target}' 的人数超过了所需人数",
                        target=target,
                    ),
                    Text(
                        "remove a pin, or raise the need in the staffing rules",
                        "取消一个人工指定，或在驻守规则中提高所需人数",
                    ),
                    row=target,
                )
            used.add(sid)
            pinned_edges.append(e)
            pin_shift[e] = shift
        free = keep & ~np.isin(self.ep, [self.person_pos[s] for s in used])
        idx = np.flatnonzero(free)
        args = (len(self.people), need, is_site, self.ep[idx], self.ed[idx], self.ecost[idx])
        sol = solve_greedy(*args) if method == "greedy" else solve_optimal(*args, time_limit_s=time_limit_s)
        chosen = np.concatenate([idx[sol.chosen], np.array(pinned_edges, np.intp)]).astype(np.intp)
        solver = {
            "method": sol.method,
            "status": sol.status,
            "refined_groups": sol.refined_groups,
            "candidates": int(len(idx)),
            "seconds": round(time.perf_counter() - t0, 4),
        }
        return self._plan(chosen, set(pinned_edges), pin_shift, removed_at, pins, removals, solver)

    def _check_staff(self, sid, what):
        if sid not in self.all_staff:
            raise HeatGISError(
                Text(
                    "the {what} names staff '{sid}', who is not in the staff layer",
                    "{what}中的员工 '{sid}' 不在员工图层中",
                    what=_WHAT[what],
                    sid=sid,
                ),
                Text("check the staff id (column staff_id)", "核对员工编号（staff_id 列）"),
                layer="staff",
                row=sid,
            )

    def _demand_ids(self, target, what, sid) -> list[int]:
        out = [i for i, s in enumerate(self.sites["site_id"]) if s == target]
        out += [len(self.sites) + k for k, c in enumerate(self.calls) if c[0] == target]
        if not out:
            raise HeatGISError(
                Text(
                    "the {what} for '{sid}' names '{target}', which is not a locked site or a locking zone at {at}",
                    "'{sid}' 的{what}指向 '{target}'，它在 {at} 不是锁闭的站点或封控、管控区",
                    what=_WHAT[what],
                    sid=sid,
                    target=target,
                    at=f"{self.at:%Y-%m-%d %H:%M}",
                ),
                Text(
                    "pin to a station or boiler room that is locked at this time",
                    "指定到此时锁闭的换热站或锅炉房",
                ),
                row=target,
            )
        return out

    def _pin_edge(self, sid, target, used) -> int:
        self._check_staff(sid, "pin")
        if sid in used:
            raise HeatGISError(
                Text("staff '{sid}' is pinned twice", "员工 '{sid}' 被指定了两次", sid=sid),
                Text("keep one pin per person", "每人只保留一个指定"),
                layer="staff",
                row=sid,
            )
        i = self.person_pos.get(sid)
        if i is None:
            raise HeatGISError(
                Text(
                    "staff '{sid}' is not locked in at {at}",
                    "员工 '{sid}' 在 {at} 不是居家封控人员",
                    sid=sid,
                    at=f"{self.at:%Y-%m-%d %H:%M}",
                ),
                Text(
                    "only people locked in a zone can be pinned to a site in it; free staff join the crews",
                    "只有封控在管控区内的人员才能指定到区内站点；未封控的人员编入抢修队",
                ),
                layer="staff",
                row=sid,
            )
        demands = self._demand_ids(target, "pin", sid)
        cand = np.flatnonzero((self.ep == i) & np.isin(self.ed, demands))
        if len(cand) == 0:
            role = (
                self.site_role[demands[0]]
                if demands[0] < len(self.sites)
                else self.calls[demands[0] - len(self.sites)][1]
            )
            if role not in self.qual[i]:
                why = Text("has not the skill {role}", "不具备{role}技能", role=code_text("skill", role))
                fix = Text("pin someone with that skill", "指定具备该技能的人员")
            else:
                why = Text(
                    "does not live in a zone with it (or lives beyond max_walk_m)",
                    "不住在该站点所在的管控区内（或住处超出 max_walk_m）",
                )
                fix = Text("pin someone locked in the same zone", "指定封控在同一管控区内的人员")
            raise HeatGISError(
                Text(
                    "staff '{sid}' cannot be pinned to '{target}': {why}",
                    "员工 '{sid}' 不能指定到 '{target}'：{why}",
                    sid=sid,
                    target=target,
                    why=why,
                ),
                fix,
                layer="staff",
                row=sid,
            )
        return int(cand[0])

    # ---------------------------------------------------------------- the plan
    def _plan(self, chosen, pinned, pin_shift, removed_at, pins, removals, solver) -> StaffingPlan:
        return build_plan(self, chosen, pinned, pin_shift, removed_at, pins, removals, solver)


def plan_staffing(
    project,
    at=None,
    rules: StaffingRules | None = None,
    pins=(),
    removals=(),
    engine=None,
    zones=None,
    feedback: Feedback | None = None,
    method: str = "optimal",
    saved: bool = True,
) -> StaffingPlan:
    """The staffing plan for a project at ``at``.

    Parameters
    ----------
    project : Project
    at : str or Timestamp, optional
        Default: the scenario's reference time.
    rules : StaffingRules, optional
    pins, removals : see ``StaffingProblem.solve``
    engine : ImpactEngine, optional
    zones : GeoDataFrame, optional
    feedback : heatgis.errors.Feedback, optional
        Progress 0-100; checked between steps (raises ``Cancelled``).
    method : {"optimal", "greedy"}
    saved : bool
        Also apply the overrides saved in the project (``staffing_overrides``); those that do not
        fit this moment are left out with a note in ``plan.notes``. ``pins``/``removals`` given
        here come on top and are strict (a bad one raises).

    Returns
    -------
    StaffingPlan
    """
    fb = feedback if feedback is not None else Feedback()
    problem = StaffingProblem(project, at, rules, zones, engine, fb.sub(0, 80))
    notes: list = []
    if saved:
        saved_pins, saved_removals, notes = so.saved_overrides(project)
        saved_pins, saved_removals, more = so.applicable(problem, saved_pins, saved_removals)
        notes += more
        pins, removals = so.merged(saved_pins, saved_removals, pins, removals)
    fb.check("the staffing plan")
    plan = problem.solve(pins, removals, method)
    plan.notes = notes
    fb.set_progress(100.0, Text("done", "完成"))
    return plan
