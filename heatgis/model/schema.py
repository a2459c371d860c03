"""The layer contract: every layer a project may hold, as data, and its validator.

The contract is the one in ARCHITECTURE.md. ``LAYERS`` maps a layer name to a
``LayerSpec``; ``validate_layer`` and ``validate_project`` return every problem
at once (layer, row id, field, what is wrong, the fix) instead of stopping at
the first one; ``conform`` coerces a frame's columns to the contract's types.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from heatgis.errors import Problem
from heatgis.model.vocab import FUELS, HEAT_SOURCE_KINDS, ROLES, TICKET_KINDS, TICKET_STATUS, ZONE_LEVELS
from heatgis.model.vocab import LOCKING_LEVELS as LOCKING_LEVELS  # re-exported
from heatgis.model.vocab import SKILLS as SKILLS  # re-exported

DEFAULT_CRS = "EPSG:4546"  # CGCS2000 / 3-degree Gauss-Kruger CM 111E


#: problems listed one by one per check and layer; the rest are summed up in one line
MAX_ROWS = 50

# Plausibility bounds of one site (a station or a boiler room). The demo's largest station heats
# 427,343 m² for 3,320 households; the biggest real exchange stations heat a few million m².
STATION_MAX_HOUSEHOLDS = 50_000
STATION_MAX_AREA_M2 = 5_000_000


@dataclass(frozen=True)
class Field:
    """One attribute of a layer.

    ``dtype`` is one of ``str``, ``int``, ``float``, ``datetime``.
    """

    name: str
    dtype: str = "str"
    required: bool = True
    allowed: tuple[str, ...] | None = None
    minimum: float | None = None
    nullable: bool = False
    label_zh: str = ""
    #: the largest plausible value (a bound, not a design limit): above it the value is an error
    #: ("implausible"), as a typo of a few digits or 1e15 would otherwise be summed into the figures
    maximum: float | None = None


@dataclass(frozen=True)
class LayerSpec:
    name: str
    geometry: str | None  # "Point", "LineString", "Polygon" or None for a plain table
    id_field: str | None
    fields: tuple[Field, ...]
    title_zh: str
    title_en: str
    label_field: str | None = "name"

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.required)

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)


def _id(name, label):
    return Field(name, "str", label_zh=label)


LAYERS: dict[str, LayerSpec] = {
    s.name: s
    for s in (
        LayerSpec(
            "districts",
            "Polygon",
            "adcode",
            (Field("name", label_zh="名称"), _id("adcode", "行政区划代码")),
            "行政区",
            "Districts",
        ),
        LayerSpec(
            "compounds",
            "Polygon",
            "compound_id",
            (
                _id("compound_id", "小区编号"),
                Field("name", label_zh="小区名称"),
                Field("district", label_zh="所在区"),
                Field("households", "int", minimum=0, maximum=100_000, label_zh="户数"),
                Field("served_by", required=False, nullable=True, label_zh="供热站点"),
            ),
            "小区",
            "Compounds",
        ),
        LayerSpec(
            "roads",
            "LineString",
            "road_id",
            (
                _id("road_id", "道路编号"),
                Field("name", nullable=True, label_zh="道路名称"),
                Field(
                    "road_class", allowed=("ring", "expressway", "arterial", "secondary", "local"), label_zh="道路等级"
                ),
                Field("speed_kmh", "float", minimum=1, maximum=200, label_zh="限速"),
                Field("oneway", "int", allowed=None, label_zh="单行"),
            ),
            "道路",
            "Roads",
        ),
        LayerSpec(
            "pipes",
            "LineString",
            "pipe_id",
            (
                _id("pipe_id", "管段编号"),
                Field("network_id", label_zh="管网"),
                Field("from_id", label_zh="上游节点"),
                Field("to_id", label_zh="下游节点"),
                Field("dn_mm", "int", minimum=15, maximum=3000, label_zh="管径DN"),
            ),
            "管网",
            "Pipes",
            label_field=None,
        ),
        LayerSpec(
            "lockdown_zones",
            "Polygon",
            "zone_id",
            (
                _id("zone_id", "管控区编号"),
                Field("name", label_zh="名称"),
                Field("level", allowed=ZONE_LEVELS, label_zh="管控级别"),
                Field("start", "datetime", label_zh="开始时间"),
                Field("end", "datetime", nullable=True, label_zh="解除时间"),
                Field("source", required=False, nullable=True, label_zh="来源"),
                Field("notes", required=False, nullable=True, label_zh="备注"),
            ),
            "管控区",
            "Lockdown zones",
        ),
        LayerSpec(
            "heat_sources",
            "Point",
            "source_id",
            (
                _id("source_id", "热源编号"),
                Field("name", label_zh="名称"),
                Field("kind", allowed=HEAT_SOURCE_KINDS, label_zh="类型"),
                Field("capacity_mw", "float", minimum=0, maximum=20_000, label_zh="容量MW"),
                Field("network_id", label_zh="管网"),
            ),
            "热源",
            "Heat sources",
        ),
        LayerSpec(
            "stations",
            "Point",
            "station_id",
            (
                _id("station_id", "换热站编号"),
                Field("name", label_zh="名称"),
                Field("network_id", label_zh="管网"),
                Field("heated_area_m2", "float", minimum=0, maximum=STATION_MAX_AREA_M2, label_zh="供热面积㎡"),
                Field("households", "int", minimum=0, maximum=STATION_MAX_HOUSEHOLDS, label_zh="户数"),
                Field("design_load_kw", "float", minimum=0, maximum=500_000, label_zh="设计负荷kW"),
                Field("compound_id", nullable=True, label_zh="所在小区"),
                Field("depot_id", label_zh="运营所"),
                Field("address", nullable=True, label_zh="地址"),
            ),
            "换热站",
            "Stations",
        ),
        LayerSpec(
            "boiler_rooms",
            "Point",
            "asset_id",
            (
                _id("asset_id", "锅炉房编号"),
                Field("name", label_zh="名称"),
                Field("fuel", allowed=FUELS, label_zh="燃料"),
                Field("capacity_mw", "float", minimum=0, maximum=1_000, label_zh="容量MW"),
                Field("heated_area_m2", "float", minimum=0, maximum=STATION_MAX_AREA_M2, label_zh="供热面积㎡"),
                Field("households", "int", minimum=0, maximum=STATION_MAX_HOUSEHOLDS, label_zh="户数"),
                Field("compound_id", nullable=True, label_zh="所在小区"),
                Field("depot_id", label_zh="运营所"),
            ),
            "锅炉房",
            "Boiler rooms",
        ),
        LayerSpec(
            "depots",
            "Point",
            "depot_id",
            (
                _id("depot_id", "运营所编号"),
                Field("name", label_zh="名称"),
                Field("district", label_zh="所在区"),
            ),
            "运营所",
            "Depots",
        ),
        LayerSpec(
            "staff",
            "Point",
            "staff_id",
            (
                _id("staff_id", "员工编号"),
                Field("name", label_zh="姓名"),
                Field("role", allowed=ROLES, label_zh="岗位"),
                Field("skills", nullable=True, label_zh="技能"),
                Field("depot_id", label_zh="运营所"),
                Field("assigned_site", nullable=True, label_zh="负责站点"),
                Field("phone", required=False, nullable=True, label_zh="电话"),
                Field("crew_id", required=False, nullable=True, label_zh="所属抢修队"),
            ),
            "员工住址",
            "Staff homes",
        ),
        LayerSpec(
            "crews",
            None,
            "crew_id",
            (
                _id("crew_id", "抢修队编号"),
                Field("name", label_zh="名称"),
                Field("depot_id", label_zh="运营所"),
                Field("members", "int", minimum=1, maximum=200, label_zh="人数"),
                Field("shift_start", label_zh="班次开始"),
                Field("shift_end", label_zh="班次结束"),
                Field("skills", nullable=True, label_zh="技能"),
                Field("vehicles", "int", required=False, nullable=True, minimum=0, label_zh="车辆数"),
                Field("seats", "int", required=False, nullable=True, minimum=1, label_zh="每车座位"),
            ),
            "抢修队",
            "Crews",
            label_field="name",
        ),
        LayerSpec(
            "tickets",
            "Point",
            "ticket_id",
            (
                _id("ticket_id", "工单编号"),
                Field("kind", allowed=TICKET_KINDS, label_zh="类型"),
                Field("site_id", nullable=True, label_zh="站点"),
                Field("skill", allowed=SKILLS, label_zh="所需技能"),
                Field("priority", "int", minimum=0, label_zh="优先级"),
                Field("duration_min", "float", minimum=0, label_zh="时长分钟"),
                Field("reported", "datetime", label_zh="报告时间"),
                Field("deadline", "datetime", nullable=True, label_zh="期限"),
                Field("status", allowed=TICKET_STATUS, label_zh="状态"),
                Field("name", required=False, nullable=True, label_zh="说明"),
            ),
            "工单",
            "Tickets",
            label_field="ticket_id",
        ),
        LayerSpec(
            "weather",
            None,
            None,
            (
                Field("time", "datetime", label_zh="时间"),
                Field("outdoor_c", "float", label_zh="室外气温℃"),
            ),
            "气象",
            "Weather",
            label_field=None,
        ),
        LayerSpec(
            "metered",
            None,
            None,
            (
                _id("station_id", "换热站编号"),
                Field("time", "datetime", label_zh="时间"),
                Field("heat_kw", "float", minimum=0, label_zh="实测热负荷kW"),
            ),
            "实测负荷",
            "Metered heat",
            label_field=None,
        ),
    )
}

#: layers holding sites whose heated area and households are summed
SITE_LAYERS = {"stations": "station_id", "boiler_rooms": "asset_id"}


def spec(layer: str) -> LayerSpec:
    try:
        return LAYERS[layer]
    except KeyError:
        raise KeyError(f"unknown layer {layer!r}; the contract's layers are: " + ", ".join(LAYERS)) from None


def empty_frame(layer: str, crs: str = DEFAULT_CRS):
    """An empty frame with the contract's columns (a GeoDataFrame for spatial layers)."""
    import geopandas as gpd

    s = spec(layer)
    cols = {f.name: pd.Series(dtype=_pandas_dtype(f.dtype)) for f in s.fields}
    if s.geometry is None:
        return pd.DataFrame(cols)
    return gpd.GeoDataFrame(cols, geometry=gpd.GeoSeries([], crs=crs), crs=crs)


