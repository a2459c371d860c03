"""Writing a planner's changes into a project's tables on PostgreSQL, inside the save's transaction.

Each UPDATE and DELETE names the row's ``fid`` and the ``heatgis_version`` it was read at: a row
changed or deleted by someone else since is not touched and comes back as a :class:`RowConflict`
(who and when, from the row or the audit), and the caller refuses the whole save.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from heatgis.model.schema import spec
from heatgis.model.store import pgschema as ps
from heatgis.model.store.diff import wkb_of
from heatgis.text import Text

if TYPE_CHECKING:
    from heatgis.model.store.postgis import PgOrigin


@dataclass
class TableMeta:
    """One layer's table as found in the database."""

    columns: dict  # column -> SQL data type (system columns and geometry excluded)
    geometry: str | None = None  # 'MultiPolygon', ...; None for a plain table
    srid: int = 0


@dataclass(frozen=True)
class RowConflict:
    layer: str
    row_id: str
    fid: int
    user: str
    at: str
    deleted: bool
    added: bool = False  # a row with this id was added by someone else (the planner adds it too)

    def line(self) -> str:
        """'stations row ST-0001 was changed by anna at 2026-...' (a :class:`~heatgis.text.Text`)."""
        what = "added" if self.added else "deleted" if self.deleted else "changed"
        return Text(
            "{layer} row {row} was {what} by {user} at {at}",
            "{layer} 第 {row} 行已被 {user} 于 {at} {what}",
            layer=self.layer,
            row=self.row_id,
            what=_DONE[what],
            user=self.user or Text("someone", "他人"),
            at=self.at or Text("an unknown time", "未知时间"),
        )


#: what another planner did to a row
_DONE = {"added": Text("added", "新增"), "deleted": Text("deleted", "删除"), "changed": Text("changed", "修改")}


def create_table(con, origin: PgOrigin, new: PgOrigin, name: str, frame) -> None:
    from heatgis.model.store.diff import data_columns

    kind = spec(name).geometry
    columns = {str(c): ps.field_type(name, str(c), frame[c]) for c in data_columns(frame)}
    gtype = ps.geometry_type(frame, kind) if kind else None
    ps.create_layer(con, origin.target.schema, name, columns, gtype, origin.srid)
    ps.grant_roles(con, origin.target.schema)
    new.tables[name] = TableMeta(columns, gtype, origin.srid if gtype else 0)


def add_columns(con, target, name, tm: TableMeta, frame, plan) -> None:
    from psycopg import sql

    from heatgis.model.store.diff import data_columns

    rows = list(plan.inserts) + [j for j, _ in plan.updates.values()]
    for c in data_columns(frame):
        c = str(c)
        if c in tm.columns or c in ps.SYSTEM or not frame[c].iloc[rows].notna().any():
            continue
        t = ps.field_type(name, c, frame[c])
        con.execute(
            sql.SQL("ALTER TABLE {} ADD COLUMN {} {}").format(
                sql.Identifier(target.schema, name), sql.Identifier(c), sql.SQL(t)
            )
        )
        tm.columns = dict(tm.columns, **{c: t})


def fit_geometry_type(con, target, name, tm: TableMeta, frame, plan) -> None:
    """A multi geometry written into a single-typed column turns the column multi."""
    import shapely
    from psycopg import sql

    if not tm.geometry or tm.geometry.startswith("Multi") or tm.geometry == "Geometry":
        return
    rows = sorted(set(plan.inserts) | {j for j, _ in plan.updates.values()})
    geoms = np.asarray(frame.geometry.values, dtype=object)[rows]
    if not len(geoms) or not (set(shapely.get_type_id(geoms).tolist()) & {4, 5, 6}):
        return
    multi = "Multi" + tm.geometry
    con.execute(
        sql.SQL("ALTER TABLE {} ALTER COLUMN {} TYPE geometry({}, {}) USING ST_Multi({})").format(
            sql.Identifier(target.schema, name),
            sql.Identifier(ps.GEOM),
            sql.SQL(multi),
            sql.Literal(tm.srid),
            sql.Identifier(ps.GEOM),
        )
    )
    tm.geometry = multi


def py_value(v):
    """A frame's cell as the value psycopg binds (missing as None)."""
    if v is None:
        return None
    if isinstance(v, (bytes, str)):
        return v
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        return v
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    if isinstance(v, np.generic):
        return v.item()
    return v


