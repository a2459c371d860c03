"""Import a foreign file into one layer of the contract.

``import_layer`` reads the whole file, maps fields, fixes the coordinate system
(declared, chosen, guessed, or converted from GCJ-02/BD-09), repairs geometries
and validates against the contract — and only returns a result. The project is
changed by ``apply_import`` (an undoable command), so a bad file never leaves a
half-imported layer behind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from heatgis.errors import Feedback, HeatGISError, Problem
from heatgis.io.derive import derivable, derive_fields
from heatgis.io.importer_crs import OFFSET_CRS, _source_crs, _to_project_crs, parse_from_crs
from heatgis.io.mapping import FieldMapping, apply_mapping, clean_text_fields, suggest_mapping
from heatgis.io.messages import unknown_layer
from heatgis.io.readers import SourceData, read_source
from heatgis.io.repair import repair_geometries
from heatgis.io.units import decide_units
from heatgis.model.schema import conform, spec
from heatgis.model.validation import validate_layer
from heatgis.text import Text, join


@dataclass
class ImportResult:
    """A file read, mapped, converted, repaired and validated; not yet in the project.

    Attributes
    ----------
    layer : str
        The contract layer.
    frame : GeoDataFrame or DataFrame
        The rows, conformed to the contract, in the project's CRS.
    notes : list of Problem
        Everything done on the way (defaults, units, repairs, guesses), as warnings/info.
    converted : list of str
        The coordinate conversions made, e.g. ``["GCJ-02 → WGS84", "EPSG:4326 → EPSG:4546"]``.
    mapping : FieldMapping
        The mapping used (save it to reuse it).
    file : str
    format : str
    encoding : str or None
    source_crs : str or None
        The CRS the coordinates were taken to be in (before any conversion).
    n_read : int
        Rows in the file.
    """

    layer: str
    frame: pd.DataFrame
    notes: list = field(default_factory=list)
    converted: list = field(default_factory=list)
    mapping: FieldMapping | None = None
    file: str = ""
    format: str = ""
    encoding: str | None = None
    source_crs: str | None = None
    n_read: int = 0

    @property
    def n_imported(self) -> int:
        return len(self.frame)

    def summary(self) -> Text:
        """A few lines for the planner: what came in, what was converted and repaired (a
        :class:`heatgis.text.Text`: the English, with the Chinese beside it)."""
        text = Text(", text {enc}", "，文本编码 {enc}", enc=self.encoding) if self.encoding else ""
        lines: list = [
            Text(
                "{file}: {n} of {total} rows → layer {layer} ({format}{text})",
                "{file}：{total} 行中导入 {n} 行 → 图层 {layer}（{format}{text}）",
                file=self.file,
                n=self.n_imported,
                total=self.n_read,
                layer=self.layer,
                format=self.format,
                text=text,
            )
        ]
        if self.source_crs:
            lines.append(Text("coordinates taken as {crs}", "坐标按 {crs} 读取", crs=self.source_crs))
        if self.converted:
            lines.append(Text("converted: {steps}", "已转换：{steps}", steps=join(self.converted, Text("; ", "；"))))
        for fname, rule in self.mapping.fields.items() if self.mapping else ():
            lines.append(f"  {fname} {rule.describe()}")
        for n in self.notes:
            lines.append(Text(n.text("en"), n.text("zh")))
        return join(lines, "\n")


def _check(feedback: Feedback | None, percent: float, message: Text) -> None:
    """Report progress, or raise ``Cancelled`` (nothing was changed) when the planner cancelled."""
    if feedback is not None:
        feedback.check("the import")
        feedback.set_progress(percent, message)


def import_layer(
    project,
    file,
    layer: str,
    mapping=None,
    from_crs: str | None = None,
    encoding: str | None = None,
    source_layer: str | None = None,
    x: str | None = None,
    y: str | None = None,
    feedback: Feedback | None = None,
) -> ImportResult:
    """Read ``file`` into the contract layer ``layer``; the project is not changed.

    Parameters
    ----------
    project : Project
        Gives the target CRS (and nothing else is touched).
    file : path-like
    layer : str
        A layer of the contract (``stations``, ``compounds`` ...).
    mapping : FieldMapping, dict or path-like, optional
        Source columns → contract fields; suggested from the headers when not given.
    from_crs : str, optional
        ``gcj02`` / ``bd09`` (convert offset lon/lat), or a CRS that overrides
        or supplies the file's (``EPSG:4525``).
    encoding : str, optional
        Override of the detected text encoding.
    source_layer : str, optional
        Layer or sheet inside the file.
    x, y : str, optional
        Coordinate columns of a table.
    feedback : heatgis.errors.Feedback, optional
        Progress 0-100; when cancelled, ``Cancelled`` is raised and nothing is changed.

    Returns
    -------
    ImportResult

    Raises
    ------
    HeatGISError
        The file cannot be read, fields or coordinates are missing, values are
        bad, or the result breaks the contract; each problem names file and row.
    """
    s = _layer_spec(layer, file)
    path = Path(file)
    mapping = _given_mapping(mapping, layer, file)
    encoding = encoding or (mapping.encoding if mapping else None)
    from_crs = parse_from_crs(from_crs or (mapping.from_crs if mapping else None))
    source_layer = source_layer or (mapping.source_layer if mapping else None)
    x = x or (mapping.x if mapping else None)
    y = y or (mapping.y if mapping else None)

    _check(feedback, 0, Text("reading {name}", "正在读取 {name}", name=path.name))
    src = read_source(
        path,
        source_layer=source_layer,
        encoding=encoding,
        geometry=s.geometry,
        x=x,
        y=y,
        xy=mapping.xy if mapping else None,
    )
    notes = _read_notes(src, path)
    n_read = len(src.frame)
    if n_read == 0:
        raise HeatGISError(
            Text("the file holds no features", "文件中没有要素"),
            Text("export the data again, or choose another layer", "请重新导出数据，或选择其他图层"),
            file=path,
        )
    _check(feedback, 40, Text("mapping fields", "映射字段"))
    if src.format == "OSM":
        mapping, more = _osm_mapping(src, layer, path, mapping)
        notes += more
    state = {"mapping": _suggested_mapping(layer, src, mapping, encoding, source_layer)}
    try:
        return _map_and_check(project, layer, src, state, from_crs, path, notes, n_read, feedback)
    except HeatGISError as exc:  # the mapping as far as it got, for the planner to complete (--save-mapping)
        exc.mapping = state["mapping"]
        exc.columns = [str(c) for c in src.frame.columns if str(c) != "geometry"]
        exc.missing = getattr(exc, "missing", {})
        raise


# ------------------------------------------------------------------ the steps of import_layer


def _layer_spec(layer: str, file):
    """The contract's spec of ``layer``, or a HeatGISError naming the file."""
    try:
        return spec(layer)
    except KeyError:
        raise HeatGISError(
            unknown_layer(layer), Text("choose a layer of the contract", "请选择图层规范中的图层"), file=file
        ) from None