def _pandas_dtype(dtype: str):
    return {"str": object, "int": "Int64", "float": "float64", "datetime": "datetime64[ms]"}[dtype]


def conform(layer: str, frame, clean=()):
    """Return a copy of ``frame`` with the contract's columns coerced to their types.

    Unknown columns are kept. Values that cannot be coerced become missing;
    ``validate_layer`` on the original frame says which ones.

    Parameters
    ----------
    layer : str
    frame : DataFrame or GeoDataFrame
        Not modified.
    clean : iterable of str, optional
        Text fields already holding clean text (object columns of stripped ``str``
        or None, as :func:`text_column` makes them, e.g. from the import's field
        mapping); they are kept as they are instead of being cleaned again.
    """
    s = spec(layer)
    clean = set(clean)
    out = frame.copy()
    for f in s.fields:
        if f.name not in out.columns:
            if f.required:
                continue
            out[f.name] = None
        col = out[f.name]
        if f.dtype == "str":
            if f.name not in clean or col.dtype != object:
                out[f.name] = text_column(col)
        elif f.dtype == "int":
            num = pd.to_numeric(col, errors="coerce").astype("float64")
            # beyond int64 (1e20, inf) cannot be held: missing, and validate reports the row
            num = num.where(num.abs() < 2.0**63)
            out[f.name] = num.round().astype("Int64")
        elif f.dtype == "float":
            out[f.name] = pd.to_numeric(col, errors="coerce").astype("float64")
        elif f.dtype == "datetime":
            out[f.name] = to_datetime(col)
    return out


