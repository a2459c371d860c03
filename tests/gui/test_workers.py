"""Workers outlive the widget that started them, and hold the garbage collector only while they run."""

from __future__ import annotations

import gc
import threading

from PySide6 import QtWidgets

from heatgis.gui.workers import Worker, wait_all


def test_owner_closed_while_the_work_runs(qtbot):
    gate = threading.Event()
    owner = QtWidgets.QWidget()
    results = []
    w = Worker(lambda feedback: (gate.wait(10), 42)[1], owner)
    w.done.connect(results.append)
    w.start()
    assert not gc.isenabled()  # no collection may run inside the worker thread
    owner.deleteLater()  # a dialog closed while its export runs: Qt would abort on a child thread
    qtbot.wait(50)
    del owner
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
    assert gc.isenabled()
