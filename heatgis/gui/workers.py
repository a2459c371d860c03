"""Long work off the GUI thread: a QThread running a function with the one progress-and-cancel contract.

Each :class:`Worker` owns a :class:`heatgis.errors.Feedback` and hands it to its function
(``fn(feedback)``): the core reports progress through it and checks it between steps. The
worker forwards the progress to its ``progress`` signal (percent 0-100, message) and, when given,
to a progress bar; ``cancel()`` (or the Cancel button it is wired to) cancels the feedback, and the
core raises ``heatgis.errors.Cancelled``, which arrives as the ``cancelled`` signal, not as a failure.

What the thread sends (progress, result, failure, cancel) is delivered in the GUI thread, and only
while its owner is there to take it: nothing once the parent is destroyed (the thread is detached),
and nothing once the window holding the worker has closed (``stop_delivery``, called by
``MainWindow.closeEvent`` when it accepts): a result queued as the window closes reaches no slot of
any of its panels.
"""

from __future__ import annotations

import gc
import itertools
import traceback
import warnings

import shiboken6
from PySide6 import QtCore

from heatgis.errors import Cancelled, Feedback
from heatgis.gui.i18n import progress_text

#: the dynamic property of a window that has closed: its workers deliver nothing (``stop_delivery``)
CLOSING = "heatgis_workers_stopped"
#: workers started and not yet ended, by their own number (never an ``id()``, which a later object reuses)
_RUNNING: dict = {}
_NUMBERS = itertools.count(1)
_GC = {"held": 0, "was_enabled": True}


def _gc_hold() -> None:
    if _GC["held"] == 0:
        _GC["was_enabled"] = gc.isenabled()
        gc.disable()
    _GC["held"] += 1


def _gc_release() -> None:
    _GC["held"] = max(0, _GC["held"] - 1)
    if _GC["held"] == 0 and _GC["was_enabled"]:
        gc.enable()


def _forget(key: int) -> None:
    if _RUNNING.pop(key, None) is not None:
        _gc_release()


def _show_progress(bar, pct, msg) -> None:
    """Progress on a bar, unless the bar is already gone (an update queued before its window closed)."""
    if shiboken6.isValid(bar):
        bar.setValue(int(pct))
        bar.setFormat(f"{progress_text(msg)} %p%" if msg else "%p%")


def stop_delivery(window, stopped: bool = True) -> None:
    """From now on the workers under ``window`` (any of its panels, docks, dialogs) deliver nothing:
    no progress, result, failure or cancel reaches a slot, even one already queued. A window calls it
    when it closes (and with ``stopped=False`` when it is shown again)."""
    window.setProperty(CLOSING, bool(stopped))


def after_signal(signal, fn, owner, fallback_ms: int) -> None:
    """Run ``fn`` once, from the event loop, after ``signal`` is next emitted, or after ``fallback_ms``
    if it is not. Not inside the emission (after a paint: the painted picture reaches the screen
    first), and nothing keeps ``fn`` (and what it names: a session, a project) once it has run."""
    state = {"done": False}
    timer = QtCore.QTimer(owner)
    timer.setSingleShot(True)

    def go():
        if state["done"]:
            return
        state["done"] = True
        timer.stop()
        for sig in (signal, timer.timeout):
            try:
                sig.disconnect(go)
            except (RuntimeError, TypeError):  # already disconnected, or its object is gone
                pass
        timer.deleteLater()
        QtCore.QTimer.singleShot(0, fn)

    signal.connect(go)
    timer.timeout.connect(go)
    timer.start(fallback_ms)


def delivery_stopped(obj) -> bool:
    """True when an ancestor of ``obj`` has closed (``stop_delivery``) or is already gone."""
    o = obj.parent()
    while o is not None:
        if not shiboken6.isValid(o) or o.property(CLOSING):
            return True
        o = o.parent()
    return False


def wait_all(ms: int = 30000) -> bool:
    """Wait for every running worker (at exit, or when a window closes); True when all ended."""
    ok = True
    for w in list(_RUNNING.values()):
        try:
            ok &= w.wait(ms)
        except RuntimeError:  # its C++ object is gone
            pass
    QtCore.QCoreApplication.processEvents()  # deliver their ``finished`` (releases the GC hold)
    return ok


