"""What the crews must do over a horizon: presence places, patrols and tickets, as zones change.

``build_duty(project, at, hours)`` cuts ``[at, at + hours)`` into *slices* at every
staffing-shift boundary (``StaffingRules.shift_start``, 8-hour shifts by default) and
every zone start or end inside it; in each slice the closures and the staffing plan are
constant. For each slice the staffing plan (``plan_staffing`` at the slice start) says
which places of which locked site insiders cannot fill in the current staffing shift;
consecutive slices of one shift are merged, so a site locked at 10:00 needs a person from
10:00 to 16:00, and one lifted at 20:00 no longer needs one after 20:00.

- presence: each place of a locked site left by the staffing plan (``station`` operator,
  ``boiler_room`` boiler operator), when the crew rules say ``presence`` for its kind;
- on_call: each zone's on-call electrician insiders cannot provide, stationed at the
  zone's first locked site (``crews.on_call``);
- patrol: locked sites whose kind has ``duty: patrol`` (every ``patrol_h``), locked sites
  insiders run fully (every ``staffed_patrol_h``), heat sources (every ``patrol_h``, a
  daily round by default), each a visit somewhere inside its window;
- ticket: open tickets of the ``tickets`` layer, between their report and deadline.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely

from heatgis.errors import HeatGISError
from heatgis.model.project import parse_time
from heatgis.routing.crew_rules import SKILL_OF_KIND, CrewRules
from heatgis.text import Text

MAX_HOURS = 72

PATROL_COLUMNS = [
    "duty_id",
    "duty",
    "site_id",
    "site_kind",
    "name",
    "skill",
    "window_start",
    "window_end",
    "service_min",
    "zone_ids",
    "priority",
    "x",
    "y",
]


@dataclass
class Duty:
    """The duty of a horizon (see the module docstring).

    Attributes
    ----------
    at, end : Timestamp
    slices : list of dict
        start, end, closed_zones (active sealed/controlled zone ids), levels (zone id → level).
    places : DataFrame
        ``opsplan.PLACE_COLUMNS`` (status "open") plus x, y, level.
    visits : DataFrame
        Patrols and tickets, ``PATROL_COLUMNS`` (duty "patrol" or "ticket").
    tickets : DataFrame
        The open tickets read (``opsplan.TICKET_COLUMNS``, outcome columns empty).
    notes : list of str
    """

    at: pd.Timestamp
    end: pd.Timestamp
    slices: list
    places: pd.DataFrame
    visits: pd.DataFrame
    tickets: pd.DataFrame
    notes: list = field(default_factory=list)


def horizon(project, at=None, hours: float = 24) -> tuple[pd.Timestamp, pd.Timestamp]:
    """``(at, at + hours)``; refuses a horizon over ``MAX_HOURS`` or not positive."""
    at = parse_time(at) if at is not None else project.reference_time
    if at is None:
        raise HeatGISError(
            Text("the project has no reference time", "项目没有设置参考时间"),
            Text("give the time with --at 2022-02-25T08:00", "用 --at 给出时间，例如 --at 2022-02-25T08:00"),
            file=project.path,
        )
    if not hours or hours <= 0:
        raise HeatGISError(
            Text("--hours {h:g} is not a positive number of hours", "--hours {h:g} 不是正的小时数", h=hours),
            Text("give e.g. --hours 24", "给出例如 --hours 24"),
        )
    if hours > MAX_HOURS:
        raise HeatGISError(
            Text(
                "--hours {h:g} is more than the {max} hours a crew plan covers",
                "--hours {h:g} 超过了抢修队计划最多覆盖的 {max} 小时",
                h=hours,
                max=MAX_HOURS,
            ),
            Text(
                "plan at most {max} hours ahead (e.g. --hours 24) and plan again later",
                "最多提前 {max} 小时编排（例如 --hours 24），之后再重新编排",
                max=MAX_HOURS,
            ),
        )
    return at, at + pd.Timedelta(hours=float(hours))


def shift_starts(rules, kind: str, t0: pd.Timestamp, t1: pd.Timestamp) -> list[pd.Timestamp]:
    """Starts of the staffing shifts of ``kind`` that overlap ``[t0, t1)``."""
    n = rules.rule(kind).shifts
    step = pd.Timedelta(hours=24 / n)
    h, m = (int(v) for v in rules.shift_start.split(":"))
    s = t0.normalize() - pd.Timedelta(days=1) + pd.Timedelta(hours=h, minutes=m)
    out = []
    while s < t1:
        if s + step > t0:
            out.append(s)
        s += step
    return out


def _shift_of(rules, kind, t) -> tuple[pd.Timestamp, str]:
    s = shift_starts(rules, kind, t, t + pd.Timedelta(seconds=1))[-1]
    e = s + pd.Timedelta(hours=24 / rules.rule(kind).shifts)
    return s, f"{s:%H:%M}-{'24:00' if e.hour == 0 and e.minute == 0 else f'{e:%H:%M}'}"


def time_slices(project, zones, rules, at, end) -> list[dict]:
    """Slices of ``[at, end)`` with constant zones and staffing shift."""
    cuts = {at, end}
    for kind in ("station", "boiler_room"):
        cuts |= {s for s in shift_starts(rules, kind, at, end)}
    if len(zones):
        for col in ("start", "end"):
            for t in pd.to_datetime(zones[col]).dropna():
                cuts.add(pd.Timestamp(t))
    cuts = sorted(t for t in cuts if at <= t <= end)
    out = []
    for a, b in zip(cuts[:-1], cuts[1:]):
        act = _active(zones, a)
        out.append(
            {
                "start": a,
                "end": b,
                "closed_zones": act["zone_id"].astype(str).tolist(),
                "levels": dict(zip(act["zone_id"].astype(str), act["level"].astype(str))),
            }
        )
    return out


def _active(zones, t):
    if not len(zones):
        return pd.DataFrame({"zone_id": [], "level": []})
    st, en = pd.to_datetime(zones["start"]), pd.to_datetime(zones["end"])
    on = (st <= t) & (en.isna() | (en > t)) & zones["level"].isin(["sealed", "controlled"])
    return zones[on.to_numpy()]


def build_duty(
    project, at=None, hours: float = 24, rules=None, crew_rules: CrewRules | None = None, zones=None, feedback=None
) -> Duty:
    """The duty of ``[at, at + hours)`` (module docstring).

    Parameters
    ----------
    project : Project
    at : str or Timestamp, optional
        Default the scenario's reference time.
    hours : float
        Length of the horizon, at most ``MAX_HOURS``.
    rules : StaffingRules, optional
    crew_rules : CrewRules, optional
        Default ``CrewRules.of(rules)``.
    zones : GeoDataFrame, optional
    feedback : Feedback, optional
    """
    from heatgis.analysis.impact import ImpactEngine
    from heatgis.analysis.staffing import StaffingRules, plan_staffing

    at, end = horizon(project, at, hours)
    rules = rules or StaffingRules()
    cr = crew_rules or CrewRules.of(rules)
    zones = project.layer("lockdown_zones") if zones is None else zones
    level = dict(zip(zones["zone_id"].astype(str), zones["level"].astype(str))) if len(zones) else {}
    slices = time_slices(project, zones, rules, at, end)
    engine = ImpactEngine(project)
    places: dict[tuple, dict] = {}
    locked_spans: dict[str, dict] = {}  # site → {kind, name, zones, x, y, staffed spans}
    plans: dict[tuple, object] = {}  # the staffing plan depends only on the active zones
    for k, sl in enumerate(slices):
        if feedback is not None:
            feedback.set_progress(30 * k / max(len(slices), 1), Text("duty", "任务"))
            feedback.check()
        key = tuple(sorted(sl["closed_zones"]))
        if key not in plans:
            plans[key] = plan_staffing(project, sl["start"], rules, engine=engine, zones=zones)
        plan = plans[key]
        a = plan.assignments
        got = a[a["site_kind"] != "on_call"].groupby(["site_id", "shift"]).size().to_dict() if len(a) else {}
        for s in plan.sites.itertuples():
            zs = [str(z) for z in s.zone_ids]
            pol = _policy(cr, zs, level)
            info = locked_spans.setdefault(
                s.site_id, {"kind": s.site_kind, "name": s.name, "zones": zs, "x": s.x, "y": s.y, "spans": []}
            )
            info["spans"].append((sl["start"], sl["end"], s.status == "staffed"))
            if cr.site(s.site_kind).duty != "presence":
                continue
            s0, name = _shift_of(rules, s.site_kind, sl["start"])
            short = rules.rule(s.site_kind).per_shift - int(got.get((s.site_id, name), 0))
            for j in range(max(short, 0)):
                _extend(
                    places,
                    ("presence", s.site_id, s0, j),
                    sl,
                    dict(
                        duty="presence",
                        site_id=s.site_id,
                        site_kind=s.site_kind,
                        name=s.name,
                        zone_ids=zs,
                        skill=rules.rule(s.site_kind).role,
                        shift=name,
                        shift_start=s0,
                        policy=pol[0],
                        days=pol[1],
                        level=pol[2],
                        x=s.x,
                        y=s.y,
                    ),
                )
        if cr.on_call and len(plan.on_call):
            first = {}
            for s in plan.sites.itertuples():
                for z in s.zone_ids:
                    first.setdefault(str(z), s)
            for oc in plan.on_call.itertuples():
                st = first.get(str(oc.zone_id))
                if st is None or oc.short <= 0:
                    continue
                s0, name = _shift_of(rules, "station", sl["start"])
                pol = _policy(cr, [str(oc.zone_id)], level)
                for j in range(int(oc.short)):
                    _extend(
                        places,
                        ("on_call", str(oc.zone_id), s0, j, oc.role),
                        sl,
                        dict(
                            duty="on_call",
                            site_id=st.site_id,
                            site_kind=st.site_kind,
                            name=st.name,
                            zone_ids=[str(oc.zone_id)],
                            skill=str(oc.role),
                            shift=name,
                            shift_start=s0,
                            policy=pol[0],
                            days=pol[1],
                            level=pol[2],
                            x=st.x,
                            y=st.y,
                        ),
                    )
    pf = _places_frame(places)
    visits = _patrols(project, cr, locked_spans, at, end)
    tickets, tvis, notes = read_tickets(project, at, end, cr)
    visits = pd.concat([visits, tvis], ignore_index=True) if len(tvis) else visits
    return Duty(at, end, slices, pf, visits.reset_index(drop=True), tickets, notes)


def _policy(cr: CrewRules, zone_ids, level) -> tuple[str, float, str]:
    """(policy, days, level) of a site in these zones: closed_loop wins when any zone has it."""
    best = ("shift", 0.0, "")
    for z in zone_ids:
        lv = level.get(z, "")
        p = cr.policy(lv)
        if p.policy == "closed_loop":
            return (p.policy, p.days, lv)
        if lv and not best[2]:
            best = ("shift", 0.0, lv)
    return best


def _extend(places, key, sl, row):
    cur = places.get(key)
    if cur is not None and cur["end"] == sl["start"]:
        cur["end"] = sl["end"]
        return
    if cur is not None:  # a gap (lifted and imposed again inside one shift): a new place
        key = key + (sl["start"],)
    places[key] = dict(row, start=sl["start"], end=sl["end"])


def _places_frame(places) -> pd.DataFrame:
    from heatgis.routing.opsplan import PLACE_COLUMNS

    rows = sorted(places.values(), key=lambda r: (r["start"], r["duty"], r["site_id"], r["skill"]))
    count: dict = {}
    for r in rows:
        k = (r["site_id"], r["shift_start"], r["duty"])
        count[k] = count.get(k, 0) + 1
        tag = "P" if r["duty"] == "presence" else "E"
        r["place_id"] = f"{r['site_id']}@{r['shift_start']:%m%d-%H%M}/{tag}{count[k]}"
        r.update(staff_id=None, crew_id=None, status="open", reason="")
    cols = PLACE_COLUMNS + ["days", "level", "x", "y"]
    return pd.DataFrame(rows, columns=cols) if rows else pd.DataFrame(columns=cols)


def _patrols(project, cr: CrewRules, locked, at, end) -> pd.DataFrame:
    rows = []
    for sid, info in locked.items():
        rule = cr.site(info["kind"])
        for span_start, span_end, staffed in _merge_spans(info["spans"]):
            every = rule.patrol_h if rule.duty == "patrol" else (rule.staffed_patrol_h if staffed else 0)
            if every > 0:
                rows += _windows(
                    sid,
                    info["kind"],
                    info["name"],
                    info["zones"],
                    info["x"],
                    info["y"],
                    span_start,
                    span_end,
                    every,
                    rule.service_min,
                )
    if project.has("heat_sources"):
        hs = project.layer("heat_sources")
        rule = cr.site("heat_source")
        if rule.patrol_h > 0:
            for r, g in zip(hs.itertuples(), hs.geometry):
                rows += _windows(
                    str(r.source_id), "heat_source", str(r.name), [], g.x, g.y, at, end, rule.patrol_h, rule.service_min
                )
    rule = cr.site("primary_network")
    if rule.patrol_h > 0 and project.has("pipes") and project.has("depots"):
        rows += [
            r
            for pid, x, y in primary_points(project)
            for r in _windows(
                pid,
                "primary_network",
                Text("{pid} primary network", "{pid} 一次网", pid=pid),
                [],
                x,
                y,
                at,
                end,
                rule.patrol_h,
                rule.service_min,
            )
        ]
    return pd.DataFrame(rows, columns=PATROL_COLUMNS)


def primary_points(project) -> list[tuple]:
    """(pipe_id, x, y): middles of primary-network pipes (DN >= PRIMARY_MIN_DN_MM) near a depot, one per
    PRIMARY_SPACING_M (a valve chamber on the round every few kilometres of trunk)."""
    import shapely

    from heatgis.routing.crew_rules import PRIMARY_MIN_DN_MM, PRIMARY_SPACING_M, PRIMARY_WITHIN_KM

    pipes = project.layer("pipes")
    big = pipes[pd.to_numeric(pipes["dn_mm"], errors="coerce").fillna(0).to_numpy() >= PRIMARY_MIN_DN_MM]
    if not len(big):
        return []
    mid = shapely.line_interpolate_point(np.asarray(big.geometry.values), 0.5, normalized=True)
    dep = np.asarray(project.layer("depots").geometry.values)
    if not len(dep):
        return []
    near = shapely.STRtree(dep).query_nearest(mid, return_distance=True, all_matches=False)[1]
    out: list[tuple] = []
    for i, p, d in zip(big["pipe_id"], mid, near):  # one point per PRIMARY_SPACING_M of trunk
        if d <= PRIMARY_WITHIN_KM * 1000 and all(np.hypot(p.x - x, p.y - y) >= PRIMARY_SPACING_M for _, x, y in out):
            out.append((str(i), float(p.x), float(p.y)))
    return out


def _merge_spans(spans):
    """Consecutive slices of a site with the same staffed state → one span each."""
    out = []
    for a, b, st in spans:
        if out and out[-1][1] == a and out[-1][2] == st:
            out[-1] = (out[-1][0], b, st)
        else:
            out.append((a, b, st))
    return out


def _windows(sid, kind, name, zones, x, y, t0, t1, every_h, service_min):
    rows, t, k = [], t0, 0
    step = pd.Timedelta(hours=every_h)
    while t < t1:
        e = min(t + step, t1)
        if (e - t) >= pd.Timedelta(minutes=service_min + 30) or k == 0:
            k += 1
            rows.append(
                {
                    "duty_id": f"{sid}@{t:%m%d-%H%M}/R{k}",
                    "duty": "patrol",
                    "site_id": sid,
                    "site_kind": kind,
                    "name": name,
                    "skill": SKILL_OF_KIND.get(kind, "operator"),
                    "window_start": t,
                    "window_end": e,
                    "service_min": float(service_min),
                    "zone_ids": list(zones),
                    "priority": 0,
                    "x": float(x),
                    "y": float(y),
                }
            )
        t = e
    return rows


def read_tickets(project, at, end, cr: CrewRules):
    """Open tickets of the project as visits, and the ticket table (``TICKET_COLUMNS``)."""
    from heatgis.routing.opsplan import TICKET_COLUMNS, empty

    if not project.has("tickets") or not len(project.layer("tickets")):
        return empty(TICKET_COLUMNS), pd.DataFrame(columns=PATROL_COLUMNS), []
    t = project.layer("tickets")
    t = t[t["status"].astype(str).isin(["open", "dispatched"])]
    sites = _site_xy(project)
    rows, trows, notes = [], [], []
    for r, g in zip(t.itertuples(), t.geometry):
        sid = None if r.site_id is None or pd.isna(r.site_id) else str(r.site_id)
        xy = sites.get(sid) if sid else None
        if xy is None and g is not None and not g.is_empty:
            xy = (g.x, g.y)
        rep = pd.Timestamp(r.reported) if pd.notna(r.reported) else at
        dl = pd.Timestamp(r.deadline) if pd.notna(r.deadline) else end
        kind = sites.get(("kind", sid), "") if sid else ""
        trows.append(
            {
                "ticket_id": str(r.ticket_id),
                "kind": r.kind,
                "site_id": sid or "",
                "skill": r.skill,
                "priority": int(r.priority) if pd.notna(r.priority) else 0,
                "duration_min": float(r.duration_min),
                "reported": rep,
                "deadline": dl,
                "status": "unmet",
                "vehicle_id": None,
                "crew_id": None,
                "eta": None,
                "done": None,
                "late": 0.0,
            }
        )
        if xy is None:
            notes.append(Text("ticket {id} has no place on the map", "工单 {id} 在地图上没有位置", id=r.ticket_id))
            continue
        rows.append(
            {
                "duty_id": str(r.ticket_id),
                "duty": "ticket",
                "site_id": sid or str(r.ticket_id),
                "site_kind": kind or "point",
                "name": str(getattr(r, "name", "") or r.kind),
                "skill": str(r.skill),
                "window_start": max(rep, at),
                "window_end": dl,
                "service_min": float(r.duration_min),
                "zone_ids": [],
                "priority": int(r.priority) if pd.notna(r.priority) else 0,
                "x": float(xy[0]),
                "y": float(xy[1]),
            }
        )
    return (pd.DataFrame(trows, columns=TICKET_COLUMNS), pd.DataFrame(rows, columns=PATROL_COLUMNS), notes)


def _site_xy(project) -> dict:
    out: dict = {}
    for layer, idf, kind in (
        ("stations", "station_id", "station"),
        ("boiler_rooms", "asset_id", "boiler_room"),
        ("heat_sources", "source_id", "heat_source"),
    ):
        if project.has(layer):
            f = project.layer(layer)
            ids = f[idf].astype(str).tolist()
            geoms = np.asarray(f.geometry.values)
            xs, ys = shapely.get_x(geoms).tolist(), shapely.get_y(geoms).tolist()  # one pass, not per point
            out.update(zip(ids, zip(xs, ys)))
            out.update(zip((("kind", i) for i in ids), [kind] * len(ids)))
    return out


def zone_points(zones, xs, ys, t) -> list[list[str]]:
    """Active locking zone ids holding each point at ``t``."""
    import shapely

    act = _active(zones, t)
    if not len(act):
        return [[] for _ in range(len(xs))]
    tree = shapely.STRtree(np.asarray(act.geometry.values))
    pi, zi = tree.query(shapely.points(np.asarray(xs, float), np.asarray(ys, float)), predicate="intersects")
    out = [[] for _ in range(len(xs))]
    ids = act["zone_id"].astype(str).to_numpy()
    for p, z in zip(pi, zi):
        out[p].append(ids[z])
    return out