def text_column(col: pd.Series) -> pd.Series:
    """Ids and names as text: stripped strings, None for missing/blank, 12.0 -> "12" (vectorized).

    One pass over the values: columns of strings (the usual case: GDAL, CSV and an
    earlier ``text_column`` all give them) are stripped by a single list
    comprehension, without pandas' per-element string machinery; numbers in a
    float column are formatted without a per-row Python loop.
    """
    n = len(col)
    if n == 0:
        return pd.Series([], index=col.index, dtype=object)
    if pd.api.types.is_float_dtype(col.dtype):
        v = col.to_numpy(dtype=float, na_value=np.nan)
        missing = np.isnan(v)
        whole = ~missing & (v == np.floor(v)) & (np.abs(v) < 2**53)
        out = np.full(n, None, dtype=object)
        out[whole] = v[whole].astype(np.int64).astype(str)
        rest = ~missing & ~whole  # fractions and infinities: pandas' own formatting
        if rest.any():
            out[rest] = col[rest].astype(str).to_numpy(dtype=object)
        return pd.Series(out, index=col.index, dtype=object)
    kind = pd.api.types.infer_dtype(col, skipna=True)
    if kind in ("string", "empty"):
        return pd.Series(clean_strings(col.to_numpy(dtype=object)), index=col.index, dtype=object)
    # numbers (or other objects) hiding in an object column: the general, slower path
    missing = col.isna().to_numpy()
    text = col.astype("string").str.strip()
    text = text.str.replace(r"^(-?\d+)\.0+$", r"\1", regex=True)
    out = text.to_numpy(dtype=object, na_value=None)
    missing = missing | (text == "").fillna(True).to_numpy()
    out[missing] = None
    return pd.Series(out, index=col.index, dtype=object)


