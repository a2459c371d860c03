"""Staffing plan, crew routes and dispatch inside the real main window on the demo (offscreen)."""

from __future__ import annotations

import pandas as pd
import pytest
from PySide6 import QtCore, QtGui

from heatgis.analysis.staffing import plan_staffing
from heatgis.gui.panels.staffing import SHORT_HEADERS, STAFF_COLUMN
from heatgis.model import vocab
from heatgis.model.commands import AddZone
from heatgis.model.vocab import ROLE_EN, ROLE_ZH
from heatgis.render.overlays import STATUS_COLOURS, RoutesOverlay, SiteStatusOverlay
from tests.gui.test_main_window import draw_polygon, free_stations


def staffing_ready(win, qtbot):
    st = win.plans.staffing
    qtbot.waitUntil(lambda: st.plan is not None and not st._running and not st.stale, timeout=60000)
    return st


def shown_totals(panel):
    t = panel.plan.totals
    return t, panel.summary.text()


def test_staffing_dock_matches_core_and_styles_the_map(demo_window, qtbot):
    win = demo_window
    st = staffing_ready(win, qtbot)
    s = win.session
    assert win.docks["staffing"].widget() is st and st.engine is s.engine
    core = plan_staffing(s.project, s.at, engine=s.engine)
    assert st.plan.at == s.at == pd.Timestamp("2022-02-25T08:00")
    assert st.plan.totals == core.totals
    t = core.totals
    assert t["locked_sites"] == 27 and t["stations"] == 24 and t["boiler_rooms"] == 3
    win.docks["staffing"].raise_()  # (tabbed behind the impact, the dock fills when it is looked at)
    text = st.summary.text()
    for part in (
        f"locked sites {t['locked_sites']}",
        f"fully staffed {t['fully_staffed']}",
        f"left to crews {t['left_to_crews']}",
        f"locked in {t['staff_locked_in']}",
    ):
        assert part in text
    assert st.assignments_table.rowCount() == len(core.assignments)
    assert st.short_table.rowCount() == len(core.duty_list)
    # the map's status overlay holds the same sites and statuses
    ov = s.staffing_overlay
    assert ov.counts() == core.sites["status"].value_counts().reindex(list(STATUS_COLOURS), fill_value=0).to_dict()
    assert ov in s.renderer.overlays
    labels = [e.label for e in ov.legend_entries("en")]
    assert f"nobody (crews) ({ov.counts()['unstaffed']})" in labels


def test_zone_edit_resolves_staffing_and_pin_undo(demo_window, qtbot):
    win = demo_window
    st = staffing_ready(win, qtbot)
    s, project = win.session, win.session.project
    before = st.plan
    win.docks["staffing"].raise_()  # in sight: its banner and tables follow (tabbed behind, they wait)
    ids, box = free_stations(project, s.at)
    win.canvas.zoom_to(box.bounds, pad=0.5)
    qtbot.wait(50)
    win.ask_zone = lambda d: {"name": "新封控区", "level": "sealed", "start": d["start"], "end": None}
    with qtbot.waitSignal(st.planChanged, timeout=60000) as sig:
        draw_polygon(qtbot, win, list(box.exterior.coords)[:-1])
        assert st.stale and st.stale_label.isVisibleTo(st)  # shown until the re-solve lands
    plan = sig.args[0]
    assert not st.stale
    core = plan_staffing(project, s.at, engine=s.engine)
    assert plan.totals == core.totals
    assert plan.totals["locked_sites"] == before.totals["locked_sites"] + len(ids)
    assert set(ids) <= set(plan.sites["site_id"])
    assert (
        s.staffing_overlay.counts()["unstaffed"]
        + s.staffing_overlay.counts()["partial"]
        + s.staffing_overlay.counts()["staffed"]
        == plan.totals["locked_sites"]
    )
    after_zone = plan

    # pin one assignment through the table: one undoable step on the window's Edit → Undo
    row = 0
    staff_id = st.assignments_table.text(row, STAFF_COLUMN)
    st.assignments_table.selectRow(row)
    with qtbot.waitSignal(st.planChanged, timeout=10000):
        st.pin_button.click()
    assert st.pins and st.pins[0][0] == staff_id
    assert bool(st.plan.assignments.set_index("staff_id").at[staff_id, "pinned"])
    assert st.stack is s.stack and s.stack.undo_text() == f"pin {staff_id}"
    assert s.dirty and win.acts.undo.isEnabled()
    with qtbot.waitSignal(st.planChanged, timeout=10000):
        qtbot.keyClick(win, QtCore.Qt.Key.Key_Z, QtCore.Qt.KeyboardModifier.ControlModifier)
    assert st.overrides() == ((), ())
    pd.testing.assert_frame_equal(st.plan.assignments, after_zone.assignments)
    assert st.plan.totals == after_zone.totals
    # the next Ctrl+Z undoes the zone (history in order), and the plan re-solves back
    with qtbot.waitSignal(st.planChanged, timeout=60000):
        qtbot.keyClick(win, QtCore.Qt.Key.Key_Z, QtCore.Qt.KeyboardModifier.ControlModifier)
    assert st.plan.totals == before.totals
    # Ctrl+Y: the zone again, then the pin again
    with qtbot.waitSignal(st.planChanged, timeout=60000):
        qtbot.keyClick(win, QtCore.Qt.Key.Key_Y, QtCore.Qt.KeyboardModifier.ControlModifier)
    with qtbot.waitSignal(st.planChanged, timeout=10000):
        qtbot.keyClick(win, QtCore.Qt.Key.Key_Y, QtCore.Qt.KeyboardModifier.ControlModifier)
    assert st.pins and st.pins[0][0] == staff_id