def _given_mapping(mapping, layer: str, file) -> FieldMapping | None:
    """The mapping the caller gave (a FieldMapping, a dict or a saved file), checked to be for ``layer``."""
    if mapping is not None and not isinstance(mapping, FieldMapping):
        mapping = FieldMapping.from_dict(mapping) if isinstance(mapping, dict) else FieldMapping.load(mapping)
    if mapping is not None and mapping.layer != layer:
        raise HeatGISError(
            Text(
                "the mapping is for layer '{mapped}', not '{layer}'",
                "该字段映射是图层 '{mapped}' 的，不是 '{layer}' 的",
                mapped=mapping.layer,
                layer=layer,
            ),
            Text("use a mapping made for this layer", "请使用为该图层制作的字段映射"),
            file=file,
        )
    return mapping


def _read_notes(src: SourceData, path: Path) -> list[Problem]:
    """The reader's notes, and how the text was decoded unless the planner chose it."""
    notes: list[Problem] = list(src.notes)
    if src.encoding is not None and src.encoding.reason != "chosen by the user":
        notes.append(
            Problem(
                Text(
                    "text read as {enc}: {reason}",
                    "文本按 {enc} 读取：{reason}",
                    enc=src.encoding.encoding,
                    reason=src.encoding.reason,
                ),
                Text("override with --encoding if names look wrong", "如果名称显示为乱码，请用 --encoding 指定编码"),
                str(path),
                severity="info",
            )
        )
    return notes


def _osm_mapping(src: SourceData, layer: str, path: Path, mapping):
    """OpenStreetMap: keep the features of ``layer`` (``src.frame`` is replaced) and map their
    tags with the preset, under the fields the planner mapped; (mapping, notes)."""
    from heatgis.io.osm import prepare_osm

    src.frame, preset, notes = prepare_osm(src.frame, layer, str(path))
    if len(src.frame) == 0:
        raise HeatGISError(
            Text(
                "the OpenStreetMap extract has no features for layer '{layer}'",
                "OpenStreetMap 数据中没有图层 '{layer}' 的要素",
                layer=layer,
            ),
            Text("choose another layer, or another extract", "请选择其他图层，或其他 OpenStreetMap 数据"),
            file=path,
        )
    given = mapping.to_dict()["fields"] if mapping else {}
    mapping = FieldMapping.from_dict(
        {**(mapping.to_dict() if mapping else {"layer": layer}), "fields": {**preset, **given}}
    )
    return mapping, notes


