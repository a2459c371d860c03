"""Time per full redraw while panning: the batched layer renderer against one QGraphicsItem per feature.

    QT_QPA_PLATFORM=offscreen python benchmarks/render.py [--frames 12] [--skip-items-10x]

Both draw the same features into a 1600x1000 QImage over the same sequence of
panned views of the whole city: (a) ``heatgis.render`` (the code behind the map
items, the PNG and the PDF): one batched, tiled painter per layer; (b) a
QGraphicsScene holding one item per feature (paths for lines and polygons,
ellipses that ignore the zoom for points), rendered with ``QGraphicsScene.render``.
Prints ms per frame and the ratio; targets: demo < 16 ms, 10x city < 50 ms. It also
times the app's map canvas itself while panning (it blits a cached render and renders
again only when the pan leaves the cached margin, as QGIS's canvas does).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
W, H = 1600, 1000


def pan_extents(bounds, frames):
    x0, y0, x1, y1 = bounds
    w, h = x1 - x0, y1 - y0
    return [
        (x0 + dx, y0 + dy, x1 + dx, y1 + dy)
        for k in range(frames)
        for dx, dy in [(0.02 * w * (k % 6 - 3), 0.015 * h * ((k // 2) % 4 - 2))]
    ]


def time_batched(project, extents, antialias=True):
    from PySide6 import QtCore, QtGui

    from heatgis.render.mapdraw import MapRenderer

    r = MapRenderer(project, at=project.reference_time)
    img = QtGui.QImage(W, H, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
    times = []
    for i, ext in enumerate([extents[0]] + list(extents)):  # first frame warms the caches
        t = time.perf_counter()
        p = QtGui.QPainter(img)
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, antialias)
        r.render(p, ext, QtCore.QRectF(0, 0, W, H))
        p.end()
        if i:
            times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000, img


def build_scene(project, style):
    import numpy as np
    from PySide6 import QtGui, QtWidgets

    from heatgis.render.layers import color, cosmetic_pen
    from heatgis.render.qpath import lines_path, points_xy, polygons_path

    scene = QtWidgets.QGraphicsScene()
    n = 0
    for z, s in enumerate(style.layers):
        if not s.visible or not project.has(s.layer):
            continue
        f = project.layer(s.layer)
        geoms = np.asarray(f.geometry.values)
        pen = cosmetic_pen(s.color, s.width)
        brush = color(s.fill or s.color, s.fill_alpha) if s.kind in ("polygon", "zone") else None
        if s.kind == "point":
            size = s.size
            for x, y in points_xy(geoms):
                it = QtWidgets.QGraphicsEllipseItem(-size / 2, -size / 2, size, size)
                it.setPos(x, y)
                it.setFlag(QtWidgets.QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
                it.setPen(QtGui.QPen(QtGui.QColor("#ffffff")))
                it.setBrush(color(s.color))
                it.setZValue(z)
                scene.addItem(it)
                n += 1
            continue
        make = polygons_path if s.kind in ("polygon", "zone") else lines_path
        for g in geoms:
            it = QtWidgets.QGraphicsPathItem(make(np.array([g], dtype=object)))
            it.setPen(pen)
            if brush is not None:
                it.setBrush(brush)
            it.setZValue(z)
            scene.addItem(it)
            n += 1
    return scene, n


def time_items(project, extents, antialias=True):
    from PySide6 import QtCore, QtGui

    from heatgis.render.mapdraw import fit_extent, style_for

    t = time.perf_counter()
    scene, n = build_scene(project, style_for(project))
    build = time.perf_counter() - t
    img = QtGui.QImage(W, H, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
    times = []
    for i, ext in enumerate([extents[0]] + list(extents)):
        ext, _, _ = fit_extent(ext, QtCore.QRectF(0, 0, W, H))
        t = time.perf_counter()
        p = QtGui.QPainter(img)
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, antialias)
        p.translate(0, H)
        p.scale(1, -1)  # the scene is in map coordinates (y up)
        source = QtCore.QRectF(ext[0], ext[1], ext[2] - ext[0], ext[3] - ext[1])
        scene.render(p, QtCore.QRectF(0, 0, W, H), source, QtCore.Qt.AspectRatioMode.IgnoreAspectRatio)
        p.end()
        if i:
            times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000, n, build


def time_canvas_pan(project, frames):
    """The app's map canvas while panning: median repaint of the 1600x1000 viewport.

    The canvas renders all layers once into an image with a 30% margin and blits it while
    the pan stays inside (BaseMapItem); it renders again when the pan leaves the margin.
    Returns (median ms per pan frame, renders during the pan, ms of one full render).
    """
    from PySide6 import QtWidgets

    from heatgis.gui.map_canvas import MapCanvas
    from heatgis.gui.session import ProjectSession

    app = QtWidgets.QApplication.instance()
    session = ProjectSession(project)
    canvas = MapCanvas()
    canvas.resize(W, H)
    canvas.show()
    canvas.set_session(session)
    app.processEvents()
    canvas.viewport().repaint()
    width = canvas.vb.viewRect().width()
    before = canvas.base.renders
    times = []
    for k in range(frames * 3):  # drag right 15 steps of 2%, then back: crosses the margin
        step = 0.02 * width * (1 if (k // 15) % 2 == 0 else -1)
        canvas.vb.translateBy(x=step, y=0)
        t = time.perf_counter()
        canvas.viewport().repaint()
        times.append(time.perf_counter() - t)
    renders = canvas.base.renders - before
    canvas.base.invalidate()
    t = time.perf_counter()
    canvas.viewport().repaint()
    full = (time.perf_counter() - t) * 1000
    canvas.close()
    return statistics.median(times) * 1000, renders, full


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--frames", type=int, default=12)
    ap.add_argument("--skip-items-10x", action="store_true", help="skip the slow per-item baseline at 10x")
    args = ap.parse_args(argv)
    from PySide6 import QtWidgets

    # QGraphicsScene (the per-item baseline) needs a QApplication
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv[:1])  # noqa: F841
    from heatgis.model.store import open_project
    from heatgis.render.mapdraw import MapRenderer
    from heatgis.sample import tile_project

    demo = open_project(ROOT / "data" / "hohhot_demo.gpkg")
    cases = [("demo", demo), ("10x city", tile_project(demo, k=10))]
    print(
        f"{'case':10} {'features':>9} {'batched ms':>11} {'no-AA ms':>9} {'per-item ms':>12} {'ratio':>7}  target",
        flush=True,
    )
    for name, project in cases:
        city = MapRenderer(project).bounds(("roads", "compounds", "stations", "boiler_rooms"))
        ext = pan_extents(city, args.frames)
        batched, img = time_batched(project, ext)
        batched_noaa, _ = time_batched(project, ext, antialias=False)
        img.save(str(Path(os.environ.get("TMPDIR", "/tmp")) / f"heatgis_bench_{name.split()[0]}.png"))
        n_feat = sum(len(project.layer(n)) for n in project.layers if hasattr(project.layer(n), "geometry"))
        if name.startswith("10x") and args.skip_items_10x:
            items, ratio = float("nan"), float("nan")
        else:
            items, n_items, build = time_items(project, ext[: max(3, args.frames // 3)])
            ratio = items / batched
        target = 16 if name == "demo" else 50
        pan, renders, full = time_canvas_pan(project, args.frames)
        print(
            f"{name:10} {n_feat:9d} {batched:11.1f} {batched_noaa:9.1f} {items:12.1f} {ratio:6.1f}x  "
            f"full redraw < {target} ms: {'yes' if batched < target else 'NO'}",
            flush=True,
        )
        print(
            f"{'':10} app canvas while panning: {pan:.1f} ms per frame (median of {args.frames * 3}, "
            f"{renders} re-render(s) when the pan left the cached margin; one full canvas render "
            f"{full:.0f} ms); ratio per-item / pan frame {items / pan:.0f}x  "
            f"< {target} ms: {'yes' if pan < target else 'NO'}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
