"""GeoPackage at the SQLite level: connections, geometry blobs, table layout, new layers.

Everything here works on a ``sqlite3`` connection to the project file itself. A
GeoPackage is SQLite: the writes of one save happen in one transaction, so any
other reader or writer (QGIS, GDAL, a second HeatGIS, WAL mode or not) sees the
old state or the new one. The spatial-index triggers GDAL and QGIS put on a
feature table call ``ST_IsEmpty``, ``ST_MinX`` ... ; :func:`connect` registers
those functions, computed from the GeoPackage blob header (or its WKB).

Never copy, rename or open the file with plain ``open()`` while a connection from
here holds it: on POSIX closing any descriptor of the file drops this process's
SQLite locks on it.
"""

from __future__ import annotations

import datetime as _dt
import math
import os
import sqlite3
import struct
from pathlib import Path

import numpy as np
import pandas as pd

from heatgis.model.schema import value_kind

RTREE_EXTENSION = "http://www.geopackage.org/spec120/#extension_rtree"

# byte length of the envelope for each envelope indicator of the blob flags
_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


def connect(path, write: bool = False, timeout: float = 10.0) -> sqlite3.Connection:
    """A connection to the GeoPackage with the spatial functions its triggers need.

    Parameters
    ----------
    path : path-like
    write : bool
        Open read-write (the file must exist); else read-only.
    timeout : float
        Seconds to wait for another writer's lock before ``database is locked``.

    Notes
    -----
    Autocommit mode (``isolation_level=None``): the caller issues ``BEGIN
    IMMEDIATE`` / ``COMMIT`` itself.
    """
    kw: dict = {"timeout": timeout, "isolation_level": None, "check_same_thread": False}
    if os.name == "nt":  # a URI would refuse \\server\share paths; a plain path opens read-only by itself
        con = sqlite3.connect(str(path), **kw)  # when the file is (the caller checked it exists)
    else:
        con = sqlite3.connect(Path(path).resolve().as_uri() + ("?mode=rw" if write else "?mode=ro"), uri=True, **kw)
    _register_functions(con)
    return con


# --------------------------------------------------------------------------- blobs


def _header(blob):
    """(empty, envelope or None, offset of the WKB) of a GeoPackage geometry blob."""
    if blob is None:
        return None
    b = bytes(blob)
    if len(b) < 8 or b[:2] != b"GP":
        return None
    flags = b[3]
    indicator = (flags >> 1) & 0x07
    size = _ENVELOPE_BYTES.get(indicator)
    if size is None:
        return None
    order = "<" if flags & 0x01 else ">"
    env = struct.unpack_from(order + "4d", b, 8) if size else None  # minx, maxx, miny, maxy
    return bool(flags & 0x10), env, 8 + size


def _extent(blob):
    """(minx, maxx, miny, maxy) of a geometry blob: its envelope, else its WKB's bounds; None if empty."""
    if blob is None:
        return None
    h = _header(blob)
    if h is None:
        return None
    empty, env, offset = h
    if empty:
        return None
    if env is not None:
        return None if any(math.isnan(v) for v in env) else env
    import shapely

    try:
        g = shapely.from_wkb(bytes(blob)[offset:])
    except (shapely.errors.GEOSException, ValueError, TypeError):  # not WKB
        return None
    if g is None or g.is_empty:
        return None
    x0, y0, x1, y1 = g.bounds
    return (x0, x1, y0, y1)


def _register_functions(con: sqlite3.Connection) -> None:
    """ST_IsEmpty, ST_MinX, ST_MaxX, ST_MinY, ST_MaxY as GDAL defines them, on this connection."""
    last: list = [None, None]  # the four calls of one trigger read the same blob: parse it once

    def extent(blob):
        if blob is not None and last[0] == blob:
            return last[1]
        env = _extent(blob)
        last[0], last[1] = blob, env
        return env

    def is_empty(blob):
        if blob is None or _header(blob) is None:
            return None
        return 1 if extent(blob) is None else 0

    def coordinate(k):
        def f(blob):
            env = extent(blob)
            return None if env is None else env[k]

        return f

    kw = {"deterministic": True}
    con.create_function("ST_IsEmpty", 1, is_empty, **kw)
    for name, k in (("ST_MinX", 0), ("ST_MaxX", 1), ("ST_MinY", 2), ("ST_MaxY", 3)):
        con.create_function(name, 1, coordinate(k), **kw)


