"""The tables of a project on PostgreSQL: the layer contract as typed PostGIS tables.

One schema per project. Each contract layer is a table with the contract's columns in
their SQL types, ``fid`` (identity primary key), ``geom`` (a typed PostGIS geometry in the
project's SRID, GiST-indexed) and three columns the database keeps itself:
``heatgis_version`` (1, then +1 on every update), ``heatgis_changed_by`` and
``heatgis_changed_at``. Triggers keep them for every client (HeatGIS, QGIS, psql), write
every insert, update and delete into ``heatgis_audit`` (user, time, layer, row,
before/after as jsonb) and announce it with NOTIFY on the project's channel. The
metadata is ``heatgis_meta`` (key, value), whose presence marks the schema as a HeatGIS
project. Two roles come with the project: ``<schema>_viewer`` (SELECT only) and
``<schema>_editor`` (may edit the layers, never the audit).
"""

from __future__ import annotations

from heatgis.model.schema import LAYERS, spec, value_kind

META_TABLE = "heatgis_meta"
AUDIT_TABLE = "heatgis_audit"
VERSION = "heatgis_version"
CHANGED_BY = "heatgis_changed_by"
CHANGED_AT = "heatgis_changed_at"
GEOM = "geom"
FID = "fid"
#: columns the database keeps: never part of a layer's frame
SYSTEM = (FID, VERSION, CHANGED_BY, CHANGED_AT)

#: a contract field's ``dtype`` or ``schema.value_kind`` -> the PostgreSQL column type
_SQL_TYPES = {
    "str": "text",
    "int": "bigint",
    "float": "double precision",
    "datetime": "timestamp",
    "bool": "boolean",
}

_GEOMETRY_TYPES = {"Point": "Point", "LineString": "LineString", "Polygon": "Polygon"}

_FUNCTIONS = """
CREATE OR REPLACE FUNCTION {schema}.heatgis_stamp() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        NEW.heatgis_version := OLD.heatgis_version + 1;
    ELSE
        NEW.heatgis_version := 1;
    END IF;
    NEW.heatgis_changed_by := session_user;
    NEW.heatgis_changed_at := clock_timestamp();
    RETURN NEW;
END $f$;

CREATE OR REPLACE FUNCTION {schema}.heatgis_audit_row() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, public AS $f$
DECLARE
    old_j jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
    new_j jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
    j jsonb := coalesce(new_j, old_j);
BEGIN
    INSERT INTO {schema}.heatgis_audit (username, layer, fid, row_id, op, version, before, after)
    VALUES (session_user, TG_TABLE_NAME, (j->>'fid')::bigint, j->>TG_ARGV[0], TG_OP,
            (j->>'heatgis_version')::integer, old_j, new_j);
    PERFORM pg_notify({channel}, json_build_object(
        'layer', TG_TABLE_NAME, 'op', TG_OP, 'fid', j->'fid', 'id', j->>TG_ARGV[0],
        'user', session_user, 'at', clock_timestamp(), 'version', j->'heatgis_version',
        'pid', pg_backend_pid())::text);
    RETURN NULL;
END $f$;
"""


def field_type(layer: str, column: str, series=None) -> str:
    """The SQL type of a column: the contract's for its fields, else from the values' dtype."""
    f = spec(layer).field(column) if layer in LAYERS else None
    if f is not None:
        return _SQL_TYPES[f.dtype]
    return "text" if series is None else _SQL_TYPES[value_kind(series)]


def geometry_type(frame, kind: str) -> str:
    """``Point``/``MultiPolygon``...: multi when any row of ``frame`` is multi."""
    import numpy as np
    import shapely

    base = _GEOMETRY_TYPES.get(kind, "Geometry")
    if len(frame) and base != "Geometry":
        types = set(shapely.get_type_id(np.asarray(frame.geometry.values, dtype=object)).tolist())
        if types & {4, 5, 6}:
            return "Multi" + base
    return base


def create_schema(con, schema: str, channel: str) -> None:
    """The schema, metadata and audit tables, and the trigger functions (inside the caller's transaction)."""
    from psycopg import sql

    s = sql.Identifier(schema)
    con.execute(sql.SQL("CREATE SCHEMA {}").format(s))
    con.execute(sql.SQL("CREATE TABLE {}.{} (key text PRIMARY KEY, value text)").format(s, sql.Identifier(META_TABLE)))
    con.execute(
        sql.SQL(
            "CREATE TABLE {}.{} (audit_id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT clock_timestamp(), "
            "username text NOT NULL DEFAULT session_user, layer text NOT NULL, fid bigint, row_id text, "
            "op text NOT NULL, version integer, before jsonb, after jsonb)"
        ).format(s, sql.Identifier(AUDIT_TABLE))
    )
    con.execute(sql.SQL("CREATE INDEX ON {}.{} (layer, row_id)").format(s, sql.Identifier(AUDIT_TABLE)))
    con.execute(sql.SQL(_FUNCTIONS).format(schema=s, channel=sql.Literal(channel)))
    add_triggers(con, schema, META_TABLE, "key", stamp=False)


