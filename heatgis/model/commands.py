"""Undoable edits of a project (glue-style command objects and an undo stack).

Qt-free. Every change a planner makes to the project goes through one of these
commands on the project's ONE :class:`UndoStack`: zone edits (here), imports
(``heatgis.io.commands``), staffing pins and removals
(``heatgis.analysis.staffing.overrides.SetStaffingOverrides``, a :class:`SetMeta`).
The GUI maps mouse and form interactions onto them, listens to the stack to refresh
what it shows, and is dirty exactly when the stack is not clean.

Zone commands work on ``project.layers["lockdown_zones"]`` by replacing the
frame with a new one (frames handed out earlier are never mutated) and then
call ``project.emit("lockdown_zones")``. ``command.layer`` names the layer a
command changes (None: the metadata) and ``command.zone_ids`` the zones it touched,
so a live impact session can update only those. Commands keep the difference they
made (a row, an outline, the old attribute values, the appended row count), and the
stack keeps at most ``limit`` of them.
"""

from __future__ import annotations

from collections.abc import Callable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from heatgis.errors import HeatGISError
from heatgis.model.schema import ZONE_LEVELS, conform, empty_frame
from heatgis.model.vocab import level_label, zone_level
from heatgis.text import Text, join

ZONES = "lockdown_zones"


def _zones(project) -> gpd.GeoDataFrame:
    return project.layer(ZONES)


def _set(project, frame) -> None:
    project.layers[ZONES] = frame.reset_index(drop=True)
    project.emit(ZONES)


def _row_of(frame, zone_id: str) -> int:
    hits = np.flatnonzero(frame["zone_id"].astype(str).to_numpy() == str(zone_id))
    if len(hits) == 0:
        raise HeatGISError(
            Text("there is no zone '{id}'", "没有管控区“{id}”", id=zone_id),
            Text("pick a zone that exists on the map", "请选择地图上已有的管控区"),
            layer=ZONES,
            row=zone_id,
        )
    return int(hits[0])


def _check_geometry(geometry, zone_id) -> None:
    if geometry is None or shapely.is_empty(geometry) or geometry.geom_type not in ("Polygon", "MultiPolygon"):
        raise HeatGISError(
            Text("a zone needs a polygon", "管控区需要一个多边形"),
            Text("draw at least three vertices", "至少画三个顶点"),
            layer=ZONES,
            row=zone_id,
            field="geometry",
        )
    if not shapely.is_valid(geometry):
        raise HeatGISError(
            Text(
                "the zone outline is invalid ({why})", "管控区边界无效（{why}）", why=shapely.is_valid_reason(geometry)
            ),
            Text("move the vertices so that the outline does not cross itself", "移动顶点，使边界不自相交"),
            layer=ZONES,
            row=zone_id,
            field="geometry",
        )


def _check_attrs(attrs: dict, zone_id) -> None:
    level = attrs.get("level")
    if level is not None and zone_level(level) is not None:
        attrs["level"] = level = zone_level(level)  # 封控区 ... read as the stored level
    if level is not None and level not in ZONE_LEVELS:
        raise HeatGISError(
            Text("'{level}' is not a zone level", "“{level}”不是管控级别", level=level),
            Text(
                "use one of: {levels}",
                "可用的级别：{levels}",
                levels=join(Text(c, f"{c}（{level_label(c, 'zh')}）") for c in ZONE_LEVELS),
            ),
            layer=ZONES,
            row=zone_id,
            field="level",
        )
    start, end = attrs.get("start"), attrs.get("end")
    if start is not None and end is not None and not pd.isna(end) and not pd.isna(start):
        if pd.Timestamp(end) <= pd.Timestamp(start):
            raise HeatGISError(
                Text("the zone ends before it starts", "管控区的解除时间早于开始时间"),
                Text("set the end after the start", "把解除时间设在开始时间之后"),
                layer=ZONES,
                row=zone_id,
                field="end",
            )


