"""Heat-network tracing: which stations hang downstream of a node of the pipe network.

Pipes run from ``from_id`` (upstream) to ``to_id`` (downstream). Nodes are heat
sources, boiler rooms, stations and junctions named only in the pipes layer.
"""

from __future__ import annotations

from collections import deque

import numpy as np
import pandas as pd


class PipeNetwork:
    """A directed graph of the pipes, built once, traced many times.

    Parameters
    ----------
    pipes : DataFrame
        The contract's pipes layer (``from_id``, ``to_id``).
    """

    def __init__(self, pipes: pd.DataFrame):
        if len(pipes) and {"from_id", "to_id"} <= set(pipes.columns):
            a = pipes["from_id"].astype(str).to_numpy()
            b = pipes["to_id"].astype(str).to_numpy()
        else:
            a = b = np.array([], dtype=object)
        self.nodes, inverse = np.unique(np.concatenate([a, b]), return_inverse=True)
        self.index = {n: i for i, n in enumerate(self.nodes.tolist())}
        n = len(self.nodes)
        src, dst = inverse[: len(a)], inverse[len(a) :]
        # adjacency in CSR form: the heads of node k's pipes are heads[start[k]:start[k + 1]], sorted
        order = np.lexsort((dst, src))
        self._heads = dst[order]
        self._start = np.searchsorted(src[order], np.arange(n + 1))

    def downstream(self, node_id: str) -> list[str]:
        """All nodes reachable downstream of ``node_id`` (itself excluded)."""
        i = self.index.get(str(node_id))
        if i is None:
            return []
        heads, start = self._heads, self._start
        seen, reached, queue = {i}, [], deque([i])
        while queue:  # breadth first; a pipe network has thousands of nodes, not millions
            k = queue.popleft()
            for j in heads[start[k] : start[k + 1]].tolist():
                if j not in seen:
                    seen.add(j)
                    reached.append(j)
                    queue.append(j)
        return [self.nodes[j] for j in reached]

    def downstream_many(self, node_ids) -> dict[str, list[str]]:
        """``{node_id: downstream node ids}`` for each given node present in the network."""
        return {str(n): self.downstream(n) for n in node_ids if str(n) in self.index}
