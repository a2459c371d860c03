"""The routes overlay's legend: a crew's vehicle shifts are one line, and the lines are capped."""

from __future__ import annotations

import geopandas as gpd
import shapely

from heatgis.render.overlays import RoutesOverlay


def _frames(n_crews, vehicles_per_crew):
    rows, geoms, stops, pts = [], [], [], []
    for c in range(n_crews):
        for v in range(vehicles_per_crew):
            vid = f"CR-{c + 1:02d}/V{v + 1}@02-25 {8 if v % 2 == 0 else 20:02d}:00"
            rows.append({"crew_id": vid, "name": f"抢修{c + 1}队 V{v + 1}", "color": f"#0000{c:02x}", "stops": 2})
            geoms.append(shapely.LineString([(c * 100, v * 10), (c * 100 + 50, v * 10 + 50)]))
            for k in range(2 + v):
                stops.append({"crew_id": vid, "seq": k + 1, "site_id": f"S{c}{v}{k}"})
                pts.append(shapely.Point(c * 100 + k, v * 10))
    return gpd.GeoDataFrame(rows, geometry=geoms), gpd.GeoDataFrame(stops, geometry=pts)


def test_vehicle_shifts_of_a_crew_are_one_legend_line():
    ov = RoutesOverlay()
    ov.set_routes(*_frames(3, 4))
    assert len(ov.crews) == 12  # every vehicle shift is still drawn
    e = ov.legend_entries("en")
    assert [x.label for x in e] == [f"CR-0{c} 抢修{c}队 (4 vehicle shifts, 14 stops)" for c in (1, 2, 3)]
    assert [x.colour for x in e] == ["#000000", "#000001", "#000002"]
    assert ov.legend_entries("zh")[0].label == "CR-01 抢修1队 (4 车次, 14 站)"


def test_legend_is_capped_and_counts_the_rest():
    ov = RoutesOverlay()
    ov.set_routes(*_frames(20, 2))  # 40 vehicle shifts of 20 crews
    e = ov.legend_entries("en")
    assert len(e) == RoutesOverlay.MAX_LEGEND
    assert e[-1].label == f"… {20 - RoutesOverlay.MAX_LEGEND + 1} more crews"
    # one crew per line: a crew plan (one route per crew) reads as before
    single = RoutesOverlay()
    single.set_routes(*_frames(2, 1))
    assert [x.label for x in single.legend_entries("en")] == ["CR-01 抢修1队 (2 stops)", "CR-02 抢修2队 (2 stops)"]
