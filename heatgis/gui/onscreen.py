"""What a panel redoes only for the eye waits while its dock is out of sight.

A dock tabbed behind another, or closed, still hears every time step and zone edit. What it would
redo then (fill a table, set its figures, move a cursor) nobody sees, and on the 10× city it costs
the step. ``ViewRefresh(widget, fn)`` wraps such a refresh: ``request()`` runs ``fn`` at once while
the widget is on screen, else marks it stale; a stale refresh runs once when the widget's dock comes
into sight again (``QDockWidget.visibilityChanged``), before it is painted. ``run()`` does it now
whatever the dock (a language change), ``flush()`` brings a stale one up to date (before code reads a
form field the refresh sets).

The panel keeps its state up to date as before (its plan, its time, whether the plan is out of date,
the solve in flight): the map and the other panels read that, never the widgets; only the filling
waits. A widget that is not in a dock (a panel on its own, as the tests make them) is always on screen.

Qt 6 moves a dock tabbed behind another out of the window rather than hiding it (``isVisible()``
stays True, no show event when its tab is picked): it is told apart by the dock's last
``visibilityChanged`` and by its visible region.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6 import QtCore, QtWidgets


def dock_of(widget: QtWidgets.QWidget) -> QtWidgets.QDockWidget | None:
    """The dock holding ``widget`` (None when it is not in one)."""
    w = widget.parentWidget()
    while w is not None and not isinstance(w, QtWidgets.QDockWidget):
        w = w.parentWidget()
    return w


def on_screen(widget: QtWidgets.QWidget) -> bool:
    """False when ``widget`` sits in a dock that is closed or tabbed behind another; True otherwise."""
    dock = dock_of(widget)
    if dock is None:
        return True
    if not dock.isVisible():
        return False
    return dock.isFloating() or not dock.visibleRegion().isEmpty()


class ViewRefresh(QtCore.QObject):
    """A refresh of ``widget`` that runs while it is on screen and otherwise once it is again.

    Parameters
    ----------
    widget : QWidget
        The panel (its dock is looked up when asked: a panel is often put in its dock after it is made).
    fn : callable
        Fills the widgets from the panel's current state; takes no argument (it reads the state when
        it runs, so a refresh that waited shows the newest state, not the one of the request).

    Attributes
    ----------
    stale : bool
        A refresh was asked for while out of sight and has not run yet.
    runs : int
        How many times ``fn`` ran (tests, benchmarks).
    """

    def __init__(self, widget: QtWidgets.QWidget, fn: Callable[[], object]):
        super().__init__(widget)
        self._widget = widget
        self._fn = fn
        self.stale = False
        self.runs = 0
        self._dock: QtWidgets.QDockWidget | None = None
        self._shown = False  # the dock's last visibilityChanged (since it is watched)

    def request(self, *_args) -> None:
        """Refresh now when on screen, else mark stale (arguments of a signal are ignored)."""
        if self.visible():
            self.run()
        else:
            self.stale = True

    def run(self) -> None:
        """Refresh now, on screen or not."""
        self.stale = False
        self.runs += 1
        self._fn()

    def flush(self) -> None:
        """Run the refresh that waited, if one did."""
        if self.stale:
            self.run()

    def visible(self) -> bool:
        """True while the widget can be seen (its dock open and in front), or when it is in no dock."""
        dock = self._watch()
        if dock is None:
            return True
        if not dock.isVisible():
            return False
        # just raised: the signal came before the dock was laid out in the window again
        return self._shown or on_screen(self._widget)

    def _watch(self) -> QtWidgets.QDockWidget | None:
        dock = dock_of(self._widget)
        if dock is not self._dock:
            if self._dock is not None:
                try:
                    self._dock.visibilityChanged.disconnect(self._visibility)
                except (RuntimeError, TypeError):  # the old dock is gone already
                    pass
            self._dock, self._shown = dock, False
            if dock is not None:
                dock.visibilityChanged.connect(self._visibility)
        return dock

    def _visibility(self, visible: bool) -> None:
        self._shown = bool(visible)
        if visible:
            self.flush()
