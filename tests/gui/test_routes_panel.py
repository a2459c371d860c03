"""The routes panel: real widgets offscreen, compared with the core plan_routes result."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

pytest.importorskip("pytestqt")

from heatgis.gui.panels.routes import STOP_HEADERS, RoutesPanel  # noqa: E402
from heatgis.routing.planner import plan_routes  # noqa: E402
from tests.core.test_routing_city import grid_city  # noqa: E402

DUTY = pd.DataFrame({"site_id": ["S1", "S2", "S3", "B1", "S5"]})


def test_panel_shows_a_plan(qtbot):
    city = grid_city()
    plan = plan_routes(city, duty=DUTY, time_limit=0.3)
    panel = RoutesPanel(city)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.routesChanged) as sig:
        panel.set_plan(plan)
    geo = sig.args[0]
    assert list(geo["crew_id"]) == list(plan.crews["crew_id"])
    assert (geo.loc[geo["stops"] > 0].geometry.length > 0).all()
    assert panel.table.rowCount() == len(plan.routes)
    assert panel.table.columnCount() == len(STOP_HEADERS)
    first = plan.routes.iloc[0]
    assert panel.table.item(0, 2).text() == first["site_id"]
    assert panel.table.item(0, 6).text() == f"{first['eta']:%H:%M}"
    assert panel.dropped.rowCount() == 1 and panel.dropped.item(0, 0).text() == "S5"
    assert len(panel.gantt.items) == len(plan.crews)  # one bar item per crew row
    # the Gantt reads in clock time: 2 h after the shift's start is its clock time
    start = pd.Timestamp(plan.shift_start)
    assert panel.gantt.clock.tickStrings([0.0, 2.0], 1.0, 1.0) == [
        f"{start:%H:%M}",
        f"{start + pd.Timedelta(hours=2):%H:%M}",
    ]
    nxt = start.normalize() + pd.Timedelta(days=1) - start  # midnight: the day shows too
    assert panel.gantt.clock.tickStrings([nxt.total_seconds() / 3600], 1.0, 1.0)[0].startswith(f"{start + nxt:%m-%d}")


def test_panel_plans_in_a_worker(qtbot):
    city = grid_city()
    panel = RoutesPanel(city)
    qtbot.addWidget(panel)
    panel.time_limit.setValue(0.3)
    with qtbot.waitSignal(panel.planReady, timeout=60000) as sig:
        panel.start_plan(duty=DUTY)
    plan = sig.args[0]
    assert sorted(plan.routes["site_id"]) == ["B1", "S1", "S2", "S3"]
    assert panel.progress.value() == 100 and panel.plan_button.isEnabled()
    core = plan_routes(city, duty=DUTY, time_limit=0.3)
    assert sorted(core.routes["site_id"]) == sorted(plan.routes["site_id"])
    assert list(core.dropped["reason"]) == list(plan.dropped["reason"])


def test_print_route_sheets_button_writes_the_pdf(qtbot, tmp_path):
    import shutil
    import subprocess

    from PySide6.QtCore import Qt

    if shutil.which("pdfinfo") is None:
        pytest.skip("poppler-utils not installed")
    city = grid_city()
    panel = RoutesPanel(city)
    qtbot.addWidget(panel)
    assert not panel.sheets_button.isEnabled()  # no plan yet
    plan = plan_routes(city, duty=DUTY, time_limit=0.3)
    panel.set_plan(plan)
    assert panel.sheets_button.isEnabled()
    out = tmp_path / "sheets.pdf"
    asked = []
    panel.ask_sheets_path = lambda: asked.append(1) or str(out)
    with qtbot.waitSignal(panel.sheetsWritten, timeout=60000) as sig:
        qtbot.mouseClick(panel.sheets_button, Qt.LeftButton)
    assert asked == [1] and sig.args[0] == str(out)
    panel.wait()
    working = plan.crews[plan.crews["stops"] > 0]
    info = subprocess.run(["pdfinfo", str(out)], check=True, capture_output=True, text=True).stdout
    assert f"Pages:           {len(working)}\n" in info
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], check=True, capture_output=True, text=True).stdout
    for c in working.itertuples():
        assert c.name in text
    for s in plan.routes.itertuples():
        assert s.site_id in text and f"{s.eta:%H:%M}" in text
    assert panel.progress.value() == 100 and panel.sheets_button.isEnabled()
    # a cancelled file prompt writes nothing; a missing folder is reported, naming the file
    panel.ask_sheets_path = lambda: ""
    qtbot.mouseClick(panel.sheets_button, Qt.LeftButton)
    assert not panel._workers
    bad = tmp_path / "missing" / "s.pdf"
    panel.ask_sheets_path = lambda: str(bad)
    with qtbot.waitSignal(panel.failed, timeout=60000) as sig:
        qtbot.mouseClick(panel.sheets_button, Qt.LeftButton)
    panel.wait()
    assert str(bad) in sig.args[0] and "does not exist" in sig.args[0]
    assert panel.sheets_button.isEnabled()


def test_not_served_reads_in_the_ui_language(qtbot, qapp):
    """A visit not served: its reason and detail in English, then in Chinese once the UI is."""
    import re

    from heatgis.gui import i18n

    city = grid_city()
    plan = plan_routes(city, duty=DUTY, time_limit=0.3)
    panel = RoutesPanel(city)
    qtbot.addWidget(panel)
    panel.set_plan(plan)
    row = plan.dropped.iloc[0]
    assert panel.dropped.item(0, 1).text() == row["reason"] and panel.dropped.item(0, 2).text() == row["detail"]
    assert row["detail"] and row["detail"].zh != row["detail"]
    try:
        assert i18n.set_language(qapp, "zh")
        qtbot.waitUntil(lambda: panel.dropped.item(0, 2).text() == row["detail"].zh, timeout=5000)
        reason = panel.dropped.item(0, 1).text()
        assert re.search(r"[\u4e00-\u9fff]", reason) and not re.search(r"[a-z]{3}", reason), reason
    finally:
        i18n.set_language(qapp, "en")
    qtbot.waitUntil(lambda: panel.dropped.item(0, 2).text() == str(row["detail"]), timeout=5000)
