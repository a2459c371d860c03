"""The routes panel: real widgets offscreen, compared with the core plan_routes result."""
from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

pytest.importorskip("pytestqt")

from heatgis.gui.panels.routes import RoutesPanel, STOP_HEADERS  # noqa: E402
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
