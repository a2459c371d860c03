"""A tiny hand-built project whose impact is known by heart.

Layout (metres, EPSG:4546 offsets around x=500000, y=4520000):

    zone Z1 sealed     box(0,0,100,100)   2022-02-16 .. 2022-03-01
    zone Z2 controlled box(50,0,200,100)  2022-02-18 .. open       (overlaps Z1)
    zone Z3 precaution box(300,0,400,100) 2022-02-16 .. open       (never locks)
    zone Z4 sealed     box(500,0,600,100) 2022-02-20 .. 2022-02-22

    S1 (10,10) in Z1; S2 (75,50) in Z1 and Z2; S3 (200,50) on Z2's edge;
    S4 (350,50) in the precaution zone; S5 (550,50) in Z4; S6 (900,900) outside.
    B1 boiler room (20,80) in Z1, feeds S6 through junction J1.
    Compound C1 (in Z1) is heated by S6 (outside); compound C2 (in Z1) by S1 (inside).
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from heatgis.model.project import Project
from heatgis.model.schema import conform

X0, Y0 = 500000.0, 4520000.0


def box(x0, y0, x1, y1):
    return shapely.box(X0 + x0, Y0 + y0, X0 + x1, Y0 + y1)


def pt(x, y):
    return shapely.Point(X0 + x, Y0 + y)


def gdf(layer, rows, geoms):
    return conform(layer, gpd.GeoDataFrame(pd.DataFrame(rows), geometry=geoms, crs="EPSG:4546"))


@pytest.fixture
def tiny_project() -> Project:
    stations = gdf(
        "stations",
        [
            dict(
                station_id=f"S{i}",
                name=f"站{i}",
                network_id="N1",
                heated_area_m2=a,
                households=h,
                design_load_kw=a * 0.045,
                compound_id=None,
                depot_id="D1",
                address="",
            )
            for i, a, h in [
                (1, 1000, 10),
                (2, 2000, 20),
                (3, 4000, 40),
                (4, 8000, 80),
                (5, 16000, 160),
                (6, 32000, 320),
            ]
        ],
        [pt(10, 10), pt(75, 50), pt(200, 50), pt(350, 50), pt(550, 50), pt(900, 900)],
    )
    boiler = gdf(
        "boiler_rooms",
        [
            dict(
                asset_id="B1",
                name="锅炉房1",
                fuel="gas",
                capacity_mw=5,
                heated_area_m2=500,
                households=5,
                compound_id=None,
                depot_id="D1",
            )
        ],
        [pt(20, 80)],
    )
    zones = gdf(
        "lockdown_zones",
        [
            dict(zone_id="Z1", name="一号封控区", level="sealed", start="2022-02-16T00:00", end="2022-03-01T00:00"),
            dict(zone_id="Z2", name="二号管控区", level="controlled", start="2022-02-18T00:00", end=None),
            dict(zone_id="Z3", name="三号防范区", level="precaution", start="2022-02-16T00:00", end=None),
            dict(zone_id="Z4", name="四号封控区", level="sealed", start="2022-02-20T00:00", end="2022-02-22T00:00"),
        ],
        [box(0, 0, 100, 100), box(50, 0, 200, 100), box(300, 0, 400, 100), box(500, 0, 600, 100)],
    )
    pipes = gdf(
        "pipes",
        [
            dict(pipe_id="P1", network_id="B1", from_id="B1", to_id="J1", dn_mm=100),
            dict(pipe_id="P2", network_id="B1", from_id="J1", to_id="S6", dn_mm=80),
        ],
        [
            shapely.LineString([(X0 + 20, Y0 + 80), (X0 + 500, Y0 + 500)]),
            shapely.LineString([(X0 + 500, Y0 + 500), (X0 + 900, Y0 + 900)]),
        ],
    )
    compounds = gdf(
        "compounds",
        [
            dict(compound_id="C1", name="甲小区", district="新城区", households=100, served_by="S6"),
            dict(compound_id="C2", name="乙小区", district="新城区", households=50, served_by="S1"),
        ],
        [box(30, 30, 45, 45), box(5, 5, 25, 25)],
    )
    staff = gdf(
        "staff",
        [
            dict(staff_id="E1", name="张三", role="operator", skills="operator", depot_id="D1", assigned_site="S1"),
            dict(staff_id="E2", name="李四", role="operator", skills="operator", depot_id="D1", assigned_site="S2"),
            dict(
                staff_id="E3", name="王五", role="electrician", skills="electrician", depot_id="D1", assigned_site=None
            ),
        ],
        [pt(60, 60), pt(350, 50), pt(150, 50)],
    )
    depots = gdf("depots", [dict(depot_id="D1", name="一号运营所", district="新城区")], [pt(800, 800)])
    return Project(
        {
            "stations": stations,
            "boiler_rooms": boiler,
            "lockdown_zones": zones,
            "pipes": pipes,
            "compounds": compounds,
            "staff": staff,
            "depots": depots,
        },
        {"name": "tiny", "reference_time": "2022-02-21T08:00"},
    )
