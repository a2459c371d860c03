"""Validation against the layer contract: every problem at once (layer, row id, field, what is wrong, the fix).

``validate_layer`` checks one frame against its ``LayerSpec`` (types, required fields, allowed
values, plausible ranges, geometry); ``validate_project`` every layer of a project plus what
only the file can tell (``heatgis.model.checks``). The contract itself is ``heatgis.model.schema``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from heatgis.errors import Problem
from heatgis.model.schema import LAYERS, MAX_ROWS, LayerSpec, spec, text_column, to_datetime
from heatgis.text import Text, join


def validate_layer(
    layer: str,
    frame,
    crs: str | None = None,
    file: str | None = None,
    *,
    conformed: bool = False,
    repaired: bool = False,
    fields=None,
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
    fields : iterable of str, optional
        Check only these contract fields (and the ids, the geometry): the layer was read in
        part (``Project.partial``); the others were not read and are not reported missing.
    """
    s = spec(layer)
    problems: list[Problem] = []

    def add(msg, fix, row=None, fld=None, severity="error"):
        problems.append(Problem(msg, fix, file, layer, row, fld, severity))

    def add_rows(mask, message, fix, fld, severity="error"):
        flag_rows(problems, mask, message, fix, file, layer, ids, fld, severity)

    only = None if fields is None else set(fields)
    missing = [f for f in s.required if f not in frame.columns and (only is None or f in only)]
    for name in missing:
        label = getattr(s.field(name), "label_zh", "")
        add(
            Text("the required field '{name}' is missing", "缺少必填字段“{name}”", name=name),
            Text(
                "add a column '{name}' ({label}) or map a source column onto it on import",
                "添加字段“{name}”（{label}），或在导入时把源文件的一列映射到该字段",
                name=name,
                label=label,
            ),
            fld=name,
        )
    n = len(frame)
    if n == 0:
        add(
            Text("the layer is empty", "图层为空"),
            Text("import features into it or remove the layer", "向其中导入要素，或删除该图层"),
            severity="warning",
        )
        return problems
    ids = _RowIds(s, frame, conformed)

    for f in s.fields:
        if f.name not in frame.columns or f.name in missing or (only is not None and f.name not in only):
            continue
        _check_field(f, frame[f.name], conformed, add_rows)

    if s.id_field and s.id_field in frame.columns:
        idv = pd.Series(ids.ids)
        dup = idv.duplicated(keep="first").to_numpy() & idv.notna().to_numpy()
        add_rows(
            dup,
            lambda i: Text("the id '{id}' is used twice", "编号“{id}”重复使用", id=idv.iloc[i]),
            Text("give each feature its own id", "每个要素用自己的编号"),
            s.id_field,
        )

    if layer == "lockdown_zones" and {"start", "end"} <= set(frame.columns):
        st, en = to_datetime(frame["start"]), to_datetime(frame["end"])
        add_rows(
            (en <= st).fillna(False).to_numpy(),
            lambda i: Text(
                "the zone ends before it starts (end {end:%Y-%m-%d %H:%M}, start {start:%Y-%m-%d %H:%M})",
                "管控区的解除时间早于开始时间（解除 {end:%Y-%m-%d %H:%M}，开始 {start:%Y-%m-%d %H:%M}）",
                end=en.iloc[i],
                start=st.iloc[i],
            ),
            Text("correct 'start' or 'end'", "改正“start”或“end”"),
            "end",
        )

    if s.geometry is not None:
        problems += _validate_geometry(s, frame, ids, crs, file, repaired)
    return problems


