"""Screenshots of the main window on the demo at the two office screen sizes, in both languages, and of
presentation mode, to docs/screenshots/ (the map's share of the window printed for each).

    QT_QPA_PLATFORM=offscreen python scripts/screenshots_sizes.py

window_1366x768_zh.png, window_1366x768_en.png, window_1600x1000_zh.png, window_1600x1000_en.png
(the day-shift crew routes planned, then the time moved a day on: the routes of 02-25 hidden, the
banner naming them), presentation_zh.png and presentation_en.png (1920x1080: KPI column with the change
较昨日 / vs day before, legend).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"


def shot(app, size, lang, routes_next_day=False) -> Path:
    import pandas as pd
    from PySide6 import QtCore

    from heatgis.gui.main_window import MainWindow

    settings = QtCore.QSettings(str(Path(tempfile.mkdtemp()) / "s.ini"), QtCore.QSettings.Format.IniFormat)
    win = MainWindow(settings=settings, lang=lang)
    win.resize(*size)
    win.show()
    win.open_project(ROOT / "data" / "hohhot_demo.gpkg", background=False)
    win.refresh_timeline(background=False)
    pump(app)
    win.plans.wait(60000)
    if routes_next_day:
        rt = win.plans.routes
        rt.time_limit.setValue(1.0)
        rt.start_plan()
        rt.wait(120000)
        pump(app)
        win.session.set_time(win.session.at + pd.Timedelta(days=1))
        win.plans.wait(60000)
        win.docks["routes"].raise_()
    pump(app)
    win.canvas.zoom_full()
    pump(app)
    c = win.canvas.size()
    share = c.width() * c.height() / (size[0] * size[1])
    path = OUT / f"window_{size[0]}x{size[1]}_{lang}.png"
    win.grab().save(str(path))
    print(f"{path.name}: map {c.width()}x{c.height()} = {share:.0%} of the window")
    if size == (1920, 1080):
        from heatgis.gui.presentation import PresentationWindow

        pres = PresentationWindow(win)
        pres.resize(1920, 1080)
        pres.show()
        pump(app)
        pres.grab().save(str(OUT / f"presentation_{lang}.png"))
        pres.close()
        path.unlink()
    win.wait_for_workers()
    win.close()
    return path


def pump(app, n: int = 30) -> None:
    for _ in range(n):
        app.processEvents()


def main() -> int:
    from PySide6 import QtWidgets

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv[:1])
    OUT.mkdir(parents=True, exist_ok=True)
    for size in ((1366, 768), (1600, 1000)):
        for lang in ("zh", "en"):
            shot(app, size, lang, routes_next_day=size == (1366, 768))
    for lang in ("zh", "en"):
        shot(app, (1920, 1080), lang)
    from heatgis.gui.workers import wait_all

    wait_all()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
