"""Workers hold the garbage collector off only while they run, and are waited for before Qt tears down."""

from __future__ import annotations

import gc
import threading

from PySide6 import QtWidgets

from heatgis.gui.workers import Worker, wait_all


def test_collector_held_while_the_work_runs(qtbot):
    gate = threading.Event()
    owner = QtWidgets.QWidget()
    qtbot.addWidget(owner)
    results = []
    w = Worker(lambda feedback: (gate.wait(10), 42)[1], owner)
    w.done.connect(results.append)
    w.start()
    assert not gc.isenabled()  # no collection may run inside the worker thread
    gate.set()
    assert wait_all(10000)
    qtbot.waitUntil(lambda: results == [42], timeout=5000)
    assert gc.isenabled()


def test_two_workers_release_the_collector_when_both_end(qtbot):
    gates = [threading.Event(), threading.Event()]
    ws = [Worker(lambda feedback, g=g: g.wait(10)) for g in gates]
    for w in ws:
        w.start()
    gates[0].set()
    ws[0].wait(10000)
    qtbot.wait(50)
    assert not gc.isenabled()  # the second still runs
    gates[1].set()
    assert wait_all(10000)
    qtbot.waitUntil(gc.isenabled, timeout=5000)


def test_worker_deleted_with_its_owner_releases_the_collector(qtbot):
    owner = QtWidgets.QWidget()
    w = Worker(lambda feedback: 1, owner)
    w.start()
    w.wait(10000)
    owner.deleteLater()  # the owner goes (after its work ended) before the finished signal is seen
    qtbot.waitUntil(gc.isenabled, timeout=5000)


def test_owner_deleted_while_the_work_runs(qtbot):
    """A window deleted while its late-started work runs (Qt would abort on destroying a running
    child thread): the worker is detached, its results dropped, the collector released at its end."""
    gate = threading.Event()
    owner = QtWidgets.QWidget()
    bar = QtWidgets.QProgressBar(owner)
    results = []
    w = Worker(lambda feedback: (gate.wait(10), feedback.set_progress(50, "late"), 42)[2], owner, bar=bar)
    w.done.connect(results.append)
    w.start()
    owner.deleteLater()
    qtbot.wait(50)  # the owner and its bar are gone; the thread still runs
    gate.set()
    assert wait_all(10000)
    qtbot.wait(50)
    assert results == [] and w.parent() is None
    qtbot.waitUntil(gc.isenabled, timeout=5000)


def test_result_queued_when_the_owner_is_deleted_reaches_no_slot(qtbot):
    """The work ended, its result still queued, and the owner (a window torn down without a close) is
    deleted: the result goes with the worker, it reaches no slot (nothing of the owner is left to show it)."""
    import shiboken6

    owner = QtWidgets.QWidget()
    results = []
    w = Worker(lambda feedback: (feedback.set_progress(50, "late"), 42)[1], owner)
    w.done.connect(results.append)
    w.progress.connect(lambda pct, msg: results.append(msg))
    w.start()
    assert w.wait(10000)
    shiboken6.delete(owner)
    qtbot.wait(50)
    assert results == []
    qtbot.waitUntil(gc.isenabled, timeout=5000)