def feature_ids(frame, layer: str) -> np.ndarray:
    """The layer's ids as text, a stand-in ``"<layer>#<row>"`` where one is missing.

    Analysis code keys sites by id; a NULL id (``validate`` reports it as an error) must not
    become the text 'None' or 'nan' in one place and something else in another.
    """
    s = spec(layer)
    n = len(frame)
    if s.id_field not in frame.columns:
        return np.array([f"{layer}#{i + 1}" for i in range(n)], dtype=object)
    ids = text_column(frame[s.id_field]).to_numpy(dtype=object)
    missing = np.flatnonzero(pd.isna(ids))
    if len(missing):
        ids = ids.copy()
        ids[missing] = [f"{layer}#{i + 1}" for i in missing]
    return ids


def clean_strings(values: np.ndarray, blank_is_missing: bool = True) -> np.ndarray:
    """Strip an object array of strings and missing values in one pass.

    Parameters
    ----------
    values : numpy.ndarray of object
        Strings and missing values (None, NaN, pd.NA); anything that is not a
        ``str`` counts as missing (callers check first that the column holds
        text, with ``pandas.api.types.infer_dtype``). Not modified.
    blank_is_missing : bool
        True: blank strings become None too (as in :func:`text_column`);
        False: they stay ``""``.

    Returns
    -------
    numpy.ndarray of object
        Stripped ``str`` values; None where the input was missing (or blank).
    """
    if blank_is_missing:
        stripped = [v.strip() or None if isinstance(v, str) else None for v in values]
    else:
        stripped = [v.strip() if isinstance(v, str) else None for v in values]
    out = np.empty(len(stripped), dtype=object)
    out[:] = stripped
    return out


def to_datetime(col) -> pd.Series:
    """Coerce a column to naive local datetimes (ms); unparseable values become NaT."""
    if pd.api.types.is_datetime64_any_dtype(col):
        s = col
        if getattr(s.dt, "tz", None) is not None:
            s = s.dt.tz_convert("Asia/Shanghai").dt.tz_localize(None)
    else:
        s = pd.to_datetime(col.map(lambda v: None if v in ("", None) else v), errors="coerce", format="mixed")
    return s.astype("datetime64[ms]")


# --------------------------------------------------------------------------- validation


