"""Helpers for the project-file tests: what QGIS and a planner add to a GeoPackage, and how to compare it."""

from __future__ import annotations

import os
import sqlite3
import struct
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pyogrio
import shapely

from heatgis.model.schema import LAYERS

ROOT = Path(__file__).resolve().parents[2]
OWNED = (*LAYERS, "heatgis_meta")

STYLE_QML = '<!DOCTYPE qgis><qgis version="3.34"><renderer-v2 type="singleSymbol"/></qgis>'


def add_foreign_objects(path: Path) -> None:
    """A planner's own layer (written by GDAL), QGIS's styles, a QGIS project, a view and a trigger."""
    notes = gpd.GeoDataFrame(
        {"note": ["check the valve", "入口在北侧"], "rank": [1, 2]},
        geometry=[shapely.Point(500010, 4520010), shapely.Point(500300, 4520060)],
        crs="EPSG:4546",
    )
    pyogrio.write_dataframe(notes, path, layer="my_notes", driver="GPKG")
    con = sqlite3.connect(path)
    con.executescript(f"""
        CREATE TABLE "layer_styles" ("id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, "f_table_catalog" TEXT(256),
          "f_table_schema" TEXT(256), "f_table_name" TEXT(256), "f_geometry_column" TEXT(256),
          "styleName" TEXT(30), "styleQML" TEXT, "styleSLD" TEXT, "useAsDefault" BOOLEAN, "description" TEXT,
          "owner" TEXT(30), "ui" TEXT(30), "update_time" DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')));
        INSERT INTO gpkg_contents (table_name, data_type, identifier, last_change)
          VALUES ('layer_styles', 'attributes', 'layer_styles', '2024-01-01T00:00:00Z');
        INSERT INTO layer_styles (f_table_name, f_geometry_column, styleName, styleQML, useAsDefault, update_time)
          VALUES ('lockdown_zones', 'geom', 'zones red', '{STYLE_QML}', 1, '2024-01-01T00:00:00Z');
        CREATE TABLE qgis_projects (name TEXT PRIMARY KEY, metadata BLOB, content BLOB);
        CREATE VIEW sealed_zones AS SELECT fid, zone_id, name FROM lockdown_zones WHERE level = 'sealed';
        CREATE TRIGGER my_notes_stamp AFTER UPDATE OF note ON my_notes BEGIN SELECT 1; END;
    """)
    con.execute(
        "INSERT INTO qgis_projects VALUES (?, ?, ?)",
        ("command centre", b'{"last_modified_time": "2024-01-01"}', os.urandom(3000)),
    )
    con.commit()
    con.close()


def foreign_state(path: Path) -> dict:
    """Every schema object and row that does not belong to an owned table, as stored."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    owned = {t.lower() for t in OWNED}

    def is_owned(name: str) -> bool:
        n = name.lower()
        return n in owned or any(n.startswith(f"rtree_{t}_") for t in owned) or n == "sqlite_sequence"

    out = {
        "schema": sorted(
            r for r in con.execute("SELECT type, name, tbl_name, sql FROM sqlite_master") if not is_owned(r[2])
        )
    }
    for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
        if not is_owned(name) and not name.startswith("gpkg_"):
            out[name] = con.execute(f'SELECT rowid, * FROM "{name}" ORDER BY rowid').fetchall()
    for table in ("gpkg_contents", "gpkg_geometry_columns", "gpkg_extensions", "gpkg_ogr_contents"):
        out[table] = sorted(r for r in con.execute(f"SELECT * FROM {table}") if not is_owned(r[0] or ""))
    out["gpkg_spatial_ref_sys"] = con.execute("SELECT * FROM gpkg_spatial_ref_sys ORDER BY srs_id").fetchall()
    out["application_id"] = con.execute("PRAGMA application_id").fetchone()
    con.close()
    return out


def rtree_problems(path: Path, table: str) -> list[str]:
    """Rows whose spatial-index entry is missing or does not hold the geometry's bounds."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    index = {r[0]: r[1:] for r in con.execute(f'SELECT id, minx, maxx, miny, maxy FROM "rtree_{table}_geom"')}
    problems = []
    seen = set()
    for fid, blob in con.execute(f'SELECT fid, geom FROM "{table}"'):
        if blob is None:
            continue
        flags = blob[3]
        size = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[(flags >> 1) & 7]
        g = shapely.from_wkb(bytes(blob[8 + size :]))
        if size:
            env = struct.unpack_from("<4d" if flags & 1 else ">4d", blob, 8)
            x0, y0, x1, y1 = g.bounds
            if max(abs(env[0] - x0), abs(env[1] - x1), abs(env[2] - y0), abs(env[3] - y1)) > 1e-6:
                problems.append(f"{table} fid {fid}: the blob's envelope is not the geometry's")
        if g.is_empty:
            continue
        seen.add(fid)
        box = index.get(fid)
        x0, y0, x1, y1 = g.bounds
        if box is None:
            problems.append(f"{table} fid {fid}: not in the spatial index")
        elif not (box[0] <= x0 + 1 and box[1] >= x1 - 1 and box[2] <= y0 + 1 and box[3] >= y1 - 1):
            problems.append(f"{table} fid {fid}: index {box} does not hold {g.bounds}")
    problems += [f"{table}: index entry {k} has no row" for k in set(index) - seen]
    con.close()
    return problems


def integrity(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


def env() -> dict:
    e = dict(os.environ)
    e["PYTHONPATH"] = str(ROOT) + (os.pathsep + e["PYTHONPATH"] if e.get("PYTHONPATH") else "")
    e["QT_QPA_PLATFORM"] = "offscreen"
    return e


def python(*args, **kw) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, *map(str, args)],
        cwd=ROOT,
        env=env(),
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **kw,
    )


def edit(project, layer: str, row: int, **values) -> None:
    """Change cells of one row the way the app's commands do (a new frame)."""
    frame = project.layers[layer].copy()
    for k, v in values.items():
        frame.loc[row, k] = v
    project.layers[layer] = frame
