"""Identify on a site answers the planner's question first: locked or not, by which zone since when,
who staffs it, the next crew visit."""

from __future__ import annotations

import numpy as np

from tests.gui.test_plans_in_window import routed, staffing_ready  # noqa: F401  (fixture)


def _rows(win):
    return [
        (win.identify.topLevelItem(i).text(0), win.identify.topLevelItem(i).text(1))
        for i in range(win.identify.topLevelItemCount())
    ]


def test_identify_a_locked_site_and_a_free_one(routed, qtbot):  # noqa: F811
    win, rt, plan = routed
    s = win.session
    st = win.plans.staffing.plan
    site = str(plan.routes["site_id"].iloc[0])  # a site the crews visit (left to them by the staffing plan)
    layer = "stations" if site in set(s.project.layer("stations")["station_id"]) else "boiler_rooms"
    key = "station_id" if layer == "stations" else "asset_id"
    row = int(np.flatnonzero(s.project.layer(layer)[key].astype(str) == site)[0])
    win.show_identify(layer, row)
    rows = dict(_rows(win))
    assert rows["Locked"] == "yes"
    zones = list(plan.routes.loc[plan.routes["site_id"] == site, "zone_ids"].iloc[0])
    by_zone = " ".join(a for q, a in _rows(win) if q == "By zone")
    assert zones and all(z in by_zone for z in zones) and "since 02-" in by_zone
    eta = plan.routes[plan.routes["site_id"] == site]["eta"].min()
    assert rows["Next crew visit"].endswith(f"ETA {eta:%m-%d %H:%M}")
    staffed = st.assignments[st.assignments["site_id"].astype(str) == site]
    if len(staffed):
        assert str(staffed["name"].iloc[0]) in rows["Staffed by"]
    else:
        assert rows["Staffed by"] == "nobody: left to the crews"
    # a site far from every zone: not locked, no staffing or crew rows
    locked = set(st.sites["site_id"].astype(str))
    free = int(np.flatnonzero(~s.project.layer("stations")["station_id"].astype(str).isin(locked))[0])
    win.show_identify("stations", free)
    rows = dict(_rows(win))
    assert rows["Locked"] == "no" and "Staffed by" not in rows and "By zone" not in rows
    # the questions in Chinese, bold, above the fields
    win.set_language("zh")
    win.show_identify(layer, row)
    first = win.identify.topLevelItem(0)
    assert first.text(0) == "是否锁闭" and first.text(1) == "是" and first.font(0).bold()
    win.set_language("en")
