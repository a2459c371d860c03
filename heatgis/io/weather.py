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
from heatgis.io.messages import CHECK_PATH, NO_FILE
from heatgis.text import Text, join

TIME_NAMES = ("time", "datetime", "date_time", "date", "timestamp", "时间", "日期时间", "观测时间", "日期", "时次")
TEMP_NAMES = ("outdoor_c", "temperature", "temp", "outdoor", "t", "气温", "温度", "室外温度", "室外气温", "外温")
STATION_NAMES = ("station_id", "station", "id", "站号", "换热站编号", "换热站", "站点编号", "站点")
HEAT_NAMES = ("heat_kw", "heat", "load_kw", "load", "热负荷", "负荷", "热量", "实测负荷", "供热量")
#: plausible outdoor temperatures (°C); outside this range a value is taken for a typing error
PLAUSIBLE_C = (-60.0, 50.0)
MAX_LISTED = 10
_UNIT = re.compile(r"\s*(℃|°c|°|摄氏度|度|c|kw|千瓦)\s*$", re.IGNORECASE)  # after a value
_HEADER_UNIT = re.compile(r"\s*(℃|°c|°)\s*$", re.IGNORECASE)  # after a column name
#: the columns looked for: (what, how to name it)
_TIME = (Text("time", "时间"), Text("时间 or time", "时间 或 time"))
_TEMP = (Text("temperature", "气温"), Text("气温 or outdoor_c (°C)", "气温 或 outdoor_c（°C）"))
_STATION = (Text("station", "换热站"), Text("station_id or 换热站编号", "station_id 或 换热站编号"))
_HEAT = (Text("heat (kW)", "热负荷（kW）"), Text("heat_kw or 热负荷", "heat_kw 或 热负荷"))
_NOT_A_TIME = "'{value}' is not a date and time", "'{value}' 不是日期时间"
_WRITE_TIME = Text("write it as 2022-02-25 08:00", "请写成 2022-02-25 08:00")


def _norm(name) -> str:
    text = str(name).strip().lower()
    text = re.sub(r"[（(\[].*?[)）\]]", "", text)  # "气温(℃)" -> "气温"
    text = _HEADER_UNIT.sub("", text)
    return text.replace(" ", "_").strip("_")


def _find(columns, names, looked_for: tuple[Text, Text], path) -> str:
    """The column of ``names``; ``looked_for`` is (what, how to name it) for the error."""
    normed = {_norm(c): c for c in columns}
    for n in names:
        if n in normed:
            return normed[n]
    what, wanted = looked_for
    raise HeatGISError(
        Text(
            "no {what} column found; the columns are: {columns}",
            "没有找到{what}列；现有的列：{columns}",
            what=what,
            columns=join(map(str, columns)),
        ),
        Text("name the column {wanted}", "请将该列命名为 {wanted}", wanted=wanted),
        file=path,
    )


def _read_table(path: Path, sheet=None, encoding=None) -> pd.DataFrame:
    if not path.exists():
        raise HeatGISError(NO_FILE, CHECK_PATH, file=path)
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".txt", ".tsv"):
            from heatgis.io.encoding import (
                CHOSEN,
                EncodingGuess,
                detect_text_encoding,
                normalize_encoding,
            )

            enc = normalize_encoding(encoding)
            guess = EncodingGuess(enc, CHOSEN) if enc else detect_text_encoding(path)
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
                Text(
                    "'{suffix}' files are not read as weather or metered tables",
                    "'{suffix}' 文件不能作为气象表或实测负荷表读取",
                    suffix=path.suffix,
                ),
                Text("save the table as CSV (UTF-8 or GBK) or XLSX", "请将表格保存为 CSV（UTF-8 或 GBK）或 XLSX"),
                file=path,
            )
    except HeatGISError:
        raise
    except Exception as exc:
        raise HeatGISError(
            Text("the file cannot be read as a table ({exc})", "无法将文件作为表格读取（{exc}）", exc=exc),
            Text("save it as CSV or XLSX with one header row", "请保存为只有一行表头的 CSV 或 XLSX"),
            file=path,
        ) from exc
    df.columns = [str(c).strip() for c in df.columns]
    df = df.replace({"": None}).dropna(how="all")
    if len(df) == 0:
        raise HeatGISError(
            Text("the table has no rows", "表格中没有数据行"),
            Text("fill in the rows (time, temperature °C)", "请填写数据行（时间、气温 °C）"),
            file=path,
        )
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


