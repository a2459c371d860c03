"""The app at scale: open (with its progress bar, and how long the GUI thread is ever stalled),
zoom, pan, a timeline step and drawing a zone with the figures following the pointer.

    QT_QPA_PLATFORM=offscreen python benchmarks/app_scale.py [--sites 100000] [--skip-10x]

Cases: the demo, the 10x city (``benchmarks/timeline.city_10x``) and a province of N stations and
N/25 lockdown zones (``benchmarks/impact_scale.generate``, deterministic, cached in the temp folder).
Drives the real main window offscreen (1400 x 900). Printed per case:

- open: seconds to the project shown and to the first map; the progress bar's updates during the open;
  the longest gap between two ticks of a 10 ms timer on the GUI thread from File → Open to the
  first map (how long the window did not answer: the budget is 100 ms, the "stays responsive"
  of the issue), the same for the rest of the start-up (timeline, first staffing plan);
- zoom and pan: ms per frame (a wheel step in or out, a pan by a fifth of the view), until the
  window has repainted;
- timeline step: ms until the step is on screen (as ``benchmarks/timeline.py``);
- drawing a zone: ms from a pointer move (the polygon closed through the cursor) until the
  figures and the map have been repainted.

Against a 50 ms frame budget; the baseline in the same run is one repaint of the unchanged window.
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
sys.path.insert(0, str(ROOT / "benchmarks"))
DEMO = ROOT / "data" / "hohhot_demo.gpkg"
BUDGET_MS = 50.0
STALL_MS = 100.0


class StallMeter:
    """The longest gap between ticks of a 10 ms timer on the GUI thread while it runs."""

    def __init__(self, QtCore):
        self.timer = QtCore.QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.gaps: list[float] = []

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append((now - self.last) * 1000)
        self.last = now

    def start(self) -> None:
        self.gaps = []
        self.last = time.perf_counter()
        self.timer.start()

    def stop(self) -> float:
        self._tick()
        self.timer.stop()
        return max(self.gaps)


def province(folder: Path, n: int) -> Path:
    from impact_scale import generate

    path = folder / f"heatgis_province_{n}.gpkg"
    if not path.exists():
        generate(path, n, max(n // 25, 1))
    return path


def open_case(app, win, path, settle, QtCore) -> dict:
    flags = {"loaded": False, "painted": False, "timeline": False}
    win.projectLoaded.connect(lambda: flags.__setitem__("loaded", True))
    win.timelineReady.connect(lambda: flags.__setitem__("timeline", True))
    win.canvas.painted.connect(lambda: flags["loaded"] and flags.__setitem__("painted", True))
    updates = []
    win.progress.valueChanged.connect(updates.append)
    meter = StallMeter(QtCore)
    meter.start()
    t = time.perf_counter()
    win.open_project(path)
    settle(app, lambda: flags["loaded"], timeout=600, what="the project")
    loaded = time.perf_counter() - t
    win.canvas.viewport().update()
    settle(app, lambda: flags["painted"], timeout=600, what="the first map")
    painted = time.perf_counter() - t
    stall_open = meter.stop()
    meter.start()
    settle(app, lambda: flags["timeline"], timeout=600, what="the timeline")
    st = win.plans.staffing
    settle(app, lambda: st is not None and st.plan is not None, timeout=600, what="the first staffing plan")
    stall_after = meter.stop()
    return {
        "open": loaded,
        "draw": painted,
        "progress": len(set(updates)),
        "stall open": stall_open,
        "stall after": stall_after,
    }


def frame_ms(app, win, action, settle) -> float:
    settle(app)
    t = time.perf_counter()
    action()
    settle(app)
    return (time.perf_counter() - t) * 1000


def zoom_pan(app, win, settle, frames: int) -> tuple[float, float]:
    vb = win.canvas.vb
    zoom, pan = [], []
    for k in range(frames):
        f = 0.8 if k % 2 == 0 else 1.25
        zoom.append(frame_ms(app, win, lambda f=f: vb.scaleBy((f, f)), settle))
    for k in range(frames):
        (x0, x1), (y0, y1) = vb.viewRange()
        dx = (x1 - x0) / 5 * (1 if (k // 2) % 2 == 0 else -1)
        pan.append(frame_ms(app, win, lambda dx=dx: vb.translateBy(x=dx), settle))
    return statistics.median(zoom[1:]), statistics.median(pan[1:])


def timeline_steps(app, win, settle, steps: int) -> float:
    tl = win.timeline
    n = tl.slider.maximum() + 1
    k0 = tl.slider.value()
    out = [frame_ms(app, win, lambda k=k: tl.slider.setValue((k0 + k + 1) % n), settle) for k in range(steps + 1)]
    return statistics.median(out[1:])


def draw_moves(app, win, settle, moves: int) -> tuple[float, int]:
    """Two vertices clicked at the view's centre, then the pointer walks around: ms per move until
    the figures and the map are repainted; how many moves changed the figures."""
    tool = win.tools["draw_zone"]
    win.set_tool("draw_zone")
    (x0, x1), (y0, y1) = win.canvas.vb.viewRange()
    cx, cy, r = (x0 + x1) / 2, (y0 + y1) / 2, min(x1 - x0, y1 - y0) / 4
    tool.vertices = [(cx - r, cy - r), (cx + r, cy - r)]
    label = win.impact.figures["households"]
    seen, out = set(), []
    for k in range(moves + 1):
        x = cx + r * (1 - 2 * (k % 5) / 4)
        y = cy + r * (0.2 + 0.8 * (k % 3) / 2)
        out.append(frame_ms(app, win, lambda x=x, y=y: (tool.move(x, y), win.canvas.viewport().update()), settle))
        seen.add(label.text())
    tool.cancel()
    settle(app)
    return statistics.median(out[1:]), len(seen)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sites", type=int, default=100_000, help="stations of the province case (0: leave it out)")
    ap.add_argument("--frames", type=int, default=8)
    ap.add_argument("--skip-10x", action="store_true")
    a = ap.parse_args()
    from PySide6 import QtCore, QtWidgets
    from timeline import bench_settings, city_10x, make_window, settle

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    settings = bench_settings()
    cases = [("demo", DEMO)]
    if not a.skip_10x:
        cases.append(("10x city", city_10x(Path(tempfile.gettempdir()))))
    if a.sites:
        t = time.perf_counter()
        cases.append((f"{a.sites // 1000}k sites", province(Path(tempfile.gettempdir()), a.sites)))
        print(f"province file ready in {time.perf_counter() - t:.1f} s: {cases[-1][1]}")
    print(
        f"{'case':12s} {'open s':>6s} {'draw s':>6s} {'progress':>8s} {'stall ms':>8s} {'after':>6s} "
        f"{'repaint':>7s} {'zoom ms':>7s} {'pan ms':>6s} {'step ms':>7s} {'sketch ms':>9s} {'figures':>7s}  verdict"
    )
    ok = True
    for name, path in cases:
        win = make_window(settings)
        settle(app)
        o = open_case(app, win, path, settle, QtCore)
        base = frame_ms(app, win, win.repaint, settle)
        zoom, pan = zoom_pan(app, win, settle, a.frames)
        step = timeline_steps(app, win, settle, a.frames)
        sketch, changed = draw_moves(app, win, settle, a.frames * 2)
        over = [k for k, v in (("zoom", zoom), ("pan", pan), ("step", step), ("sketch", sketch)) if v > BUDGET_MS]
        if o["stall open"] > STALL_MS or o["stall after"] > STALL_MS:
            over.append("stall")
        ok &= not over
        print(
            f"{name:12s} {o['open']:6.2f} {o['draw']:6.2f} {o['progress']:8d} {o['stall open']:8.0f} "
            f"{o['stall after']:6.0f} {base:7.1f} {zoom:7.1f} {pan:6.1f} {step:7.1f} {sketch:9.1f} {changed:7d}  "
            + ("ok" if not over else "OVER: " + ", ".join(over))
        )
        win.wait_for_workers()
        win.close()
        win.deleteLater()
        settle(app)
    print(f"budgets: a frame {BUDGET_MS:.0f} ms; the GUI thread never stalled over {STALL_MS:.0f} ms")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
