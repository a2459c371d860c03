"""A project on PostgreSQL/PostGIS, shared by several planners at once.

The tables are described in :mod:`heatgis.model.store.pgschema`; the URL and the
connection in :mod:`heatgis.model.store.pgconn`; push and pull in
:mod:`heatgis.model.store.pgpush`. This module reads a project, saves a planner's edits
and follows the others':

- :func:`open_project` reads every layer in one consistent (repeatable-read) snapshot and
  remembers each row's ``fid`` and ``heatgis_version`` (``project.origin``, a :class:`PgOrigin`).
- :func:`save_project` writes only the rows the planner changed, in ONE transaction; an
  update or delete names the version it was read at, and when another planner changed or
  removed the row since, nothing is saved and :class:`RowConflictError` names the layer,
  the row, who changed it and when. A lost connection rolls everything back.
- :func:`reload_rows` takes the database's current rows into the project (after a conflict,
  before re-applying an edit); :func:`audit_history` lists who did what; a
  :class:`ChangeListener` waits for the changes others commit (LISTEN/NOTIFY).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from heatgis.errors import HeatGISError, Problem
from heatgis.model.project import Project
from heatgis.model.schema import LAYERS, spec
from heatgis.model.store import pgschema as ps
from heatgis.model.store.diff import plan_changes, snapshot_copy, wkb_of
from heatgis.model.store.pgconn import PgTarget, connect, lost_error, parse_url
from heatgis.model.store.state import ConflictError, Snapshot

_PANDAS_TYPES = {"bigint": "Int64", "integer": "Int64", "smallint": "Int64", "double precision": "float64",
                 "real": "float64", "numeric": "float64", "boolean": "boolean"}


@dataclass
class TableMeta:
    """One layer's table as found in the database."""

    columns: dict  # column -> SQL data type (system columns and geometry excluded)
    geometry: str | None = None  # 'MultiPolygon', ...; None for a plain table
    srid: int = 0


@dataclass
class PgOrigin:
    """The database a project was read from and what it held then (row ids and versions)."""

    target: PgTarget
    layers: dict = field(default_factory=dict)  # name -> Snapshot (frame as read, fids)
    versions: dict = field(default_factory=dict)  # name -> {fid: heatgis_version}
    tables: dict = field(default_factory=dict)  # name -> TableMeta
    meta: dict = field(default_factory=dict)
    srid: int = 0
    data_version: int = 0  # the last audit row when read: the data version figures came from
    #: backend pid of the last save's connection (its own notifications can be told apart)
    last_pid: int | None = None

    def same_file(self, path) -> bool:  # the GeoPackage store's question: never the same as a file
        return False


@dataclass(frozen=True)
class RowConflict:
    layer: str
    row_id: str
    fid: int
    user: str
    at: str
    deleted: bool

    def line(self) -> str:
        what = "deleted" if self.deleted else "changed"
        return f"{self.layer} row {self.row_id} was {what} by {self.user or 'someone'} at {self.at or 'an unknown time'}"


class RowConflictError(ConflictError):
    """Rows the save would change were changed (or deleted) by someone else since they were read.

    Attributes
    ----------
    rows : list of RowConflict
        Layer, row id, who and when, for every stale row.
    """

    def __init__(self, rows: list[RowConflict], file=None):
        self.rows = list(rows)
        self.changes = [r.line() for r in rows]
        HeatGISError.__init__(
            self,
            "another planner changed the project in the database since you read it ("
            + "; ".join(self.changes)
            + "); nothing was saved",
            "reload those rows and apply your edit again (in the app: 'Reload and re-apply my edits'; "
            "on the command line: run the command again)",
            file=file,
            layer=rows[0].layer if rows else None,
            row=rows[0].row_id if rows else None,
        )


# --------------------------------------------------------------------------- open


def open_project(url: str, strict: bool = True) -> Project:
    """Read a project from the database schema named by ``url`` (``postgresql://...?schema=NAME``).

    Parameters
    ----------
    url : str
    strict : bool
        When true, a table that lacks a contract's required column raises; when false it
        is loaded as it is (``validate`` reports it).

    Raises
    ------
    HeatGISError
        The server cannot be reached, the password is refused, the schema is not a
        HeatGIS project, or (strict) a table breaks the contract.
    """
    import psycopg

    target = parse_url(url)
    con = connect(target)
    try:
        con.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        con.read_only = True
        with con.transaction():
            tables = describe(con, target)
            project, origin = _read_all(con, target, tables, strict)
    except psycopg.Error as exc:
        raise lost_error(exc, target, "reading the project") from exc
    finally:
        con.close()
    project.origin = origin
    return project


