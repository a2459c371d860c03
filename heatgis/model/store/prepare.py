"""Layer preparation shared by the stores: conform a frame to the layer contract.

Types are conformed, a layer in another CRS is reprojected to the project's, invalid
polygons are made valid; each repair is a warning :class:`~heatgis.errors.Problem`. Used when
a GeoPackage (:mod:`heatgis.model.store.gpkg`) or a database schema
(:mod:`heatgis.model.store.postgis`) is read, and for a zone file (:mod:`heatgis.io.zonefile`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from heatgis.errors import Problem
from heatgis.model.schema import conform, spec
from heatgis.text import Text


def prepare_layer(name: str, frame, crs: str, file: str):
    """Conform types, reproject and repair geometry; return (frame, notes)."""
    frame, notes, _moved = prepare_frame(name, frame, crs, file)
    return frame, notes


def prepare_frame(name: str, frame, crs: str, file: str):
    """:func:`prepare_layer`, and whether any geometry changed (reprojected or repaired)."""
    import geopandas as gpd
    import shapely

    notes: list[Problem] = []
    s = spec(name)
    if s.geometry is None:
        frame = pd.DataFrame(frame.drop(columns="geometry", errors="ignore"))
        return conform(name, frame), notes, False
    moved = False
    if frame.crs is None:
        frame = frame.set_crs(crs)
        notes.append(
            Problem(
                Text(
                    "the layer has no CRS; taken as the project's {crs}",
                    "图层没有坐标系，按项目的 {crs} 处理",
                    crs=crs,
                ),
                Text(
                    "set the layer's CRS in the source and re-import if that is wrong",
                    "如果不对，请在源文件中设置图层的坐标系后重新导入",
                ),
                file,
                name,
                severity="warning",
            )
        )
    elif not frame.crs.equals(crs):
        src = frame.crs.to_string()
        frame = frame.to_crs(crs)
        moved = True
        notes.append(
            Problem(
                Text(
                    "the layer was in {src}; reprojected to {crs}",
                    "图层原为 {src}，已转换为 {crs}",
                    src=src,
                    crs=crs,
                ),
                Text("save the project to store it in the project CRS", "保存项目即按项目坐标系存储"),
                file,
                name,
                severity="warning",
            )
        )
    if s.geometry == "Polygon":
        geoms = np.asarray(frame.geometry.values)
        bad = ~shapely.is_valid(geoms) & ~shapely.is_missing(geoms)
        if bad.any():
            ids = frame[s.id_field].astype(str).tolist() if s.id_field in frame.columns else None
            fixed = geoms.copy()
            fixed[bad] = [_polygonal(shapely.make_valid(g)) for g in geoms[bad]]
            for i in np.flatnonzero(bad):
                notes.append(
                    Problem(
                        Text(
                            "invalid polygon ({why}) repaired",
                            "无效的多边形（{why}）已修复",
                            why=shapely.is_valid_reason(geoms[i]),
                        ),
                        Text("check its outline; save to keep the repair", "请检查其边界；保存即保留修复结果"),
                        file,
                        name,
                        ids[i] if ids else f"#{i + 1}",
                        "geometry",
                        "warning",
                    )
                )
            frame = frame.copy()
            frame.geometry = gpd.GeoSeries(fixed, index=frame.index, crs=frame.crs)
            moved = True
    return conform(name, frame), notes, moved


def _polygonal(geom):
    import shapely

    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


__all__ = ["prepare_frame", "prepare_layer"]
