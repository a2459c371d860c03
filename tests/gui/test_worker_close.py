"""The worker contract at a window's close: what a worker of the window has sent (progress, result,
failure, cancel) and is still queued reaches no slot of any panel once ``closeEvent`` accepted."""

from __future__ import annotations

from heatgis.errors import Cancelled
from heatgis.gui.workers import Worker, WorkerHost


def _job(name, how):
    def work(feedback):
        feedback.set_progress(50, "half")
        if how == "fail":
            raise ValueError(name)
        if how == "cancel":
            raise Cancelled(name)
        return name

    return work


def _queue_on_every_panel(win, seen) -> list:
    """One finished worker per panel (each dock's widget) and on the window: every kind of signal sent
    from the thread and queued, none delivered yet."""
    hosts = {name: dock.widget() for name, dock in win.docks.items()}
    assert {"staffing", "routes", "crewops"} <= {
        n for n, h in hosts.items() if not h.objectName().startswith("placeholder")
    }
    hosts["window"] = win
    workers = []
    for name, host in hosts.items():
        for how in ("done", "fail", "cancel"):
            key = f"{name}/{how}"
            if isinstance(host, WorkerHost):  # the panel's own way to run work (routes, crew operations)
                host._on_failed = lambda exc, key=key: seen.append((key, "failed"))
                w = host._start(_job(key, how), lambda r, key=key: seen.append((key, "done")))
            else:
                w = Worker(_job(key, how), host)
                w.done.connect(lambda r, key=key: seen.append((key, "done")))
                w.failed.connect(lambda exc, tb, key=key: seen.append((key, "failed")))
                w.start()
            w.progress.connect(lambda pct, msg, key=key: seen.append((key, "progress")))
            w.cancelled.connect(lambda key=key: seen.append((key, "cancelled")))
            workers.append(w)
    for w in workers:
        assert w.wait(10000)  # the thread has ended: its signals wait in the GUI thread's queue
    return workers


def test_results_queued_when_the_window_closes_reach_no_slot(demo_window, qtbot, monkeypatch):
    win = demo_window
    win.wait_for_workers()
    # while the window is open the queued signals arrive (the test can fail)
    seen: list = []
    workers = _queue_on_every_panel(win, seen)
    qtbot.waitUntil(lambda: len(seen) >= 2 * len(workers), timeout=10000)
    kinds = {k for _, k in seen}
    assert kinds == {"progress", "done", "failed", "cancelled"}

    # the timeline's own path (d780c27): a timeline result queued as the window closes is not shown
    shown = []
    monkeypatch.setattr(win.timeline, "set_timeline", lambda *a: shown.append(a))
    win.refresh_timeline()
    timeline_worker = win._workers[-1]
    seen.clear()
    _queue_on_every_panel(win, seen)
    assert timeline_worker.wait(30000)
    assert seen == [] and shown == []  # nothing delivered yet
    win.close()
    qtbot.wait(200)
    assert seen == [] and shown == [] and win._errors == []


def test_a_window_shown_again_delivers_again(window, qtbot):
    win = window
    win.close()
    win.show()
    qtbot.waitExposed(win)
    got = []
    w = Worker(lambda feedback: 7, win.timeline)
    w.done.connect(got.append)
    w.start()
    qtbot.waitUntil(lambda: got == [7], timeout=10000)