def validate_layer(
    layer: str,
    frame,
    crs: str | None = None,
    file: str | None = None,
    *,
    conformed: bool = False,
    repaired: bool = False,
) -> list[Problem]:
    """Every problem of one layer against the contract.

    Parameters
    ----------
    layer : str
        Contract layer name.
    frame : DataFrame or GeoDataFrame
    crs : str, optional
        The project CRS the layer must be in.
    file : str, optional
        Named in each problem.
    conformed : bool
        True when ``frame`` is the output of :func:`conform`: its text fields are
        already clean (stripped ``str`` or None) and are used as they are instead of
        being cleaned a second time. The checks and messages are the same.
    repaired : bool
        True when the geometries come from ``heatgis.io.repair.repair_geometries``
        (invalid polygons already made valid): the polygon validity check, the
        costliest check of a large polygon layer, is skipped.
    """
    s = spec(layer)
    problems: list[Problem] = []

    def add(msg, fix, row=None, fld=None, severity="error"):
        problems.append(Problem(msg, fix, file, layer, row, fld, severity))

    def add_rows(mask, message, fix, fld, severity="error"):
        flag_rows(problems, mask, message, fix, file, layer, ids, fld, severity)

    missing = [f for f in s.required if f not in frame.columns]
    for name in missing:
        label = getattr(s.field(name), "label_zh", "")
        add(
            f"the required field '{name}' is missing",
            f"add a column '{name}' ({label}) or map a source column onto it on import",
            fld=name,
        )
    n = len(frame)
    if n == 0:
        add("the layer is empty", "import features into it or remove the layer", severity="warning")
        return problems
    ids = _RowIds(s, frame, conformed)

    for f in s.fields:
        if f.name not in frame.columns or f.name in missing:
            continue
        col = frame[f.name]
        text = None
        if pd.api.types.is_numeric_dtype(col.dtype) or pd.api.types.is_datetime64_any_dtype(col.dtype):
            isnull = col.isna().to_numpy()
        else:  # text, or numbers still held as text: blank counts as empty
            text = col if (conformed and col.dtype == object) else text_column(col)
            isnull = text.isna().to_numpy()
        if not f.nullable and f.required:
            add_rows(isnull, lambda i: "the value is empty", f"fill in '{f.name}'", f.name)
        if f.dtype in ("int", "float"):
            num = pd.to_numeric(col, errors="coerce")
            values = num.to_numpy(dtype=float, na_value=np.nan)
            add_rows(
                num.isna().to_numpy() & ~isnull,
                lambda i: f"'{col.iloc[i]}' is not a number",
                f"write a number in '{f.name}'",
                f.name,
            )
            add_rows(
                np.isinf(values),
                lambda i: f"{values[i]} is not a finite number",
                f"write a number in '{f.name}'",
                f.name,
            )
            if f.minimum is not None:
                add_rows(
                    values < f.minimum,
                    lambda i: f"{num.iloc[i]} is below the minimum {f.minimum:g}",
                    f"correct '{f.name}'",
                    f.name,
                )
            if f.maximum is not None:
                add_rows(
                    np.isfinite(values) & (values > f.maximum),
                    lambda i: f"{values[i]:,.0f} is implausible (above {f.maximum:,.0f} {f.label_zh})",
                    f"correct '{f.name}' (a typo or a sum of several features?)",
                    f.name,
                )
        elif f.dtype == "datetime":
            parsed = to_datetime(col)
            add_rows(
                parsed.isna().to_numpy() & ~isnull,
                lambda i: f"'{col.iloc[i]}' is not a date and time",
                "write it as 2022-02-16T08:00",
                f.name,
            )
        if f.allowed is not None:
            vals = text if text is not None else text_column(col)
            add_rows(
                ~vals.isin(f.allowed).to_numpy() & ~isnull,
                lambda i: f"'{vals.iloc[i]}' is not an allowed value",
                "use one of: " + ", ".join(f.allowed),
                f.name,
            )

    if s.id_field and s.id_field in frame.columns:
        idv = pd.Series(ids.ids)
        dup = idv.duplicated(keep="first").to_numpy() & idv.notna().to_numpy()
        add_rows(dup, lambda i: f"the id '{idv.iloc[i]}' is used twice", "give each feature its own id", s.id_field)

    if layer == "lockdown_zones" and {"start", "end"} <= set(frame.columns):
        st, en = to_datetime(frame["start"]), to_datetime(frame["end"])
        add_rows(
            (en <= st).fillna(False).to_numpy(),
            lambda i: (
                f"the zone ends before it starts (end {en.iloc[i]:%Y-%m-%d %H:%M}, start {st.iloc[i]:%Y-%m-%d %H:%M})"
            ),
            "correct 'start' or 'end'",
            "end",
        )

    if s.geometry is not None:
        problems += _validate_geometry(s, frame, ids, crs, file, repaired)
    return problems


def flag_rows(problems: list, mask, message, fix: str, file, layer: str, ids, fld, severity: str = "error") -> None:
    """Append one problem per flagged row (the first ``MAX_ROWS``), then one line for the rest.

    ``message(i)`` words the problem of row ``i``; ``ids[i]`` names the row.
    """
    rows = np.flatnonzero(mask)
    for i in rows[:MAX_ROWS]:
        problems.append(Problem(message(i), fix, file, layer, ids[i], fld, severity))
    if len(rows) > MAX_ROWS:
        problems.append(
            Problem(
                f"... and {len(rows) - MAX_ROWS} more rows like this",
                fix,
                file,
                layer,
                None,
                fld,
                severity,
                len(rows) - MAX_ROWS,
            )
        )