def new_zone_id(project, prefix: str = "Z") -> str:
    """A zone id not used yet in the project (``Z-0001`` style)."""
    used = set(_zones(project)["zone_id"].astype(str))
    k = len(used) + 1
    while f"{prefix}-{k:04d}" in used:
        k += 1
    return f"{prefix}-{k:04d}"


class Command:
    """One undoable edit.

    Subclasses implement ``do(project)`` and ``undo(project)`` and set ``text``
    (shown in the Edit menu) and ``zone_ids``.
    """

    text = "edit"
    #: the layer the command changes (None: not a layer, e.g. the project metadata)
    layer: str | None = None
    zone_ids: tuple[str, ...] = ()

    def do(self, project) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def undo(self, project) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class ZoneCommand(Command):
    """An edit of the lockdown zones."""

    layer = ZONES


class AddZone(ZoneCommand):
    """Add one lockdown zone.

    Parameters
    ----------
    zone_id : str
    geometry : shapely Polygon
        In the project CRS.
    name, level : str
    start : str or Timestamp
    end : str or Timestamp or None
        None = still active.
    source, notes : str, optional
    """

    def __init__(self, zone_id, geometry, name="", level="sealed", start=None, end=None, source="heatgis", notes=None):
        self.zone_ids = (str(zone_id),)
        self.geometry = geometry
        self.attrs = {
            "zone_id": str(zone_id),
            "name": name or str(zone_id),
            "level": level,
            "start": start,
            "end": end,
            "source": source,
            "notes": notes,
        }
        self.text = f"add zone {zone_id}"
        _check_geometry(geometry, zone_id)
        if start is None:
            raise HeatGISError(
                Text("the zone has no start time", "管控区没有开始时间"),
                Text("set when the lockdown starts", "填写管控开始的时间"),
                layer=ZONES,
                row=zone_id,
                field="start",
            )
        _check_attrs(self.attrs, zone_id)

    def do(self, project) -> None:
        frame = _zones(project)
        if str(self.attrs["zone_id"]) in set(frame["zone_id"].astype(str)):
            raise HeatGISError(
                Text("the zone id '{id}' is already used", "管控区编号“{id}”已被使用", id=self.attrs["zone_id"]),
                Text("give the new zone its own id", "给新管控区一个自己的编号"),
                layer=ZONES,
                row=self.attrs["zone_id"],
            )
        row = gpd.GeoDataFrame(pd.DataFrame([self.attrs]), geometry=[self.geometry], crs=project.crs)
        row = conform(ZONES, row)
        if len(frame):
            out = pd.concat([frame, row[[c for c in row.columns]]], ignore_index=True)
            out = gpd.GeoDataFrame(out, geometry="geometry", crs=project.crs)
        else:
            base = empty_frame(ZONES, project.crs)
            out = conform(
                ZONES,
                gpd.GeoDataFrame(
                    pd.concat([pd.DataFrame(base), pd.DataFrame(row)], ignore_index=True),
                    geometry="geometry",
                    crs=project.crs,
                ),
            )
        _set(project, conform(ZONES, out))

    def undo(self, project) -> None:
        frame = _zones(project)
        i = _row_of(frame, self.attrs["zone_id"])
        _set(project, frame.drop(index=frame.index[i]))


class DeleteZone(ZoneCommand):
    """Delete one zone (undo puts it back at the same row)."""

    def __init__(self, zone_id):
        self.zone_ids = (str(zone_id),)
        self.text = f"delete zone {zone_id}"
        self._row = None
        self._pos = None

    def do(self, project) -> None:
        frame = _zones(project)
        i = _row_of(frame, self.zone_ids[0])
        self._pos = i
        self._row = frame.iloc[[i]].copy()
        _set(project, frame.drop(index=frame.index[i]))

    def undo(self, project) -> None:
        frame = _zones(project)
        parts = [frame.iloc[: self._pos], self._row, frame.iloc[self._pos :]]
        out = pd.concat(parts, ignore_index=True)
        _set(project, gpd.GeoDataFrame(out, geometry="geometry", crs=project.crs))


