"""Heat sources, the partition of stations into networks, and pipe trees."""

from __future__ import annotations

import numpy as np
import shapely
from pyproj import Transformer
from scipy.sparse.csgraph import breadth_first_order, minimum_spanning_tree

from heatgis.sample.roads import CENTER

TOGTOH_WGS84 = (111.361, 40.197)  # 大唐托克托发电厂, 托克托县
LD_ENTRY = (-8000.0, -6000.0)  # where the long-distance pipe reaches the city (offset from centre)
# source_id, network_id, name, kind, dx, dy, weight (bigger: larger network)
SOURCES = [
    ("HS-CHP-1", "CHP-1", "金桥热电厂", "chp", 6500, -4800, 2.5),
    ("HS-CHP-2", "CHP-2", "呼和浩特热电厂", "chp", -2000, 6400, 2.5),
    ("HS-LD-1", "LD-1", "托克托电厂长输供热", "long_distance", None, None, 3.6),
    ("HS-P-01", "P-01", "辛辛板热源厂", "plant", 7600, 2600, 1.0),
    ("HS-P-02", "P-02", "章盖营热源厂", "plant", 3300, 7400, 1.0),
    ("HS-P-03", "P-03", "毫沁营热源厂", "plant", -6200, 5600, 1.0),
    ("HS-P-04", "P-04", "西把栅热源厂", "plant", -9200, 2100, 1.0),
    ("HS-P-05", "P-05", "桃花热源厂", "plant", -4800, -6900, 1.0),
    ("HS-P-06", "P-06", "小黑河热源厂", "plant", 700, -7600, 1.0),
    ("HS-P-07", "P-07", "巧报热源厂", "plant", 9800, -2200, 1.0),
    ("HS-P-08", "P-08", "金山热源厂", "plant", -8600, -2400, 1.0),
    ("HS-P-09", "P-09", "东河热源厂", "plant", 1900, 2300, 0.55),
    ("HS-P-10", "P-10", "富泰热源厂", "plant", -2600, -2500, 0.55),
    ("HS-CB-1", "CB-1", "攸攸板燃煤锅炉", "coal_boiler", 10400, 5200, 0.45),
    ("HS-CB-2", "CB-2", "讨号板燃煤锅炉", "coal_boiler", 6600, 7800, 0.45),
]
DN = np.array([50, 65, 80, 100, 125, 150, 200, 250, 300, 350, 400, 450, 500, 600, 700, 800, 900, 1000, 1200, 1400])


def source_points():
    """(source rows, partition anchor xy array); the long-distance source sits at Togtoh."""
    tx, ty = Transformer.from_crs("EPSG:4326", "EPSG:4546", always_xy=True).transform(*TOGTOH_WGS84)
    rows, anchors = [], []
    for sid, nid, name, kind, dx, dy, w in SOURCES:
        if kind == "long_distance":
            xy = (round(tx, 1), round(ty, 1))
            anchor = (CENTER[0] + LD_ENTRY[0], CENTER[1] + LD_ENTRY[1])
        else:
            xy = (CENTER[0] + dx, CENTER[1] + dy)
            anchor = xy
        rows.append(
            {"source_id": sid, "network_id": nid, "name": name, "kind": kind, "x": xy[0], "y": xy[1], "weight": w}
        )
        anchors.append(anchor)
    return rows, np.array(anchors)


def partition(xy, anchors, weights):
    """Index of the source each point belongs to (distance divided by the source's weight)."""
    d = np.hypot(xy[:, None, 0] - anchors[None, :, 0], xy[:, None, 1] - anchors[None, :, 1])
    return np.argmin(d / np.asarray(weights)[None, :], axis=1)


def dn_for(area_m2):
    """Nominal diameter for the heated area downstream (45 W/m2, DN ~ load^0.36)."""
    mw = np.asarray(area_m2, dtype=float) * 45e-6
    need = 100.0 * np.maximum(mw, 1e-3) ** 0.36
    k = np.searchsorted(DN, need)
    return DN[np.minimum(k, len(DN) - 1)]


def _lpath(a, b, corner_first_x):
    if abs(a[0] - b[0]) < 30 or abs(a[1] - b[1]) < 30:
        return [a, b]
    mid = (b[0], a[1]) if corner_first_x else (a[0], b[1])
    return [a, mid, b]


def tree_pipes(rng, network_id, root_id, root_xy, node_ids, node_xy, node_area):
    """Pipes of one network: an MST over root + nodes, oriented away from the root.

    Returns a list of dicts (network_id, from_id, to_id, dn_mm, coords).
    """
    ids = [root_id] + list(node_ids)
    xy = np.vstack([np.asarray(root_xy, float)[None, :], np.asarray(node_xy, float)])
    area = np.concatenate([[0.0], np.asarray(node_area, float)])
    n = len(ids)
    d = np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1])
    d[d == 0] = 1e-3  # coincident points still get an edge (a zero means "no edge")
    np.fill_diagonal(d, 0)
    mst = minimum_spanning_tree(d)
    order, pred = breadth_first_order(mst, 0, directed=False, return_predecessors=True)
    down = area.copy()
    for v in order[::-1][:-1]:
        down[pred[v]] += down[v]
    dn = dn_for(down)
    out = []
    flips = rng.random(n) < 0.5
    for v in order[1:]:
        u = pred[v]
        out.append(
            {
                "network_id": network_id,
                "from_id": ids[u],
                "to_id": ids[v],
                "dn_mm": int(dn[v]),
                "coords": _lpath(tuple(xy[u]), tuple(xy[v]), flips[v]),
            }
        )
    return out


def trunk_coords(rng, a, b, n=7):
    """A gently bending long-distance transmission line from a to b."""
    t = np.linspace(0, 1, n)
    a, b = np.asarray(a, float), np.asarray(b, float)
    v = b - a
    nrm = np.array([-v[1], v[0]]) / np.hypot(*v)
    off = np.sin(t * np.pi) * rng.uniform(1500, 3000) + np.concatenate([[0], rng.normal(0, 400, n - 2), [0]])
    pts = a[None, :] + t[:, None] * v[None, :] + off[:, None] * nrm[None, :]
    return [tuple(np.round(p, 1)) for p in pts]


def lines(coords):
    return np.array([shapely.LineString(np.round(np.array(c, float), 1)) for c in coords], dtype=object)
