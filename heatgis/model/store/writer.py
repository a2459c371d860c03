"""Apply a :class:`~heatgis.model.store.diff.Plan` to one table, inside the caller's transaction.

Deletes, cell updates and inserts go through plain SQL, so the table's own
triggers (the R-tree spatial index, GDAL's feature count, any a planner or QGIS
added) keep everything beside the rows consistent. Values are bound as Python
values and stored with the column's declared affinity: a column keeps its type.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from heatgis.model.store.diff import GEOM, Plan, data_columns, geometry_name
from heatgis.model.store.sqlgpkg import (
    TableInfo,
    column_type,
    encode_geometries,
    quote,
    sql_value,
)


def geometry_type_for(frame, kind: str) -> str:
    """The declared type of a new table for a contract geometry kind (multi when any row is multi)."""
    import shapely

    name = {"Point": "POINT", "LineString": "LINESTRING", "Polygon": "POLYGON"}.get(kind, "GEOMETRY")
    g = geometry_name(frame)
    if g is not None and len(frame) and name != "GEOMETRY":
        types = set(shapely.get_type_id(np.asarray(frame[g].values, dtype=object)).tolist())
        if types & {4, 5, 6}:
            name = "MULTI" + name
    return name


def new_columns(frame) -> dict[str, str]:
    """Column name -> declared type for a new table holding ``frame``."""
    return {str(c): column_type(frame[c]) for c in data_columns(frame)}


def write_table(con, info: TableInfo, frame, plan: Plan, srs_id: int | None):
    """Run ``plan`` on ``info``'s table; fill ``plan.fids`` for inserted rows.

    Returns
    -------
    tuple or None
        (minx, miny, maxx, maxy) of the geometries written, for the table's extent.
    """
    import shapely

    t, pk = quote(info.name), quote(info.pk)
    columns = data_columns(frame)
    colmap = {}
    for c in columns:
        target = info.lookup(str(c))
        if target is None:
            rows = list(plan.inserts) + [j for j, ch in plan.updates.values() if c in ch]
            if rows and frame[c].iloc[rows].notna().any():
                decl = column_type(frame[c])
                con.execute(f"ALTER TABLE {t} ADD COLUMN {quote(str(c))} {decl}")
                info.columns[str(c)] = decl
                target = str(c)
        if target is not None:
            colmap[c] = target
    values = {c: frame[c].to_numpy(dtype=object) for c in colmap}
    gcol = geometry_name(frame)
    blobs: dict = {}
    bounds = None
    if info.geometry and gcol is not None:
        rows = sorted(set(plan.inserts) | {j for j, ch in plan.updates.values() if GEOM in ch})
        if rows:
            geoms = np.asarray(frame[gcol].values, dtype=object)[rows]
            for j, b in zip(rows, encode_geometries(geoms, srs_id or 0, info.geometry_type)):
                blobs[j] = b
            ok = np.array([isinstance(g, shapely.Geometry) and not g.is_empty for g in geoms])
            if ok.any():
                bounds = tuple(shapely.total_bounds(geoms[ok]).tolist())

    def cell(c, j):
        return sql_value(values[c][j], info.columns.get(colmap[c], ""))

    if plan.deletes:
        con.executemany(f"DELETE FROM {t} WHERE {pk} = ?", [(f,) for f in plan.deletes])
    for fid, (j, changed) in plan.updates.items():
        sets, args = [], []
        for c in changed:
            if c == GEOM:
                if info.geometry:
                    sets.append(quote(info.geometry))
                    args.append(blobs.get(j))
            elif c in colmap:
                sets.append(quote(colmap[c]))
                args.append(cell(c, j))
        if sets:
            con.execute(f"UPDATE {t} SET {', '.join(s + ' = ?' for s in sets)} WHERE {pk} = ?", (*args, fid))
    if plan.inserts:
        names = list(colmap.values()) + ([info.geometry] if info.geometry else [])
        sql = f"INSERT INTO {t} ({', '.join(quote(n) for n in names)}) VALUES ({', '.join('?' * len(names))})"
        for j in plan.inserts:
            args = [cell(c, j) for c in colmap] + ([blobs.get(j)] if info.geometry else [])
            cur = con.execute(sql, args)
            plan.fids[j] = cur.lastrowid
    return bounds


def all_fids(con, info: TableInfo) -> list[int]:
    return [r[0] for r in con.execute(f"SELECT {quote(info.pk)} FROM {quote(info.name)} ORDER BY 1")]


def meta_frame(meta: dict) -> pd.DataFrame:
    return pd.DataFrame({"key": [str(k) for k in meta], "value": [str(v) for v in meta.values()]})
