"""Building the road graph from a contract ``roads`` layer (``RoadGraph.from_roads``).

How the graph is built
----------------------
* Every vertex of every line is snapped: vertices closer than ``snap_m``
  (default 0.5 m) become one node: vertices are first merged per ``snap_m``
  grid cell, then cells whose points are within ``snap_m`` are joined (pairs
  from neighbouring cells + connected components), so snapping does not depend
  on where the grid lines fall.
* A vertex becomes a graph node when it ends a line or is shared by two lines
  (or twice by one line); lines are split at their nodes into edges. Roads
  that cross without a shared vertex (bridges, tunnels) stay unconnected.
* ``oneway``: 1 = only in the digitised direction, -1 = only against it
  (OSM ``oneway=-1``), 0 = both ways. Each direction is one *arc*.
* Travel time (s) = length (m) / speed; speed is the row's ``speed_kmh`` when
  it is a positive number, else the class default (``CLASS_SPEED_KMH``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import shapely
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from heatgis.errors import HeatGISError, Problem
from heatgis.text import Text

if TYPE_CHECKING:
    from heatgis.routing.roads import RoadGraph

#: default travel speed per road class (km/h) when a row has no usable speed
CLASS_SPEED_KMH = {"ring": 60.0, "expressway": 70.0, "arterial": 45.0, "secondary": 35.0, "local": 20.0}


def graph_from_roads(cls, roads, snap_m: float, file, layer: str) -> RoadGraph:
    """``cls.from_roads``: check the rows (oneway, speeds, a metric CRS) and build the graph."""
    if roads is None or len(roads) == 0:
        raise HeatGISError(
            Text("the project has no roads, so crews cannot be routed", "项目中没有道路，无法为抢修队规划路线"),
            Text(
                "import a roads layer (or build the graph from an .osm file)",
                "导入道路图层（或用 .osm 文件构建路网）",
            ),
            file=file,
            layer=layer,
        )
    crs = roads.crs
    if crs is not None and crs.is_geographic:
        raise HeatGISError(
            Text(
                "the roads are in {crs} (degrees); travel times need metres",
                "道路的坐标系为 {crs}（单位为度）；计算行车时间需要以米为单位",
                crs=crs.to_string(),
            ),
            Text(
                "reproject the roads to the project's metric CRS (e.g. EPSG:4546)",
                "将道路重投影到项目的米制坐标系（例如 EPSG:4546）",
            ),
            file=file,
            layer=layer,
        )
    n = len(roads)
    ids = (
        roads["road_id"].astype(str).to_numpy()
        if "road_id" in roads.columns
        else np.array([f"#{i + 1}" for i in range(n)], dtype=object)
    )
    names = roads["name"].to_numpy(dtype=object) if "name" in roads.columns else np.full(n, None)
    cls_ = (
        roads["road_class"].astype(str).to_numpy()
        if "road_class" in roads.columns
        else np.full(n, "local", dtype=object)
    )
    speed = (
        pd.to_numeric(roads["speed_kmh"], errors="coerce").to_numpy(dtype=float)
        if "speed_kmh" in roads.columns
        else np.full(n, np.nan)
    )
    oneway_raw = roads["oneway"] if "oneway" in roads.columns else pd.Series(np.zeros(n))
    oneway = pd.to_numeric(oneway_raw, errors="coerce").to_numpy(dtype=float)
    bad = ~np.isin(np.nan_to_num(oneway, nan=0.0), (-1.0, 0.0, 1.0))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise HeatGISError(
            Text(
                "oneway is {v!r}; it must be 1 (digitised direction), -1 (against it) or 0 (both ways)",
                "oneway 为 {v!r}；应为 1（沿绘制方向）、-1（逆绘制方向）或 0（双向）",
                v=oneway_raw.iloc[i],
            ),
            Text("correct the oneway value", "改正 oneway 的值"),
            file=file,
            layer=layer,
            row=ids[i],
            field="oneway",
        )
    neg = np.isfinite(speed) & (speed <= 0)
    if neg.any():
        i = int(np.flatnonzero(neg)[0])
        raise HeatGISError(
            Text("the speed {v:g} km/h is not positive", "车速 {v:g} km/h 不是正数", v=speed[i]),
            Text("write the speed limit in km/h (e.g. 40)", "填写以 km/h 为单位的限速（例如 40）"),
            file=file,
            layer=layer,
            row=ids[i],
            field="speed_kmh",
        )
    default = np.array([CLASS_SPEED_KMH.get(c, np.nan) for c in cls_])
    speed = np.where(np.isfinite(speed), speed, default)
    nospeed = ~np.isfinite(speed)
    if nospeed.any():
        i = int(np.flatnonzero(nospeed)[0])
        raise HeatGISError(
            Text(
                "the road has no speed and its class {c!r} has no default speed",
                "道路没有车速，且其等级 {c!r} 没有默认车速",
                c=cls_[i],
            ),
            Text(
                "fill in speed_kmh or use a road_class of: {classes}",
                "填写 speed_kmh，或使用以下道路等级（road_class）之一：{classes}",
                classes=", ".join(CLASS_SPEED_KMH),
            ),
            file=file,
            layer=layer,
            row=ids[i],
            field="speed_kmh",
        )
    attrs = pd.DataFrame(
        {
            "road_id": ids,
            "name": names,
            "road_class": cls_,
            "speed_kmh": speed,
            "oneway": np.nan_to_num(oneway, nan=0.0).astype(int),
        }
    )
    return build_graph(
        cls, np.asarray(roads.geometry.values), attrs, snap_m, None if crs is None else crs.to_string(), file, layer
    )


def build_graph(cls, geoms, attrs: pd.DataFrame, snap_m, crs, file, layer) -> RoadGraph:
    """A ``cls`` graph from line geometries and their checked attributes (road_id, name, road_class,
    speed_kmh, oneway): vertices snapped, lines split at their nodes, one arc per direction."""
    notes = []
    parts, part_of = shapely.get_parts(geoms, return_index=True)
    empty = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    for i in np.flatnonzero(empty)[:20]:
        notes.append(
            Problem(
                Text("the road has no geometry and is left out of the graph", "该道路没有几何图形，未纳入路网"),
                Text("draw the road or delete the row", "绘制该道路或删除该行"),
                str(file) if file else None,
                layer,
                attrs["road_id"].iloc[i],
                "geometry",
                "warning",
            )
        )
    lines = shapely.get_type_id(parts) == 1
    parts, part_of = parts[lines], part_of[lines]
    if len(parts) == 0:
        raise HeatGISError(
            Text("the layer holds no road lines", "该图层没有道路线"),
            Text("import LineString roads", "导入线（LineString）类型的道路"),
            file=file,
            layer=layer,
        )
    coords, line = shapely.get_coordinates(parts, return_index=True)
    # snap vertices: unique rounded keys, then merge keys closer than snap_m
    key = np.round(coords / max(snap_m, 1e-9)).astype(np.int64)
    uniq, vid = np.unique(key, axis=0, return_inverse=True)
    vid = vid.ravel()
    uxy = np.zeros((len(uniq), 2))
    np.add.at(uxy, vid, coords)
    uxy /= np.bincount(vid, minlength=len(uniq))[:, None]
    pairs = _close_pairs(uniq, uxy, snap_m)
    if len(pairs):
        g = sparse.coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(len(uniq), len(uniq)))
        _, lab = connected_components(g, directed=False)
        vid = lab[vid]
        nv = lab.max() + 1
    else:
        nv = len(uniq)
    vxy = np.zeros((nv, 2))
    np.add.at(vxy, vid, coords)
    vxy /= np.bincount(vid, minlength=nv)[:, None]
    # graph nodes: line ends, and vertices used more than once
    nvert = len(coords)
    first = np.r_[True, line[1:] != line[:-1]]
    last = np.r_[line[1:] != line[:-1], True]
    use = np.bincount(vid, minlength=nv)
    is_node = first | last | (use[vid] > 1)
    pos = np.flatnonzero(is_node)
    a, b = pos[:-1], pos[1:]
    same = line[a] == line[b]
    a, b = a[same], b[same]
    # segment lengths and cumulative length along the vertex array
    seg = np.r_[np.hypot(*np.diff(coords, axis=0).T), 0.0]
    seg[last] = 0.0
    cum = np.r_[0.0, np.cumsum(seg)]
    length = cum[b] - cum[a]
    u, v = vid[a], vid[b]
    keep = (u != v) | (length > snap_m)  # loops are kept only when they go somewhere
    keep &= length > 0
    a, b, u, v, length = a[keep], b[keep], u[keep], v[keep], length[keep]
    # edge geometries (snapped end points so edges meet exactly)
    cnt = b - a + 1
    idx = np.repeat(a - np.r_[0, np.cumsum(cnt)[:-1]], cnt) + np.arange(cnt.sum())
    ecoords = coords[idx].copy()
    starts = np.r_[0, np.cumsum(cnt)[:-1]]
    ecoords[starts] = vxy[u]
    ecoords[starts + cnt - 1] = vxy[v]
    egeoms = shapely.linestrings(ecoords, indices=np.repeat(np.arange(len(a)), cnt))
    road = part_of[line[a]]
    ea = attrs.iloc[road].reset_index(drop=True)
    edges = pd.DataFrame(
        {
            "road_id": ea["road_id"].to_numpy(),
            "name": ea["name"].to_numpy(),
            "road_class": ea["road_class"].to_numpy(),
            "access": False,
        }
    )
    speed_ms = ea["speed_kmh"].to_numpy(dtype=float) / 3.6
    ow = ea["oneway"].to_numpy()
    ne = len(edges)
    fw = ow >= 0
    bw = ow <= 0
    eidx = np.r_[np.flatnonzero(fw), np.flatnonzero(bw)]
    forward = np.r_[np.ones(fw.sum(), bool), np.zeros(bw.sum(), bool)]
    tail = np.where(forward, u[eidx], v[eidx])
    head = np.where(forward, v[eidx], u[eidx])
    used = np.unique(np.r_[u, v])
    remap = np.full(nv, -1, np.int64)
    remap[used] = np.arange(len(used))
    del ne, nvert
    return cls(
        xy=vxy[used],
        tail=remap[tail],
        head=remap[head],
        time_s=length[eidx] / speed_ms[eidx],
        length_m=length[eidx],
        edge=eidx,
        forward=forward,
        edges=edges,
        geoms=egeoms,
        crs=crs,
        notes=notes,
    )


def _close_pairs(key: np.ndarray, xy: np.ndarray, dist: float) -> np.ndarray:
    """Index pairs ``(i, j)``, ``i < j``, of points at most ``dist`` apart.

    ``key`` is each point's grid cell, ``round(xy / dist)``, one point per cell (the snapped
    vertices), so a close pair lies in the same or a neighbouring cell: four half-neighbourhood
    look-ups in the sorted cell codes find every candidate (faster than a k-d tree here, and
    scipy.spatial is left out of the app bundle, see build.spec).
    """
    if len(key) < 2:
        return np.empty((0, 2), dtype=np.int64)
    k = key - key.min(axis=0) + 1
    width = int(k[:, 1].max()) + 2
    code = k[:, 0] * width + k[:, 1]
    order = np.argsort(code, kind="stable")
    sorted_code = code[order]
    out = []
    for dx, dy in ((0, 1), (1, -1), (1, 0), (1, 1)):
        want = code + dx * width + dy
        pos = np.minimum(np.searchsorted(sorted_code, want), len(code) - 1)
        hit = sorted_code[pos] == want
        i, j = np.flatnonzero(hit), order[pos[hit]]
        near = np.hypot(*(xy[i] - xy[j]).T) <= dist
        out.append(np.column_stack([i[near], j[near]]))
    pairs = np.concatenate(out)
    return np.sort(pairs, axis=1)
