"""Field mapping: which source column fills which contract field, with units and value codes.

A mapping is saved as JSON and reused for the next delivery of the same sheet::

    {"layer": "stations",
     "fields": {"name": {"source": "换热站名称"},
                "heated_area_m2": {"source": "供热面积(万㎡)", "factor": 10000},
                "depot_id": {"value": "D01"}},
     "x": "经度", "y": "纬度", "from_crs": "gcj02", "encoding": null}

``suggest_mapping`` proposes one from the headers (Chinese or English, units read
from the header such as 万㎡ or MW); ``apply_mapping`` turns a source frame into
the contract's columns and reports every bad value with its row.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from heatgis.errors import HeatGISError, Problem
from heatgis.io.mapping_words import (  # noqa: F401  (re-exported)
    _FIELD_UNIT,
    DEFAULT_LOAD_W_PER_M2,
    GENERIC_ID,
    SYNONYMS,
    UNITS,
    VALUE_CODES,
)
from heatgis.io.messages import CHECK_PATH, choose_one_of, unknown_layer
from heatgis.model.schema import clean_strings, spec, text_column
from heatgis.text import Text, join


@dataclass
class FieldRule:
    """How one contract field is filled.

    Attributes
    ----------
    source : str, optional
        The source column.
    value : optional
        A constant for every row (used when there is no ``source``).
    factor : float, optional
        Numbers are multiplied by it (万㎡ → m²: 10000).
    values : dict, optional
        Source value → contract value (e.g. {"燃气": "gas"}).
    """

    source: str | None = None
    value: object = None
    factor: float | None = None
    values: dict | None = None

    def describe(self) -> str:
        if self.source is None:
            return f"= {self.value!r}"
        text = f"← {self.source}"
        if self.factor not in (None, 1, 1.0):
            text += f" × {self.factor:g}"
        return text


@dataclass
class FieldMapping:
    """Source columns → contract fields for one layer, plus how to read the file."""

    layer: str
    fields: dict[str, FieldRule] = field(default_factory=dict)
    x: str | None = None
    y: str | None = None
    xy: str | None = None
    from_crs: str | None = None
    encoding: str | None = None
    source_layer: str | None = None
    complete: bool = False  # True: fields not listed stay unmapped (no suggestion fills them)

    # ------------------------------------------------------------ JSON
    def to_dict(self) -> dict:
        d: dict[str, object] = {
            "layer": self.layer,
            "fields": {k: {kk: vv for kk, vv in asdict(r).items() if vv is not None} for k, r in self.fields.items()},
        }
        for k in ("x", "y", "xy", "from_crs", "encoding", "source_layer"):
            if getattr(self, k) is not None:
                d[k] = getattr(self, k)
        if self.complete:
            d["complete"] = True
        return d

    @classmethod
    def from_dict(cls, d: dict, file=None) -> FieldMapping:
        if not isinstance(d, dict) or "layer" not in d:
            raise HeatGISError(
                Text("the mapping has no 'layer'", "字段映射中没有 'layer'"),
                Text(
                    'write it as {"layer": "stations", "fields": {...}}',
                    '请写成 {"layer": "stations", "fields": {...}}',
                ),
                file=file,
            )
        try:
            spec(d["layer"])
        except KeyError:
            raise HeatGISError(
                unknown_layer(d["layer"]), Text("name a layer of the contract", "请写图层规范中的图层名"), file=file
            ) from None
        fields = {}
        for k, v in (d.get("fields") or {}).items():
            if spec(d["layer"]).field(k) is None:
                raise HeatGISError(
                    Text(
                        "'{k}' is not a field of layer {layer}", "'{k}' 不是图层 {layer} 的字段", k=k, layer=d["layer"]
                    ),
                    Text("use: {names}", "请使用：{names}", names=join(f.name for f in spec(d["layer"]).fields)),
                    file=file,
                    field=k,
                )
            if isinstance(v, str):
                v = {"source": v}
            if not isinstance(v, dict) or not set(v) <= {"source", "value", "factor", "values"}:
                raise HeatGISError(
                    Text("the rule for '{k}' is not understood", "无法理解 '{k}' 的规则", k=k),
                    Text(
                        'write {"source": "列名", "factor": 10000} or {"value": "D01"}',
                        '请写成 {"source": "列名", "factor": 10000} 或 {"value": "D01"}',
                    ),
                    file=file,
                    field=k,
                )
            fields[k] = FieldRule(**v)
        return cls(
            d["layer"],
            fields,
            **{k: d.get(k) for k in ("x", "y", "xy", "from_crs", "encoding", "source_layer")},
            complete=bool(d.get("complete", False)),
        )

    def save(self, path, missing: dict | None = None, columns=None) -> Path:
        """Write the mapping as JSON.

        ``missing`` (required field → label) and ``columns`` (the source's columns)
        are written beside it for the planner who completes the mapping by hand;
        loading ignores them.
        """
        path = Path(path)
        d = self.to_dict()
        if missing:
            d["missing"] = dict(missing)
        if columns is not None:
            d["columns"] = [str(c) for c in columns if str(c) != "geometry"]
        path.write_text(json.dumps(d, ensure_ascii=False, indent=1), encoding="utf-8")
        return path

    @classmethod
    def load(cls, path) -> FieldMapping:
        path = Path(path)
        if not path.exists():
            raise HeatGISError(
                Text("the mapping file does not exist", "字段映射文件不存在"),
                CHECK_PATH,
                file=path,
            )
        try:
            d = json.loads(path.read_text(encoding="utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise HeatGISError(
                Text("the mapping file is not valid JSON ({exc})", "字段映射文件不是有效的 JSON（{exc}）", exc=exc),
                Text("save it again from the import dialog or fix the JSON", "请在导入对话框中重新保存，或改正 JSON"),
                file=path,
            ) from exc
        return cls.from_dict(d, file=path)


# ------------------------------------------------------------------ suggest


def _norm(header: str) -> str:
    h = str(header).strip().lower()
    h = re.sub(r"[（(\[【].*?[)）\]】]", "", h)
    return re.sub(r"[\s_\-:：/]", "", h)


def header_unit(field_name: str, header: str) -> tuple[float, str] | None:
    """(factor, unit word) of the unit written in ``header`` for a contract field, or None.

    >>> header_unit("heated_area_m2", "面积万")
    (10000.0, '万')
    """
    unit = _FIELD_UNIT.get(field_name)
    if unit is None:
        return None
    h = str(header).lower().replace(" ", "")
    for word, factor in UNITS[unit]:
        if word.isascii():
            if re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", h):
                return factor, word
        elif word in h:
            return factor, word
    return None


def unit_factor(field_name: str, header: str) -> float | None:
    """The factor from the unit written in ``header`` onto the contract unit, or None."""
    found = header_unit(field_name, header)
    return None if found is None else found[0]


def suggest_mapping(layer: str, columns, base: FieldMapping | None = None) -> FieldMapping:
    """Propose a mapping from the source headers.

    Exact names first (the contract's own names, then Chinese and English
    synonyms), then headers that contain a synonym; each column is used once.
    Units in headers (万㎡, MW, 蒸吨) set the factor. Fields already set in
    ``base`` are kept.
    """
    s = spec(layer)
    cols = [str(c) for c in columns if str(c) != "geometry"]
    mapping = FieldMapping(layer) if base is None else FieldMapping(**{**base.__dict__, "fields": dict(base.fields)})
    used = {r.source for r in mapping.fields.values() if r.source}
    used |= {c for c in (mapping.x, mapping.y, mapping.xy) if c}
    if mapping.complete:
        return mapping
    normed = {c: _norm(c) for c in cols}
    order = [f.name for f in s.fields]
    if s.id_field:
        order.remove(s.id_field)
        order.append(s.id_field)  # '编号' alone is the id only if nothing more specific took it

    def take(fname, col):
        mapping.fields[fname] = FieldRule(col, factor=unit_factor(fname, col))
        used.add(col)

    for fname in [f.name for f in s.fields]:  # the contract's own names
        if fname not in mapping.fields and fname in cols and fname not in used:
            take(fname, fname)
    for rnd in ("exact", "contains"):
        for fname in order:
            if fname in mapping.fields:
                continue
            for syn in SYNONYMS.get(fname, ()):
                if syn in GENERIC_ID and fname != s.id_field:
                    continue
                hit = next(
                    (
                        c
                        for c in cols
                        if c not in used
                        and (
                            normed[c] == syn
                            if rnd == "exact"
                            else (len(syn) >= 2 and syn in normed[c] and not syn.isascii())
                        )
                    ),
                    None,
                )
                if hit:
                    take(fname, hit)
                    break
    return mapping


# ------------------------------------------------------------------ apply

_NOT_A_VALUE = frozenset(("", "-", "—"))
_NO_NUMBER = frozenset(("", "-", "—", "nan", "None"))


def _numbers(col: pd.Series, texts: pd.Series | None = None) -> pd.Series:
    """Numbers of a column; text is read with thousands separators (1,234 / 1，234) removed.

    ``texts`` is ``_texts(col)`` when the caller already has it (one pass per column).
    """
    if pd.api.types.is_numeric_dtype(col):
        return col.astype("float64")
    vals = (_texts(col) if texts is None else texts).to_numpy()
    cleaned = [None if v is None else v.replace(",", "").replace("，", "") for v in vals]
    text = pd.Series([None if v in _NO_NUMBER else v for v in cleaned], index=col.index, dtype=object)
    return pd.to_numeric(text, errors="coerce")


def _texts(col: pd.Series) -> pd.Series:
    """Stripped text of every value, None for missing or blank; whole floats as integers (Excel gives 1001.0).

    One pass per column (the result is what ``schema.text_column`` makes of it too).
    """
    if pd.api.types.is_float_dtype(col):
        return text_column(col)  # whole numbers without ".0", the rest as pandas writes them
    if pd.api.types.infer_dtype(col, skipna=True) in ("string", "empty"):  # the usual case: one pass
        return pd.Series(clean_strings(col.to_numpy(dtype=object)), index=col.index, dtype=object)
    obj = col.to_numpy(dtype=object)
    present = ~pd.isna(obj)
    out = np.full(len(obj), None, dtype=object)
    out[present] = [(v.decode() if isinstance(v, bytes) else str(v)).strip() or None for v in obj[present]]
    return pd.Series(out, index=col.index, dtype=object)


def apply_mapping(frame, mapping: FieldMapping, file=None, row_offset: int = 1, derivable=frozenset()):
    """The contract columns of ``mapping.layer`` filled from ``frame``.

    Parameters
    ----------
    frame : DataFrame or GeoDataFrame
        The source rows (geometry, if any, is carried over).
    mapping : FieldMapping
    file : str, optional
        Named in problems.
    row_offset : int
        Added to the 0-based position to give the row number a planner sees
        (2 for a CSV/XLSX with a header line, 1 for features).
    derivable : set of str
        Required fields the caller fills afterwards (from the project) when the
        file has no column for them: left out of the frame, not an error.

    Returns
    -------
    (DataFrame, list of Problem)
        The new frame (same row order; not conformed yet) and notes. Text read
        from a column is stripped, blanks are None; those columns need no further
        cleaning (see :func:`clean_text_fields`).

    Raises
    ------
    HeatGISError
        A required field has no source, or values are not numbers; every bad
        row is listed. Its ``missing`` attribute maps the required fields
        without a source to their Chinese labels.
    """
    s = spec(mapping.layer)
    n = len(frame)
    out = pd.DataFrame(index=frame.index)
    notes: list[Problem] = []
    errors: list[Problem] = []
    missing: dict[str, str] = {}
    stem = Path(str(file)).stem if file else mapping.layer
    for f in s.fields:
        rule = mapping.fields.get(f.name)
        if rule is not None and rule.source is not None:
            if rule.source not in frame.columns:
                errors.append(
                    Problem(
                        Text(
                            "the mapped column '{col}' is not in the file",
                            "文件中没有映射的列 '{col}'",
                            col=rule.source,
                        ),
                        choose_one_of(frame.columns[:30]),
                        file,
                        mapping.layer,
                        field=f.name,
                    )
                )
                continue
            col = frame[rule.source]
            if f.dtype in ("int", "float"):
                out[f.name] = _number_column(col, f, rule, file, mapping.layer, row_offset, errors, notes)
            else:
                codes = {**VALUE_CODES.get(f.name, {}), **(rule.values or {})}
                vals = _texts(col)
                out[f.name] = _coded(vals, codes) if codes else vals
        elif rule is not None:
            out[f.name] = [rule.value] * n
        else:
            if f.name in derivable:
                continue
            default = _default(f, s, frame, out, stem, n, notes, file, mapping.layer)
            if default is None:
                if f.required and not f.nullable:
                    missing[f.name] = f.label_zh
                    errors.append(
                        Problem(
                            Text(
                                "no column for the required field '{name}' ({label})",
                                "必填字段 '{name}'（{label}）没有对应的列",
                                name=f.name,
                                label=f.label_zh,
                            ),
                            Text(
                                "map a column onto it, or give a constant, e.g. "
                                '"{name}": {{"value": ...}} in the mapping',
                                '请为它映射一列，或给出固定值，例如在字段映射中写 "{name}": {{"value": ...}}',
                                name=f.name,
                            ),
                            file,
                            mapping.layer,
                            field=f.name,
                        )
                    )
                continue
            out[f.name] = default
    if errors:
        err = HeatGISError(
            Text(
                "the file does not fill layer '{layer}' ({n} problem{s})",
                "文件的内容不能填入图层 '{layer}'（{n} 个问题）",
                layer=mapping.layer,
                n=len(errors),
                s="s" if len(errors) > 1 else "",
            ),
            Text("fix the values in the file, or adjust the field mapping", "请改正文件中的值，或调整字段映射"),
            file=file,
            layer=mapping.layer,
            problems=errors,
        )
        err.missing = missing
        raise err
    if "geometry" in getattr(frame, "columns", ()):
        import geopandas as gpd

        out = gpd.GeoDataFrame(out, geometry=frame.geometry.values, crs=frame.crs)
    return out.reset_index(drop=True), notes


def _number_column(col, f, rule, file, layer, row_offset: int, errors: list, notes: list) -> pd.Series:
    """A number field from its source column: words standing for numbers decoded (the field's
    codes and the mapping's ``values``), the mapping's ``factor`` applied; a row that is not a
    number goes into ``errors`` (the first 20), the factor into ``notes``."""
    if pd.api.types.is_numeric_dtype(col):
        num = _numbers(col)
        raw_missing = col.isna()  # a number's text is never blank or a dash
    else:
        texts = _texts(col)
        codes = {**VALUE_CODES.get(f.name, {}), **(rule.values or {})}
        if codes:  # words standing for numbers (oneway: 是/否, yes/no)
            texts = _coded(texts, codes)
            col = pd.Series(texts.to_numpy(), index=col.index, dtype=object)
        num = _numbers(col, texts)
        raw_missing = pd.Series([v is None or v in _NOT_A_VALUE for v in texts.to_numpy()], index=col.index)
    bad = num.isna() & ~raw_missing
    for i in np.flatnonzero(bad.to_numpy())[:20]:
        errors.append(
            Problem(
                Text(
                    "'{value}' in column '{col}' is not a number",
                    "列 '{col}' 中的 '{value}' 不是数字",
                    value=col.iloc[i],
                    col=rule.source,
                ),
                Text(
                    "write a number (the field '{name}' is {label})",
                    "请填写数字（字段 '{name}' 是{label}）",
                    name=f.name,
                    label=f.label_zh,
                ),
                file,
                layer,
                str(i + row_offset),
                f.name,
            )
        )
    if rule.factor not in (None, 1, 1.0):
        num = num * float(rule.factor)
        notes.append(
            Problem(
                Text(
                    "'{col}' × {factor:g} → {name}",
                    "'{col}' × {factor:g} → {name}",
                    col=rule.source,
                    factor=rule.factor,
                    name=f.name,
                ),
                "",
                file,
                layer,
                field=f.name,
                severity="info",
            )
        )
    return num


def _coded(texts: pd.Series, codes: dict) -> pd.Series:
    """Replace coded values (case-insensitive); the code for "" stands for blank or missing."""
    lowered = {str(k).lower(): v for k, v in codes.items()}
    blank = lowered.get("")
    return pd.Series(
        [blank if v is None else lowered.get(v.lower(), v) for v in texts.to_numpy()], index=texts.index, dtype=object
    )


def clean_text_fields(mapping: FieldMapping) -> list[str]:
    """The text fields :func:`apply_mapping` fills with clean text (stripped ``str`` or None).

    Those read from a source column without value codes: ``conform`` need not
    clean them again (``conform(layer, frame, clean=clean_text_fields(mapping))``).
    """
    s = spec(mapping.layer)
    out = []
    for f in s.fields:
        rule = mapping.fields.get(f.name)
        if (
            f.dtype == "str"
            and rule is not None
            and rule.source is not None
            and not rule.values
            and f.name not in VALUE_CODES
        ):
            out.append(f.name)
    return out


def _default(f, s, frame, out, stem, n, notes, file, layer):
    if f.name == s.id_field:
        notes.append(
            Problem(
                Text(
                    "no id column; ids {stem}-1 … {stem}-{n} given",
                    "没有编号列；已按 {stem}-1 … {stem}-{n} 编号",
                    stem=stem,
                    n=n,
                ),
                Text("map an id column to keep yours", "映射编号列可保留原有编号"),
                file,
                layer,
                field=f.name,
                severity="warning",
            )
        )
        return [f"{stem}-{i + 1}" for i in range(n)]
    if f.name == "design_load_kw" and "heated_area_m2" in out.columns:
        notes.append(
            Problem(
                Text(
                    "no design load; estimated as {w:g} W/m² × heated area",
                    "没有设计负荷；按 {w:g} W/m² × 供热面积估算",
                    w=DEFAULT_LOAD_W_PER_M2,
                ),
                Text("map a load column to use the real design loads", "映射负荷列可使用实际设计负荷"),
                file,
                layer,
                field=f.name,
                severity="warning",
            )
        )
        return out["heated_area_m2"] * DEFAULT_LOAD_W_PER_M2 / 1000.0
    if f.name == "speed_kmh" and "road_class" in out.columns:
        speeds = {"ring": 60.0, "expressway": 80.0, "arterial": 50.0, "secondary": 40.0, "local": 30.0}
        notes.append(
            Problem(
                Text(
                    "no speed column; speeds taken from the road class "
                    "(ring 60, expressway 80, arterial 50, secondary 40, local 30 km/h)",
                    "没有限速列；按道路等级 road_class 取车速"
                    "（ring 60、expressway 80、arterial 50、secondary 40、local 30 km/h）",
                ),
                Text("map a speed column to use real limits", "映射限速列可使用实际限速"),
                file,
                layer,
                field=f.name,
                severity="warning",
            )
        )
        return out["road_class"].map(lambda c: speeds.get(c, 30.0))
    if f.name == "oneway":
        return ["0"] * n
    if f.nullable or not f.required:
        return [None] * n
    return None
