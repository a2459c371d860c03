"""Undoable project edits made by imports: a whole layer in, zones from a notice.

Both follow :mod:`heatgis.model.commands` (``do``/``undo``, ``text``, ``zone_ids``)
so they go on the same undo stack as the planner's zone edits.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from heatgis.errors import HeatGISError
from heatgis.model.commands import Command
from heatgis.model.schema import conform, spec
from heatgis.text import Text, join


class ImportLayer(Command):
    """Replace a layer with imported rows, or append them.

    Parameters
    ----------
    layer : str
    frame : (Geo)DataFrame
        Conformed to the contract, in the project CRS.
    mode : {"replace", "append"}
    file : str, optional
        Shown in the undo text.

    An append keeps only its own rows (undo cuts the layer back to its old length);
    a replace keeps the layer it replaced, which the stack's limit bounds.
    """

    def __init__(self, layer: str, frame, mode: str = "replace", file: str = ""):
        if mode not in ("replace", "append"):
            raise HeatGISError(
                Text("'{mode}' is not an import mode", "'{mode}' 不是导入方式", mode=mode),
                Text("use replace or append", "请使用 replace（替换）或 append（追加）"),
            )
        self.layer, self.frame, self.mode = layer, frame, mode
        self.text = f"import {len(frame)} {layer}" + (f" from {file}" if file else "")
        self._old = None
        self._had = False
        self._old_len: int | None = None  # an append: the layer's length before it
        ids = spec(layer).id_field
        self.zone_ids = tuple(frame["zone_id"].astype(str)) if layer == "lockdown_zones" else ()
        self._id = ids

    def _new_frame(self, project):
        if self.mode == "replace" or not project.has(self.layer) or len(project.layer(self.layer)) == 0:
            return self.frame
        old = project.layer(self.layer)
        if self._id:
            clash = set(old[self._id].astype(str)) & set(self.frame[self._id].astype(str))
            if clash:
                raise HeatGISError(
                    Text(
                        "{n} id(s) are already in layer '{layer}': {ids}",
                        "图层 '{layer}' 中已有 {n} 个相同的编号：{ids}",
                        n=len(clash),
                        layer=self.layer,
                        ids=join(sorted(clash)[:5]),
                    ),
                    Text(
                        "import with replace, or give the new rows their own ids",
                        "请以替换方式导入，或为新增的行另行编号",
                    ),
                    layer=self.layer,
                    field=self._id,
                )
        out = pd.concat([old, self.frame], ignore_index=True)
        if spec(self.layer).geometry is not None:
            out = gpd.GeoDataFrame(out, geometry="geometry", crs=old.crs)
        return conform(self.layer, out)

    def do(self, project) -> None:
        new = self._new_frame(project)
        self._had = project.has(self.layer)
        old = project.layers.get(self.layer)
        appended = self.mode == "append" and old is not None and len(old) > 0
        self._old_len = len(old) if appended else None
        self._old = None if appended else old
        project.set_layer(self.layer, new)

    def undo(self, project) -> None:
        if self._old_len is not None:
            project.set_layer(self.layer, project.layer(self.layer).iloc[: self._old_len].copy())
        elif self._had:
            project.set_layer(self.layer, self._old)
        else:
            project.layers.pop(self.layer, None)
            project.emit(self.layer)


class AddZones(ImportLayer):
    """Add several lockdown zones at once (zones from a notice)."""

    def __init__(self, zones, source: str = "notice"):
        super().__init__("lockdown_zones", zones, mode="append", file=source)
        self.text = f"add {len(zones)} zones from {source}"
