"""GUI tests run offscreen against the real main window; settings go to a temp folder."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any Qt import

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

DEMO = Path(__file__).resolve().parents[2] / "data" / "hohhot_demo.gpkg"


@pytest.fixture
def settings(tmp_path, qapp):
    from PySide6 import QtCore

    QtCore.QSettings.setDefaultFormat(QtCore.QSettings.Format.IniFormat)
    QtCore.QSettings.setPath(
        QtCore.QSettings.Format.IniFormat, QtCore.QSettings.Scope.UserScope, str(tmp_path / "settings")
    )
    return QtCore.QSettings(str(tmp_path / "settings" / "heatgis.ini"), QtCore.QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, settings):
    from heatgis.gui.main_window import MainWindow

    win = MainWindow(settings=settings, lang="en")
    win._errors = []
    win.error_sink = win._errors.append
    win.ask_unsaved = lambda: "discard"
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.wait_for_workers()
    from heatgis.gui.workers import wait_all

    wait_all()  # work started late (after the first map) by this window ends before the next test
    if win.session is not None:
        win.session.stack.set_clean()


@pytest.fixture
def demo_window(window, qtbot, request):
    if not DEMO.exists():
        pytest.skip("the demo project has not been generated (heatgis demo)")
    with qtbot.waitSignal(window.projectLoaded, timeout=60000):
        window.open_project(DEMO)
    from pytestqt.exceptions import TimeoutError as SignalTimeout

    try:
        with qtbot.waitSignal(window.timelineReady, timeout=60000):
            pass
    except SignalTimeout as exc:
        raise SignalTimeout(f"no timelineReady: {_worker_state(window, request.node)}") from exc
    return window


def _worker_state(window, item) -> str:
    """What the window's workers and every thread were doing (a timeout's message)."""
    import faulthandler
    import tempfile

    from heatgis.gui import workers

    lines = [
        f"errors={window._errors!r}",
        f"workers={[(getattr(w, 'status_text', '?'), w.isRunning(), w.isFinished()) for w in window._workers]}",
        f"running={len(workers._RUNNING)} gc={workers._GC}",
    ]
    capture = getattr(item, "qt_exception_capture_manager", None)
    if capture is not None and capture.exceptions:
        from pytestqt.exceptions import format_captured_exceptions

        lines.append("exceptions in Qt slots: " + format_captured_exceptions(capture.exceptions))
    with tempfile.TemporaryFile("w+") as f:
        faulthandler.dump_traceback(f, all_threads=True)
        f.seek(0)
        lines.append(f.read())
    return "\n".join(lines)


@pytest.fixture(autouse=True)
def _collect_in_the_gui_thread():
    """Free each test's dead Qt objects in the GUI thread, not in a later test's worker thread
    (a collection there deadlocks ~QObject against the GUI thread)."""
    yield
    import gc

    gc.unfreeze()  # a window's project, frozen once its map showed (MainWindow._freeze): collectable again
    gc.collect()