def _check_field(f, col, conformed: bool, add_rows) -> None:
    """The checks of one field's column: empty where required, numbers (finite, within the field's
    bounds), dates, allowed values; each failing row through ``add_rows(mask, message, fix, field)``."""
    text = None
    if pd.api.types.is_numeric_dtype(col.dtype) or pd.api.types.is_datetime64_any_dtype(col.dtype):
        isnull = col.isna().to_numpy()
    else:  # text, or numbers still held as text: blank counts as empty
        text = col if (conformed and col.dtype == object) else text_column(col)
        isnull = text.isna().to_numpy()
    name = field_word(f)
    if not f.nullable and f.required:
        add_rows(
            isnull, lambda i: Text("the value is empty", "该值为空"), Text("fill in {f}", "填写{f}", f=name), f.name
        )
    if f.dtype in ("int", "float"):
        num = pd.to_numeric(col, errors="coerce")
        values = num.to_numpy(dtype=float, na_value=np.nan)
        add_rows(
            num.isna().to_numpy() & ~isnull,
            lambda i: Text("'{v}' is not a number", "“{v}”不是数字", v=col.iloc[i]),
            Text("write a number in {f}", "在{f}中填写数字", f=name),
            f.name,
        )
        add_rows(
            np.isinf(values),
            lambda i: Text("{v} is not a finite number", "{v} 不是有限的数字", v=values[i]),
            Text("write a number in {f}", "在{f}中填写数字", f=name),
            f.name,
        )
        if f.minimum is not None:
            add_rows(
                values < f.minimum,
                lambda i: Text(
                    "{v} is below the minimum {min:g}", "{v} 小于最小值 {min:g}", v=num.iloc[i], min=f.minimum
                ),
                Text("correct {f}", "改正{f}", f=name),
                f.name,
            )
        if f.maximum is not None:
            add_rows(
                np.isfinite(values) & (values > f.maximum),
                lambda i: Text(
                    "{v:,.0f} is implausible (above {max:,.0f} {label})",
                    "{v:,.0f} 不合理（超过 {max:,.0f} {label}）",
                    v=values[i],
                    max=f.maximum,
                    label=f.label_zh,
                ),
                Text(
                    "correct {f} (a typo or a sum of several features?)",
                    "改正{f}（是否输错，或把几个要素的数加在了一起？）",
                    f=name,
                ),
                f.name,
            )
    elif f.dtype == "datetime":
        parsed = to_datetime(col)
        add_rows(
            parsed.isna().to_numpy() & ~isnull,
            lambda i: Text("'{v}' is not a date and time", "“{v}”不是日期时间", v=col.iloc[i]),
            Text("write it as 2022-02-16T08:00", "写成 2022-02-16T08:00 的形式"),
            f.name,
        )
    if f.allowed is not None:
        vals = text if text is not None else text_column(col)
        add_rows(
            ~vals.isin(f.allowed).to_numpy() & ~isnull,
            lambda i: Text("'{v}' is not an allowed value", "“{v}”不是允许的值", v=vals.iloc[i]),
            Text("use one of: {values}", "可用的值：{values}", values=join(f.allowed)),
            f.name,
        )


def field_word(f) -> Text:
    """A field named in a message: ``'households'`` (en), ``“households”（户数）`` (zh, with its label)."""
    label = getattr(f, "label_zh", "")
    return Text("'{name}'", "“{name}”（{label}）" if label else "“{name}”", name=f.name, label=label)


def more_rows(n: int) -> Text:
    """The line that sums up the rows of one check beyond those listed one by one."""
    return Text("... and {n} more rows like this", "……另有 {n} 行同样的问题", n=n)


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
                more_rows(len(rows) - MAX_ROWS),
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
                Text("the layer has no coordinate system", "图层没有坐标系"),
                Text(
                    "set its CRS on import (e.g. --from-crs EPSG:4326)", "导入时指定坐标系（如 --from-crs EPSG:4326）"
                ),
                file,
                layer,
            )
        )
    elif crs is not None and not frame.crs.equals(crs):
        problems.append(
            Problem(
                Text(
                    "the layer is in {src}, not the project's {crs}",
                    "图层的坐标系是 {src}，不是项目的 {crs}",
                    src=frame.crs.to_string(),
                    crs=crs,
                ),
                Text(
                    "it is reprojected when opened; save to store it in the project CRS",
                    "打开时会自动转换；保存后即按项目坐标系存储",
                ),
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
        lambda i: Text(
            "the geometry is empty (the feature is left out of every figure)", "几何为空（该要素不计入任何统计）"
        ),
        Text("draw or import a geometry, or delete the row", "绘制或导入几何，或删除该行"),
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
        lambda i: Text(
            "the geometry is a {got}, not a {want}",
            "几何类型是 {got}，不是 {want}",
            got=geoms[i].geom_type,
            want=s.geometry,
        ),
        Text("import {want} features into '{layer}'", "向“{layer}”导入 {want} 要素", want=s.geometry, layer=layer),
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
            lambda i: Text(
                "the polygon is invalid ({why})", "多边形无效（{why}）", why=shapely.is_valid_reason(geoms[i])
            ),
            Text("it is repaired (made valid) when the project is opened", "打开项目时会自动修复"),
            file,
            layer,
            ids,
            "geometry",
            "warning",
        )
    if len(geoms) and not empty.all():
        present = geoms[~empty]
        if (types[~empty] == 0).all():  # points: their x and y, without gathering the coordinates
            bad = ~(np.isfinite(shapely.get_x(present)) & np.isfinite(shapely.get_y(present)))
        else:
            bad = ~np.isfinite(shapely.get_coordinates(present)).all(axis=1)
        if bad.any():
            problems.append(
                Problem(
                    Text("{n} coordinates are not finite numbers", "{n} 个坐标不是有限的数字", n=int(bad.sum())),
                    Text("re-import the layer; check its coordinate columns", "重新导入该图层，并检查其坐标列"),
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
    partial = getattr(project, "partial", None) or {}
    if storage and project.path is not None:
        problems += checks.stored_types(project.path, [n for n in project.layers if n in LAYERS], partial)
    for name, frame in project.layers.items():
        if name in LAYERS:
            problems += validate_layer(name, frame, project.crs, file, conformed=conformed, fields=partial.get(name))
    problems += checks.validate_references(project.layers, file)
    return problems
