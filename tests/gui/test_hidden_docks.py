"""Docks out of sight (tabbed behind another, or closed) do not fill their widgets on a time step; raised,
they show the figures of the current time; the docks in front follow every step (``gui.onscreen``).

The window's own layout at 1400 x 900 (compact): impact, staffing, layers and feature attributes tabbed
on the right with the impact in front; timeline, routes, crew operations and attribute table tabbed
at the bottom with the timeline in front.
"""

from __future__ import annotations

import pandas as pd
from PySide6 import QtWidgets

from heatgis.analysis.impact import ImpactEngine
from heatgis.analysis.staffing import plan_staffing
from heatgis.gui.onscreen import ViewRefresh, on_screen
from tests.gui.test_main_window import expected, figures
from tests.gui.test_plans_in_window import staffing_ready


def in_front(win) -> set[str]:
    return {n for n, d in win.docks.items() if d.isVisible() and on_screen(d.widget())}


def other_day(win) -> int:
    """A timeline index whose locked-station count differs from the one shown now."""
    tl = win.timeline
    counts = tl.frame["stations"].to_numpy()
    now = counts[tl.slider.value()]
    return int(next(k for k in (counts.argmax(), counts.argmin()) if counts[k] != now))


def step_to(win, qtbot, k) -> pd.Timestamp:
    """Move the time slider to ``k`` as the planner does; wait for the staffing plan of that time."""
    st = win.plans.staffing
    at = pd.Timestamp(win.timeline.frame["time"].iloc[k])
    with qtbot.waitSignal(st.planChanged, timeout=60000, check_params_cb=lambda plan: plan.at == at):
        win.timeline.slider.setValue(k)
    assert win.session.at == at
    return at


def banner_seen(st) -> list:
    """(stale, banner shown) each time the staffing plan is marked out of date or current again."""
    seen = []
    st.staleChanged.connect(lambda stale: seen.append((stale, st.stale_label.isVisibleTo(st))))
    return seen


def staffing_shows(st, core, at) -> None:
    t = core.totals
    text = st.summary.text()
    assert text.startswith(f"{at:%Y-%m-%d %H:%M}")
    for part in (f"locked sites {t['locked_sites']}", f"left to crews {t['left_to_crews']}"):
        assert part in text
    assert st.assignments_table.rowCount() == len(core.assignments)
    assert st.short_table.rowCount() == len(core.duty_list)


def test_staffing_dock_behind_is_not_filled_and_shows_the_time_when_raised(demo_window, qtbot):
    win = demo_window
    st = staffing_ready(win, qtbot)
    s = win.session
    assert in_front(win) == {"impact", "timeline"}
    win.docks["staffing"].raise_()  # looked at once: filled for the reference time
    qtbot.waitUntil(lambda: not st.lazy.stale)
    win.docks["impact"].raise_()
    assert "staffing" not in in_front(win)
    before, runs = st.summary.text(), st.lazy.runs
    assert before.startswith(f"{s.at:%Y-%m-%d %H:%M}")
    seen = banner_seen(st)

    at = step_to(win, qtbot, other_day(win))
    # what others read follows the step: the plan, and the map's rings of that plan
    core = plan_staffing(s.project, at, engine=s.engine)
    assert st.plan.at == at and st.plan.totals == core.totals
    assert s.plan_in_time("staffing") and s.staffing_overlay.visible
    assert (
        s.staffing_overlay.counts()
        == core.sites["status"].value_counts().reindex(list(s.staffing_overlay.counts()), fill_value=0).to_dict()
    )
    # the dock behind: not filled again
    assert st.lazy.stale and st.lazy.runs == runs and st.summary.text() == before
    assert seen[0] == (True, False)  # marked out of date until the new plan landed, its banner not shown
    # the docks in front did follow: the impact figures and the timeline's date
    assert figures(win) == expected(s.project, s.project.layer("lockdown_zones"), at)
    assert win.impact.time_label.text() == f"Impact at {at:%Y-%m-%d %H:%M}"
    assert win.timeline.date_label.text() == f"{at:%Y-%m-%d %H:%M}"

    win.docks["staffing"].raise_()  # the planner picks its tab: the figures of the current time
    qtbot.waitUntil(lambda: not st.lazy.stale)
    assert st.lazy.runs == runs + 1
    staffing_shows(st, core, at)


