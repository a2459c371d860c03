"""Start the desktop app: ``run(project_path) -> exit code``."""
from __future__ import annotations

import os
import sys
from pathlib import Path

NO_DISPLAY = ("HeatGIS: no display is available, so the desktop app cannot open. "
              "Use the batch commands instead, e.g. 'heatgis impact data/hohhot_demo.gpkg' (see 'heatgis --help').")


def display_available() -> bool:
    """False on Linux/BSD without X11 or Wayland, unless a Qt platform is forced."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def run(project_path=None, argv=None) -> int:
    """Open the main window on ``project_path`` (default: the last project or the demo).

    Returns
    -------
    int
        The Qt exit code; 2 (with one line on stderr) when no display can be opened.
    """
    if not display_available():
        print(NO_DISPLAY, file=sys.stderr)
        return 2
    from PySide6 import QtWidgets

    from heatgis.gui.main_window import APP, ORG, MainWindow

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(argv or [sys.argv[0]])
    app.setOrganizationName(ORG)
    app.setApplicationName(APP)
    win = MainWindow()
    win.show()
    path = project_path or win.settings.value("last_project", "")
    if path and Path(path).exists():
        win.open_project(path)
    elif path:
        win.show_message(f"{path}: the file does not exist")
    return app.exec()
