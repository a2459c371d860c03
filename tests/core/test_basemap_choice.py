"""The project's basemap in its metadata (Qt-free): relative beside the project, absolute elsewhere,
found beside the project by name after a move; SetMeta undoes it; the undo stack lists its history."""

from __future__ import annotations

import json

from heatgis.model.basemap_choice import META_KEY, basemap_choice, basemap_value
from heatgis.model.commands import SetMeta, UndoStack
from heatgis.model.project import Project


def test_basemap_value_and_choice(tmp_path):
    p = Project(path=tmp_path / "p.gpkg")
    assert basemap_choice(p) is None
    (tmp_path / "tiles").mkdir()
    tiles = tmp_path / "tiles" / "c.mbtiles"
    tiles.write_bytes(b"")
    v = basemap_value(p, str(tiles), gcj02=True, opacity=0.5)
    assert json.loads(v) == {"path": "tiles/c.mbtiles", "gcj02": True, "opacity": 0.5}
    stack = UndoStack(p)
    stack.push(SetMeta(META_KEY, v, "change basemap"))
    assert basemap_choice(p) == {"path": str(tiles.resolve()), "gcj02": True, "opacity": 0.5}
    done, undone = stack.history()
    assert [c.text for c in done] == ["change basemap"] and undone == []
    stack.undo()
    assert basemap_choice(p) is None and [c.text for c in stack.history()[1]] == ["change basemap"]
    # elsewhere: absolute; moved beside the project: found by its name
    other = tmp_path.parent / f"{tmp_path.name}_elsewhere.mbtiles"
    p.meta[META_KEY] = basemap_value(p, str(other))
    assert json.loads(p.meta[META_KEY])["path"] == other.resolve().as_posix()
    (tmp_path / other.name).write_bytes(b"")
    assert basemap_choice(p)["path"] == str(tmp_path.resolve() / other.name)
    p.meta[META_KEY] = "not json"
    assert basemap_choice(p) is None
    assert basemap_value(p, None) is None
