"""The basemap belongs to the project: choosing one is an undoable edit saved in the GeoPackage
(``heatgis_meta`` key ``basemap``, the tiles' path relative to the project), and opening the project
shows it again; a project without one (the demo) shows none."""

from __future__ import annotations

import json
import sqlite3

from tests.gui.conftest import DEMO


def _mbtiles(path):
    from tests.render.test_render_basemap import Z, _png, _tiles

    db = sqlite3.connect(path)
    db.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
    db.executemany(
        "INSERT INTO tiles VALUES (?, ?, ?, ?)",
        [(Z, x, (1 << Z) - 1 - y, _png(c)) for (x, y), c in _tiles()[2].items()],
    )
    db.commit()
    db.close()
    return path


def test_basemap_saved_in_the_project_undoable_and_restored(demo_window, qtbot, tmp_path):
    from heatgis.model.store import open_project

    win = demo_window
    s = win.session
    (tmp_path / "tiles").mkdir()
    tiles = _mbtiles(tmp_path / "tiles" / "city.mbtiles")
    assert s.renderer.basemap is None and "basemap" not in s.project.meta
    assert win.save_as(str(tmp_path / "mine.gpkg"))  # the demo is read-only: the planner's own copy
    assert win.gis_tools.set_basemap(str(tiles), gcj02=True, opacity=0.7, cache_dir=tmp_path / "cache")
    assert s.renderer.basemap is not None and s.dirty
    # kept relative to the project's folder: the folder can be copied as a whole
    assert json.loads(s.project.meta["basemap"]) == {"path": "tiles/city.mbtiles", "gcj02": True, "opacity": 0.7}
    assert win.acts.undo.text() == "&Undo change basemap"
    win.undo()
    assert s.renderer.basemap is None and "basemap" not in s.project.meta
    win.redo()
    assert s.renderer.basemap is not None and s.renderer.basemap.gcj02
    assert win.save()
    saved = open_project(tmp_path / "mine.gpkg")
    assert json.loads(saved.meta["basemap"])["path"] == "tiles/city.mbtiles"
    # another project (the demo: none) shows none; opening ours shows its basemap again, not dirty
    win.open_project(DEMO, background=False)
    assert win.session.renderer.basemap is None
    win.open_project(tmp_path / "mine.gpkg", background=False)
    bm = win.session.renderer.basemap
    assert bm is not None and bm.gcj02 and abs(bm.opacity - 0.7) < 1e-9
    assert not win.session.dirty and not win.session.stack.can_undo


def test_missing_basemap_file_is_a_message_not_a_dialog(demo_window, qtbot, tmp_path):
    win = demo_window
    tiles = _mbtiles(tmp_path / "t.mbtiles")
    assert win.gis_tools.set_basemap(str(tiles), cache_dir=tmp_path / "cache")
    assert win.save_as(str(tmp_path / "p.gpkg"))
    tiles.unlink()
    win.open_project(tmp_path / "p.gpkg", background=False)
    assert win.session.renderer.basemap is None and win._errors == []
    assert "t.mbtiles" in win.statusBar().currentMessage()