def test_impact_dock_behind_catches_up_when_raised(demo_window, qtbot):
    win = demo_window
    st = staffing_ready(win, qtbot)
    s = win.session
    win.docks["staffing"].raise_()  # the staffing dock in front, the impact behind it
    qtbot.waitUntil(lambda: not st.lazy.stale)
    assert in_front(win) == {"staffing", "timeline"}
    shown, runs = figures(win), win.impact.lazy.runs
    assert shown == expected(s.project, s.project.layer("lockdown_zones"), s.at)
    seen = banner_seen(st)

    at = step_to(win, qtbot, other_day(win))
    assert win.impact.lazy.stale and win.impact.lazy.runs == runs and figures(win) == shown
    # the staffing dock in front says its plan is out of date until the new one lands, then shows it
    assert seen == [(True, True), (False, False)]
    staffing_shows(st, plan_staffing(s.project, at, engine=s.engine), at)

    win.docks["impact"].raise_()
    qtbot.waitUntil(lambda: not win.impact.lazy.stale)
    zones = s.project.layer("lockdown_zones")
    assert figures(win) == expected(s.project, zones, at) != shown
    fresh = ImpactEngine(s.project).compute(zones, at)
    table = win.impact.model.frame
    assert set(table.loc[table["active"], "zone_id"]) == set(fresh.zones["zone_id"])


def test_closed_and_tabbed_docks_follow_the_time_once_shown(demo_window, qtbot):
    win = demo_window
    s = win.session
    rt, co, tl, attrs = win.plans.routes, win.plans.crewops, win.timeline, win.attributes
    assert not {"routes", "crewops", "attributes"} & in_front(win)
    # the attribute table behind the timeline was not filled when the project opened
    assert attrs.lazy.stale and attrs.model.rowCount() == 0
    win.docks["crewops"].close()
    win.docks["routes"].raise_()  # the timeline goes behind it
    qtbot.waitUntil(lambda: "timeline" not in in_front(win))
    start = s.at
    at = start + pd.Timedelta(days=2, hours=3)
    s.set_time(at)
    assert rt.at == co.at == at  # the panels' time (what a plan or a ticket uses) followed
    assert tl.lazy.stale and tl.date_label.text() == f"{start:%Y-%m-%d %H:%M}"
    assert co.lazy.stale and co.deadline_edit.dateTime().toString("yyyy-MM-dd HH:mm") == (
        f"{start + pd.Timedelta(hours=4):%Y-%m-%d %H:%M}"
    )
    assert not rt.lazy.stale and rt.now == at  # in front: its "now" followed at once

    win.docks["crewops"].toggleViewAction().trigger()  # opened again (back in its tab group)
    qtbot.waitUntil(win.docks["crewops"].isVisible)
    assert co.lazy.stale == ("crewops" not in in_front(win))
    win.docks["crewops"].raise_()
    qtbot.waitUntil(lambda: not co.lazy.stale)
    assert co.deadline_edit.dateTime().toString("yyyy-MM-dd HH:mm") == f"{at + pd.Timedelta(hours=4):%Y-%m-%d %H:%M}"
    win.docks["timeline"].raise_()
    qtbot.waitUntil(lambda: not tl.lazy.stale)
    assert tl.date_label.text() == f"{at:%Y-%m-%d %H:%M}" and tl.slider.value() == tl.index_of(at)
    # routes behind again: its "now" waits, but reading it gives the map time
    later = at + pd.Timedelta(hours=5)
    s.set_time(later)
    assert rt.lazy.stale and rt.now == later and not rt.lazy.stale
    win.docks["attributes"].raise_()
    qtbot.waitUntil(lambda: not attrs.lazy.stale)
    assert attrs.model.rowCount() == len(s.project.layer(attrs.layer())) > 0


def test_a_widget_in_no_dock_refreshes_at_once(qtbot):
    label = QtWidgets.QLabel()
    qtbot.addWidget(label)
    calls = []
    r = ViewRefresh(label, lambda: calls.append(1))
    r.request()
    assert calls == [1] and not r.stale and r.runs == 1
