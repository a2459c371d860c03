"""OpenStreetMap extracts (.osm, .osm.pbf through GDAL's OSM driver): which features and fields to take.

Roads: ways tagged ``highway`` that cars use, class from the tag, ``oneway`` from
``other_tags``; compounds: ``landuse=residential`` areas with a name.
"""

from __future__ import annotations

import re

import pandas as pd

from heatgis.errors import Problem
from heatgis.model.vocab import OSM_HIGHWAY_CLASS
from heatgis.text import Text

#: OSM highway tag -> road class (the vocabulary's one table)
CAR_HIGHWAYS = OSM_HIGHWAY_CLASS


def _tag(other_tags: pd.Series, key: str) -> pd.Series:
    pat = re.compile(r'"' + re.escape(key) + r'"=>"([^"]*)"')
    return other_tags.astype(object).map(lambda t: m.group(1) if isinstance(t, str) and (m := pat.search(t)) else None)


def prepare_osm(frame, layer: str, file=None):
    """Keep the OSM features meant for ``layer`` and add contract-named columns.

    Returns
    -------
    (frame, base mapping fields dict, notes)
    """
    notes: list[Problem] = []
    n = len(frame)
    fields: dict = {}
    if layer == "roads" and "highway" in frame.columns:
        keep = frame["highway"].isin(list(CAR_HIGHWAYS))
        frame = frame[keep].copy()
        tags = (
            frame["other_tags"] if "other_tags" in frame.columns else pd.Series([None] * len(frame), index=frame.index)
        )
        ow = _tag(tags, "oneway")
        frame["oneway"] = ow.map(lambda v: 1 if v in ("yes", "1", "-1", "true") else 0)
        ms = pd.to_numeric(
            _tag(tags, "maxspeed").map(lambda v: re.sub(r"[^\d.]", "", v) if isinstance(v, str) else None),
            errors="coerce",
        )
        speeds = {"ring": 60.0, "expressway": 80.0, "arterial": 50.0, "secondary": 40.0, "local": 30.0}
        frame["speed"] = ms.fillna(frame["highway"].map(CAR_HIGHWAYS).map(speeds))
        fields = {
            "road_id": {"source": "osm_id"},
            "road_class": {"source": "highway", "values": CAR_HIGHWAYS},
            "oneway": {"source": "oneway"},
            "name": {"source": "name"},
            "speed_kmh": {"source": "speed"},
        }
        notes.append(
            Problem(
                Text(
                    "speeds: maxspeed where tagged ({n} roads), else by class "
                    "(expressway 80, arterial 50, secondary 40, local 30 km/h)",
                    "车速：有 maxspeed 标签的按标签（{n} 条道路），其余按道路等级"
                    "（expressway 80、arterial 50、secondary 40、local 30 km/h）",
                    n=int(ms.notna().sum()),
                ),
                "",
                file,
                layer,
                field="speed_kmh",
                severity="info",
            )
        )
        notes.append(
            Problem(
                Text(
                    "OpenStreetMap: {k} of {n} lines are roads for cars (highway=...); "
                    "the rest (paths, rail, water, fences) skipped",
                    "OpenStreetMap：{n} 条线中 {k} 条是机动车道路（highway=...）；其余（小路、铁路、水系、围栏）已跳过",
                    k=int(keep.sum()),
                    n=n,
                ),
                "",
                file,
                layer,
                severity="info",
            )
        )
    elif layer == "compounds" and "landuse" in frame.columns:
        keep = (frame["landuse"] == "residential") & frame["name"].notna()
        frame = frame[keep].copy()
        frame["compound_id"] = frame["osm_way_id"].fillna(frame["osm_id"]).astype(str)
        fields = {"compound_id": {"source": "compound_id"}, "name": {"source": "name"}}
        notes.append(
            Problem(
                Text(
                    "OpenStreetMap: {k} named residential areas (landuse=residential) of {n} areas taken as compounds",
                    "OpenStreetMap：{n} 个面中的 {k} 个有名称的居住区（landuse=residential）作为小区",
                    k=int(keep.sum()),
                    n=n,
                ),
                "",
                file,
                layer,
                severity="info",
            )
        )
    return frame.reset_index(drop=True), fields, notes
