"""Lockdown zones as barriers on the road graph, and the stop-to-stop travel times they allow.

The rule
--------
Roads inside an active **sealed** or **controlled** zone are closed to through
traffic. A crew may enter such a zone only to serve a site inside it, entering
and leaving by the shortest way in. **Precaution** zones stay open but slow
traffic: the part of an arc inside one takes ``precaution_factor`` times as long.

The method: a matrix on the closed graph plus an in-zone access leg per stop
---------------------------------------------------------------------------
1. An arc is *closed by* zone Z when more than ``min_inside_m`` (1 m) of its
   geometry lies inside Z. The access arc of a site/depot is closed by exactly
   the zones holding that point (so a site outside every zone is never cut off
   by its own driveway).
2. The *open graph* keeps only arcs closed by no zone. Its largest strongly
   connected component is the driveable city; its nodes are the *gates*.
3. For each stop p (depot or site) in closed zones Z(p), the *in-zone graph* of
   p holds the closed arcs whose closing zones all belong to Z(p). The *entry
   leg* is the fastest path in it from any gate to p (reverse Dijkstra from p,
   nearest gate); the *exit leg* the fastest path from p to any gate. A stop in
   no zone is its own gate with empty legs.
4. Travel time i → j = exit(i) + open-graph time(exit gate of i → entry gate of
   j) + entry(j). The middle part never touches a closed arc, and the legs touch
   only the zones of their own stop, so **the only parts of a route inside a
   closed zone are the legs into and out of a stop in that zone**. Two sites in
   the same zone are joined by leaving and entering again (the rule's "shortest
   way in" for each visit), not by a drive through the zone.
5. A stop with no gate reachable through its zone(s), or whose own node is not
   in the driveable city, is *unreachable*, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from scipy.sparse.csgraph import dijkstra

from heatgis.analysis.zones import ZoneArrays
from heatgis.model.project import parse_time
from heatgis.routing import matrix as mx
from heatgis.routing.roads import RoadGraph
from heatgis.text import Text

DEFAULT_PRECAUTION_FACTOR = 1.5


@dataclass
class BarrierGraph:
    """A road graph with the barriers of one moment applied.

    Attributes
    ----------
    graph : RoadGraph
        With sites and depots attached.
    time_s : ndarray
        Arc times after the precaution slow-down.
    closed : ndarray of bool
        Arcs closed to through traffic.
    arc_zone : ndarray (k, 2)
        (arc, zone index) pairs: the arc is closed by that zone.
    zones : DataFrame
        The active closing zones: zone_id, name, level; ``zone_geoms`` their polygons.
    point_zones : dict of str to tuple of int
        Attached point id → the closing zones holding it.
    gate : ndarray of bool
        Nodes of the driveable (open, strongly connected) city.
    """

    graph: RoadGraph
    time_s: np.ndarray
    closed: np.ndarray
    arc_zone: np.ndarray
    zones: pd.DataFrame
    zone_geoms: np.ndarray
    point_zones: dict
    gate: np.ndarray
    slowed: np.ndarray

    def open_csr(self, transpose: bool = False):
        return self.graph.csr(self.time_s, mask=~self.closed, transpose=transpose)

    def zone_ids(self, idx) -> list[str]:
        return [str(self.zones["zone_id"].iloc[i]) for i in idx]


def apply_barriers(
    graph: RoadGraph, zones, at, precaution_factor: float = DEFAULT_PRECAUTION_FACTOR, min_inside_m: float = 1.0
) -> BarrierGraph:
    """Close and slow the arcs of ``graph`` for the zones active at ``at``.

    Parameters
    ----------
    graph : RoadGraph
        With stops attached (``graph.points``).
    zones : GeoDataFrame
        A lockdown_zones layer.
    at : str or Timestamp
    precaution_factor : float
        Travel-time multiplier inside active precaution zones (>= 1).
    min_inside_m : float
        An arc is inside a zone when more than this length of it is.
    """
    at = parse_time(at)
    z = ZoneArrays.from_frame(zones)
    active = z.active(at) if len(z) else np.zeros(0, bool)
    locking = active & z.locking() if len(z) else active
    caution = active & (z.levels == "precaution") if len(z) else active
    lz = np.flatnonzero(locking)
    zgeoms = z.geoms[lz] if len(z) else np.array([], dtype=object)
    access = graph.edges["access"].to_numpy(dtype=bool)
    road_e = np.flatnonzero(~access)
    # closed edges (road edges by geometry)
    pairs_e, pairs_z = _inside(graph.geoms, road_e, zgeoms, min_inside_m)
    arc_zone = [_edge_pairs_to_arcs(graph, pairs_e, pairs_z)]
    # access arcs: closed by the zones holding their point
    point_zones: dict[str, tuple] = {}
    pts = graph.points
    if len(pts) and len(zgeoms):
        pgeo = shapely.points(graph.xy[pts["node"].to_numpy(dtype=np.int64)])
        tree = shapely.STRtree(zgeoms)
        pi, zi = tree.query(pgeo, predicate="intersects")
        for p, zz in zip(pi, zi):
            point_zones.setdefault(str(pts["point_id"].iloc[p]), []).append(int(zz))
        point_zones = {k: tuple(sorted(set(v))) for k, v in point_zones.items()}
        node_pid = dict(zip(pts["node"].astype(int), pts["point_id"].astype(str)))
        acc_arcs = np.flatnonzero(access[graph.edge])
        extra = []
        for a in acc_arcs.tolist():
            pid = node_pid.get(int(graph.tail[a]), node_pid.get(int(graph.head[a])))
            extra += [(a, zz) for zz in point_zones.get(pid, ())]
        arc_zone.append(np.array(extra, dtype=np.int64).reshape(-1, 2))
    arc_zone = np.concatenate(arc_zone).reshape(-1, 2)
    closed = np.zeros(graph.n_arcs, bool)
    closed[arc_zone[:, 0]] = True
    # precaution slow-down, proportional to the length inside
    time_s = graph.time_s.copy()
    slowed = np.zeros(graph.n_arcs, bool)
    cz = np.flatnonzero(caution)
    if len(cz) and precaution_factor != 1.0:
        cg = z.geoms[cz]
        e_all = np.arange(len(graph.edges))
        pe, pz = _inside(graph.geoms, e_all, cg, min_inside_m)
        if len(pe):
            frac = shapely.length(shapely.intersection(graph.geoms[pe], cg[pz])) / np.maximum(
                shapely.length(graph.geoms[pe]), 1e-9
            )
            f = pd.Series(frac).groupby(pe).sum().clip(upper=1.0)
            efac = np.ones(len(graph.edges))
            efac[f.index.to_numpy()] = 1.0 + (precaution_factor - 1.0) * f.to_numpy()
            time_s = time_s * efac[graph.edge]
            slowed = efac[graph.edge] > 1.0
    zt = pd.DataFrame(
        {
            "zone_id": z.ids[lz] if len(z) else [],
            "name": z.names[lz] if len(z) else [],
            "level": z.levels[lz] if len(z) else [],
        }
    )
    bg = BarrierGraph(graph, time_s, closed, arc_zone, zt, zgeoms, point_zones, np.zeros(graph.n_nodes, bool), slowed)
    bg.gate = graph.main_component(mask=~closed) if graph.n_arcs else bg.gate
    return bg


def _inside(geoms, idx, zgeoms, min_inside_m):
    """(edge, zone) pairs where more than ``min_inside_m`` of the edge lies in the zone."""
    if len(zgeoms) == 0 or len(idx) == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    tree = shapely.STRtree(zgeoms)
    ei, zi = tree.query(geoms[idx], predicate="intersects")
    if len(ei) == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    inside = shapely.length(shapely.intersection(geoms[idx[ei]], zgeoms[zi]))
    keep = inside > min_inside_m
    return idx[ei[keep]], zi[keep]


def _edge_pairs_to_arcs(graph, pe, pz) -> np.ndarray:
    """(edge, zone) pairs → (arc, zone) pairs (one or two arcs per edge)."""
    order = np.argsort(graph.edge, kind="stable")
    se = graph.edge[order]
    lo = np.searchsorted(se, pe, "left")
    hi = np.searchsorted(se, pe, "right")
    cnt = hi - lo
    rep = np.repeat(np.arange(len(pe)), cnt)
    off = np.arange(cnt.sum()) - np.repeat(np.cumsum(cnt) - cnt, cnt)
    return np.c_[order[lo[rep] + off], np.asarray(pz)[rep]].astype(np.int64)


# ---------------------------------------------------------------------- access legs


@dataclass
class StopAccess:
    """How each stop is entered and left (one row per stop, in the order given).

    ``table`` columns: stop_id, node, zones (list of zone ids), in_node, in_s, in_m,
    out_node, out_s, out_m, reachable, reason. ``in_arcs``/``out_arcs`` hold the arc
    lists of the legs.
    """

    table: pd.DataFrame
    in_arcs: list
    out_arcs: list


def stop_access(bg: BarrierGraph, stop_ids) -> StopAccess:
    """Entry and exit legs of each stop (see the module docstring, steps 3 and 5)."""
    g = bg.graph
    stop_ids = [str(s) for s in stop_ids]
    rows, in_arcs, out_arcs = [], [], []
    zone_of = {s: bg.point_zones.get(s, ()) for s in stop_ids}
    groups: dict[tuple, list[int]] = {}
    for k, s in enumerate(stop_ids):
        groups.setdefault(zone_of[s], []).append(k)
    results: dict[int, tuple] = {}
    az = bg.arc_zone
    nclose = np.bincount(az[:, 0], minlength=g.n_arcs) if len(az) else np.zeros(g.n_arcs, int)
    for zs, members in groups.items():
        nodes = [g.node_of(stop_ids[k]) for k in members]
        if not zs:
            for k, n in zip(members, nodes):
                ok = bool(bg.gate[n])
                results[k] = dict(
                    node=n,
                    in_node=n,
                    in_s=0.0,
                    in_m=0.0,
                    in_a=[],
                    out_node=n,
                    out_s=0.0,
                    out_m=0.0,
                    out_a=[],
                    ok=ok,
                    why=""
                    if ok
                    else Text(
                        "unreachable: its road is cut off from the city by closed zones",
                        "无法到达：其道路被封闭的管控区与城区隔断",
                    ),
                )
            continue
        hits = np.isin(az[:, 1], zs)
        cnt = np.bincount(az[hits, 0], minlength=g.n_arcs)
        allowed = bg.closed & (cnt == nclose) & (nclose > 0)
        idx = np.flatnonzero(allowed)
        lookup = mx.ArcIndex(g.tail, g.head, bg.time_s, idx, g.n_nodes)
        fwd = g.csr(bg.time_s, mask=allowed)
        rev = g.csr(bg.time_s, mask=allowed, transpose=True)
        d_out, p_out = dijkstra(fwd, directed=True, indices=nodes, return_predecessors=True)
        d_in, p_in = dijkstra(rev, directed=True, indices=nodes, return_predecessors=True)
        d_out, p_out, d_in, p_in = (np.atleast_2d(x) for x in (d_out, p_out, d_in, p_in))
        names = ", ".join(bg.zone_ids(zs))
        for r, (k, n) in enumerate(zip(members, nodes)):
            legs = {}
            for side, d, p in (("in", d_in[r], p_in[r]), ("out", d_out[r], p_out[r])):
                cand = np.where(bg.gate, d, np.inf)
                gnode = int(np.argmin(cand))
                if not np.isfinite(cand[gnode]):
                    continue
                path = mx.path_nodes(p, n, gnode)
                if side == "in":
                    path = path[::-1]  # reverse search: gate ... site in driving order
                arcs = mx.nodes_to_arcs(path, lookup)
                legs[side] = (gnode, float(cand[gnode]), float(g.length_m[arcs].sum()) if arcs else 0.0, arcs)
            if len(legs) < 2:
                way = Text("into", "进入") if "in" not in legs else Text("out of", "驶出")
                results[k] = dict(
                    node=n,
                    in_node=n,
                    in_s=np.inf,
                    in_m=np.inf,
                    in_a=[],
                    out_node=n,
                    out_s=np.inf,
                    out_m=np.inf,
                    out_a=[],
                    ok=False,
                    why=Text(
                        "unreachable: no open road leads {way} closed zone {names} to reach it",
                        "无法到达：没有可通行的道路{way}封闭区 {names}",
                        way=way,
                        names=names,
                    ),
                )
            else:
                (ig, i_s, i_m, i_a), (og, o_s, o_m, o_a) = legs["in"], legs["out"]
                results[k] = dict(
                    node=n,
                    in_node=ig,
                    in_s=i_s,
                    in_m=i_m,
                    in_a=i_a,
                    out_node=og,
                    out_s=o_s,
                    out_m=o_m,
                    out_a=o_a,
                    ok=True,
                    why="",
                )
    for k, s in enumerate(stop_ids):
        r = results[k]
        rows.append(
            {
                "stop_id": s,
                "node": r["node"],
                "zones": bg.zone_ids(zone_of[s]),
                "in_node": r["in_node"],
                "in_s": r["in_s"],
                "in_m": r["in_m"],
                "out_node": r["out_node"],
                "out_s": r["out_s"],
                "out_m": r["out_m"],
                "reachable": r["ok"],
                "reason": r["why"],
            }
        )
        in_arcs.append(r["in_a"])
        out_arcs.append(r["out_a"])
    return StopAccess(pd.DataFrame(rows), in_arcs, out_arcs)


def stop_matrix(bg: BarrierGraph, access: StopAccess, feedback=None) -> np.ndarray:
    """Travel time (s) between every pair of stops under the barriers (``inf`` = no way).

    ``feedback`` (a ``heatgis.errors.Feedback``) gets the progress and can cancel (``Cancelled``).
    """
    t = access.table
    out_nodes = t["out_node"].to_numpy(dtype=np.int64)
    in_nodes = t["in_node"].to_numpy(dtype=np.int64)
    d = mx.travel_matrix(bg.open_csr(), out_nodes, in_nodes, feedback=feedback)
    m = t["out_s"].to_numpy(float)[:, None] + d + t["in_s"].to_numpy(float)[None, :]
    bad = ~t["reachable"].to_numpy(bool)
    m[bad, :] = np.inf
    m[:, bad] = np.inf
    np.fill_diagonal(m, 0.0)
    return m


class LegBuilder:
    """Arc paths of stop-to-stop legs (exit leg + open-graph path + entry leg), cached per source."""

    def __init__(self, bg: BarrierGraph, access: StopAccess):
        self.bg, self.access = bg, access
        self.csr = bg.open_csr()
        self._pred: dict[int, np.ndarray] = {}
        g = bg.graph
        self.lookup = mx.ArcIndex(g.tail, g.head, bg.time_s, np.flatnonzero(~bg.closed), g.n_nodes)

    def prepare(self, stops) -> None:
        """Shortest-path trees from the exit gates of ``stops`` in one Dijkstra call."""
        t = self.access.table
        src = sorted({int(t["out_node"].iloc[i]) for i in stops} - set(self._pred))
        if src:
            _, pred = dijkstra(self.csr, directed=True, indices=src, return_predecessors=True)
            for s, p in zip(src, np.atleast_2d(pred)):
                self._pred[s] = p

    def arcs(self, i: int, j: int) -> list[int]:
        """Arcs from stop ``i`` to stop ``j`` (positions in the access table)."""
        t = self.access.table
        if i == j:
            return []
        src, dst = int(t["out_node"].iloc[i]), int(t["in_node"].iloc[j])
        if src not in self._pred:
            self._pred[src] = mx.tree(self.csr, src)[1]
        nodes = mx.path_nodes(self._pred[src], src, dst)
        if nodes is None:
            raise ValueError(f"no open path from stop {i} to stop {j}")
        return list(self.access.out_arcs[i]) + mx.nodes_to_arcs(nodes, self.lookup) + list(self.access.in_arcs[j])

    def geometry(self, arcs: list[int]):
        """The leg as one LineString in driving order (None for an empty leg)."""
        g = self.bg.graph
        if not arcs:
            return None
        parts = [g.arc_geometry(a) for a in arcs]
        coords = np.concatenate([parts[0]] + [p[1:] for p in parts[1:]])
        if len(coords) < 2:
            return None
        return shapely.LineString(coords)
