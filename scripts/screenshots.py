"""Save screenshots of the main window on the demo (Chinese UI) to docs/screenshots/.

    QT_QPA_PLATFORM=offscreen python scripts/screenshots.py

main_city.png (the whole city), main_district.png (zoomed into the city centre,
Chinese labels), timeline.png (the timeline dock), staffing.png (the staffing dock,
locked sites ringed by staffing status on the map), routes.png (the day-shift crew
plan drawn on the map, the Gantt chart and the stops in the routes dock).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"


def main() -> int:
    from PySide6 import QtCore, QtWidgets

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv[:1])
    from heatgis.gui.main_window import MainWindow

    tmp = tempfile.mkdtemp()
    settings = QtCore.QSettings(str(Path(tmp) / "s.ini"), QtCore.QSettings.Format.IniFormat)
    win = MainWindow(settings=settings, lang="zh")
    win.resize(1600, 1000)
    win.show()
    win.open_project(ROOT / "data" / "hohhot_demo.gpkg", background=False)
    win.refresh_timeline(background=False)
    for _ in range(10):
        app.processEvents()
    win.canvas.zoom_full()
    for _ in range(10):
        app.processEvents()
    OUT.mkdir(parents=True, exist_ok=True)
    win.grab().save(str(OUT / "main_city.png"))
    # a district: the densest part of the city centre, where labels appear
    st = win.session.project.layer("stations")
    x, y = st.geometry.x.median(), st.geometry.y.median()
    win.canvas.zoom_to((x - 1400, y - 900, x + 1400, y + 900), pad=0)
    for _ in range(10):
        app.processEvents()
    win.grab().save(str(OUT / "main_district.png"))
    dock = win.docks["timeline"]
    dock.setFloating(True)
    dock.resize(1400, 560)
    for _ in range(10):
        app.processEvents()
    dock.widget().grab().save(str(OUT / "timeline.png"))
    dock.setFloating(False)
    for _ in range(10):
        app.processEvents()

    # staffing: the dock raised, the map framed on the locked sites
    plans = win.plans
    plans.staffing.wait(60000)
    win.docks["staffing"].raise_()
    win.docks["timeline"].raise_()
    plans.staffing.tabs.setCurrentIndex(1)  # the sites short of staff, coloured by status
    win.canvas.zoom_to_overlays(pad=0.08)
    for _ in range(20):
        app.processEvents()
    win.grab().save(str(OUT / "staffing.png"))

    # routes: the day shift planned from the staffing dock's duty list, Gantt visible
    rt = plans.routes
    rt.time_limit.setValue(2.0)
    rt.start_plan()
    rt.wait(120000)
    for _ in range(10):
        app.processEvents()
    win.docks["routes"].raise_()
    win.resizeDocks([win.docks["routes"]], [330], QtCore.Qt.Orientation.Vertical)
    win.session.show_staffing(None)  # routes only, for legibility
    win.canvas.zoom_to(win.session.routes_overlay.bounds, pad=0.06)
    for _ in range(20):
        app.processEvents()
    win.grab().save(str(OUT / "routes.png"))
    win.session.show_staffing(plans.staffing.plan)
    win.session.stack.set_clean()
    win.close()
    print(
        "\n".join(
            str(OUT / n) for n in ("main_city.png", "main_district.png", "timeline.png", "staffing.png", "routes.png")
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
