"""The crews' operations plan over a horizon: duty places, roster, vehicle routes, unmet duty.

``OpsPlan`` is what ``plan_operations`` (``heatgis.routing.ops``) returns and what every
output reads: ``heatgis crews --json``, the GeoJSON, and (built on these tables) the
roster PDF, the Excel sheet, the route sheets, the Gantt and the deck slide. Its tables
are plain DataFrames with the columns listed below (``*_COLUMNS``); times are naive
``Timestamp`` in the project's local time; ids are strings. The columns are stable: new
ones may be added, none removed or renamed.

Vocabulary
----------
duty (``places.duty``, ``unmet.duty``)
    ``presence`` (a person holds a site for a staffing shift), ``on_call`` (an
    electrician on call for a zone, stationed at one of its locked sites), ``patrol``
    (a vehicle team checks a site inside its interval), ``ticket`` (a repair or
    customer visit), ``pickup`` (bringing a person back after the shift).
task (``stops.task``, ``roster.task``)
    stops: ``board`` (a person gets in at their crew's depot), ``drop`` (set down at the
    site before the shift), ``pickup`` (taken back after it), ``alight`` (gets out at the
    depot), ``patrol``, ``ticket``; roster: ``presence``, ``on_call``, ``vehicle`` (the
    team driving a vehicle for the crew's shift).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

#: one row per place to hold (presence or on-call), filled or not
PLACE_COLUMNS = [
    "place_id",
    "duty",
    "site_id",
    "site_kind",
    "name",
    "zone_ids",
    "skill",
    "shift",
    "shift_start",
    "start",
    "end",
    "policy",
    "staff_id",
    "crew_id",
    "status",
    "reason",
]
#: one row per person and duty: who holds which place (or drives which vehicle) when
ROSTER_COLUMNS = [
    "staff_id",
    "name",
    "crew_id",
    "task",
    "place_id",
    "site_id",
    "site_name",
    "skill",
    "shift",
    "start",
    "end",
    "vehicle_id",
    "drop_vehicle",
    "pickup_vehicle",
]
#: one row per vehicle shift (a crew's vehicle on one of the crew's shifts)
VEHICLE_COLUMNS = [
    "vehicle_id",
    "crew_id",
    "crew_name",
    "depot_id",
    "depot_name",
    "shift_start",
    "shift_end",
    "seats",
    "skills",
    "team",
    "color",
    "stops",
    "travel_s",
    "distance_m",
    "leave",
    "back",
]
#: one row per stop served, in driving order per vehicle
STOP_COLUMNS = [
    "vehicle_id",
    "crew_id",
    "seq",
    "site_id",
    "site_kind",
    "name",
    "address",
    "task",
    "duty_id",
    "staff_ids",
    "skill",
    "arrive",
    "start",
    "depart",
    "window_start",
    "window_end",
    "travel_s",
    "distance_m",
    "zone_ids",
    "load",
    "late",
    "x",
    "y",
]
#: one row per leg driven (the leg reaching stop ``seq``; the leg home has ``to_id`` = depot id)
LEG_COLUMNS = [
    "vehicle_id",
    "crew_id",
    "seq",
    "from_id",
    "to_id",
    "depart",
    "arrive",
    "travel_s",
    "distance_m",
    "direct",
    "geometry",
    "closed_on_way",
]
#: one row per duty not met, with its reason
UNMET_COLUMNS = ["duty", "duty_id", "site_id", "skill", "start", "end", "reason", "detail"]
#: the tickets of the plan, with their outcome
TICKET_COLUMNS = [
    "ticket_id",
    "kind",
    "site_id",
    "skill",
    "priority",
    "duration_min",
    "reported",
    "deadline",
    "status",
    "vehicle_id",
    "crew_id",
    "eta",
    "done",
    "late",
]

#: unmet reasons
NO_QUALIFIED = "no qualified member left"
REST_RULE = "rest rule"
CLOSED_LOOP_LIMIT = "closed-loop limit"
UNREACHABLE = "unreachable"
NO_CREW_SKILL = "no qualified crew"
NO_VEHICLE_TIME = "no vehicle time"
WINDOW_MISSED = "window missed"


def empty(columns) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


def _ts(v):
    return (
        None
        if v is None or (not isinstance(v, (list, tuple)) and pd.isna(v))
        else pd.Timestamp(v).isoformat(timespec="minutes")
    )


def _plain(v):
    if isinstance(v, (list, tuple, np.ndarray)):
        return [_plain(x) for x in v]
    if isinstance(v, pd.Timestamp):
        return _ts(v)
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NaT:
        return None
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return round(float(v), 3)
    if isinstance(v, np.bool_):
        return bool(v)
    return v


def records(frame: pd.DataFrame, columns=None) -> list[dict]:
    cols = list(columns or frame.columns)
    return [{c: _plain(r[c]) for c in cols} for r in frame[cols].to_dict("records")]


@dataclass
class OpsPlan:
    """The crews' plan for ``[at, end)``.

    Attributes
    ----------
    at, end : Timestamp
        The horizon (``end - at`` = ``hours``, at most 72 h).
    places : DataFrame
        ``PLACE_COLUMNS``: each presence / on-call place of each staffing shift that
        insiders cannot fill. ``shift`` is the staffing shift label ("08:00-16:00") and
        ``shift_start`` its start,
        ``start``/``end`` the time the place must be held (a zone imposed or lifted
        inside a shift shortens it), ``policy`` the zone's entry policy (``shift`` or
        ``closed_loop``), ``status`` ``filled`` or ``unmet`` (then ``reason``).
    roster : DataFrame
        ``ROSTER_COLUMNS``: the 值班表. ``task`` presence / on_call rows hold a place
        (``place_id``, ``site_id``), set down by ``drop_vehicle`` and taken back by
        ``pickup_vehicle`` (empty when already inside or staying in a closed-loop zone);
        ``vehicle`` rows are the team of ``vehicle_id`` for the crew's shift.
    vehicles : DataFrame
        ``VEHICLE_COLUMNS``: one row per crew vehicle per crew shift in the plan
        (``vehicle_id`` = "CR-01/V1@02-25 08:00"); ``skills`` the team's skills
        (";"-joined), ``team`` the staff ids, ``seats`` the seats including the team.
    stops : DataFrame
        ``STOP_COLUMNS``: every stop served. ``arrive`` = arrival, ``start`` = start of
        service (after waiting for the window), ``depart``; ``duty_id`` the place,
        patrol or ticket id; ``staff_ids`` the people set down or taken back
        (";"-joined); ``load`` people aboard after the stop; ``late`` minutes past the
        window (tickets past their deadline only; other stops are never late).
    legs : GeoDataFrame
        ``LEG_COLUMNS``: the legs driven, routed under the closures active when the
        leg is driven (under those at arrival when a zone is imposed on the way); ``direct`` =
        inside one closed zone without leaving it; ``closed_on_way`` the zones (";"-joined)
        closed while the leg is driven that it still crosses (empty when it keeps to the
        closures; the check after solving, ``stats["legs_closed_on_way"]`` counts them).
    unmet : DataFrame
        ``UNMET_COLUMNS``: every duty not met and why (no qualified member left, rest
        rule, closed-loop limit, unreachable, no qualified crew, no vehicle time,
        window missed).
    tickets : DataFrame
        ``TICKET_COLUMNS``: the open tickets and their outcome (status ``planned``,
        ``late`` or ``unmet``).
    slices : list of dict
        The time slices with one set of closures: start, end, closed_zones.
    rules : CrewRules
    stats : dict
        Timings and solver figures.
    crs : str
        CRS of the legs and stop coordinates (x, y).
    """

    at: pd.Timestamp
    end: pd.Timestamp
    places: pd.DataFrame
    roster: pd.DataFrame
    vehicles: pd.DataFrame
    stops: pd.DataFrame
    legs: object
    unmet: pd.DataFrame
    tickets: pd.DataFrame = field(default_factory=lambda: empty(TICKET_COLUMNS))
    slices: list = field(default_factory=list)
    rules: object = None
    stats: dict = field(default_factory=dict)
    crs: str | None = None
    scenario: str = ""

    # ------------------------------------------------------------------ summaries
    @property
    def hours(self) -> float:
        return (self.end - self.at).total_seconds() / 3600

    def coverage(self) -> dict:
        """places_required, places_filled in all and per staffing shift (by shift start)."""
        p = self.places
        filled = p["status"] == "filled"
        per = []
        if len(p):
            g = p.assign(filled=filled).groupby(["shift_start", "shift"], sort=True)
            for (s0, name), grp in g:
                per.append(
                    {
                        "shift": name,
                        "start": _ts(s0),
                        "places_required": int(len(grp)),
                        "places_filled": int(grp["filled"].sum()),
                        "presence_required": int((grp["duty"] == "presence").sum()),
                        "presence_filled": int((grp["filled"] & (grp["duty"] == "presence")).sum()),
                    }
                )
        t = self.tickets
        return {
            "places_required": int(len(p)),
            "places_filled": int(filled.sum()),
            "presence_required": int((p["duty"] == "presence").sum()),
            "presence_filled": int((filled & (p["duty"] == "presence")).sum()),
            "patrols_required": int(self.stats.get("patrols", 0)),
            "patrols_done": int((self.stops["task"] == "patrol").sum()) if len(self.stops) else 0,
            "tickets": int(len(t)),
            "tickets_met": int((t["status"] == "planned").sum()) if len(t) else 0,
            "tickets_late": int((t["status"] == "late").sum()) if len(t) else 0,
            "per_shift": per,
        }

    def roster_by_crew(self) -> pd.DataFrame:
        """The roster sorted crew → start → staff (the printed roster per crew)."""
        return self.roster.sort_values(["crew_id", "start", "staff_id"], kind="stable").reset_index(drop=True)

    def roster_by_site(self) -> pd.DataFrame:
        """Presence and on-call rows sorted site → start (the printed roster per site)."""
        r = self.roster[self.roster["task"] != "vehicle"]
        return r.sort_values(["site_id", "start", "staff_id"], kind="stable").reset_index(drop=True)

    def stop_points(self):
        """The stops as a GeoDataFrame of points (vehicle, crew, seq, site, task, ETA, name, colour)."""
        import geopandas as gpd
        import shapely

        s = self.stops
        colors = dict(zip(self.vehicles["vehicle_id"], self.vehicles["color"]))
        out = s.drop(columns=["x", "y"]).copy()
        out["color"] = s["vehicle_id"].map(colors)
        return gpd.GeoDataFrame(
            out,
            geometry=shapely.points(s["x"].to_numpy(float), s["y"].to_numpy(float))
            if len(s)
            else gpd.GeoSeries([], crs=self.crs),
            crs=self.crs,
        )

    # ------------------------------------------------------------------ outputs
    def to_dict(self) -> dict:
        """The stable JSON shape of ``heatgis crews --json`` (keys never removed)."""
        routes = []
        for v in self.vehicles.itertuples():
            st = self.stops[self.stops["vehicle_id"] == v.vehicle_id]
            routes.append(
                {
                    "vehicle_id": v.vehicle_id,
                    "crew": v.crew_id,
                    "crew_name": v.crew_name,
                    "depot_id": v.depot_id,
                    "shift_start": _ts(v.shift_start),
                    "shift_end": _ts(v.shift_end),
                    "seats": int(v.seats),
                    "skills": v.skills,
                    "team": v.team,
                    "color": v.color,
                    "leave": _ts(v.leave),
                    "back": _ts(v.back),
                    "travel_s": round(float(v.travel_s)),
                    "distance_m": round(float(v.distance_m)),
                    "stops": records(
                        st,
                        [
                            "seq",
                            "site_id",
                            "name",
                            "task",
                            "duty_id",
                            "staff_ids",
                            "skill",
                            "arrive",
                            "start",
                            "depart",
                            "window_start",
                            "window_end",
                            "load",
                            "late",
                            "travel_s",
                            "distance_m",
                            "zone_ids",
                        ],
                    ),
                }
            )
        return {
            "scenario": self.scenario,
            "at": _ts(self.at),
            "end": _ts(self.end),
            "hours": self.hours,
            "coverage": self.coverage(),
            "roster": records(self.roster),
            "places": records(self.places),
            "routes": routes,
            "unmet": records(self.unmet),
            "tickets": records(self.tickets),
            "slices": [
                {"start": _ts(s["start"]), "end": _ts(s["end"]), "closed_zones": list(s["closed_zones"])}
                for s in self.slices
            ],
            "rules": self.rules.to_dict() if self.rules is not None else {},
            "stats": {k: _plain(v) for k, v in self.stats.items()},
        }

    def to_geojson(self, path) -> Path:
        """Write legs (lines) and stops (points: site, task, crew, ETA, name) as GeoJSON in WGS84."""
        import geopandas as gpd

        path = Path(path)
        colors = dict(zip(self.vehicles["vehicle_id"], self.vehicles["color"]))
        legs = self.legs[self.legs.geometry.notna()].copy()
        legs["feature"] = "leg"
        legs["color"] = legs["vehicle_id"].map(colors)
        for c in ("depart", "arrive"):
            legs[c] = legs[c].map(_ts)
        pts = self.stop_points()
        pts["feature"] = "stop"
        pts["eta"] = pts["arrive"].map(_ts)
        for c in ("arrive", "start", "depart", "window_start", "window_end"):
            pts[c] = pts[c].map(_ts)
        pts["zone_ids"] = pts["zone_ids"].map(lambda z: ";".join(z) if isinstance(z, (list, tuple)) else z)
        feats = []
        for frame in (legs, pts):
            if not len(frame):
                continue
            f = gpd.GeoDataFrame(frame, geometry="geometry", crs=self.crs)
            if self.crs:
                f = f.to_crs("EPSG:4326")
            feats += json.loads(f.to_json(drop_id=True, na="null"))["features"]
        doc = {
            "type": "FeatureCollection",
            "features": feats,
            "properties": {"at": _ts(self.at), "end": _ts(self.end), "scenario": self.scenario},
        }
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        return path


def shift_view(plan: OpsPlan, shift: str = "day", day=None, by_crew: bool = False):
    """One crew shift of the plan as a single-shift ``CrewPlan`` (the ``heatgis routes`` view).

    Each vehicle of the crews whose shift is ``shift`` ("day" starts 04:00–16:00, "night",
    or "all": every vehicle of the horizon) and starts on ``day`` (default: the first such shift starting at or after
    ``plan.at``, else the last before it) becomes one "crew" row of the CrewPlan, named
    "<crew name> V<k>"; its stops are the routes (``kind`` = the task), so the route sheets,
    the routes panel and the map draw the crews' plan. ``by_crew``: a crew with one vehicle in
    the view keeps its own id and name (``planner.plan_routes``, where each crew is one vehicle).
    A stop of a visit list (task ``visit``) has its site's kind as ``kind``.
    """
    from heatgis.routing import plan as P

    v = plan.vehicles
    is_day = v["shift_start"].map(lambda t: 4 <= pd.Timestamp(t).hour < 16)
    if shift != "all":
        v = v[is_day == (shift == "day")]
    if shift == "all":
        pass
    elif day is not None:
        v = v[v["shift_start"].dt.normalize() == pd.Timestamp(day).normalize()]
    elif len(v):
        starts = sorted(set(v["shift_start"]))
        later = [s for s in starts if s >= plan.at]
        v = v[v["shift_start"] == (later[0] if later else starts[-1])]
    ids = list(v["vehicle_id"])
    st = plan.stops[plan.stops["vehicle_id"].isin(ids)]
    one = v.groupby("crew_id")["vehicle_id"].transform("size") == 1
    cid = dict(zip(v["vehicle_id"], np.where(one & by_crew, v["crew_id"], v["vehicle_id"])))
    routes = pd.DataFrame(
        {
            "crew_id": st["vehicle_id"].map(cid),
            "seq": st["seq"],
            "site_id": st["site_id"],
            "kind": np.where(st["task"] == "visit", st["site_kind"], st["task"]),
            "name": st["name"],
            "address": st["address"],
            "eta": st["start"],
            "depart": st["depart"],
            "travel_s": st["travel_s"],
            "distance_m": st["distance_m"],
            "service_min": pd.to_timedelta(st["depart"] - st["start"]).dt.total_seconds() / 60,
            "zone_ids": st["zone_ids"],
            "priority": 0,
        },
        columns=P.ROUTE_COLUMNS,
    ).reset_index(drop=True)
    legs = plan.legs[plan.legs["vehicle_id"].isin(ids)].copy()
    legs["crew_id"] = legs["vehicle_id"].map(cid)
    legs = legs[["crew_id", "seq", "from_id", "to_id", "travel_s", "distance_m", "geometry"]]
    members = plan.roster[plan.roster["task"] == "vehicle"].groupby("vehicle_id").size()
    crews = pd.DataFrame(
        {
            "crew_id": v["vehicle_id"].map(cid),
            "name": [
                n if cid[i] != i else f"{n} V{i.split('/V')[1].split('@')[0]}"
                for n, i in zip(v["crew_name"], v["vehicle_id"])
            ],
            "depot_id": v["depot_id"],
            "depot_name": v["depot_name"],
            "members": [int(members.get(i, 0)) for i in v["vehicle_id"]],
            "shift_start": v["shift_start"],
            "shift_end": v["shift_end"],
            "color": v["color"],
            "stops": v["stops"],
            "travel_s": v["travel_s"],
            "distance_m": v["distance_m"],
            "service_s": [
                float(routes.loc[routes["crew_id"] == cid[i], "service_min"].sum() * 60) for i in v["vehicle_id"]
            ],
            "leave": v["leave"],
            "back": v["back"],
        },
        columns=P.CREW_COLUMNS,
    ).reset_index(drop=True)
    s0 = crews["shift_start"].min() if len(crews) else plan.at
    s1 = crews["shift_end"].max() if len(crews) else plan.end
    un = plan.unmet[(plan.unmet["start"] < s1) & (plan.unmet["end"] > s0)]
    dropped = pd.DataFrame(
        {
            "site_id": un["site_id"],
            "kind": un["duty"],
            "name": un["duty_id"],
            "reason": un["reason"],
            "detail": un["detail"],
        },
        columns=P.DROPPED_COLUMNS,
    )
    closed = next((s["closed_zones"] for s in plan.slices if s["start"] <= max(s0, plan.at) < s["end"]), [])
    return P.CrewPlan(
        routes=routes,
        legs=legs,
        crews=crews,
        dropped=dropped.reset_index(drop=True),
        at=plan.at,
        shift=shift,
        shift_start=s0,
        shift_end=s1,
        closed_zones=list(closed),
        duty_source="crews",
        stats={k: v for k, v in plan.stats.items() if k != "notes"},
        crs=plan.crs,
    )
