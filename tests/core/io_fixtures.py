"""Files the import tests write themselves (in tmp_path)."""

from __future__ import annotations

import os
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from heatgis.io.chinacrs import wgs84_to_gcj02

STATION_NAMES = ["青城花园换热站", "电力小区换热站", "锦绣家园换热站", "民族苑换热站", "如意河小区二期换热站"]
LON = np.array([111.652, 111.688, 111.705, 111.731, 111.760])
LAT = np.array([40.812, 40.826, 40.799, 40.843, 40.818])


def english_sentences(text: str) -> list[str]:
    """Runs of three or more English words in ``text`` (a message said in Chinese keeps file names,
    field names, codes and options such as ``--from-crs gcj02``, never an English sentence)."""
    return re.findall(r"[A-Za-z]+(?: [A-Za-z]+){2,}", text)


def stations_frame(crs="EPSG:4546"):
    f = gpd.GeoDataFrame(
        {
            "编号": [f"S{i}" for i in range(1, 6)],
            "站名": STATION_NAMES,
            "供热面积": [12.5, 3.2, 8.0, 5.5, 20.1],
            "户数": [1000, 300, 720, 480, 1800],
            "管网": ["N1"] * 5,
            "运营所": ["D1", "D1", "D2", "D2", "D3"],
            "地址": ["新城区海拉尔大街1号", "", "赛罕区大学东街", "回民区", "赛罕区如意河"],
        },
        geometry=shapely.points(LON, LAT),
        crs="EPSG:4326",
    )
    return f.to_crs(crs)


def gbk_shapefile(folder):
    """A station Shapefile with a GBK DBF and no .cpg, as GIS departments hand them out."""
    path = folder / "换热站.shp"
    pyogrio.write_dataframe(stations_frame(), path, encoding="GBK")
    for ext in (".cpg", ".CPG"):
        if path.with_suffix(ext).exists():
            os.remove(path.with_suffix(ext))
    return path


def gcj_csv(folder, encoding="utf-8"):
    """Stations with coordinates copied from Amap (GCJ-02)."""
    glon, glat = wgs84_to_gcj02(LON, LAT)
    df = pd.DataFrame(
        {
            "站号": [f"S{i}" for i in range(1, 6)],
            "换热站名称": STATION_NAMES,
            "供热面积(万㎡)": [12.5, 3.2, 8.0, 5.5, 20.1],
            "户数": [1000, 300, 720, 480, 1800],
            "所属管网": "N1",
            "运营所": "D1",
            "经度": [f"{v:.9f}" for v in glon],
            "纬度": [f"{v:.9f}" for v in glat],
        }
    )
    path = folder / "stations_amap.csv"
    df.to_csv(path, index=False, encoding=encoding)
    return path


def wan_xlsx(folder):
    """An XLSX of stations with 供热面积 in 万㎡ and WGS84 lng/lat."""
    df = pd.DataFrame(
        {
            "换热站编号": [f"S{i}" for i in range(1, 6)],
            "站名": STATION_NAMES,
            "供热面积（万㎡）": [12.5, 3.2, 8.0, 5.5, 20.1],
            "户数": [1000, 300, 720, 480, 1800],
            "设计负荷(MW)": [5.6, 1.4, 3.6, 2.5, 9.0],
            "管网": "N2",
            "运营所": "D2",
            "lng(WGS84)": LON,
            "lat(WGS84)": LAT,
        }
    )
    path = folder / "stations.xlsx"
    df.to_excel(path, index=False, sheet_name="换热站")
    return path


def kml_file(folder):
    f = stations_frame("EPSG:4326")[["站名", "geometry"]].rename(columns={"站名": "Name"})
    path = folder / "phone.kml"
    pyogrio.write_dataframe(f, path, driver="KML")
    return path


def dxf_file(folder):
    """A CAD drawing of compound outlines in CGCS2000 3-degree coordinates with the zone prefix 37."""
    x0, y0 = 37_452_000.0, 4_519_000.0
    lines = []
    for k in range(3):
        x = x0 + 200 * k
        pts = [(x, y0), (x + 150, y0), (x + 150, y0 + 120), (x, y0 + 120), (x, y0)]
        lines.append(shapely.LineString(pts))
    f = gpd.GeoDataFrame({"Layer": ["小区"] * 3}, geometry=lines, crs=None)
    path = folder / "compounds.dxf"
    pyogrio.write_dataframe(f, path, driver="DXF")
    return path
