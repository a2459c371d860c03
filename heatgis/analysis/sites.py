"""Flat, indexed views of a project's point layers for fast spatial queries.

A ``SiteIndex`` holds the stations and boiler rooms of a project as one table
(kind, id, name, heated area, households, network, depot, district) with a
shapely STRtree over their points; ``PointIndex`` does the same for any point
layer (staff homes, heat sources, compound representative points).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from heatgis.model.schema import SITE_LAYERS, feature_ids


@dataclass
class PointIndex:
    """Points of one layer with a tree; ``frame`` keeps the attributes (no geometry)."""

    frame: pd.DataFrame
    geoms: np.ndarray
    tree: shapely.STRtree

    @classmethod
    def from_frame(cls, frame, columns=None, geoms=None) -> PointIndex:
        if geoms is None:
            geoms = np.asarray(frame.geometry.values) if len(frame) else np.array([], dtype=object)
        attrs = pd.DataFrame(frame.drop(columns="geometry", errors="ignore"))
        if columns is not None:
            attrs = attrs[[c for c in columns if c in attrs.columns]]
        return cls(attrs.reset_index(drop=True), geoms, shapely.STRtree(geoms))

    def __len__(self) -> int:
        return len(self.frame)

    def query(self, zone_geoms) -> tuple[np.ndarray, np.ndarray]:
        """(zone index, point index) pairs where the point lies in or on the zone."""
        if len(zone_geoms) == 0 or len(self) == 0:
            return np.empty(0, np.intp), np.empty(0, np.intp)
        pairs = self.tree.query(zone_geoms, predicate="intersects")
        return pairs[0], pairs[1]

    def query_one(self, geom) -> np.ndarray:
        if geom is None or len(self) == 0 or shapely.is_empty(geom):
            return np.empty(0, np.intp)
        return np.sort(self.tree.query(geom, predicate="intersects"))


def site_frame(project) -> tuple[pd.DataFrame, np.ndarray]:
    """Stations and boiler rooms as one table plus their point geometries.

    Columns: kind, id, name, heated_area_m2, households, network_id, depot_id,
    compound_id, district.
    """
    parts, geoms = [], []
    for layer, _idf in SITE_LAYERS.items():
        if not project.has(layer):
            continue
        f = project.layer(layer)
        kind = "station" if layer == "stations" else "boiler_room"
        df = pd.DataFrame(
            {
                "kind": kind,
                "id": feature_ids(f, layer),
                "name": _col(f, "name", ""),
                "heated_area_m2": pd.to_numeric(_col(f, "heated_area_m2", 0.0), errors="coerce"),
                "households": pd.to_numeric(_col(f, "households", 0), errors="coerce"),
                "network_id": _col(f, "network_id", "") if kind == "station" else "boiler_rooms",
                "depot_id": _col(f, "depot_id", ""),
                "compound_id": _col(f, "compound_id", ""),
            }
        )
        parts.append(df)
        geoms.append(np.asarray(f.geometry.values))
    if not parts:
        cols = ["kind", "id", "name", "heated_area_m2", "households", "network_id", "depot_id", "compound_id"]
        return pd.DataFrame(columns=cols).assign(district=""), np.array([], dtype=object)
    sites = pd.concat(parts, ignore_index=True)
    sites["heated_area_m2"] = sites["heated_area_m2"].fillna(0.0).astype(float)
    sites["households"] = sites["households"].fillna(0).astype("int64")
    g = np.concatenate(geoms)
    sites["district"] = districts_of(project, g)
    return sites, g


def districts_of(project, geoms: np.ndarray) -> np.ndarray:
    """The district name each point lies in ('' where none or no districts layer)."""
    out = np.full(len(geoms), "", dtype=object)
    if not project.has("districts") or len(geoms) == 0:
        return out
    d = project.layer("districts")
    # the tree over the points, queried with the outlines: shapely prepares the (few, large) query polygons
    di, pt = shapely.STRtree(geoms).query(np.asarray(d.geometry.values), predicate="intersects")
    order = np.lexsort((di, pt))
    di, pt = di[order], pt[order]
    names = d["name"].astype(str).to_numpy()
    # first district wins where outlines overlap at a shared border
    first = np.unique(pt, return_index=True)
    out[first[0]] = names[di[first[1]]]
    return out


def _col(frame, name, default):
    if name in frame.columns:
        return frame[name].to_numpy()
    return np.full(len(frame), default, dtype=object)
