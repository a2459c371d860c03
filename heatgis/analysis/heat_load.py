"""Heat loads of the cold snap: the degree-hour formula, metered fits, the hourly temperature series.

The first half of :mod:`heatgis.analysis.heat` (which balances these loads against capacity):
Qt-free and vectorized over hours x stations.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from heatgis.analysis.staffing.heat_rules import HeatRules
from heatgis.errors import HeatGISError, Problem
from heatgis.text import Text

FIT_COLUMNS = ["station_id", "n", "slope_kw_per_c", "intercept_kw", "r2", "used"]


def degree_hour_factor(outdoor_c, design_outdoor_c: float = -17.0, indoor_c: float = 18.0) -> np.ndarray:
    """``(T_in - T) / (T_in - T_design)``, 0 when it is warmer than indoors."""
    t = np.asarray(outdoor_c, dtype=float)
    return np.clip((indoor_c - t) / (indoor_c - design_outdoor_c), 0.0, None)


def degree_hour_load(design_kw, outdoor_c, design_outdoor_c: float = -17.0, indoor_c: float = 18.0) -> np.ndarray:
    """Load of each site at each temperature by the degree-hour method.

    Parameters
    ----------
    design_kw : array-like, shape (S,)
        Design load at ``design_outdoor_c``.
    outdoor_c : array-like, shape (H,)

    Returns
    -------
    numpy.ndarray, shape (H, S)
        kW.
    """
    f = degree_hour_factor(np.atleast_1d(outdoor_c), design_outdoor_c, indoor_c)
    return np.outer(f, np.asarray(design_kw, dtype=float))


def fit_metered(metered: pd.DataFrame, station_ids, rules: HeatRules | None = None) -> pd.DataFrame:
    """Each station's own line ``heat_kw = intercept + slope x outdoor_c`` by least squares.

    Vectorized over stations (sums per station with ``bincount``).

    Parameters
    ----------
    metered : DataFrame
        station_id, outdoor_c, heat_kw (the metered readings joined with the hour's
        temperature).
    station_ids : array-like
        The stations, in the order of the result.
    rules : HeatRules, optional

    Returns
    -------
    DataFrame
        ``FIT_COLUMNS`` in the order of ``station_ids``: readings ``n``, slope (kW/°C),
        intercept (kW), R², and ``used`` (the fit replaces the design formula).
    """
    rules = rules or HeatRules()
    ids = pd.Index(pd.Series(station_ids, dtype=object).astype(str))
    S = len(ids)
    pos = ids.get_indexer(metered["station_id"].astype(str)) if len(metered) else np.array([], int)
    x = metered["outdoor_c"].to_numpy(float) if len(metered) else np.array([])
    y = metered["heat_kw"].to_numpy(float) if len(metered) else np.array([])
    ok = (pos >= 0) & np.isfinite(x) & np.isfinite(y)
    pos, x, y = pos[ok], x[ok], y[ok]
    n = np.bincount(pos, minlength=S).astype(float)
    sx, sy = np.bincount(pos, x, S), np.bincount(pos, y, S)
    sxx, sxy = np.bincount(pos, x * x, S), np.bincount(pos, x * y, S)
    with np.errstate(invalid="ignore", divide="ignore"):
        den = n * sxx - sx * sx
        slope = np.where(den > 0, (n * sxy - sx * sy) / den, np.nan)
        intercept = np.where(n > 0, (sy - np.nan_to_num(slope) * sx) / n, np.nan)
        resid = y - (intercept[pos] + slope[pos] * x)
        ss_res = np.bincount(pos, resid * resid, S)
        ymean = np.where(n > 0, sy / np.maximum(n, 1), 0.0)
        ss_tot = np.bincount(pos, (y - ymean[pos]) ** 2, S)
        r2 = np.where(ss_tot > 0, 1.0 - ss_res / ss_tot, np.nan)
    used = (n >= rules.fit_min_points) & (np.nan_to_num(r2) >= rules.fit_min_r2) & (np.nan_to_num(slope) < 0)
    return pd.DataFrame(
        {
            "station_id": ids.to_numpy(),
            "n": n.astype(int),
            "slope_kw_per_c": slope,
            "intercept_kw": intercept,
            "r2": r2,
            "used": used,
        }
    )


def hourly_temperature(weather: pd.DataFrame, hours: pd.DatetimeIndex, file=None) -> tuple[np.ndarray, list[Problem]]:
    """The outdoor temperature at each hour, interpolated linearly across gaps of the series.

    Raises
    ------
    HeatGISError
        The series does not cover the horizon.
    """
    if len(weather):
        t = weather["time"].to_numpy().astype("datetime64[s]").astype(np.int64)
        v = pd.to_numeric(weather["outdoor_c"], errors="coerce").to_numpy(float)
        ok = ~np.isnat(weather["time"].to_numpy().astype("datetime64[s]")) & np.isfinite(v)
        t, v = t[ok], v[ok]
    else:
        t = v = np.array([])
    if len(t) == 0:
        raise HeatGISError(
            Text("the project has no weather series", "项目没有气温序列"),
            Text(
                "import one with 'heatgis heat PROJECT --weather FILE --save', or give a constant with --temp -18",
                "用 'heatgis heat PROJECT --weather FILE --save' 导入，或用 --temp -18 给出恒定温度",
            ),
            file=file,
            layer="weather",
        )
    if (np.diff(t) < 0).any():
        order = np.argsort(t, kind="stable")
        t, v = t[order], v[order]
    h = hours.as_unit("s").asi8
    if h[0] < t[0] or h[-1] > t[-1]:
        raise HeatGISError(
            Text(
                "the weather series covers {a:%Y-%m-%d %H:%M} to {b:%Y-%m-%d %H:%M}, not the hours asked "
                "({c:%Y-%m-%d %H:%M} to {d:%Y-%m-%d %H:%M})",
                "气温序列覆盖 {a:%Y-%m-%d %H:%M} 至 {b:%Y-%m-%d %H:%M}，不含所求时段"
                "（{c:%Y-%m-%d %H:%M} 至 {d:%Y-%m-%d %H:%M}）",
                a=pd.Timestamp(t[0], unit="s"),
                b=pd.Timestamp(t[-1], unit="s"),
                c=hours[0],
                d=hours[-1],
            ),
            Text(
                "choose another --at/--hours, import a longer series, or give --temp",
                "换一个 --at/--hours，导入更长的序列，或给出 --temp",
            ),
            file=file,
            layer="weather",
        )
    temp = np.interp(h, t, v)
    notes = []
    missing = ~np.isin(h, t)
    if missing.any():
        listed = ", ".join(f"{x:%m-%d %H:%M}" for x in hours[missing][:8])
        more = (
            Text(" and {n} more", " 等，另有 {n} 个", n=int(missing.sum()) - 8) if missing.sum() > 8 else Text("", "")
        )
        notes.append(
            Problem(
                Text(
                    "{n} hour(s) of the horizon are not in the weather series and were interpolated: {listed}{more}",
                    "所求时段中有 {n} 个小时不在气温序列中，已插值：{listed}{more}",
                    n=int(missing.sum()),
                    listed=listed,
                    more=more,
                ),
                Text("import the missing hours", "导入缺少的小时"),
                file,
                "weather",
                severity="warning",
            )
        )
    return temp, notes
