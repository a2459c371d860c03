"""The road graph: roads layer (or an OpenStreetMap file) → a directed, timed graph.

``RoadGraph.from_roads(frame)`` reads a contract ``roads`` layer;
``RoadGraph.from_osm(path, crs)`` reads an ``.osm``/``.osm.pbf`` file through
GDAL's OSM driver (``pyogrio.read_dataframe(path, layer="lines")``), maps the
``highway`` tag onto the contract's road classes and speeds, reads ``oneway``
and ``maxspeed`` from ``other_tags`` and reprojects to a metric CRS.

How the graph is built (vertices snapped within ``snap_m``, lines split at their nodes,
``oneway``, travel times from ``speed_kmh`` or ``CLASS_SPEED_KMH``) is told in
:mod:`heatgis.routing.roads_build`.

Attaching points
----------------
``graph.attach(points)`` returns a new graph with, for each point, a node at the
point and a two-way *access arc* to the nearest road edge, which is **split**
at the projected point (``method="split"``); when the projected point is within
``snap_m`` of an end of the edge, the existing node is used
(``method="node"``). The access arc runs at ``ACCESS_SPEED_KMH``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from heatgis.errors import HeatGISError
from heatgis.routing.roads_build import graph_from_roads
from heatgis.text import Text

#: speed on the short leg from a site or depot to its road (km/h)
ACCESS_SPEED_KMH = 10.0


@dataclass
class RoadGraph:
    """A directed road graph.

    Attributes
    ----------
    xy : ndarray (n_nodes, 2)
        Node coordinates (project CRS, metres).
    tail, head : ndarray of int
        Arc ends; arc ``k`` runs ``tail[k] → head[k]``.
    time_s, length_m : ndarray of float
        Arc travel time and length.
    edge : ndarray of int
        The undirected edge each arc runs along (index into ``edges``).
    forward : ndarray of bool
        True when the arc runs in the edge's digitised direction.
    edges : GeoDataFrame-like DataFrame
        One row per edge: ``road_id``, ``name``, ``road_class``, ``access`` (bool:
        a site/depot access arc), ``geometry`` (shapely LineString array in ``geoms``).
    geoms : ndarray of LineString
        Edge geometries, digitised direction.
    crs : str
    points : DataFrame
        Attached points: ``point_id``, ``node``, ``road_node``, ``edge``,
        ``offset_m``, ``method`` ("split" / "node").
    notes : list of Problem
        Warnings collected while building (rows skipped and why).
    """

    xy: np.ndarray
    tail: np.ndarray
    head: np.ndarray
    time_s: np.ndarray
    length_m: np.ndarray
    edge: np.ndarray
    forward: np.ndarray
    edges: pd.DataFrame
    geoms: np.ndarray
    crs: str | None = None
    points: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["point_id", "node", "road_node", "edge", "offset_m", "method"])
    )
    notes: list = field(default_factory=list)

    # ------------------------------------------------------------------ size
    @property
    def n_nodes(self) -> int:
        return len(self.xy)

    @property
    def n_arcs(self) -> int:
        return len(self.tail)

    def csr(
        self, weight: np.ndarray | None = None, mask: np.ndarray | None = None, transpose: bool = False
    ) -> sparse.csr_matrix:
        """The graph as a sparse matrix for ``scipy.sparse.csgraph``.

        Parameters
        ----------
        weight : ndarray, optional
            Arc weights (default travel time). Arcs with a non-finite weight are left out.
        mask : ndarray of bool, optional
            Arcs to keep.
        transpose : bool
            Reverse every arc (for shortest paths *to* a node).
        """
        w = self.time_s if weight is None else weight
        keep = np.isfinite(w)
        if mask is not None:
            keep &= mask
        t, h = (self.head, self.tail) if transpose else (self.tail, self.head)
        t, h, w = t[keep], h[keep], w[keep]
        # parallel arcs: keep the fastest (csr would sum duplicates)
        order = np.lexsort((w, h, t))
        t, h, w = t[order], h[order], w[order]
        first = np.ones(len(t), bool)
        first[1:] = (t[1:] != t[:-1]) | (h[1:] != h[:-1])
        t, h, w = t[first], h[first], w[first]
        # csgraph treats explicit zeros as missing arcs: keep them tiny instead
        w = np.maximum(w, 1e-6)
        return sparse.csr_matrix((w, (t, h)), shape=(self.n_nodes, self.n_nodes))

    def arc_lookup(self) -> dict:
        """(tail, head) → index of the fastest arc between them."""
        order = np.lexsort((-self.time_s, self.head, self.tail))
        return {(int(self.tail[k]), int(self.head[k])): int(k) for k in order}

    def arc_geometry(self, k: int) -> np.ndarray:
        """The coordinates of arc ``k`` in driving direction."""
        c = shapely.get_coordinates(self.geoms[self.edge[k]])
        return c if self.forward[k] else c[::-1]

    def main_component(self, mask: np.ndarray | None = None) -> np.ndarray:
        """Boolean node mask of the largest strongly connected component."""
        n, labels = connected_components(self.csr(mask=mask), directed=True, connection="strong")
        sizes = np.bincount(labels, minlength=n)
        return labels == int(np.argmax(sizes))

    # ------------------------------------------------------------------ building
    @classmethod
    def from_roads(cls, roads, snap_m: float = 0.5, file=None, layer: str = "roads") -> RoadGraph:
        """Build the graph from a contract ``roads`` layer.

        Parameters
        ----------
        roads : GeoDataFrame
            road_id, name, road_class, speed_kmh, oneway, LineString geometry, metric CRS.
        snap_m : float
            Vertices closer than this become one node.
        file, layer : optional
            Named in error messages.

        Raises
        ------
        HeatGISError
            No roads, a geographic CRS, a bad ``oneway`` or speed value.
        """
        return graph_from_roads(cls, roads, snap_m, file, layer)

    @classmethod
    def from_osm(cls, path, crs=None, snap_m: float = 0.5) -> RoadGraph:
        """Build the graph from an OpenStreetMap ``.osm`` / ``.osm.pbf`` file.

        Parameters
        ----------
        path : path-like
        crs : str, optional
            The metric CRS to work in; default the UTM zone of the data.

        Raises
        ------
        HeatGISError
            The file is missing, unreadable, or holds no driveable ways.
        """
        from heatgis.routing.osm_roads import read_osm_roads

        frame = read_osm_roads(path, crs)
        return cls.from_roads(frame, snap_m=snap_m, file=path, layer="lines")

    # ------------------------------------------------------------------ attaching
    def attach(self, points, ids, snap_m: float = 0.5) -> RoadGraph:
        """A new graph with each point joined to its nearest road edge.

        Parameters
        ----------
        points : array of shapely Point
        ids : sequence of str
            One id per point (``points`` table of the new graph).
        snap_m : float
            A projected point closer than this to an edge end uses that node
            (``method="node"``); otherwise the edge is split there (``"split"``).

        Returns
        -------
        RoadGraph
            With ``points`` listing, for each point, its own node (``node``) and the
            road node it joins (``road_node``).
        """
        points = np.asarray(points, dtype=object)
        ids = [str(i) for i in ids]
        pe = self._nearest_road_edges(points)
        along = shapely.line_locate_point(self.geoms[pe], points)
        add = _Additions(self)
        rec = self._split_for(pe, along, snap_m, add)
        prow = self._access(points, ids, rec, add)
        keep = ~add.drop
        new = add.arcs
        edges = pd.concat([self.edges, pd.DataFrame(add.edges, columns=self.edges.columns)], ignore_index=True)
        edges["access"] = edges["access"].astype(bool)
        return RoadGraph(
            xy=np.concatenate(add.xy),
            tail=np.r_[self.tail[keep], np.array(new["tail"], np.int64)],
            head=np.r_[self.head[keep], np.array(new["head"], np.int64)],
            time_s=np.r_[self.time_s[keep], np.array(new["time_s"], float)],
            length_m=np.r_[self.length_m[keep], np.array(new["length_m"], float)],
            edge=np.r_[self.edge[keep], np.array(new["edge"], np.int64)],
            forward=np.r_[self.forward[keep], np.array(new["forward"], bool)],
            edges=edges,
            geoms=np.concatenate([self.geoms, np.array(add.geoms, dtype=object)]),
            crs=self.crs,
            points=pd.DataFrame(prow, columns=["point_id", "node", "road_node", "edge", "offset_m", "method"]),
            notes=list(self.notes),
        )

    def _nearest_road_edges(self, points) -> np.ndarray:
        """The nearest road (not access) edge of each point."""
        road_idx = np.flatnonzero(~self.edges["access"].to_numpy())
        tree = shapely.STRtree(self.geoms[road_idx])
        _, hit = tree.query_nearest(points, return_distance=False, all_matches=False)
        pe = road_idx[hit]
        if len(pe) != len(points):
            raise HeatGISError(
                Text(
                    "some points could not be joined to a road (empty geometry?)",
                    "有些点无法连接到道路（几何图形为空？）",
                ),
                Text("give every site and depot a point geometry", "为每个站点和驻地设置点几何图形"),
            )
        return pe

    def _split_for(self, pe, along, snap_m, add: _Additions) -> list:
        """The road node each point joins: an end of its edge (``"node"``) or a new node splitting
        the edge there (``"split"``, the edge's arcs replaced by its pieces'); (point, road node,
        edge, method) per point."""
        from shapely.ops import substring

        elen = shapely.length(self.geoms[pe])
        # per edge: its arcs (to remove and replace by split pieces)
        arcs_of: dict[int, list[int]] = {}
        for k in np.flatnonzero(np.isin(self.edge, np.unique(pe))):
            arcs_of.setdefault(int(self.edge[k]), []).append(int(k))
        rec = []
        order = np.lexsort((along, pe))
        bounds_ = np.flatnonzero(np.r_[True, pe[order][1:] != pe[order][:-1], True])
        for g0, g1 in zip(bounds_[:-1], bounds_[1:]):
            grp = [int(j) for j in order[g0:g1]]
            e = int(pe[grp[0]])
            arcs = arcs_of[e]
            fw_arc = next((a for a in arcs if self.forward[a]), None)
            bw_arc = next((a for a in arcs if not self.forward[a]), None)
            ref = fw_arc if fw_arc is not None else bw_arc
            u = int(self.tail[ref]) if self.forward[ref] else int(self.head[ref])
            v = int(self.head[ref]) if self.forward[ref] else int(self.tail[ref])
            sec_per_m = self.time_s[ref] / max(self.length_m[ref], 1e-9)
            L = float(elen[grp[0]])
            # road nodes along the edge: existing ends or new split nodes
            cuts, cut_nodes = [], []
            road_node = {}
            for p in grp:
                d = float(along[p])
                if d <= snap_m:
                    road_node[p], method = u, "node"
                elif d >= L - snap_m:
                    road_node[p], method = v, "node"
                else:
                    if cuts and abs(d - cuts[-1]) <= snap_m:
                        road_node[p] = cut_nodes[-1]
                    else:
                        cuts.append(d)
                        at = shapely.line_interpolate_point(self.geoms[e], d)
                        cut_nodes.append(add.node(np.asarray(shapely.get_coordinates(at))))
                        road_node[p] = cut_nodes[-1]
                    method = "split"
                rec.append((p, road_node[p], e, method))
            if cuts:
                add.drop[arcs] = True
                bounds = [0.0] + cuts + [L]
                chain = [u] + cut_nodes + [v]
                attrs = self.edges.iloc[e].to_dict()
                for s in range(len(bounds) - 1):
                    piece = substring(self.geoms[e], bounds[s], bounds[s + 1])
                    ln = bounds[s + 1] - bounds[s]
                    eid = add.edge(piece, attrs)
                    add.arc(eid, chain[s], chain[s + 1], ln, ln * sec_per_m, fw_arc is not None, bw_arc is not None)
        return rec

    def _access(self, points, ids, rec, add: _Additions) -> list[dict]:
        """The point nodes and their two-way access arcs to their road nodes; the ``points`` rows."""
        pt_xy = shapely.get_coordinates(points)
        prow = []
        rec.sort()
        for p, rn, e, method in rec:
            node = add.node(pt_xy[p : p + 1])
            rxy = add.xy[rn - self.n_nodes + 1][0] if rn >= self.n_nodes else self.xy[rn]
            off = float(np.hypot(*(pt_xy[p] - rxy)))
            geom = (
                shapely.LineString([pt_xy[p], rxy])
                if off > 0
                else shapely.LineString([pt_xy[p], pt_xy[p] + [0.0, 1e-3]])
            )
            eid = add.edge(geom, {"road_id": f"access:{ids[p]}", "name": None, "road_class": "access", "access": True})
            add.arc(eid, node, rn, off, off / (ACCESS_SPEED_KMH / 3.6), True, True)
            prow.append(
                {"point_id": ids[p], "node": node, "road_node": rn, "edge": e, "offset_m": off, "method": method}
            )
        return prow

    def node_of(self, point_id: str) -> int:
        """The node of an attached point."""
        hit = self.points.index[self.points["point_id"] == str(point_id)]
        if len(hit) == 0:
            raise KeyError(point_id)
        return int(self.points.at[hit[0], "node"])


class _Additions:
    """What ``RoadGraph.attach`` adds to a graph: nodes (their coordinates after the graph's),
    edges with their geometries, arcs, and the graph's arcs it drops (split edges)."""

    def __init__(self, graph: RoadGraph):
        self.xy = [graph.xy]
        self.n_nodes = graph.n_nodes
        self.n_edges = len(graph.edges)
        self.drop = np.zeros(graph.n_arcs, bool)
        self.arcs: dict[str, list] = {"tail": [], "head": [], "time_s": [], "length_m": [], "edge": [], "forward": []}
        self.edges: list[dict] = []
        self.geoms: list = []

    def node(self, xy) -> int:
        """A new node at ``xy`` (one row of coordinates); its number."""
        self.xy.append(xy)
        self.n_nodes += 1
        return self.n_nodes - 1

    def edge(self, geom, attrs) -> int:
        self.edges.append(attrs)
        self.geoms.append(geom)
        self.n_edges += 1
        return self.n_edges - 1

    def arc(self, e, t, h, length, time, fwd, bwd) -> None:
        """The arcs of edge ``e`` between nodes ``t`` and ``h``: forward, backward or both."""
        for cond, a, b, f in ((fwd, t, h, True), (bwd, h, t, False)):
            if cond:
                for key, val in zip(self.arcs, (a, b, time, length, e, f)):
                    self.arcs[key].append(val)
