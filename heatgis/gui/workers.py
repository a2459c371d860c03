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
        frame = timeline(project, zones=zones, engine=engine)
        frame.attrs["heat"] = heat_series(project, frame, zones, engine)
        return frame

    return work


def heat_series(project, frame, zones, engine):
    """The city's hourly outdoor temperature and heat demand over the timeline's days (``HeatResult.city``),
    or None without a weather series covering them."""
    if frame.empty or not project.has("weather") or not len(project.layer("weather")):
        return None
    import pandas as pd

    from heatgis.analysis.heat import heat_balance
    from heatgis.errors import HeatGISError

    w = project.layer("weather")["time"]
    start = max(pd.Timestamp(frame["time"].min()).normalize(), pd.Timestamp(w.min()).ceil("h"))
    end = min(pd.Timestamp(frame["time"].max()).normalize() + pd.Timedelta(days=1), pd.Timestamp(w.max()).floor("h"))
    hours = int((end - start) / pd.Timedelta(hours=1)) + 1
    if hours < 2:
        return None
    try:
        return heat_balance(project, at=start, hours=min(hours, 24 * 62), zones=zones, engine=engine).city
    except HeatGISError:
        return None
