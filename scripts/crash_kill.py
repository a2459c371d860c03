"""Kill HeatGIS saves at random moments; after each kill the project must hold the old or the new state.

A worker process opens a project, changes every zone's name and the metadata
``round`` together, saves in place, and repeats; every third round it also writes
a brand-new copy (``fresh.gpkg``, the temporary-file-and-rename path). The worker
is killed with SIGKILL at a random moment. After each kill:

- ``PRAGMA integrity_check`` is ok and the project opens;
- the saved state is whole: every zone carries the name of the round in the
  metadata (one transaction), and the round never goes back;
- after the open, no journal or temporary file is left in the folder.

Usage::

    python scripts/crash_kill.py --kills 30 [--seed 1] [--dir DIR]

Prints ``N kills, B broken`` (and exits 1 when B > 0) plus how many kills hit a
save in progress (a hot journal was found).
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COLD: list = []  # kills after which SQLite left a journal it ignores

WORKER = r"""
import os, sys
from heatgis.model.store import open_project, save_project
path, fresh = sys.argv[1], sys.argv[2]
open_project(path)  # imports GDAL, geopandas: the kills are meant for the saves
print("started", flush=True)
while True:
    p = open_project(path)
    n = int(p.meta.get("round") or 0) + 1
    z = p.layers["lockdown_zones"].copy()
    z["name"] = f"round {n}"
    p.layers["lockdown_zones"] = z
    p.meta["round"] = str(n)
    save_project(p)
    if n % 3 == 0:
        if os.path.exists(fresh):
            os.remove(fresh)
        save_project(p, fresh)
"""


def make_project(folder: Path) -> Path:
    """A small project: zones, stations and the demo's CRS."""
    import geopandas as gpd
    import pandas as pd
    import shapely

    from heatgis.model.project import Project
    from heatgis.model.schema import conform
    from heatgis.model.store import save_project

    x0, y0 = 500000.0, 4520000.0
    zones = conform(
        "lockdown_zones",
        gpd.GeoDataFrame(
            pd.DataFrame(
                {
                    "zone_id": [f"Z{i}" for i in range(40)],
                    "name": "round 0",
                    "level": "sealed",
                    "start": "2022-02-16T00:00",
                    "end": None,
                }
            ),
            geometry=[shapely.box(x0 + 100 * i, y0, x0 + 100 * i + 80, y0 + 80) for i in range(40)],
            crs="EPSG:4546",
        ),
    )
    stations = conform(
        "stations",
        gpd.GeoDataFrame(
            pd.DataFrame(
                {
                    "station_id": [f"S{i}" for i in range(400)],
                    "name": "站",
                    "network_id": "N1",
                    "heated_area_m2": 1000.0,
                    "households": 10,
                    "design_load_kw": 45.0,
                    "compound_id": None,
                    "depot_id": "D1",
                    "address": "",
                }
            ),
            geometry=[shapely.Point(x0 + 10 * i, y0 + 5) for i in range(400)],
            crs="EPSG:4546",
        ),
    )
    project = Project(
        {"lockdown_zones": zones, "stations": stations},
        {"name": "crash test", "reference_time": "2022-02-21T08:00", "round": "0"},
    )
    return save_project(project, folder / "p.gpkg")


def check(path: Path, last_round: int) -> tuple[int, list[str]]:
    """The round the file holds, and what is wrong with it."""
    from heatgis.errors import HeatGISError
    from heatgis.model.store import open_project

    problems = []
    con = sqlite3.connect(path)  # rolls a killed save's journal back, as every reader does
    try:
        ok = con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()
    if ok != "ok":
        return last_round, [f"integrity_check: {ok}"]
    try:
        p = open_project(path)
    except HeatGISError as exc:
        return last_round, [f"does not open: {exc}"]
    n = int(p.meta.get("round") or 0)
    names = set(p.layer("lockdown_zones")["name"])
    if names != {f"round {n}"}:
        problems.append(f"round {n} in the metadata but zone names {sorted(names)[:3]}")
    if n < last_round:
        problems.append(f"round went back from {last_round} to {n}")
    if len(p.layer("stations")) != 400:
        problems.append(f"{len(p.layer('stations'))} stations")
    fresh = path.with_name("fresh.gpkg")
    if fresh.exists():
        try:
            open_project(fresh)
        except HeatGISError as exc:
            problems.append(f"fresh.gpkg does not open: {exc}")
    left = sorted(f for f in os.listdir(path.parent) if f not in ("p.gpkg", "fresh.gpkg"))
    journal = path.with_name(path.name + "-journal")
    if journal.name in left and _cold(journal):
        COLD.append(1)
        left.remove(journal.name)  # SQLite ignores it (not hot) and removes it at the next save
    if left:
        problems.append("files left: " + ", ".join(left))
    return n, problems


def _cold(journal: Path) -> bool:
    """A rollback journal SQLite does not roll back: empty, or killed before its header was written."""
    try:
        with open(journal, "rb") as fh:
            head = fh.read(28)
    except OSError:
        return True
    return not head or head[0] == 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kills", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--dir", help="work folder (default: a temporary one)")
    ap.add_argument("--max-delay", type=float, default=0.8, help="seconds after the worker starts saving")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    rng = random.Random(args.seed)
    folder = Path(args.dir or tempfile.mkdtemp(prefix="crash_kill-")) / "work"
    folder.mkdir(parents=True, exist_ok=True)
    path = make_project(folder)
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    broken, hot, last, t0 = 0, 0, 0, time.time()
    for k in range(args.kills):
        proc = subprocess.Popen(
            [sys.executable, "-c", WORKER, str(path), str(folder / "fresh.gpkg")],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        line = proc.stdout.readline()
        if line.strip() != "started":
            print(f"kill {k + 1}: the worker did not start: {proc.stderr.read()}")
            return 2
        time.sleep(rng.uniform(0.0, args.max_delay))
        if proc.poll() is not None:
            print(f"kill {k + 1}: the worker stopped by itself: {proc.stderr.read()[-2000:]}")
            return 2
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        proc.stderr.close()
        if any(f.endswith(("-journal", ".tmp.gpkg")) for f in os.listdir(folder)):
            hot += 1
        last, problems = check(path, last)
        if problems:
            broken += 1
            print(f"kill {k + 1}: " + "; ".join(problems))
    print(
        f"{args.kills} kills, {broken} broken; {hot} hit a save in progress (journal or temporary file "
        f"found and cleaned up; {len(COLD)} cold journals, removed by the next save); {last} rounds saved; "
        f"{time.time() - t0:.0f} s"
    )
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