def encode_geometries(geoms, srs_id: int, geometry_type: str | None = None) -> list:
    """GeoPackage blobs (header with xy envelope + ISO WKB, little endian) for shapely geometries.

    ``geometry_type`` (the column's declared type, e.g. ``POLYGON``) turns a
    one-part multi geometry into its single part, and a single into a multi when
    the column is a multi type. Missing geometries give None; empty ones a blob
    flagged empty.
    """
    import shapely

    arr = np.asarray(list(geoms), dtype=object)
    if len(arr) == 0:
        return []
    arr = np.array([None if (g is None or (isinstance(g, float) and math.isnan(g))) else g for g in arr], dtype=object)
    arr = _fit_type(arr, (geometry_type or "").upper())
    missing = shapely.is_missing(arr)
    empty = shapely.is_empty(arr) & ~missing
    wkb = shapely.to_wkb(arr, output_dimension=2, byte_order=1, flavor="iso")
    bounds = shapely.bounds(arr)
    out: list = []
    for i in range(len(arr)):
        if missing[i]:
            out.append(None)
        elif empty[i]:
            out.append(struct.pack("<2sBBi", b"GP", 0, 0x01 | 0x10, int(srs_id)) + wkb[i])
        else:
            x0, y0, x1, y1 = bounds[i]
            out.append(struct.pack("<2sBBi4d", b"GP", 0, 0x03, int(srs_id), x0, x1, y0, y1) + wkb[i])
    return out


def _fit_type(arr, declared: str):
    import shapely

    if declared.startswith("MULTI"):
        single = {"MULTIPOINT": 0, "MULTILINESTRING": 1, "MULTIPOLYGON": 3}.get(declared)
        if single is not None:
            one = np.flatnonzero(shapely.get_type_id(arr) == single)
            if len(one):
                cls = {0: shapely.MultiPoint, 1: shapely.MultiLineString, 3: shapely.MultiPolygon}[single]
                arr = arr.copy()
                for i in one:
                    arr[i] = cls([arr[i]])
        return arr
    multi = {"POINT": 4, "LINESTRING": 5, "POLYGON": 6}.get(declared)
    if multi is not None:
        ids = shapely.get_type_id(arr)
        one_part = (ids == multi) & (shapely.get_num_geometries(arr) == 1)
        if one_part.any():
            arr = arr.copy()
            arr[one_part] = shapely.get_geometry(arr[one_part], 0)
    return arr


# --------------------------------------------------------------------------- values


def sql_value(v, declared: str = ""):
    """A Python value SQLite can bind, for a column declared ``declared``.

    SQLite's type affinity stores it as the column declares (a number written
    into a TEXT column is stored as its text), so a column keeps the type it was
    read with. Timestamps are written as GDAL writes them (ISO, no zone).
    """
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, (float, np.floating)):
        return None if math.isnan(v) else float(v)
    if isinstance(v, (bool, np.bool_)):
        return int(bool(v))
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, (pd.Timestamp, _dt.datetime, np.datetime64)):
        t = pd.Timestamp(v)
        if pd.isna(t):
            return None
        if declared.upper() == "DATE":
            return t.strftime("%Y-%m-%d")
        if t.tzinfo is not None:
            t = t.tz_convert("UTC").tz_localize(None)
            return t.isoformat(timespec="milliseconds" if t.microsecond else "seconds") + "Z"
        return t.isoformat(timespec="milliseconds" if t.microsecond else "seconds")
    if isinstance(v, _dt.date):
        return v.isoformat()
    if isinstance(v, (int, str, bytes)):
        return v
    return str(v)


#: ``schema.value_kind`` -> the GeoPackage (SQLite) column type
_GPKG_TYPES = {"bool": "BOOLEAN", "int": "INTEGER", "float": "REAL", "datetime": "DATETIME", "str": "TEXT"}


def column_type(series) -> str:
    """The GeoPackage column type for a new column holding ``series``."""
    return _GPKG_TYPES[value_kind(series)]


# --------------------------------------------------------------------------- layout