class EditZoneGeometry(ZoneCommand):
    """Replace a zone's outline (a dragged vertex, a moved zone)."""

    def __init__(self, zone_id, geometry, old_geometry=None):
        _check_geometry(geometry, zone_id)
        self.zone_ids = (str(zone_id),)
        self.geometry = geometry
        self.old = old_geometry
        self.text = f"edit outline of zone {zone_id}"

    def _put(self, project, geom) -> None:
        frame = _zones(project)
        i = _row_of(frame, self.zone_ids[0])
        geoms = np.asarray(frame.geometry.values).copy()
        if self.old is None:
            self.old = geoms[i]
        geoms[i] = geom
        out = frame.copy()
        out.geometry = gpd.GeoSeries(geoms, index=frame.index, crs=frame.crs)
        _set(project, out)

    def do(self, project) -> None:
        self._put(project, self.geometry)

    def undo(self, project) -> None:
        self._put(project, self.old)


class SetZoneAttributes(ZoneCommand):
    """Change name, level, start, end, source or notes of one zone."""

    FIELDS = ("name", "level", "start", "end", "source", "notes")

    def __init__(self, zone_id, **attrs):
        unknown = set(attrs) - set(self.FIELDS)
        if unknown:
            raise HeatGISError(
                Text("unknown zone field(s): {names}", "未知的管控区字段：{names}", names=join(sorted(unknown))),
                Text("use: {names}", "可用的字段：{names}", names=join(self.FIELDS)),
                layer=ZONES,
                row=zone_id,
            )
        _check_attrs(attrs, zone_id)
        self.zone_ids = (str(zone_id),)
        self.new = dict(attrs)
        self.old: dict | None = None
        self.text = f"change zone {zone_id}"

    def _put(self, project, values: dict) -> None:
        frame = _zones(project)
        i = _row_of(frame, self.zone_ids[0])
        if self.old is None:
            self.old = {k: frame[k].iloc[i] if k in frame.columns else None for k in values}
        merged = {k: frame[k].iloc[i] if k in frame.columns else None for k in ("start", "end")}
        merged.update(values)
        _check_attrs(merged, self.zone_ids[0])
        out = frame.copy()
        for k, v in values.items():
            if k not in out.columns:
                out[k] = None
            col = out[k].astype(object)
            col.iloc[i] = v
            out[k] = col
        _set(project, conform(ZONES, out))

    def do(self, project) -> None:
        self._put(project, self.new)

    def undo(self, project) -> None:
        self._put(project, self.old or {})


class SetMeta(Command):
    """Set one key of the project's metadata (``value`` None removes it); undo restores the old text.

    Parameters
    ----------
    key : str
    value : str or None
    text : str, optional
        Shown in the Edit menu.
    """

    def __init__(self, key: str, value: str | None, text: str = ""):
        self.key, self.value = str(key), None if value is None else str(value)
        self.text = text or f"set {key}"
        self._old: str | None = None

    def _put(self, project, value) -> None:
        if value is None:
            project.meta.pop(self.key, None)
        else:
            project.meta[self.key] = value

    def do(self, project) -> None:
        self._old = project.meta.get(self.key)
        self._put(project, self.value)

    def undo(self, project) -> None:
        self._put(project, self._old)


