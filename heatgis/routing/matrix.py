"""Travel-time matrices and shortest paths on a road graph (scipy.sparse.csgraph).

Dijkstra runs from the needed source nodes only, in chunks, so memory stays at
``chunk × n_nodes`` however many sources there are; only the target columns are
kept.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse.csgraph import dijkstra

from heatgis.errors import Feedback
from heatgis.text import Text


def travel_matrix(csr, sources, targets, chunk: int = 64, feedback: Feedback | None = None) -> np.ndarray:
    """Shortest travel times from each source node to each target node.

    Parameters
    ----------
    csr : scipy.sparse.csr_matrix
        The graph (``RoadGraph.csr``): arc weights in seconds.
    sources, targets : sequence of int
        Node indices.
    chunk : int
        Sources per Dijkstra call.
    feedback : heatgis.errors.Feedback, optional
        Progress 0-100 per chunk; checked before each chunk (raises ``Cancelled``).

    Returns
    -------
    ndarray (len(sources), len(targets))
        Seconds; ``inf`` where a target cannot be reached.
    """
    sources = np.asarray(sources, dtype=np.int64)
    targets = np.asarray(targets, dtype=np.int64)
    out = np.full((len(sources), len(targets)), np.inf)
    if len(sources) == 0 or len(targets) == 0:
        return out
    uniq, inv = np.unique(sources, return_inverse=True)
    rows = np.empty((len(uniq), len(targets)))
    for k in range(0, len(uniq), chunk):
        if feedback is not None:
            feedback.check("the travel-time matrix")
        d = dijkstra(csr, directed=True, indices=uniq[k : k + chunk])
        rows[k : k + chunk] = np.atleast_2d(d)[:, targets]
        if feedback is not None:
            feedback.set_progress(min(100.0, 100.0 * (k + chunk) / len(uniq)), Text("travel times", "行车时间"))
    out[:] = rows[inv]
    return out


def tree(csr, source: int):
    """Distances and predecessors of a single-source shortest-path tree."""
    d, pred = dijkstra(csr, directed=True, indices=int(source), return_predecessors=True)
    return d, pred


def path_nodes(pred: np.ndarray, source: int, target: int) -> list[int] | None:
    """The node sequence source → target from a predecessor array (None when unreachable)."""
    if source == target:
        return [int(source)]
    if pred[target] < 0:
        return None
    out = [int(target)]
    node = int(target)
    while node != source:
        node = int(pred[node])
        if node < 0:
            return None
        out.append(node)
    return out[::-1]


class ArcIndex:
    """(tail, head) → the fastest of the given arcs, as a sorted key array (no Python dict)."""

    def __init__(self, tail, head, time_s, arcs, n_nodes: int):
        arcs = np.asarray(arcs, dtype=np.int64)
        key = tail[arcs].astype(np.int64) * n_nodes + head[arcs]
        order = np.lexsort((time_s[arcs], key))
        key, arcs = key[order], arcs[order]
        first = np.r_[True, key[1:] != key[:-1]] if len(key) else np.zeros(0, bool)
        self.key, self.arcs, self.n = key[first], arcs[first], int(n_nodes)

    def lookup(self, tails, heads) -> np.ndarray:
        k = np.asarray(tails, np.int64) * self.n + np.asarray(heads, np.int64)
        pos = np.searchsorted(self.key, k)
        if len(k) and (np.any(pos >= len(self.key)) or np.any(self.key[np.minimum(pos, len(self.key) - 1)] != k)):
            raise KeyError("the path uses a pair of nodes with no arc between them")
        return self.arcs[pos]


def nodes_to_arcs(nodes: list[int], index: ArcIndex) -> list[int]:
    """Arc indices along a node path."""
    nodes = np.asarray(nodes, dtype=np.int64)
    return index.lookup(nodes[:-1], nodes[1:]).tolist()