def write_table(con, target, name, tm: TableMeta, frame, plan, versions: dict, snap) -> list[RowConflict]:
    """Deletes, updates and inserts of one table; the rows found stale instead of written."""
    from psycopg import sql

    table = sql.Identifier(target.schema, name)
    cols = [c for c in tm.columns if c in frame.columns]
    values = {c: frame[c].to_numpy(dtype=object) for c in cols}
    wkb = wkb_of(frame) if tm.geometry else None
    gexpr = sql.SQL("ST_GeomFromWKB(%s, {})").format(sql.Literal(tm.srid))
    if tm.geometry and tm.geometry.startswith("Multi"):
        gexpr = sql.SQL("ST_Multi({})").format(gexpr)

    def row(j):
        out = [py_value(values[c][j]) for c in cols]
        if wkb is not None:
            out.append(None if wkb[j] is None else bytes(wkb[j]))
        return out

    cur = con.cursor()
    stale: list[int] = []
    if plan.deletes:
        args = [(f, versions.get(f, 0)) for f in plan.deletes]
        q = sql.SQL("DELETE FROM {} WHERE {} = %s AND {} = %s RETURNING {}").format(
            table, sql.Identifier(ps.FID), sql.Identifier(ps.VERSION), sql.Identifier(ps.FID)
        )
        cur.executemany(q, args, returning=True)
        done = _returned(cur)
        stale += [f for f, _ in args if f not in done]
    if plan.updates:
        sets = [sql.SQL("{} = %s").format(sql.Identifier(c)) for c in cols]
        if tm.geometry:
            sets.append(sql.SQL("{} = ").format(sql.Identifier(ps.GEOM)) + gexpr)
        q = sql.SQL("UPDATE {} SET {} WHERE {} = %s AND {} = %s RETURNING {}, {}").format(
            table,
            sql.SQL(", ").join(sets),
            sql.Identifier(ps.FID),
            sql.Identifier(ps.VERSION),
            sql.Identifier(ps.FID),
            sql.Identifier(ps.VERSION),
        )
        args = [row(j) + [f, versions.get(f, 0)] for f, (j, _) in plan.updates.items()]
        cur.executemany(q, args, returning=True)
        got = _returned(cur)
        versions.update(got)
        stale += [f for f in plan.updates if f not in got]
    added = _added_by_others(con, target, name, frame, plan, snap) if plan.inserts else []
    if plan.inserts and not added:
        names = [sql.Identifier(c) for c in cols] + ([sql.Identifier(ps.GEOM)] if tm.geometry else [])
        marks = [sql.SQL("%s")] * len(cols) + ([gexpr] if tm.geometry else [])
        q = sql.SQL("INSERT INTO {} ({}) VALUES ({}) RETURNING {}, {}").format(
            table,
            sql.SQL(", ").join(names),
            sql.SQL(", ").join(marks),
            sql.Identifier(ps.FID),
            sql.Identifier(ps.VERSION),
        )
        cur.executemany(q, [row(j) for j in plan.inserts], returning=True)
        new_rows = []
        while True:
            new_rows.extend(cur.fetchall())
            if not cur.nextset():
                break
        for j, (f, v) in zip(plan.inserts, new_rows):
            plan.fids[j] = int(f)
            versions[int(f)] = int(v)
    return (_who(con, target, name, stale, snap) if stale else []) + added


def _added_by_others(con, target, name: str, frame, plan, snap) -> list[RowConflict]:
    """Rows with the id of a row the planner adds, added by someone else since the project was read
    (two offices adding the zones of the same notice): conflicts, not duplicates."""
    from psycopg import sql

    id_field = spec(name).id_field
    if not id_field or id_field not in frame.columns:
        return []
    ids = [str(v) for v in frame[id_field].iloc[plan.inserts] if py_value(v) is not None]
    if not ids:
        return []
    known = set(snap.fids.tolist()) if snap is not None else set()
    rows = con.execute(
        sql.SQL("SELECT {}, {}::text, {}, {} FROM {} WHERE {}::text = ANY(%s)").format(
            sql.Identifier(ps.FID),
            sql.Identifier(id_field),
            sql.Identifier(ps.CHANGED_BY),
            sql.Identifier(ps.CHANGED_AT),
            sql.Identifier(target.schema, name),
            sql.Identifier(id_field),
        ),
        (ids,),
    ).fetchall()
    return [
        RowConflict(name, rid, int(f), str(user or ""), _when(at), False, True)
        for f, rid, user, at in rows
        if int(f) not in known
    ]


def _when(at) -> str:
    return at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC") if at else ""


def _returned(cur) -> dict:
    out = {}
    while True:
        for r in cur.fetchall():
            out[int(r[0])] = int(r[1]) if len(r) > 1 else None
        if not cur.nextset():
            break
    return out


def _who(con, target, name: str, fids: list[int], snap) -> list[RowConflict]:
    """Who changed or deleted the stale rows, and when."""
    from psycopg import sql

    id_field = spec(name).id_field
    ids = {}
    if snap is not None and id_field in snap.frame.columns:
        ids = dict(zip(snap.fids.tolist(), snap.frame[id_field].astype(str).tolist()))
    now = {
        int(f): (u, at)
        for f, u, at in con.execute(
            sql.SQL("SELECT {}, {}, {} FROM {} WHERE {} = ANY(%s)").format(
                sql.Identifier(ps.FID),
                sql.Identifier(ps.CHANGED_BY),
                sql.Identifier(ps.CHANGED_AT),
                sql.Identifier(target.schema, name),
                sql.Identifier(ps.FID),
            ),
            (fids,),
        ).fetchall()
    }
    gone = {
        int(f): (u, at)
        for f, u, at in con.execute(
            sql.SQL(
                "SELECT DISTINCT ON (fid) fid, username, at FROM {} WHERE layer = %s AND fid = ANY(%s) "
                "AND op = 'DELETE' ORDER BY fid, audit_id DESC"
            ).format(sql.Identifier(target.schema, ps.AUDIT_TABLE)),
            (name, [f for f in fids if f not in now]),
        ).fetchall()
    }
    out = []
    for f in fids:
        user, at = now.get(f) or gone.get(f) or ("", None)
        out.append(RowConflict(name, ids.get(f, f"#{f}"), f, str(user or ""), _when(at), f not in now))
    return out


def write_meta(con, origin: PgOrigin, meta: dict) -> None:
    from psycopg import sql

    table = sql.Identifier(origin.target.schema, ps.META_TABLE)
    for k, v in meta.items():
        if origin.meta.get(k) != v:
            con.execute(
                sql.SQL(
                    "INSERT INTO {} (key, value) VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value"
                ).format(table),
                (k, v),
            )
    for k in set(origin.meta) - set(meta):
        con.execute(sql.SQL("DELETE FROM {} WHERE key = %s").format(table), (k,))
