"""Emergency dispatch: the nearest free crew to a fault at a site, and its ETA.

A closest-facility query on the same graph and barriers as the crew plan: the
crews' positions (their depot, or where the current plan has them at ``at``)
are the facilities; one reverse Dijkstra from the fault's entry gate on the open
graph gives every crew's time at once. A crew is free when it is on shift at
``at``, not serving a visit at that moment, and not listed as busy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.sparse.csgraph import dijkstra

from heatgis.errors import HeatGISError
from heatgis.model.project import parse_time
from heatgis.routing.barriers import DEFAULT_PRECAUTION_FACTOR, LegBuilder, apply_barriers, stop_access
from heatgis.routing.planner import build_graph, crews_on_shift, shift_window, site_points
from heatgis.text import Text

CANDIDATE_COLUMNS = ["crew_id", "name", "from_id", "free", "why_not", "travel_s", "distance_m", "eta"]


@dataclass
class Dispatch:
    """The answer: the chosen crew (None when no free crew can reach the site) and every candidate."""

    site_id: str
    at: pd.Timestamp
    crew_id: str | None
    eta: pd.Timestamp | None
    travel_s: float
    candidates: pd.DataFrame
    geometry: object = None  # the route of the chosen crew (LineString)

    def to_dict(self) -> dict:
        return {
            "site_id": self.site_id,
            "at": self.at.isoformat(timespec="minutes"),
            "crew_id": self.crew_id,
            "eta": None if self.eta is None else self.eta.isoformat(timespec="minutes"),
            "travel_s": None if not np.isfinite(self.travel_s) else round(self.travel_s),
            "candidates": self.candidates.assign(
                eta=self.candidates["eta"].map(lambda t: None if pd.isna(t) else t.isoformat(timespec="minutes"))
            ).to_dict("records"),
        }


def nearest_crew(
    project,
    site_id: str,
    at=None,
    plan=None,
    busy=(),
    zones=None,
    graph=None,
    precaution_factor: float = DEFAULT_PRECAUTION_FACTOR,
) -> Dispatch:
    """The nearest free crew to a fault at ``site_id`` and when it gets there.

    Parameters
    ----------
    project : Project
    site_id : str
        A station or boiler room id.
    at : str or Timestamp, optional
        Time of the fault (default the scenario's reference time).
    plan : CrewPlan, optional
        The current plan: a crew is where its last started visit is; one serving a
        visit at ``at`` is not free.
    busy : iterable of str
        Crews known to be busy.
    zones, graph, precaution_factor
        As in ``plan_routes``.
    """
    at = parse_time(at) if at is not None else project.reference_time
    if at is None:
        raise HeatGISError(
            Text("the project has no reference time", "项目没有设置参考时间"),
            Text("give the time of the fault", "给出故障发生的时间"),
        )
    sites = site_points(project).set_index("site_id", drop=False)
    site_id = str(site_id)
    if site_id not in sites.index:
        raise HeatGISError(
            Text(
                "'{site}' is neither a station nor a boiler room of the project",
                "'{site}' 既不是本项目的换热站，也不是锅炉房",
                site=site_id,
            ),
            Text("give the id of the site with the fault", "给出发生故障的站点编号"),
            file=project.path,
            layer="stations",
            row=site_id,
        )
    zones = project.layer("lockdown_zones") if zones is None else zones
    crews = pd.concat([_crews(project, at, s) for s in ("day", "night")], ignore_index=True)
    on = (crews["shift_start"] <= at) & (at < crews["shift_end"])
    busy = {str(b) for b in busy}
    pos, why = [], []
    for c, is_on in zip(crews.itertuples(), on):
        where, reason = f"depot:{c.depot_id}", ""
        if not is_on:
            reason = Text("off shift", "不在班")
        elif c.crew_id in busy:
            reason = Text("busy", "忙碌")
        if plan is not None and is_on:
            stops = plan.routes[plan.routes["crew_id"] == c.crew_id]
            started = stops[stops["eta"] <= at]
            if len(started):
                last = started.iloc[-1]
                where = f"site:{last.site_id}"
                if last["depart"] > at and not reason:
                    reason = Text(
                        "serving {site} until {t:%H:%M}",
                        "在 {site} 作业至 {t:%H:%M}",
                        site=last.site_id,
                        t=last["depart"],
                    )
        pos.append(where)
        why.append(reason)
    stop_ids = list(dict.fromkeys(pos)) + [f"site:{site_id}"]
    geom = {
        f"depot:{d}": g
        for d, g in zip(project.layer("depots")["depot_id"].astype(str), project.layer("depots").geometry)
    }
    geom.update({f"site:{s}": g for s, g in zip(sites["site_id"], sites["geometry"])})
    base = graph if graph is not None else build_graph(project)
    g = base.attach(np.array([geom[s] for s in stop_ids], dtype=object), stop_ids)
    bg = apply_barriers(g, zones, at, precaution_factor)
    acc = stop_access(bg, stop_ids)
    t = acc.table
    target = len(stop_ids) - 1
    # closest facility: one reverse Dijkstra from the fault's entry gate
    d = dijkstra(bg.open_csr(transpose=True), directed=True, indices=int(t["in_node"].iloc[target]))
    times = {}
    for k, s in enumerate(stop_ids[:-1]):
        ok = bool(t["reachable"].iloc[k]) and bool(t["reachable"].iloc[target])
        times[s] = float(t["out_s"].iloc[k] + d[int(t["out_node"].iloc[k])] + t["in_s"].iloc[target]) if ok else np.inf
    lb = LegBuilder(bg, acc)
    rows = []
    for c, where, reason in zip(crews.itertuples(), pos, why):
        tr = times[where]
        rows.append(
            {
                "crew_id": c.crew_id,
                "name": c.name,
                "from_id": where.split(":", 1)[1],
                "free": not reason and np.isfinite(tr),
                "why_not": reason
                or ("" if np.isfinite(tr) else Text("no open road to the site", "没有通往该站点的可通行道路")),
                "travel_s": tr,
                "distance_m": np.nan,
                "eta": at + pd.Timedelta(seconds=tr) if np.isfinite(tr) else pd.NaT,
            }
        )
    cand = (
        pd.DataFrame(rows, columns=CANDIDATE_COLUMNS)
        .sort_values(["free", "travel_s"], ascending=[False, True], kind="stable")
        .reset_index(drop=True)
    )
    best = cand[cand["free"]]
    if best.empty:
        return Dispatch(site_id, at, None, None, np.inf, cand)
    b = best.iloc[0]
    arcs = lb.arcs(stop_ids.index(pos[crews.index[crews["crew_id"] == b.crew_id][0]]), target)
    cand.loc[0, "distance_m"] = float(g.length_m[arcs].sum()) if arcs else 0.0
    return Dispatch(site_id, at, str(b.crew_id), b.eta, float(b.travel_s), cand, lb.geometry(arcs))


def _crews(project, at, shift):
    s0, _ = shift_window(at, shift)
    if shift == "day" and s0 > at:
        s0 -= pd.Timedelta(days=1)
    try:
        return crews_on_shift(project, s0, shift)
    except HeatGISError as exc:
        if not str(exc.problem.message).startswith("no crew works"):
            raise
        return pd.DataFrame(
            columns=["crew_id", "name", "depot_id", "depot_name", "members", "shift_start", "shift_end", "geometry"]
        )
