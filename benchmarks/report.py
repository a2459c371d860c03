"""The report's stages, and what reusing the plans the app already has saves.

    python benchmarks/report.py

On the demo at its reference time, in one run (imports warmed by a first report):

- ``heatgis report`` as the command runs it: it plans the staffing and the crews' operations
  (24 h) itself;
- File → Export report in the app with the plans the window already has (the staffing panel's,
  the crew dock's): the report draws and writes only;
- the report without plans (the baseline: what drawing and writing cost).

Each prints its seconds and the stages from the report's progress messages; the ratios are
against the baseline of the same run.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def run(project, label, **kw) -> float:
    from heatgis.errors import Feedback
    from heatgis.export.report import write_report

    marks = []
    fb = Feedback(lambda pct, msg: marks.append((time.perf_counter(), msg)))
    t0 = time.perf_counter()
    write_report(project, tempfile.mkdtemp(), record=False, feedback=fb, **kw)
    total = time.perf_counter() - t0
    stages: dict[str, float] = {}
    prev_t, prev_m = t0, "start"
    for t, m in marks:
        if m != prev_m:
            stages[prev_m] = stages.get(prev_m, 0.0) + t - prev_t
            prev_t, prev_m = t, m
    top = sorted(stages.items(), key=lambda kv: -kv[1])[:5]
    print(f"{label:<44} {total:6.2f} s   " + ", ".join(f"{k} {v:.2f}" for k, v in top))
    return total


def main() -> None:
    from heatgis.analysis.staffing import plan_staffing
    from heatgis.export.pdf import ensure_gui_app
    from heatgis.model.store import open_project
    from heatgis.paths import DEMO_PATH
    from heatgis.routing.ops import plan_operations

    ensure_gui_app()
    project = open_project(DEMO_PATH)
    at = project.reference_time
    staffing = plan_staffing(project, at)
    ops = plan_operations(project, at=at, hours=24, time_limit=2.0)
    run(project, "(warm-up)", plans=False)
    base = run(project, "no plans (baseline)", plans=False)
    cli = run(project, "heatgis report (plans itself)")
    app = run(project, "app export (the window's plans reused)", staffing=staffing, ops_plan=ops)
    print(f"planning itself / baseline {cli / base:.2f}x; with the window's plans / baseline {app / base:.2f}x;")
    print(f"reusing the plans saves {cli - app:.1f} s ({cli / app:.2f}x)")


if __name__ == "__main__":
    main()
