"""The app on the demo and on the 10x city: open, first draw, one timeline step, the staffing re-solve.

    QT_QPA_PLATFORM=offscreen python benchmarks/timeline.py [--steps 8] [--skip-10x] [--show staffing,routes]

Drives the real main window offscreen (1400 x 900): opens the project file in a worker as
File → Open does (the demo; the 10x city, ``heatgis.sample.scale.tile_project`` of the demo,
saved once to a GeoPackage in the temp folder), waits for the first map and the timeline, then moves the
time slider one step at a time, each step timed from ``slider.setValue`` until every event
it posted has run and the window has repainted (``processEvents`` until idle). Printed per
case, in ms: the step (median and worst; its CPU time, the process's, as the machine may be
shared; the map's share also as the GUI thread's CPU time), the baseline of the same run (one repaint of the
unchanged window: what any frame costs), their ratio and the 50 ms budget, the map's share
of the step (its labels placed again and the stacks of layers that changed rendered: the zones over the
cached image of the layers below, the cached sheet of the sites above laid over them, a margin around
the view); the staffing
re-solve (from the step until the new plan is shown: the debounce, then a worker; the GUI
thread only shows the plan) and the GUI-thread time of showing it (tables and summary; none while the
staffing dock is tabbed behind another: it is filled when raised, ``gui.onscreen``). The window's own
layout at 1400 x 900 has the impact and the timeline docks in front; ``--show`` raises others first
(``--show staffing``: the staffing dock in front, the impact behind it).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEMO = ROOT / "data" / "hohhot_demo.gpkg"
BUDGET_MS = 50.0


def settle(app, until=None, timeout=60.0, what="the window") -> None:
    """Run events until ``until()`` holds (or, without it, until no event is left)."""
    t = time.perf_counter()
    while True:
        app.processEvents()
        app.sendPostedEvents()
        app.processEvents()
        if until is None or until():
            return
        if time.perf_counter() - t > timeout:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(0.002)


def bench_settings():
    """Settings in a fresh temporary folder (never the planner's own)."""
    from PySide6 import QtCore

    tmp = tempfile.mkdtemp(prefix="heatgis_bench_")
    QtCore.QSettings.setDefaultFormat(QtCore.QSettings.Format.IniFormat)
    QtCore.QSettings.setPath(QtCore.QSettings.Format.IniFormat, QtCore.QSettings.Scope.UserScope, tmp)
    return QtCore.QSettings(os.path.join(tmp, "heatgis.ini"), QtCore.QSettings.Format.IniFormat)


def make_window(settings):
    from heatgis.gui.main_window import MainWindow

    win = MainWindow(settings=settings, lang="en")
    win.ask_unsaved = lambda: "discard"
    win.error_sink = lambda exc: print("error:", exc, file=sys.stderr)
    win.resize(1400, 900)
    win.show()
    return win


def city_10x(folder: Path) -> Path:
    """The demo tiled 10 times, saved once as a project file (reused by later runs)."""
    path = folder / "heatgis_city_10x.gpkg"
    if not path.exists():
        from heatgis.model.store import open_project, save_project
        from heatgis.sample.scale import tile_project

        tmp = path.with_suffix(".tmp.gpkg")
        tmp.unlink(missing_ok=True)
        save_project(tile_project(open_project(DEMO), k=10), tmp, replace=True)
        os.replace(tmp, path)
    return path


def open_case(app, win, path) -> dict:
    """Open the file, return seconds to projectLoaded, to the first map, to the timeline."""
    flags = {"loaded": False, "painted": False, "timeline": False}
    win.projectLoaded.connect(lambda: flags.__setitem__("loaded", True))
    win.timelineReady.connect(lambda: flags.__setitem__("timeline", True))
    win.canvas.painted.connect(lambda: flags["loaded"] and flags.__setitem__("painted", True))
    t = time.perf_counter()
    win.open_project(path)
    settle(app, lambda: flags["loaded"], what="the project")
    loaded = time.perf_counter() - t
    win.canvas.viewport().update()
    settle(app, lambda: flags["painted"], what="the first map")
    painted = time.perf_counter() - t
    settle(app, lambda: flags["timeline"], what="the timeline")
    timeline = time.perf_counter() - t
    st = win.plans.staffing
    settle(app, lambda: st is not None and st.plan is not None, what="the first staffing plan")
    return {"open": loaded, "first draw": painted, "timeline ready": timeline}


def in_sight(win) -> list[str]:
    """The docks in front (open, not tabbed behind another: Qt moves those out of the window)."""
    return [n for n, d in win.docks.items() if d.isVisible() and (d.isFloating() or not d.visibleRegion().isEmpty())]


def time_steps(app, win, steps: int) -> dict:
    tl = win.timeline
    st = win.plans.staffing
    n = tl.slider.maximum() + 1
    k0 = tl.slider.value()
    order = [(k0 + i + 1) % n for i in range(steps + 1)]
    plans = {"n": 0}
    st.planChanged.connect(lambda _plan: plans.__setitem__("n", plans["n"] + 1))
    fill_ms = []
    fill = st._fill

    def timed_fill(plan):  # the GUI thread's part of a re-solve: showing the plan
        t = time.perf_counter()
        fill(plan)
        fill_ms.append((time.perf_counter() - t) * 1000)

    st._fill = timed_fill
    render_ms, render_cpu = [], []
    base = win.canvas.base
    name = "_update" if hasattr(base, "_update") else "_render"  # (the canvas before the stacks: _render)
    update = getattr(base, name)

    def timed_update(*args):  # the map's share of a step: its labels placed again, the stacks that changed rendered
        t, c = time.perf_counter(), time.thread_time()
        out = update(*args)
        render_ms.append((time.perf_counter() - t) * 1000)
        render_cpu.append((time.thread_time() - c) * 1000)
        return out

    setattr(base, name, timed_update)
    step_ms, cpu_ms, solve_ms, repaint_ms, map_ms, map_cpu = [], [], [], [], [], []
    full0 = base.renders
    for k in order:  # the first step warms the caches
        settle(app)
        t = time.perf_counter()
        win.repaint()
        repaint_ms.append((time.perf_counter() - t) * 1000)
        before = plans["n"]
        render_ms.clear()
        render_cpu.clear()
        t, c = time.perf_counter(), time.process_time()
        tl.slider.setValue(k)
        settle(app)  # runs what the step posted, then the paint of what it marked dirty
        step_ms.append((time.perf_counter() - t) * 1000)
        cpu_ms.append((time.process_time() - c) * 1000)
        map_ms.append(sum(render_ms))
        map_cpu.append(sum(render_cpu))
        settle(app, lambda b=before: plans["n"] > b, what=f"the staffing plan of step {k}")
        solve_ms.append((time.perf_counter() - t) * 1000)
    return {
        "full renders": base.renders - full0,
        "step": step_ms[1:],
        "cpu": cpu_ms[1:],
        "repaint": repaint_ms[1:],
        "solve": solve_ms[1:],
        "fill": fill_ms[1:],
        "map": map_ms[1:],
        "map cpu": map_cpu[1:],
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=8)
    ap.add_argument("--skip-10x", action="store_true")
    ap.add_argument("--show", default="", help="docks to raise before stepping (comma-separated names)")
    a = ap.parse_args()
    from PySide6 import QtWidgets

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    settings = bench_settings()
    cases = [("demo", DEMO)]
    if not a.skip_10x:
        t = time.perf_counter()
        cases.append(("10x city", city_10x(Path(tempfile.gettempdir()))))
        print(f"10x city file ready in {time.perf_counter() - t:.1f} s: {cases[-1][1]}")
    print(
        f"{'case':10s} {'open s':>7s} {'draw s':>7s} {'step ms':>8s} {'worst':>6s} {'cpu ms':>7s} {'of it map':>9s} "
        f"{'map cpu':>8s} "
        f"{'repaint':>8s} {'ratio':>6s} {'budget':>7s} {'staffing ms':>12s} {'shown ms':>9s}"
    )
    ok = True
    for name, path in cases:
        win = make_window(settings)
        settle(app)
        opened = open_case(app, win, path)
        for dock in filter(None, a.show.split(",")):
            win.docks[dock].raise_()
        settle(app)
        print(f"{'':10s} docks in front: {', '.join(in_sight(win))}")
        r = time_steps(app, win, a.steps)
        step = statistics.median(r["step"])
        base = statistics.median(r["repaint"])
        verdict = "ok" if step <= BUDGET_MS else "OVER"
        ok &= verdict == "ok"
        print(
            f"{name:10s} {opened['open']:7.2f} {opened['first draw']:7.2f} {step:8.1f} {max(r['step']):6.1f} "
            f"{statistics.median(r['cpu']):7.1f} "
            f"{statistics.median(r['map']):9.1f} {statistics.median(r['map cpu']):8.1f} "
            f"{base:8.1f} {step / base:6.2f} {verdict:>7s}"
            f" {statistics.median(r['solve']):12.0f} {statistics.median(r['fill']) if r['fill'] else 0.0:9.1f}"
            f"  (map rendered from the bottom {r['full renders']}x in {a.steps + 1} steps)"
        )
        win.wait_for_workers()
        win.close()
        win.deleteLater()
        settle(app)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
