"""The open project's start-up in the main window: its first map, then the rest from the event loop.

File → Open's worker (``workers.load_project``) makes the project, its engine, live session, map
renderer and first map (``first_map.FirstMap``); ``MainWindow.set_project`` shows the panels, then
``StartUp._show_map`` puts the map on the canvas, which adopts the worker's drawing. What the first
map does not need (the layer list, the plan docks, the timeline, freezing the open's objects) follows
its first paint, one piece per turn of the event loop (``after_first_map``), so that the window
answers in between.
"""

from __future__ import annotations

import gc

from PySide6 import QtCore

from heatgis.gui.workers import Worker, after_signal


class StartUp:
    """Mixin of ``MainWindow`` (before the Qt base): the start-up of an opened project.

    The window gives it ``session``, ``canvas``, ``layers``, ``plans``, ``progress``, ``_workers``,
    ``_worker_finished``, ``refresh_timeline``, ``projectLoaded``, ``_map_shown``, ``_after_map``,
    ``_open_worker`` (File → Open's worker while it runs) and ``set_project``.
    """

    #: ms between two pieces of the work after the first map: a timer of its own, so the window's
    #: timers and input come in between (calls posted back to back ran first, ~0.4 s on the 10x city)
    AFTER_MAP_GAP_MS = 1

    def _opened(self, w, res) -> None:
        """An open's worker is done: its project is shown when it is the newest open asked for (a
        project opened while another was still opening is the one the planner wants; the older
        result, landing later, replaced it)."""
        if w is not self._open_worker:
            return
        self._open_worker = None
        if res:
            self.set_project(*res)

    def _supersede_open(self) -> None:
        """The open in flight answers an older request (another project was asked for): cancel it,
        its result is dropped, without a "Cancelled" message."""
        w, self._open_worker = self._open_worker, None
        if w is not None:
            w.superseded = True
            w.cancel()

    def _draw_first_map(self, s, size, switched: bool) -> None:
        """Draw session ``s``'s first map for a canvas of ``size`` (width, height, device pixel ratio)
        in a worker, then show it (drawn on the canvas as before when the worker fails, is cancelled,
        or the language changed meanwhile)."""
        from heatgis.gui.first_map import first_map_work

        lang = s.renderer.style.lang
        w = Worker(first_map_work(s.renderer, size), self, bar=self.progress)
        self._workers.append(w)

        def show(fm=None):
            if self.session is s and self.canvas.session is None:
                self._show_map(s, fm if s.renderer.style.lang == lang else None, switched)

        w.done.connect(show)
        w.failed.connect(lambda exc, tb: show())
        w.cancelled.connect(show)
        w.finished.connect(lambda: self._worker_finished(w))
        w.start()

    def _show_map(self, s, first_map, switched: bool) -> None:
        """The session's map on the canvas (``first_map``: its first frame, rendered by a worker),
        then, from the event loop after its first paint, the rest of the start-up."""
        self.canvas.set_session(s, first_map)
        self._map_shown = False
        self.after_first_map(lambda: setattr(self, "_map_shown", self.session is s))
        # the layer list and legend (~50 ms on the 10x city: an icon per category) after it
        self.after_first_map(lambda: self.session is s and self.layers.set_session(s))
        # the plan docks (~0.3 s on the 10x city) after the first map: the window answers in between
        self.after_first_map(lambda: self.session is s and self.plans.set_session(s))

        def then():  # after the plan docks' own pieces: no worker competes with them for the interpreter
            self.after_first_map(lambda: self.session is s and self.impact.check_quality())
            self.after_first_map(lambda: self.session is s and self.refresh_timeline())
            self.after_first_map(lambda: self.session is s and self._freeze(collect=switched))

        self.after_first_map(lambda: self.session is s and then())
        self.projectLoaded.emit()

    def _freeze(self, collect: bool) -> None:
        """Keep what the open made out of every later collection: the 10x city is ~0.5 million
        objects, gathered while the open's worker held the collector off, and the first collection
        after it walked them all on the GUI thread (176 ms; with them frozen, 18 ms). After another
        project was open, one collection first, so that the old one (its docks deleted by now) is
        freed rather than frozen with the rest."""
        if collect:
            gc.collect()
        gc.freeze()

    def after_first_map(self, fn) -> None:
        """Run ``fn`` once the map has been painted (``workers.after_signal``), or after 1.5 s if it
        is not: background work started earlier competes with the first paint for the interpreter
        (the map came ~0.3 s later). Once the project's first map is shown, as soon as the window is
        idle. One piece at a time, in the order asked for (``_next_after_map``)."""
        self._after_map.append(fn)
        if len(self._after_map) > 1:
            return  # the pieces before it are waiting or running: it follows them
        if self._map_shown:
            QtCore.QTimer.singleShot(self.AFTER_MAP_GAP_MS, self._next_after_map)
        else:
            after_signal(self.canvas.painted, self._next_after_map, self, fallback_ms=1500)

    def _next_after_map(self) -> None:
        """Run the first piece of the work waiting for the first map; the next one in a later turn of
        the event loop (``AFTER_MAP_GAP_MS``)."""
        try:
            if self._after_map:
                self._after_map[0]()
        finally:
            if self._after_map:
                self._after_map.pop(0)
            if self._after_map:
                QtCore.QTimer.singleShot(self.AFTER_MAP_GAP_MS, self._next_after_map)
