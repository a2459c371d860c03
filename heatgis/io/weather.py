"""Weather and metered-heat files: CSV or XLSX tables read into the ``weather`` and ``metered`` tables.

A weather file has a time column and an outdoor temperature column (°C), one row per
hour; the headers may be English or Chinese::

    时间,气温
    2022-02-25 00:00,-12.5
    2022-02-25 01:00,-13.1

Accepted headers: time / datetime / date / 时间 / 日期时间 / 观测时间 and
outdoor_c / temperature / temp / 气温 / 温度 / 室外温度 / 室外气温 (units such as
``(℃)`` are ignored). Values may carry a unit (``-18℃``, ``-18 °C``, ``-18度``).

Every problem is reported at once, naming the file row (the header is row 1):

- a time that is not a time, a temperature that is not a number (``冷``), an
  implausible temperature (outside -60 to +50 °C), a time earlier than or equal to
  the row before (rows out of order, or twice the same hour) stop the import;
- missing hours (and rows with an empty temperature, left out) are a warning that
  lists the gaps; ``heatgis heat`` interpolates across them.

A metered-heat file has a station column (station_id / 站号 / 换热站编号 ...), a time
column and a heat column in kW (heat_kw / 热负荷 / 负荷 / 热量kW ...).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from heatgis.errors import HeatGISError, Problem

TIME_NAMES = ("time", "datetime", "date_time", "date", "timestamp", "时间", "日期时间", "观测时间", "日期", "时次")
TEMP_NAMES = ("outdoor_c", "temperature", "temp", "outdoor", "t", "气温", "温度", "室外温度", "室外气温", "外温")
STATION_NAMES = ("station_id", "station", "id", "站号", "换热站编号", "换热站", "站点编号", "站点")
HEAT_NAMES = ("heat_kw", "heat", "load_kw", "load", "热负荷", "负荷", "热量", "实测负荷", "供热量")
#: plausible outdoor temperatures (°C); outside this range a value is taken for a typing error
PLAUSIBLE_C = (-60.0, 50.0)
MAX_LISTED = 10
_UNIT = re.compile(r"\s*(℃|°c|°|摄氏度|度|c|kw|千瓦)\s*$", re.IGNORECASE)  # after a value
_HEADER_UNIT = re.compile(r"\s*(℃|°c|°)\s*$", re.IGNORECASE)  # after a column name


def _norm(name) -> str:
    text = str(name).strip().lower()
    text = re.sub(r"[（(\[].*?[)）\]]", "", text)  # "气温(℃)" -> "气温"
    text = _HEADER_UNIT.sub("", text)
    return text.replace(" ", "_").strip("_")


def _find(columns, names, what, path, wanted: str) -> str:
    normed = {_norm(c): c for c in columns}
    for n in names:
        if n in normed:
            return normed[n]
    raise HeatGISError(
        f"no {what} column found; the columns are: " + ", ".join(map(str, columns)),
        f"name the column {wanted}",
        file=path,
    )


def _read_table(path: Path, sheet=None, encoding=None) -> pd.DataFrame:
    if not path.exists():
        raise HeatGISError("the file does not exist", "check the path", file=path)
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".txt", ".tsv"):
            from heatgis.io.encoding import (
                EncodingGuess,
                detect_text_encoding,
                normalize_encoding,
            )

            enc = normalize_encoding(encoding)
            guess = EncodingGuess(enc, "chosen") if enc else detect_text_encoding(path)
            df = pd.read_csv(
                path,
                encoding=guess.encoding.lower(),
                dtype=str,
                keep_default_na=False,
                sep="\t" if suffix == ".tsv" else None,
                engine="python",
                skipinitialspace=True,
            )
        elif suffix in (".xlsx", ".xlsm"):
            df = pd.read_excel(path, sheet_name=sheet or 0, dtype=object, engine="openpyxl")
        else:
            raise HeatGISError(
                f"'{path.suffix}' files are not read as weather or metered tables",
                "save the table as CSV (UTF-8 or GBK) or XLSX",
                file=path,
            )
    except HeatGISError:
        raise
    except Exception as exc:
        raise HeatGISError(
            f"the file cannot be read as a table ({exc})", "save it as CSV or XLSX with one header row", file=path
        ) from exc
    df.columns = [str(c).strip() for c in df.columns]
    df = df.replace({"": None}).dropna(how="all")
    if len(df) == 0:
        raise HeatGISError("the table has no rows", "fill in the rows (time, temperature °C)", file=path)
    return df


def _numbers(values) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(numbers, empty mask, not-a-number mask) of a column of cells that may carry a unit."""
    out = np.full(len(values), np.nan)
    empty = np.zeros(len(values), bool)
    bad = np.zeros(len(values), bool)
    for i, v in enumerate(values):
        if v is None or (isinstance(v, float) and np.isnan(v)):
            empty[i] = True
            continue
        if isinstance(v, (int, float, np.number)) and not isinstance(v, bool):
            out[i] = float(v)
            continue
        text = _UNIT.sub("", str(v).strip()).replace("−", "-").replace(",", "")
        if not text:
            empty[i] = True
            continue
        try:
            out[i] = float(text)
        except ValueError:
            bad[i] = True
    return out, empty, bad