class _RowIds:
    """Row labels for messages, made only for the rows that have a problem."""

    def __init__(self, s: LayerSpec, frame, conformed: bool = False):
        if s.id_field and s.id_field in frame.columns:
            col = frame[s.id_field]
            self.ids = (col if (conformed and col.dtype == object) else text_column(col)).to_numpy()
        else:
            self.ids = None

    def __getitem__(self, i) -> str:
        v = self.ids[i] if self.ids is not None else None
        return v if v is not None else f"#{int(i) + 1}"


def _row_ids(s: LayerSpec, frame) -> _RowIds:
    return _RowIds(s, frame)


def _validate_geometry(s: LayerSpec, frame, ids, crs, file, repaired: bool = False) -> list[Problem]:
    import shapely

    problems = []
    layer = s.name
    if getattr(frame, "crs", None) is None:
        problems.append(
            Problem(
                "the layer has no coordinate system", "set its CRS on import (e.g. --from-crs EPSG:4326)", file, layer
            )
        )
    elif crs is not None and not frame.crs.equals(crs):
        problems.append(
            Problem(
                f"the layer is in {frame.crs.to_string()}, not the project's {crs}",
                "it is reprojected when opened; save to store it in the project CRS",
                file,
                layer,
                severity="warning",
            )
        )
    geoms: Any = np.asarray(frame.geometry.values)  # shapely geometries (object array)
    empty = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    flag_rows(
        problems,
        empty,
        lambda i: "the geometry is empty (the feature is left out of every figure)",
        "draw or import a geometry, or delete the row",
        file,
        layer,
        ids,
        "geometry",
    )
    types = shapely.get_type_id(geoms)
    wanted = {"Point": (0, 4), "LineString": (1, 5), "Polygon": (3, 6)}[str(s.geometry)]
    wrong = ~np.isin(types, wanted) & ~empty
    flag_rows(
        problems,
        wrong,
        lambda i: f"the geometry is a {geoms[i].geom_type}, not a {s.geometry}",
        f"import {s.geometry} features into '{layer}'",
        file,
        layer,
        ids,
        "geometry",
    )
    if s.geometry == "Polygon" and not repaired:
        invalid = ~shapely.is_valid(geoms) & ~empty
        flag_rows(
            problems,
            invalid,
            lambda i: "the polygon is invalid (" + shapely.is_valid_reason(geoms[i]) + ")",
            "it is repaired (made valid) when the project is opened",
            file,
            layer,
            ids,
            "geometry",
            "warning",
        )
    if len(geoms) and not empty.all():
        xy = shapely.get_coordinates(geoms[~empty])
        bad = ~np.isfinite(xy).all(axis=1)
        if bad.any():
            problems.append(
                Problem(
                    f"{int(bad.sum())} coordinates are not finite numbers",
                    "re-import the layer; check its coordinate columns",
                    file,
                    layer,
                    field="geometry",
                )
            )
    return problems


def validate_project(project, storage: bool = True, conformed: bool = True) -> list[Problem]:
    """Every problem of a project: each layer against the contract, the references between
    layers, the metadata (``crs``, ``reference_time``) and, when ``storage`` and the project
    was read from a file, the values the file holds in a form GDAL misreads (text in a number
    field). See :mod:`heatgis.model.checks`.

    ``conformed``: the layers went through :func:`conform` (``open_project`` and every model
    command do that), so their text fields are used as they are (twice as fast on the demo).
    """
    from heatgis.model import checks

    problems: list[Problem] = []
    file = str(project.path) if project.path else None
    problems += checks.validate_meta(project.meta, file)
    if storage and project.path is not None:
        problems += checks.stored_types(project.path, [n for n in project.layers if n in LAYERS])
    for name, frame in project.layers.items():
        if name in LAYERS:
            problems += validate_layer(name, frame, project.crs, file, conformed=conformed)
    problems += checks.validate_references(project.layers, file)
    return problems
