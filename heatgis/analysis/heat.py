"""The cold snap: heat demand at the forecast temperature against what each source and boiler room can give.

Qt-free, vectorized over hours x stations. For each hour of the horizon:

- **station load** by the degree-hour method, ``Q(T) = Q_design x (T_in - T) / (T_in - T_design)``
  (never below 0), with ``T_design`` -17 °C (Hohhot, GB 50736) and ``T_in`` 18 °C from the
  rules file (:class:`~heatgis.analysis.staffing.heat_rules.HeatRules`); where metered history is
  in the project (``metered``: station_id, time, heat_kw) and the station's own straight line
  ``Q = a + b T`` fits well (at least ``fit_min_points`` readings, R² >= ``fit_min_r2``,
  slope < 0), that line is used instead (the approach of district-heating software such as
  TERMIS);
- **lockdown uplift**: the share of a site's households living inside an active sealed or
  controlled zone at that hour (compounds, by the site that serves them; a site without
  compounds counts as a whole when it lies in such a zone) draws ``lockdown_uplift`` more
  (everybody at home, no daytime setback). Zones change over the horizon: each zone counts
  from its start to its end, as in the impact engine;
- **boiler rooms** carry no design load: their own load is heated area x ``boiler_room_w_m2``
  at the design temperature, by the same formula;
- **balance per network**: the stations with that ``network_id`` (plus, for a network fed by
  a boiler room, i.e. a ``network_id`` equal to a boiler room's ``asset_id``, that boiler
  room's own load) against the capacity of the heat sources with that ``network_id`` (or of
  that boiler room); margin = capacity - demand; an hour is in deficit when demand > capacity.
  Each boiler room is balanced against its own load plus the stations it feeds.

The risk ranking of the sites locked at the coldest hour is in :mod:`heatgis.analysis.heat_risk`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from heatgis.analysis.heat_load import (  # noqa: F401  (re-exported: the loads are part of this API)
    FIT_COLUMNS,
    degree_hour_factor,
    degree_hour_load,
    fit_metered,
    hourly_temperature,
)
from heatgis.analysis.heat_networks import (  # noqa: F401  (re-exported: the tables' columns)
    BOILER_COLUMNS,
    HOURLY_COLUMNS,
    NETWORK_COLUMNS,
    _at_coldest,
    _at_coldest_br,
    _balance,
    _r3,
)
from heatgis.analysis.staffing.heat_rules import HeatRules
from heatgis.analysis.staffing.rules import patrol_interval_h
from heatgis.errors import HeatGISError, Problem
from heatgis.text import Text


@dataclass
class HeatResult:
    """The heat balance over a horizon (see the module docstring).

    Attributes
    ----------
    hours : DatetimeIndex
    outdoor_c : ndarray (H,)
    coldest : int
        Index of the coldest hour (the first one when several tie).
    station_load_kw : ndarray (H, S)
        Every station's load, with the lockdown uplift.
    stations, boiler_rooms, networks, hourly, fits, risk : DataFrame
    city : DataFrame
        The whole city per hour: time, outdoor_c, demand_mw (every station and boiler room),
        capacity_mw (every heat source and boiler room).
    """

    at: pd.Timestamp
    hours: pd.DatetimeIndex
    outdoor_c: np.ndarray
    temperature_source: str
    coldest: int
    station_load_kw: np.ndarray
    stations: pd.DataFrame
    boiler_rooms: pd.DataFrame
    networks: pd.DataFrame
    hourly: pd.DataFrame
    fits: pd.DataFrame
    rules: HeatRules
    risk: pd.DataFrame = field(default_factory=pd.DataFrame)
    city: pd.DataFrame = field(default_factory=pd.DataFrame)
    risk_inputs: dict = field(default_factory=dict)
    scenario: str = ""
    notes: list = field(default_factory=list)

    @property
    def coldest_time(self) -> pd.Timestamp:
        return self.hours[self.coldest]

    @property
    def coldest_c(self) -> float:
        return float(self.outdoor_c[self.coldest])

    def totals(self) -> dict:
        """City-wide figures at the coldest hour: every network, plus the boiler rooms that feed none
        (their own load and capacity)."""
        n = self.networks
        br = self.boiler_rooms
        alone = br[~br["asset_id"].isin(n["network_id"])]
        known = n["capacity_mw"].notna()
        demand = n["demand_mw"].sum() + alone["demand_mw"].sum()
        capacity = n.loc[known, "capacity_mw"].sum() + alone["capacity_mw"].sum()
        return {
            "demand_mw": _r3(demand),
            "capacity_mw": _r3(capacity),
            "networks": len(n),
            "networks_in_deficit": int((n["hours_in_deficit"] > 0).sum()),
            "boiler_rooms_in_deficit": int((self.boiler_rooms["hours_in_deficit"] > 0).sum()),
            "stations_fitted": int(self.fits["used"].sum()) if len(self.fits) else 0,
        }

    def to_dict(self, top: int = 20) -> dict:
        """The stable JSON shape (``heatgis heat --json``); MW to 0.001 as in the workbook."""
        br = self.boiler_rooms
        return {
            "scenario": self.scenario,
            "at": self.at.isoformat(timespec="minutes"),
            "hours": len(self.hours),
            "temperature": {
                "source": self.temperature_source,
                "min_c": round(self.coldest_c, 1),
                "max_c": round(float(self.outdoor_c.max()), 1),
                "coldest_time": self.coldest_time.isoformat(timespec="minutes"),
                "patrol_interval_h": round(float(patrol_interval_h(self.rules, self.coldest_c)), 2),
            },
            "rules": self.rules.to_dict(),
            "totals": self.totals(),
            "networks": _records(self.networks),
            "boiler_rooms_in_deficit": _records(br[br["hours_in_deficit"] > 0]),
            "risk": _records(self.risk.head(top)) if len(self.risk) else [],
            "risk_inputs": self.risk_inputs,
            "fits": _records(self.fits[self.fits["n"] > 0]) if len(self.fits) else [],
            "notes": [str(p) for p in self.notes],
        }


def horizon(at, hours: int) -> pd.DatetimeIndex:
    """``hours`` whole hours from ``at`` (rounded down to the hour)."""
    if hours < 1 or hours > 24 * 62:
        raise HeatGISError(
            Text("--hours {hours} is out of range", "--hours {hours} 超出范围", hours=hours),
            Text("give 1 to 1488 hours (62 days)", "给出 1 到 1488 小时（62 天）"),
        )
    return pd.date_range(pd.Timestamp(at).floor("h"), periods=int(hours), freq="h")


def heat_balance(
    project,
    at=None,
    hours: int = 72,
    temp: float | None = None,
    rules: HeatRules | None = None,
    zones=None,
    engine=None,
    staffing=None,
    crew_plan=None,
    feedback=None,
) -> HeatResult:
    """Demand against capacity per network and boiler room for each hour of the horizon.

    Parameters
    ----------
    project : Project
        Stations (network_id, design_load_kw, households), heat sources (network_id,
        capacity_mw), boiler rooms (capacity_mw, heated_area_m2); ``weather`` unless
        ``temp`` is given; ``metered`` optional; zones and compounds for the uplift.
    at : str or Timestamp, optional
        Start of the horizon (default: the scenario's reference time).
    hours : int
        Length of the horizon (default 72).
    temp : float, optional
        A constant outdoor temperature instead of the weather series.
    rules : HeatRules or StaffingRules, optional
    zones : GeoDataFrame, optional
        Default: the project's lockdown_zones.
    engine : ImpactEngine, optional
        Reuse an engine built for the project.
    staffing : StaffingPlan, optional
        For the risk ranking (staffed or not); unknown without it.
    crew_plan : CrewPlan, optional
        For the risk ranking (hours since the last crew visit); unknown without it.
    feedback : Feedback, optional

    Returns
    -------
    HeatResult
    """
    from heatgis.analysis.heat_risk import risk_ranking
    from heatgis.analysis.impact import ImpactEngine
    from heatgis.errors import Feedback
    from heatgis.model.project import parse_time

    fb = feedback or Feedback()
    rules = getattr(rules, "heat", rules) or HeatRules()
    file = str(project.path) if project.path else None
    at = parse_time(at) if at is not None else project.reference_time
    if at is None:
        raise HeatGISError(
            Text("the project has no reference time", "项目没有参考时间"),
            Text("give the time with --at 2022-02-25T08:00", "用 --at 2022-02-25T08:00 给出时间"),
            file=file,
        )
    hrs = horizon(at, hours)
    notes: list[Problem] = []
    if temp is not None:
        if not -60 <= float(temp) <= 50:
            raise HeatGISError(
                Text(
                    "--temp {temp:g} °C is not a plausible outdoor temperature",
                    "--temp {temp:g} °C 不是合理的室外温度",
                    temp=float(temp),
                ),
                Text("give e.g. --temp -18", "例如给出 --temp -18"),
            )
        tout = np.full(len(hrs), float(temp))
        source = f"constant {float(temp):g} °C"
    else:
        tout, more = hourly_temperature(project.layer("weather"), hrs, file)
        notes += more
        source = "weather"
    fb.set_progress(10, Text("zones", "管控区"))
    engine = engine or ImpactEngine(project)
    zones = project.layer("lockdown_zones") if zones is None else zones
    st, br = _stations(project), _boilers(project, rules)
    share_st, share_br, locked_st, locked_br = locked_share(engine, zones, hrs, st["station_id"], br["asset_id"])
    fb.check()
    fb.set_progress(40, Text("loads", "热负荷"))
    fits = _fits(project, st["station_id"], rules, file, notes)
    f = degree_hour_factor(tout, rules.design_outdoor_c, rules.indoor_c)
    base = np.outer(f, st["design_load_kw"].to_numpy(float))
    if len(fits) and fits["used"].any():
        u = fits["used"].to_numpy()
        a, b = fits["intercept_kw"].to_numpy(float)[u], fits["slope_kw_per_c"].to_numpy(float)[u]
        base[:, u] = np.clip(a[None, :] + np.outer(tout, b), 0.0, None)
    uplift = rules.lockdown_uplift
    load = base * (1.0 + uplift * share_st)
    own = np.outer(f, br["design_kw"].to_numpy(float)) * (1.0 + uplift * share_br)
    fb.set_progress(70, Text("balance", "供需平衡"))
    networks, hourly, boilers = _balance(project, st, br, load, own, hrs, tout, notes, file)
    coldest = int(np.argmin(tout))
    boilers["locked"] = locked_br[coldest]
    stations = st.assign(
        model=np.where(fits["used"].to_numpy(), "metered", "design") if len(fits) else "design",
        load_kw=_r3(load[coldest]),
        uplift_share=np.round(share_st[coldest], 3),
        locked=locked_st[coldest],
    )
    result = HeatResult(
        at=at,
        hours=hrs,
        outdoor_c=tout,
        temperature_source=source,
        coldest=coldest,
        station_load_kw=load,
        stations=stations,
        boiler_rooms=boilers,
        networks=_at_coldest(networks, hrs, coldest),
        hourly=hourly,
        fits=fits,
        rules=rules,
        scenario=project.name,
        notes=notes,
    )
    result.boiler_rooms = _at_coldest_br(boilers, hrs, coldest)
    cap = result.totals()["capacity_mw"]
    result.city = pd.DataFrame(
        {
            "time": hrs,
            "outdoor_c": tout,
            "demand_mw": _r3((load.sum(axis=1) + own.sum(axis=1)) / 1000.0),
            "capacity_mw": cap,
        }
    )
    fb.set_progress(85, Text("risk", "风险"))
    result.risk, result.risk_inputs = risk_ranking(result, staffing, crew_plan)
    fb.set_progress(100, Text("done", "完成"))
    return result


# ---------------------------------------------------------------------- parts


def _text(frame, col) -> np.ndarray:
    if col not in frame.columns:
        return np.full(len(frame), "", dtype=object)
    v = frame[col].to_numpy(dtype=object)
    return np.where(pd.isna(v), "", v).astype(str).astype(object)


def _num(frame, col, dtype=float) -> np.ndarray:
    v = pd.to_numeric(frame[col], errors="coerce").to_numpy(float)
    return np.nan_to_num(v).astype(dtype)


def _stations(project) -> pd.DataFrame:
    s = project.layer("stations")
    return pd.DataFrame(
        {
            "station_id": _text(s, "station_id"),
            "name": _text(s, "name"),
            "network_id": _text(s, "network_id"),
            "design_load_kw": _num(s, "design_load_kw"),
            "households": _num(s, "households", np.int64),
        }
    )


def _boilers(project, rules: HeatRules) -> pd.DataFrame:
    b = project.layer("boiler_rooms")
    return pd.DataFrame(
        {
            "asset_id": _text(b, "asset_id"),
            "name": _text(b, "name"),
            "capacity_mw": pd.to_numeric(b["capacity_mw"], errors="coerce").to_numpy(float),
            "design_kw": _num(b, "heated_area_m2") * rules.boiler_room_w_m2 / 1000.0,
            "households": _num(b, "households", np.int64),
        }
    )


def locked_share(engine, zones, hours: pd.DatetimeIndex, station_ids, boiler_ids) -> tuple[np.ndarray, ...]:
    """Per hour and site, the share (0-1) of its households inside an active sealed or controlled zone.

    Compounds count by the site that serves them (``served_by``); a site serving no compound
    with households counts as a whole when it lies in such a zone.

    Returns
    -------
    (share_st, share_br, locked_st, locked_br)
        Shares (H, stations) and (H, boiler rooms), floats 0-1; and whether the site
        itself is locked (in an active sealed or controlled zone), booleans of the same shapes.
    """
    from heatgis.analysis.timeline import _any_per_member
    from heatgis.analysis.zones import ZoneArrays

    z = ZoneArrays.from_frame(zones)
    H, n_sites = len(hours), len(engine.sites)
    # active and locking, per hour and zone (start <= t < end, a missing end = still active)
    t = hours.to_numpy().astype("datetime64[ms]")[:, None]
    act = (~np.isnat(z.start) & (z.start <= t)) & (np.isnat(z.end) | (t < z.end)) & z.locking()[None, :]
    zi, si = engine.sites.query(z.geoms)
    site_locked = _any_per_member(act, zi, si, n_sites).astype(float)
    share = site_locked
    server = engine.compound_server
    if len(server) and (server >= 0).any():
        hh = pd.to_numeric(engine.compounds.frame["households"], errors="coerce").fillna(0).to_numpy(float)
        ok = (server >= 0) & (hh > 0)
        served_hh = np.bincount(server[ok], hh[ok], n_sites)
        ci, cc = engine.compounds.query(z.geoms)
        comp_locked = _any_per_member(act, ci, cc, len(server))  # (H, compounds)
        locked_hh = np.zeros((H, n_sites))
        cols = np.flatnonzero(ok & comp_locked.any(axis=0))  # only compounds ever locked in the horizon
        if len(cols):
            np.add.at(locked_hh.T, server[cols], (comp_locked[:, cols] * hh[cols]).T)
        has = served_hh > 0
        share = np.where(has[None, :], locked_hh / np.where(has, served_hh, 1.0)[None, :], site_locked)
    cols_st = _positions(engine, "station", station_ids)
    cols_br = _positions(engine, "boiler_room", boiler_ids)

    def pick(values, cols):
        if len(cols) and (cols >= 0).all():
            return np.take(values, cols, axis=1)
        out = np.zeros((H, len(cols)))
        ok = cols >= 0
        out[:, ok] = values[:, cols[ok]]
        return out

    share = np.clip(share, 0.0, 1.0)
    return (pick(share, cols_st), pick(share, cols_br), pick(site_locked, cols_st) > 0, pick(site_locked, cols_br) > 0)


def _positions(engine, kind: str, ids) -> np.ndarray:
    """Positions of ``ids`` (of one kind) in the engine's site table; -1 where absent."""
    frame = engine.sites.frame
    mine = np.flatnonzero(frame["kind"].to_numpy() == kind)
    ids = np.asarray(ids, dtype=object)
    have = frame["id"].to_numpy(dtype=object)[mine]
    if len(have) == len(ids) and (have == ids).all():  # the usual case: the same layer, the same order
        return mine
    return np.where(
        pd.Index(have.astype(str)).get_indexer(ids.astype(str)) >= 0,
        mine[np.maximum(pd.Index(have.astype(str)).get_indexer(ids.astype(str)), 0)],
        -1,
    )


_IMPORT_WEATHER = Text("import the weather of the metered period", "导入实测时段的气温")


def _fits(project, station_ids, rules, file, notes) -> pd.DataFrame:
    if not project.has("metered") or not len(project.layer("metered")):
        return pd.DataFrame(columns=FIT_COLUMNS)
    m = project.layer("metered").dropna(subset=["station_id", "time", "heat_kw"])
    w = project.layer("weather")
    if not len(w):
        notes.append(
            Problem(
                Text(
                    "metered heat is in the project but no weather series to fit it against",
                    "项目中有实测热量，但没有可用来拟合的气温序列",
                ),
                _IMPORT_WEATHER,
                file,
                "metered",
                severity="warning",
            )
        )
        return pd.DataFrame(columns=FIT_COLUMNS)
    w = w.dropna().sort_values("time")
    t = pd.DatetimeIndex(w["time"]).as_unit("s").asi8
    mt = pd.DatetimeIndex(m["time"]).as_unit("s").asi8
    inside = (mt >= t[0]) & (mt <= t[-1])
    joined = pd.DataFrame(
        {
            "station_id": m["station_id"].astype(str).to_numpy()[inside],
            "outdoor_c": np.interp(mt[inside], t, w["outdoor_c"].to_numpy(float)),
            "heat_kw": pd.to_numeric(m["heat_kw"], errors="coerce").to_numpy(float)[inside],
        }
    )
    if (~inside).any():
        notes.append(
            Problem(
                Text(
                    "{n} metered reading(s) lie outside the weather series and were not fitted",
                    "{n} 条实测读数不在气温序列的时段内，未参与拟合",
                    n=int((~inside).sum()),
                ),
                _IMPORT_WEATHER,
                file,
                "metered",
                severity="warning",
            )
        )
    return fit_metered(joined, station_ids, rules)


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as plain JSON values (numbers as they are: the frames hold them rounded already)."""
    out = []
    for rec in frame.to_dict("records"):
        clean = {}
        for k, v in rec.items():
            if isinstance(v, (np.bool_, bool)):
                v = bool(v)
            elif isinstance(v, (np.integer,)):
                v = int(v)
            elif isinstance(v, (np.floating, float)):
                v = None if np.isnan(v) else (int(v) if float(v).is_integer() and k in ("n", "rank") else float(v))
            elif isinstance(v, pd.Timestamp):
                v = v.isoformat(timespec="minutes")
            elif v is pd.NA or v is None:
                v = None
            clean[k] = v
        out.append(clean)
    return out