def describe(con, target: PgTarget) -> dict[str, TableMeta]:
    """The project's layer tables; raise when the schema is not a HeatGIS project."""
    schema = target.schema
    if not con.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (schema,)).fetchone():
        raise HeatGISError(
            f"the database has no schema {schema!r}",
            "check the schema in the URL; 'heatgis push PROJECT.gpkg URL' puts a project there",
            file=target.display,
        )
    rows = con.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = %s "
        "ORDER BY table_name, ordinal_position",
        (schema,),
    ).fetchall()
    found: dict[str, dict] = {}
    for t, c, d in rows:
        found.setdefault(t, {})[c] = d
    if ps.META_TABLE not in found:
        raise HeatGISError(
            f"the schema {schema!r} is not a HeatGIS project (it has no {ps.META_TABLE} table)",
            "check the schema in the URL; 'heatgis push PROJECT.gpkg URL' puts a project there",
            file=target.display,
        )
    geoms = {
        t: (str(kind), int(srid))
        for t, kind, srid in con.execute(
            "SELECT f_table_name, type, srid FROM geometry_columns WHERE f_table_schema = %s AND f_geometry_column = %s",
            (schema, ps.GEOM),
        ).fetchall()
    }
    out = {}
    for name in LAYERS:
        if name not in found:
            continue
        cols = found[name]
        for system in (ps.FID, ps.VERSION):
            if system not in cols:
                raise HeatGISError(
                    f"the table {schema}.{name} lacks the column {system!r} that HeatGIS keeps versions with",
                    "put the project into the database with 'heatgis push', or add the column",
                    file=target.display,
                    layer=name,
                    field=system,
                )
        kind, srid = geoms.get(name, (None, 0))
        data = {c: d for c, d in cols.items() if c not in ps.SYSTEM and c != ps.GEOM}
        out[name] = TableMeta(data, _type_name(kind) if kind else None, srid)
    return out


def _type_name(kind: str) -> str:
    k = kind.upper()
    for base in ("POINT", "LINESTRING", "POLYGON"):
        if k in (base, "MULTI" + base):
            name = {"POINT": "Point", "LINESTRING": "LineString", "POLYGON": "Polygon"}[base]
            return ("Multi" + name) if k.startswith("MULTI") else name
    return "Geometry"


def _read_all(con, target: PgTarget, tables: dict, strict: bool):
    from heatgis.model.store.gpkg import prepare_layer

    meta = {str(k): "" if v is None else str(v) for k, v in con.execute(
        f"SELECT key, value FROM {_q(target.schema, ps.META_TABLE)} ORDER BY key"
    ).fetchall()}
    project = Project(meta=meta)
    crs = project.crs
    (audit,) = con.execute(f"SELECT coalesce(max(audit_id), 0) FROM {_q(target.schema, ps.AUDIT_TABLE)}").fetchone()
    origin = PgOrigin(target, meta=dict(meta), tables=tables, srid=_srid(crs), data_version=int(audit))
    errors: list[Problem] = []
    for name, tm in tables.items():
        frame, fids, versions, raw = read_rows(con, target, name, tm)
        frame, notes = prepare_layer(name, frame, crs, target.display)
        missing = [f for f in spec(name).required if f not in frame.columns]
        if missing:
            errors.append(
                Problem(
                    "required column(s) missing in the table: " + ", ".join(missing),
                    "add the columns (ALTER TABLE ... ADD COLUMN), or push the project again",
                    target.display,
                    name,
                    field=missing[0],
                )
            )
        project.notes += notes
        project.layers[name] = frame
        origin.layers[name] = Snapshot(_snapshot(frame, raw), fids)
        origin.versions[name] = dict(zip(fids.tolist(), versions.tolist()))
    if errors and strict:
        raise HeatGISError(
            "the project in the database does not follow the layer contract",
            "run 'heatgis validate URL' for every problem",
            file=target.display,
            problems=errors,
        )
    return project, origin


