"""Reading one layer of a GeoPackage, a large one in parts.

pyogrio holds the interpreter lock for the whole of one read: the 247,500 streets of the 10x city
are one ~0.9 s stretch in which no other thread of the process runs a line of Python (the app's
window, while its open's worker reads, did not answer for that long). Read by ranges of the
feature id, a large layer comes in parts of ``CHUNK_FEATURES``: the same frame in about the same
time, the lock handed over between parts. The file's version is checked around the whole read
(``gpkg.open_project``), so the parts belong to one state of the file.
"""

from __future__ import annotations

import pandas as pd

from heatgis.model.store import sqlgpkg as sg

#: a layer of more features is read in parts of this many (~60 ms each here)
CHUNK_FEATURES = 30_000
#: parts by feature id only while the ids are this dense (ids spread far apart: one read)
MAX_SPREAD = 4


def read_layer(path, layer: str, columns=None):
    """The layer as ``pyogrio.read_dataframe(path, layer=..., fid_as_index=True, columns=...)`` gives
    it, in feature-id order; read in parts when it is large."""
    import pyogrio

    kw = {"layer": layer, "fid_as_index": True, "columns": columns}
    info = pyogrio.read_info(path, layer=layer)
    n, fid = int(info.get("features") or 0), info.get("fid_column") or ""
    ranges = _ranges(path, layer, fid, n) if n > CHUNK_FEATURES and fid else None
    if ranges is None:
        return pyogrio.read_dataframe(path, **kw)
    q = sg.quote(fid)
    parts = [pyogrio.read_dataframe(path, where=f"{q} >= {lo} AND {q} < {hi}", **kw) for lo, hi in ranges]
    full = [p for p in parts if len(p)]
    if not full:
        return parts[0]
    frame = pd.concat(full) if len(full) > 1 else full[0]
    return frame.sort_index() if not frame.index.is_monotonic_increasing else frame


def _ranges(path, layer: str, fid: str, n: int) -> list[tuple[int, int]] | None:
    """[lo, hi) feature-id ranges of about ``CHUNK_FEATURES`` ids each, or None (ids too sparse)."""
    con = sg.connect(path)
    try:
        lo, hi = con.execute(f"SELECT MIN({sg.quote(fid)}), MAX({sg.quote(fid)}) FROM {sg.quote(layer)}").fetchone()
    finally:
        con.close()
    if lo is None or hi is None or (hi - lo + 1) > MAX_SPREAD * n:
        return None
    return [(a, min(a + CHUNK_FEATURES, hi + 1)) for a in range(int(lo), int(hi) + 1, CHUNK_FEATURES)]
