"""Connected components of an undirected graph given as edge lists, in numpy.

Used where a graph is built once and only its components are needed (the staffing solver's groups
of people and places), so the app does not import scipy.sparse (~0.35 s) on its way to the first
map. Routing keeps scipy.sparse.csgraph (shortest paths, and the components of snapped road vertices).
"""

from __future__ import annotations

import numpy as np


def connected_labels(n: int, a, b) -> np.ndarray:
    """Component label of each of ``n`` nodes for the undirected edges ``a[k] - b[k]``.

    Labels run 0..k-1 in the order of each component's smallest node, as
    ``scipy.sparse.csgraph.connected_components(directed=False)`` numbers them.
    Hook-and-shortcut union: each edge hooks the larger root under the smaller, then
    pointer jumping flattens the trees; a few rounds suffice.
    """
    parent = np.arange(n)
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    while True:
        ra, rb = parent[a], parent[b]
        differ = ra != rb
        if not differ.any():
            break
        np.minimum.at(parent, np.maximum(ra, rb)[differ], np.minimum(ra, rb)[differ])
        while True:
            jumped = parent[parent]
            if np.array_equal(jumped, parent):
                break
            parent = jumped
    return np.unique(parent, return_inverse=True)[1].ravel()