def _times(values) -> np.ndarray:
    s = pd.Series(values, dtype=object)
    from heatgis.model.schema import to_datetime

    return to_datetime(s).to_numpy()


def gaps(times) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """The missing whole hours of a sorted series: [(first missing hour, last missing hour)]."""
    t = pd.DatetimeIndex(times)
    if len(t) < 2:
        return []
    step = np.diff(t.as_unit("s").asi8) / 3600.0  # hours
    out = []
    for i in np.flatnonzero(step > 1.0 + 1e-9):
        first = t[i].ceil("h") if t[i] != t[i].floor("h") else t[i] + pd.Timedelta(hours=1)
        last = t[i + 1].floor("h") if t[i + 1] != t[i + 1].floor("h") else t[i + 1] - pd.Timedelta(hours=1)
        if last >= first:
            out.append((first, last))
    return out


def describe_gaps(g, rows_after=None) -> str:
    """ "2022-02-25 09:00–11:00 (3 h, after row 3); ..." for the first gaps."""
    parts = []
    for k, (a, b) in enumerate(g[:MAX_LISTED]):
        n = int((b - a) / pd.Timedelta(hours=1)) + 1
        where = f", after row {rows_after[k]}" if rows_after is not None else ""
        parts.append(f"{a:%Y-%m-%d %H:%M}" + ("" if n == 1 else f"–{b:%Y-%m-%d %H:%M}") + f" ({n} h{where})")
    more = f" and {len(g) - MAX_LISTED} more" if len(g) > MAX_LISTED else ""
    return "; ".join(parts) + more


