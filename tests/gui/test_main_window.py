"""The real main window on the demo: draw a zone by clicks, live impact, undo, edit, save, language."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely
from PySide6 import QtCore, QtGui, QtWidgets

from heatgis.analysis.impact import ImpactEngine


def figures(win):
    f = win.impact.figures
    return {k: f[k].text() for k in ("stations", "boiler_rooms", "area", "households", "staff")}


def expected(project, zones, at):
    t = ImpactEngine(project).compute(zones, at).totals
    return {
        "stations": str(t.stations),
        "boiler_rooms": str(t.boiler_rooms),
        "area": f"{t.heated_area_m2 / 1e4:,.2f}",
        "households": f"{t.households / 1e4:,.2f}",
        "staff": str(t.staff_locked_in),
    }


def free_stations(project, at, n=3):
    """A few stations close together that no zone locks now, and a box around them."""
    eng = ImpactEngine(project)
    locked = set(eng.compute(project.layer("lockdown_zones"), at).sites["id"])
    st = project.layer("stations")
    zones_union = shapely.union_all(np.asarray(project.layer("lockdown_zones").geometry.values))
    xy = np.column_stack([st.geometry.x, st.geometry.y])
    for i in np.argsort(xy[:, 0]):
        if st["station_id"].iloc[i] in locked:
            continue
        d = np.hypot(*(xy - xy[i]).T)
        near = np.argsort(d)[:n]
        box = shapely.box(*xy[near].min(axis=0), *xy[near].max(axis=0)).buffer(60, join_style="mitre")
        if not box.intersects(zones_union) and d[near].max() < 1500:
            return st["station_id"].iloc[near].tolist(), box
    pytest.skip("no free group of stations")


LEFT = QtCore.Qt.MouseButton.LeftButton
NONE = QtCore.Qt.MouseButton.NoButton
E = QtCore.QEvent.Type


def send(widget, kind, pos, buttons):
    """A mouse event with local and global positions (what pyqtgraph's scene needs;
    QTest's synthetic clicks after the first are not turned into scene clicks)."""
    p = QtCore.QPointF(pos)
    ev = QtGui.QMouseEvent(
        kind,
        p,
        QtCore.QPointF(widget.mapToGlobal(pos)),
        NONE if kind == E.MouseMove else LEFT,
        buttons,
        QtCore.Qt.KeyboardModifier.NoModifier,
    )
    QtWidgets.QApplication.sendEvent(widget, ev)


def click_map(qtbot, win, x, y, double=False):
    """Click (or double-click: press, release, dblclick, release as Qt sends it) at map (x, y)."""
    pos = win.canvas.map_to_widget(x, y)
    vp = win.canvas.viewport()
    send(vp, E.MouseMove, pos, NONE)
    send(vp, E.MouseButtonPress, pos, LEFT)
    send(vp, E.MouseButtonRelease, pos, NONE)
    if double:
        send(vp, E.MouseButtonDblClick, pos, LEFT)
        send(vp, E.MouseButtonRelease, pos, NONE)
    qtbot.wait(20)


def drag_map(qtbot, win, a, b, steps=6):
    """Press at map point a, move to b in steps, release."""
    vp = win.canvas.viewport()
    pa, pb = win.canvas.map_to_widget(*a), win.canvas.map_to_widget(*b)
    send(vp, E.MouseMove, pa, NONE)
    send(vp, E.MouseButtonPress, pa, LEFT)
    for k in range(1, steps + 1):
        send(vp, E.MouseMove, pa + (pb - pa) * (k / steps), LEFT)
        qtbot.wait(5)
    send(vp, E.MouseButtonRelease, pb, NONE)
    qtbot.wait(20)


def draw_polygon(qtbot, win, coords):
    win.set_tool("draw_zone")
    for x, y in coords[:-1]:
        click_map(qtbot, win, x, y)
    click_map(qtbot, win, *coords[-1], double=True)


def test_draw_zone_live_impact_undo_edit_save_reopen(demo_window, qtbot, tmp_path):
    win = demo_window
    project = win.session.project
    at = win.session.at
    assert figures(win) == expected(project, project.layer("lockdown_zones"), at)
    before = figures(win)
    ids, box = free_stations(project, at)
    win.canvas.zoom_to(box.bounds, pad=0.5)
    qtbot.wait(50)
    asked = []
    win.ask_zone = lambda d: (
        asked.append(d) or {"name": "测试封控区", "level": "sealed", "start": d["start"], "end": None}
    )
    corners = list(box.exterior.coords)[:-1]
    draw_polygon(qtbot, win, corners)
    zones = project.layer("lockdown_zones")
    assert len(asked) == 1 and asked[0]["level"] == "sealed" and asked[0]["start"] == at
    new = zones.iloc[-1]
    assert new["name"] == "测试封控区" and len(new.geometry.exterior.coords) == 5
    locked_now = set(ImpactEngine(project).compute(zones, at).sites["id"])
    assert set(ids) <= locked_now
    assert figures(win) == expected(project, zones, at)
    assert int(figures(win)["stations"]) >= int(before["stations"]) + len(ids)
    assert win.isWindowModified() and win.session.dirty
    # the per-zone table lists the new zone with its stations
    table = win.impact.model.frame.set_index("zone_id")
    assert table.loc[new["zone_id"], "stations"] == len(ids)

    # undo restores the figures, redo brings the zone back
    qtbot.keyClick(win, QtCore.Qt.Key.Key_Z, QtCore.Qt.KeyboardModifier.ControlModifier)
    assert figures(win) == before
    assert new["zone_id"] not in set(project.layer("lockdown_zones")["zone_id"])
    qtbot.keyClick(win, QtCore.Qt.Key.Key_Y, QtCore.Qt.KeyboardModifier.ControlModifier)
    assert figures(win) == expected(project, project.layer("lockdown_zones"), at)

    # edit a vertex: drag the first corner far out, then check the outline and the figures
    win.set_tool("edit_zone")
    cx, cy = box.centroid.x, box.centroid.y
    click_map(qtbot, win, cx, cy)
    tool = win.tools["edit_zone"]
    assert tool.zone_id == new["zone_id"]
    x0, y0 = tool.vertices()[0]
    target = (x0 - 150.0, y0 - 150.0)
    drag_map(qtbot, win, (x0, y0), target)
    moved = project.layer("lockdown_zones").set_index("zone_id").loc[new["zone_id"]].geometry
    got = np.asarray(moved.exterior.coords)[0]
    assert np.hypot(*(got - target)) < 3 * win.canvas.m_per_px()
    assert figures(win) == expected(project, project.layer("lockdown_zones"), at)

    # save, reopen: zones intact
    out = tmp_path / "edited.gpkg"
    assert win.save_as(str(out)) and not win.isWindowModified()
    saved = project.layer("lockdown_zones")
    with qtbot.waitSignal(win.projectLoaded, timeout=60000):
        win.open_project(out)
    z2 = win.session.project.layer("lockdown_zones")
    assert list(z2["zone_id"]) == list(saved["zone_id"])
    assert z2.geometry.iloc[-1].equals_exact(saved.geometry.iloc[-1], 1e-6)
    assert z2["name"].iloc[-1] == "测试封控区"
    assert figures(win) == expected(win.session.project, z2, at)
    assert str(out) == win.recent()[0]


def test_escape_cancels_drawing_and_time_slider_moves_impact(demo_window, qtbot):
    win = demo_window
    project = win.session.project
    n = len(project.layer("lockdown_zones"))
    win.set_tool("draw_zone")
    b = win.canvas.full_rect()
    click_map(qtbot, win, b.center().x(), b.center().y())
    click_map(qtbot, win, b.center().x() + 500, b.center().y())
    qtbot.keyClick(win.canvas, QtCore.Qt.Key.Key_Escape)
    assert win.tools["draw_zone"].vertices == [] and len(project.layer("lockdown_zones")) == n
    # the timeline slider sets the time of the impact panel
    tl = win.timeline
    k = tl.frame["stations"].to_numpy().argmax()
    tl.slider.setValue(int(k))
    at = pd.Timestamp(tl.frame["time"].iloc[k])
    assert win.session.at == at
    assert figures(win) == expected(project, project.layer("lockdown_zones"), at)
    assert int(figures(win)["stations"]) == int(tl.frame["stations"].iloc[k])


def test_a_dragged_time_slider_steps_once_for_the_moves_queued_meanwhile(demo_window, qtbot):
    """While the slider is dragged, the moves queued behind a step's drawing make one step, to the last."""
    tl, s = demo_window.timeline, demo_window.session
    seen = []
    tl.timeSelected.connect(seen.append)
    k = tl.slider.value()
    tl.slider.setSliderDown(True)
    try:
        for i in range(1, 5):
            tl.slider.setValue(k + i)
        assert seen == []  # nothing yet: the events queued meanwhile are still to run
        qtbot.waitUntil(lambda: len(seen) == 1)
    finally:
        tl.slider.setSliderDown(False)
    assert seen == [s.at] == [pd.Timestamp(tl.frame["time"].iloc[k + 4])]


def test_language_switch_changes_menu_titles(window):
    window.set_language("zh")
    assert window.acts.file_menu.title() == "文件(&F)"
    assert window.docks["impact"].windowTitle() == "封控影响"
    window.set_language("en")
    assert window.acts.file_menu.title() == "&File"


def test_attribute_table_filter_and_select_shown(demo_window, qtbot):
    """Filter the stations by district, pick one field, select all shown: the map selects them."""
    win = demo_window
    at = win.attributes
    at.show_layer("stations")
    frame = win.session.project.layer("stations")
    total = len(frame)
    at.filter_edit.setText("新城区")
    at.apply_filter()
    want = int(
        frame.drop(columns="geometry")
        .astype(str)
        .apply(lambda c: c.str.contains("新城区", regex=False))
        .any(axis=1)
        .sum()
    )
    assert 0 < at.proxy.rowCount() == want < total
    assert at.count.text() == f"{want:,} of {total:,}"
    # one field only: a station id matches in station_id, not in the other fields
    sid = str(frame["station_id"].iloc[5])
    at.filter_edit.setText(sid)
    at.field_box.setCurrentIndex(at.field_box.findData("station_id"))
    assert at.proxy.rowCount() == int(frame["station_id"].astype(str).str.contains(sid, regex=False).sum())
    with qtbot.waitSignal(win.session.selectionChanged, timeout=5000) as sig:
        at.select_shown.click()
    layer, rows = sig.args
    assert layer == "stations" and set(frame["station_id"].iloc[rows].astype(str)) >= {sid}
    # clearing the filter shows every row again; sorting still works on the filtered proxy
    at.filter_edit.clear()
    at.apply_filter()
    assert at.proxy.rowCount() == total and at.count.text() == str(total)


def test_every_ui_string_has_a_chinese_translation(tmp_path):
    """pyside6-lupdate over the GUI sources finds no string the .ts file does not translate."""
    import shutil
    import subprocess
    import xml.etree.ElementTree as ET
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    lupdate = shutil.which("pyside6-lupdate")
    if lupdate is None:
        pytest.skip("pyside6-lupdate is not on PATH")
    ts = tmp_path / "heatgis_zh_CN.ts"
    shutil.copy(root / "resources" / "translations" / "heatgis_zh_CN.ts", ts)
    sources = sorted(str(p) for p in (root / "heatgis" / "gui").rglob("*.py"))
    subprocess.run([lupdate, *sources, "-ts", str(ts)], check=True, capture_output=True)
    untranslated = [
        m.findtext("source")
        for m in ET.parse(ts).getroot().iter("message")
        if m.find("translation").get("type") == "unfinished"
    ]
    assert untranslated == []


def test_save_on_the_bundled_demo_opens_save_as(demo_window, tmp_path):
    """The bundled demo is never overwritten: Save asks for another file; that file is then the project."""
    import hashlib

    from heatgis.paths import DEMO_PATH

    win = demo_window
    before = hashlib.sha256(DEMO_PATH.read_bytes()).hexdigest()
    asked = []
    win.ask_save_path = lambda: asked.append(1) or str(DEMO_PATH)  # Save As onto the demo: refused
    assert win.save() is False and asked == [1]
    win.ask_save_path = lambda: asked.append(2) or str(tmp_path / "mine")
    assert win.save() is True and asked == [1, 2]
    assert win.session.project.path == tmp_path / "mine.gpkg" and (tmp_path / "mine.gpkg").exists()
    assert win.save() is True and asked == [1, 2]  # now an ordinary project: saved in place
    assert hashlib.sha256(DEMO_PATH.read_bytes()).hexdigest() == before


def test_impact_panel_warns_about_data_problems(window, qtbot, tmp_path):
    """The same check as the commands: the demo shows no warning; a copy whose households are
    stored as text shows the count, and the rows in the tooltip."""
    from tests.core.bad_projects import bad_project

    with qtbot.waitSignal(window.projectLoaded, timeout=60000):
        window.open_project(bad_project(tmp_path, "households_as_text"))
    panel = window.impact
    qtbot.waitUntil(lambda: panel.quality is not None, timeout=30000)
    label = panel.quality_label
    assert label.isVisible()
    assert "Data problems: 2 (2 errors)" in label.text() and "Figures may be wrong" in label.text()
    assert "ST-0025" in label.toolTip() and "'1,310' is stored as text" in label.toolTip()


def test_impact_panel_shows_no_warning_on_the_demo(demo_window, qtbot):
    panel = demo_window.impact
    qtbot.waitUntil(lambda: panel.quality is not None, timeout=30000)
    assert panel.quality.total == 0 and not panel.quality_label.isVisible()


def test_unreadable_reference_time_opens_with_the_warning(window, qtbot, tmp_path):
    """The app opens the project at the current hour and says why the data is suspect."""
    from tests.core.bad_projects import bad_project

    with qtbot.waitSignal(window.projectLoaded, timeout=60000):
        window.open_project(bad_project(tmp_path, "bad_reference_time"))
    qtbot.waitUntil(lambda: window.impact.quality is not None, timeout=30000)
    assert "Data problems: 1 (1 errors)" in window.impact.quality_label.text()
    assert "next tuesday" in window.impact.quality_label.toolTip()
    assert window._errors == []


def test_figures_follow_the_pointer_while_drawing_and_dragging(demo_window, qtbot):
    """While a zone is drawn the figures are the totals as if it were sealed now (the pointer closing
    the polygon), equal to a full recount with the polygon added; Esc gives the live figures back.
    Dragging a vertex of an existing zone shows the figures of the zone as moved."""
    win = demo_window
    project = win.session.project
    at = win.session.at
    before = figures(win)
    ids, box = free_stations(project, at)
    win.canvas.zoom_to(box.bounds, pad=0.5)
    qtbot.wait(50)
    x0, y0, x1, y1 = box.bounds
    win.set_tool("draw_zone")
    click_map(qtbot, win, x0, y0)
    click_map(qtbot, win, x1, y0)
    # the pointer at the third corner: the polygon closes through it
    send(win.canvas.viewport(), E.MouseMove, win.canvas.map_to_widget(x1, y1), NONE)
    qtbot.wait(20)
    assert win.session.sketch_totals is not None
    tri = shapely.Polygon([(x0, y0), (x1, y0), (x1, y1)])
    zones = project.layer("lockdown_zones")
    sketch = pd.concat(
        [zones, zones.iloc[:1].assign(zone_id="sketch", level="sealed", start=at, end=pd.NaT, geometry=[tri])],
        ignore_index=True,
    )
    assert figures(win) == expected(project, sketch, at)
    assert "this zone +" in win.impact.deltas["stations"].text() or figures(win) != before
    # Esc: the sketch is gone, the live figures are back
    qtbot.keyClick(win.canvas, QtCore.Qt.Key.Key_Escape)
    assert win.session.sketch_totals is None and figures(win) == before
    assert "day before" in win.impact.deltas["stations"].text()
    # a whole zone, then drag its first vertex: mid-drag the figures are those of the moved zone
    win.ask_zone = lambda d: {"name": "测试", "level": "sealed", "start": d["start"], "end": None}
    draw_polygon(qtbot, win, list(box.exterior.coords)[:-1])
    win.set_tool("edit_zone")
    click_map(qtbot, win, box.centroid.x, box.centroid.y)
    tool = win.tools["edit_zone"]
    zid = tool.zone_id
    verts = tool.vertices().copy()
    target = (verts[0][0] - 900.0, verts[0][1] - 900.0)
    vp = win.canvas.viewport()
    pa, pb = win.canvas.map_to_widget(*verts[0]), win.canvas.map_to_widget(*target)
    send(vp, E.MouseMove, pa, NONE)
    send(vp, E.MouseButtonPress, pa, LEFT)
    for k in range(1, 5):
        send(vp, E.MouseMove, pa + (pb - pa) * (k / 4), LEFT)
        qtbot.wait(5)
    assert win.session.sketch_totals is not None
    moved = tool._coords.copy()
    zones = project.layer("lockdown_zones")
    dragged = zones.copy()
    dragged.loc[dragged["zone_id"] == zid, "geometry"] = shapely.Polygon(moved)
    assert figures(win) == expected(project, dragged, at)
    send(vp, E.MouseButtonRelease, pb, NONE)
    qtbot.wait(20)
    assert win.session.sketch_totals is None
    assert figures(win) == expected(project, project.layer("lockdown_zones"), at)


def test_a_project_opened_while_another_is_opening_is_the_one_shown(demo_window, qtbot, tmp_path):
    """File → Open twice in a row: the project asked for last is shown, once; the older open is
    cancelled and its result, landing meanwhile, dropped (it replaced the newer project, or was shown
    inside the newer one's start, from the plan docks' wait, and broke it)."""
    import shutil

    from tests.gui.conftest import DEMO

    win = demo_window
    other = tmp_path / "other.gpkg"
    shutil.copy(DEMO, other)
    shown = []
    set_project = win.set_project
    win.set_project = lambda *a, **k: (shown.append(str(a[0].path)), set_project(*a, **k))
    win.open_project(DEMO)
    win.open_project(other)
    for w in list(win._workers):  # both results queued before either is delivered (the older one first)
        w.wait(60000)
    with qtbot.waitSignal(win.projectLoaded, timeout=60000):
        pass
    qtbot.waitUntil(lambda: not win._after_map and win.plans.crewops is not None, timeout=60000)
    assert shown == [str(other)]
    assert str(win.session.project.path) == str(other)
    assert win.plans.staffing.project is win.session.project and win.plans.crewops.project is win.session.project
    assert win.canvas.session is win.session
    assert "Cancelled" not in win.statusBar().currentMessage()
    assert win._errors == []
