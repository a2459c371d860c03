"""A project on PostGIS against the GeoPackage: opening the demo, and a zone edit seen by a second client.

    python benchmarks/postgis_open.py [--repeat 3]

Starts a throw-away PostgreSQL 15 + PostGIS server in a temporary folder (as the tests do,
``tests/pg/cluster.py``), pushes the committed demo and measures, in the same run:

- opening the demo from the database (:func:`heatgis.model.store.open_project` on the URL:
  every layer in one repeatable-read snapshot, conformed like a file) against opening the
  GeoPackage; the ratio is printed (target: at most 2x);
- one lockdown zone edited and saved by a first client until a second client, waiting in a
  :class:`~heatgis.model.store.postgis.ChangeListener`, has the notification (target: under 1 s),
  and that client's reload of the row.

Best of ``--repeat`` runs each.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from heatgis.model.store import open_project, save_project  # noqa: E402
from heatgis.model.store import postgis as pgs  # noqa: E402
from heatgis.model.store.pgpush import push_project  # noqa: E402
from tests.pg.cluster import Cluster, missing  # noqa: E402

DEMO = ROOT / "data" / "hohhot_demo.gpkg"


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    why = missing()
    if why:
        print(f"cannot start a PostgreSQL server: {why}", file=sys.stderr)
        return 2
    cluster = Cluster()
    try:
        url = cluster.url("bench")
        t = time.perf_counter()
        push_project(open_project(DEMO), url)
        print(f"push of the demo: {time.perf_counter() - t:.2f} s")
        open_project(DEMO), open_project(url)  # warm both (imports, caches)
        t_file = best(lambda: open_project(DEMO), args.repeat)
        t_db = best(lambda: open_project(url), args.repeat)
        print(
            f"open the demo: GeoPackage {t_file:.3f} s, PostGIS {t_db:.3f} s, ratio {t_db / t_file:.2f}x (target <= 2x)"
        )

        first = open_project(url)
        second = open_project(url)
        latencies, reloads = [], []
        with pgs.ChangeListener(url) as listener:
            for i in range(args.repeat):
                got: list = []
                ready = threading.Event()

                def wait(got=got, ready=ready):
                    ready.set()
                    got.extend(listener.wait(10))

                th = threading.Thread(target=wait)
                th.start()
                ready.wait()
                z = first.layers["lockdown_zones"].copy()
                z.loc[0, "name"] = f"edit {i}"
                first.layers["lockdown_zones"] = z
                t = time.perf_counter()
                save_project(first)
                th.join()
                seen = time.perf_counter() - t
                assert got and got[0].row_id == z.loc[0, "zone_id"], got
                t = time.perf_counter()
                pgs.reload_rows(second, "lockdown_zones", [got[0].row_id])
                reloads.append(time.perf_counter() - t)
                latencies.append(seen)
        print(
            f"zone edit saved by one client and seen by the other: {min(latencies) * 1000:.0f} ms best, "
            f"{max(latencies) * 1000:.0f} ms worst (target < 1000 ms); reload of the row "
            f"{min(reloads) * 1000:.0f} ms"
        )
    finally:
        cluster.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
