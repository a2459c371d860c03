"""Write the input files the README's examples use into ``data/examples/`` (run once; committed).

    python scripts/make_examples.py

- ``stations.xlsx``: 5 new heat-exchange stations as a planner gets them from a partner: Chinese
  headers, area in 万㎡, Amap (GCJ-02) longitude/latitude;
- ``new_zones.geojson``: two zones drawn elsewhere (WGS84), levels written 封控区 / 管控区;
- ``notice.txt``: a lockdown notice naming compounds of the demo city;
- ``forecast.csv``: an hourly forecast (时间, 气温) for the 72 h from the reference time, a cold snap
  down to -26 °C in the second night.

All are made from the demo project (deterministic): compounds without a station and without a zone.
The contents are deterministic; the XLSX file's bytes are not (openpyxl writes the time it was made).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from heatgis.io.chinacrs import wgs84_to_gcj02
from heatgis.model.store import open_project
from heatgis.paths import DEMO_PATH

OUT = Path(__file__).resolve().parents[1] / "data" / "examples"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    p = open_project(DEMO_PATH)
    comp, st, zones = p.layer("compounds"), p.layer("stations"), p.layer("lockdown_zones")
    zone_union = shapely.union_all(np.asarray(zones.geometry.values))
    free = comp[
        ~comp["compound_id"].isin(st["compound_id"])
        & comp["district"].eq("新城区")
        & ~comp.geometry.intersects(zone_union)
    ].sort_values("compound_id")
    # stations: 5 compounds with no station, in Xincheng district
    pick = free.head(5)
    pts = gpd.GeoSeries(pick.geometry.representative_point().values, crs=p.crs).to_crs("EPSG:4326")
    lon, lat = wgs84_to_gcj02(pts.x.to_numpy(), pts.y.to_numpy())
    near = st.iloc[[int(np.argmin(st.geometry.distance(g))) for g in pick.geometry.centroid]]
    pd.DataFrame(
        {
            "换热站编号": [f"ST-09{i:02d}" for i in range(1, 6)],
            "站名": [f"{n}换热站" for n in pick["name"]],
            "供热面积（万㎡）": [6.5, 4.2, 8.0, 5.5, 3.1],
            "户数": [620, 400, 760, 510, 300],
            "所属管网": near["network_id"].to_numpy(),
            "运营所": near["depot_id"].to_numpy(),
            "lng": np.round(lon, 6),
            "lat": np.round(lat, 6),
        }
    ).to_excel(OUT / "stations.xlsx", index=False, sheet_name="换热站")
    # zones drawn by the district office: two compounds' outlines grown by 30 m, in WGS84
    two = free.iloc[10:12]
    z = gpd.GeoDataFrame(
        {
            "zone_id": ["XC-1", "XC-2"],
            "name": [f"{n}片区" for n in two["name"]],
            "level": ["封控区", "管控区"],
            "start": ["2022-02-24T00:00", "2022-02-24T00:00"],
            "end": ["2022-03-03T00:00", None],
        },
        geometry=two.geometry.buffer(30).values,
        crs=p.crs,
    ).to_crs("EPSG:4326")
    (OUT / "new_zones.geojson").unlink(missing_ok=True)
    z.to_file(OUT / "new_zones.geojson", driver="GeoJSON")
    # the notice: four compounds under 封控区, two under 管控区
    names = list(free["name"].iloc[20:26])
    text = (
        "呼和浩特市新冠肺炎疫情防控指挥部通告（第9号）\n"
        "自2022年2月26日0时起，将以下区域划定为封控区：\n"
        f"新城区：{'、'.join(names[:4])}。\n"
        "将以下区域划定为管控区：\n"
        f"新城区：{'、'.join(names[4:])}。\n"
        "特此通告。\n呼和浩特市新冠肺炎疫情防控指挥部\n2022年2月26日\n"
    )
    (OUT / "notice.txt").write_text(text, encoding="utf-8")
    # the forecast: a daily swing around a mean that falls to a cold snap in the second night
    t = pd.date_range("2022-02-25T08:00", periods=72, freq="h")
    h = np.arange(72)
    temp = -12.0 - 6.0 * np.exp(-(((h - 42) / 14.0) ** 2)) - 5.0 * np.cos(2 * np.pi * (h + 8 - 15) / 24)
    temp[h == 46] = -26.0
    pd.DataFrame({"时间": t.strftime("%Y-%m-%d %H:%M"), "气温": np.round(temp, 1)}).to_csv(
        OUT / "forecast.csv", index=False, encoding="utf-8"
    )
    print(f"wrote {OUT}: stations.xlsx, new_zones.geojson, notice.txt, forecast.csv")


if __name__ == "__main__":
    main()
