"""The crew-operations dock in the real main window on the demo (offscreen): plan, roster, tickets, undo."""

from __future__ import annotations

import pandas as pd
from PySide6 import QtCore

from heatgis.export import ops_common as C


def planned(win, qtbot):
    co = win.plans.crewops
    assert co is not None and win.docks["crewops"].widget() is co
    with qtbot.waitSignal(co.planReady, timeout=120000):
        co.start_plan()
    co.wait()
    return co


def test_plan_roster_ticket_undo_and_dispatch(demo_window, qtbot, tmp_path):
    win = demo_window
    co = win.plans.crewops
    co.time_limit.setValue(1.0)
    co = planned(win, qtbot)
    plan = co.plan
    # the roster tab shows plan.roster, the duty tab every place and every unmet duty
    assert co.roster_model.rowCount() == len(plan.roster) > 0
    assert set(co.roster_model.frame["staff_id"]) == set(plan.roster["staff_id"].astype(str))
    extra = (~plan.unmet["duty_id"].isin(set(plan.places["place_id"]))).sum()
    assert co.duty_model.rowCount() == len(plan.places) + extra
    assert set(co.duty_model.frame["status"]) <= {"filled", "not met"}  # the UI's words, unmet duties first
    assert (co.duty_model.frame["status"].iloc[0] == "not met") == bool(
        extra or (plan.places["status"] == "unmet").any()
    )
    assert "places filled" in co.status.text()
    # the map draws the vehicles' routes (one per working vehicle, stops as in plan.stops)
    ov = win.session.routes_overlay
    working = C.working_vehicles(plan)
    assert len(ov.crews) == len(working)
    assert sum(len(c["stops_xy"]) for c in ov.crews) == int(
        plan.stops["vehicle_id"].isin(set(working["vehicle_id"])).sum()
    )
    assert co.gantt_label.pixmap() is not None and not co.gantt_label.pixmap().isNull()
    # a ticket at a site: undoable, marks the window dirty
    assert not win.session.dirty
    site = "ST-0025"
    co.site_edit.setCurrentText(site)
    tid = co.add_ticket()
    assert tid is not None and win.session.dirty and win.isWindowModified()
    tickets = win.session.project.layer("tickets")
    assert tid in set(tickets["ticket_id"].astype(str))
    assert co.ticket_model.rowCount() == len(tickets)
    # dispatch: inserted into the running plan, the crew and ETA shown
    with qtbot.waitSignal(co.ticketDispatched, timeout=60000) as sig:
        co.dispatch(tid)
    d = sig.args[0]
    assert d is not None and d["ticket_id"] == tid and d["crew_id"]
    row = co.plan.tickets.set_index("ticket_id").loc[tid]
    assert row["status"] in ("planned", "late") and row["crew_id"] == d["crew_id"]
    assert d["crew_id"] in co.dispatch_label.text()
    assert f"{pd.Timestamp(row['eta']):%H:%M}" in co.dispatch_label.text()
    served = co.plan.stops[(co.plan.stops["task"] == "ticket") & (co.plan.stops["duty_id"] == tid)]
    assert len(served) == 1 and served.iloc[0]["vehicle_id"] == row["vehicle_id"]
    # Ctrl+Z takes the ticket out of the project again, and the window is clean
    win.activateWindow()
    qtbot.keyClick(win, QtCore.Qt.Key.Key_Z, QtCore.Qt.KeyboardModifier.ControlModifier)
    tickets = win.session.project.layer("tickets")
    assert tid not in set(tickets["ticket_id"].astype(str))
    assert not win.session.dirty
    assert co.ticket_model.rowCount() == len(tickets)


def test_ticket_on_the_map_and_bad_ticket(demo_window, qtbot):
    win = demo_window
    co = win.plans.crewops
    errors = []
    co.failed.connect(errors.append)
    assert co.add_ticket(site_id="NOPE-1") is None and errors and "NOPE-1" in errors[-1]
    assert not win.session.dirty
    # a map point inside the city (no site): a ticket at that point
    x, y = win.session.site_xy("ST-0025")
    tid = co.add_ticket(x=x + 40.0, y=y + 40.0)
    t = win.session.project.layer("tickets").set_index("ticket_id").loc[tid]
    assert abs(t.geometry.x - x - 40.0) < 1e-6 and (pd.isna(t["site_id"]) or not t["site_id"])
    win.undo()
    assert not win.session.dirty


def test_zone_edit_marks_the_plan_stale_and_replans_once(demo_window, qtbot):
    from heatgis.model.commands import AddZone
    from tests.gui.test_main_window import free_stations

    win = demo_window
    co = win.plans.crewops
    co.time_limit.setValue(0.5)
    co = planned(win, qtbot)
    old = co.plan
    assert not co.stale
    s = win.session
    # without auto re-plan: marked out of date, nothing runs
    co.auto_replan.setChecked(False)
    _, box = free_stations(s.project, s.at)
    assert win.run_command(AddZone("Z-CO1", box, name="CO1", level="sealed", start=s.at))
    assert co.stale and "out of date" in co.status.text() and not co.busy()
    assert not co._replan_timer.isActive() and co.plan is old
    # with it: two quick edits, one re-plan after the pause, with the new zones
    co.auto_replan.setChecked(True)
    win.undo()
    assert win.run_command(AddZone("Z-CO2", box, name="CO2", level="sealed", start=s.at))
    assert co.stale and co._replan_timer.isActive()
    plans = []
    co.planReady.connect(plans.append)
    with qtbot.waitSignal(co.planReady, timeout=120000):
        pass
    co.wait()
    assert len(plans) == 1 and co.plan is plans[0] is not old and not co.stale
    closed = {z for sl in co.plan.slices for z in sl["closed_zones"]}
    assert "Z-CO2" in closed and "Z-CO1" not in closed
    win.undo()
    co.cancel()
    co.wait()


def test_duty_table_details_in_the_table_language():
    """The duty table's "detail" of a duty not met (a Text of the core) in the table's language."""
    from heatgis.gui.panels.crewops_tables import duty_frame
    from heatgis.routing.ops import plan_operations
    from tests.core.test_crewops import REF, ops_city

    plan = plan_operations(ops_city(members={c: ["operator"] for c in ("C1", "C2", "C3")}), REF, 24, time_limit=1.0)
    en, zh = duty_frame(plan, "en"), duty_frame(plan, "zh")
    details_en, details_zh = set(en["detail"]) - {""}, set(zh["detail"]) - {""}
    assert any(d.endswith("cannot be set down: no crew vehicle is on duty in its window") for d in details_en)
    assert any(d.endswith("无法送达：时间窗内没有在岗的抢修车辆") for d in details_zh)
    assert "no crew member has the skill electrician" in details_en and "没有队员具备电工技能" in details_zh
    assert not any("vehicle" in d or "skill" in d for d in details_zh), details_zh
