"""A hand-built grid city for the routing tests (imported by the routing, CLI and GUI tests).

Layout (metres from X0, Y0 in EPSG:4546): a two-way street grid, 200 m blocks, 0..2000 m,
local streets at 36 km/h (20 s a block). Row y=1000 is an arterial at 72 km/h.

    Z1 sealed      box(500, 500, 1100, 1300)   covers the streets x=600..1000, y=600..1200
    Z2 precaution  box(1500, 0, 2000, 400)     slows traffic
    Z3 sealed      box(100, 1500, 300, 1700)   ends before the reference time (inactive)

    depots: D1 (0, 1000), D2 (2000, 1000)
    sites: S1 (800, 810) in Z1; S2 (1400, 1000); S3 (200, 200); S4 (1810, 1600); B1 boiler room
    (600, 1190) in Z1; S5 (5000, 5000) on an unconnected road (unreachable); S6 (0, 50100) at the
    end of a 49 km local road (too far for a shift).
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

from heatgis.model.project import Project
from heatgis.model.schema import conform

X0, Y0 = 500000.0, 4520000.0
CRS = "EPSG:4546"
REF = "2022-02-25T08:00"


def P(x, y):
    return shapely.Point(X0 + x, Y0 + y)


def L(*pts):
    return shapely.LineString([(X0 + x, Y0 + y) for x, y in pts])


def B(x0, y0, x1, y1):
    return shapely.box(X0 + x0, Y0 + y0, X0 + x1, Y0 + y1)


def gdf(layer, rows, geoms):
    return conform(layer, gpd.GeoDataFrame(pd.DataFrame(rows), geometry=geoms, crs=CRS))


def grid_roads(n=11, step=200.0):
    rows, geoms = [], []
    k = 0
    for i in range(n):
        for j in range(n - 1):
            for horiz in (True, False):
                a = (j * step, i * step) if horiz else (i * step, j * step)
                b = ((j + 1) * step, i * step) if horiz else (i * step, (j + 1) * step)
                arterial = horiz and i * step == 1000
                k += 1
                rows.append(
                    dict(
                        road_id=f"R{k}",
                        name="大街" if arterial else f"路{k}",
                        road_class="arterial" if arterial else "local",
                        speed_kmh=72.0 if arterial else 36.0,
                        oneway=0,
                    )
                )
                geoms.append(L(a, b))
    return rows, geoms


def grid_city(extra_roads=True, crews=None) -> Project:
    rows, geoms = grid_roads()
    if extra_roads:
        rows += [
            dict(road_id="ISLAND", name="孤路", road_class="local", speed_kmh=36.0, oneway=0),
            dict(road_id="FAR", name="远路", road_class="local", speed_kmh=20.0, oneway=0),
        ]
        geoms += [L((4900, 5000), (5100, 5000)), L((0, 2000), (0, 50100))]
    roads = gdf("roads", rows, geoms)
    stations = gdf(
        "stations",
        [
            dict(
                station_id=s,
                name=f"站{s}",
                network_id="N1",
                heated_area_m2=1000,
                households=10,
                design_load_kw=45,
                compound_id=None,
                depot_id="D1",
                address=f"{s}路1号",
            )
            for s in ("S1", "S2", "S3", "S4", "S5", "S6")
        ],
        [P(800, 810), P(1400, 1000), P(200, 200), P(1810, 1600), P(5000, 5010), P(0, 50100)],
    )
    boiler = gdf(
        "boiler_rooms",
        [
            dict(
                asset_id="B1",
                name="锅炉房B1",
                fuel="gas",
                capacity_mw=5,
                heated_area_m2=500,
                households=5,
                compound_id=None,
                depot_id="D1",
            )
        ],
        [P(600, 1190)],
    )
    zones = gdf(
        "lockdown_zones",
        [
            dict(zone_id="Z1", name="一号封控区", level="sealed", start="2022-02-20T00:00", end=None),
            dict(zone_id="Z2", name="二号防范区", level="precaution", start="2022-02-20T00:00", end=None),
            dict(zone_id="Z3", name="三号封控区", level="sealed", start="2022-02-10T00:00", end="2022-02-15T00:00"),
        ],
        [B(500, 500, 1100, 1300), B(1500, 0, 2000, 400), B(100, 1500, 300, 1700)],
    )
    depots = gdf(
        "depots",
        [dict(depot_id="D1", name="西所", district="新城区"), dict(depot_id="D2", name="东所", district="新城区")],
        [P(0, 1000), P(2000, 1000)],
    )
    crews = pd.DataFrame(
        crews
        or [
            dict(
                crew_id="C1",
                name="一队",
                depot_id="D1",
                members=16,
                shift_start="08:00",
                shift_end="20:00",
                skills="operator",
            ),
            dict(
                crew_id="C2",
                name="二队",
                depot_id="D2",
                members=16,
                shift_start="08:00",
                shift_end="20:00",
                skills="operator",
            ),
            dict(
                crew_id="C3",
                name="三队",
                depot_id="D1",
                members=16,
                shift_start="20:00",
                shift_end="08:00",
                skills="operator",
            ),
        ]
    )
    return Project(
        {
            "roads": roads,
            "stations": stations,
            "boiler_rooms": boiler,
            "lockdown_zones": zones,
            "depots": depots,
            "crews": conform("crews", crews),
        },
        {"name": "grid", "reference_time": REF, "crs": CRS},
    )
