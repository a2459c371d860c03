"""Long work off the GUI thread: a QThread running a function with progress and cancel."""
from __future__ import annotations

import gc
import traceback

from PySide6 import QtCore


class Worker(QtCore.QThread):
    """Run ``fn(progress, cancelled)`` in a thread.

    ``progress(fraction, message)`` is forwarded as the ``progress`` signal;
    ``cancelled()`` is true after ``cancel()``. The result arrives in
    ``done(result)``, an exception in ``failed(exception, traceback_text)``.
    """

    progress = QtCore.Signal(float, str)
    done = QtCore.Signal(object)
    failed = QtCore.Signal(object, str)

    def __init__(self, fn, parent=None):
        super().__init__(parent)
        self.fn = fn
        self._cancel = False

    def cancel(self) -> None:
        self._cancel = True

    def start(self, *args) -> None:
        """Collect garbage here, in the GUI thread, first: a collection inside the worker that
        frees a dead Qt object (a closed dialog, an old window) deadlocks against the GUI thread
        (seen in the tests: ~QObject in the worker waiting for the GIL, the GUI thread for Qt's lock)."""
        gc.collect()
        super().start(*args)

    def run(self) -> None:
        try:
            result = self.fn(lambda f, msg="": self.progress.emit(float(f), str(msg)),
                             lambda: self._cancel)
        except Exception as exc:  # reported to the planner by the main window
            self.failed.emit(exc, traceback.format_exc())
            return
        if not self._cancel:
            self.done.emit(result)


def load_project(path):
    """The work of File → Open: read the GeoPackage and index it for impact queries."""

    def work(progress, cancelled):
        from heatgis.analysis.impact import ImpactEngine
        from heatgis.model.store import open_project

        progress(0.05, "reading")
        project = open_project(path)
        if cancelled():
            return None
        progress(0.6, "indexing")
        engine = ImpactEngine(project)
        progress(1.0, "")
        return project, engine

    return work


def compute_timeline(project, zones, engine):
    """The work of the timeline dock (the same core function as ``heatgis impact --timeline``)."""

    def work(progress, cancelled):
        from heatgis.analysis.timeline import timeline

        progress(0.1, "timeline")
        return timeline(project, zones=zones, engine=engine)

    return work