def quote(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


def table_names(con) -> dict[str, str]:
    """lower-case name -> name of every table and view."""
    rows = con.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')").fetchall()
    return {r[0].lower(): r[0] for r in rows}


class TableInfo:
    """The layout of one table: primary key, columns with declared types, geometry column."""

    def __init__(self, con, name: str):
        self.name = name
        cols = con.execute(f"PRAGMA table_info({quote(name)})").fetchall()
        self.columns = {c[1]: (c[2] or "") for c in cols}
        pk = [c[1] for c in cols if c[5]]
        self.pk = pk[0] if len(pk) == 1 else "rowid"
        row = (
            con.execute(
                "SELECT column_name, geometry_type_name, srs_id FROM gpkg_geometry_columns "
                "WHERE lower(table_name) = lower(?)",
                (name,),
            ).fetchone()
            if _has(con, "gpkg_geometry_columns")
            else None
        )
        self.geometry: str | None
        self.geometry_type: str | None
        self.srs_id: int | None
        self.geometry, self.geometry_type, self.srs_id = row if row else (None, None, None)
        self.rtree = None
        if self.geometry:
            r = f"rtree_{name}_{self.geometry}"
            if _has(con, r):
                self.rtree = r

    def lookup(self, column: str) -> str | None:
        """The table's spelling of ``column`` (GeoPackage column names are case-insensitive)."""
        if column in self.columns:
            return column
        low = column.lower()
        return next((c for c in self.columns if c.lower() == low), None)


def _has(con, name: str) -> bool:
    return con.execute("SELECT 1 FROM sqlite_master WHERE lower(name) = lower(?)", (name,)).fetchone() is not None


def has_table(con, name: str) -> bool:
    return _has(con, name)


def srs_id_for(con, crs: str) -> int:
    """The ``gpkg_spatial_ref_sys`` id of ``crs``, adding the entry when it is missing."""
    import pyproj

    c = pyproj.CRS.from_user_input(crs)
    auth = c.to_authority() or ("NONE", None)
    org, code = auth[0], auth[1]
    if code is not None:
        row = con.execute(
            "SELECT srs_id FROM gpkg_spatial_ref_sys WHERE upper(organization) = upper(?) "
            "AND organization_coordsys_id = ?",
            (org, int(code)),
        ).fetchone()
        if row:
            return int(row[0])
    srs_id = int(code) if code is not None and org.upper() == "EPSG" else None
    if srs_id is None or con.execute("SELECT 1 FROM gpkg_spatial_ref_sys WHERE srs_id = ?", (srs_id,)).fetchone():
        srs_id = max(100000, int(con.execute("SELECT max(srs_id) FROM gpkg_spatial_ref_sys").fetchone()[0] or 0) + 1)
    con.execute(
        "INSERT INTO gpkg_spatial_ref_sys (srs_name, srs_id, organization, organization_coordsys_id, "
        "definition, description) VALUES (?, ?, ?, ?, ?, ?)",
        (
            c.name,
            srs_id,
            org,
            int(code) if code is not None else srs_id,
            c.to_wkt(pyproj.enums.WktVersion.WKT1_GDAL),
            None,
        ),
    )
    return srs_id


def create_layer(
    con, name: str, columns: dict[str, str], geometry_type: str | None, srs_id: int | None, timestamp: str
) -> TableInfo:
    """Create a feature table (``geometry_type`` given) or an attribute table the way GDAL does.

    The table gets ``gpkg_contents`` and ``gpkg_geometry_columns`` rows, an R-tree
    spatial index with the standard triggers and its ``gpkg_extensions`` row, and
    GDAL's feature count (``gpkg_ogr_contents``) when the file keeps one.
    """
    q = quote(name)
    parts = ['"fid" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL']
    if geometry_type:
        parts.append(f'"geom" {geometry_type}')
    parts += [f"{quote(c)} {t}" for c, t in columns.items()]
    con.execute(f"CREATE TABLE {q} ( {', '.join(parts)})")
    con.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, "
        "srs_id) VALUES (?, ?, ?, '', ?, ?)",
        (name, "features" if geometry_type else "attributes", name, timestamp, srs_id if geometry_type else 0),
    )
    if geometry_type:
        con.execute(
            "INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, "
            "z, m) VALUES (?, 'geom', ?, ?, 0, 0)",
            (name, geometry_type, srs_id),
        )
        _create_rtree(con, name, "geom")
    if _has(con, "gpkg_ogr_contents"):
        con.execute("INSERT OR REPLACE INTO gpkg_ogr_contents (table_name, feature_count) VALUES (?, 0)", (name,))
        for op, sign in (("insert", "+"), ("delete", "-")):
            con.execute(
                f"CREATE TRIGGER {quote(f'trigger_{op}_feature_count_{name}')} AFTER {op.upper()} "
                f"ON {q} BEGIN UPDATE gpkg_ogr_contents SET feature_count = feature_count {sign} 1 "
                f"WHERE lower(table_name) = lower('{name.replace(chr(39), chr(39) * 2)}'); END"
            )
    return TableInfo(con, name)


