"""The map keeps the room at 1366×768: docks compact and tabbed, no panel widens the window, the
planner's own layout restored on the next start, View → Panels → Reset layout."""

from __future__ import annotations

import pytest
from PySide6 import QtCore

from tests.gui.conftest import DEMO


def _window(qtbot, settings, size):
    from heatgis.gui.main_window import MainWindow

    win = MainWindow(settings=settings, lang="zh")
    win.ask_unsaved = lambda: "discard"
    qtbot.addWidget(win)
    win.resize(*size)
    win.show()
    qtbot.waitExposed(win)
    qtbot.wait(20)  # the dock layout settles in the event loop
    return win


def _tabs(win, name):
    return sorted(d.objectName() for d in win.tabifiedDockWidgets(win.docks[name]))


def test_compact_layout_at_1366x768_leaves_the_map_room(qtbot, settings, tmp_path):
    if not DEMO.exists():
        pytest.skip("the demo project has not been generated (heatgis demo)")
    win = _window(qtbot, settings, (1366, 768))
    with qtbot.waitSignal(win.projectLoaded, timeout=60000):
        win.open_project(DEMO)
    qtbot.wait(100)
    # the plan docks (routes, crew operations: long button rows) wrap instead of widening the window
    assert win.size() == QtCore.QSize(1366, 768)
    A = QtCore.Qt.DockWidgetArea
    for name in ("impact", "staffing", "layers", "identify"):
        assert win.dockWidgetArea(win.docks[name]) == A.RightDockWidgetArea
    assert _tabs(win, "impact") == ["dock_identify", "dock_layers", "dock_staffing"]
    assert _tabs(win, "timeline") == ["dock_attributes", "dock_crewops", "dock_routes"]
    c = win.canvas.size()
    share = c.width() * c.height() / (1366 * 768)
    assert share > 0.38, share  # was 0.27: layers left, impact and attributes right, a 274-px timeline
    assert c.width() >= 900 and c.height() >= 380
    img = win.grab().toImage()
    img.save(str(tmp_path / "main_1366x768.png"))
    assert img.width() == 1366 * img.devicePixelRatio()
    win.wait_for_workers()
    win.close()


def test_wide_window_full_layout_and_state_restored(qtbot, settings):
    win = _window(qtbot, settings, (1600, 1000))
    A = QtCore.Qt.DockWidgetArea
    assert win.dockWidgetArea(win.docks["layers"]) == A.LeftDockWidgetArea
    assert _tabs(win, "impact") == ["dock_staffing"]
    assert _tabs(win, "identify") == []
    # the planner moves the layers into the right column and floats nothing; closing saves it
    win.tabifyDockWidget(win.docks["impact"], win.docks["layers"])
    win.close()
    again = _window(qtbot, settings, (1600, 1000))
    assert again.dockWidgetArea(again.docks["layers"]) == A.RightDockWidgetArea
    assert "dock_layers" in _tabs(again, "impact")
    # View → Panels → Reset layout: the default for the size again
    again.reset_layout_action.trigger()
    assert again.dockWidgetArea(again.docks["layers"]) == A.LeftDockWidgetArea
    assert again.reset_layout_action.text() == "重置布局" or again.reset_layout_action.text() == "Reset layout"
    again.close()
