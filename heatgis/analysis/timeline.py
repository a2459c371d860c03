"""Day by day: locked sites, heated area, households and staff across the scenario.

Each zone's sites and staff homes are found once (zone, member) pairs; each day
is then one gather of the active-and-locking zones over those pairs, reduced per
member, so a timeline of a month costs about as much as one impact query.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from heatgis.analysis.impact import ImpactEngine
from heatgis.analysis.zones import ZoneArrays, active_mask
from heatgis.model.project import parse_time


def timeline(
    project, zones=None, start=None, end=None, time_of_day=None, engine: ImpactEngine | None = None
) -> pd.DataFrame:
    """Locked sites and their totals on each day of the scenario.

    Parameters
    ----------
    project : Project
    zones : GeoDataFrame, optional
        Defaults to the project's lockdown_zones.
    start, end : str or Timestamp, optional
        First and last day; default from the first zone start to the day after
        the last zone end.
    time_of_day : str, optional
        "HH:MM" at which each day is evaluated; default the reference time's
        (08:00 when there is none).
    engine : ImpactEngine, optional
        Reuse an engine already built for the project.

    Returns
    -------
    DataFrame
        time, zones_active, stations, boiler_rooms, heated_area_m2, households,
        staff_locked_in; one row per day.
    """
    engine = engine or ImpactEngine(project)
    zones = project.layer("lockdown_zones") if zones is None else zones
    z = ZoneArrays.from_frame(zones)
    cols = ["time", "zones_active", "stations", "boiler_rooms", "heated_area_m2", "households", "staff_locked_in"]
    if len(z) == 0 and (start is None or end is None):
        return pd.DataFrame(columns=cols)
    if time_of_day is None:
        ref = project.readable_reference_time()
        time_of_day = ref.strftime("%H:%M") if ref is not None else "08:00"
    hh, mm = (int(x) for x in str(time_of_day).split(":")[:2])
    offset = pd.Timedelta(hours=hh, minutes=mm)
    first = parse_time(start).normalize() if start is not None else pd.Timestamp(np.nanmin(z.start)).normalize()
    if end is not None:
        last = parse_time(end).normalize()
    else:
        ends = z.end[~np.isnat(z.end)]
        last = pd.Timestamp(ends.max() if len(ends) else np.nanmax(z.start)).normalize() + pd.Timedelta(days=1)
    days = pd.date_range(first, last, freq="D") + offset

    locking = z.locking()
    zi, si = engine.sites.query(z.geoms)
    fz, fs = engine.staff.query(z.geoms)
    act = np.stack([active_mask(z.start, z.end, t) for t in days]) if len(z) else np.zeros((len(days), 0), bool)
    a = act & locking
    locked = _any_per_member(a, zi, si, len(engine.sites))
    staff = _any_per_member(a, fz, fs, len(engine.staff)).sum(axis=1)
    return pd.DataFrame(
        {
            "time": days,
            "zones_active": act.sum(axis=1),
            "stations": (locked & engine.is_station).sum(axis=1),
            "boiler_rooms": (locked & ~engine.is_station).sum(axis=1),
            "heated_area_m2": locked @ engine.area,
            "households": locked.astype(np.int64) @ engine.households,
            "staff_locked_in": staff.astype(int),
        }
    )


def _any_per_member(a: np.ndarray, zone: np.ndarray, member: np.ndarray, n: int) -> np.ndarray:
    """``out[d, m]``: whether any zone holding member ``m`` is set in row ``d`` of ``a``
    (days x zones), for the (zone, member) pairs given."""
    out = np.zeros((a.shape[0], n), dtype=bool)
    if len(member) == 0:
        return out
    order = np.argsort(member, kind="stable")
    m, z = member[order], zone[order]
    starts = np.flatnonzero(np.r_[True, m[1:] != m[:-1]])
    out[:, m[starts]] = np.logical_or.reduceat(a[:, z], starts, axis=1)
    return out
