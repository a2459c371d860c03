"""Screenshots of the GIS tools on the demo (English UI, 1366 x 768) into docs/screenshots/.

    QT_QPA_PLATFORM=offscreen python scripts/screenshots_gistools.py

search.png (the search box: "hry" lists 华润苑 first; the map zoomed to it), measure.png (the measure
tool: distance and area live in the status bar, lon/lat of the pointer), basemap.png (an offline
MBTiles basemap under the data: a synthetic street-grid MBTiles made here, nothing downloaded),
rings_deuteranopia.png (locked sites ringed by staffing status, as rendered and as a deuteranope sees
it: Machado 2009 simulation).
"""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"


def pump(app, n=15):
    for _ in range(n):
        app.processEvents()


def synthetic_mbtiles(path: Path, lon: float, lat: float, zooms=(13, 14, 15)) -> Path:
    """A street-map-looking MBTiles around (lon, lat): a pale land colour, blocks, a river, labels."""
    import math

    from PySide6 import QtCore, QtGui

    from heatgis.render.basemap import lonlat_to_tile

    db = sqlite3.connect(path)
    db.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    db.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
    db.executemany(
        "INSERT INTO metadata VALUES (?, ?)",
        [("name", "synthetic"), ("format", "png"), ("minzoom", str(zooms[0])), ("maxzoom", str(zooms[-1]))],
    )
    for z in zooms:
        tx, ty = (int(math.floor(v)) for v in lonlat_to_tile(lon, lat, z))
        span = {13: 3, 14: 5, 15: 8}[z]
        for x in range(tx - span, tx + span + 1):
            for y in range(ty - span, ty + span + 1):
                img = QtGui.QImage(256, 256, QtGui.QImage.Format.Format_RGB32)
                img.fill(QtGui.QColor("#eef0e6"))
                p = QtGui.QPainter(img)
                p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
                p.setPen(QtCore.Qt.PenStyle.NoPen)
                p.setBrush(QtGui.QColor("#dfe6d2"))
                for i in range(4):
                    for j in range(4):
                        p.drawRect(QtCore.QRectF(8 + 64 * i, 8 + 64 * j, 48, 48))
                p.setPen(QtGui.QPen(QtGui.QColor("#ffffff"), 5))
                for k in range(0, 257, 64):
                    p.drawLine(k, 0, k, 256)
                    p.drawLine(0, k, 256, k)
                if (x + y) % 5 == 0:
                    p.setPen(QtGui.QPen(QtGui.QColor("#aac8e8"), 10))
                    p.drawLine(0, 200, 256, 150)
                p.setPen(QtGui.QColor("#7a7f86"))
                f = p.font()
                f.setPointSize(7)
                p.setFont(f)
                p.drawText(
                    QtCore.QRectF(4, 236, 248, 16), QtCore.Qt.AlignmentFlag.AlignLeft, f"synthetic tile {z}/{x}/{y}"
                )
                p.end()
                buf = QtCore.QBuffer()
                buf.open(QtCore.QIODevice.OpenModeFlag.WriteOnly)
                img.save(buf, "PNG")
                db.execute("INSERT INTO tiles VALUES (?, ?, ?, ?)", (z, x, (1 << z) - 1 - y, bytes(buf.data())))
    db.commit()
    db.close()
    return path