def describe_gaps(g, rows_after=None) -> Text:
    """ "2022-02-25 09:00–11:00 (3 h, after row 3); ..." for the first gaps (in both languages)."""
    parts = []
    for k, (a, b) in enumerate(g[:MAX_LISTED]):
        n = int((b - a) / pd.Timedelta(hours=1)) + 1
        where = Text(", after row {row}", "，位于第 {row} 行之后", row=rows_after[k]) if rows_after is not None else ""
        parts.append(
            Text(
                "{a:%Y-%m-%d %H:%M}{b} ({n} h{where})",
                "{a:%Y-%m-%d %H:%M}{b}（{n} 小时{where}）",
                a=a,
                b="" if n == 1 else f"–{b:%Y-%m-%d %H:%M}",
                n=n,
                where=where,
            )
        )
    more = Text(" and {n} more", "，另有 {n} 处", n=len(g) - MAX_LISTED) if len(g) > MAX_LISTED else ""
    return Text("{parts}{more}", "{parts}{more}", parts=join(parts, Text("; ", "；")), more=more)


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
    tcol = _find(df.columns, TIME_NAMES, _TIME, path)
    vcol = _find(df.columns, TEMP_NAMES, _TEMP, path)
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
            Text(*_NOT_A_TIME, value=raw_t[i]) if raw_t[i] is not None else Text("the time is empty", "时间为空"),
            _WRITE_TIME,
            tcol,
        )
    for i in np.flatnonzero(bad)[:50]:
        err(
            i,
            Text("the temperature '{value}' is not a number", "气温 '{value}' 不是数字", value=raw_v[i]),
            Text("write the temperature in °C as a number, e.g. -18", "请用数字填写气温（°C），如 -18"),
            vcol,
        )
    lo, hi = PLAUSIBLE_C
    wild = ~np.isnan(temps) & ((temps < lo) | (temps > hi))
    for i in np.flatnonzero(wild)[:50]:
        err(
            i,
            Text(
                "the temperature {t:g} °C is not plausible (outside {lo:g} to {hi:g} °C)",
                "气温 {t:g} °C 不合理（超出 {lo:g} 至 {hi:g} °C）",
                t=temps[i],
                lo=lo,
                hi=hi,
            ),
            Text(
                "correct the value (a typing error? °F instead of °C?)",
                "请改正该值（是否输入有误？是否把 °C 写成了 °F？）",
            ),
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
                Text(
                    "the time {t:%Y-%m-%d %H:%M} is {how}",
                    "时间 {t:%Y-%m-%d %H:%M} {how}",
                    t=pd.Timestamp(t[k + 1]),
                    how=Text("the same as in the row before", "与上一行相同")
                    if same
                    else Text(
                        "earlier than row {row}'s {before:%Y-%m-%d %H:%M}",
                        "早于第 {row} 行的 {before:%Y-%m-%d %H:%M}",
                        row=rows[j],
                        before=pd.Timestamp(t[k]),
                    ),
                ),
                Text("give each hour once", "每个小时只填一次")
                if same
                else Text("sort the rows by time, oldest first", "请按时间从早到晚排列各行"),
                tcol,
            )
    if errors:
        raise HeatGISError(
            Text("the weather file has {n} problem(s)", "气象文件有 {n} 个问题", n=len(errors)),
            Text("correct the rows named below and import again", "请改正下列各行后重新导入"),
            file=path,
            layer="weather",
            problems=errors,
        )
    for i in np.flatnonzero(empty)[:MAX_LISTED]:
        warnings.append(
            Problem(
                Text("the temperature is empty; the row is left out", "气温为空；该行未导入"),
                Text("fill it in, or leave it: the hour is interpolated", "请填写，或保留空白：该小时将插值计算"),
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
                Text("{n} hour(s) missing: {gaps}", "缺少 {n} 个小时：{gaps}", n=n, gaps=describe_gaps(g, before)),
                Text(
                    "add the missing hours, or leave them: heatgis heat interpolates across gaps",
                    "请补齐缺少的小时，或保留：heatgis heat 会对缺口插值",
                ),
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
    scol = _find(df.columns, STATION_NAMES, _STATION, path)
    tcol = _find(df.columns, TIME_NAMES, _TIME, path)
    hcol = _find(df.columns, HEAT_NAMES, _HEAT, path)
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
                Text(*_NOT_A_TIME, value=raw_t[i]),
                _WRITE_TIME,
                str(path),
                "metered",
                str(rows[i]),
                tcol,
            )
        )
    for i in np.flatnonzero(bad | (heat < 0))[:50]:
        errors.append(
            Problem(
                Text(
                    "the heat '{value}' is not a number of kW >= 0",
                    "热负荷 '{value}' 不是大于等于 0 的 kW 数值",
                    value=raw_h[i],
                ),
                Text("write the heat in kW", "请以 kW 填写热负荷"),
                str(path),
                "metered",
                str(rows[i]),
                hcol,
            )
        )
    if errors:
        raise HeatGISError(
            Text("the metered file has {n} problem(s)", "实测负荷文件有 {n} 个问题", n=len(errors)),
            Text("correct the rows named below", "请改正下列各行"),
            file=path,
            layer="metered",
            problems=errors,
        )
    drop = empty | pd.isna(sid)
    warnings = [
        Problem(
            Text("the station or the heat is empty; the row is left out", "换热站或热负荷为空；该行未导入"),
            Text("fill it in", "请填写"),
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
