"""Which locked sites hurt most if something fails in the cold: a documented risk score.

The sites ranked are the stations and boiler rooms locked (inside an active sealed or
controlled zone) at the coldest hour of the horizon. Each gets four components in 0-1:

- ``load``: its load at the coldest hour (a boiler room: its own load plus the stations it
  feeds) divided by the largest among the ranked sites;
- ``unstaffed``: 1 nobody of ours inside, 0.5 partly staffed, 0 fully staffed (from the
  staffing plan); 1 when no staffing plan is given (not known to be staffed);
- ``since_visit``: hours from the crew's last visit (the end of the last stop at or before
  the coldest hour, in the crew plan) to the coldest hour, divided by the patrol interval
  at the coldest temperature (rule ``patrol_interval_h``), at most 1; 1 when the crew plan
  does not visit the site before then, or when no crew plan is given (unknown); 0 for a
  fully staffed site (its own people are inside: it waits for no patrol);
- ``households``: its households divided by the largest among the ranked sites.

``score = 100 x sum(weight x component) / sum(weight)`` with the weights of the rules file
(default load 0.4, unstaffed 0.3, since_visit 0.2, households 0.1); the ranking is by
score, then households, then site id.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from heatgis.analysis.staffing.rules import patrol_interval_h
from heatgis.text import Text

RISK_COLUMNS = [
    "rank",
    "site_kind",
    "site_id",
    "name",
    "load_kw",
    "households",
    "staffed",
    "hours_since_visit",
    "patrol_interval_h",
    "score",
    "reason",
]
STAFFED_VALUE = {"staffed": 0.0, "partial": 0.5, "unstaffed": 1.0}


def risk_ranking(result, staffing=None, crew_plan=None) -> tuple[pd.DataFrame, dict]:
    """Rank the sites locked at the coldest hour of ``result`` (a ``HeatResult``).

    Parameters
    ----------
    result : HeatResult
        Its ``stations`` (load_kw, households, locked) and ``boiler_rooms`` (demand_mw,
        households, locked) at the coldest hour.
    staffing : StaffingPlan, optional
    crew_plan : CrewPlan, optional

    Returns
    -------
    (DataFrame, dict)
        ``RISK_COLUMNS`` sorted by rank; and what the score was made of (the inputs
        known or unknown, the weights, the patrol interval).
    """
    st, br = result.stations, result.boiler_rooms
    ms, mb = st["locked"].to_numpy(bool), br["locked"].to_numpy(bool)
    kind = np.array(["station"] * int(ms.sum()) + ["boiler_room"] * int(mb.sum()), dtype=object)
    site_id = np.r_[st["station_id"].to_numpy(dtype=object)[ms], br["asset_id"].to_numpy(dtype=object)[mb]]
    name = np.r_[st["name"].to_numpy(dtype=object)[ms], br["name"].to_numpy(dtype=object)[mb]]
    load = np.r_[st["load_kw"].to_numpy(float)[ms], br["demand_mw"].to_numpy(float)[mb] * 1000.0]
    hh = np.r_[st["households"].to_numpy(np.int64)[ms], br["households"].to_numpy(np.int64)[mb]]
    t_cold = result.coldest_time
    interval = float(patrol_interval_h(result.rules, result.coldest_c))
    weights = dict(result.rules.risk_weights)
    inputs = _inputs(staffing, crew_plan, weights, interval, t_cold)
    n = len(site_id)
    if n == 0:
        return pd.DataFrame(columns=RISK_COLUMNS), inputs
    if staffing is not None and len(staffing.sites):
        status = dict(zip(staffing.sites["site_id"].astype(str), staffing.sites["status"].astype(str)))
        staffed = np.array([status.get(str(i), "unstaffed") for i in site_id], dtype=object)
    else:
        staffed = np.full(n, "unknown", dtype=object)
    since = np.full(n, np.nan)
    if crew_plan is not None and len(crew_plan.routes):
        r = crew_plan.routes
        end = pd.to_datetime(r["depart"].where(r["depart"].notna(), r["eta"]))
        if getattr(end.dt, "tz", None) is not None:
            end = end.dt.tz_localize(None)
        before = (end <= t_cold).to_numpy()
        last = end[before].groupby(r.loc[before, "site_id"].astype(str).to_numpy()).max()
        if len(last):  # no visit before the coldest hour: unknown for every site (mapping an empty series fails)
            got = pd.to_datetime(pd.Series(site_id.astype(str)).map(last))
            since = ((t_cold - got) / pd.Timedelta(hours=1)).to_numpy(float)
    hhf = hh.astype(float)
    comp = {
        "load": load / load.max() if load.max() > 0 else np.zeros(n),
        "unstaffed": np.array([STAFFED_VALUE.get(v, 1.0) for v in staffed]),
        "since_visit": np.where(
            staffed == "staffed",
            0.0,
            np.where(np.isnan(since), 1.0, np.clip(np.nan_to_num(since) / interval, 0.0, 1.0)),
        ),
        "households": hhf / hhf.max() if hhf.max() > 0 else np.zeros(n),
    }
    score = np.round(100.0 * sum(weights.get(k, 0.0) * v for k, v in comp.items()) / sum(weights.values()), 1)
    since = np.round(since, 1)
    order = np.lexsort((site_id.astype(str), -hh, -score))
    reasons = [_reason(load[i], staffed[i], since[i], crew_plan is not None) for i in order]
    out = pd.DataFrame(
        {
            "rank": np.arange(1, n + 1),
            "site_kind": kind[order],
            "site_id": site_id[order],
            "name": name[order],
            "load_kw": load[order],
            "households": hh[order],
            "staffed": staffed[order],
            "hours_since_visit": since[order],
            "patrol_interval_h": round(interval, 2),
            "score": score[order],
            "reason": reasons,
        }
    )
    return out, inputs


#: who is inside a site at the coldest hour, as a risk reason says it
_STAFFED = {
    "staffed": Text("staffed", "驻守到位"),
    "partial": Text("partly staffed", "部分驻守"),
    "unstaffed": Text("nobody inside", "无人驻守"),
    "unknown": Text("staffing unknown", "驻守情况未知"),
}


def _reason(load_kw, staffed, since, have_crews: bool) -> Text:
    """Why a site ranks where it does (the "reason" column), in both languages."""
    staff = _STAFFED.get(staffed, staffed)
    if staffed == "staffed":
        visit = Text("no patrol needed", "无需巡检")
    elif np.isnan(since):
        visit = (
            Text("no crew visit before the coldest hour", "最冷时刻前无抢修队巡检")
            if have_crews
            else Text("crew visits unknown", "巡检情况未知")
        )
    else:
        visit = Text("crew {h:g} h before", "抢修队 {h:g} 小时前巡检", h=since)
    return Text(
        "{mw:,.2f} MW, {staff}, {visit}",
        "{mw:,.2f} MW，{staff}，{visit}",
        mw=load_kw / 1000.0,
        staff=staff,
        visit=visit,
    )


def _inputs(staffing, crew_plan, weights, interval, t_cold) -> dict:
    return {
        "staffing_plan": staffing is not None,
        "crew_plan": crew_plan is not None,
        "weights": weights,
        "patrol_interval_h": round(interval, 2),
        "coldest_time": t_cold.isoformat(timespec="minutes"),
    }


def heat_outlook(
    project,
    at=None,
    hours: int = 72,
    temp: float | None = None,
    rules=None,
    staffing: bool = True,
    engine=None,
    staffing_plan=None,
    crew_plan=None,
    feedback=None,
):
    """The heat balance with its risk ranking fed by the plans: what ``heatgis heat`` and the report show.

    Parameters
    ----------
    project, at, hours, temp
        As :func:`heatgis.analysis.heat.heat_balance`.
    rules : StaffingRules or HeatRules, optional
        The rules file (its ``heat`` section; the staffing rules for the staffing plan).
    staffing : bool
        Plan the staffing at the coldest hour (who is inside each locked site then), unless
        ``staffing_plan`` is given.
    crew_plan : CrewPlan, optional
        The crews' plan from the start of the horizon (``heatgis heat --crews`` makes one with
        ``routing.planner.crews_view``: analysis does not import routing); without it, the time
        since the last visit is unknown.
    engine, staffing_plan, feedback : optional

    Returns
    -------
    HeatResult
    """
    from heatgis.analysis.heat import heat_balance
    from heatgis.analysis.impact import ImpactEngine
    from heatgis.analysis.staffing.rules import StaffingRules
    from heatgis.errors import Feedback

    fb = feedback or Feedback()
    engine = engine or ImpactEngine(project)
    result = heat_balance(project, at=at, hours=hours, temp=temp, rules=rules, engine=engine, feedback=fb.sub(0, 50))
    if staffing_plan is None and staffing:
        from heatgis.analysis.staffing import plan_staffing

        fb.set_progress(55, Text("staffing plan at the coldest hour", "最冷时刻的驻守安排"))
        srules = rules if isinstance(rules, StaffingRules) else None
        staffing_plan = plan_staffing(project, result.coldest_time, srules, engine=engine)
    fb.check()
    result.risk, result.risk_inputs = risk_ranking(result, staffing_plan, crew_plan)
    fb.set_progress(100, Text("done", "完成"))
    return result