def main() -> int:
    import numpy as np
    from PySide6 import QtCore, QtGui, QtWidgets

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv[:1])
    from heatgis.gui.main_window import MainWindow

    tmp = Path(tempfile.mkdtemp())
    settings = QtCore.QSettings(str(tmp / "s.ini"), QtCore.QSettings.Format.IniFormat)
    win = MainWindow(settings=settings, lang="en")
    win.resize(1366, 768)
    win.show()
    win.open_project(ROOT / "data" / "hohhot_demo.gpkg", background=False)
    win.refresh_timeline(background=False)
    pump(app)
    OUT.mkdir(parents=True, exist_ok=True)

    # search: type "hry", the popup lists the hits; Enter zooms to 华润苑
    box = win.gis_tools.search
    win.canvas.zoom_full()
    pump(app)
    box.setFocus()
    box.setText("hry")
    box.update_hits("hry")
    box.go_to(box.hits[0])
    pump(app)
    win.canvas.zoom_to(win.session.selection_bounds(), pad=2.0)
    box.setText("hry")
    box.setFocus()
    box.update_hits("hry")
    box.completer.complete()
    pump(app, 30)
    shot = win.grab()
    popup = box.completer.popup()
    if popup.isVisible():  # the popup is its own window: paint it where it shows
        p = QtGui.QPainter(shot)
        p.drawPixmap(win.mapFromGlobal(popup.mapToGlobal(QtCore.QPoint(0, 0))), popup.grab())
        p.end()
    shot.save(str(OUT / "search.png"))
    popup.hide()
    box.clear()
    win.statusBar().clearMessage()

    # measure: three clicks around a block of the city centre, the pointer on a fourth
    st = win.session.project.layer("stations")
    x, y = float(st.geometry.x.median()), float(st.geometry.y.median())
    win.canvas.zoom_to((x - 900, y - 600, x + 900, y + 600), pad=0)
    pump(app)
    win.set_tool("measure")
    tool = win.tools["measure"]
    for px, py in ((x - 500, y - 250), (x + 350, y - 300), (x + 420, y + 280)):
        tool.add_point(px, py)
    tool.move(x - 380, y + 330)
    win.coords.show_xy(x - 380, y + 330, str(win.session.project.crs))
    win.statusBar().clearMessage()
    pump(app)
    win.grab().save(str(OUT / "measure.png"))
    tool.key(QtCore.Qt.Key.Key_Escape)
    win.set_tool("pan")

    # basemap: a synthetic MBTiles (made here) behind the data, drawn by the same renderer
    from pyproj import Transformer

    lon, lat = Transformer.from_crs(str(win.session.project.crs), "EPSG:4326", always_xy=True).transform(x, y)
    mb = synthetic_mbtiles(tmp / "synthetic.mbtiles", lon, lat)
    win.gis_tools.set_basemap(str(mb), cache_dir=tmp / "cache")
    win.canvas.zoom_to((x - 1600, y - 1000, x + 1600, y + 1000), pad=0)
    pump(app, 30)
    win.grab().save(str(OUT / "basemap.png"))
    win.gis_tools.set_basemap(None)

    # rings as rendered and as a deuteranope sees them
    from heatgis.render.cvd import image_array, simulate

    win.plans.staffing.wait(60000)
    pump(app)
    ov = win.session.staffing_overlay
    if len(ov.xy):  # a view with the most kinds of marks, then the most marks

        def score(p):
            near = np.hypot(*(ov.xy - p).T) < 600
            return (len(set(ov.status[near])), int(near.sum()))

        k = max(range(len(ov.xy)), key=lambda i: score(ov.xy[i]))
        c = ov.xy[np.hypot(*(ov.xy - ov.xy[k]).T) < 600].mean(axis=0)
        win.canvas.zoom_to((c[0] - 700, c[1] - 450, c[0] + 700, c[1] + 450), pad=0)
    pump(app, 30)
    img = win.canvas.grab().toImage()
    rgb = image_array(img)
    both = np.concatenate([rgb, np.full((rgb.shape[0], 8, 3), 255, np.uint8), simulate(rgb)], axis=1)
    h, w, _ = both.shape
    out = QtGui.QImage(both.tobytes(), w, h, 3 * w, QtGui.QImage.Format.Format_RGB888).copy()
    out.save(str(OUT / "rings_deuteranopia.png"))
    win.session.stack.set_clean()
    win.close()
    print("wrote search.png, measure.png, basemap.png, rings_deuteranopia.png to", OUT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