class Worker(QtCore.QThread):
    """Run ``fn(feedback)`` in a thread.

    Parameters
    ----------
    fn : callable(Feedback) -> object
    parent : QObject, optional
    bar : QProgressBar, optional
        Shows the progress (value 0-100 and the message as its format).
    cancel_button : QAbstractButton, optional
        Cancels the work when clicked.

    Signals
    -------
    progress(float, object)
        Percent 0-100 and the current step: a ``heatgis.text.Text`` (shown in the UI's language by
        ``heatgis.gui.i18n.progress_text``) or a plain ``str``.
    done(object)
        The result (not emitted once cancelled).
    failed(object, str)
        An exception and its traceback text.
    cancelled()
        The work stopped on ``Cancelled``.
    """

    progress = QtCore.Signal(float, object)  # object: a Text keeps its Chinese (a str signal drops it)
    done = QtCore.Signal(object)
    failed = QtCore.Signal(object, str)
    cancelled = QtCore.Signal()
    # what the thread emits: queued to the worker's own slots (it lives in the GUI thread), which pass
    # it on to the public signals above unless delivery has stopped meanwhile (``_delivering``)
    _sent_progress = QtCore.Signal(float, object)  # a Text keeps its Chinese
    _sent_done = QtCore.Signal(object)
    _sent_failed = QtCore.Signal(object, str)
    _sent_cancelled = QtCore.Signal()

    def __init__(self, fn, parent=None, bar=None, cancel_button=None):
        # The parent owns the worker (its queued signals die with it); whoever closes a window or dialog
        # waits for its running work first (closeEvent, ``wait_all`` at exit): Qt aborts the process when
        # a running QThread is destroyed.
        super().__init__(parent)
        key = self._key = next(_NUMBERS)
        self._orphaned = False
        self.finished.connect(lambda: _forget(key))
        self.destroyed.connect(lambda *_: _forget(key))  # deleted with its parent before it ended
        if parent is not None:
            # a parent destroyed while the work still runs (a window closed, then a late timer started
            # work): the thread is detached instead of destroyed with it, and its results are dropped
            parent.destroyed.connect(self._detach)
        self._sent_progress.connect(self._deliver_progress)
        self._sent_done.connect(self._deliver_done)
        self._sent_failed.connect(self._deliver_failed)
        self._sent_cancelled.connect(self._deliver_cancelled)
        self.fn = fn
        self.feedback = Feedback(
            lambda percent, message: None if self._orphaned else self._sent_progress.emit(float(percent), message or "")
        )
        if bar is not None:
            bar.setRange(0, 100)
            self.progress.connect(lambda pct, msg: _show_progress(bar, pct, msg))
        if cancel_button is not None:
            cancel_button.clicked.connect(self.cancel)

    def cancel(self) -> None:
        self.feedback.cancel()

    def _detach(self, *_args) -> None:
        if not self.isRunning():
            return  # ends with its parent; nothing of it is delivered any more
        self._orphaned = True
        self.feedback.cancel()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for signal in (self.progress, self.done, self.failed, self.cancelled, self.finished):
                try:
                    signal.disconnect()
                except (RuntimeError, TypeError):
                    pass
        key = self._key
        self.finished.connect(lambda: _forget(key))
        self.setParent(None)
        _RUNNING[key] = self  # keeps it alive until it ends

    def is_canceled(self) -> bool:
        return self.feedback.is_canceled()

    def _delivering(self) -> bool:
        """In the GUI thread, as a signal from the thread arrives: may it reach the slots?"""
        return not self._orphaned and not delivery_stopped(self)

    @QtCore.Slot(float, object)
    def _deliver_progress(self, percent, message) -> None:
        if self._delivering():
            self.progress.emit(percent, message)

    @QtCore.Slot(object)
    def _deliver_done(self, result) -> None:
        if self._delivering():
            self.done.emit(result)

    @QtCore.Slot(object, str)
    def _deliver_failed(self, exc, text) -> None:
        if self._delivering():
            self.failed.emit(exc, text)

    @QtCore.Slot()
    def _deliver_cancelled(self) -> None:
        if self._delivering():
            self.cancelled.emit()

    def start(self, *args) -> None:
        """Start the work. The garbage collector is held off while any worker runs (``_gc_hold``): a
        collection inside a worker that frees a dead Qt object (a closed dialog, an old window)
        deadlocks against the GUI thread (seen in the tests: ~QObject in the worker waiting for the
        GIL, the GUI thread for Qt's lock). Holding it costs nothing per start, where a forced
        ``gc.collect()`` here took ~50 ms of every timeline step."""
        if self._key not in _RUNNING:
            _RUNNING[self._key] = self
            _gc_hold()
        super().start(*args)

    def run(self) -> None:
        # a finished worker lives on with its owner (a panel keeps its last one): it must not keep
        # the work's closure, which often holds a whole project
        fn, self.fn = self.fn, None
        try:
            result = fn(self.feedback)
        except Cancelled:
            if not self._orphaned:
                self._sent_cancelled.emit()
            return
        except Exception as exc:  # reported to the planner by the main window
            if not self._orphaned:
                self._sent_failed.emit(exc, traceback.format_exc())
            return
        if self._orphaned:
            return
        if self.feedback.is_canceled():
            self._sent_cancelled.emit()
        else:
            self._sent_done.emit(result)


