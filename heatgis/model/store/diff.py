"""Which rows of a layer the planner changed: the current frame against its snapshot as read.

Rows equal to a row as read (all values and the geometry) are left alone in the
file; a changed row is paired with its row as read by its id and only the cells
that differ are written; rows without a partner are inserted or deleted. A value
the contract could not read (a households ``"约300"`` stored as text) is missing
in both the snapshot and the frame, so it is never overwritten.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

GEOM = "\x00geometry"  # the geometry's key among a plan's changed columns

#: pandas copy-on-write (always on from pandas 3): a shallow copy of a frame keeps its values even
#: when the frame is later changed in place, so a snapshot can share the frame's column buffers and
#: a layer whose columns still share them is unchanged without hashing a row
COPY_ON_WRITE = int(pd.__version__.split(".")[0]) >= 3 or pd.get_option("mode.copy_on_write") is True


def snapshot_copy(frame):
    """A copy of ``frame`` that later edits of ``frame`` cannot change (shallow under copy-on-write)."""
    return frame.copy(deep=not COPY_ON_WRITE)


def _buffers(series) -> tuple | None:
    """Where a column's values live (address, shape, strides per buffer); None when not known."""
    arr = series.array
    out = []
    for attr in ("_ndarray", "_data", "_mask"):
        x = getattr(arr, attr, None)
        if isinstance(x, np.ndarray):
            out.append((x.__array_interface__["data"][0], x.shape, x.strides, x.dtype.str))
    return tuple(out) or None


def shares_all_columns(snapshot, current) -> bool:
    """True when ``current`` is ``snapshot``'s frame untouched: every column still shares its buffers."""
    if not COPY_ON_WRITE or len(snapshot) != len(current) or list(snapshot.columns) != list(current.columns):
        return False
    if geometry_name(snapshot) != geometry_name(current) or not snapshot.index.equals(current.index):
        return False
    for c in current.columns:
        a = _buffers(current[c])
        if a is None or a != _buffers(snapshot[c]):
            return False
    return True


@dataclass
class Plan:
    """The writes that bring one table from its snapshot to the current frame.

    ``fids[j]`` is the row id of current row j (None for a row to insert).
    ``updates`` maps a row id to (current row position, changed column names).
    """

    fids: list = field(default_factory=list)
    keys: tuple = ()
    updates: dict = field(default_factory=dict)
    inserts: list = field(default_factory=list)
    deletes: list = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.updates or self.inserts or self.deletes)

    def summary(self) -> str:
        return f"{len(self.updates)} changed, {len(self.inserts)} added, {len(self.deletes)} removed"


def geometry_name(frame) -> str | None:
    try:
        return frame.geometry.name
    except AttributeError:
        return None


def data_columns(frame) -> list[str]:
    g = geometry_name(frame)
    return [c for c in frame.columns if c != g and str(c).lower() != "fid"]


def _normal(col: pd.Series) -> pd.Series:
    """One comparable representation per value: numbers as float, missing as None/NaN."""
    dt = col.dtype
    if pd.api.types.is_bool_dtype(dt) or pd.api.types.is_numeric_dtype(dt):
        return pd.Series(col.to_numpy(dtype="float64", na_value=np.nan), index=col.index)
    if pd.api.types.is_datetime64_any_dtype(dt):
        s = col.dt.tz_localize(None) if getattr(col.dt, "tz", None) is not None else col
        return s.astype("datetime64[ns]")
    values = col.to_numpy(dtype=object)
    missing = pd.isna(values)
    out = values.copy()
    out[missing] = None
    return pd.Series(out, index=col.index, dtype=object)


def wkb_of(frame) -> np.ndarray:
    import shapely

    g = geometry_name(frame)
    if g is None:
        return np.full(len(frame), None, dtype=object)
    arr = np.asarray(frame[g].values, dtype=object)
    arr = np.array([None if not isinstance(v, shapely.Geometry) else v for v in arr], dtype=object)
    return shapely.to_wkb(arr, output_dimension=2, byte_order=1, flavor="iso")


def row_keys(frame, columns: list[str], wkb: np.ndarray) -> np.ndarray:
    """A 64-bit hash per row over ``columns`` (missing columns as empty) and the geometry."""
    n = len(frame)
    cols = {}
    for i, c in enumerate(columns):
        cols[f"c{i}"] = _normal(frame[c]).to_numpy() if c in frame.columns else np.full(n, None, dtype=object)
    cols["g"] = wkb
    return pd.util.hash_pandas_object(pd.DataFrame(cols), index=False).to_numpy()


