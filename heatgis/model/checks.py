"""Checks beyond one layer: the scenario metadata, the file's stored values, references.

``validate_project`` (in :mod:`heatgis.model.schema`) runs them after the per-layer
checks. Each returns a list of :class:`~heatgis.errors.Problem` naming the file, the
layer, the row and the fix; none raises on bad data.

- :func:`validate_meta`: an unreadable ``crs`` or ``reference_time`` in ``heatgis_meta``.
- :func:`stored_types`: text stored in a number field. GDAL reads a text value of an
  INTEGER/REAL column with SQLite's own conversion, which keeps the leading digits and drops
  the rest: ``'1,310'`` households are read as 1, ``'约1310'`` as 0, without a word. The
  frame cannot tell those rows apart, so the file is asked (``typeof()``), read-only.
- :func:`validate_references`: ids that point at features that do not exist (pipes,
  compounds, staff, crews, sites), and a site id used by a station and a boiler room alike.
"""

from __future__ import annotations

import functools
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd

from heatgis.errors import Problem
from heatgis.model.schema import DEFAULT_CRS, LAYERS, SITE_LAYERS, spec, text_column
from heatgis.model.validation import _RowIds, flag_rows, more_rows
from heatgis.text import Text

META = "heatgis_meta"


# --------------------------------------------------------------------------- metadata


@functools.lru_cache(maxsize=64)
def crs_error(text: str) -> str | None:
    """None when ``text`` names a coordinate system pyproj can build, else why not."""
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    try:
        CRS.from_user_input(text)
    except (CRSError, TypeError, ValueError) as exc:
        return str(exc).split("\n")[0][:160]
    return None


def validate_meta(meta: dict, file: str | None = None) -> list[Problem]:
    """Problems of the scenario metadata (``crs`` and ``reference_time``)."""
    from heatgis.errors import HeatGISError
    from heatgis.model.project import parse_time

    problems = []
    crs = str(meta.get("crs") or "").strip()
    if crs and crs_error(crs):
        problems.append(
            Problem(
                Text(
                    "the coordinate system '{crs}' cannot be read ({why}); {default} is used instead",
                    "无法识别坐标系“{crs}”（{why}），改用 {default}",
                    crs=crs,
                    why=crs_error(crs),
                    default=DEFAULT_CRS,
                ),
                Text(
                    "set the row 'crs' of the table {meta} to the layers' coordinate system, e.g. {default} "
                    "(Save in the app writes the one in use)",
                    "把表 {meta} 中“crs”一行设为图层的坐标系，如 {default}（在软件中保存会写入当前使用的坐标系）",
                    meta=META,
                    default=DEFAULT_CRS,
                ),
                file,
                META,
                "crs",
                "value",
            )
        )
    ref = str(meta.get("reference_time") or "").strip()
    if ref:
        try:
            parse_time(ref)
        except HeatGISError:
            problems.append(
                Problem(
                    Text(
                        "the reference time '{ref}' is not a date and time; commands without --at cannot run",
                        "基准时间“{ref}”不是日期时间；不带 --at 的命令无法运行",
                        ref=ref,
                    ),
                    Text(
                        "set the row 'reference_time' of the table {meta} to e.g. 2022-02-25T08:00",
                        "把表 {meta} 中“reference_time”一行设为如 2022-02-25T08:00 的时间",
                        meta=META,
                    ),
                    file,
                    META,
                    "reference_time",
                    "value",
                )
            )
    return problems


# --------------------------------------------------------------------------- stored values


