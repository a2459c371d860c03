"""Start the desktop app: ``run(project_path) -> exit code``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from heatgis.paths import is_database_url

NO_DISPLAY = (
    "HeatGIS: no display is available, so the desktop app cannot open. "
    "Use the batch commands instead, e.g. 'heatgis impact' on the bundled demo (see 'heatgis --help')."
)


def display_available() -> bool:
    """False on Linux/BSD without X11 or Wayland, unless a Qt platform is forced."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def run(project_path=None, argv=None, smoke: bool = False) -> int:
    """Open the main window on ``project_path`` (default: the last project or the demo).

    Parameters
    ----------
    smoke : bool
        Start-up check (``heatgis --smoke-test PROJECT``, used on the frozen app): open the
        project, wait until the map has been drawn, print the time and the impact figures,
        and exit 0 (1 if that does not happen within 120 s).

    Returns
    -------
    int
        The Qt exit code; 2 (with one line on stderr) when no display can be opened.
    """
    if not display_available():
        print(NO_DISPLAY, file=sys.stderr)
        return 2
    if smoke and not (project_path and (is_database_url(project_path) or Path(project_path).is_file())):
        print(f"smoke FAILED: the project {project_path} does not exist", file=sys.stderr, flush=True)
        return 1
    early = _read_early(project_path, smoke)  # the project reads while the GUI modules import
    from PySide6 import QtWidgets

    from heatgis.gui.i18n import translate
    from heatgis.gui.main_window import APP, ORG, MainWindow

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(argv or [sys.argv[0]])
    app.setOrganizationName(ORG)
    app.setApplicationName(APP)
    settings = None
    if smoke:  # never read or write the planner's own settings in a check
        from PySide6 import QtCore

        settings = QtCore.QSettings(
            str(Path(QtCore.QDir.tempPath()) / "heatgis-smoke.ini"), QtCore.QSettings.Format.IniFormat
        )
        settings.clear()
    win = MainWindow(settings=settings)
    if smoke:
        _arm_smoke_test(app, win)
    win.show()
    path = project_path or win.settings.value("last_project", "")
    if early is not None and path and str(path) == early[0]:
        win.open_project(path, preloaded=early[1])
    elif path and (is_database_url(path) or Path(path).exists()):
        win.open_project(path)
    elif path:
        win.show_message(translate("App", "{0}: the file does not exist").format(path))
    code = app.exec()
    from heatgis.gui.workers import wait_all

    wait_all(10000)  # no thread may still run while Qt tears down
    return code


def _arm_smoke_test(app, win) -> None:
    """Quit with a one-line report once the loaded project's map has been painted."""
    import time

    from PySide6 import QtCore

    from heatgis import STARTED as t0

    state = {"loaded": False, "done": False, "window": time.perf_counter() - t0}

    def painted():
        if not state["loaded"] or state["done"]:
            return
        state["done"] = True
        t = win.session.totals()
        print(
            f"smoke ok: map of {win.session.project.name} drawn {time.perf_counter() - t0:.2f} s after start; "
            f"locked {t.stations} stations, {t.boiler_rooms} boiler rooms, {t.heated_area_m2:,.0f} m2, "
            f"{t.households:,} households, {t.staff_locked_in} staff locked in; "
            f"language {win.lang}{_translation_note(win)} "
            f"(window made at {state['window']:.2f} s, project shown at {state['loaded']:.2f} s)",
            flush=True,
        )
        win.wait_for_workers()  # the timeline and staffing start after the first map: let them end
        QtCore.QTimer.singleShot(0, lambda: app.exit(0))

    def loaded():
        state["loaded"] = time.perf_counter() - t0
        win.canvas.painted.connect(painted)
        win.canvas.viewport().update()

    def too_slow():
        print("smoke FAILED: the map was not drawn within 120 s", file=sys.stderr, flush=True)
        app.exit(1)

    win.projectLoaded.connect(loaded)
    QtCore.QTimer.singleShot(120_000, too_slow)


def _translation_note(win) -> str:
    if win.lang == "en":
        return ""
    from PySide6 import QtWidgets

    from heatgis.gui.i18n import qt_translated

    qt = "loaded" if qt_translated(QtWidgets.QApplication.instance()) else "NOT found"
    return (" (translations loaded)" if win.translated else " (translations NOT found)") + f" (Qt dialogs: {qt})"


def _read_early(project_path, smoke: bool):
    """Start reading the project to open (the given one, else the last one) in a thread now, before
    the GUI modules are imported: GDAL reads while Python imports (the map comes ~0.2 s sooner).
    Returns (path, Future) or None."""
    import threading
    from concurrent.futures import Future

    path = project_path
    if path is None and not smoke:
        from PySide6 import QtCore

        from heatgis.gui import APP, ORG

        path = QtCore.QSettings(ORG, APP).value("last_project", "") or None
    if not path or not Path(path).exists():
        return None
    future: Future = Future()

    def read():  # Qt-free core only: importing Qt from two threads at once is not safe
        try:
            from heatgis.analysis.impact import ImpactEngine
            from heatgis.model.store import open_project

            project = open_project(str(path))
            future.set_result((project, ImpactEngine(project)))
        except BaseException as exc:  # reported by the window like any failed open
            future.set_exception(exc)
            return
        try:  # then, while the window shows the project, the plan docks' planners (Qt-free)
            from heatgis.gui import warm_imports

            warm_imports()
        except ImportError:  # the window imports them itself when it needs them (and says why there)
            pass

    threading.Thread(target=read, name="heatgis-early-read", daemon=True).start()
    return str(path), future
