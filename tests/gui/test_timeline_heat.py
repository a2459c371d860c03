"""The timeline dock's heat chart: the demo's outdoor temperature and the city's heat demand, the same
series as ``heatgis.analysis.heat`` (``HeatResult.city``)."""

from __future__ import annotations

import numpy as np


def test_heat_chart_in_the_window_timeline(demo_window):
    from heatgis.analysis.heat import heat_balance

    tl = demo_window.timeline
    heat = tl.charts[3]
    assert heat.isVisible()
    temp = heat.listDataItems()[0]
    _, y = temp.getData()
    assert y.min() == -18.0  # the cold snap's night
    demand, capacity = tl.heat_view.addedItems[:2]
    city = tl.heat
    t0 = city["time"].iloc[0]
    s = demo_window.session
    ref = heat_balance(s.project, at=t0, hours=len(city), engine=s.engine).city
    assert np.allclose(demand.getData()[1], ref["demand_mw"].to_numpy())
    assert np.allclose(capacity.getData()[1], ref["capacity_mw"].to_numpy())
    k = int(np.argmin(y))
    assert demand.getData()[1][k] == ref["demand_mw"].max()  # the coldest hour asks the most heat


def test_no_weather_hides_the_heat_chart(qtbot):
    import pandas as pd

    from heatgis.gui.panels.timeline import TimelinePanel

    w = TimelinePanel()
    qtbot.addWidget(w)  # closed and deleted while Qt still runs (a stray widget crashed the interpreter's exit)
    frame = pd.DataFrame(
        {
            "time": pd.date_range("2022-02-20", periods=3, freq="D"),
            "zones_active": 1,
            "stations": [1, 2, 3],
            "boiler_rooms": 0,
            "heated_area_m2": 1e4,
            "households": 10,
            "staff_locked_in": 0,
        }
    )
    w.set_timeline(frame)
    assert not w.charts[3].isVisible() and w.heat is None


def test_stations_by_heat_margin(demo_window, qtbot):
    from heatgis.analysis.heat import heat_balance
    from heatgis.render.heat_overlay import margin_class

    win = demo_window
    s = win.session
    ov = s.heat_overlay
    assert not ov.visible and ov in s.renderer.overlays
    win.acts.heat_margin.setChecked(True)
    assert ov.visible and len(ov.xy) == 812
    ref = heat_balance(s.project, at=s.at, engine=s.engine)
    pct = dict(zip(ref.networks["network_id"], ref.networks["margin_pct"]))
    expected = margin_class([pct[n] for n in s.project.layer("stations")["network_id"]])
    assert (ov.cls == expected).all()
    counts = ov.counts()
    assert counts["deficit"] == 0 and counts["tight"] + counts["ok"] == 812  # the demo at -18 °C
    labels = [e.label for e in ov.legend_entries("en")]
    assert labels[0].startswith("network margin 02-26 06:00 -18.0 °C: margin < 10 %")
    assert "networks in deficit" in win.statusBar().currentMessage()
    win.acts.heat_margin.setChecked(False)
    assert not ov.visible and ov.legend_entries("en") == []