def _snapshot(frame, raw):
    """The frame as read; geometry as stored when reading repaired or reprojected it."""
    import geopandas as gpd

    snap = snapshot_copy(frame)
    if raw is not None and hasattr(snap, "geometry"):
        now = np.asarray(frame.geometry.values, dtype=object)
        if len(now) != len(raw) or any(a is not b for a, b in zip(raw, now)):
            snap[snap.geometry.name] = gpd.GeoSeries(raw, index=snap.index, crs=frame.crs)
    return snap


def read_rows(con, target: PgTarget, name: str, tm: TableMeta, where=None, params=()):
    """Rows of one layer table: (frame, fids, versions, raw geometries)."""
    import geopandas as gpd
    import shapely
    from psycopg import sql

    cols = list(tm.columns)
    select = [sql.Identifier(ps.FID), sql.Identifier(ps.VERSION)] + [sql.Identifier(c) for c in cols]
    if tm.geometry:
        select.append(sql.SQL("ST_AsBinary({})").format(sql.Identifier(ps.GEOM)))
    q = sql.SQL("SELECT {} FROM {}").format(sql.SQL(", ").join(select), sql.Identifier(target.schema, name))
    if where is not None:
        q = q + sql.SQL(" WHERE ") + where
    q = q + sql.SQL(" ORDER BY {}").format(sql.Identifier(ps.FID))
    cur = con.cursor(binary=True)
    rows = cur.execute(q, params).fetchall()
    columns = list(zip(*rows)) if rows else [()] * len(select)
    fids = np.asarray(columns[0], dtype=np.int64)
    versions = np.asarray(columns[1], dtype=np.int64)
    data = {c: _series(columns[2 + i], tm.columns[c]) for i, c in enumerate(cols)}
    if not tm.geometry:
        return pd.DataFrame(data), fids, versions, None
    blobs = np.array([None if b is None else bytes(b) for b in columns[-1]], dtype=object)
    raw = shapely.from_wkb(blobs) if len(blobs) else np.array([], dtype=object)
    raw = np.asarray(raw, dtype=object)
    frame = gpd.GeoDataFrame(data, geometry=gpd.GeoSeries(raw, crs=f"EPSG:{tm.srid}" if tm.srid else None))
    return frame, fids, versions, raw


def _series(values, sql_type: str) -> pd.Series:
    dtype = _PANDAS_TYPES.get(sql_type)
    if dtype is not None:
        return pd.Series(pd.array(list(values), dtype=dtype))
    if sql_type.startswith("timestamp"):
        return pd.Series(pd.to_datetime(list(values))).astype("datetime64[ms]")
    return pd.Series(list(values), dtype=object)


def _q(schema: str, table: str) -> str:
    """A quoted schema.table for a fixed query (names are checked by psycopg's quoting rules)."""
    from psycopg import sql

    return sql.Identifier(schema, table).as_string(None)


def _srid(crs: str) -> int:
    from pyproj import CRS

    code = CRS.from_user_input(crs).to_epsg()
    if not code:
        raise HeatGISError(
            f"the project's CRS ({crs}) has no EPSG code, which PostGIS needs",
            "set the project CRS to an EPSG code (e.g. EPSG:4546) and save it again",
        )
    return int(code)


# --------------------------------------------------------------------------- save

#: called after each table is written inside the save's transaction (tests stop the server here)
_after_table = None


def save_project(project: Project, url: str | None = None) -> str:
    """Save the planner's changed rows into the database, in one transaction.

    Parameters
    ----------
    project : Project
        Read from the database (``project.origin`` is a :class:`PgOrigin`), or, for a URL
        whose schema does not exist yet, any project (it is pushed whole).
    url : str, optional
        Defaults to the URL the project was read from.

    Returns
    -------
    str
        The URL.

    Raises
    ------
    RowConflictError
        A row the save would change was changed or deleted by someone else; nothing was saved.
    HeatGISError
        The connection failed or was lost, or the role may only view; nothing was saved.
    """
    import psycopg

    origin = project.origin if isinstance(project.origin, PgOrigin) else None
    if url is None:
        if origin is None:
            raise HeatGISError("the project was not read from a database", "give the database URL")
        target = origin.target
    else:
        target = parse_url(url)
    if origin is None or (origin.target.conninfo, origin.target.schema) != (target.conninfo, target.schema):
        from heatgis.model.store.pgpush import push_project

        push_project(project, target.display)
        project.origin = open_project(target.display, strict=False).origin
        return target.display
    if _srid(project.crs) != origin.srid:
        raise HeatGISError(
            "the project's CRS changed; a project in the database keeps the CRS it was pushed with",
            "pull the project into a file, change its CRS there and push it again",
            file=target.display,
        )
    con = connect(target)
    try:
        pid = con.info.backend_pid
        with con.transaction():
            new = _write_all(con, project, origin)
    except psycopg.Error as exc:
        raise lost_error(exc, target, "saving") from exc
    finally:
        con.close()
    new.last_pid = pid
    project.origin = new
    return target.display


