"""Plans belong to their time: a staffing plan, crew routes or a dispatch made for another time than the
map's is hidden on the map, in print and in presentation mode, and a banner and the docks say so."""

from __future__ import annotations

import pandas as pd
from PySide6 import QtCore, QtGui

from tests.gui.test_plans_in_window import routed, staffing_ready  # noqa: F401  (fixture)


def _colour_near(img: QtGui.QImage, colour: str, tol: int = 30) -> int:
    want = QtGui.QColor(colour)
    n = 0
    for x in range(img.width()):
        for y in range(img.height()):
            c = img.pixelColor(x, y)
            if abs(c.red() - want.red()) + abs(c.green() - want.green()) + abs(c.blue() - want.blue()) < tol:
                n += 1
    return n


def _render_at(s, x, y, half=600, size=120) -> QtGui.QImage:
    img = QtGui.QImage(size, size, QtGui.QImage.Format.Format_ARGB32)
    img.fill(QtGui.QColor("white"))
    p = QtGui.QPainter(img)
    s.renderer.render(p, (x - half, y - half, x + half, y + half), QtCore.QRectF(0, 0, size, size), scale_bar=False)
    p.end()
    return img


def test_routes_of_another_day_are_hidden_and_named(routed, qtbot):  # noqa: F811
    win, rt, plan = routed
    s = win.session
    c = s.routes_overlay.crews[0]
    x, y = c["stops_xy"][0]
    assert s.routes_overlay.visible and s.hidden_plans() == {}
    assert win.canvas.hidden_plans_text() == ""
    assert _colour_near(_render_at(s, x, y), c["colour"]) > 20  # drawn at its own time
    next_day = plan.shift_start + pd.Timedelta(days=1)
    s.set_time(next_day)
    assert not s.routes_overlay.visible
    assert set(s.hidden_plans()) >= {"routes"}
    text = win.canvas.hidden_plans_text()
    assert "crew routes 02-25 08:00–20:00" in text and "map at 02-26 08:00" in text
    assert _colour_near(_render_at(s, x, y), c["colour"]) == 0  # the print and the slides: gone too
    assert rt.stale and "plan for 02-25 08:00–20:00" in rt.stale_label.text()
    # back inside the shift: shown again, the dock's note goes
    s.set_time(plan.shift_start + pd.Timedelta(hours=1))
    assert s.routes_overlay.visible and "routes" not in s.hidden_plans()
    assert not rt.stale


def test_staffing_rings_belong_to_their_time(demo_window, qtbot):
    win = demo_window
    st = staffing_ready(win, qtbot)
    s = win.session
    assert s.staffing_overlay.visible and st.plan.at == s.at
    win.docks["staffing"].raise_()  # in sight: its banner follows (tabbed behind, it waits)
    old = st.plan
    later = s.at + pd.Timedelta(days=1)
    with qtbot.waitSignal(st.planChanged, timeout=60000) as sig:
        s.set_time(later)
        # until the plan for the new time lands, the old one is hidden and the dock says whose time it is
        assert not s.staffing_overlay.visible
        assert st.stale and "Plan for 02-25 08:00" in st.stale_label.text()
        assert "staffing plan 02-25 08:00" in win.canvas.hidden_plans_text()
    assert sig.args[0].at == later and sig.args[0] is not old
    assert s.staffing_overlay.visible and not st.stale and s.hidden_plans() == {}


def test_dispatch_callout_hidden_on_another_day_and_in_presentation(routed, qtbot):  # noqa: F811
    from heatgis.gui.presentation import PresentationWindow

    win, rt, plan = routed
    s = win.session
    at = plan.shift_start + pd.Timedelta(hours=1)
    s.set_time(at)
    site = str(s.project.layer("stations")["station_id"].iloc[100])
    with qtbot.waitSignal(rt.dispatchReady, timeout=60000) as sig:
        rt.dispatch(site)
    d = sig.args[0]
    assert d.crew_id is not None and s.dispatch_overlay.visible
    pres = PresentationWindow(win, days=[at, at + pd.Timedelta(days=1)])
    qtbot.addWidget(pres)
    pres.resize(960, 540)
    pres.go(0)
    assert s.dispatch_overlay.visible and s.routes_overlay.visible
    pres.go(1)  # the next day: yesterday's routes and "CR-xx ETA" callout are not shown
    assert not s.dispatch_overlay.visible and not s.routes_overlay.visible
    img = pres.grab().toImage()
    assert not img.isNull()
    # the KPI tiles sit in their own column (they covered the east of the map), a legend below them
    u = pres.height() / 1080.0
    assert pres.map_rect().right() <= pres.width() - (PresentationWindow.COLUMN_W - 20) * u
    labels = [it[3] for it in pres.legend_items()]
    assert labels[:4] == ["sealed", "controlled", "precaution", "Locked site"]
    assert not any("ETA" in t for t in labels)  # yesterday's dispatch is not in the legend either
    assert pres.legend_rect.height() > 0 and pres.legend_rect.left() > pres.map_rect().right()
    xy = s.site_xy(site)
    assert _colour_near(_render_at(s, *xy, half=300), "#d73027", tol=20) == 0
    pres.close()


def test_plan_legend_can_be_switched_off(demo_window, qtbot):
    win = demo_window
    staffing_ready(win, qtbot)
    act = win.gis_tools.legend_action
    assert act.isChecked() and win.canvas.show_overlay_legend
    qtbot.wait(50)
    before = win.canvas.grab().toImage()
    act.setChecked(False)
    qtbot.wait(50)
    after = win.canvas.grab().toImage()
    assert not win.canvas.show_overlay_legend
    w = before.width()
    corner = [(x, y) for x in range(w - 160, w - 12, 4) for y in range(14, 60, 4)]
    changed = sum(before.pixel(x, y) != after.pixel(x, y) for x, y in corner)
    assert changed > len(corner) // 3  # the legend box at the top right is gone
    act.setChecked(True)
