"""An open keeps nothing of the project before it, and what it makes is kept out of the collector's
walks (``gc.freeze`` once the first map is shown; given back when another project is opened)."""

from __future__ import annotations

import gc
import weakref

from tests.gui.conftest import DEMO


def test_the_next_open_frees_the_old_project_and_freezes_the_new(window, qtbot):
    with qtbot.waitSignal(window.projectLoaded, timeout=60000):
        window.open_project(DEMO)
    with qtbot.waitSignal(window.timelineReady, timeout=60000):
        pass
    window.wait_for_workers()
    assert gc.get_freeze_count() > 50_000  # the demo's frames, geometries, indexes
    old = weakref.ref(window.session.project)
    old_session = weakref.ref(window.session)
    with qtbot.waitSignal(window.projectLoaded, timeout=60000):
        window.open_project(DEMO)
    with qtbot.waitSignal(window.timelineReady, timeout=60000):
        pass
    window.wait_for_workers()
    qtbot.wait(50)
    assert old() is None and old_session() is None  # freed by the open itself, not by a test's collection
    assert window.session.project is not None and gc.get_freeze_count() > 50_000
    gc.unfreeze()