class UndoStack:
    """The one linear undo/redo history over a project.

    ``push`` runs the command and drops any redo tail; listeners get
    ``callback(command, action)`` with action ``"do"``, ``"undo"`` or ``"redo"``
    after each step (``"clean"``/``"clear"`` with command None). ``is_clean`` is true
    at the index last marked by ``set_clean`` (after a save); the window is dirty
    exactly when it is false. At most ``limit`` commands are kept: the oldest is
    dropped (a save point dropped with it can no longer be reached by undo).

    Parameters
    ----------
    project : Project
    limit : int
        Commands kept for undo (default 100).
    """

    def __init__(self, project, limit: int = 100):
        if limit < 1:
            raise ValueError("the undo limit must be at least 1")
        self.project = project
        self.limit = int(limit)
        self._done: list[Command] = []
        self._undone: list[Command] = []
        self._clean = 0
        self._listeners: list[Callable] = []

    def subscribe(self, callback) -> None:
        self._listeners.append(callback)

    def unsubscribe(self, callback) -> None:
        if callback in self._listeners:
            self._listeners.remove(callback)

    def __len__(self) -> int:
        """Commands that can be undone."""
        return len(self._done)

    def _notify(self, cmd, action) -> None:
        for cb in list(self._listeners):
            cb(cmd, action)

    def push(self, cmd: Command) -> None:
        cmd.do(self.project)
        self._done.append(cmd)
        if self._clean > len(self._done) - 1:
            self._clean = -1  # the clean state was in the dropped redo tail
        self._undone.clear()
        while len(self._done) > self.limit:
            self._done.pop(0)
            self._clean = self._clean - 1 if self._clean > 0 else -1
        self._notify(cmd, "do")

    def undo(self) -> Command | None:
        if not self._done:
            return None
        cmd = self._done.pop()
        cmd.undo(self.project)
        self._undone.append(cmd)
        self._notify(cmd, "undo")
        return cmd

    def redo(self) -> Command | None:
        if not self._undone:
            return None
        cmd = self._undone.pop()
        cmd.do(self.project)
        self._done.append(cmd)
        self._notify(cmd, "redo")
        return cmd

    @property
    def can_undo(self) -> bool:
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        return bool(self._undone)

    def undo_text(self) -> str:
        return self._done[-1].text if self._done else ""

    def redo_text(self) -> str:
        return self._undone[-1].text if self._undone else ""

    def history(self) -> tuple[list[Command], list[Command]]:
        """(done, undone): the commands done, oldest first, and those undo took back, the next redo first."""
        return list(self._done), list(reversed(self._undone))

    def set_clean(self) -> None:
        self._clean = len(self._done)
        self._notify(None, "clean")

    @property
    def is_clean(self) -> bool:
        return self._clean == len(self._done)

    def unsaved(self) -> list[Command] | None:
        """The edits done since the last save (``set_clean``), oldest first.

        None when the saved state is not behind the current one on the history
        (edits undone past a save, or a save dropped with a redo tail): those edits
        cannot be re-applied by doing commands again.
        """
        if 0 <= self._clean <= len(self._done):
            return list(self._done[self._clean :])
        return None

    def adopt(self, other: UndoStack) -> None:
        """Take over ``other``'s history (done, undone, clean point) for this stack's project.

        Used after the project was reloaded from its file and the unsaved edits
        re-applied to it: the planner keeps undo and redo over the same edits.
        """
        self._done, self._undone, self._clean = list(other._done), list(other._undone), other._clean
        self._notify(None, "adopt")

    def clear(self) -> None:
        self._done.clear()
        self._undone.clear()
        self._clean = 0
        self._notify(None, "clear")


class SetLayer(Command):
    """Replace one whole layer (e.g. the tickets layer with a new ticket added); undo puts the old
    frame back, or removes the layer when the project had none.

    Parameters
    ----------
    layer : str
    frame : (Geo)DataFrame
        The new layer, conformed to the contract by the caller.
    text : str
        Shown in the Edit menu.
    """

    def __init__(self, layer: str, frame, text: str = ""):
        self.layer, self.frame = layer, frame
        self.text = text or f"edit {layer}"
        self.zone_ids = ()
        self._old, self._had = None, False

    def do(self, project) -> None:
        self._had = project.has(self.layer)
        self._old = project.layers.get(self.layer)
        project.set_layer(self.layer, self.frame)

    def undo(self, project) -> None:
        if self._had:
            project.set_layer(self.layer, self._old)
        else:
            project.layers.pop(self.layer, None)
            project.emit(self.layer)
