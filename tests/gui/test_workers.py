"""The GUI's worker: the core's Feedback drives the progress bar, the Cancel button cancels it."""
from __future__ import annotations

import time

from PySide6 import QtWidgets

from heatgis.gui.workers import Worker


def test_feedback_drives_the_bar_and_the_button_cancels(qtbot):
    bar, button = QtWidgets.QProgressBar(), QtWidgets.QPushButton("Cancel")
    qtbot.addWidget(bar)
    qtbot.addWidget(button)
    reached = []

    def work(feedback):
        feedback.set_progress(40, "half way")
        while True:  # long work that checks between steps
            feedback.check("the test work")
            reached.append(1)
            time.sleep(0.005)

    w = Worker(work, bar=bar, cancel_button=button)
    done, failed = [], []
    w.done.connect(done.append)
    w.failed.connect(lambda exc, tb: failed.append(exc))
    with qtbot.waitSignal(w.cancelled, timeout=10000):
        w.start()
        qtbot.waitUntil(lambda: bar.value() == 40 and len(reached) > 0, timeout=5000)
        button.click()
    assert w.wait(5000)
    assert w.is_canceled() and done == [] and failed == []
    assert bar.value() == 40 and "half way" in bar.format()


def test_result_and_errors_arrive_as_signals(qtbot):
    w = Worker(lambda feedback: (feedback.set_progress(100, "done"), 42)[1])
    with qtbot.waitSignal(w.done, timeout=5000) as sig:
        w.start()
    assert sig.args == [42]
    w.wait()
    bad = Worker(lambda feedback: 1 / 0)
    with qtbot.waitSignal(bad.failed, timeout=5000) as sig:
        bad.start()
    assert isinstance(sig.args[0], ZeroDivisionError)
    bad.wait()
