"""The main window's docks: made once, laid out for the window's size, their layout kept between sessions.

At 1366×768 (a common office laptop) the map must keep most of the window: the compact layout puts
every side panel (impact, staffing, layers, feature attributes) in one tabbed column on the right and
the timeline, routes, crew operations and attribute table in one short tabbed row at the bottom;
from 1500×900 the layers get their own column on the left and the feature attributes sit under the
impact. The layout is chosen when the window is first shown, unless the planner's own (saved with
``QMainWindow.saveState`` on close) is restored; View → Panels → Reset layout lays them out again.
"""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

A = QtCore.Qt.DockWidgetArea
#: (name, area in the full layout)
DOCKS = (
    ("layers", "left"),
    ("impact", "right"),
    ("staffing", "right"),
    ("identify", "right"),
    ("timeline", "bottom"),
    ("routes", "bottom"),
    ("crewops", "bottom"),
    ("attributes", "bottom"),
)
AREAS = {"left": A.LeftDockWidgetArea, "right": A.RightDockWidgetArea, "bottom": A.BottomDockWidgetArea}
#: below this window size the compact layout is used
COMPACT_BELOW = QtCore.QSize(1500, 900)
#: the map never gets smaller than this (docks give way first)
MAP_MIN = QtCore.QSize(420, 300)
DOCK_MIN = QtCore.QSize(220, 120)


def make_docks(window: QtWidgets.QMainWindow, widgets: dict) -> dict:
    """One QDockWidget per ``DOCKS`` entry holding ``widgets[name]``; the bottom corners go to the
    side columns (they run the full height, the bottom row sits between them)."""
    docks = {}
    for name, area in DOCKS:
        dock = QtWidgets.QDockWidget(window)
        dock.setObjectName(f"dock_{name}")  # saveState/restoreState find them by name
        dock.setWindowTitle(name)  # retranslate() sets the real title; tabs need one now
        dock.setWidget(widgets[name])
        dock.setMinimumSize(DOCK_MIN)
        window.addDockWidget(AREAS[area], dock)
        docks[name] = dock
    window.setCorner(QtCore.Qt.Corner.BottomLeftCorner, A.LeftDockWidgetArea)
    window.setCorner(QtCore.Qt.Corner.BottomRightCorner, A.RightDockWidgetArea)
    window.setDockOptions(
        QtWidgets.QMainWindow.DockOption.AnimatedDocks
        | QtWidgets.QMainWindow.DockOption.AllowTabbedDocks
        | QtWidgets.QMainWindow.DockOption.AllowNestedDocks
    )
    window.centralWidget().setMinimumSize(MAP_MIN)
    # compact now (the smallest minimum size): left as first placed, the columns' minimums add up and
    # widened a 1366-wide window on show; the window lays them out for its real size when first shown
    arrange(window, docks, compact=True)
    return docks


def is_compact(size: QtCore.QSize) -> bool:
    return size.width() < COMPACT_BELOW.width() or size.height() < COMPACT_BELOW.height()


def arrange(window: QtWidgets.QMainWindow, docks: dict, compact: bool | None = None) -> bool:
    """Lay the docks out for the window's size (``compact`` None: chosen from it); returns compact."""
    size = window.size()
    if compact is None:
        compact = is_compact(size)
    for d in docks.values():  # out of every tab group first (a tabbed dock does not split)
        d.setFloating(False)
        window.removeDockWidget(d)
    right = ["impact", "staffing", "layers", "identify"] if compact else ["impact", "staffing"]
    bottom = ["timeline", "routes", "crewops", "attributes"]
    window.addDockWidget(A.RightDockWidgetArea, docks["impact"])
    if compact:
        for name in right[1:]:
            window.tabifyDockWidget(docks[right[0]], docks[name])
    else:
        window.addDockWidget(A.LeftDockWidgetArea, docks["layers"])
        # split before tabbing: a dock already in a tab group takes the other as one more tab
        window.splitDockWidget(docks["impact"], docks["identify"], QtCore.Qt.Orientation.Vertical)
        window.tabifyDockWidget(docks["impact"], docks["staffing"])
    window.addDockWidget(A.BottomDockWidgetArea, docks["timeline"])
    for name in bottom[1:]:
        window.tabifyDockWidget(docks["timeline"], docks[name])
    for d in docks.values():
        d.show()
    docks["impact"].raise_()
    docks["timeline"].raise_()
    window.resize(size)  # docks moved one by one can widen the window on the way (their minimums add up)
    h = QtCore.Qt.Orientation.Horizontal
    v = QtCore.Qt.Orientation.Vertical
    side = max(300, min(400, int(size.width() * 0.26)))
    window.resizeDocks([docks["impact"]], [side], h)
    window.resizeDocks([docks["timeline"]], [max(160, min(300, int(size.height() * 0.21)))], v)
    if not compact:
        window.resizeDocks([docks["layers"]], [230], h)
        window.resizeDocks([docks["impact"], docks["identify"]], [420, 200], v)
    return compact


def add_reset_action(window, menu: QtWidgets.QMenu) -> QtWidgets.QWidgetAction:
    """View → Panels → Reset layout."""
    from PySide6 import QtGui

    act = QtGui.QAction(window)
    act.triggered.connect(lambda: arrange(window, window.docks))
    menu.addSeparator()
    menu.addAction(act)
    return act
