"""File → Import layer… / Zones from a notice… in the real main window, undoable like any edit."""

from __future__ import annotations

import geopandas as gpd
import shapely

from heatgis.analysis.impact import ImpactEngine


def test_import_menu_opens_dialogs_on_the_project(demo_window):
    win = demo_window
    acts = win.import_actions
    assert acts.import_layer.isEnabled() and acts.notice.isEnabled()
    texts = [a.text() for a in win.acts.file_menu.actions()]
    assert acts.import_layer.text() in texts and acts.notice.text() in texts
    dlg = acts.open_import(modal=False)
    assert dlg.project is win.session.project and dlg.stack is win.session.stack
    dlg.close()
    dlg = acts.open_notice(modal=False)
    assert dlg.project is win.session.project
    dlg.close()


def test_imported_stations_reindex_the_impact(demo_window, tmp_path):
    """An import that replaces the stations rebuilds the engine; undo brings the figures back."""
    from heatgis.io.commands import ImportLayer

    win = demo_window
    s = win.session
    before = s.totals()
    st = s.project.layer("stations")
    moved = st.copy()
    # move every locked station far outside the city: nothing stays locked
    locked = set(ImpactEngine(s.project).compute(s.project.layer("lockdown_zones"), s.at).sites["id"])
    far = shapely.Point(0, 0)
    moved.loc[moved["station_id"].isin(locked), "geometry"] = far
    win.run_command(ImportLayer("stations", gpd.GeoDataFrame(moved, crs=st.crs), mode="replace"))
    after = s.totals()
    assert after.stations == 0 and after.boiler_rooms == before.boiler_rooms
    expected = ImpactEngine(s.project).compute(s.project.layer("lockdown_zones"), s.at).totals
    assert after == expected
    win.session.stack.undo()
    assert s.totals() == before
