"""The coordinate-system step of an import: what the coordinates are in and how they reach the project's CRS.

The CRS is the one the planner gave (``--from-crs``: an EPSG code or ``gcj02``/``bd09``,
read by ``parse_from_crs``), else what the file declares, what the coordinate headers
name (高德/百度/WGS84), what the project tells for lon/lat in China, or a confident
guess; GCJ-02/BD-09 lon/lat are shifted back to WGS84, then everything is reprojected.
Used by :func:`heatgis.io.importer.import_layer`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from heatgis.errors import HeatGISError, Problem
from heatgis.io.crsguess import guess_crs
from heatgis.io.messages import FROM_CRS_IF_WRONG
from heatgis.io.offsets import check_declared, choose_offset, lonlat_in_china
from heatgis.io.readers import SourceData
from heatgis.io.tables import header_crs_hint
from heatgis.text import Text, join

OFFSET_CRS = {"gcj02": "GCJ-02", "bd09": "BD-09"}
_ALIASES = {
    "gcj02": "gcj02",
    "gcj-02": "gcj02",
    "gcj": "gcj02",
    "amap": "gcj02",
    "高德": "gcj02",
    "tencent": "gcj02",
    "腾讯": "gcj02",
    "火星": "gcj02",
    "bd09": "bd09",
    "bd-09": "bd09",
    "baidu": "bd09",
    "百度": "bd09",
    "bd09ll": "bd09",
    "wgs84": "EPSG:4326",
    "wgs-84": "EPSG:4326",
    "cgcs2000": "EPSG:4490",
}
#: how sure a CRS guess is (``CRSGuess.confidence``)
CONFIDENCE = {
    "high": Text("high", "高"),
    "medium": Text("medium", "中"),
    "low": Text("low", "低"),
    "none": Text("none", "无"),
}


def parse_from_crs(text: str | None) -> str | None:
    """'gcj02', 'bd09' or a CRS string (EPSG:xxxx, WKT, proj) from what a planner typed."""
    if text is None or str(text).strip() == "":
        return None
    key = str(text).strip().lower()
    if key in _ALIASES:
        return _ALIASES[key]
    from pyproj import CRS

    try:
        CRS.from_user_input(str(text).strip())
    except Exception:
        raise HeatGISError(
            Text("'{text}' is not a coordinate system I know", "'{text}' 不是可识别的坐标系", text=text),
            Text(
                "use gcj02 (Amap/Tencent), bd09 (Baidu), wgs84, or an EPSG code such as EPSG:4546 or EPSG:4525",
                "请使用 gcj02（高德/腾讯）、bd09（百度）、wgs84，或 EPSG 代码，如 EPSG:4546 或 EPSG:4525",
            ),
        ) from None
    return str(text).strip()


def _source_crs(project, layer, src, frame, from_crs, path):
    """The CRS (or ``gcj02``/``bd09``) the coordinates are in when the planner did not say:
    from the coordinate headers, or, for lon/lat in China, what the project tells; (from_crs, notes)."""
    notes: list[Problem] = []
    if from_crs is None and src.coords is not None:
        hint = header_crs_hint(src.frame.columns)
        if hint:
            from_crs = hint
            named = OFFSET_CRS.get(hint, "WGS84")
            offset = hint in OFFSET_CRS
            notes.append(
                Problem(
                    Text(
                        "the coordinate headers name {named} ({columns}); {how}",
                        "坐标列的列名表明是 {named}（{columns}）；{how}",
                        named=named,
                        columns=join(map(str, src.coords)),
                        how=Text("converted from it", "已由它转换") if offset else Text("taken as it", "已按它读取"),
                    ),
                    Text("give --from-crs wgs84 if they are not", "如果不是，请给出 --from-crs wgs84")
                    if offset
                    else Text(
                        "give --from-crs gcj02 or bd09 if they are not", "如果不是，请给出 --from-crs gcj02 或 bd09"
                    ),
                    str(path),
                    severity="warning",
                )
            )
    if from_crs is None and frame.crs is None and lonlat_in_china(frame):
        # WGS84, GCJ-02 or BD-09: the numbers cannot tell, the project can (or the planner must)
        from_crs, more = choose_offset(frame, layer, project, path)
        notes += more
    elif from_crs is None and frame.crs is not None and frame.crs.is_geographic and lonlat_in_china(frame):
        notes += check_declared(frame, layer, project, path)  # Amap exports often say WGS84
    return from_crs, notes


def _to_project_crs(frame, src: SourceData, from_crs, target, path):
    """(frame in target CRS, conversions, source CRS text, notes)."""
    from pyproj import CRS

    converted: list[str] = []
    offset = from_crs if from_crs in OFFSET_CRS else None
    if offset:
        frame = _from_offset(frame, offset, path)
        converted.append(f"{OFFSET_CRS[offset]} → WGS84")
        source_crs, notes = OFFSET_CRS[offset], []
    else:
        frame, notes = _with_crs(frame, from_crs, target, path)
        source_crs = frame.crs.to_string()
    if not frame.crs.equals(CRS.from_user_input(target)):
        before = frame.crs.to_string()
        frame = frame.to_crs(target)
        converted.append(f"{before} → {target}")
    return frame, converted, source_crs, notes


def _with_crs(frame, chosen, target, path):
    """The frame with its CRS: the one chosen (over the declared one), the declared one, or a
    confident guess; (frame, notes)."""
    import shapely
    from pyproj import CRS

    notes: list[Problem] = []
    declared = frame.crs
    if chosen is not None:
        if declared is not None and not declared.equals(CRS.from_user_input(chosen)):
            notes.append(
                Problem(
                    Text(
                        "the file says {declared}; taken as {chosen} as you chose",
                        "文件注明的坐标系是 {declared}；已按您的选择采用 {chosen}",
                        declared=declared.to_string(),
                        chosen=chosen,
                    ),
                    "",
                    str(path),
                    severity="warning",
                )
            )
        frame = frame.set_crs(chosen, allow_override=True)
    elif declared is None:
        coords = shapely.get_coordinates(np.asarray(frame.geometry.values))
        g = guess_crs(coords[:, 0], coords[:, 1], project_crs=target)
        if g.crs is None or g.confidence in ("low", "none"):
            alt = (
                Text(" (it could be {alts})", "（也可能是 {alts}）", alts=join(g.alternatives))
                if g.alternatives
                else ""
            )
            raise HeatGISError(
                Text(
                    "the file has no coordinate system and I cannot tell it for sure: {reason}{alt}",
                    "文件没有坐标系，也无法确定是哪一个：{reason}{alt}",
                    reason=g.reason,
                    alt=alt,
                ),
                Text(
                    "give it with --from-crs EPSG:xxxx (or choose it in the import dialog)",
                    "请用 --from-crs EPSG:xxxx 指定（或在导入对话框中选择）",
                ),
                file=path,
            )
        frame = frame.set_crs(g.crs)
        notes.append(
            Problem(
                Text(
                    "the file has no coordinate system; guessed {crs} ({confidence} confidence): {reason}",
                    "文件没有坐标系；推测为 {crs}（可信度{confidence}）：{reason}",
                    crs=g.crs,
                    confidence=CONFIDENCE.get(g.confidence, g.confidence),
                    reason=g.reason,
                ),
                FROM_CRS_IF_WRONG,
                str(path),
                severity="warning",
            )
        )
    elif any(w in Path(path).name.lower() for w in ("amap", "gcj", "gaode", "baidu", "bd09")):
        notes.append(
            Problem(
                Text(
                    "the file name suggests offset coordinates (GCJ-02/BD-09) although the file says {declared}",
                    "文件名表明是偏移坐标（GCJ-02/BD-09），但文件注明的是 {declared}",
                    declared=declared.to_string(),
                ),
                Text("give --from-crs gcj02 (or bd09) to convert them", "请给出 --from-crs gcj02（或 bd09）进行转换"),
                str(path),
                severity="warning",
            )
        )
    return frame, notes


def _from_offset(frame, offset: str, path):
    """GCJ-02 / BD-09 longitudes and latitudes shifted back to WGS84 (EPSG:4326)."""
    import geopandas as gpd
    import shapely

    from heatgis.io import chinacrs

    if frame.crs is not None and not frame.crs.is_geographic:
        raise HeatGISError(
            Text(
                "{offset} applies to longitudes/latitudes, but the file is in {crs} (metres)",
                "{offset} 只适用于经纬度，但文件的坐标系是 {crs}（单位为米）",
                offset=OFFSET_CRS[offset],
                crs=frame.crs.to_string(),
            ),
            Text("drop --from-crs, or give the file's real CRS", "请去掉 --from-crs，或给出文件实际的坐标系"),
            file=path,
        )
    coords = shapely.get_coordinates(np.asarray(frame.geometry.values))
    if len(coords) and not (np.all(np.abs(coords[:, 0]) <= 180) and np.all(np.abs(coords[:, 1]) <= 90)):
        raise HeatGISError(
            Text(
                "{offset} applies to longitudes/latitudes, but the coordinates are not degrees",
                "{offset} 只适用于经纬度，但坐标不是以度为单位",
                offset=OFFSET_CRS[offset],
            ),
            Text(
                "drop --from-crs gcj02/bd09, or check the coordinate columns",
                "请去掉 --from-crs gcj02/bd09，或检查坐标列",
            ),
            file=path,
        )
    fn = chinacrs.gcj02_to_wgs84 if offset == "gcj02" else chinacrs.bd09_to_wgs84

    def shift(xy):
        lon, lat = fn(xy[:, 0], xy[:, 1])
        return np.column_stack([lon, lat])

    geoms = shapely.transform(np.asarray(frame.geometry.values), shift)
    return gpd.GeoDataFrame(
        frame.drop(columns=frame.geometry.name),
        geometry=gpd.array.from_shapely(geoms, crs="EPSG:4326"),
        crs="EPSG:4326",
    )
