"""The staffing panel: who runs each locked site from inside, what is left to the crews.

A thin widget over ``heatgis.analysis.staffing`` (the same core the ``heatgis staff``
command calls): a time setter, the assignments, the sites short of staff with the
reason, pin / remove buttons that re-solve, a CSV export.

Every pin, removal and "clear" is a ``SetStaffingOverrides`` command on the project's one
undo stack (``heatgis.model.commands.UndoStack``): the panel's own until the host shares its
stack with ``set_stack`` (the main window gives it the session's, so the pin is an unsaved
change, and Edit → Undo takes it back in order with the zone edits). The pins and removals
shown are always those in ``project.meta`` (re-read after every step of the stack). After each solve the panel
emits ``planChanged(plan)`` (its summary and tables are filled only while its dock is in sight, else once
it is again: ``gui.onscreen``); ``plan.sites["status"]`` (staffed / partial / unstaffed)
is what the map styles; the statuses and site kinds in the table are the vocabulary's words
(``model.vocab``) in the UI's language. Building the candidates for a time runs in a worker thread;
re-solving after a pin reuses them. Pins and removals are saved with the project
(``staffing_overrides``) and come back when it opens; one that does not fit the time being
planned is left out of that solve, with a note under the plan.
"""

from __future__ import annotations

import pandas as pd
from PySide6 import QtCore, QtWidgets
from PySide6.QtCore import QT_TRANSLATE_NOOP

from heatgis.analysis.staffing import StaffingProblem
from heatgis.analysis.staffing.overrides import META_KEY, SetStaffingOverrides, applicable, saved_overrides
from heatgis.analysis.staffing.reasons import place_name, reason_text
from heatgis.analysis.staffing.rules import StaffingRules
from heatgis.errors import HeatGISError
from heatgis.gui.flow import FlowLayout
from heatgis.gui.i18n import Retranslating, current_language, error_text, problem_text
from heatgis.gui.onscreen import ViewRefresh
from heatgis.gui.panels.table_model import TextTable
from heatgis.model.commands import UndoStack
from heatgis.model.vocab import label
from heatgis.render.overlays import STATUS_COLOURS

RESIZE_ROWS = 60  # rows measured for the column widths
STALE_STYLE = "background: #fff3cd; color: #7a4d00; padding: 3px; border: 1px solid #f0c36d;"
_C = "StaffingPanel"  # translation context of the strings below (resources/translations)
ON_CALL_SHIFT = QT_TRANSLATE_NOOP("StaffingPanel", "on call 24h")  # the shift of an on-call place (the core's)
#: the person (name, phone) first: who to call is what the planner reads across a narrow dock
ASSIGNMENT_HEADERS = [
    ("name", QT_TRANSLATE_NOOP("StaffingPanel", "name")),
    ("phone", QT_TRANSLATE_NOOP("StaffingPanel", "phone")),
    ("role", QT_TRANSLATE_NOOP("StaffingPanel", "role")),
    ("site_name", QT_TRANSLATE_NOOP("StaffingPanel", "site name")),
    ("shift", QT_TRANSLATE_NOOP("StaffingPanel", "shift")),
    ("site_id", QT_TRANSLATE_NOOP("StaffingPanel", "site")),
    ("staff_id", QT_TRANSLATE_NOOP("StaffingPanel", "staff")),
    ("distance_m", QT_TRANSLATE_NOOP("StaffingPanel", "walk m")),
    ("same_compound", QT_TRANSLATE_NOOP("StaffingPanel", "same compound")),
    ("pinned", QT_TRANSLATE_NOOP("StaffingPanel", "pinned")),
]
#: the column of the staff id (the key of a selected row)
STAFF_COLUMN = [k for k, _ in ASSIGNMENT_HEADERS].index("staff_id")
SHORT_HEADERS = [
    ("site_kind", QT_TRANSLATE_NOOP("StaffingPanel", "kind")),
    ("site_id", QT_TRANSLATE_NOOP("StaffingPanel", "site")),
    ("name", QT_TRANSLATE_NOOP("StaffingPanel", "site name")),
    ("zone_ids", QT_TRANSLATE_NOOP("StaffingPanel", "zones")),
    ("needed", QT_TRANSLATE_NOOP("StaffingPanel", "need")),
    ("assigned", QT_TRANSLATE_NOOP("StaffingPanel", "got")),
    ("status", QT_TRANSLATE_NOOP("StaffingPanel", "status")),
    ("reason", QT_TRANSLATE_NOOP("StaffingPanel", "reason")),
]