def read_weather(path, sheet: str | None = None, encoding: str | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Read an hourly outdoor-temperature table.

    Parameters
    ----------
    path : path-like
        CSV (UTF-8 or GBK) or XLSX.
    sheet : str, optional
        Sheet of a workbook (default: the first).
    encoding : str, optional
        Encoding of a CSV (default: detected).

    Returns
    -------
    (DataFrame, list of Problem)
        The ``weather`` table (time, outdoor_c), sorted by time; warnings (gaps, empty
        temperatures).

    Raises
    ------
    HeatGISError
        With one problem per bad row (time, text temperature, implausible value,
        order), naming the row of the file.
    """
    path = Path(path)
    df = _read_table(path, sheet, encoding)
    tcol = _find(df.columns, TIME_NAMES, "time", path, "时间 or time")
    vcol = _find(df.columns, TEMP_NAMES, "temperature", path, "气温 or outdoor_c (°C)")
    rows = np.asarray(df.index) + 2  # file rows: the header is row 1
    raw_t, raw_v = df[tcol].to_numpy(dtype=object), df[vcol].to_numpy(dtype=object)
    times = _times(raw_t)
    temps, empty, bad = _numbers(raw_v)
    errors, warnings = [], []

    def err(i, msg, fix, fld):
        errors.append(Problem(msg, fix, str(path), "weather", str(rows[i]), fld))

    for i in np.flatnonzero(np.isnat(times))[:50]:
        err(
            i,
            f"'{raw_t[i]}' is not a date and time" if raw_t[i] is not None else "the time is empty",
            "write it as 2022-02-25 08:00",
            tcol,
        )
    for i in np.flatnonzero(bad)[:50]:
        err(
            i,
            f"the temperature '{raw_v[i]}' is not a number",
            "write the temperature in °C as a number, e.g. -18",
            vcol,
        )
    lo, hi = PLAUSIBLE_C
    wild = ~np.isnan(temps) & ((temps < lo) | (temps > hi))
    for i in np.flatnonzero(wild)[:50]:
        err(
            i,
            f"the temperature {temps[i]:g} °C is not plausible (outside {lo:g} to {hi:g} °C)",
            "correct the value (a typing error? °F instead of °C?)",
            vcol,
        )
    ok_t = ~np.isnat(times)
    idx = np.flatnonzero(ok_t)
    if len(idx) > 1:
        t = times[idx]
        back = np.flatnonzero(t[1:] <= t[:-1])
        for k in back[:50]:
            i, j = idx[k + 1], idx[k]
            same = t[k + 1] == t[k]
            err(
                i,
                f"the time {pd.Timestamp(t[k + 1]):%Y-%m-%d %H:%M} is "
                + (
                    "the same as in the row before"
                    if same
                    else f"earlier than row {rows[j]}'s {pd.Timestamp(t[k]):%Y-%m-%d %H:%M}"
                ),
                "give each hour once" if same else "sort the rows by time, oldest first",
                tcol,
            )
    if errors:
        raise HeatGISError(
            f"the weather file has {len(errors)} problem(s)",
            "correct the rows named below and import again",
            file=path,
            layer="weather",
            problems=errors,
        )
    for i in np.flatnonzero(empty)[:MAX_LISTED]:
        warnings.append(
            Problem(
                "the temperature is empty; the row is left out",
                "fill it in, or leave it: the hour is interpolated",
                str(path),
                "weather",
                str(rows[i]),
                vcol,
                "warning",
            )
        )
    keep = ~empty
    out = pd.DataFrame({"time": pd.Series(times[keep]).astype("datetime64[ms]").to_numpy(), "outdoor_c": temps[keep]})
    g = gaps(out["time"])
    if g:
        n = sum(int((b - a) / pd.Timedelta(hours=1)) + 1 for a, b in g)
        kept = rows[keep]
        before = [kept[int(np.searchsorted(out["time"].to_numpy(), np.datetime64(a, "ms"))) - 1] for a, _ in g]
        warnings.append(
            Problem(
                f"{n} hour(s) missing: {describe_gaps(g, before)}",
                "add the missing hours, or leave them: heatgis heat interpolates across gaps",
                str(path),
                "weather",
                None,
                tcol,
                "warning",
            )
        )
    return out.reset_index(drop=True), warnings


def read_metered(path, sheet: str | None = None, encoding: str | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Read metered station heat (station, time, heat in kW) into the ``metered`` table.

    Returns
    -------
    (DataFrame, list of Problem)
        station_id, time, heat_kw; rows with an empty value left out with a warning.

    Raises
    ------
    HeatGISError
        Times or heat values that cannot be read, or negative heat, naming the row.
    """
    path = Path(path)
    df = _read_table(path, sheet, encoding)
    scol = _find(df.columns, STATION_NAMES, "station", path, "station_id or 换热站编号")
    tcol = _find(df.columns, TIME_NAMES, "time", path, "时间 or time")
    hcol = _find(df.columns, HEAT_NAMES, "heat (kW)", path, "heat_kw or 热负荷")
    rows = np.asarray(df.index) + 2
    raw_t, raw_h = df[tcol].to_numpy(dtype=object), df[hcol].to_numpy(dtype=object)
    from heatgis.model.schema import text_column

    sid = text_column(df[scol]).to_numpy(dtype=object)
    times = _times(raw_t)
    heat, empty, bad = _numbers(raw_h)
    errors = []
    for i in np.flatnonzero(np.isnat(times))[:50]:
        errors.append(
            Problem(
                f"'{raw_t[i]}' is not a date and time",
                "write it as 2022-02-25 08:00",
                str(path),
                "metered",
                str(rows[i]),
                tcol,
            )
        )
    for i in np.flatnonzero(bad | (heat < 0))[:50]:
        errors.append(
            Problem(
                f"the heat '{raw_h[i]}' is not a number of kW >= 0",
                "write the heat in kW",
                str(path),
                "metered",
                str(rows[i]),
                hcol,
            )
        )
    if errors:
        raise HeatGISError(
            f"the metered file has {len(errors)} problem(s)",
            "correct the rows named below",
            file=path,
            layer="metered",
            problems=errors,
        )
    drop = empty | pd.isna(sid)
    warnings = [
        Problem(
            "the station or the heat is empty; the row is left out",
            "fill it in",
            str(path),
            "metered",
            str(rows[i]),
            hcol,
            "warning",
        )
        for i in np.flatnonzero(drop)[:MAX_LISTED]
    ]
    keep = ~drop
    out = pd.DataFrame(
        {
            "station_id": sid[keep],
            "time": pd.Series(times[keep]).astype("datetime64[ms]").to_numpy(),
            "heat_kw": heat[keep],
        }
    )
    return out.reset_index(drop=True), warnings
