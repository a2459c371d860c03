"""Copies of the demo spoilt the way a planner's file gets spoilt (edited in QGIS, sqlite3, Excel).

Each builder copies the committed demo into a folder and edits it with plain SQL, as another
program would: the GeoPackage's triggers call SpatiaLite-style functions, which a bare
``sqlite3`` connection lacks, so stand-ins are registered (they only feed the R-tree).
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

DEMO = Path(__file__).resolve().parents[2] / "data" / "hohhot_demo.gpkg"


def sql(path, *statements) -> None:
    """Run SQL statements on a GeoPackage and commit."""
    con = sqlite3.connect(path)
    con.create_function("ST_IsEmpty", 1, lambda g: 0 if g is not None else 1)
    for f in ("ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY"):
        con.create_function(f, 1, lambda g: 0.0)
    try:
        for s in statements:
            con.execute(s)
        con.commit()
    finally:
        con.close()


def copy_demo(folder, name="bad.gpkg") -> Path:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    shutil.copy(DEMO, path)
    return path


#: locked stations at the reference time (2022-02-25 08:00) and their households
LOCKED = {"ST-0025": 1310, "ST-0062": 215}

#: name -> SQL that spoils a copy of the demo, and what ``validate`` must say about it
CASES = {
    "households_as_text": (
        [
            "UPDATE stations SET households = '1,310' WHERE station_id = 'ST-0025'",
            "UPDATE stations SET households = '215户' WHERE station_id = 'ST-0062'",
        ],
        ("'1,310' is stored as text", "'215户' is stored as text"),
    ),
    "null_geometry": (
        ["UPDATE stations SET geom = NULL WHERE station_id IN ('ST-0025', 'ST-0062')"],
        ("the geometry is empty",),
    ),
    "end_before_start": (
        ["UPDATE lockdown_zones SET \"end\" = '2022-02-01T00:00:00' WHERE zone_id = 'Z-043'"],
        ("the zone ends before it starts (end 2022-02-01 00:00, start 2022-02-21 18:00)",),
    ),
    "negative_area": (
        ["UPDATE stations SET heated_area_m2 = -5000 WHERE station_id = 'ST-0062'"],
        ("-5000.0 is below the minimum 0",),
    ),
    "households_1e15": (
        ["UPDATE stations SET households = 1e15 WHERE station_id = 'ST-0025'"],
        ("is implausible (above 50,000",),
    ),
    "bad_reference_time": (
        ["UPDATE heatgis_meta SET value = 'next tuesday' WHERE key = 'reference_time'"],
        ("the reference time 'next tuesday' is not a date and time",),
    ),
    "bad_crs": (
        ["UPDATE heatgis_meta SET value = 'EPSG:99999' WHERE key = 'crs'"],
        ("the coordinate system 'EPSG:99999' cannot be read",),
    ),
    "stations_replaced": (
        # as after 'import --replace' of a stations file with other ids: every reference dangles
        ["UPDATE stations SET station_id = 'NEW-' || substr(station_id, 4)"],
        ("'ST-0025' is not a known station_id or asset_id", "the pipe ends at 'ST-"),
    ),
    "null_site_id": (
        ["UPDATE stations SET station_id = NULL WHERE station_id = 'ST-0025'"],
        ("row #25, field station_id: the value is empty",),
    ),
    "crew_shift_text": (
        ["UPDATE crews SET shift_start = 'morning' WHERE crew_id = 'CR-01'"],
        ("'morning' is not a time of day (HH:MM)",),
    ),
    "duplicate_ids": (
        ["UPDATE stations SET station_id = 'ST-0062' WHERE station_id = 'ST-0025'"],
        ("the id 'ST-0062' is used twice",),
    ),
}


def bad_project(folder, case: str) -> Path:
    """A copy of the demo spoilt as ``CASES[case]`` says."""
    path = copy_demo(folder, f"{case}.gpkg")
    sql(path, *CASES[case][0])
    return path