def _same(a, b) -> bool:
    a_na = a is None or (not isinstance(a, (bytes, str)) and bool(pd.isna(a)))
    b_na = b is None or (not isinstance(b, (bytes, str)) and bool(pd.isna(b)))
    if a_na or b_na:
        return a_na and b_na
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return False


def plan_changes(
    snapshot, fids, current, id_field: str | None, all_geometry: bool = False, cache: dict | None = None
) -> Plan:
    """The :class:`Plan` from ``snapshot`` (rows ``fids`` in the file) to ``current``.

    Parameters
    ----------
    snapshot : DataFrame or None
        The layer as read; None when the table's rows are all replaced (a file the
        project was not read from).
    fids : array of int
        Row ids of the snapshot's rows, in order.
    current : DataFrame
    id_field : str, optional
        The contract's id, pairing a changed row with its row as read.
    all_geometry : bool
        Rewrite every geometry (the layer was reprojected when read).
    cache : dict, optional
        Keeps the snapshot's row hashes between saves (the snapshot's own cache).
        ``plan.keys`` holds the current frame's, for the next snapshot.
    """
    plan = Plan(fids=[None] * len(current))
    if snapshot is not None and not all_geometry and shares_all_columns(snapshot, current):
        plan.fids = [int(f) for f in fids]  # nothing changed: no row is hashed
        plan.keys = (cache or {}).get("keys", ())
        return plan
    columns = data_columns(current)
    wkb_c = wkb_of(current)
    kc = row_keys(current, columns, wkb_c)
    plan.keys = (tuple(columns), kc, wkb_c)
    if snapshot is None:
        plan.deletes = [int(f) for f in fids]
        plan.inserts = list(range(len(current)))
        return plan
    hit = cache.get("keys") if cache is not None else None
    if hit is not None and hit[0] == tuple(columns):
        ks, wkb_s = hit[1], hit[2]
    else:
        wkb_s = wkb_of(snapshot)
        ks = row_keys(snapshot, columns, wkb_s)
        if cache is not None:
            cache["keys"] = (tuple(columns), ks, wkb_s)
    n = min(len(ks), len(kc))
    same = np.zeros(len(kc), dtype=bool)
    same[:n] = ks[:n] == kc[:n]  # the usual case: rows in the order read, most unchanged
    taken = np.zeros(len(ks), dtype=bool)
    taken[:n] = same[:n]
    for j in np.flatnonzero(same):
        plan.fids[j] = int(fids[j])
    pool: dict = defaultdict(list)
    for i in np.flatnonzero(~taken)[::-1]:
        pool[ks[i]].append(int(i))
    left_c = []
    for j in np.flatnonzero(~same):
        rows = pool.get(kc[j])
        if rows:
            i = rows.pop()
            plan.fids[j] = int(fids[i])
        else:
            left_c.append(int(j))
    if all_geometry:
        for j, f in enumerate(plan.fids):  # type: ignore[assignment]  # j: an int here, a numpy int above
            if f is not None and wkb_c[j] is not None:
                plan.updates[f] = (j, [GEOM])
    left_s = sorted(i for rows in pool.values() for i in rows)
    pairs = _pair(snapshot, current, left_s, left_c, id_field)
    paired_c = set()
    for i, j in pairs:
        changed = [
            c for c in columns if not _same(snapshot[c].iloc[i] if c in snapshot.columns else None, current[c].iloc[j])
        ]
        if all_geometry or wkb_s[i] != wkb_c[j]:
            changed.append(GEOM)
        plan.fids[j] = int(fids[i])
        paired_c.add(j)
        if changed:
            plan.updates[int(fids[i])] = (j, changed)
    paired_s = {i for i, _ in pairs}
    plan.deletes = [int(fids[i]) for i in left_s if i not in paired_s]
    plan.inserts = [j for j in left_c if j not in paired_c]
    return plan


def _pair(snapshot, current, left_s, left_c, id_field):
    if not left_s or not left_c:
        return []
    if id_field and id_field in snapshot.columns and id_field in current.columns:
        ids_s = _unique_ids(snapshot[id_field], left_s)
        ids_c = _unique_ids(current[id_field], left_c)
        return [(ids_s[k], j) for k, j in ids_c.items() if k in ids_s]
    if len(left_s) == len(left_c):  # no ids: same number of rows changed in place, in order
        return list(zip(left_s, left_c))
    return []


def _unique_ids(col, rows) -> dict:
    seen: dict = {}
    dup = set()
    for r in rows:
        v = col.iloc[r]
        if v is None or (not isinstance(v, str) and pd.isna(v)):
            continue
        key = str(v)
        if key in seen:
            dup.add(key)
        seen[key] = r
    return {k: r for k, r in seen.items() if k not in dup}