def stored_types(path, layers=None, fields: dict | None = None) -> list[Problem]:
    """Text (or binary) values the GeoPackage holds in the contract's number fields.

    Parameters
    ----------
    path : path-like
        The project GeoPackage; opened read-only with SQLite, never written.
    layers : iterable of str, optional
        Contract layers to check (default: all present).
    fields : dict of str to iterable of str, optional
        Layers read in part (``Project.partial``): only these of their fields are checked.

    Returns
    -------
    list of Problem
        One error per bad value (the first ``MAX_ROWS`` per field), with what it is read as.
    """
    from heatgis.model.schema import MAX_ROWS

    path = Path(path)
    if not path.is_file():
        return []
    problems: list[Problem] = []
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=2.0)
    except sqlite3.Error:
        return []
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        for name in layers if layers is not None else LAYERS:
            if name not in LAYERS or name not in tables:
                continue
            s = spec(name)
            declared = {r[1]: str(r[2] or "").upper() for r in con.execute(f'PRAGMA table_info("{name}")')}
            only = (fields or {}).get(name)
            numeric = [
                f
                for f in s.fields
                if f.dtype in ("int", "float") and f.name in declared and (only is None or f.name in only)
            ]
            if not numeric:
                continue
            key = f'"{s.id_field}"' if s.id_field in declared else "rowid"
            for f, bad in zip(numeric, _bad_numbers(con, name, key, numeric)):
                is_text_col = not any(t in declared[f.name] for t in ("INT", "REAL", "FLOA", "DOUB", "NUM"))
                for rid, value, kind, read in bad[:MAX_ROWS]:
                    row = str(rid) if key != "rowid" or rid is None else f"#{rid}"
                    if kind == "real":
                        problems.append(
                            Problem(
                                Text(
                                    "{value:g} is not a whole number (field '{name}'); it is read as {read}",
                                    "{value:g} 不是整数（字段“{name}”），读作 {read}",
                                    value=value,
                                    name=f.name,
                                    read=_EMPTY if abs(value) >= 9.2e18 else read,
                                ),
                                Text("correct '{name}'", "改正“{name}”", name=f.name),
                                str(path),
                                name,
                                row,
                                f.name,
                            )
                        )
                        continue
                    shown = value if kind == "text" else Text("binary data", "二进制数据")
                    read_as = _EMPTY if is_text_col or kind == "blob" else f"{read:g}"
                    problems.append(
                        Problem(
                            Text(
                                "'{shown}' is stored as text in the number field '{name}' and is read as {read}",
                                "“{shown}”以文本形式存在数字字段“{name}”中，读作 {read}",
                                shown=shown,
                                name=f.name,
                                read=read_as,
                            ),
                            Text(
                                "write the number alone, without separators or units (e.g. 1310, not 1,310 or 1310户)",
                                "只写数字，不带分隔符或单位（如 1310，而不是 1,310 或 1310户）",
                            ),
                            str(path),
                            name,
                            row,
                            f.name,
                        )
                    )
                if len(bad) > MAX_ROWS:
                    problems.append(
                        Problem(
                            more_rows(len(bad) - MAX_ROWS),
                            Text("write the numbers alone", "只写数字"),
                            str(path),
                            name,
                            None,
                            f.name,
                            "error",
                            len(bad) - MAX_ROWS,
                        )
                    )
    except sqlite3.Error as exc:
        problems.append(
            Problem(
                Text("the stored values could not be checked ({exc})", "无法检查文件中存储的值（{exc}）", exc=exc),
                Text(
                    "run 'heatgis validate' again when no other program writes the file",
                    "在没有其他程序写入该文件时再运行“heatgis validate”",
                ),
                str(path),
                severity="warning",
            )
        )
    finally:
        con.close()
    return problems


#: what a value that cannot be read as a number becomes
_EMPTY = Text("empty", "空值")


def _bad_numbers(con, name: str, key: str, numeric: list) -> list[list[tuple]]:
    """For each number field: the rows (id, value, typeof, value as GDAL reads it) holding text or
    binary data, then (whole-number fields) a fraction or a number beyond 64 bits; table order.

    One scan of the table for all its number fields (a province's 500,000 stations are read once,
    not once per field and condition).
    """
    parts, conds = [], []
    for f in numeric:
        col = f'"{f.name}"'
        # what GDAL makes of the text: SQLite's own conversion for a number column, nothing
        # (empty after conform) for a text column
        as_number = "INTEGER" if f.dtype == "int" else "REAL"
        text = f"typeof({col}) IN ('text', 'blob')"
        # a fraction or a number beyond 64 bits in a whole-number field
        real = (
            f"(typeof({col}) = 'real' AND ({col} != CAST({col} AS INTEGER) OR abs({col}) >= 9.2e18))"
            if f.dtype == "int"
            else "0"
        )
        parts += [col, f"typeof({col})", f"CAST({col} AS {as_number})", text, real]
        conds += [text, real] if f.dtype == "int" else [text]
    rows = con.execute(f'SELECT {key}, {", ".join(parts)} FROM "{name}" WHERE {" OR ".join(conds)}').fetchall()
    out = []
    for k, _f in enumerate(numeric):
        j = 1 + 5 * k
        texts = [(r[0], r[j], r[j + 1], r[j + 2]) for r in rows if r[j + 3]]
        reals = [(r[0], r[j], r[j + 1], r[j + 2]) for r in rows if r[j + 4]]
        out.append([t for t in texts if not _clean_number(t[1])] + reals)
    return out


