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
from heatgis.model.store.diff import plan_changes, snapshot_copy
from heatgis.model.store.pgconn import PgTarget, connect, lost_error, parse_url
from heatgis.model.store.pgwrite import (
    RowConflict,
    TableMeta,
    add_columns,
    create_table,
    fit_geometry_type,
    py_value,
    write_meta,
    write_table,
)
from heatgis.model.store.state import SEMICOLON, ConflictError, Snapshot
from heatgis.text import Text, join

_PANDAS_TYPES = {
    "bigint": "Int64",
    "integer": "Int64",
    "smallint": "Int64",
    "double precision": "float64",
    "real": "float64",
    "numeric": "float64",
    "boolean": "boolean",
}


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
            Text(
                "another planner changed the project in the database since you read it ({changes}); nothing was saved",
                "在您读取之后，另一位规划人员修改了数据库中的项目（{changes}）；未保存任何内容",
                changes=join(self.changes, SEMICOLON),
            ),
            Text(
                "reload those rows and apply your edit again (in the app: 'Reload and re-apply my edits'; "
                "on the command line: run the command again)",
                "重新载入这些行，再重新应用您的修改（软件中：“重新载入并重新应用我的编辑”；命令行：重新运行该命令）",
            ),
            file=file,
            layer=rows[0].layer if rows else None,
            row=rows[0].row_id if rows else None,
        )


