"""OpenStreetMap roads (``.osm``/``.osm.pbf`` through GDAL's OSM driver) as a roads layer of the contract:
highway tags to road classes, speeds and one-way flags. ``RoadGraph.from_osm`` reads through here."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from heatgis.errors import HeatGISError
from heatgis.model.vocab import OSM_HIGHWAY_CLASS
from heatgis.text import Text

#: OSM highway tags that imply a one-way road
OSM_IMPLIED_ONEWAY = {"motorway", "motorway_link"}

_TAG = re.compile(r'"((?:[^"\\]|\\.)*)"=>"((?:[^"\\]|\\.)*)"')


def parse_other_tags(text) -> dict:
    """GDAL's ``other_tags`` hstore text → dict."""
    if not isinstance(text, str) or not text:
        return {}
    return {k: v for k, v in _TAG.findall(text)}


def _osm_oneway(highway: str, tags: dict) -> int:
    ow = tags.get("oneway", "").strip().lower()
    if ow in ("yes", "1", "true"):
        return 1
    if ow in ("-1", "reverse"):
        return -1
    if ow in ("no", "0", "false"):
        return 0
    if highway in OSM_IMPLIED_ONEWAY or tags.get("junction") in ("roundabout", "circular"):
        return 1
    return 0


def _osm_speed(tags: dict) -> float:
    m = re.match(r"\s*(\d+(?:\.\d+)?)\s*(mph)?", tags.get("maxspeed", ""))
    if not m:
        return np.nan
    v = float(m.group(1))
    return v * 1.609344 if m.group(2) else v


def read_osm_roads(path, crs=None):
    """The driveable ways of an OSM file as a contract ``roads`` frame in a metric CRS.

    Parameters
    ----------
    path : path-like
        ``.osm`` or ``.osm.pbf``.
    crs : str, optional
        Target CRS (default: the UTM zone of the data).
    """
    import pyogrio

    path = Path(path)
    if not path.exists():
        raise HeatGISError(
            Text("the OSM file does not exist", "OSM 文件不存在"), Text("check the path", "检查路径"), file=path
        )
    try:
        raw = pyogrio.read_dataframe(path, layer="lines")
    except Exception as exc:
        raise HeatGISError(
            Text(
                "the file cannot be read as OpenStreetMap data ({exc})",
                "该文件无法作为 OpenStreetMap 数据读取（{exc}）",
                exc=str(exc),
            ),
            Text(
                "give an .osm (XML) or .osm.pbf file exported from OpenStreetMap",
                "给出从 OpenStreetMap 导出的 .osm（XML）或 .osm.pbf 文件",
            ),
            file=path,
        ) from exc
    if "highway" not in raw.columns:
        raise HeatGISError(
            Text("the file has no 'highway' ways", "该文件没有 'highway' 道路"),
            Text("export roads from OpenStreetMap", "从 OpenStreetMap 导出道路"),
            file=path,
            layer="lines",
        )
    hw = raw["highway"].astype(object).where(raw["highway"].notna(), "")
    drive = hw.isin(list(OSM_HIGHWAY_CLASS)).to_numpy()
    raw = raw.loc[drive].reset_index(drop=True)
    hw = hw[drive].reset_index(drop=True)
    if raw.empty:
        raise HeatGISError(
            Text(
                "the file holds no driveable roads (highway=primary, residential ...)",
                "该文件没有可通行车辆的道路（highway=primary、residential ……）",
            ),
            Text("export a larger area or one that includes streets", "导出更大的范围，或包含街道的范围"),
            file=path,
            layer="lines",
        )
    tags = (raw["other_tags"] if "other_tags" in raw.columns else pd.Series([None] * len(raw))).map(parse_other_tags)
    import geopandas as gpd

    frame = gpd.GeoDataFrame(
        {
            "road_id": "osm:" + raw["osm_id"].astype(str),
            "name": raw["name"] if "name" in raw.columns else None,
            "road_class": hw.map(OSM_HIGHWAY_CLASS),
            "speed_kmh": [_osm_speed(t) for t in tags],
            "oneway": [_osm_oneway(h, t) for h, t in zip(hw, tags)],
            "highway": hw,
        },
        geometry=raw.geometry.values,
        crs=raw.crs or "EPSG:4326",
    )
    if crs is None:
        crs = frame.estimate_utm_crs()
    return frame.to_crs(crs)
