"""The staffing panel, offscreen: it shows what the core computes, pins/removes re-solve, undo works."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"

import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from PySide6 import QtGui  # noqa: E402

from heatgis.analysis.staffing import plan_staffing  # noqa: E402
from heatgis.gui.panels.staffing import STAFF_COLUMN, StaffingPanel  # noqa: E402
from tests.core.test_staffing import staffing_city  # noqa: E402


@pytest.fixture
def panel(qtbot):
    w = StaffingPanel(staffing_city())
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.planChanged, timeout=60000):
        w.solve()
    return w


def _select(panel, staff_id):
    t = panel.assignments_table
    for r in range(t.rowCount()):
        if t.text(r, STAFF_COLUMN) == staff_id:
            t.selectRow(r)
            return
    raise AssertionError(f"{staff_id} not in the table")


def _cell(table, row, col):
    return table.text(row, col)


def test_panel_shows_the_core_plan(panel):
    core = plan_staffing(staffing_city())
    plan = panel.plan
    pd.testing.assert_frame_equal(plan.assignments, core.assignments)
    assert panel.assignments_table.rowCount() == len(core.assignments)
    assert panel.short_table.rowCount() == len(core.duty_list) == 4
    shown = {
        _cell(panel.short_table, r, 1): _cell(panel.short_table, r, 7) for r in range(panel.short_table.rowCount())
    }
    assert shown["SB"].startswith("no locked-in staff in its zone(s) ZB")
    assert "left to crews 4" in panel.summary.text()
    assert panel.at == pd.Timestamp("2022-02-21T08:00")


def test_pin_remove_and_undo(panel, qtbot):
    # remove E05 from SA1: the plan re-solves around it
    first = panel.plan.assignments
    assert first.set_index("staff_id").loc["E05", "site_id"] == "SA1"
    _select(panel, "E05")
    with qtbot.waitSignal(panel.planChanged, timeout=10000) as sig:
        panel.remove_button.click()
    plan = sig.args[0]
    a = plan.assignments
    assert not ((a["staff_id"] == "E05") & (a["site_id"] == "SA1")).any()
    assert a.set_index("staff_id").loc["E05", "site_id"] != "SA1"  # E05 still works, elsewhere
    assert panel.removals == (("E05", "SA1"),)
    # pin E04 where it is now; it survives the next re-solve
    _select(panel, "E04")
    where = plan.assignments.set_index("staff_id").loc["E04", ["site_id", "shift"]].tolist()
    with qtbot.waitSignal(panel.planChanged, timeout=10000):
        panel.pin_button.click()
    assert panel.pins == (("E04", where[0], where[1]),)
    with qtbot.waitSignal(panel.planChanged, timeout=10000):
        panel.solve()
    row = panel.plan.assignments.set_index("staff_id").loc["E04"]
    assert [row["site_id"], row["shift"]] == where and row["pinned"]
    # undo twice on the (model) undo stack: back to the first plan, no overrides
    assert len(panel.stack) == 2 and panel.stack.undo_text() == "pin E04"
    panel.stack.undo()  # re-solves in a worker; the overrides change at once
    assert panel.pins == () and panel.removals == (("E05", "SA1"),)
    with qtbot.waitSignal(panel.planChanged, timeout=10000) as sig:
        panel.stack.undo()  # the first undo's solve is superseded: only this one is shown
    assert panel.overrides() == ((), ())
    assert sig.args[0] is panel.plan and panel.plan.pins == () and panel.plan.removals == ()
    pd.testing.assert_frame_equal(panel.plan.assignments, first)
    with qtbot.waitSignal(panel.planChanged, timeout=10000):
        panel.stack.redo()
    assert panel.removals == (("E05", "SA1"),)


def test_time_change_and_bad_override(panel, qtbot):
    with qtbot.waitSignal(panel.planChanged, timeout=60000):
        panel.set_time("2022-02-01T08:00")
    assert panel.plan.totals["locked_sites"] == 0
    assert panel.assignments_table.rowCount() == 0 and not panel.pin_button.isEnabled()
    # a pin that cannot hold at this time is left out of the solve, with a note under the plan
    with qtbot.waitSignal(panel.planChanged, timeout=10000) as sig:
        panel.set_overrides([("E20", "SA1")])
    assert "is not locked in" in panel.message.text()
    assert "Fix:" in panel.message.text()
    assert sig.args[0].pins == () and panel.pins == (("E20", "SA1", None),)
    assert panel.plan.totals["locked_sites"] == 0


def test_export_csv(panel, tmp_path):
    out = panel.export_csv(tmp_path / "plan.csv")
    table = pd.read_csv(out, encoding="utf-8-sig", dtype=str)
    assert len(table) == len(panel.plan.assignments)
    assert set(table["员工编号 staff"]) == set(panel.plan.assignments["staff_id"])
    assert panel.export_csv(tmp_path / "missing" / "dir" / "plan.csv") is None
    assert "cannot be written" in panel.message.text()


def test_site_status_for_the_map(panel):
    status = dict(zip(panel.plan.sites["site_id"], panel.plan.sites["status"]))
    assert status == {"SA1": "staffed", "SA2": "partial", "BA": "partial", "SB": "unstaffed", "BC": "unstaffed"}


def test_panel_on_demo(qtbot, demo_project):
    w = StaffingPanel(demo_project)
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.planChanged, timeout=120000) as sig:
        w.solve()
    plan = sig.args[0]
    assert plan.at == pd.Timestamp("2022-02-25T08:00")
    assert plan.totals["locked_sites"] == 27
    assert w.short_table.rowCount() == plan.totals["left_to_crews"] == len(plan.duty_list)


def test_the_sites_short_are_written_in_their_status_colour_and_columns_keep_their_width(panel):
    from PySide6 import QtCore

    from heatgis.render.overlays import STATUS_COLOURS

    t = panel.short_table
    short = panel.plan.sites[panel.plan.sites["short"] > 0]
    assert t.rowCount() == len(short) > 0
    role = QtCore.Qt.ItemDataRole.ForegroundRole
    shown = [t.model().index(r, 0).data(role).color().name() for r in range(t.rowCount())]
    assert shown == [QtGui.QColor(STATUS_COLOURS[s]).name() for s in short["status"]]
    # the next plan's rows keep the widths the first one measured (no column jumps as time moves)
    widths = [t.columnWidth(c) for c in range(t.model().columnCount())]
    n, m = t.rowCount(), t.model().columnCount()
    t.set_texts([[t.text(r, c) * 3 for r in range(n)] for c in range(m)])
    assert [t.columnWidth(c) for c in range(t.model().columnCount())] == widths
    t.set_titles([x + "…" for x in t.texts.titles])  # new titles (another language): measured again
    assert [t.columnWidth(c) for c in range(t.model().columnCount())] != widths


def test_overrides_are_kept_in_the_project_and_come_back(qtbot):
    """A pin made in the panel goes into the project's metadata (saved with it), undo takes it out,
    and a panel opened on a project with saved overrides applies them, noting the ones that no
    longer fit."""
    from heatgis.analysis.staffing.overrides import META_KEY, saved_overrides, store_overrides

    project = staffing_city()
    w = StaffingPanel(project)
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.planChanged, timeout=60000):
        w.solve()
    _select(w, "E04")
    with qtbot.waitSignal(w.planChanged, timeout=10000):
        w.pin_button.click()
    assert saved_overrides(project)[0] == w.pins and META_KEY in project.meta
    w.stack.undo()
    assert META_KEY not in project.meta and w.pins == ()

    store_overrides(project, [("E04", "SA1", "00:00-08:00"), ("E20", "SA1", None)], [("E05", None)])
    again = StaffingPanel(project)
    qtbot.addWidget(again)
    with qtbot.waitSignal(again.planChanged, timeout=60000):
        again.solve()
    a = again.plan.assignments.set_index("staff_id")
    assert a.loc["E04", "site_id"] == "SA1" and a.loc["E04", "pinned"] and "E05" not in a.index
    assert "pin E20 → SA1 is not used" in again.message.text()
    assert again.overrides() == ((("E04", "SA1", "00:00-08:00"), ("E20", "SA1", None)), (("E05", None),))


def test_a_late_result_for_an_older_time_is_dropped(qtbot):
    """The solve for time A has finished in its worker, its result still queued for the GUI
    thread, when the clock moves to B: B's plan is shown and A's, delivered afterwards, is
    dropped (it would put A's figures under B's time)."""
    w = StaffingPanel(staffing_city())
    qtbot.addWidget(w)
    a, b = w.at, pd.Timestamp("2022-02-01T08:00")
    shown = []
    w.planChanged.connect(shown.append)
    w.solve()
    (worker,) = w._running
    assert worker.wait(60000)  # A's plan is made, its ``done`` waits in the event queue
    w.set_time(b)  # the clock moves before the GUI thread has seen A's result
    with qtbot.waitSignal(w.planChanged, timeout=60000):
        pass
    assert [p.at for p in shown] == [b] and w.plan is shown[0]
    assert w.dropped == 1
    assert w.plan.totals == plan_staffing(staffing_city(), b).totals
    assert w.plan.totals["locked_sites"] == 0 and w.assignments_table.rowCount() == 0
    assert a != b and plan_staffing(staffing_city(), a).totals["locked_sites"] > 0  # A would have differed


def test_scrubbing_solves_once_where_the_clock_stops(qtbot):
    """Moving the clock several times in a row (the timeline scrubbed) solves only for the last time."""
    w = StaffingPanel(staffing_city())
    qtbot.addWidget(w)
    shown = []
    w.planChanged.connect(shown.append)
    for day in ("2022-02-01", "2022-02-10", "2022-02-15", "2022-02-21"):
        w.set_time(f"{day}T08:00")
    with qtbot.waitSignal(w.planChanged, timeout=60000):
        pass
    qtbot.wait(2 * w.DEBOUNCE_MS)
    assert [p.at for p in shown] == [pd.Timestamp("2022-02-21T08:00")]


def test_a_late_result_for_older_zones_is_dropped(qtbot):
    """The zones change (the plan is marked stale) while a solve's result waits in the queue: that
    result is for the zones as they were and is dropped; the re-solve after it is shown."""
    w = StaffingPanel(staffing_city())
    qtbot.addWidget(w)
    shown = []
    w.planChanged.connect(shown.append)
    w.solve()
    (worker,) = w._running
    assert worker.wait(60000)
    w.set_stale(True)  # as the main window does on a zone edit, before its debounced re-solve
    qtbot.waitUntil(lambda: not w._running, timeout=10000)
    assert shown == [] and w.plan is None and w.dropped == 1 and w.stale
    with qtbot.waitSignal(w.planChanged, timeout=60000):
        w.invalidate()
    assert len(shown) == 1 and not w.stale


def test_after_a_language_switch_every_column_fits_its_title_and_texts(panel, qtbot):
    """The tables keep the widths of their first rows, and measure again when the titles change (a
    language switch): with the rows in the new language, not with the old language's words (the
    roles, kinds and statuses were cut short: "role" 43 px for 89 of English after zh)."""
    from PySide6 import QtWidgets

    from heatgis.gui import i18n

    app = QtWidgets.QApplication.instance()

    def cut(t):
        head = t.horizontalHeader()
        return [
            t.title(c)
            for c in range(t.model().columnCount() - 1)  # (the last one stretches)
            if t.columnWidth(c) < max(t.sizeHintForColumn(c), head.sectionSizeHint(c))
        ]

    try:
        for lang in ("zh", "en", "zh"):
            i18n.set_language(app, lang)
            QtWidgets.QApplication.processEvents()  # LanguageChange: the titles, then the rows
            assert panel.assignments_table.title(0) == ("姓名" if lang == "zh" else "name")
            assert cut(panel.assignments_table) == [] and cut(panel.short_table) == [], lang
    finally:
        i18n.set_language(app, "en")
        QtWidgets.QApplication.processEvents()


def test_an_empty_plan_shows_its_titles_whole_then_the_first_rows_are_measured(qtbot):
    from heatgis.gui.panels.staffing import ASSIGNMENT_HEADERS, _table

    t = _table(ASSIGNMENT_HEADERS)
    qtbot.addWidget(t)
    t.set_texts([[] for _ in ASSIGNMENT_HEADERS])  # a plan with nobody to assign
    head = t.horizontalHeader()
    n = len(ASSIGNMENT_HEADERS)
    assert all(t.columnWidth(c) >= head.sectionSizeHint(c) for c in range(n - 1))  # "same compound" whole
    t.set_texts([["a much longer text than any title"] for _ in ASSIGNMENT_HEADERS])
    assert all(t.columnWidth(c) >= t.sizeHintForColumn(c) for c in range(n - 1))


def test_the_notes_under_the_plan_follow_the_language(panel, qtbot):
    """A saved pin left out of the solve is noted under the plan; a language switch writes the note
    again in the new language (it stayed in the language of the solve)."""
    from PySide6 import QtWidgets

    from heatgis.gui import i18n

    app = QtWidgets.QApplication.instance()
    with qtbot.waitSignal(panel.planChanged, timeout=10000):
        panel.set_overrides([("E20", "SA1")])
    en = panel.message.text()
    assert "Fix:" in en
    note = panel.plan.notes[-1]
    try:
        i18n.set_language(app, "zh")
        QtWidgets.QApplication.processEvents()
        assert panel.message.text().splitlines()[-1] == note.text("zh") != en.splitlines()[-1]
    finally:
        i18n.set_language(app, "en")
        QtWidgets.QApplication.processEvents()
    assert panel.message.text() == en
