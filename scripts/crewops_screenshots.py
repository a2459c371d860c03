"""Screenshots of the crews' operations plan on the demo: the dock, the roster PDF's first page, the Gantt.

    QT_QPA_PLATFORM=offscreen python scripts/crewops_screenshots.py

docs/screenshots/crewops.png (the main window, Chinese UI, with the crew-operations dock: the
roster after planning 24 h from the reference time, a ticket dispatched, the vehicle routes on
the map), docs/outputs/roster-1.png (page 1 of the printed roster, pdftoppm -r 80) and
docs/outputs/gantt.png (the Gantt in clock time).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "docs" / "screenshots"
OUTPUTS = ROOT / "docs" / "outputs"


def main() -> int:
    from PySide6 import QtCore, QtWidgets

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv[:1])
    from heatgis.export.charts import ops_gantt_chart
    from heatgis.export.roster import write_roster_pdf
    from heatgis.gui.main_window import MainWindow

    tmp = Path(tempfile.mkdtemp())
    settings = QtCore.QSettings(str(tmp / "s.ini"), QtCore.QSettings.Format.IniFormat)
    win = MainWindow(settings=settings, lang="zh")
    win.resize(1600, 1000)
    win.show()
    win.open_project(ROOT / "data" / "hohhot_demo.gpkg", background=False)
    win.refresh_timeline(background=False)
    for _ in range(10):
        app.processEvents()
    co = win.plans.crewops
    co.time_limit.setValue(2.0)
    co.start_plan()
    co.wait(180000)
    for _ in range(10):
        app.processEvents()
    co.site_edit.setCurrentText("ST-0025")
    tid = co.add_ticket()
    co.dispatch(tid)
    co.wait(60000)
    for _ in range(10):
        app.processEvents()
    win.plans.staffing.wait(60000)
    win.session.show_staffing(None)  # routes only, for legibility
    win.docks["crewops"].raise_()
    win.resizeDocks([win.docks["crewops"]], [360], QtCore.Qt.Orientation.Vertical)
    co.tabs.setCurrentIndex(0)
    win.canvas.zoom_to(win.session.routes_overlay.bounds, pad=0.04)
    for _ in range(20):
        app.processEvents()
    SHOTS.mkdir(parents=True, exist_ok=True)
    OUTPUTS.mkdir(parents=True, exist_ok=True)
    win.grab().save(str(SHOTS / "crewops.png"))
    co.tabs.setCurrentIndex(2)
    for _ in range(10):
        app.processEvents()
    win.grab().save(str(tmp / "tickets.png"))
    plan = co.plan
    ops_gantt_chart(plan, lang="zh").save(str(OUTPUTS / "gantt.png"))
    pdf = write_roster_pdf(plan, tmp / "roster.pdf")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(OUTPUTS / "roster-1")],
        check=True,
    )
    shutil.copy(tmp / "tickets.png", "/tmp/co/tickets.png") if Path("/tmp/co").exists() else None
    win.session.stack.set_clean()
    win.close()
    print("\n".join(str(p) for p in (SHOTS / "crewops.png", OUTPUTS / "roster-1.png", OUTPUTS / "gantt.png")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
