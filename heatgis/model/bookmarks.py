"""Bookmarks: named map views kept in the project (``heatgis_meta`` key ``bookmarks``, JSON).

``bookmarks(project)`` reads them (a list of ``{"name": str, "extent": [x0, y0, x1, y1]}``
in the project CRS); ``SetBookmarks(new_list)`` is the undoable command that changes them,
pushed on the project's undo stack like any other edit, so adding or deleting a
bookmark marks the project unsaved and Ctrl+Z takes it back. The value is plain JSON:
QGIS or a script reading the GeoPackage's ``heatgis_meta`` table sees the same list.

Qt-free.
"""

from __future__ import annotations

import json

from heatgis.errors import HeatGISError
from heatgis.model.commands import Command
from heatgis.text import Text

META_KEY = "bookmarks"


def bookmarks(project) -> list[dict]:
    """The project's bookmarks, in the order they were added (a malformed entry is skipped)."""
    text = (project.meta or {}).get(META_KEY) or ""
    if not text.strip():
        return []
    try:
        items = json.loads(text)
    except ValueError:
        return []
    out = []
    for b in items if isinstance(items, list) else []:
        try:
            ext = [float(v) for v in b["extent"]]
        except (KeyError, TypeError, ValueError):
            continue
        if len(ext) == 4 and ext[2] > ext[0] and ext[3] > ext[1]:
            out.append({"name": str(b.get("name") or ""), "extent": ext})
    return out


def with_bookmark(items: list[dict], name: str, extent) -> list[dict]:
    """A new list with the view ``extent`` saved as ``name`` (replacing a bookmark of that name)."""
    name = str(name).strip()
    if not name:
        raise HeatGISError(
            Text("a bookmark needs a name", "书签需要一个名称"), Text("type a name for the view", "为该视图输入名称")
        )
    ext = [float(v) for v in extent]
    if len(ext) != 4 or not (ext[2] > ext[0] and ext[3] > ext[1]):
        raise HeatGISError(
            Text("the view {extent} is empty", "视图 {extent} 为空", extent=extent),
            Text("zoom to a part of the map first", "请先缩放到地图的某一部分"),
        )
    return [b for b in items if b["name"] != name] + [{"name": name, "extent": [round(v, 2) for v in ext]}]


def without_bookmark(items: list[dict], name: str) -> list[dict]:
    return [b for b in items if b["name"] != name]


class SetBookmarks(Command):
    """Replace the project's bookmarks (undo restores the old list).

    ``layer`` is None: the command changes the metadata, not a layer (no impact update).
    """

    layer = None
    project_edit = True

    def __init__(self, items: list[dict], text: str = "bookmarks"):
        self.value = json.dumps(items, ensure_ascii=False) if items else None
        self.text = text
        self._old: str | None = None

    def _put(self, project, value) -> None:
        if value is None:
            project.meta.pop(META_KEY, None)
        else:
            project.meta[META_KEY] = value

    def do(self, project) -> None:
        self._old = project.meta.get(META_KEY)
        self._put(project, self.value)

    def undo(self, project) -> None:
        self._put(project, self._old)
