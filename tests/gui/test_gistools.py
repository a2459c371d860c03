"""The tools a GIS user reaches for, in the real window on the demo: search, measure, coordinates,
scale box, hints, bookmarks, tool bar icons and tooltips, the offline basemap, a typed print scale."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from tests.gui.test_main_window import click_map


def _wait(qtbot, ms=30):
    qtbot.wait(ms)
    QtWidgets.QApplication.processEvents()


def test_search_box_finds_by_pinyin_and_zooms_to_the_hit(demo_window, qtbot):
    win = demo_window
    box = win.gis_tools.search
    assert box.shortcut.key().toString() == "Ctrl+K"
    taken = [a.shortcut().toString() for a in win.findChildren(QtGui.QAction)]
    assert "Ctrl+K" not in taken  # Ctrl+F stays the attribute table's filter
    win.canvas.zoom_full()
    assert box.wait_index() is not None  # built in a worker once the map was drawn
    box.shortcut.activated.emit()
    qtbot.keyClicks(box, "hry")
    assert box.hits and box.hits[0].name == "华润苑"
    assert box.model.rowCount() == len(box.hits) and "华润苑" in box.model.item(0).text()
    box.completer.popup().hide()
    qtbot.keyClick(box, QtCore.Qt.Key.Key_Return)  # Enter takes the first hit
    _wait(qtbot)
    s = win.session
    comp = s.project.layer("compounds")
    row = int(np.flatnonzero(comp["compound_id"] == "C-0656")[0])
    assert s.selection_layer == "compounds" and list(s.selection) == [row]
    c = comp.geometry.iloc[row].centroid
    r = win.canvas.vb.viewRect()
    assert r.contains(QtCore.QPointF(c.x, c.y))
    assert r.width() < 2000  # zoomed in from the whole city (~30 km)
    # a station by id, through the completer's row
    box.setText("")
    qtbot.keyClicks(box, "ST-0025")
    box._activated(box.model.index(0, 0))
    _wait(qtbot)
    assert s.selection_layer == "stations"
    st = s.project.layer("stations")
    assert st["station_id"].iloc[int(s.selection[0])] == "ST-0025"
    g = st.geometry.iloc[int(s.selection[0])]
    assert win.canvas.vb.viewRect().contains(QtCore.QPointF(g.x, g.y))


def test_search_index_built_in_a_worker_typing_meanwhile(demo_window, qtbot):
    """The index is built off the GUI thread; what is typed (and Enter) before it lands is served then."""
    import threading

    from heatgis.analysis import search as core

    win = demo_window
    box = win.gis_tools.search
    box.wait_index()
    threads = []
    real = core.SearchIndex.from_project

    def spy(project):
        threads.append(threading.current_thread() is threading.main_thread())
        return real(project)

    core.SearchIndex.from_project = staticmethod(spy)
    try:
        win.session.layerChanged.emit("compounds")  # a layer changed: the index is built again
        assert box.index is None
        box.setFocus()
        box.setText("hry")
        box.update_hits("hry")  # typed before the index landed: nothing yet, a message says why
        assert box.hits == []
        qtbot.keyClick(box, QtCore.Qt.Key.Key_Return)
        with qtbot.waitSignal(box.found, timeout=30000) as sig:
            pass
    finally:
        core.SearchIndex.from_project = real
    assert threads == [False]  # built once, in the worker
    assert box.hits and box.hits[0].name == "华润苑"
    assert sig.args[0] == "compounds" and win.session.selection_layer == "compounds"


def test_measure_tool_live_distance_and_area_esc_cancels(demo_window, qtbot):
    win = demo_window
    st = win.session.project.layer("stations")
    x, y = float(st.geometry.x.median()), float(st.geometry.y.median())
    win.canvas.zoom_to((x - 800, y - 800, x + 800, y + 800), pad=0)
    _wait(qtbot)
    win.set_tool("measure")
    tool = win.tools["measure"]
    assert "Esc" in win.gis_tools.hint.text()
    click_map(qtbot, win, x, y)
    click_map(qtbot, win, x + 300, y)
    assert len(tool.points) == 2
    (ax, ay), (bx, by) = tool.points
    assert np.hypot(bx - ax, by - ay) == pytest.approx(300, abs=3 * win.canvas.m_per_px())
    tool.move(x + 300, y + 400)  # the pointer (what a mouse move does): live reading to it
    hint = win.gis_tools.hint.text()  # the clicks land on whole pixels: a metre or two either way
    assert float(tool.text.split()[1]) == pytest.approx(700, abs=3) and "Area " in hint
    assert float(hint.split("Area ")[1].split(" ha")[0]) == pytest.approx(6.0, abs=0.15)
    click_map(qtbot, win, x + 300, y + 400, double=True)
    assert tool.finished and len(tool.points) == 3
    assert float(tool.text.split("Area ")[1].split(" ha")[0]) == pytest.approx(6.0, abs=0.15)
    qtbot.keyClick(win.canvas, QtCore.Qt.Key.Key_Escape)
    assert tool.points == [] and tool.line is None
    assert "double-click to finish" in win.gis_tools.hint.text()
    win.set_tool("pan")


def test_status_bar_lonlat_and_typed_scale(demo_window, qtbot):
    from pyproj import Transformer

    from heatgis.gui.statusbar import scale_of

    win = demo_window
    st = win.session.project.layer("stations")
    x, y = float(st.geometry.x.iloc[0]), float(st.geometry.y.iloc[0])
    win.canvas.cursorMoved.emit(x, y)
    lon, lat = Transformer.from_crs("EPSG:4546", "EPSG:4326", always_xy=True).transform(x, y)
    assert win.coords.lonlat == pytest.approx((lon, lat))
    assert f"{lon:.5f}°E" in win.coords.text() and "EPSG:4546" in win.coords.text()
    assert 111 < lon < 112.5 and 40 < lat < 41.5  # Hohhot
    box = win.scale
    box.edit.setFocus()
    box.edit.setText("1:25000")
    qtbot.keyClick(box.edit, QtCore.Qt.Key.Key_Return)
    _wait(qtbot)
    assert scale_of(win.canvas, box.dpi()) == pytest.approx(25000, rel=2e-3)
    assert box.text() == "1:25,000"
    box.edit.setText("1：1万")
    assert box.apply() and scale_of(win.canvas, box.dpi()) == pytest.approx(10000, rel=2e-3)
    box.edit.setText("abc")
    assert not box.apply()


def test_hint_while_drawing_a_zone(demo_window):
    win = demo_window
    win.set_tool("draw_zone")
    h = win.gis_tools.hint.text()
    assert "Click to add" in h and "double-click to finish" in h and "Esc to cancel" in h
    win.set_tool("pan")
    assert "Esc" not in win.gis_tools.hint.text()


def test_bookmarks_in_the_project_undoable(demo_window, qtbot, tmp_path):
    from heatgis.model.bookmarks import bookmarks
    from heatgis.model.store import open_project

    win = demo_window
    bm = win.gis_tools.bookmarks
    st = win.session.project.layer("stations")
    x, y = float(st.geometry.x.median()), float(st.geometry.y.median())
    win.canvas.zoom_to((x - 1000, y - 600, x + 1000, y + 600), pad=0)
    _wait(qtbot)
    view = win.canvas.view_context().extent
    bm.ask_name = lambda default: "市中心"
    assert not win.session.dirty
    assert bm.add_current()
    assert win.session.dirty and win.isWindowModified()
    assert [b["name"] for b in bookmarks(win.session.project)] == ["市中心"]
    bm.rebuild()
    assert "市中心" in [a.text() for a in bm.menu.actions()]
    win.canvas.zoom_full()
    _wait(qtbot)
    assert bm.go_to("市中心")
    _wait(qtbot)
    r = win.canvas.vb.viewRect()
    assert (r.center().x(), r.center().y()) == pytest.approx(((view[0] + view[2]) / 2, (view[1] + view[3]) / 2), abs=5)
    win.undo()
    assert bookmarks(win.session.project) == [] and not win.session.dirty
    win.redo()
    assert len(bookmarks(win.session.project)) == 1
    assert win.save_as(str(tmp_path / "with_bookmark.gpkg"))
    assert bookmarks(open_project(tmp_path / "with_bookmark.gpkg"))[0]["name"] == "市中心"
    assert bm.delete("市中心") and bookmarks(win.session.project) == []


def test_toolbar_icons_and_tooltips_with_shortcuts(demo_window):
    win = demo_window
    acts = [a for a in win.acts.toolbar.actions() if a.text()]
    assert len(acts) >= 12
    for a in acts:
        assert not a.icon().isNull(), a.text()
        keys = a.shortcut().toString(QtGui.QKeySequence.SequenceFormat.NativeText)
        if keys:
            assert a.toolTip().endswith(f"({keys})"), a.toolTip()
    assert win.acts.tools["measure"].toolTip() == "Measure distance and area (M)"
    assert win.acts.tools["draw_zone"].toolTip() == "Draw zone (D)"


def test_basemap_drawn_behind_the_map_and_off_by_default(demo_window, qtbot, tmp_path):
    import sqlite3

    from pyproj import Transformer

    from tests.render.test_render_basemap import COLOURS, LAT, LON, Z, _png, _tiles  # noqa: F401

    win = demo_window
    assert win.session.renderer.basemap is None  # off for the demo
    path = tmp_path / "t.mbtiles"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
    db.executemany(
        "INSERT INTO tiles VALUES (?, ?, ?, ?)",
        [(Z, x, (1 << Z) - 1 - y, _png(c)) for (x, y), c in _tiles()[2].items()],
    )
    db.commit()
    db.close()
    assert win.gis_tools.set_basemap(str(path), cache_dir=tmp_path / "cache")
    x, y = Transformer.from_crs("EPSG:4326", "EPSG:4546", always_xy=True).transform(LON, LAT)
    win.canvas.zoom_to((x - 1500, y - 1000, x + 1500, y + 1000), pad=0)
    _wait(qtbot, 100)

    def tile_pixels():
        from heatgis.render.cvd import image_array

        rgb = image_array(win.canvas.grab().toImage()).reshape(-1, 3).astype(int)
        cols = np.array(COLOURS)
        return int((np.abs(rgb[:, None, :] - cols[None]).max(axis=2) <= 8).any(axis=1).sum())

    assert tile_pixels() > 20000
    assert win.session.renderer.basemap.drawn > 0
    win.gis_tools.set_basemap(None)
    _wait(qtbot, 100)
    assert win.session.renderer.basemap is None and tile_pixels() < 2000


def test_print_dialog_takes_a_typed_scale(demo_window, qtbot):
    from heatgis.gui.statusbar import scale_of
    from heatgis.render.layout import paint_page, round_scale
    from heatgis.render.mapdraw import fit_extent

    win = demo_window
    win.canvas.zoom_full()
    _wait(qtbot)
    on_screen = scale_of(win.canvas, win.scale.dpi())
    dlg = win.output_actions.open_print_dialog(modal=False)
    qtbot.addWidget(dlg)
    assert dlg.page().scale is None  # Auto: the round scale that fits
    dlg.paper.setCurrentText("A3")  # the issue: the city on screen printed on A3 at half the scale
    page, spec = dlg.page(), dlg.spec()
    img = QtGui.QImage(*spec.size_px, QtGui.QImage.Format.Format_RGB32)
    p = QtGui.QPainter(img)
    info = paint_page(p, spec, page, dlg.renderer())
    p.end()
    fit = fit_extent(page.extent, info["frame"])[2] / (0.0254 / 72)
    assert info["scale"] == round_scale(fit) and fit / info["scale"] >= 0.75
    assert info["scale"] <= 1.5 * on_screen, (info["scale"], on_screen)
    dlg.scale.setEditText("1:50000")
    assert dlg.page().scale == 50000
    dlg.scale.setCurrentIndex(dlg.scale.findText("1:75,000"))
    assert dlg.page().scale == 75000
    dlg.scale.setEditText("nonsense")
    assert dlg.page().scale is None and "d62728" in dlg.scale.styleSheet()
    dlg.close()
