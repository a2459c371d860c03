"""The layer contract: every layer a project may hold, as data, and its validator.

The contract is the one in ARCHITECTURE.md. ``LAYERS`` maps a layer name to a
``LayerSpec``; ``conform`` coerces a frame's columns to the contract's types. The
validator (``heatgis.model.validation``) returns every problem at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

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


def value_kind(series) -> str:
    """The kind of the values ``series`` holds, in the words of ``Field.dtype``.

    One of ``bool``, ``int``, ``float``, ``datetime`` or ``str`` (anything else). Each store
    maps it to its own column type with one small table (``sqlgpkg.column_type``,
    ``pgschema.field_type``) for a column the contract does not define.
    """
    dt = series.dtype
    if pd.api.types.is_bool_dtype(dt):
        return "bool"
    if pd.api.types.is_integer_dtype(dt):
        return "int"
    if pd.api.types.is_float_dtype(dt):
        return "float"
    if pd.api.types.is_datetime64_any_dtype(dt):
        return "datetime"
    return "str"


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
    # every changed column is assigned anew, never written into: under copy-on-write (pandas 3) a
    # shallow copy keeps ``frame`` as it was without copying its columns first
    out = frame.copy(deep=not _COPY_ON_WRITE)
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
    if isinstance(col.dtype, pd.StringDtype):  # text only: stripped in C, blanks found by numpy
        return pd.Series(_strip_texts(col), index=col.index, dtype=object, copy=False)  # a new array
    kind = pd.api.types.infer_dtype(col, skipna=True)
    if kind == "empty":  # nothing but missing values (an optional field the file lacks)
        return pd.Series(np.full(n, None, dtype=object), index=col.index, dtype=object)
    if kind == "string":
        return pd.Series(clean_strings(col.to_numpy(dtype=object)), index=col.index, dtype=object, copy=False)
    # numbers (or other objects) hiding in an object column: the general, slower path
    missing = col.isna().to_numpy()
    text = col.astype("string").str.strip()
    text = text.str.replace(r"^(-?\d+)\.0+$", r"\1", regex=True)
    out = text.to_numpy(dtype=object, na_value=None)
    missing = missing | (text == "").fillna(True).to_numpy()
    out[missing] = None
    return pd.Series(out, index=col.index, dtype=object)


#: pandas copy-on-write (always on from pandas 3): a shallow copy cannot be changed through the original
_COPY_ON_WRITE = int(pd.__version__.split(".")[0]) >= 3 or pd.get_option("mode.copy_on_write") is True


def _strip_texts(col: pd.Series) -> np.ndarray:
    """A text-dtype column as an object array of stripped ``str``, None for missing or blank.

    ``str.strip`` mapped over the present values (no Python bytecode per value), the
    missing and blank ones found by numpy: a fifth of :func:`clean_strings`' time.
    """
    values = col.to_numpy(dtype=object)
    try:  # no value missing (a required field, the usual case): no search for the missing ones
        texts = list(map(str.strip, values.tolist()))
    except TypeError:  # missing values (NaN) among the texts
        texts = None
    missing = np.zeros(len(values), dtype=bool) if texts is not None else col.isna().to_numpy()
    out = np.full(len(values), None, dtype=object)
    present = values[~missing] if missing.any() else values
    if texts is None:
        texts = list(map(str.strip, present.tolist()))
    stripped = np.empty(len(present), dtype=object)
    stripped[:] = texts
    if "" in texts:
        stripped[stripped == ""] = None
    if missing.any():
        out[~missing] = stripped
        return out
    return stripped


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
    texts = values.tolist()
    try:  # nothing but text (the usual case): str.strip mapped in C, blanks found by numpy
        stripped = list(map(str.strip, texts))
    except TypeError:  # missing values (or numbers) among the texts: value by value below
        pass
    else:
        out = np.empty(len(stripped), dtype=object)
        out[:] = stripped
        if blank_is_missing and "" in stripped:
            out[out == ""] = None
        return out
    if blank_is_missing:
        cells = [v.strip() or None if isinstance(v, str) else None for v in texts]
    else:
        cells = [v.strip() if isinstance(v, str) else None for v in texts]
    out = np.empty(len(cells), dtype=object)
    out[:] = cells
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