def create_layer(
    con, schema: str, name: str, columns: dict[str, str], geometry: str | None, srid: int, triggers: bool = True
) -> None:
    """One layer's table, its indexes and (unless ``triggers`` is false: a push adds them after the rows) triggers."""
    from psycopg import sql

    table = sql.Identifier(schema, name)
    cols = [sql.SQL("{} bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY").format(sql.Identifier(FID))]
    cols += [sql.SQL("{} {}").format(sql.Identifier(c), sql.SQL(t)) for c, t in columns.items()]
    if geometry:
        cols.append(sql.SQL("{} geometry({}, {})").format(sql.Identifier(GEOM), sql.SQL(geometry), sql.Literal(srid)))
    cols += [
        sql.SQL("{} integer NOT NULL DEFAULT 1").format(sql.Identifier(VERSION)),
        sql.SQL("{} text DEFAULT session_user").format(sql.Identifier(CHANGED_BY)),
        sql.SQL("{} timestamptz DEFAULT clock_timestamp()").format(sql.Identifier(CHANGED_AT)),
    ]
    con.execute(sql.SQL("CREATE TABLE {} ({})").format(table, sql.SQL(", ").join(cols)))
    if geometry:
        con.execute(sql.SQL("CREATE INDEX ON {} USING GIST ({})").format(table, sql.Identifier(GEOM)))
    id_field = spec(name).id_field if name in LAYERS else None
    if id_field and id_field in columns:
        con.execute(sql.SQL("CREATE INDEX ON {} ({})").format(table, sql.Identifier(id_field)))
    if triggers:
        add_triggers(con, schema, name, id_field or FID)


def id_column(name: str) -> str:
    """The column the audit names a row by: the contract's id."""
    return (spec(name).id_field if name in LAYERS else None) or FID


def add_triggers(con, schema: str, name: str, id_column: str, stamp: bool = True) -> None:
    from psycopg import sql

    s, table = sql.Identifier(schema), sql.Identifier(schema, name)
    if stamp:
        con.execute(
            sql.SQL(
                "CREATE TRIGGER heatgis_stamp BEFORE INSERT OR UPDATE ON {} FOR EACH ROW "
                "EXECUTE FUNCTION {}.heatgis_stamp()"
            ).format(table, s)
        )
    con.execute(
        sql.SQL(
            "CREATE TRIGGER heatgis_audit AFTER INSERT OR UPDATE OR DELETE ON {} FOR EACH ROW "
            "EXECUTE FUNCTION {}.heatgis_audit_row({})"
        ).format(table, s, sql.Literal(id_column))
    )


def role_names(schema: str) -> tuple[str, str]:
    """(viewer, editor) role names of a project."""
    return f"{schema}_viewer"[:63], f"{schema}_editor"[:63]


def _create_role(con, role: str) -> None:
    import psycopg
    from psycopg import sql

    from heatgis.errors import HeatGISError
    from heatgis.text import Text

    try:
        with con.transaction():
            con.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(role)))
    except psycopg.errors.InsufficientPrivilege as exc:
        raise HeatGISError(
            Text(
                "your database user may not create the project's role {role!r}; nothing was written",
                "您的数据库用户无权创建项目的角色 {role!r}；未写入任何内容",
                role=role,
            ),
            Text(
                "push as a user with CREATEROLE (createuser --createrole NAME), or ask the administrator to "
                "run: CREATE ROLE {role} NOLOGIN",
                "请用有 CREATEROLE 权限的用户推送（createuser --createrole NAME），"
                "或请管理员运行：CREATE ROLE {role} NOLOGIN",
                role=role,
            ),
        ) from exc


def grant_roles(con, schema: str) -> None:
    """Create the viewer (SELECT only) and editor roles when missing and grant them the schema."""
    from psycopg import sql

    viewer, editor = role_names(schema)
    s = sql.Identifier(schema)
    for role in (viewer, editor):
        exists = con.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
        if not exists:
            _create_role(con, role)
        con.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(s, sql.Identifier(role)))
        con.execute(sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA {} TO {}").format(s, sql.Identifier(role)))
    layers = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = %s AND table_name <> %s",
        (schema, AUDIT_TABLE),
    ).fetchall()
    for (t,) in layers:
        con.execute(
            sql.SQL("GRANT INSERT, UPDATE, DELETE ON {} TO {}").format(
                sql.Identifier(schema, t), sql.Identifier(editor)
            )
        )
    con.execute(sql.SQL("GRANT USAGE ON ALL SEQUENCES IN SCHEMA {} TO {}").format(s, sql.Identifier(editor)))
