"""Travel between the crews' stops as the closures change: one barrier graph per time slice.

``OpsNetwork`` attaches the stops (depots, sites, ticket points) to the road graph once,
then for each distinct set of active zones among the time slices applies the barriers
(``barriers.apply_barriers``), finds each stop's way in and out and the stop-to-stop
matrix, and the **direct legs**: between two stops in the same closed zone whose entry
policy is ``shift``, the fastest path that stays inside that zone, with no gear change
(the path uses only roads closed by that zone; when they do not join the two stops, the
leg leaves and enters again). ``composite`` gives the solver one matrix, each column
taken from the slice in which that stop's window opens; ``leg`` gives the time, and ``arcs`` the path,
of a leg started at a given moment.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
from scipy.sparse.csgraph import dijkstra

from heatgis.model.schema import SKILLS
from heatgis.routing import matrix as mx
from heatgis.routing.barriers import LegBuilder, apply_barriers, stop_access
from heatgis.text import Text


def bit(skill: str) -> int:
    """The bit of a skill in the solver's skill masks."""
    return 1 << (SKILLS.index(skill) if skill in SKILLS else 30)


def mask_of(skills) -> int:
    m = 0
    for s in skills:
        if s:
            m |= bit(s)
    return m


class _SliceNet:
    def __init__(self, g, zones, t, ids, n_active, cr, precaution_factor):
        self.bg = apply_barriers(g, zones, t, precaution_factor)
        self.acc = stop_access(self.bg, ids)
        self.lb = LegBuilder(self.bg, self.acc)
        self.m = _matrix(self.acc, self.lb, n_active)
        ids = ids[:n_active]
        n = len(ids)
        self.in_zone = np.array([bool(z) for z in self.acc.table["zones"]])
        self.direct = np.full((n, n), np.inf)
        self.extra: dict = {}  # stops added later: index → (node, fwd pred, rev pred, ArcIndex, in zone, zone ids)
        self.pred: dict = {}  # (zone index) → (members, nodes, pred rows, ArcIndex)
        self.point_graphs: dict = {}  # zones holding a stop added later → (fwd csr, rev csr, ArcIndex)
        bg = self.bg
        az = bg.arc_zone
        if not len(az):
            return
        nclose = np.bincount(az[:, 0], minlength=g.n_arcs)
        levels = bg.zones["level"].astype(str).tolist()
        by_zone: dict[int, list[int]] = {}
        node_of = dict(zip(g.points["point_id"].astype(str), g.points["node"].astype(int)))
        for k, s in enumerate(ids):
            for z in bg.point_zones.get(s, ()):
                by_zone.setdefault(int(z), []).append(k)
        for z, members in by_zone.items():
            if len(members) < 2 or cr.policy(levels[z]).policy != "shift":
                continue
            hits = az[:, 1] == z
            cnt = np.bincount(az[hits, 0], minlength=g.n_arcs)
            allowed = (cnt == nclose) & (nclose > 0)  # the roads of this zone only: the leg stays inside
            nodes = [node_of[ids[k]] for k in members]
            d, p = dijkstra(g.csr(bg.time_s, mask=allowed), directed=True, indices=nodes, return_predecessors=True)
            d, p = np.atleast_2d(d), np.atleast_2d(p)
            for r, a in enumerate(members):
                for c, b in enumerate(members):
                    if a != b and d[r, nodes[c]] < self.direct[a, b]:
                        self.direct[a, b] = d[r, nodes[c]]
            self.pred[z] = (
                members,
                nodes,
                p,
                mx.ArcIndex(g.tail, g.head, bg.time_s, np.flatnonzero(allowed), g.n_nodes),
            )