def _suggested_mapping(layer: str, src: SourceData, mapping, encoding, source_layer) -> FieldMapping:
    """The mapping to use: the given one completed from the headers, with how the file was read."""
    used = suggest_mapping(layer, src.frame.columns, base=mapping)
    used.encoding = encoding
    used.source_layer = source_layer
    if src.coords is not None:
        used.x, used.y = (src.coords + (None,))[:2] if len(src.coords) == 2 else (None, None)
        used.xy = src.coords[0] if len(src.coords) == 1 else None
    return used


def _map_and_check(project, layer, src, state, from_crs, path, notes, n_read, feedback) -> ImportResult:
    """Units, fields, geometry repair, coordinate system, derived fields and the contract check."""
    s = spec(layer)
    used, more = decide_units(src.frame, state["mapping"], str(path))
    state["mapping"] = used
    notes += more
    can_derive = derivable(layer, project) if s.geometry is not None else frozenset()
    frame, more = apply_mapping(src.frame, used, str(path), src.row_offset, derivable=can_derive)
    notes += more

    converted: list[str] = []
    source_crs = None
    if s.geometry is not None:
        frame, converted, source_crs = _place_geometries(
            project, layer, src, frame, used, from_crs, can_derive, path, notes, feedback
        )
    else:
        frame = pd.DataFrame(frame.drop(columns="geometry", errors="ignore"))

    _check(feedback, 85, Text("checking against the contract", "按图层规范检查"))
    frame, more = _check_contract(project, layer, frame, used, path)
    notes += more
    _check(feedback, 100, Text("done", "完成"))
    return ImportResult(
        layer,
        frame,
        notes,
        converted,
        used,
        str(path),
        src.format,
        src.encoding.encoding if src.encoding else None,
        source_crs,
        n_read,
    )


def _place_geometries(project, layer, src, frame, used, from_crs, can_derive, path, notes, feedback):
    """Repair the geometries, settle the source CRS, convert to the project's, derive fields from
    the geometries; (frame, conversions, source CRS text). Appends to ``notes``."""
    s = spec(layer)
    _check(feedback, 55, Text("repairing geometries", "修复几何"))
    ids = frame[s.id_field].to_numpy(dtype=object) if s.id_field in frame.columns else None
    frame, more = repair_geometries(frame, s.geometry, str(path), layer, ids=ids, row_offset=src.row_offset)
    notes += more
    _check(feedback, 70, Text("coordinate system", "坐标系"))
    from_crs, more = _source_crs(project, layer, src, frame, from_crs, path)
    notes += more
    frame, converted, source_crs, more = _to_project_crs(frame, src, from_crs, project.crs, path)
    notes += more
    if from_crs in OFFSET_CRS or (from_crs is not None and src.crs is None):
        used.from_crs = from_crs  # the saved mapping repeats how the coordinates were read
    to_derive = [f for f in can_derive if f not in frame.columns]
    if to_derive:
        frame, more = derive_fields(frame, layer, project, to_derive, str(path))
        notes += more
    return frame, converted, source_crs


def _check_contract(project, layer, frame, used, path):
    """Conform to the contract and validate: (frame, warnings), or a HeatGISError with the errors."""
    s = spec(layer)
    frame = conform(layer, frame, clean=clean_text_fields(used))
    keep = [f.name for f in s.fields if f.name in frame.columns] + (["geometry"] if s.geometry else [])
    frame = frame[keep]
    # the frame was just conformed (text fields clean) and its geometries repaired (polygons
    # valid): the validator need not clean or check them a second time
    problems = validate_layer(
        layer, frame, project.crs if s.geometry else None, str(path), conformed=True, repaired=s.geometry is not None
    )
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise HeatGISError(
            Text(
                "the imported rows break the layer contract ({n} problem{s})",
                "导入的行不符合图层规范（{n} 个问题）",
                n=len(errors),
                s="s" if len(errors) > 1 else "",
            ),
            Text(
                "fix the rows in the file or the field mapping; the project was not changed",
                "请改正文件中的行或字段映射；项目未作改动",
            ),
            file=path,
            layer=layer,
            problems=errors[:50],
        )
    return frame, [p for p in problems if p.severity != "error"]


# ------------------------------------------------------------------ apply


def apply_import(project, result: ImportResult, mode: str = "replace", stack=None):
    """Put an import result into the project as one undoable command.

    Parameters
    ----------
    project : Project
    result : ImportResult
    mode : {"replace", "append"}
        Replace the layer, or add the rows to it (ids must not clash).
    stack : UndoStack, optional
        When given the command is pushed on it (undoable); else it is just done.

    Returns
    -------
    ImportLayer
        The command.
    """
    from heatgis.io.commands import ImportLayer

    cmd = ImportLayer(result.layer, result.frame, mode=mode, file=result.file)
    if stack is not None:
        stack.push(cmd)
    else:
        cmd.do(project)
    return cmd