def _write_all(con, project: Project, origin: PgOrigin) -> PgOrigin:
    new = PgOrigin(origin.target, dict(origin.layers), dict(origin.versions), dict(origin.tables),
                   dict(project.meta, crs=project.crs), origin.srid, origin.data_version)
    stale: list[RowConflict] = []
    for name in LAYERS:
        if name not in project.layers:
            continue
        frame = project.layers[name]
        if getattr(frame, "crs", None) is not None and hasattr(frame, "geometry") and not frame.crs.equals(project.crs):
            frame = frame.to_crs(project.crs)
        if name not in origin.tables:
            _create_table(con, origin, new, name, frame)
            snap, versions = None, {}
            plan = plan_changes(None, [], frame, None)
        else:
            snap = origin.layers[name]
            versions = dict(origin.versions[name])
            plan = plan_changes(snap.frame, snap.fids, frame, spec(name).id_field, cache=snap.cache)
        if plan.empty:
            continue
        tm = new.tables[name]
        _add_columns(con, origin.target, name, tm, frame, plan)
        _fit_geometry_type(con, origin.target, name, tm, frame, plan)
        stale += _write_table(con, origin.target, name, tm, frame, plan, versions, snap)
        fids = np.asarray(plan.fids, dtype=np.int64)
        new.layers[name] = Snapshot(snapshot_copy(frame), fids, {"keys": plan.keys})
        new.versions[name] = {f: versions[f] for f in fids.tolist()}
        if _after_table is not None:
            _after_table(name)
    if stale:
        raise RowConflictError(stale, file=origin.target.display)
    _write_meta(con, origin, new.meta)
    return new


def _create_table(con, origin: PgOrigin, new: PgOrigin, name: str, frame) -> None:
    from heatgis.model.store.diff import data_columns

    kind = spec(name).geometry
    columns = {str(c): ps.field_type(name, str(c), frame[c]) for c in data_columns(frame)}
    gtype = ps.geometry_type(frame, kind) if kind else None
    ps.create_layer(con, origin.target.schema, name, columns, gtype, origin.srid)
    ps.grant_roles(con, origin.target.schema)
    new.tables[name] = TableMeta(columns, gtype, origin.srid if gtype else 0)


def _add_columns(con, target, name, tm: TableMeta, frame, plan) -> None:
    from psycopg import sql

    from heatgis.model.store.diff import data_columns

    rows = list(plan.inserts) + [j for j, _ in plan.updates.values()]
    for c in data_columns(frame):
        c = str(c)
        if c in tm.columns or c in ps.SYSTEM or not frame[c].iloc[rows].notna().any():
            continue
        t = ps.field_type(name, c, frame[c])
        con.execute(sql.SQL("ALTER TABLE {} ADD COLUMN {} {}").format(
            sql.Identifier(target.schema, name), sql.Identifier(c), sql.SQL(t)))
        tm.columns = dict(tm.columns, **{c: t})


def _fit_geometry_type(con, target, name, tm: TableMeta, frame, plan) -> None:
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
    con.execute(sql.SQL("ALTER TABLE {} ALTER COLUMN {} TYPE geometry({}, {}) USING ST_Multi({})").format(
        sql.Identifier(target.schema, name), sql.Identifier(ps.GEOM), sql.SQL(multi), sql.Literal(tm.srid),
        sql.Identifier(ps.GEOM)))
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