class OpsNetwork:
    """Stops on the road graph with the closures of each time slice (module docstring).

    Parameters
    ----------
    project : Project
    locs : list of (kind, id, x, y)
        The stops: kind "depot", "site" or "point".
    zones : GeoDataFrame
    slices : list of dict
        From ``duty.time_slices`` (start, end).
    cr : CrewRules
    graph : RoadGraph, optional
    precaution_factor : float
    """

    def __init__(self, project, locs, zones, slices, cr, graph=None, precaution_factor=1.5):
        from heatgis.routing.planner import build_graph

        self.locs, self.cr, self.zones = list(locs), cr, zones
        self.n_active = len(self.locs)
        self.acc_row = list(range(self.n_active))  # active stop → row of the access tables
        self._where = {(k, i): n for n, (k, i, _, _) in enumerate(self.locs)}
        allp = self.locs
        self.ids = [f"{k}:{i}" for k, i, _, _ in allp]
        base = graph if graph is not None else build_graph(project)
        self.base = base
        self.g = base.attach(shapely.points([(x, y) for _, _, x, y in allp]), self.ids)
        self.slices = slices
        self.starts = [pd.Timestamp(s["start"]) for s in slices]
        self._starts64 = np.array(self.starts, dtype="datetime64[ns]")
        self._nets: dict = {}
        self.slice_key = []
        for s in slices:
            key = tuple(sorted(_active_ids(zones, s["start"])))
            if key not in self._nets:
                self._nets[key] = _SliceNet(self.g, zones, s["start"], self.ids, self.n_active, cr, precaution_factor)
            self.slice_key.append(key)
        self.gin, self.gout = cr.gear_entry_min * 60, cr.gear_exit_min * 60

    @property
    def n_matrices(self) -> int:
        return len(self._nets)

    def net(self, s: int) -> _SliceNet:
        return self._nets[self.slice_key[s]]

    def slice_at(self, t) -> int:
        """Index of the slice holding ``t`` (clipped to the horizon)."""
        k = int(np.searchsorted(self._starts64, np.datetime64(pd.Timestamp(t), "ns"), side="right")) - 1
        return min(max(k, 0), len(self.starts) - 1)

    def index(self, kind: str, ident: str, x: float | None = None, y: float | None = None) -> int | None:
        """The stop index of a location; a new one (a ticket's site or map point) is added.

        A new stop joins the road graph at the nearest road node (no re-attachment, so it is
        fast): for each slice, one forward and one reverse Dijkstra on the open roads plus the
        roads of the closed zones holding the point give its row and column of the matrix.
        """
        k = self._where.get((kind, ident))
        if k is not None:
            return k
        if x is None:
            return None
        g = self.g
        road = np.flatnonzero(~np.isin(np.arange(g.n_nodes), g.points["node"].to_numpy(np.int64)))
        node = int(road[np.argmin(np.hypot(g.xy[road, 0] - x, g.xy[road, 1] - y))])
        pt = shapely.points(x, y)
        for net in self._nets.values():
            bg = net.bg
            hold = [int(z) for z in np.flatnonzero(shapely.intersects(bg.zone_geoms, pt))] if len(bg.zone_geoms) else []
            allowed = ~bg.closed
            if hold and len(bg.arc_zone):
                az = bg.arc_zone
                nclose = np.bincount(az[:, 0], minlength=g.n_arcs)
                cnt = np.bincount(az[np.isin(az[:, 1], hold), 0], minlength=g.n_arcs)
                allowed = allowed | ((cnt == nclose) & (nclose > 0))
            t = net.acc.table
            rows = np.asarray(self.acc_row, np.int64)
            out_n, in_n = t["out_node"].to_numpy(np.int64)[rows], t["in_node"].to_numpy(np.int64)[rows]
            fwd_g, rev_g, arc_index = self._point_graphs(net, tuple(hold), allowed)
            fwd, pf = dijkstra(fwd_g, directed=True, indices=node, return_predecessors=True)
            rev, pr = dijkstra(rev_g, directed=True, indices=node, return_predecessors=True)
            row = fwd[in_n] + t["in_s"].to_numpy(float)[rows]
            col = t["out_s"].to_numpy(float)[rows] + rev[out_n]
            n = net.m.shape[0]
            m = np.full((n + 1, n + 1), np.inf)
            m[:n, :n], m[n, :n], m[:n, n], m[n, n] = net.m, row, col, 0.0
            net.m = m
            d = np.full((n + 1, n + 1), np.inf)
            d[:n, :n] = net.direct
            net.direct = d
            net.extra[n] = (
                node,
                pf,
                pr,
                arc_index,
                bool(hold),
                bg.zone_ids(hold),
            )
        self.acc_row.append(-1)
        self.locs.append((kind, ident, float(x), float(y)))
        self._where[(kind, ident)] = len(self.locs) - 1
        return len(self.locs) - 1

    def _point_graphs(self, net, hold: tuple, allowed):
        """(forward graph, reverse graph, ArcIndex) of the roads ``allowed`` for a new stop inside the
        zones ``hold`` of slice net ``net``; made once per slice net and zones (the open roads' forward
        graph and index are the leg builder's)."""
        cache = net.point_graphs
        got = cache.get(hold)
        if got is None:
            g, bg = self.g, net.bg
            if hold:
                fwd = g.csr(bg.time_s, mask=allowed)
                index = mx.ArcIndex(g.tail, g.head, bg.time_s, np.flatnonzero(allowed), g.n_nodes)
            else:  # allowed == ~bg.closed: the open roads
                fwd, index = net.lb.csr, net.lb.lookup
            got = cache[hold] = (fwd, g.csr(bg.time_s, mask=allowed, transpose=True), index)
        return got

    def reachable(self, loc: int, s: int) -> bool:
        net = self.net(s)
        if self.acc_row[loc] < 0:
            return bool(np.isfinite(net.m[loc]).sum() > 1)
        return bool(net.acc.table["reachable"].iloc[self.acc_row[loc]])

    def reason(self, loc: int, s: int) -> str:
        """Why ``loc`` cannot be reached in slice ``s`` ("" when it can), a ``Text``."""
        if self.acc_row[loc] < 0:
            return (
                ""
                if self.reachable(loc, s)
                else Text("unreachable: no open road leads there", "无法到达：没有可通行的道路通往该处")
            )
        why = self.net(s).acc.table["reason"].iloc[self.acc_row[loc]]
        return why if isinstance(why, str) else str(why)

    def _in_zone(self, net, loc) -> bool:
        r = self.acc_row[loc]
        return net.extra[loc][4] if r < 0 else bool(net.in_zone[r])

    def _time(self, net, a, b, gear_a, gear_b):
        """(seconds, direct) from stop a to stop b in one slice (gear of work stops in zones)."""
        if a == b:
            return 0.0, False
        t = (
            net.m[a, b]
            + (self.gout if gear_a and self._in_zone(net, a) else 0)
            + (self.gin if gear_b and self._in_zone(net, b) else 0)
        )
        d = net.direct[a, b]
        return (float(d), True) if d < t else (float(t), False)

    def leg(self, a: int, b: int, gear_a: bool, gear_b: bool, t) -> tuple[float, bool, int]:
        """(seconds, direct, slice) of the leg a → b started at ``t``."""
        s = self.slice_at(t)
        sec, direct = self._time(self.net(s), a, b, gear_a, gear_b)
        return sec, direct, s

    def leg_in_time(self, a: int, b: int, gear_a: bool, gear_b: bool, t) -> tuple[float, bool, int]:
        """``leg`` started at ``t``, routed under the closures at arrival when they change on the way.

        A zone imposed while the vehicle drives would close roads the leg planned at ``t`` uses: the
        leg is then routed under the closures of the slice it arrives in (when that way exists).
        """
        sec, direct, s = self.leg(a, b, gear_a, gear_b, t)
        if np.isfinite(sec):
            s2 = self.slice_at(pd.Timestamp(t) + pd.Timedelta(seconds=float(sec)))
            if s2 != s and self.slice_key[s2] != self.slice_key[s]:
                sec2, direct2 = self._time(self.net(s2), a, b, gear_a, gear_b)
                if np.isfinite(sec2):
                    return sec2, direct2, s2
        return sec, direct, s

    def closed_on_way(self, arcs, s: int, t0, t1, a: int, b: int) -> list[str]:
        """Sealed or controlled zones closed at some time in ``[t0, t1]`` (but not in slice ``s``, the
        closures the leg was routed under) whose inside the leg's roads cross; the zones of its two
        ends do not count (the way in and out of a stop). Empty for a leg driven as planned."""
        k0, k1 = self.slice_at(t0), self.slice_at(t1)
        closed = set()
        for k in range(k0, k1 + 1):
            closed |= set(self.slice_key[k])
        extra = closed - set(self.slice_key[s])
        if extra:
            extra -= set(self.zones_of(a, s)) | set(self.zones_of(b, s))
        if not extra or not arcs or not len(self.zones):
            return []
        z = self.zones[
            self.zones["zone_id"].astype(str).isin(extra) & self.zones["level"].isin(["sealed", "controlled"])
        ]
        geom = self.geometry(arcs)
        return [
            str(zid) for zid, poly in zip(z["zone_id"], z.geometry) if geom.intersection(poly.buffer(-1.0)).length > 1.0
        ]

    def composite(self, node_loc, gear_node, slice_of_node, n_dep, last_slice=None) -> np.ndarray:
        """Node-to-node seconds: column j under the closures of slice ``slice_of_node[j]``; depots
        (the first ``n_dep`` nodes) as columns under the slice of the row.

        ``last_slice[j]``: the slice in which stop j's window closes. When the closures change
        inside its window the column is the longest finite time over those slices (the stop may
        be reached at any time of its window: the solver plans with the way that always works, and
        the drive-through times the leg when it is driven).
        """
        n = len(node_loc)
        out = np.empty((n, n))
        node_loc = np.asarray(node_loc)
        slice_of_node = np.asarray(slice_of_node)
        rows_of = np.asarray(self.acc_row, np.int64)[node_loc]
        fulls: dict = {}

        def full(s):
            key = self.slice_key[s]
            if key not in fulls:
                net = self.net(s)
                gout = np.where(gear_node & net.in_zone[rows_of], self.gout, 0.0)
                gin = np.where(gear_node & net.in_zone[rows_of], self.gin, 0.0)
                f = net.m[np.ix_(node_loc, node_loc)] + gout[:, None] + gin[None, :]
                fulls[key] = np.minimum(f, net.direct[np.ix_(node_loc, node_loc)])
            return fulls[key]

        for s in sorted(set(int(x) for x in slice_of_node)):
            f = full(s)
            cols = np.flatnonzero(slice_of_node == s)
            cols = cols[cols >= n_dep]
            out[:, cols] = f[:, cols]
            rows = np.flatnonzero(slice_of_node == s)
            out[np.ix_(rows, np.arange(n_dep))] = f[np.ix_(rows, np.arange(n_dep))]
        if last_slice is not None:
            spans: dict = {}
            for j in range(n_dep, n):
                a, b = int(slice_of_node[j]), int(last_slice[j])
                keys = tuple(sorted({self.slice_key[k] for k in range(a, b + 1)} - {self.slice_key[a]}))
                if keys:
                    spans.setdefault((a, b), []).append(j)
            for (a, b), cols in spans.items():
                cols = np.asarray(cols)
                stack = np.stack([full(k)[:, cols] for k in range(a, b + 1)])
                finite = np.where(np.isfinite(stack), stack, -np.inf).max(axis=0)
                out[:, cols] = np.where(np.isfinite(finite), finite, np.inf)
        np.fill_diagonal(out, 0.0)
        same = node_loc[:, None] == node_loc[None, :]
        out[same] = 0.0
        return out

    def arcs(self, a: int, b: int, s: int, direct: bool) -> list[int]:
        """The arcs of the leg a → b in slice ``s``."""
        net = self.net(s)
        if a == b:
            return []
        if direct:
            for members, nodes, pred, index in net.pred.values():
                if a in members and b in members:
                    ra, cb = members.index(a), members.index(b)
                    path = mx.path_nodes(pred[ra], nodes[ra], nodes[cb])
                    if path is not None:
                        return mx.nodes_to_arcs(path, index)
        ra, rb = self.acc_row[a], self.acc_row[b]
        if ra >= 0 and rb >= 0:
            return net.lb.arcs(ra, rb)
        t = net.acc.table
        if ra < 0:  # from an added stop: its tree to the entry gate of b, then b's entry leg
            node, pf, _, index, _, _ = net.extra[a]
            if rb < 0:
                return []
            path = mx.path_nodes(pf, node, int(t["in_node"].iloc[rb]))
            return (mx.nodes_to_arcs(path, index) if path else []) + list(net.acc.in_arcs[rb])
        node, _, pr, index, _, _ = net.extra[b]
        path = mx.path_nodes(pr, node, int(t["out_node"].iloc[ra]))
        return list(net.acc.out_arcs[ra]) + (mx.nodes_to_arcs(path[::-1], index) if path else [])

    def geometry(self, arcs):
        return self.net(0).lb.geometry(arcs) if arcs else None

    def length(self, arcs) -> float:
        return float(self.g.length_m[arcs].sum()) if arcs else 0.0

    def zones_of(self, loc: int, s: int) -> list[str]:
        net = self.net(s)
        if self.acc_row[loc] < 0:
            return list(net.extra[loc][5])
        if not hasattr(net, "zone_lists"):  # a plain list: a DataFrame row lookup per stop is slow
            net.zone_lists = [list(z) for z in net.acc.table["zones"]]
        return list(net.zone_lists[self.acc_row[loc]])


