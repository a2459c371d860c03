"""Lockdown zones of the demo scenario: clusters, sealed compounds, precaution areas, timeline."""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from heatgis.sample.roads import CENTER

DAY0 = pd.Timestamp("2022-02-16T00:00")
HOURS = np.array([0, 6, 8, 10, 12, 14, 16, 18, 20, 22])
NOTES = {
    "sealed": "封控区：区域封闭、足不出户、服务上门",
    "controlled": "管控区：人不出区、严禁聚集",
    "precaution": "防范区：强化社会面管控、严格限制人员聚集",
}


def seal(poly):
    """A sealed zone around one compound: its outline buffered 3 m."""
    return shapely.buffer(poly, 3.0, join_style="mitre")


def cluster_zone(polys):
    """A controlled zone over neighbouring compounds, closing the streets between them."""
    u = shapely.union_all(shapely.buffer(np.asarray(polys, dtype=object), 3.0, join_style="mitre"))
    z = shapely.buffer(shapely.buffer(u, 40.0, quad_segs=2), -35.0, quad_segs=2)
    z = shapely.simplify(z, 1.0)
    if z.geom_type != "Polygon":
        z = shapely.buffer(shapely.convex_hull(u), 2.0, join_style="mitre")
    return z


def precaution_zone(geom, dist):
    """A larger precaution area around ``geom``."""
    return shapely.simplify(shapely.buffer(shapely.convex_hull(geom), dist, quad_segs=3), 2.0)


def grow_cluster(rng, cpoly, tree, seed, size, allowed):
    """Indices of ``size`` neighbouring compounds (street gaps < 70 m) grown from ``seed``."""
    members = [int(seed)]
    c0 = shapely.get_coordinates(shapely.centroid(cpoly[seed]))[0]
    while len(members) < size:
        nb = np.unique(tree.query(cpoly[members], predicate="dwithin", distance=70.0)[1])
        nb = [int(k) for k in nb if allowed[k] and k not in members]
        if not nb:
            break
        cc = shapely.get_coordinates(shapely.centroid(cpoly[nb]))
        members.append(nb[int(np.argmin(np.hypot(*(cc - c0).T)))])
    return np.array(members)


def pick_spread(rng, candidates, cen, n, gap, blocked_xy=()):
    """Up to ``n`` of ``candidates`` (in random order) at least ``gap`` m from each other."""
    out = []
    taken = [np.asarray(p) for p in blocked_xy]
    for k in rng.permutation(candidates):
        p = cen[k]
        if all(np.hypot(*(p - q)) >= gap for q in taken):
            out.append(int(k))
            taken.append(p)
            if len(out) == n:
                break
    return np.array(out, dtype=int)


def radius(cen):
    return np.hypot(cen[:, 0] - CENTER[0], cen[:, 1] - CENTER[1])


def when(rng, day_lo, day_hi, n):
    """``n`` datetimes on random days in [day_lo, day_hi] (days after 2022-02-16) at random hours."""
    d = rng.integers(day_lo, day_hi + 1, n)
    h = HOURS[rng.integers(len(HOURS), size=n)]
    return [DAY0 + pd.Timedelta(days=int(a), hours=int(b)) for a, b in zip(d, h)]


def notice(start: pd.Timestamp) -> str:
    k = 1 + 2 * (start.normalize() - DAY0).days + (1 if start.hour >= 12 else 0)
    return f"呼和浩特市新冠肺炎疫情防控指挥部通告第{k}号"


def active_locking(zones: pd.DataFrame, t) -> np.ndarray:
    t = pd.Timestamp(t)
    end = zones["end"]
    return ((zones["start"] <= t) & (end.isna() | (end > t)) & zones["level"].isin(["sealed", "controlled"])).to_numpy()
