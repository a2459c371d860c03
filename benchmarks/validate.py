"""Cost of the data check every command with figures runs (``heatgis.analysis.quality``).

    python benchmarks/validate.py [--repeat 5]

Baselines measured in the same run, on the committed demo:
- ``open_project`` (reading the GeoPackage): what every command pays anyway;
- ``ImpactEngine(project)`` + one ``compute`` at the reference time: the figures themselves.
The check is timed whole (``check_project``) and by part: the per-layer contract checks, the
file's stored types (SQLite ``typeof``) and the references between layers. Target: the check
costs well under the read, so the warning line is free to print on every run.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

DEMO = Path(__file__).resolve().parents[1] / "data" / "hohhot_demo.gpkg"


def best(fn, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times), statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    from heatgis.analysis.impact import ImpactEngine
    from heatgis.analysis.quality import check_project
    from heatgis.model import checks
    from heatgis.model.schema import LAYERS
    from heatgis.model.store import open_project
    from heatgis.model.validation import validate_layer

    project = open_project(DEMO)
    rows = {
        "open_project (baseline)": best(lambda: open_project(DEMO), args.repeat),
        "impact engine + compute (baseline)": best(
            lambda: ImpactEngine(project).compute(project.layer("lockdown_zones"), project.reference_time), args.repeat
        ),
        "check_project (whole check)": best(lambda: check_project(project), args.repeat),
        "  per-layer contract checks": best(
            lambda: [
                validate_layer(n, f, project.crs, None, conformed=True)
                for n, f in project.layers.items()
                if n in LAYERS
            ],
            args.repeat,
        ),
        "  stored types (sqlite typeof)": best(lambda: checks.stored_types(DEMO), args.repeat),
        "  references": best(lambda: checks.validate_references(project.layers), args.repeat),
    }
    base = rows["open_project (baseline)"][0]
    print(f"{'':40s} {'best s':>8s} {'median s':>9s} {'x open':>7s}")
    for name, (b, m) in rows.items():
        print(f"{name:40s} {b:8.3f} {m:9.3f} {b / base:7.2f}")
    q = check_project(project)
    print(f"demo: {q.total} problems, {q.errors} errors")


if __name__ == "__main__":
    main()