def test_pin_is_an_unsaved_change_saved_in_the_file(demo_window, qtbot, tmp_path):
    """Pinning a person marks the window dirty, closing asks, the pin is in the file after save,
    and Edit → Undo takes it back from the one stack."""
    from heatgis.analysis.staffing.overrides import META_KEY, saved_overrides
    from heatgis.model.store import open_project

    win = demo_window
    st = staffing_ready(win, qtbot)
    s = win.session
    assert not s.dirty and not win.isWindowModified() and s.stack.is_clean
    win.docks["staffing"].raise_()
    st.assignments_table.selectRow(0)
    staff_id = st.assignments_table.text(0, STAFF_COLUMN)
    with qtbot.waitSignal(st.planChanged, timeout=10000):
        st.pin_button.click()
    pin = st.pins[0]
    assert pin[0] == staff_id and s.dirty and win.isWindowModified()
    # closing asks; "cancel" keeps the window and the pin
    asked = []
    win.ask_unsaved = lambda: asked.append(1) or "cancel"
    assert not win.close()
    assert asked == [1] and win.isVisible() and st.pins == (pin,)
    # save: clean, and the pin is in the file
    path = tmp_path / "pinned.gpkg"
    assert win.save_as(str(path))
    assert not s.dirty and not win.isWindowModified()
    assert saved_overrides(open_project(path))[0] == (pin,)
    asked.clear()
    assert win.maybe_save() and asked == []  # closing now would not ask
    # undo from the window's one stack: the pin goes, the window is dirty again (the file has it)
    with qtbot.waitSignal(st.planChanged, timeout=10000):
        qtbot.keyClick(win, QtCore.Qt.Key.Key_Z, QtCore.Qt.KeyboardModifier.ControlModifier)
    assert st.pins == () and META_KEY not in s.project.meta and s.dirty
    win.ask_unsaved = lambda: "discard"


def test_time_slider_moves_staffing(demo_window, qtbot):
    win = demo_window
    st = staffing_ready(win, qtbot)
    tl = win.timeline
    k = int(tl.frame["stations"].to_numpy().argmax())
    at = pd.Timestamp(tl.frame["time"].iloc[k])
    with qtbot.waitSignal(st.planChanged, timeout=60000):
        tl.slider.setValue(k)
    assert st.at == at == win.session.at
    assert st.plan.totals == plan_staffing(win.session.project, at, engine=win.session.engine).totals
    assert win.plans.routes.at == at


@pytest.fixture
def routed(demo_window, qtbot):
    win = demo_window
    staffing_ready(win, qtbot)
    rt = win.plans.routes
    rt.time_limit.setValue(1.0)
    assert rt.shift.currentData() == "day"
    with qtbot.waitSignal(rt.planReady, timeout=120000) as sig:
        rt.plan_button.click()
    return win, rt, sig.args[0]


