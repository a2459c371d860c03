"""Putting a project into a database schema (push) and taking it out into a GeoPackage (pull)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from heatgis.errors import HeatGISError
from heatgis.model.project import Project
from heatgis.model.schema import LAYERS
from heatgis.model.store import pgschema as ps
from heatgis.model.store.diff import data_columns
from heatgis.model.store.pgconn import connect, lost_error, parse_url
from heatgis.text import Text


def push_project(project: Project, url: str, replace: bool = False) -> dict[str, int]:
    """Write ``project`` whole into a new schema, in one transaction.

    Creates the schema, one typed table per layer (primary key, GiST index, the project's
    SRID), the audit table and triggers, and the roles ``<schema>_viewer`` (SELECT only)
    and ``<schema>_editor``.

    Parameters
    ----------
    project : Project
    url : str
        ``postgresql://...?schema=NAME``.
    replace : bool
        Drop an existing HeatGIS project in that schema first (refused otherwise).

    Returns
    -------
    dict
        Layer name -> rows written.
    """
    target = parse_url(url)  # first: says when the driver is missing
    import psycopg
    from psycopg import sql

    from heatgis.model.store.postgis import _srid, py_value

    srid = _srid(project.crs)
    con = connect(target)
    counts: dict[str, int] = {}
    try:
        with con.transaction():
            _make_room(con, target, replace)
            if not con.execute("SELECT 1 FROM pg_extension WHERE extname = 'postgis'").fetchone():
                try:
                    with con.transaction():
                        con.execute("CREATE EXTENSION postgis")
                except psycopg.Error as exc:
                    raise HeatGISError(
                        Text(
                            "PostGIS is not enabled in this database and cannot be enabled by you ({exc})",
                            "该数据库未启用 PostGIS，您也无权启用（{exc}）",
                            exc=exc,
                        ),
                        Text(
                            "ask the database administrator to run: CREATE EXTENSION postgis",
                            "请数据库管理员运行：CREATE EXTENSION postgis",
                        ),
                        file=target.display,
                    ) from exc
            ps.create_schema(con, target.schema, target.channel)
            for name in LAYERS:
                if name not in project.layers:
                    continue
                frame = project.layers[name]
                kind = LAYERS[name].geometry
                if kind and getattr(frame, "crs", None) is not None and not frame.crs.equals(project.crs):
                    frame = frame.to_crs(project.crs)
                columns = {str(c): ps.field_type(name, str(c), frame[c]) for c in data_columns(frame)}
                gtype = ps.geometry_type(frame, kind) if kind else None
                ps.create_layer(con, target.schema, name, columns, gtype, srid, triggers=False)
                names = [sql.Identifier(c) for c in columns] + ([sql.Identifier(ps.GEOM)] if gtype else [])
                values = [frame[c].to_numpy(dtype=object) for c in columns]
                geoms = _hex_geometries(frame, gtype, srid) if gtype else None
                q = sql.SQL("COPY {} ({}) FROM STDIN").format(
                    sql.Identifier(target.schema, name), sql.SQL(", ").join(names)
                )
                with con.cursor().copy(q) as copy:
                    for j in range(len(frame)):
                        row = [py_value(v[j]) for v in values]
                        if geoms is not None:
                            row.append(geoms[j])
                        copy.write_row(row)
                ps.add_triggers(con, target.schema, name, ps.id_column(name))
                counts[name] = len(frame)
            meta = dict(project.meta, crs=project.crs)
            with con.cursor() as cur:
                cur.executemany(
                    sql.SQL("INSERT INTO {} (key, value) VALUES (%s, %s)").format(
                        sql.Identifier(target.schema, ps.META_TABLE)
                    ),
                    [(str(k), "" if v is None else str(v)) for k, v in meta.items()],
                )
            ps.grant_roles(con, target.schema)
    except psycopg.Error as exc:
        raise lost_error(exc, target, Text("pushing the project", "推送项目")) from exc
    finally:
        con.close()
    return counts


def _make_room(con, target, replace: bool) -> None:
    from psycopg import sql

    schema = target.schema
    if not con.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (schema,)).fetchone():
        return
    ours = con.execute(
        "SELECT 1 FROM information_schema.tables WHERE table_schema = %s AND table_name = %s", (schema, ps.META_TABLE)
    ).fetchone()
    if not ours:
        raise HeatGISError(
            Text(
                "the schema {schema!r} exists and is not a HeatGIS project; nothing was written",
                "schema {schema!r} 已存在且不是 HeatGIS 项目；未写入任何内容",
                schema=schema,
            ),
            Text("name another schema in the URL (?schema=NAME)", "请在地址中换一个 schema（?schema=NAME）"),
            file=target.display,
        )
    if not replace:
        raise HeatGISError(
            Text(
                "the schema {schema!r} already holds a HeatGIS project; nothing was written",
                "schema {schema!r} 中已有一个 HeatGIS 项目；未写入任何内容",
                schema=schema,
            ),
            Text(
                "name another schema, or add --replace to replace that project (its edit history goes too)",
                "请换一个 schema，或加上 --replace 替换该项目（其编辑历史也一并删除）",
            ),
            file=target.display,
        )
    con.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


def _hex_geometries(frame, gtype: str, srid: int) -> list:
    """EWKB hex per row (what COPY gives a geometry column); singles promoted for a multi column."""
    import shapely

    geoms = np.asarray(frame.geometry.values, dtype=object)
    if gtype.startswith("Multi"):
        make = {
            "MultiPolygon": shapely.MultiPolygon,
            "MultiLineString": shapely.MultiLineString,
            "MultiPoint": shapely.MultiPoint,
        }[gtype]
        single = {"MultiPolygon": 3, "MultiLineString": 1, "MultiPoint": 0}[gtype]
        ids = shapely.get_type_id(geoms)
        geoms = np.array([make([g]) if t == single else g for g, t in zip(geoms, ids)], dtype=object)
    geoms = np.array([g if isinstance(g, shapely.Geometry) else None for g in geoms], dtype=object)
    hexes = shapely.to_wkb(shapely.set_srid(geoms, srid), hex=True, include_srid=True, output_dimension=2)
    return [None if h is None else str(h) for h in hexes]


def pull_project(url: str, out, replace: bool = False) -> Project:
    """Read the project at ``url`` and write it into a new GeoPackage ``out``."""
    from heatgis.model.store.gpkg import GPKG_ENDING, GPKG_ONLY
    from heatgis.model.store.gpkg import save_project as save_gpkg
    from heatgis.model.store.postgis import open_project

    out = Path(out)
    if out.suffix.lower() != ".gpkg":
        raise HeatGISError(GPKG_ONLY, GPKG_ENDING, file=out)
    if out.exists() and not replace:
        raise HeatGISError(
            Text("the file exists; nothing was written", "文件已存在；未写入任何内容"),
            Text("name a new file, or add --replace", "请换一个新文件名，或加上 --replace"),
            file=out,
        )
    project = open_project(url, strict=False)
    project.origin = None
    save_gpkg(project, out, replace=True)
    return project