def _clean_number(value) -> bool:
    """True for text that is a plain number (read right after all)."""
    if not isinstance(value, str):
        return False
    try:
        return np.isfinite(float(value.strip()))
    except ValueError:
        return False


# --------------------------------------------------------------------------- references

#: (layer, field, target layers); a target layer absent from the project is skipped
REFERENCES = (
    ("stations", "depot_id", ("depots",)),
    ("boiler_rooms", "depot_id", ("depots",)),
    ("crews", "depot_id", ("depots",)),
    ("staff", "depot_id", ("depots",)),
    ("stations", "compound_id", ("compounds",)),
    ("boiler_rooms", "compound_id", ("compounds",)),
    ("compounds", "served_by", ("stations", "boiler_rooms")),
    ("staff", "assigned_site", ("stations", "boiler_rooms")),
    ("staff", "crew_id", ("crews",)),
    ("tickets", "site_id", ("stations", "boiler_rooms")),
)


def _ids(layers, name) -> set:
    frame = layers[name]
    s = spec(name)
    if s.id_field not in frame.columns:
        return set()
    return set(text_column(frame[s.id_field]).dropna())


def _row_ids(layers, name):
    if name in LAYERS:
        return _RowIds(spec(name), layers[name])
    return _PlainIds(len(layers[name]))


class _PlainIds:
    def __init__(self, n):
        self.n = n

    def __getitem__(self, i):
        return f"#{int(i) + 1}"


def validate_references(layers: dict, file: str | None = None) -> list[Problem]:
    """Ids in one layer that name no feature of the layer they point at.

    Pipes: an end that is not a heat source, station or boiler room must be a junction, a
    node where the network branches (two or more pipes leave or arrive); a start no pipe
    feeds, a dead end or a pass-through node with an unknown id points at a missing site.
    """
    problems: list[Problem] = []
    known: dict[str, set] = {}

    def ids_of(name):
        if name not in known:
            known[name] = _ids(layers, name)
        return known[name]

    for layer, fld, targets in REFERENCES:
        present = [t for t in targets if t in layers]
        if layer not in layers or not present or fld not in layers[layer].columns:
            continue
        valid = set().union(*(ids_of(t) for t in present))
        vals = text_column(layers[layer][fld])
        bad = vals.notna().to_numpy() & ~vals.isin(valid).to_numpy()
        names = Text(" or ".join(f"'{t}'" for t in present), "或".join(f"“{t}”（{spec(t).title_zh}）" for t in present))
        what = Text(
            " or ".join(str(spec(t).id_field) for t in present), " 或 ".join(str(spec(t).id_field) for t in present)
        )
        flag_rows(
            problems,
            bad,
            lambda i: Text(
                "'{v}' is not a known {what} in {names}",
                "“{v}”不是{names}中已有的 {what}",
                v=vals.iloc[i],
                what=what,
                names=names,
            ),
            Text(
                "correct '{fld}', or add the missing feature to {names}",
                "改正“{fld}”，或在{names}中添加缺少的要素",
                fld=fld,
                names=names,
            ),
            file,
            layer,
            _row_ids(layers, layer),
            fld,
        )

    if "stations" in layers and "boiler_rooms" in layers:
        both = ids_of("stations") & ids_of("boiler_rooms")
        if both:
            vals = text_column(layers["boiler_rooms"][SITE_LAYERS["boiler_rooms"]])
            flag_rows(
                problems,
                vals.isin(both).to_numpy(),
                lambda i: Text(
                    "the site id '{v}' is also a station's id", "站点编号“{v}”也是某个换热站的编号", v=vals.iloc[i]
                ),
                Text("give each station and boiler room its own id", "换热站和锅炉房各用自己的编号"),
                file,
                "boiler_rooms",
                _row_ids(layers, "boiler_rooms"),
                SITE_LAYERS["boiler_rooms"],
            )

    if "pipes" in layers:
        problems += _pipe_references(layers, file, ids_of)
    if "crews" in layers:
        problems += _crew_shifts(layers["crews"], file)
    return problems


