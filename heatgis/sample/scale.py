"""The demo city tiled k times side by side: the "10x city" for benchmarks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from heatgis.model.project import Project
from heatgis.model.schema import LAYERS

#: per layer, the id and reference columns that get the "-t{i}" suffix in copy i > 0
ID_COLUMNS = {
    "districts": ("adcode",),
    "compounds": ("compound_id", "served_by"),
    "roads": ("road_id",),
    "pipes": ("pipe_id", "network_id", "from_id", "to_id"),
    "lockdown_zones": ("zone_id",),
    "heat_sources": ("source_id", "network_id"),
    "stations": ("station_id", "network_id", "compound_id", "depot_id"),
    "boiler_rooms": ("asset_id", "compound_id", "depot_id"),
    "depots": ("depot_id",),
    "staff": ("staff_id", "depot_id", "assigned_site"),
    "crews": ("crew_id", "depot_id"),
    "metered": ("station_id",),
}
#: layers kept once, not tiled: county outlines far wider than the city, the one weather series
SINGLE_LAYERS = ("districts", "weather")
GAP = 5000.0  # metres between copies


#: the city itself: the county outlines and the 70 km long-distance line would space the copies far apart
CITY_LAYERS = ("roads", "compounds", "stations", "boiler_rooms")


def _extent(project: Project):
    frames = [project.layers[n] for n in CITY_LAYERS if n in project.layers and len(project.layers[n])]
    frames = frames or [f for f in project.layers.values() if hasattr(f, "total_bounds") and len(f)]
    boxes = [np.asarray(f.total_bounds) for f in frames]
    b = np.vstack(boxes)
    return b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max()


def _suffixed(col: pd.Series, suffix: str) -> pd.Series:
    out = col.copy()
    mask = col.notna().to_numpy()
    out[mask] = col[mask].astype(str) + suffix
    return out


def tile_project(project: Project, k: int = 10) -> Project:
    """``k`` copies of the project's layers side by side (east of each other).

    Copy ``i`` is translated by ``i * (extent width + 5 km)``; for ``i > 0`` every id and
    every reference to an id (compound_id, depot_id, served_by, from_id, to_id,
    network_id, assigned_site ...) gets the suffix ``-t{i}``, so the copies stay
    internally consistent. Zones (and their times) are copied too. The districts
    layer (county outlines far wider than the city) is kept once.

    Parameters
    ----------
    project : Project
    k : int
        Number of copies (1 returns a copy of the project).

    Returns
    -------
    Project
        A new in-memory project; the input is not modified.
    """
    import geopandas as gpd

    if k < 1:
        raise ValueError("k must be at least 1")
    x0, _, x1, _ = _extent(project)
    dx = (x1 - x0) + GAP
    layers = {}
    for name, frame in project.layers.items():
        id_cols = ID_COLUMNS.get(name)
        if id_cols is None and name in LAYERS and LAYERS[name].id_field:
            id_cols = (str(LAYERS[name].id_field),)
        cols = [c for c in (id_cols or ()) if c in frame.columns]
        spatial = isinstance(frame, gpd.GeoDataFrame)
        geoms = np.asarray(frame.geometry.values) if spatial else None
        parts = []
        # the county outlines are ~150 km across, far wider than a copy of the city: keep them once
        copies = 1 if name in SINGLE_LAYERS else k
        for i in range(copies):
            part = frame.copy()
            if i:
                for c in cols:
                    part[c] = _suffixed(frame[c], f"-t{i}")
                if spatial:
                    moved = shapely.transform(geoms, lambda xy, s=i * dx: xy + np.array([s, 0.0]))
                    part = part.set_geometry(gpd.GeoSeries(moved, index=frame.index, crs=frame.crs))
            parts.append(part)
        out = pd.concat(parts, ignore_index=True)
        if spatial:
            out = gpd.GeoDataFrame(out, geometry=frame.geometry.name, crs=frame.crs)
        layers[name] = out
    meta = dict(project.meta)
    meta["name"] = f"{project.meta.get('name', '')} ×{k}".strip()
    meta["tiles"] = str(k)
    return Project(layers, meta)
