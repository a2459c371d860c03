"""The roster (值班表): which crew member holds which place, and who drives which vehicle, when.

Crew members are the staff rows with a ``crew_id``; a member is qualified for a skill when
their ``role`` or ``skills`` name it.

Rules, checked for every assignment (``check_roster`` checks a finished roster again):

- skills match;
- no two duties of one person overlap, and at least ``min_rest_h`` hours lie between two;
- nobody works more than ``max_hours_24h`` hours in any 24 hours;
- a duty at a site in a sealed/controlled zone includes putting on and taking off gear
  (``gear_entry_min`` before, ``gear_exit_min`` after the place's hours);
- ``closed_loop`` zones: whoever enters stays inside for ``days`` days, holding only places
  of that zone (people already inside are used first, no transport needed) and is out of
  the crew's strength (no vehicle, no place elsewhere) until then.

The method is a greedy in time order, places before vehicle teams (a place left empty
leaves a site unattended; a vehicle can run with a smaller team): each place takes the
qualified member who is free under the rules, preferring people already inside a
closed-loop zone, then members of the crew based at the site's depot, then the fewest
hours so far. ``solve_exact`` (CP-SAT) gives the most places that can be filled at all on
small cases; the tests and ``benchmarks/crewops.py`` measure the greedy against it.

Every place that cannot be filled gets a reason: ``no qualified member left`` (nobody with
the skill is free), ``rest rule`` (someone qualified is idle then but would break the rest
or 12-in-24 rule), ``closed-loop limit`` (the only qualified people are inside another
closed-loop zone).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from heatgis.errors import HeatGISError
from heatgis.model.vocab import code_text
from heatgis.routing.opsplan import CLOSED_LOOP_LIMIT, NO_QUALIFIED, REST_RULE
from heatgis.text import Text


def parse_skills(text) -> set[str]:
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return set()
    return {t.strip() for t in str(text).replace(",", ";").replace("，", ";").split(";") if t.strip()}


def crew_members(project) -> pd.DataFrame:
    """The crews' members: staff_id, name, crew_id, role, skills (set), depot_id.

    Raises
    ------
    HeatGISError
        No staff row names a crew, a crew has no member, or a member has no skills.
    """
    crews = project.layer("crews")
    staff = project.layer("staff") if project.has("staff") else None
    if staff is None or "crew_id" not in staff.columns or staff["crew_id"].isna().all():
        raise HeatGISError(
            Text(
                "no staff member belongs to a crew (the staff layer has no crew_id values)",
                "没有人员属于抢修队（staff 图层没有 crew_id 值）",
            ),
            Text(
                "fill in 'crew_id' of the crews' members in the staff layer (e.g. CR-01)",
                "在 staff 图层中为抢修队队员填写 'crew_id'（例如 CR-01）",
            ),
            file=project.path,
            layer="staff",
            field="crew_id",
        )
    m = staff[staff["crew_id"].notna()]
    home = np.asarray(m.geometry.values) if hasattr(m, "geometry") else None
    m = pd.DataFrame(
        {
            "staff_id": m["staff_id"].astype(str).to_numpy(),
            "name": m["name"].astype(str).to_numpy(),
            "crew_id": m["crew_id"].astype(str).to_numpy(),
            "role": m["role"].astype(str).to_numpy(),
            "skills_text": m["skills"].to_numpy(),
            "depot_id": m["depot_id"].astype(str).to_numpy(),
        }
    )
    import shapely

    m["x"] = shapely.get_x(home) if home is not None and len(home) else np.nan
    m["y"] = shapely.get_y(home) if home is not None and len(home) else np.nan
    known = set(crews["crew_id"].astype(str))
    for r in m.itertuples():
        if r.crew_id not in known:
            raise HeatGISError(
                Text(
                    "staff '{staff}' names the crew '{crew}', which is not in the crews table",
                    "人员 '{staff}' 所属的抢修队 '{crew}' 不在 crews 表中",
                    staff=r.staff_id,
                    crew=r.crew_id,
                ),
                Text("correct crew_id or add the crew", "改正 crew_id 或添加该抢修队"),
                file=project.path,
                layer="staff",
                row=r.staff_id,
                field="crew_id",
            )
        if not parse_skills(r.skills_text):
            raise HeatGISError(
                Text(
                    "crew member '{staff}' ({crew}) has no skills",
                    "抢修队队员 '{staff}'（{crew}）没有填写技能",
                    staff=r.staff_id,
                    crew=r.crew_id,
                ),
                Text(
                    "list the member's skills, e.g. operator;electrician",
                    "填写该队员的技能，例如 operator;electrician",
                ),
                file=project.path,
                layer="staff",
                row=r.staff_id,
                field="skills",
            )
    have = set(m["crew_id"])
    for cid in crews["crew_id"].astype(str):
        if cid not in have:
            raise HeatGISError(
                Text(
                    "the crew '{crew}' has no members in the staff layer",
                    "抢修队 '{crew}' 在 staff 图层中没有队员",
                    crew=cid,
                ),
                Text(
                    "set crew_id = {crew} on its members in the staff layer, or remove the crew",
                    "在 staff 图层中为其队员填写 crew_id = {crew}，或删除该抢修队",
                    crew=cid,
                ),
                file=project.path,
                layer="crews",
                row=cid,
                field="crew_id",
            )
    m["skills"] = [parse_skills(s) | {r} for s, r in zip(m["skills_text"], m["role"])]
    return m.drop(columns="skills_text").sort_values("staff_id").reset_index(drop=True)


@dataclass
class _Person:
    staff_id: str
    crew_id: str
    skills: set
    depot_id: str
    duties: list = field(default_factory=list)  # (start, end) in seconds
    inside: str | None = None  # closed-loop zone
    inside_until: float = -np.inf
    blocked: list = field(default_factory=list)  # (start, end): locked in at home by a zone


@dataclass
class Slot:
    """A duty to give a person: a place (``place_id``) or a vehicle team seat (``vehicle_id``)."""

    key: str
    skill: str | None
    start: float  # seconds from the origin, the duty itself (gear included)
    end: float
    crew_id: str | None = None  # vehicle seats: only members of this crew
    depot_id: str | None = None
    zone: str | None = None  # the closed-loop zone of the place
    days: float = 0.0


@dataclass
class RosterResult:
    assigned: dict  # slot key → staff_id (places) ; vehicle key → list of staff_id
    reasons: dict  # place key → reason
    entered: dict  # place key → True when the person enters (needs a drop), False when already inside
    stays: dict  # place key → True when the person stays inside after (closed loop: no pick-up)
    details: dict = field(default_factory=dict)  # place key → why, in numbers
    #: closed-loop stays: [staff_id, zone, entered_s, until_s, last place key] (the person comes out at
    #: until_s, after the N days, wherever their last place was)
    stints: list = field(default_factory=list)


def build_roster(
    members: pd.DataFrame,
    places: list[Slot],
    vehicles: list[tuple],
    max_hours_24h=12.0,
    min_rest_h=8.0,
    blocked: dict | None = None,
) -> RosterResult:
    """Greedy roster (module docstring).

    Parameters
    ----------
    members : DataFrame
        From ``crew_members``.
    places : list of Slot
        Presence / on-call places (``skill`` set), any order.
    vehicles : list of (vehicle_id, crew_id, start_s, end_s, team, wanted_skills)
        Team seats to fill from the crew's own members.
    blocked : dict of str to list of (start_s, end_s), optional
        Times a member cannot work (locked in at home by a zone).
    """
    blocked = blocked or {}
    people = [
        _Person(r.staff_id, r.crew_id, set(r.skills), r.depot_id, blocked=list(blocked.get(r.staff_id, ())))
        for r in members.itertuples()
    ]
    max_s, rest_s = max_hours_24h * 3600, min_rest_h * 3600
    res = RosterResult({}, {}, {}, {})
    for slot in sorted(places, key=lambda s: (s.start, s.skill != "boiler_operator", s.key)):
        best, why = None, NO_QUALIFIED
        why_rank = 0
        count = {NO_QUALIFIED: 0, REST_RULE: 0, CLOSED_LOOP_LIMIT: 0}
        for p in people:
            if slot.skill not in p.skills:
                continue
            ok, reason = _fits(p, slot, max_s, rest_s)
            if not ok:
                count[reason] += 1
                rank = {NO_QUALIFIED: 0, REST_RULE: 1, CLOSED_LOOP_LIMIT: 2}[reason]
                if rank > why_rank:
                    why, why_rank = reason, rank
                continue
            key = (
                0 if (slot.zone and p.inside == slot.zone and p.inside_until > slot.start) else 1,
                0 if p.depot_id == slot.depot_id else 1,
                _hours(p),
                p.staff_id,
            )
            if best is None or key < best[0]:
                best = (key, p)
        if best is None:
            res.reasons[slot.key] = why
            n = sum(count.values())
            skill = code_text("skill", slot.skill)
            res.details[slot.key] = (
                Text("no crew member has the skill {skill}", "没有队员具备{skill}技能", skill=skill)
                if n == 0
                else Text(
                    "{n} members with the skill {skill}: {busy} on duty or unavailable then, "
                    "{rest} would break the rest rule, {loop} inside a closed-loop zone",
                    "具备{skill}技能的队员 {n} 人：{busy} 人当时在岗或不可用，{rest} 人会违反休息规则，"
                    "{loop} 人在闭环管理区内",
                    n=n,
                    skill=skill,
                    busy=count[NO_QUALIFIED],
                    rest=count[REST_RULE],
                    loop=count[CLOSED_LOOP_LIMIT],
                )
            )
            continue
        p = best[1]
        inside_now = bool(slot.zone and p.inside == slot.zone and p.inside_until > slot.start)
        p.duties.append((slot.start, slot.end))
        res.assigned[slot.key] = p.staff_id
        res.entered[slot.key] = not inside_now
        if slot.zone:
            if not inside_now:
                p.inside, p.inside_until = slot.zone, slot.start + slot.days * 86400
                res.stints.append([p.staff_id, slot.zone, slot.start, p.inside_until, slot.key])
            else:
                stint = next(x for x in reversed(res.stints) if x[0] == p.staff_id)
                stint[4] = slot.key
        res.stays[slot.key] = bool(slot.zone and p.inside_until > slot.end)
    for vid, cid, s0, s1, team, wanted in sorted(vehicles, key=lambda v: (v[2], v[0])):
        slot = Slot(vid, None, s0, s1, cid)
        chosen, covered = [], set()
        for _ in range(team):
            cands = [p for p in people if p.crew_id == cid and p not in chosen and _fits(p, slot, max_s, rest_s)[0]]
            if not cands:
                break
            p = min(
                cands,
                key=lambda q: (-len((q.skills - covered) & wanted), -len(q.skills - covered), _hours(q), q.staff_id),
            )
            chosen.append(p)
            covered |= p.skills
        for p in chosen:
            p.duties.append((s0, s1))
        res.assigned[vid] = [p.staff_id for p in chosen]
    return res


def _hours(p: _Person) -> float:
    return sum(e - s for s, e in p.duties)


def _fits(p: _Person, slot: Slot, max_s: float, rest_s: float) -> tuple[bool, str]:
    """Can ``p`` take ``slot``? (ok, reason when not)."""
    for s, e in p.duties + p.blocked:
        if slot.start < e and s < slot.end:
            return False, NO_QUALIFIED
    if p.inside is not None and p.inside_until > slot.start and slot.zone != p.inside:
        return False, CLOSED_LOOP_LIMIT
    for s, e in p.duties:
        if slot.start < e + rest_s and s < slot.end + rest_s:
            return False, REST_RULE
    if _max_24h(p.duties + [(slot.start, slot.end)]) > max_s + 1e-6:
        return False, REST_RULE
    return True, ""


def _max_24h(duties) -> float:
    """Most seconds of duty inside any 24-hour window."""
    day = 86400.0
    best = 0.0
    for w0 in {s for s, _ in duties} | {e - day for _, e in duties}:
        w1 = w0 + day
        best = max(best, sum(max(0.0, min(e, w1) - max(s, w0)) for s, e in duties))
    return best


def check_roster(rows: pd.DataFrame, members: pd.DataFrame, max_hours_24h=12.0, min_rest_h=8.0) -> list[str]:
    """Every breach of the rules in a roster (rows: staff_id, skill, duty_start, duty_end); [] when none."""
    skills = dict(zip(members["staff_id"], members["skills"]))
    out = []
    for sid, g in rows.groupby("staff_id"):
        for r in g.itertuples():
            if isinstance(r.skill, str) and r.skill and r.skill not in skills.get(sid, set()):
                out.append(f"{sid} lacks {r.skill}")
        d = sorted(zip(g["duty_start"], g["duty_end"]))
        for (_s0, e0), (s1, _e1) in zip(d[:-1], d[1:]):
            if s1 < e0:
                out.append(f"{sid} is in two places at {s1}")
            elif (s1 - e0) < pd.Timedelta(hours=min_rest_h):
                out.append(f"{sid} rests only {s1 - e0} before {s1}")
        secs = [((s - d[0][0]).total_seconds(), (e - d[0][0]).total_seconds()) for s, e in d]
        if _max_24h(secs) > max_hours_24h * 3600 + 1e-6:
            out.append(f"{sid} works more than {max_hours_24h:g} h in 24 h")
    return out


def solve_exact(
    members: pd.DataFrame, places: list[Slot], max_hours_24h=12.0, min_rest_h=8.0, time_limit: float = 10.0
) -> int:
    """The most places that can be filled at all (CP-SAT), for checking the greedy on small cases.

    Same rules as ``build_roster`` except closed-loop zones (places only, no vehicles).
    """
    from ortools.sat.python import cp_model

    m = cp_model.CpModel()
    x = {}
    ppl = list(members.itertuples())
    for i, p in enumerate(ppl):
        for j, s in enumerate(places):
            if s.skill in p.skills:
                x[i, j] = m.NewBoolVar(f"x{i}_{j}")
    for j in range(len(places)):
        m.Add(sum(x[i, j] for i in range(len(ppl)) if (i, j) in x) <= 1)
    rest = min_rest_h * 3600
    for i in range(len(ppl)):
        js = [j for j in range(len(places)) if (i, j) in x]
        for a in js:
            for b in js:
                if a < b:
                    sa, sb = places[a], places[b]
                    if sa.start < sb.end + rest and sb.start < sa.end + rest:
                        m.Add(x[i, a] + x[i, b] <= 1)
        for w0 in {places[j].start for j in js} | {places[j].end - 86400 for j in js}:
            w1 = w0 + 86400
            terms = [(int(max(0, min(places[j].end, w1) - max(places[j].start, w0))), x[i, j]) for j in js]
            terms = [(c, v) for c, v in terms if c > 0]
            if terms:
                m.Add(sum(c * v for c, v in terms) <= int(max_hours_24h * 3600))
    m.Maximize(sum(x.values()))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = 1
    st = solver.Solve(m)
    if st not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return 0
    return int(round(solver.ObjectiveValue()))


def members_or_crews(project, need: bool):
    """The crews' members; without a staff roster (and ``need`` False) one "member" per person of
    ``crews.members`` with the crew's skills (``attrs["whole_crews"]``: each vehicle is the crew)."""
    try:
        return crew_members(project)
    except HeatGISError:
        if need:
            raise
    rows = []
    for c in project.layer("crews").itertuples(index=False):
        n = int(c.members) if c.members is not None and pd.notna(c.members) else 1
        sk = parse_skills(c.skills) if isinstance(c.skills, str) else set()
        for k in range(max(n, 1)):
            rows.append(
                {
                    "staff_id": f"{c.crew_id}#{k + 1}",
                    "name": str(c.name),
                    "crew_id": str(c.crew_id),
                    "role": "crew",
                    "depot_id": str(c.depot_id),
                    "x": np.nan,
                    "y": np.nan,
                    "skills": sk,
                }
            )
    m = pd.DataFrame(rows, columns=["staff_id", "name", "crew_id", "role", "depot_id", "x", "y", "skills"])
    m.attrs["whole_crews"] = True
    return m


def locked_at_home(members, zones, slices, sec) -> dict:
    """staff_id → the slices (seconds) in which a zone locks the member in at home."""
    from heatgis.routing.duty import zone_points

    out: dict = {}
    ok = members["x"].notna().to_numpy()
    if not ok.any():
        return out
    ids = members["staff_id"].to_numpy()[ok]
    for k, sl in enumerate(slices):
        end = sec(sl["end"]) if k + 1 < len(slices) else 10**12  # still locked at the end: beyond it too
        for sid, zs in zip(
            ids, zone_points(zones, members["x"].to_numpy()[ok], members["y"].to_numpy()[ok], sl["start"])
        ):
            if zs:
                out.setdefault(sid, []).append((sec(sl["start"]), end))
    return out