def _create_rtree(con, t: str, g: str) -> None:
    r = quote(f"rtree_{t}_{g}")
    T, G = quote(t), quote(g)
    box = f"ST_MinX(NEW.{G}), ST_MaxX(NEW.{G}), ST_MinY(NEW.{G}), ST_MaxY(NEW.{G})"
    has = f"NEW.{G} NOTNULL AND NOT ST_IsEmpty(NEW.{G})"
    old_has = f"OLD.{G} NOTNULL AND NOT ST_IsEmpty(OLD.{G})"
    none = f"NEW.{G} ISNULL OR ST_IsEmpty(NEW.{G})"

    def trig(suffix):
        return quote(f"rtree_{t}_{g}_{suffix}")

    con.execute(f"CREATE VIRTUAL TABLE {r} USING rtree(id, minx, maxx, miny, maxy)")
    # one statement at a time: executescript() would COMMIT the save's transaction first
    statements = [
        (
            f"CREATE TRIGGER {trig('insert')} AFTER INSERT ON {T} WHEN ({has}) BEGIN "
            f'INSERT OR REPLACE INTO {r} VALUES (NEW."fid", {box}); END'
        ),
        (
            f'CREATE TRIGGER {trig("update6")} AFTER UPDATE OF {G} ON {T} WHEN OLD."fid" = NEW."fid" AND '
            f"({has}) AND ({old_has}) BEGIN UPDATE {r} SET minx = ST_MinX(NEW.{G}), maxx = ST_MaxX(NEW.{G}), "
            f'miny = ST_MinY(NEW.{G}), maxy = ST_MaxY(NEW.{G}) WHERE id = NEW."fid"; END'
        ),
        (
            f'CREATE TRIGGER {trig("update7")} AFTER UPDATE OF {G} ON {T} WHEN OLD."fid" = NEW."fid" AND '
            f"({has}) AND (OLD.{G} ISNULL OR ST_IsEmpty(OLD.{G})) BEGIN "
            f'INSERT INTO {r} VALUES (NEW."fid", {box}); END'
        ),
        (
            f'CREATE TRIGGER {trig("update2")} AFTER UPDATE OF {G} ON {T} WHEN OLD."fid" = NEW."fid" AND '
            f'({none}) BEGIN DELETE FROM {r} WHERE id = OLD."fid"; END'
        ),
        (
            f'CREATE TRIGGER {trig("update5")} AFTER UPDATE ON {T} WHEN OLD."fid" != NEW."fid" AND ({has}) '
            f'BEGIN DELETE FROM {r} WHERE id = OLD."fid"; INSERT OR REPLACE INTO {r} VALUES (NEW."fid", {box}); END'
        ),
        (
            f'CREATE TRIGGER {trig("update4")} AFTER UPDATE ON {T} WHEN OLD."fid" != NEW."fid" AND ({none}) '
            f'BEGIN DELETE FROM {r} WHERE id IN (OLD."fid", NEW."fid"); END'
        ),
        (
            f"CREATE TRIGGER {trig('delete')} AFTER DELETE ON {T} WHEN OLD.{G} NOT NULL BEGIN "
            f'DELETE FROM {r} WHERE id = OLD."fid"; END'
        ),
    ]
    for statement in statements:
        con.execute(statement)
    con.execute(
        "INSERT OR REPLACE INTO gpkg_extensions (table_name, column_name, extension_name, definition, "
        "scope) VALUES (?, ?, 'gpkg_rtree_index', ?, 'write-only')",
        (t, g, RTREE_EXTENSION),
    )


def touch_contents(con, name: str, timestamp: str, bounds=None, srs_id: int | None = None) -> None:
    """Set ``last_change`` of a table in ``gpkg_contents``, and grow its extent by ``bounds``.

    ``bounds`` is (minx, miny, maxx, maxy) of the geometries written; the extent
    only grows (as GDAL keeps it), it is informative.
    """
    row = con.execute(
        "SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE lower(table_name) = lower(?)", (name,)
    ).fetchone()
    if row is None:
        return
    sets: list[str] = ["last_change = ?"]
    args: list = [timestamp]
    if bounds is not None and all(np.isfinite(bounds)):
        old = [None if v is None else float(v) for v in row]
        new = [
            bounds[0] if old[0] is None else min(old[0], bounds[0]),
            bounds[1] if old[1] is None else min(old[1], bounds[1]),
            bounds[2] if old[2] is None else max(old[2], bounds[2]),
            bounds[3] if old[3] is None else max(old[3], bounds[3]),
        ]
        sets.append("min_x = ?, min_y = ?, max_x = ?, max_y = ?")
        args += [float(v) for v in new]
    if srs_id is not None:
        sets.append("srs_id = ?")
        args.append(srs_id)
    con.execute(f"UPDATE gpkg_contents SET {', '.join(sets)} WHERE lower(table_name) = lower(?)", (*args, name))
