"""File → Export report writes what ``heatgis report`` writes for the same project and time.

The app passes the plans it already has (the staffing panel's plan, the crew-operations dock's
plan) and the report reuses them; what it has not planned is planned as the CLI plans it. The
two workbooks hold the same cells and the two decks the same slide texts.

The crews' searches stop on a time limit, so two solves of the same problem can differ (a
vehicle swapped) when the machine is busy: the test hands the CLI run the plans the app used
(the crew dock's operations plan, the single-shift plan the app's report solved) and checks that
the CLI asked for them with the same options.
"""

from __future__ import annotations

import pandas as pd
import pytest

from heatgis.cli import main as heatgis_main
from heatgis.gui.outputs_menu import add_output_actions


def _cells(path) -> dict:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


@pytest.mark.slow
def test_app_export_equals_cli_export(demo_window, qtbot, tmp_path, monkeypatch):
    from heatgis.export.pptx import slide_texts
    from heatgis.routing import ops, planner

    w = demo_window
    w.plans.wait(60000)
    st, co = w.plans.staffing, w.plans.crewops
    assert st.plan is not None and st.plan.at == w.session.at
    co.time_limit.setValue(2.0)  # the CLI's default --time-limit
    co.start_plan()
    co.wait(120000)
    qtbot.waitUntil(lambda: co.plan is not None, timeout=60000)

    calls = []
    solved = {}

    def plan_routes_once(project, *args, **kw):  # the first solve (the app's report) is handed to the CLI run
        calls.append(("routes", kw.get("at"), kw.get("time_limit")))
        if "routes" not in solved:
            solved["routes"] = real_routes(project, *args, **kw)
        return solved["routes"]

    def plan_operations_as_app(project, *args, **kw):
        calls.append(("ops", kw.get("at"), kw.get("hours"), kw.get("time_limit")))
        return co.plan

    real_routes = planner.plan_routes
    monkeypatch.setattr(planner, "plan_routes", plan_routes_once)
    monkeypatch.setattr(ops, "plan_operations", plan_operations_as_app)

    acts = add_output_actions(w)
    app_dir, cli_dir = tmp_path / "app", tmp_path / "cli"
    acts.ask_folder = lambda: str(app_dir)
    acts.export_report_dialog()
    w.wait_for_workers(180000)
    qtbot.waitUntil(lambda: acts.last_files is not None, timeout=60000)
    files = acts.last_files
    # the plans the window had were used, not planned again
    assert files.staffing is st.plan and files.ops_plan is co.plan
    # the "Wrote …" line stays on the status bar
    assert "report.xlsx" in w.statusBar().currentMessage()

    lang = w.session.renderer.style.lang
    at = f"{w.session.at:%Y-%m-%dT%H:%M}"
    assert heatgis_main(["report", "--out", str(cli_dir), "--at", at, "--landscape", "--lang", lang]) == 0

    at0 = w.session.at
    # the app's report planned only what the window did not have; the CLI planned both, as the app's dock did
    assert ("ops", at0, co.plan.hours, 2.0) in calls and [c[0] for c in calls].count("ops") == 1
    app, cli = _cells(app_dir / "report.xlsx"), _cells(cli_dir / "report.xlsx")
    assert list(app) == list(cli)
    plans = {"人员安排", "值班表", "覆盖率"} if lang == "zh" else {"Staffing", "Roster", "Coverage"}
    assert plans <= set(app)  # the plans are in the app's workbook too (in the window's language)
    for name in cli:
        assert app[name] == cli[name], name
    assert slide_texts(app_dir / "briefing.pptx") == slide_texts(cli_dir / "briefing.pptx")

    # a day later the window's crew plan is of another time: not handed over, its routes not printed
    w.session.set_time(at0 + pd.Timedelta(hours=24))
    assert acts.current_plans()["ops_plan"] is None
    _, kw = acts._report_args(True)
    assert w.session.routes_overlay not in kw["renderer"].overlays and kw["ops_plan"] is None


def test_app_keeps_the_record_in_the_project_and_lists_it(window, qtbot, tmp_path):
    """On a project of the planner's own, the report's record is a command on the one stack (saved with the
    project); File → Published reports… lists it with the data version, unsaved edits marked."""
    import shutil

    from heatgis.export.published import META_KEY, project_records
    from tests.gui.conftest import DEMO

    proj = tmp_path / "city.gpkg"
    shutil.copy(DEMO, proj)
    with qtbot.waitSignal(window.projectLoaded, timeout=60000):
        window.open_project(proj)
    acts = add_output_actions(window)
    s = window.session
    acts.ask_issues = lambda current: current + "是否增派焊工到新城区\n\n是否启用备用热源\n"
    assert acts.edit_open_issues()
    files = acts.write_report(tmp_path / "out", plans=False)
    assert files is not None and files.record["data"]["file"] == "city.gpkg"
    assert files.record["data"]["unsaved"]  # the issues were typed, not saved yet
    topic = "待决事项" if window.session.renderer.style.lang == "zh" else "Open issue"  # the report's language
    assert [d for d in files.decisions if d[0] == topic] == [
        (topic, "是否增派焊工到新城区"),
        (topic, "是否启用备用热源"),
    ]
    from heatgis.export.pptx import slide_texts

    assert "是否启用备用热源" in slide_texts(files.pptx)[-1]
    recs = project_records(s.project)
    assert len(recs) == 1 and recs[0]["figures"]["stations"] == 24
    assert not s.stack.is_clean  # saved with the project, undoable like any edit
    dlg = acts.show_published(modal=False)
    qtbot.addWidget(dlg)
    from PySide6 import QtWidgets

    text = dlg.findChild(QtWidgets.QPlainTextEdit).toPlainText()
    assert "2022-02-25 08:00" in text and "city.gpkg" in text
    window.undo()
    assert META_KEY not in s.project.meta and "open_issues" in s.project.meta