def _write_table(con, target, name, tm: TableMeta, frame, plan, versions: dict, snap) -> list[RowConflict]:
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
        done = set()
        q = sql.SQL("DELETE FROM {} WHERE {} = %s AND {} = %s RETURNING {}").format(
            table, sql.Identifier(ps.FID), sql.Identifier(ps.VERSION), sql.Identifier(ps.FID))
        cur.executemany(q, args, returning=True)
        done = _returned(cur)
        stale += [f for f, _ in args if f not in done]
    if plan.updates:
        sets = [sql.SQL("{} = %s").format(sql.Identifier(c)) for c in cols]
        if tm.geometry:
            sets.append(sql.SQL("{} = ").format(sql.Identifier(ps.GEOM)) + gexpr)
        q = sql.SQL("UPDATE {} SET {} WHERE {} = %s AND {} = %s RETURNING {}, {}").format(
            table, sql.SQL(", ").join(sets), sql.Identifier(ps.FID), sql.Identifier(ps.VERSION),
            sql.Identifier(ps.FID), sql.Identifier(ps.VERSION))
        args = [row(j) + [f, versions.get(f, 0)] for f, (j, _) in plan.updates.items()]
        cur.executemany(q, args, returning=True)
        got = _returned(cur)
        versions.update(got)
        stale += [f for f in plan.updates if f not in got]
    if plan.inserts:
        names = [sql.Identifier(c) for c in cols] + ([sql.Identifier(ps.GEOM)] if tm.geometry else [])
        marks = [sql.SQL("%s")] * len(cols) + ([gexpr] if tm.geometry else [])
        q = sql.SQL("INSERT INTO {} ({}) VALUES ({}) RETURNING {}, {}").format(
            table, sql.SQL(", ").join(names), sql.SQL(", ").join(marks), sql.Identifier(ps.FID),
            sql.Identifier(ps.VERSION))
        cur.executemany(q, [row(j) for j in plan.inserts], returning=True)
        new_rows = []
        while True:
            new_rows.extend(cur.fetchall())
            if not cur.nextset():
                break
        for j, (f, v) in zip(plan.inserts, new_rows):
            plan.fids[j] = int(f)
            versions[int(f)] = int(v)
    return _who(con, target, name, stale, snap) if stale else []


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
                sql.Identifier(ps.FID), sql.Identifier(ps.CHANGED_BY), sql.Identifier(ps.CHANGED_AT),
                sql.Identifier(target.schema, name), sql.Identifier(ps.FID)),
            (fids,),
        ).fetchall()
    }
    gone = {
        int(f): (u, at)
        for f, u, at in con.execute(
            sql.SQL("SELECT DISTINCT ON (fid) fid, username, at FROM {} WHERE layer = %s AND fid = ANY(%s) "
                    "AND op = 'DELETE' ORDER BY fid, audit_id DESC").format(
                sql.Identifier(target.schema, ps.AUDIT_TABLE)),
            (name, [f for f in fids if f not in now]),
        ).fetchall()
    }
    out = []
    for f in fids:
        user, at = now.get(f) or gone.get(f) or ("", None)
        when = at.astimezone(__import__("datetime").UTC).strftime("%Y-%m-%d %H:%M:%S UTC") if at else ""
        out.append(RowConflict(name, ids.get(f, f"#{f}"), f, str(user or ""), when, f not in now))
    return out


def _write_meta(con, origin: PgOrigin, meta: dict) -> None:
    from psycopg import sql

    table = sql.Identifier(origin.target.schema, ps.META_TABLE)
    for k, v in meta.items():
        if origin.meta.get(k) != v:
            con.execute(sql.SQL("INSERT INTO {} (key, value) VALUES (%s, %s) ON CONFLICT (key) DO UPDATE "
                                "SET value = EXCLUDED.value").format(table), (k, v))
    for k in set(origin.meta) - set(meta):
        con.execute(sql.SQL("DELETE FROM {} WHERE key = %s").format(table), (k,))


# --------------------------------------------------------------------------- others' edits

from heatgis.model.store.pgfollow import (  # noqa: E402  (after the classes it uses)
    Change,
    ChangeListener,
    audit_history,
    reload_rows,
)

__all__ = [
    "Change",
    "ChangeListener",
    "PgOrigin",
    "RowConflict",
    "RowConflictError",
    "audit_history",
    "open_project",
    "reload_rows",
    "save_project",
]