def test_routes_drawn_per_crew_table_matches_plan(routed, qtbot):
    win, rt, plan = routed
    s = win.session
    # planned from the staffing dock's duty list (sites left to the crews)
    duty = set(win.plans.staffing.plan.duty_list["site_id"])
    assert set(plan.routes["site_id"]) | set(plan.dropped["site_id"]) == duty
    working = plan.crews[plan.crews["stops"] > 0]
    ov = s.routes_overlay
    assert [c["crew_id"] for c in ov.crews] == list(working["crew_id"])
    assert [c["colour"] for c in ov.crews] == list(working["color"])
    for c in ov.crews:
        assert not c["path"].isEmpty()
        assert list(c["seq"]) == list(plan.routes.loc[plan.routes["crew_id"] == c["crew_id"], "seq"])
    assert rt.table.rowCount() == len(plan.routes)
    for i, r in enumerate(plan.routes.itertuples()):
        assert [rt.table.item(i, j).text() for j in (0, 1, 2, 6, 7)] == [
            r.crew_id,
            str(r.seq),
            r.site_id,
            f"{r.eta:%H:%M}",
            f"{r.depart:%H:%M}",
        ]
    assert len(rt.gantt.items) == len(plan.crews)
    assert not rt.stale and rt.replan_button.isEnabled()


def test_replan_after_zone_edit_keeps_started_visits(routed, qtbot):
    win, rt, plan = routed
    s = win.session
    ids, box = free_stations(s.project, s.at)
    assert win.run_command(AddZone("Z-T1", box, name="T1", level="sealed", start=s.at))
    assert rt.stale and rt.stale_label.isVisibleTo(rt)
    staffing_ready(win, qtbot)
    now = plan.shift_start + pd.Timedelta(hours=1)
    started = plan.routes[[lv <= now for lv in _leave_times(plan)]]
    with qtbot.waitSignal(rt.planReady, timeout=120000) as sig:
        rt.replan(now=now)
    new = sig.args[0]
    assert not rt.stale and new.duty_source.endswith("+replan")
    kept = new.routes.set_index(["crew_id", "seq"])
    for r in started.itertuples():
        assert kept.loc[(r.crew_id, r.seq), "site_id"] == r.site_id
        assert kept.loc[(r.crew_id, r.seq), "eta"] == r.eta


def _leave_times(plan):
    """When each stop's crew set off to it (the crew's leave, else the previous stop's depart)."""
    out = []
    leave = dict(zip(plan.crews["crew_id"], plan.crews["leave"]))
    prev = {}
    for r in plan.routes.itertuples():
        out.append(prev.get(r.crew_id, leave[r.crew_id]))
        prev[r.crew_id] = r.depart
    return out


def test_dispatch_tool_matches_core(routed, qtbot):
    from heatgis.routing.dispatch import nearest_crew

    win, rt, plan = routed
    s = win.session
    at = plan.shift_start + pd.Timedelta(hours=2)
    s.set_time(at)
    assert rt.at == at
    site = str(s.project.layer("stations")["station_id"].iloc[100])
    xy = s.site_xy(site)
    win.canvas.zoom_to((xy[0] - 800, xy[1] - 800, xy[0] + 800, xy[1] + 800), pad=0)
    qtbot.wait(50)
    win.set_tool("dispatch")
    from tests.gui.test_main_window import click_map

    with qtbot.waitSignal(rt.dispatchReady, timeout=60000) as sig:
        click_map(qtbot, win, *xy)
    d = sig.args[0]
    core = nearest_crew(s.project, site, at=at, plan=plan, graph=rt.graph)
    assert d.site_id == site and (d.crew_id, d.eta) == (core.crew_id, core.eta)
    assert d.crew_id is not None
    assert f"ETA {core.eta:%H:%M}" in rt.dispatch_label.text().replace("<b>", "").replace("</b>", "")
    assert s.dispatch_overlay.site_xy == pytest.approx(xy)
    assert s.dispatch_overlay.colour == plan.crews.set_index("crew_id").at[d.crew_id, "color"]
    # the button on the routes dock dispatches to the selected site too (same answer)
    with qtbot.waitSignal(rt.dispatchReady, timeout=60000) as sig2:
        rt.dispatch_button.click()
    assert (sig2.args[0].crew_id, sig2.args[0].eta) == (core.crew_id, core.eta)
    # a site that does not exist: a clear message, the last dispatch stays on the map
    with qtbot.waitSignal(rt.failed, timeout=60000) as bad:
        rt.dispatch("NO-SUCH-SITE")
    assert "NO-SUCH-SITE" in bad.args[0] and "Fix:" in bad.args[0]
    assert s.dispatch_overlay.site_xy == pytest.approx(xy)