def _crew_shifts(crews, file) -> list[Problem]:
    """Shift start and end as HH:MM (the crew planner reads them so)."""
    problems: list[Problem] = []
    ids = _row_ids({"crews": crews}, "crews")
    for fld in ("shift_start", "shift_end"):
        if fld not in crews.columns:
            continue
        vals = text_column(crews[fld])
        ok = vals.str.fullmatch(r"([01]?\d|2[0-3]):[0-5]\d(:[0-5]\d)?").fillna(True).astype(bool).to_numpy()
        flag_rows(
            problems,
            ~ok,
            lambda i: Text("'{v}' is not a time of day (HH:MM)", "“{v}”不是时刻（HH:MM）", v=vals.iloc[i]),
            Text("write '{fld}' as e.g. 08:00 or 20:00", "“{fld}”写成如 08:00 或 20:00", fld=fld),
            file,
            "crews",
            ids,
            fld,
        )
    return problems


def _pipe_references(layers, file, ids_of) -> list[Problem]:
    """Pipe ends that name no heat source, station or boiler room.

    Such an end is a junction when the network branches there (two or more pipes leave or
    arrive). Otherwise: a start that no pipe feeds, or a dead end, is an error (the site it
    served is missing, so tracing from the source stops short); a pass-through node (one pipe
    in, one out) is a warning, since a pipe split in two at a valve looks the same.
    """
    problems: list[Problem] = []
    pipes = layers["pipes"]
    if not {"from_id", "to_id"} <= set(pipes.columns) or len(pipes) == 0:
        return problems
    nodes = set()
    for name in ("heat_sources", "stations", "boiler_rooms"):
        if name in layers:
            nodes |= ids_of(name)
    a, b = text_column(pipes["from_id"]), text_column(pipes["to_id"])
    out_deg, in_deg = a.value_counts(), b.value_counts()
    unknown = (set(a.dropna()) | set(b.dropna())) - nodes
    deg = pd.DataFrame({"in": in_deg, "out": out_deg}).reindex(sorted(unknown)).fillna(0)
    starts = set(deg.index[deg["in"] == 0])
    ends = set(deg.index[deg["out"] == 0])
    passing = set(deg.index[(deg["in"] == 1) & (deg["out"] == 1)])
    ids = _row_ids(layers, "pipes")
    what = Text("which is not a heat source, station or boiler room", "它不是热源、换热站或锅炉房")
    flag_rows(
        problems,
        a.isin(starts).to_numpy(),
        lambda i: Text(
            "the pipe starts at '{v}', {what}, and no pipe feeds it",
            "管段起点是“{v}”，{what}，也没有管段通向它",
            v=a.iloc[i],
            what=what,
        ),
        Text(
            "correct 'from_id', or add the missing site (pipes run from the source downstream)",
            "改正“from_id”，或添加缺少的站点（管段从热源向下游走向）",
        ),
        file,
        "pipes",
        ids,
        "from_id",
    )
    flag_rows(
        problems,
        b.isin(ends).to_numpy(),
        lambda i: Text(
            "the pipe ends at '{v}', {what}, and no pipe leaves it",
            "管段终点是“{v}”，{what}，也没有管段从它引出",
            v=b.iloc[i],
            what=what,
        ),
        Text("correct 'to_id', or add the missing site", "改正“to_id”，或添加缺少的站点"),
        file,
        "pipes",
        ids,
        "to_id",
    )
    flag_rows(
        problems,
        b.isin(passing).to_numpy(),
        lambda i: Text(
            "the pipe runs into '{v}', {what}, and the network does not branch there",
            "管段通向“{v}”，{what}，管网在此也没有分支",
            v=b.iloc[i],
            what=what,
        ),
        Text(
            "correct 'to_id' or add the missing site (fine if the pipe is only split in two there)",
            "改正“to_id”或添加缺少的站点（如果只是管段在此被分成两段则无妨）",
        ),
        file,
        "pipes",
        ids,
        "to_id",
        "warning",
    )
    return problems