def _matrix(acc, lb, n_active) -> np.ndarray:
    """``stop_matrix`` of the first ``n_active`` stops, keeping the trees for the legs (one Dijkstra call)."""
    t = acc.table.iloc[:n_active]
    out_nodes = t["out_node"].to_numpy(dtype=np.int64)
    in_nodes = t["in_node"].to_numpy(dtype=np.int64)
    uniq = np.unique(out_nodes)
    d, pred = dijkstra(lb.csr, directed=True, indices=uniq, return_predecessors=True)
    d, pred = np.atleast_2d(d), np.atleast_2d(pred)
    for k, src in enumerate(uniq.tolist()):
        lb._pred[src] = pred[k]
    rows = d[np.searchsorted(uniq, out_nodes)][:, in_nodes]
    m = t["out_s"].to_numpy(float)[:, None] + rows + t["in_s"].to_numpy(float)[None, :]
    bad = ~t["reachable"].to_numpy(bool)
    m[bad, :] = np.inf
    m[:, bad] = np.inf
    np.fill_diagonal(m, 0.0)
    return m


def _active_ids(zones, t) -> list[str]:
    if not len(zones):
        return []
    st, en = pd.to_datetime(zones["start"]), pd.to_datetime(zones["end"])
    on = (st <= t) & (en.isna() | (en > t))
    return zones.loc[on.to_numpy(), "zone_id"].astype(str).tolist()