def test_overlays_render_into_an_image(routed, qtbot):
    win, rt, plan = routed
    s = win.session
    c = s.routes_overlay.crews[0]
    x, y = c["stops_xy"][0]
    img = QtGui.QImage(400, 400, QtGui.QImage.Format.Format_ARGB32)
    img.fill(QtGui.QColor("white"))
    p = QtGui.QPainter(img)
    s.renderer.render(p, (x - 600, y - 600, x + 600, y + 600), QtCore.QRectF(0, 0, 400, 400), scale_bar=False)
    p.end()
    # the stop marker sits at the centre: the crew's colour within a few pixels of it
    want = QtGui.QColor(c["colour"])
    found = 0
    for dx in range(-6, 7):
        for dy in range(-6, 7):
            px = img.pixelColor(200 + dx, 200 + dy)
            if abs(px.red() - want.red()) + abs(px.green() - want.green()) + abs(px.blue() - want.blue()) < 30:
                found += 1
    assert found > 20
    # staffing rings in their status colours, drawn by the same renderer
    ov = SiteStatusOverlay()
    ov.set_sites([x], [y], ["unstaffed"])
    img2 = QtGui.QImage(200, 200, QtGui.QImage.Format.Format_ARGB32)
    img2.fill(QtGui.QColor("white"))
    p = QtGui.QPainter(img2)
    import copy

    from heatgis.render.mapdraw import MapRenderer

    style = copy.copy(s.renderer.style)
    style.layers = []  # only the overlay
    r = MapRenderer(s.project, style, s.at)
    r.overlays = [ov]
    r.render(p, (x - 300, y - 300, x + 300, y + 300), QtCore.QRectF(0, 0, 200, 200), scale_bar=False)
    p.end()
    ring = img2.pixelColor(100 + 11, 100)
    red = QtGui.QColor(STATUS_COLOURS["unstaffed"])
    assert abs(ring.red() - red.red()) < 40 and ring.green() < 120


def test_empty_routes_overlay_is_harmless():
    ov = RoutesOverlay()
    ov.set_plan(None, None)
    assert ov.crews == [] and ov.bounds is None and ov.legend_entries() == []


def test_plan_panels_follow_the_language(demo_window):
    from PySide6 import QtWidgets

    win = demo_window
    st, rt = win.plans.staffing, win.plans.routes
    win.set_language("zh")
    QtWidgets.QApplication.processEvents()  # Qt posts LanguageChange to every widget
    assert st.solve_button.text() == "求解" and rt.plan_button.text() == "排班路线"
    assert st.assignments_table.title(0) == "姓名"  # the person first
    assert rt.table.horizontalHeaderItem(0).text() == "抢修队" and rt.tabs.tabText(2) == "抢修派遣"
    assert "锁闭站点" in st.summary.text()
    # the sites short of staff: status and kind are the vocabulary's words (model.vocab), in zh
    short = st.plan.sites[st.plan.sites["short"] > 0]
    assert st.short_table.rowCount() == len(short) > 0
    status_col = [c for c, _ in SHORT_HEADERS].index("status")
    kind_col = [c for c, _ in SHORT_HEADERS].index("site_kind")

    def column(c):
        return [st.short_table.text(r, c) for r in range(st.short_table.rowCount())]

    assert column(status_col) == [vocab.STATUS_ZH[v] for v in short["status"]]
    assert column(kind_col) == [vocab.SITE_KIND_ZH[v] for v in short["site_kind"]]
    assert st.assignments_table.text(0, 2) in ROLE_ZH.values()  # roles in the UI's words too
    win.set_language("en")
    QtWidgets.QApplication.processEvents()
    assert st.solve_button.text() == "Solve" and rt.plan_button.text() == "Plan routes"
    assert st.assignments_table.title(0) == "name"
    assert st.assignments_table.text(0, 2) in ROLE_EN.values()
    assert "locked sites" in st.summary.text()
    assert column(status_col) == [vocab.STATUS_EN[v] for v in short["status"]]
    assert column(kind_col) == [vocab.SITE_KIND_EN[v] for v in short["site_kind"]]