def _t(text: str) -> str:
    return QtCore.QCoreApplication.translate(_C, text)


class StaffingPanel(Retranslating, QtWidgets.QWidget):
    """Staffing plan for a project at a time.

    Parameters
    ----------
    project : Project
    rules : StaffingRules, optional
    engine : ImpactEngine, optional
        Reuse the host's engine (else one is built in the worker).
    stack : UndoStack, optional
        The project's undo stack (else the panel makes one; see ``set_stack``).

    Signals
    -------
    planChanged(object)
        The new ``StaffingPlan`` after every solve.
    failed(str)
        A planner-facing message when a solve could not be done (the last plan stays).
    """

    planChanged = QtCore.Signal(object)
    failed = QtCore.Signal(str)
    staleChanged = QtCore.Signal(bool)

    #: the clock must stay this long before a solve starts (the timeline being scrubbed)
    DEBOUNCE_MS = 150

    def __init__(self, project, rules: StaffingRules | None = None, engine=None, stack=None, parent=None):
        super().__init__(parent)
        self.project = project
        self.rules = rules or StaffingRules()
        self.engine = engine
        self.plan = None
        self.problem: StaffingProblem | None = None
        # the overrides saved in the project come back with it (staffing_overrides.py)
        self.pins, self.removals, self._load_notes = saved_overrides(project)
        self.stack = None
        self.set_stack(stack if stack is not None else UndoStack(project))
        self.stale = False
        self._notes_shown = False  # the message is the plan's notes (written again in another language)
        self._worker = None
        self._running: list = []
        self._job = 0  # the newest solve request; results of older ones are dropped
        self.dropped = 0  # how many were (tests, benchmarks)
        self._debounce = QtCore.QTimer(self, singleShot=True, interval=self.DEBOUNCE_MS, timeout=self.solve)
        #: the summary and tables of the plan: filled while the dock is in sight, else once it is again
        #: (the plan itself, ``planChanged`` and the map follow every solve either way)
        self.lazy = ViewRefresh(self, self._show_plan)
        #: the out-of-date banner likewise (``stale`` and ``staleChanged`` follow at once); showing
        #: and hiding it re-lays the dock out, on every time step
        self.lazy_banner = ViewRefresh(self, self._show_stale)

        self.time_edit = QtWidgets.QDateTimeEdit()
        self.time_edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.time_edit.setCalendarPopup(True)
        at = project.readable_reference_time() or pd.Timestamp.now().floor("h")
        self.time_edit.setDateTime(_qdatetime(at))
        self.solve_button = QtWidgets.QPushButton()
        self.summary = QtWidgets.QLabel("–")
        self.summary.setWordWrap(True)
        self.stale_label = QtWidgets.QLabel()
        self.stale_label.setWordWrap(True)
        self.stale_label.setStyleSheet(STALE_STYLE)
        self.stale_label.setVisible(False)
        self.message = QtWidgets.QLabel("")
        self.message.setStyleSheet("color: #b2182b;")
        self.message.setWordWrap(True)
        self.progress = QtWidgets.QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setVisible(False)

        self.assignments_table = _table(ASSIGNMENT_HEADERS)
        self.short_table = _table(SHORT_HEADERS)
        self.pin_button = QtWidgets.QPushButton()
        self.remove_button = QtWidgets.QPushButton()
        self.clear_button = QtWidgets.QPushButton()
        self.export_button = QtWidgets.QPushButton()
        self.time_label = QtWidgets.QLabel()

        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.time_label)
        top.addWidget(self.time_edit, 1)
        top.addWidget(self.solve_button)
        buttons = FlowLayout()
        for b in (self.pin_button, self.remove_button, self.clear_button, self.export_button):
            buttons.addWidget(b)
        tabs = QtWidgets.QTabWidget()
        tabs.addTab(self.assignments_table, "")
        tabs.addTab(self.short_table, "")
        self.tabs = tabs
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(top)
        lay.addWidget(self.stale_label)
        lay.addWidget(self.summary)
        lay.addWidget(self.progress)
        lay.addWidget(self.message)
        lay.addWidget(tabs, 1)
        lay.addLayout(buttons)

        self.solve_button.clicked.connect(self.solve)
        self.pin_button.clicked.connect(self.pin_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.clear_button.clicked.connect(self.clear_overrides)
        self.export_button.clicked.connect(lambda: self.export_csv())
        self.time_edit.dateTimeChanged.connect(lambda _: self._time_changed())
        self.retranslate()
        self._update_buttons()

    def retranslate(self) -> None:
        self.solve_button.setText(self.tr("Solve"))
        self.solve_button.setToolTip(self.tr("Plan who runs each locked site at this time"))
        self.stale_label.setText(self._stale_text())
        self.pin_button.setText(self.tr("Pin"))
        self.pin_button.setToolTip(self.tr("Keep the selected assignments whatever the solver finds"))
        self.remove_button.setText(self.tr("Remove"))
        self.remove_button.setToolTip(self.tr("Take the selected people off their site and re-solve around it"))
        self.clear_button.setText(self.tr("Clear overrides"))
        self.clear_button.setToolTip(self.tr("Drop every pin and removal (saved with the project)"))
        self.export_button.setText(self.tr("Export CSV"))
        self.time_label.setText(self.tr("Time"))
        self.tabs.setTabText(0, self.tr("Assignments"))
        self.tabs.setTabText(1, self.tr("Sites short"))
        for table, headers in ((self.assignments_table, ASSIGNMENT_HEADERS), (self.short_table, SHORT_HEADERS)):
            table.set_titles([_t(h) for _, h in headers])
        if self.plan is not None:
            self.lazy.run()
            if self._notes_shown:  # the plan's notes, in the new language
                self._show_notes()

    def _show_notes(self) -> None:
        """The notes of the plan shown (``Problem`` s: overrides left out), in the UI's language."""
        self.message.setText("\n".join(problem_text(n) for n in self.plan.notes))

    # ------------------------------------------------------------------ inputs
    @property
    def at(self) -> pd.Timestamp:
        return pd.Timestamp(self.time_edit.dateTime().toString("yyyy-MM-ddTHH:mm"))

    def set_time(self, at) -> None:
        """Move the clock and re-solve (an override that no longer applies is reported, not dropped)."""
        from heatgis.model.project import parse_time

        self.time_edit.setDateTime(_qdatetime(parse_time(at)))

    def set_rules(self, rules: StaffingRules) -> None:
        self.rules = rules
        self.invalidate()

    def invalidate(self) -> None:
        """The project changed (zones, staff, sites): rebuild the candidates and re-solve."""
        self.problem = None
        self.solve()

    def _stale_text(self) -> str:
        p = self.plan
        if p is not None and p.at != self.at:  # out of date because the time moved
            return self.tr("⚠ Plan for {0}, not for {1}: solving for this time…").format(
                f"{p.at:%m-%d %H:%M}", f"{self.at:%m-%d %H:%M}"
            )
        return self.tr("⚠ Zones changed: this plan is out of date, re-solving…")

    def set_stale(self, stale: bool = True) -> None:
        """Show that the plan on screen no longer matches the zones or the time (until the next solve).

        Marking it stale also drops the solve in flight: its result is for the zones as
        they were."""
        self.stale = bool(stale)
        if self.stale:
            self._supersede()
        self.lazy_banner.request()
        self.staleChanged.emit(self.stale)

    def _show_stale(self) -> None:
        self.stale_label.setText(self._stale_text())
        self.stale_label.setVisible(self.stale)

    def _time_changed(self) -> None:
        """The clock moved: the solve in flight is for the old time (dropped); solve again once
        the clock stays still for ``DEBOUNCE_MS`` (scrubbing the timeline solves only where it stops)."""
        self._supersede()  # (the candidates are kept: the solve builds new ones for another time, and
        # dropping them here would free them within the step)
        if self.plan is not None and self.plan.at != self.at:  # the map hides it until the new one lands
            self.set_stale(True)
        self._debounce.start()

    def _supersede(self) -> None:
        """Whatever is in flight answers an older question: its result will not be shown."""
        self._job += 1
        if self._worker is not None:
            try:
                self._worker.cancel()
            except RuntimeError:  # already deleted
                pass
            self._worker = None

    # ------------------------------------------------------------------ solving
    def solve(self) -> None:
        """Solve at the panel's time with the current overrides, in a worker thread.

        The candidates (``StaffingProblem``) are built in the worker when the time or the
        zones changed, else reused; the solve runs there too. Each request gets a number:
        a result is shown only when it answers the newest request (time, zones and
        overrides as they are now); an older one that lands late is dropped.
        """
        from heatgis.gui.workers import Worker

        self._debounce.stop()
        self._supersede()
        job, at, project, rules, engine = self._job, self.at, self.project, self.rules, self.engine
        problem = self.problem if self.problem is not None and self.problem.at == at else None
        pins, removals, load_notes = self.pins, self.removals, list(self._load_notes)

        def work(feedback):
            nonlocal problem
            if problem is None:
                problem = StaffingProblem(project, at, rules, engine=engine, feedback=feedback)
            feedback.check("staffing")
            kept_pins, kept_removals, notes = applicable(problem, pins, removals)
            plan = problem.solve(kept_pins, kept_removals)
            plan.notes = load_notes + notes
            return problem, plan

        w = Worker(work, self, bar=self.progress)
        w.done.connect(lambda result: self._solved(job, *result))
        w.failed.connect(lambda exc, tb: self._failed(job, exc))
        w.finished.connect(lambda: self._finished(w))
        self._running.append(w)
        self._worker = w
        self.progress.setValue(0)
        self.progress.setVisible(True)
        w.start()

    def _finished(self, w) -> None:
        if w in self._running:
            self._running.remove(w)
        if not self._running:
            self.progress.setVisible(False)
        w.deleteLater()

    def wait(self, ms: int = 60000) -> bool:
        """Block until the pending solve has run and its result is shown (scripts, tests, closing)."""
        if self._debounce.isActive():
            self.solve()
        ok = True
        for w in list(self._running):
            try:
                ok = w.wait(ms) and ok
            except RuntimeError:  # already deleted
                pass
        QtCore.QCoreApplication.processEvents()
        return ok

    def cancel(self) -> None:
        """Stop the solve in flight (the last plan stays)."""
        self._debounce.stop()
        for w in list(self._running):
            w.cancel()

    def _solved(self, job, problem, plan) -> bool:
        """Show a worker's plan, unless a newer request was made since (then it is dropped: False)."""
        if job != self._job:
            self.dropped += 1
            return False
        self._worker = None
        self.problem = problem
        self.plan = plan
        self._notes_shown = True
        self._show_notes()
        if self.stale:
            self.set_stale(False)
        self.lazy.request()
        self.planChanged.emit(plan)
        return True

    def _failed(self, job, exc) -> None:
        if job != self._job:
            return
        self._worker = None
        self._show_error(exc)

    def _show_error(self, exc) -> None:
        text = error_text(exc) if isinstance(exc, HeatGISError) else f"{type(exc).__name__}: {exc}"
        self._notes_shown = False
        self.message.setText(text)
        self.failed.emit(text)

    # ------------------------------------------------------------------ overrides
    def overrides(self) -> tuple[tuple, tuple]:
        return self.pins, self.removals

    def set_stack(self, stack) -> None:
        """Put the panel's overrides on ``stack`` (the project's one undo stack) from now on."""
        if self.stack is not None:
            self.stack.unsubscribe(self._on_stack)
        self.stack = stack
        stack.subscribe(self._on_stack)

    def set_overrides(self, pins=(), removals=(), text: str = "staffing overrides") -> None:
        """Replace pins and removals as one undoable command on the stack (re-solves)."""
        try:
            cmd = SetStaffingOverrides(pins, removals, text)
            self.stack.push(cmd)
        except HeatGISError as exc:
            self._show_error(exc)

    def _on_stack(self, cmd, action) -> None:
        """A step of the undo stack: when it changed the overrides, show and solve with them."""
        if action in ("clean",) or (cmd is not None and getattr(cmd, "key", None) != META_KEY):
            return
        self.pins, self.removals, self._load_notes = saved_overrides(self.project)
        if self.problem is not None or self.plan is not None or self._running:
            self.solve()  # a solve in flight used the old overrides: superseded
        self._update_buttons()

    def selected_assignments(self) -> pd.DataFrame:
        rows = self.assignments_table.selected_rows()
        if self.plan is None or not rows:
            return self.plan.assignments.iloc[0:0] if self.plan is not None else pd.DataFrame()
        keys = [self.assignments_table.text(r, STAFF_COLUMN) for r in rows]
        a = self.plan.assignments
        return a[a["staff_id"].isin(keys)]

    def pin_selected(self) -> None:
        """Pin the selected assignments (site and shift) and re-solve."""
        sel = self.selected_assignments()
        if sel.empty:
            return
        new = [p for p in self.pins if p[0] not in set(sel["staff_id"])]
        new += [(r.staff_id, r.site_id, None if r.site_kind == "on_call" else r.shift) for r in sel.itertuples()]
        self.set_overrides(new, self.removals, f"pin {', '.join(sel['staff_id'])}")

    def remove_selected(self) -> None:
        """Forbid the selected assignments and re-solve around them."""
        sel = self.selected_assignments()
        if sel.empty:
            return
        gone = set(sel["staff_id"])
        pins = [p for p in self.pins if p[0] not in gone]
        removals = list(self.removals) + [(r.staff_id, r.site_id) for r in sel.itertuples()]
        self.set_overrides(pins, removals, f"remove {', '.join(sel['staff_id'])}")

    def clear_overrides(self) -> None:
        if self.pins or self.removals:
            self.set_overrides((), (), "clear staffing overrides")

    # ------------------------------------------------------------------ output
    def export_csv(self, path=None) -> str | None:
        """Write the plan's assignment table; asks for a file when ``path`` is None."""
        if self.plan is None:
            return None
        if path is None:
            path, _ = QtWidgets.QFileDialog.getSaveFileName(
                self, self.tr("Export staffing plan"), f"staffing_{self.at:%Y%m%d_%H%M}.csv", "CSV (*.csv)"
            )
            if not path:
                return None
        try:
            self.plan.to_csv(path)
        except HeatGISError as exc:
            self._show_error(exc)
            return None
        self._notes_shown = False
        self.message.setText("")
        return str(path)

    def _show_plan(self) -> None:
        if self.plan is not None:
            self._fill(self.plan)

    def _fill(self, plan) -> None:
        t = plan.totals
        self.summary.setText(
            self.tr(
                "{at} — locked sites {locked}: fully staffed {full}, partly {partly}, nobody {nobody}; "
                "left to crews {crews}. Places {pf}/{pn}, on call {cf}/{cn}; staff locked in {li}, assigned {sa}."
            ).format(
                at=f"{plan.at:%Y-%m-%d %H:%M}",
                locked=t["locked_sites"],
                full=t["fully_staffed"],
                partly=t["partly_staffed"],
                nobody=t["unstaffed"],
                crews=t["left_to_crews"],
                pf=t["places_filled"],
                pn=t["places_needed"],
                cf=t["on_call_filled"],
                cn=t["on_call_needed"],
                li=t["staff_locked_in"],
                sa=t["staff_assigned"],
            )
        )
        a = plan.assignments
        lang = current_language()  # the vocabulary's words, in the language of the widgets' texts
        _set_rows(
            self.assignments_table,
            ASSIGNMENT_HEADERS,
            a,
            fmt={
                "role": lambda v: label("role", v, lang),
                "site_name": lambda v: place_name(v, lang),
                "shift": lambda v: _t(ON_CALL_SHIFT) if v == ON_CALL_SHIFT else ("" if v is None else str(v)),
                "distance_m": lambda v: f"{v:,.0f}",
                "same_compound": lambda v: "✓" if v else "",
                "pinned": lambda v: "📌" if v else "",
            },
        )
        short = plan.sites[plan.sites["short"] > 0]
        _set_rows(
            self.short_table,
            SHORT_HEADERS,
            short,
            fmt={
                "site_kind": lambda v: label("site_kind", v, lang),
                "zone_ids": lambda v: ";".join(v),
                "status": lambda v: label("status", v, lang),
                "reason": lambda v: reason_text(v, lang),
            },
            colour=[STATUS_COLOURS[s] for s in short["status"]],
        )
        self._update_buttons()

    def _update_buttons(self) -> None:
        has = self.plan is not None and len(self.plan.assignments) > 0
        self.pin_button.setEnabled(has)
        self.remove_button.setEnabled(has)
        self.export_button.setEnabled(self.plan is not None)
        self.clear_button.setEnabled(bool(self.pins or self.removals))


def _qdatetime(at) -> QtCore.QDateTime:
    at = pd.Timestamp(at)
    return QtCore.QDateTime(QtCore.QDate(at.year, at.month, at.day), QtCore.QTime(at.hour, at.minute))


def _table(headers) -> TextTable:
    return TextTable([_t(h) for _, h in headers], RESIZE_ROWS)


def _set_rows(table: TextTable, headers, frame, fmt=None, colour=None) -> None:
    fmt = fmt or {}
    cols = [frame[c].tolist() for c, _ in headers]
    texts = [
        [fmt[name](v) for v in col] if name in fmt else ["" if v is None else str(v) for v in col]
        for col, (name, _) in zip(cols, headers)
    ]
    table.set_texts(texts, colour)