class WorkerHost:
    """Mixin (before the Qt base) for a panel that runs its work in Workers parented to it.

    The panel sets ``self._workers = []`` (started, not yet finished) and ``self._plan_worker =
    None`` (its planning run, whose end calls ``_plan_ended``: by default ``plan_button`` is enabled
    again) and defines ``_on_failed(exc)``; it gets ``_start(job, on_done)``, ``wait`` and ``cancel``.
    """

    _workers: list
    _plan_worker: Worker | None

    def _start(self, job, on_done) -> Worker:
        w = Worker(job, self)
        self._workers.append(w)
        w.done.connect(on_done)
        w.failed.connect(lambda exc, tb: self._on_failed(exc))
        w.finished.connect(lambda: self._finished(w))
        w.start()
        return w

    def _finished(self, w) -> None:
        if w in self._workers:
            self._workers.remove(w)
        if w is self._plan_worker:
            self._plan_worker = None
            self._plan_ended()
        w.deleteLater()

    def _plan_ended(self) -> None:
        self.plan_button.setEnabled(True)

    def _on_failed(self, exc) -> None:
        raise NotImplementedError

    def wait(self, ms: int = 60000) -> bool:
        """Block until every worker is done and its result shown (scripts, tests, closing)."""
        ok = True
        for w in list(self._workers):
            try:
                ok = w.wait(ms) and ok
            except RuntimeError:  # its C++ object is gone
                pass
        QtCore.QCoreApplication.processEvents()
        return ok

    def cancel(self) -> None:
        for w in list(self._workers):
            w.cancel()


def load_project(path, lang: str | None = None, view_px=None, preloaded=None, dpr: float = 1.0):
    """The work of File → Open: read the GeoPackage and index it for impact queries.

    Returns (project, engine, live session, map renderer, first map). With ``lang``, the renderer is
    made here too, its layers' paths built at the level the whole city shows at in a view of
    ``view_px`` (width, height) pixels: the window's first map then draws them instead of building
    them (about 1 s of a stalled window on the 10x city); and the first map itself is rendered here
    (``first_map.FirstMap``, at device pixel ratio ``dpr``), for the canvas to adopt instead of
    rendering it on the GUI thread (None without ``lang`` or ``view_px``). ``preloaded``: a Future
    already holding (project, engine) (``app.run`` starts the read before the GUI imports).
    """

    def work(feedback):
        from heatgis.analysis.impact import ImpactEngine
        from heatgis.model.store import open_project

        if preloaded is not None:
            project, engine = preloaded.result()
        else:
            feedback.set_progress(5, "reading")
            project = open_project(path)
            feedback.check("opening the project")
            feedback.set_progress(60, "indexing")
            engine = ImpactEngine(project)
        feedback.set_progress(75, "")
        from heatgis.gui import warm_imports
        from heatgis.gui.session import live_session, warm_renderer
        from heatgis.render.qpath import points_xy

        live = live_session(project, engine)
        feedback.set_progress(85, "")
        renderer = None if lang is None else warm_renderer(project, lang, live.at, view_px)
        feedback.set_progress(90, "")
        warm_imports()
        first = None
        if renderer is not None and view_px:
            from heatgis.gui.first_map import render_first_map
            from heatgis.gui.session import session_overlays

            feedback.check("opening the project")
            # the session's locked sites and (empty) overlays: the labels are placed around them
            renderer.highlight.set_locked(points_xy(engine.sites.geoms[live.locked]))
            renderer.overlays = session_overlays()
            first = render_first_map(renderer, view_px, dpr)
        # what the open made leaves the young generations (the collector is held off while it runs):
        # the GUI thread's first collection after it walked them all (~50 ms at 100k sites);
        # ``set_project`` gives them back to the collector, as the oldest (``gc.unfreeze``)
        gc.freeze()
        feedback.set_progress(100, "")
        return project, engine, live, renderer, first

    return work


def compute_timeline(project, zones, engine):
    """The work of the timeline dock (the same core function as ``heatgis impact --timeline``)."""

    def work(feedback):
        from heatgis.analysis.timeline import timeline

        feedback.set_progress(10, "timeline")
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
