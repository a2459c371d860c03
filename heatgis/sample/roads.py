"""The demo city's street grid and road network.

A jittered, gently warped grid (local streets every ~167 m, secondary every 500 m,
arterials every 1 km) with the 2nd and 3rd ring roads on grid lines, four radial
expressways noded into the grid, every segment split at every intersection, one
connected component.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from heatgis.sample import names as N

CENTER = (556524.0, 4520800.0)  # 111.67E 40.82N in EPSG:4546
STEP = 1000.0 / 6.0
I_RANGE = np.arange(-66, 67)
J_RANGE = np.arange(-51, 52)
RING2 = (24, 18)  # grid half-extent (i, j) of the 2nd ring
RING3 = (54, 42)
SPEED = {"ring": 80.0, "expressway": 80.0, "arterial": 60.0, "secondary": 40.0, "local": 30.0}
RADIALS = ((N.EXPRESSWAYS[0], 20.0), (N.EXPRESSWAYS[1], 166.0), (N.EXPRESSWAYS[2], 228.0), (N.EXPRESSWAYS[3], 292.0))


@dataclass
class Grid:
    x: np.ndarray  # (ni, nj) node coordinates
    y: np.ndarray
    inside: np.ndarray  # (ni, nj) node lies in the city
    city: object  # city outline polygon
    radials: list  # expressway LineStrings


def _city_outline(rng, urban):
    t = np.linspace(0, 2 * np.pi, 361)[:-1]
    ph = rng.uniform(0, 2 * np.pi, 2)
    r = 1.0 + 0.03 * np.sin(3 * t + ph[0]) + 0.02 * np.sin(5 * t + ph[1])
    c, s = np.cos(t), np.sin(t)
    k = (np.abs(c) ** 4 + np.abs(s) ** 4) ** -0.25  # superellipse n=4
    a, b = 11500.0, 8900.0
    blob = shapely.Polygon(np.column_stack([CENTER[0] + a * k * c * r, CENTER[1] + b * k * s * r]))
    return shapely.intersection(blob, urban)


def build_grid(rng: np.random.Generator, urban) -> Grid:
    ni, nj = len(I_RANGE), len(J_RANGE)
    xl = I_RANGE * STEP + np.where(I_RANGE % 6 == 0, rng.normal(0, 3, ni), rng.normal(0, 12, ni))
    yl = J_RANGE * STEP + np.where(J_RANGE % 6 == 0, rng.normal(0, 3, nj), rng.normal(0, 12, nj))
    X, Y = np.meshgrid(xl, yl, indexing="ij")
    X = X + rng.normal(0, 3, X.shape)
    Y = Y + rng.normal(0, 3, Y.shape)
    ph = rng.uniform(0, 2 * np.pi, 4)
    Xw = X + 70 * np.sin(Y / 2900 + ph[0]) + 35 * np.sin(Y / 1300 + ph[1])
    Yw = Y + 60 * np.sin(X / 3700 + ph[2]) + 30 * np.sin(X / 1700 + ph[3])
    x = np.round(Xw + CENTER[0], 1)
    y = np.round(Yw + CENTER[1], 1)
    city = _city_outline(rng, urban)
    inside = shapely.contains_xy(city, x, y)
    ii, jj = np.meshgrid(I_RANGE, J_RANGE, indexing="ij")
    ring = (np.abs(ii) <= RING3[0]) & (np.abs(jj) <= RING3[1]) & ((np.abs(ii) == RING3[0]) | (np.abs(jj) == RING3[1]))
    inside |= ring & shapely.contains_xy(shapely.buffer(city, 1500), x, y)
    # radial expressways from the 2nd ring outward
    i0 = np.searchsorted(I_RANGE, 0)
    j0 = np.searchsorted(J_RANGE, 0)
    ring2 = _ring_polygon(x, y, i0, j0, RING2)
    radials = []
    for _, ang in RADIALS:
        a = np.deg2rad(ang)
        d = np.linspace(0, 16000, 17)
        bend = 250 * np.sin(d / 5000)
        px = CENTER[0] + d * np.cos(a) - bend * np.sin(a)
        py = CENTER[1] + d * np.sin(a) + bend * np.cos(a)
        line = shapely.LineString(np.column_stack([px, py]))
        line = shapely.intersection(shapely.difference(line, ring2), shapely.buffer(city, -20))
        parts = sorted(shapely.get_parts(line), key=lambda g: -g.length)
        radials.append(parts[0])
    return Grid(x, y, inside, city, radials)


def _ring_polygon(x, y, i0, j0, half):
    hi, hj = half
    pts = (
        [(x[i0 + i, j0 - hj], y[i0 + i, j0 - hj]) for i in range(-hi, hi)]
        + [(x[i0 + hi, j0 + j], y[i0 + hi, j0 + j]) for j in range(-hj, hj)]
        + [(x[i0 + i, j0 + hj], y[i0 + i, j0 + hj]) for i in range(hi, -hi, -1)]
        + [(x[i0 - hi, j0 + j], y[i0 - hi, j0 + j]) for j in range(hj, -hj, -1)]
    )
    return shapely.Polygon(pts)


def _edge_class(line_idx, pos, horizontal):
    """road_class, name key for an edge on grid line ``line_idx`` starting at ``pos``."""
    if horizontal:
        j, i = line_idx, pos
        for ring, (hi, hj) in ((2, RING2), (3, RING3)):
            if abs(j) == hj and -hi <= i < hi:
                return "ring", ("ring", ring, 0 if j > 0 else 1)
    else:
        i, j = line_idx, pos
        for ring, (hi, hj) in ((2, RING2), (3, RING3)):
            if abs(i) == hi and -hj <= j < hj:
                return "ring", ("ring", ring, 2 if i < 0 else 3)
    if line_idx % 6 == 0:
        return "arterial", ("art", horizontal, line_idx)
    if line_idx % 3 == 0:
        return "secondary", ("sec", horizontal, line_idx)
    return "local", ("loc", horizontal, line_idx, pos // 6)


def build_roads(rng: np.random.Generator, grid: Grid):
    """The noded road network: dict of arrays (geometry, name, road_class, speed_kmh, oneway)."""
    x, y, inside = grid.x, grid.y, grid.inside
    ni, nj = x.shape
    recs = []  # (x0, y0, x1, y1, cls, key)
    for horizontal in (True, False):
        if horizontal:
            ok = inside[:-1, :] & inside[1:, :]
            ia, ja = np.nonzero(ok)
            ib, jb = ia + 1, ja
            lines, poss = J_RANGE[ja], I_RANGE[ia]
        else:
            ok = inside[:, :-1] & inside[:, 1:]
            ia, ja = np.nonzero(ok)
            ib, jb = ia, ja + 1
            lines, poss = I_RANGE[ia], J_RANGE[ja]
        for k in range(len(ia)):
            cls, key = _edge_class(int(lines[k]), int(poss[k]), horizontal)
            recs.append((x[ia[k], ja[k]], y[ia[k], ja[k]], x[ib[k], jb[k]], y[ib[k], jb[k]], cls, key))
    # names and one-way streets per street (key), drawn in sorted key order
    keys = sorted({r[5] for r in recs}, key=repr)
    sec_words = list(rng.permutation(N.SECONDARY_WORDS))
    name_of: dict[tuple, str | None] = {}
    oneway_of: dict[tuple, int] = {}
    si = 0
    variants = ["", "东", "西", "南", "北", "前", "后", "新", "一", "二", "三"]
    for key in keys:
        kind = key[0]
        oneway_of[key] = 0
        if kind == "ring":
            name_of[key] = N.RING_NAMES[key[1]][key[2]]
        elif kind == "art":
            _, horizontal, idx = key
            if horizontal:
                name_of[key] = N.ARTERIAL_EW[(48 - idx) // 6] if abs(idx) <= 48 else None
            else:
                name_of[key] = N.ARTERIAL_NS[(idx + 66) // 6]
        elif kind == "sec":
            w = sec_words[si % len(sec_words)]
            si += 1
            name_of[key] = w + ("街" if key[1] else "路")
        else:
            w = N.LOCAL_WORDS[int(rng.integers(len(N.LOCAL_WORDS)))]
            v = variants[int(rng.integers(len(variants)))]
            name_of[key] = w + v + ("巷" if rng.random() < 0.7 else "街")
            if rng.random() < 0.12:
                oneway_of[key] = 1 if rng.random() < 0.5 else -1
    drop = rng.random(len(recs)) < 0.04
    arr = np.array([r[:4] for r in recs])
    cls = np.array([r[4] for r in recs], dtype=object)
    rkeys = [r[5] for r in recs]
    one = np.array([oneway_of[k] for k in rkeys])
    keep = ~(drop & (cls == "local") & (one == 0))
    arr, cls, one = arr[keep], cls[keep], one[keep]
    nm = np.array([name_of[k] for k, kp in zip(rkeys, keep) if kp], dtype=object)
    rev = one < 0
    arr[rev] = arr[rev][:, [2, 3, 0, 1]]
    geoms = shapely.linestrings(arr.reshape(-1, 2, 2))
    one = (one != 0).astype(int)

    # node the radial expressways into the grid
    rad = np.array(grid.radials, dtype=object)
    tree = shapely.STRtree(geoms)
    hit = np.unique(tree.query(rad, predicate="intersects")[1])
    sub = np.concatenate([geoms[hit], rad])
    pieces = shapely.get_parts(shapely.union_all(sub))
    pieces = pieces[shapely.length(pieces) > 0.01]
    mids = shapely.line_interpolate_point(pieces, 0.5, normalized=True)
    parent = shapely.STRtree(sub).query_nearest(mids, all_matches=False)[1]
    nh = len(hit)
    p_cls = np.where(parent < nh, cls[hit][np.minimum(parent, nh - 1)], "expressway").astype(object)
    rad_names = np.array([r[0] for r in RADIALS], dtype=object)
    p_nm = np.where(parent < nh, nm[hit][np.minimum(parent, nh - 1)], rad_names[np.maximum(parent - nh, 0)]).astype(
        object
    )
    p_one = np.where(parent < nh, one[hit][np.minimum(parent, nh - 1)], 0)
    # keep each piece's digitizing direction that of its parent
    pc = shapely.get_coordinates(shapely.boundary(pieces)).reshape(-1, 2, 2)
    sc = np.stack(
        [shapely.get_coordinates(shapely.get_point(sub, 0)), shapely.get_coordinates(shapely.get_point(sub, -1))],
        axis=1,
    )
    dp = pc[:, 1] - pc[:, 0]
    ds = sc[parent, 1] - sc[parent, 0]
    flip = (dp * ds).sum(axis=1) < 0
    pieces[flip] = shapely.reverse(pieces[flip])
    keep = np.ones(len(geoms), bool)
    keep[hit] = False
    geoms = np.concatenate([geoms[keep], pieces])
    cls = np.concatenate([cls[keep], p_cls])
    nm = np.concatenate([nm[keep], p_nm])
    one = np.concatenate([one[keep], p_one])

    # the largest connected component only
    ends = np.round(
        np.concatenate(
            [
                shapely.get_coordinates(shapely.get_point(geoms, 0)),
                shapely.get_coordinates(shapely.get_point(geoms, -1)),
            ]
        ),
        2,
    )
    _, node = np.unique(ends, axis=0, return_inverse=True)
    node = node.ravel()
    n = len(geoms)
    nn = int(node.max()) + 1
    g = coo_matrix((np.ones(n), (node[:n], node[n:])), shape=(nn, nn))
    _, lab = connected_components(g, directed=False)
    main = lab == np.bincount(lab).argmax()
    keep = main[node[:n]]
    speed = np.array([SPEED[c] for c in cls[keep]])
    return {"geometry": geoms[keep], "name": nm[keep], "road_class": cls[keep], "speed_kmh": speed, "oneway": one[keep]}