_PUSH_THERE = Text(
    "check the schema in the URL; 'heatgis push PROJECT.gpkg URL' puts a project there",
    "请检查地址中的 schema；“heatgis push PROJECT.gpkg URL”可把项目放到那里",
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
    target = parse_url(url)  # first: says when the driver is missing
    import psycopg

    con = connect(target)
    try:
        con.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        con.read_only = True
        with con.transaction():
            tables = describe(con, target)
            project, origin = _read_all(con, target, tables, strict)
    except psycopg.Error as exc:
        raise lost_error(exc, target, Text("reading the project", "读取项目")) from exc
    finally:
        con.close()
    project.origin = origin
    return project


def describe(con, target: PgTarget) -> dict[str, TableMeta]:
    """The project's layer tables; raise when the schema is not a HeatGIS project."""
    schema = target.schema
    if not con.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (schema,)).fetchone():
        raise HeatGISError(
            Text("the database has no schema {schema!r}", "数据库中没有 schema {schema!r}", schema=schema),
            _PUSH_THERE,
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
            Text(
                "the schema {schema!r} is not a HeatGIS project (it has no {meta} table)",
                "schema {schema!r} 不是 HeatGIS 项目（没有 {meta} 表）",
                schema=schema,
                meta=ps.META_TABLE,
            ),
            _PUSH_THERE,
            file=target.display,
        )
    geoms = {
        t: (str(kind), int(srid))
        for t, kind, srid in con.execute(
            "SELECT f_table_name, type, srid FROM geometry_columns "
            "WHERE f_table_schema = %s AND f_geometry_column = %s",
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
                    Text(
                        "the table {schema}.{name} lacks the column {system!r} that HeatGIS keeps versions with",
                        "表 {schema}.{name} 缺少 HeatGIS 记录版本用的列 {system!r}",
                        schema=schema,
                        name=name,
                        system=system,
                    ),
                    Text(
                        "put the project into the database with 'heatgis push', or add the column",
                        "请用“heatgis push”把项目放入数据库，或添加该列",
                    ),
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
    from psycopg import sql

    from heatgis.model.store.prepare import prepare_layer

    q = sql.SQL("SELECT key, value FROM {} ORDER BY key").format(sql.Identifier(target.schema, ps.META_TABLE))
    meta = {str(k): "" if v is None else str(v) for k, v in con.execute(q).fetchall()}
    project = Project(meta=meta)
    crs = project.crs
    q = sql.SQL("SELECT coalesce(max(audit_id), 0) FROM {}").format(sql.Identifier(target.schema, ps.AUDIT_TABLE))
    (audit,) = con.execute(q).fetchone()
    origin = PgOrigin(target, meta=dict(meta), tables=tables, srid=_srid(crs), data_version=int(audit))
    errors: list[Problem] = []
    for name, tm in tables.items():
        frame, fids, versions, raw = read_rows(con, target, name, tm)
        frame, notes = prepare_layer(name, frame, crs, target.display)
        missing = [f for f in spec(name).required if f not in frame.columns]
        if missing:
            errors.append(
                Problem(
                    Text(
                        "required column(s) missing in the table: {names}",
                        "表中缺少必填列：{names}",
                        names=join(missing),
                    ),
                    Text(
                        "add the columns (ALTER TABLE ... ADD COLUMN), or push the project again",
                        "请添加这些列（ALTER TABLE ... ADD COLUMN），或重新推送项目",
                    ),
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
            Text("the project in the database does not follow the layer contract", "数据库中的项目不符合图层规范"),
            Text("run 'heatgis validate URL' for every problem", "运行“heatgis validate URL”查看全部问题"),
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
    select: list = [sql.Identifier(ps.FID), sql.Identifier(ps.VERSION)] + [sql.Identifier(c) for c in cols]
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


def _srid(crs: str) -> int:
    from pyproj import CRS

    code = CRS.from_user_input(crs).to_epsg()
    if not code:
        raise HeatGISError(
            Text(
                "the project's CRS ({crs}) has no EPSG code, which PostGIS needs",
                "项目坐标系（{crs}）没有 PostGIS 所需的 EPSG 代码",
                crs=crs,
            ),
            Text(
                "set the project CRS to an EPSG code (e.g. EPSG:4546) and save it again",
                "请把项目坐标系设为一个 EPSG 代码（如 EPSG:4546）后再保存",
            ),
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
    origin = project.origin if isinstance(project.origin, PgOrigin) else None
    if url is None:
        if origin is None:
            raise HeatGISError(
                Text("the project was not read from a database", "该项目不是从数据库读取的"),
                Text("give the database URL", "请给出数据库地址"),
            )
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
            Text(
                "the project's CRS changed; a project in the database keeps the CRS it was pushed with",
                "项目坐标系变了；数据库中的项目保持推送时的坐标系",
            ),
            Text(
                "pull the project into a file, change its CRS there and push it again",
                "请把项目拉取到文件中，在文件里修改坐标系后重新推送",
            ),
            file=target.display,
        )
    import psycopg

    con = connect(target)
    try:
        pid = con.info.backend_pid
        with con.transaction():
            new = _write_all(con, project, origin)
    except psycopg.Error as exc:
        raise lost_error(exc, target, Text("saving", "保存")) from exc
    finally:
        con.close()
    new.last_pid = pid
    project.origin = new
    return target.display


def _write_all(con, project: Project, origin: PgOrigin) -> PgOrigin:
    new = PgOrigin(
        origin.target,
        dict(origin.layers),
        dict(origin.versions),
        dict(origin.tables),
        dict(project.meta, crs=project.crs),
        origin.srid,
        origin.data_version,
    )
    stale: list[RowConflict] = []
    for name in LAYERS:
        if name not in project.layers:
            continue
        frame = project.layers[name]
        if getattr(frame, "crs", None) is not None and hasattr(frame, "geometry") and not frame.crs.equals(project.crs):
            frame = frame.to_crs(project.crs)
        if name not in origin.tables:
            create_table(con, origin, new, name, frame)
            snap, versions = None, {}
            plan = plan_changes(None, [], frame, None)
        else:
            snap = origin.layers[name]
            versions = dict(origin.versions[name])
            plan = plan_changes(snap.frame, snap.fids, frame, spec(name).id_field, cache=snap.cache)
        if plan.empty:
            continue
        tm = new.tables[name]
        add_columns(con, origin.target, name, tm, frame, plan)
        fit_geometry_type(con, origin.target, name, tm, frame, plan)
        found = write_table(con, origin.target, name, tm, frame, plan, versions, snap)
        if found:  # the save is refused: the other tables are still checked, to name every row at once
            stale += found
            continue
        fids = np.asarray(plan.fids, dtype=np.int64)
        new.layers[name] = Snapshot(snapshot_copy(frame), fids, {"keys": plan.keys})
        new.versions[name] = {f: versions[f] for f in fids.tolist()}
        if _after_table is not None:
            _after_table(name)
    if stale:
        raise RowConflictError(stale, file=origin.target.display)
    write_meta(con, origin, new.meta)
    return new


# --------------------------------------------------------------------------- others' edits

from heatgis.model.store.pgfollow import (  # noqa: E402  (after the classes it uses)
    Change,
    ChangeListener,
    audit_history,
    edit_rights,
    reload_rows,
    row_versions,
    stale_rows,
)

__all__ = [
    "Change",
    "ChangeListener",
    "PgOrigin",
    "py_value",
    "RowConflict",
    "RowConflictError",
    "audit_history",
    "edit_rights",
    "open_project",
    "reload_rows",
    "row_versions",
    "save_project",
    "stale_rows",
]
