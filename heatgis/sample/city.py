"""Compounds inside the street blocks, points inside them, and exact integer allocation."""

from __future__ import annotations

import numpy as np
import shapely

from heatgis.sample.roads import CENTER, Grid

SETBACK = 15.0  # minimum distance of a compound from any road line, metres


def largest_remainder(total: int, weights, minimum: int = 0) -> np.ndarray:
    """Integers proportional to ``weights`` summing exactly to ``total`` (each >= ``minimum``)."""
    w = np.asarray(weights, dtype="float64")
    n = len(w)
    rest = total - minimum * n
    if rest < 0:
        raise ValueError("total too small for the minimum")
    q = rest * w / w.sum()
    base = np.floor(q).astype("int64")
    short = rest - int(base.sum())
    order = np.lexsort((np.arange(n), -(q - base)))  # largest remainders first, ties by index
    base[order[:short]] += 1
    return base + minimum


def _lerp(a, b, t):
    return a + (b - a) * t


def build_compounds(rng: np.random.Generator, grid: Grid, road_geoms, target: int = 2000):
    """Compound polygons (4-7 vertices) in street blocks, >= SETBACK m from every road.

    Returns
    -------
    numpy.ndarray of Polygon
    """
    x, y, inside = grid.x, grid.y, grid.inside
    ok = inside[:-1, :-1] & inside[1:, :-1] & inside[1:, 1:] & inside[:-1, 1:]
    ci, cj = np.nonzero(ok)
    quads = np.stack(
        [
            np.column_stack([x[ci, cj], y[ci, cj]]),
            np.column_stack([x[ci + 1, cj], y[ci + 1, cj]]),
            np.column_stack([x[ci + 1, cj + 1], y[ci + 1, cj + 1]]),
            np.column_stack([x[ci, cj + 1], y[ci, cj + 1]]),
        ],
        axis=1,
    )
    cells = shapely.polygons(quads)
    # blocks crossed by (or close to) an expressway are not residential
    rad = shapely.STRtree(np.array(grid.radials, dtype=object))
    near = np.unique(rad.query(cells, predicate="dwithin", distance=60.0)[0])
    good = np.ones(len(cells), bool)
    good[near] = False
    cen = quads.mean(axis=1)
    r = np.hypot(cen[:, 0] - CENTER[0], (cen[:, 1] - CENTER[1]) * 1.25)
    p = np.exp(-r / 4500.0) * good
    n_cells = int(target * 0.83)
    chosen = np.sort(rng.choice(len(cells), size=n_cells, replace=False, p=p / p.sum()))
    setback = rng.uniform(17.0, 30.0, n_cells)
    shrunk = shapely.buffer(cells[chosen], -setback, join_style="mitre")
    kind = rng.choice(5, size=n_cells, p=[0.5, 0.22, 0.14, 0.07, 0.07])
    polys = []
    for k in range(n_cells):
        q = shrunk[k]
        c = shapely.get_coordinates(q)[:-1]
        if len(c) != 4 or q.is_empty:
            continue
        c = np.roll(c, -int(rng.integers(4)), axis=0)
        f = rng.uniform(0.2, 0.35)
        if kind[k] == 1:  # split into two compounds across the block
            g = rng.uniform(0.06, 0.12)
            a0, a1 = _lerp(c[0], c[1], 0.5 - g / 2), _lerp(c[0], c[1], 0.5 + g / 2)
            b0, b1 = _lerp(c[3], c[2], 0.5 - g / 2), _lerp(c[3], c[2], 0.5 + g / 2)
            polys.append([c[0], a0, b0, c[3]])
            polys.append([a1, c[1], c[2], b1])
        elif kind[k] == 2:  # one corner cut
            polys.append([_lerp(c[0], c[1], f), c[1], c[2], c[3], _lerp(c[0], c[3], f)])
        elif kind[k] == 3:  # two corners cut
            polys.append(
                [_lerp(c[0], c[1], f), _lerp(c[1], c[0], f), _lerp(c[1], c[2], f), c[2], c[3], _lerp(c[0], c[3], f)]
            )
        elif kind[k] == 4:  # L shape
            a = _lerp(c[2], c[1], f + 0.1)
            b = _lerp(c[2], c[3], f + 0.1)
            polys.append([c[0], c[1], a, a + b - c[2], b, c[3]])
        else:
            polys.append(list(c))
    out = np.array([shapely.Polygon(np.round(np.array(pc), 1)) for pc in polys], dtype=object)
    out = shapely.orient_polygons(out) if hasattr(shapely, "orient_polygons") else out
    valid = shapely.is_valid(out) & (shapely.area(out) > 2000)
    tree = shapely.STRtree(road_geoms)
    close = np.unique(tree.query(out, predicate="dwithin", distance=SETBACK)[0])
    valid[close] = False
    return out[valid]


def points_inside(rng: np.random.Generator, polys, spread: float = 0.6):
    """One random point inside each polygon (between its centroid and its outline)."""
    polys = np.asarray(polys, dtype=object)
    n = len(polys)
    cen = shapely.centroid(polys)
    rings = shapely.get_exterior_ring(polys)
    edge = shapely.line_interpolate_point(rings, rng.random(n), normalized=True)
    u = rng.uniform(0.0, spread, n)
    c = shapely.get_coordinates(cen)
    e = shapely.get_coordinates(edge)
    p = np.round(c + (e - c) * u[:, None], 1)
    pts = shapely.points(p)
    bad = ~shapely.contains(polys, pts)
    if bad.any():
        pts[bad] = shapely.point_on_surface(polys[bad])
    return pts
