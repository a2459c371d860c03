"""The crew-operations dock: the crews' 24-hour plan, its roster, duty, tickets and Gantt.

A thin widget over ``heatgis.routing.ops.plan_operations`` (the core behind
``heatgis crews``): the horizon (hours) and the search time, a Plan button running the
planner in a worker with a progress bar, and tabs for the roster (值班表), the duty list
(every place with who holds it, and every duty not met with its reason), the tickets
and the Gantt in clock time (``heatgis.export.charts.ops_gantt_chart``).

Tickets: "Add ticket…" takes a site (picked in the list, or clicked on the map with
"Pick on map") or a map point, makes a checked row (``routing.tickets.new_ticket``) and
hands the project edit to ``command_sink(cmd)`` (the main window's ``run_command``: the
one undo stack, the window dirty until saved); "Dispatch" inserts the selected ticket
into the running plan (``routing.tickets.insert_ticket``: work already started stays)
and shows the crew, the vehicle and the ETA. "Print roster…" and "Print route sheets…"
write the PDFs of ``heatgis.export.roster`` and ``heatgis.export.ops_sheets``.

Zones edited (``mark_stale``): the plan is marked out of date and, with "Re-plan when zones
change" ticked (the default), planned again in the worker once the edits pause for
``DEBOUNCE_MS`` (a plan already running is followed by one more).

Signals: ``planReady(OpsPlan)`` after every plan or dispatch (the map draws its vehicle
routes), ``ticketDispatched(dict)`` (the plan's ticket row), ``failed(str)``.
"""

from __future__ import annotations

import pandas as pd
from PySide6 import QtCore, QtGui, QtWidgets

from heatgis.errors import HeatGISError
from heatgis.export import ops_common as C
from heatgis.gui.i18n import Retranslating, error_text, progress_text
from heatgis.gui.onscreen import ViewRefresh
from heatgis.gui.panels.crewops_build import build_layout, build_plan_bar, build_tables, build_tickets_page
from heatgis.gui.panels.crewops_tables import (
    DUTY_HEADERS,
    ROSTER_HEADERS,
    TICKET_HEADERS,
    _t,
    duty_frame,
    ticket_frame,
)
from heatgis.gui.workers import Worker, WorkerHost


class CrewOpsPanel(Retranslating, WorkerHost, QtWidgets.QWidget):
    """The crews' operations plan for the project (see the module docstring).

    Parameters
    ----------
    project : Project, optional

    Attributes
    ----------
    command_sink : callable(Command) -> bool
        Runs a project edit on the host's undo stack (default: applies it directly).
    ask_roster_path, ask_sheets_path : callable() -> str
        The PDF files to print ("" cancels); save dialogs by default.
    lang : {"zh", "en"}
        Labels in the tables and the PDFs.
    """

    DEBOUNCE_MS = 600

    planReady = QtCore.Signal(object)
    ticketDispatched = QtCore.Signal(object)
    failed = QtCore.Signal(str)
    pickRequested = QtCore.Signal()
    written = QtCore.Signal(str)

    def __init__(self, project=None, parent=None):
        super().__init__(parent)
        self._init_state(project)
        top = build_plan_bar(self)
        build_tables(self)
        tickets_page = build_tickets_page(self)
        build_layout(self, top, tickets_page)
        self._fill_sites()
        self.refresh_tickets()
        self.retranslate()

    def _init_state(self, project) -> None:
        """The project, the plan and its time, the hooks a host may replace, the workers."""
        self.project = project
        self.plan = None
        self.at = project.readable_reference_time() if project is not None else None
        self.lang = "zh"
        self.command_sink = None
        self.ask_roster_path = lambda: self._ask_path(self.tr("Print roster"), "roster")
        self.ask_sheets_path = lambda: self._ask_path(self.tr("Print route sheets"), "route_sheets")
        self.last_dispatch = None
        self._workers: list[Worker] = []
        self._plan_worker = None
        self.stale = False
        self._again = False  # zones changed while a plan was running: plan once more after it
        self._replan_timer = QtCore.QTimer(self, singleShot=True, interval=self.DEBOUNCE_MS, timeout=self._replan)
        #: the new ticket's deadline field follows the map time while the dock is in sight
        self.lazy = ViewRefresh(self, self._show_deadline)

    def _label_choices(self) -> None:
        """Kinds and skills named in the panel's language (the data stay the contract's words)."""
        lang = self.lang if self.lang in C.TICKET_KINDS else "en"
        for i in range(self.kind_edit.count()):
            self.kind_edit.setItemText(
                i, C.TICKET_KINDS[lang].get(self.kind_edit.itemData(i), self.kind_edit.itemData(i))
            )
        for i in range(self.skill_edit.count()):
            self.skill_edit.setItemText(i, C.skill_label(self.skill_edit.itemData(i), lang))

    def retranslate(self) -> None:
        self.hours.setSuffix(self.tr(" h"))
        self.time_limit.setSuffix(self.tr(" s"))
        self.duration_edit.setSuffix(self.tr(" min"))
        self.hours_label.setText(self.tr("Horizon"))
        self.limit_label.setText(self.tr("Time limit"))
        self.plan_button.setText(self.tr("Plan crews"))
        self.plan_button.setToolTip(
            self.tr(
                "Every place insiders cannot fill, held by a qualified crew member "
                "each staffing shift; patrols and tickets; relief trips by vehicle"
            )
        )
        self.auto_replan.setText(self.tr("Re-plan when zones change"))
        self.auto_replan.setToolTip(
            self.tr(
                "Plan the crews again shortly after the lockdown zones are edited (else the plan is marked out of date)"
            )
        )
        self.roster_button.setText(self.tr("Print roster…"))
        self.sheets_button.setText(self.tr("Print route sheets…"))
        self.sheets_button.setToolTip(
            self.tr("A PDF with one page per vehicle shift: its route, the people set down and picked up, ETAs")
        )
        self.site_label.setText(self.tr("Site"))
        self.kind_label.setText(self.tr("Kind"))
        self.skill_label.setText(self.tr("Skill"))
        self.deadline_label.setText(self.tr("Deadline"))
        self.add_button.setText(self.tr("Add ticket"))
        self.pick_button.setText(self.tr("Pick on map"))
        self.pick_button.setToolTip(self.tr("Click a site or a point on the map for the new ticket"))
        self.dispatch_button.setText(self.tr("Dispatch"))
        self.dispatch_button.setToolTip(
            self.tr("Insert the selected ticket into the running plan (work already started stays)")
        )
        for i, text in enumerate((self.tr("Roster"), self.tr("Duty"), self.tr("Tickets"), self.tr("Gantt"))):
            self.tabs.setTabText(i, text)
        self.roster_model.headers = {k: _t(v) for k, v in ROSTER_HEADERS.items()}
        self.duty_model.headers = {k: _t(v) for k, v in DUTY_HEADERS.items()}
        self.ticket_model.headers = {k: _t(v) for k, v in TICKET_HEADERS.items()}
        for m in (self.roster_model, self.duty_model, self.ticket_model):
            if m.columnCount() > 0:
                m.headerDataChanged.emit(QtCore.Qt.Orientation.Horizontal, 0, m.columnCount() - 1)
        if self.plan is not None:
            self._summary()
        self._show_off_time()

    # ------------------------------------------------------------------ inputs
    def set_language(self, lang: str) -> None:
        """Labels of the tables, choices and PDFs in ``lang`` ("zh" or "en")."""
        self.lang = lang
        if self.plan is not None:
            self.set_plan(self.plan)
        else:
            self.refresh_tickets()

    def set_project(self, project) -> None:
        self.project = project
        self._fill_sites()
        self.refresh_tickets()

    def set_time(self, at) -> None:
        """The map time: the start of the next plan and the report time of new tickets."""
        self.at = pd.Timestamp(at)
        self.lazy.request()
        self._show_off_time()

    def _show_deadline(self) -> None:
        """A new ticket is due 4 h after the map time (the planner may set another)."""
        if self.at is None:
            return
        dl = self.at + pd.Timedelta(hours=4)
        self.deadline_edit.setDateTime(
            QtCore.QDateTime(QtCore.QDate(dl.year, dl.month, dl.day), QtCore.QTime(dl.hour, dl.minute))
        )

    def _show_off_time(self) -> None:
        """Say so when the plan shown is for another time than the map's (the map hides it then)."""
        p = self.plan
        off = p is not None and self.at is not None and not (p.at <= self.at < p.end)
        if off:
            self.off_time.setText(
                self.tr("⚠ Plan for {0}: not shown on the map at {1} — press Plan crews for this time").format(
                    f"{p.at:%m-%d %H:%M}–{p.end:%m-%d %H:%M}", f"{self.at:%m-%d %H:%M}"
                )
            )
        self.off_time.setVisible(off)

    def _fill_sites(self) -> None:
        self.site_edit.clear()
        if self.project is None:
            return
        import numpy as np

        # the sites' ids, sorted, once each (numpy: 100,000 sites of a province took ~0.17 s as the
        # keys of ``routing.duty._site_xy``), in one call (not one addItem each)
        ids = [
            self.project.layer(layer)[col].astype(str).to_numpy()
            for layer, col in (("stations", "station_id"), ("boiler_rooms", "asset_id"), ("heat_sources", "source_id"))
            if self.project.has(layer)
        ]
        self.site_edit.addItems(np.unique(np.concatenate(ids)).tolist() if ids else [])
        if self.at is not None:
            self.set_time(self.at)

    # ------------------------------------------------------------------ planning
    def busy(self) -> bool:
        return self._plan_worker is not None

    def start_plan(self) -> None:
        """Plan the crews in a worker (``planReady`` when done)."""
        if self.project is None or self._plan_worker is not None:
            return
        from heatgis.routing.ops import plan_operations

        project, at, hours, limit = self.project, self.at, float(self.hours.value()), float(self.time_limit.value())

        def job(feedback):
            return plan_operations(project, at=at, hours=hours, time_limit=limit, feedback=feedback)

        w = self._plan_worker = self._start(job, self.set_plan)
        w.progress.connect(self._on_progress)
        self.plan_button.setEnabled(False)
        self.progress.setValue(0)
        self.status.setText(self.tr("Planning the crews…"))

    def mark_stale(self, reason: str) -> None:
        """The project changed under the plan (``reason``): mark it out of date and, when
        "Re-plan when zones change" is ticked, plan again once the edits pause."""
        if self.plan is None and self._plan_worker is None:
            return
        self.stale = True
        auto = self.auto_replan.isChecked()
        self.status.setText(
            self.tr("Plan out of date: {0}").format(reason)
            + " — "
            + (self.tr("re-planning…") if auto else self.tr("press Plan crews"))
        )
        if auto:
            self._replan_timer.start()

    def _replan(self) -> None:
        if self._plan_worker is not None:
            self._again = True
        else:
            self.start_plan()

    def _plan_ended(self) -> None:
        self.plan_button.setEnabled(True)
        if self._again:  # the zones changed while it ran: once more
            self._again = False
            self.start_plan()

    def wait(self, ms: int = 60000) -> bool:
        """Wait for the workers (a re-plan waiting for its debounce starts now and is waited for)."""
        if self._replan_timer.isActive():
            self._replan_timer.stop()
            self._replan()
        return WorkerHost.wait(self, ms)

    def cancel(self) -> None:
        self._replan_timer.stop()
        self._again = False
        WorkerHost.cancel(self)

    def _on_progress(self, percent, message) -> None:
        self.progress.setValue(round(percent))
        if message:
            self.status.setText(progress_text(message))

    def _on_failed(self, exc) -> None:
        text = error_text(exc) if isinstance(exc, HeatGISError) else f"{type(exc).__name__}: {exc}"
        self.status.setText(text)
        self.failed.emit(text)

    # ------------------------------------------------------------------ showing
    def set_plan(self, plan) -> None:
        """Show an OpsPlan: roster, duty, tickets, Gantt; ``planReady`` for the map."""
        self.plan = plan
        self.stale = self._again  # a plan of the zones before the last edit is still out of date
        self.progress.setValue(100)
        self.roster_model.set_frame(C.roster_table(plan, self.lang, by="crew"))
        self.duty_model.set_frame(duty_frame(plan, self.lang))
        self.refresh_tickets()
        self._gantt()
        for v in (self.roster_view, self.duty_view):
            v.resizeColumnsToContents()
        self.roster_button.setEnabled(True)
        self.sheets_button.setEnabled(True)
        self._summary()
        self._show_off_time()
        self.planReady.emit(plan)

    def _summary(self) -> None:
        c = self.plan.coverage()
        unmet = C.unmet_by_reason(self.plan)
        self.status.setText(
            self.tr(
                "{span}: places filled {filled} of {required}, patrols {pd} of {pr}, tickets met "
                "{tm} of {tn} ({tl} late); not met: {unmet}"
            ).format(
                span=f"{self.plan.at:%m-%d %H:%M}–{self.plan.end:%m-%d %H:%M}",
                filled=c["places_filled"],
                required=c["places_required"],
                pd=c["patrols_done"],
                pr=c["patrols_required"],
                tm=c["tickets_met"],
                tn=c["tickets"],
                tl=c["tickets_late"],
                unmet=", ".join(f"{C.reason_label(k, self.lang)} {v}" for k, v in unmet.items()) or "0",
            )
        )

    def _gantt(self) -> None:
        from heatgis.export.charts import ops_gantt_chart

        img = ops_gantt_chart(self.plan, width=1500, lang=self.lang)
        self.gantt_image = img
        self.gantt_label.setPixmap(QtGui.QPixmap.fromImage(img))
        self.gantt_label.resize(img.size())

    def refresh_tickets(self) -> None:
        self._label_choices()
        f = ticket_frame(self.project, self.plan)
        lang = self.lang if self.lang in C.TICKET_KINDS else "en"
        f["kind"] = f["kind"].map(lambda k: C.TICKET_KINDS[lang].get(C.text(k), C.text(k)))
        f["skill"] = f["skill"].map(lambda k: C.skill_label(k, lang))
        f["status"] = f["status"].map(lambda k: C.TICKET_STATUS[lang].get(C.text(k), C.text(k)))
        f["vehicle_id"] = f["vehicle_id"].map(lambda v: C.vehicle_label(v) if C.text(v) else "")
        self.ticket_model.set_frame(f)
        self.ticket_view.resizeColumnsToContents()

    # ------------------------------------------------------------------ tickets
    def add_ticket(self, site_id=None, x=None, y=None) -> str | None:
        """Add a ticket (the form's values) for ``site_id`` (default the form's site) or a map point.

        The project edit goes through ``command_sink`` (undoable). Returns the ticket id, or None
        when the row was refused (the message is shown and ``failed`` emitted).
        """
        if self.project is None:
            return None
        from heatgis.model.commands import SetLayer
        from heatgis.routing.tickets import new_ticket, with_ticket

        if site_id is None and x is None:
            site_id = self.site_edit.currentText().strip() or None
        self.lazy.flush()  # the deadline field as it would be shown (it waited while the dock was out of sight)
        dl = pd.Timestamp(self.deadline_edit.dateTime().toString("yyyy-MM-ddTHH:mm"))
        try:
            row = new_ticket(
                self.project,
                site_id=site_id,
                kind=self.kind_edit.currentData(),
                skill=self.skill_edit.currentData(),
                duration_min=float(self.duration_edit.value()),
                deadline=dl,
                reported=self.at,
                x=x,
                y=y,
            )
            cmd = SetLayer("tickets", with_ticket(self.project, row), text=f"add ticket {row['ticket_id']}")
        except HeatGISError as exc:
            self._on_failed(exc)
            return None
        ok = self.command_sink(cmd) if self.command_sink is not None else (cmd.do(self.project) or True)
        if ok is False:
            return None
        self.refresh_tickets()
        self._select_ticket(row["ticket_id"])
        self.tabs.setCurrentIndex(2)
        self.dispatch_label.setText(
            self.tr("Ticket {0} added; press Dispatch to put it into the plan").format(row["ticket_id"])
        )
        return row["ticket_id"]

    def _select_ticket(self, ticket_id) -> None:
        m = self.ticket_model
        ids = list(m.frame["ticket_id"].astype(str)) if len(m.frame) else []
        if ticket_id in ids:
            src = m.index(ids.index(ticket_id), 0)
            self.ticket_view.selectRow(self.ticket_view.model().mapFromSource(src).row())

    def selected_ticket(self) -> str | None:
        rows = self.ticket_view.selectionModel().selectedRows() if self.ticket_view.selectionModel() else []
        if not rows:
            return None
        src = self.ticket_view.model().mapToSource(rows[0])
        return str(self.ticket_model.frame["ticket_id"].iloc[src.row()])

    def dispatch(self, ticket_id=None) -> None:
        """Insert the ticket (default the selected one) into the running plan, in a worker."""
        ticket_id = ticket_id or self.selected_ticket()
        if ticket_id is None:
            self.dispatch_label.setText(self.tr("Select a ticket first"))
            return
        if self.plan is None:
            self.dispatch_label.setText(self.tr("Plan the crews first (Plan crews)"))
            return
        t = self.project.layer("tickets")
        hit = t[t["ticket_id"].astype(str) == str(ticket_id)]
        if hit.empty:
            self.dispatch_label.setText(self.tr("Ticket {0} is not in the project").format(ticket_id))
            return
        row = hit.iloc[0].to_dict()
        row["site_id"] = None if not C.text(row.get("site_id")) else str(row["site_id"])
        from heatgis.routing.tickets import insert_ticket

        plan = self.plan

        def job(feedback):
            feedback.set_progress(20, "dispatch")
            return insert_ticket(plan, row)

        self.dispatch_label.setText(self.tr("{0}: finding the crew…").format(ticket_id))
        self._start(job, lambda p: self._dispatched(p, str(ticket_id)))

    def _dispatched(self, plan, ticket_id) -> None:
        self.set_plan(plan)
        r = plan.tickets[plan.tickets["ticket_id"] == ticket_id]
        if r.empty or not C.text(r.iloc[0]["vehicle_id"]):
            self.dispatch_label.setText(self.tr("{0}: no crew on duty can take it").format(ticket_id))
            self.last_dispatch = None if r.empty else r.iloc[0].to_dict()
        else:
            x = r.iloc[0]
            self.last_dispatch = x.to_dict()
            late = self.tr(", LATE by {0:.0f} min").format(float(x["late"])) if x["status"] == "late" else ""
            self.dispatch_label.setText(
                self.tr("{0} → crew {1} ({2}), ETA {3}{4}").format(
                    ticket_id,
                    x["crew_id"],
                    C.vehicle_label(x["vehicle_id"]),
                    f"{pd.Timestamp(x['eta']):%m-%d %H:%M}",
                    late,
                )
            )
        self.tabs.setCurrentIndex(2)
        self._select_ticket(ticket_id)
        self.ticketDispatched.emit(self.last_dispatch)

    # ------------------------------------------------------------------ printing
    def _ask_path(self, title, stem) -> str:
        name = f"{stem}_{self.plan.at:%Y%m%d_%H%M}.pdf" if self.plan is not None else f"{stem}.pdf"
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self, title, name, "PDF (*.pdf)")
        if path and not path.lower().endswith(".pdf"):
            path += ".pdf"
        return path

    def print_roster(self, path=None) -> None:
        self._print(path or (self.ask_roster_path() if self.plan is not None else ""), "roster")

    def print_sheets(self, path=None) -> None:
        self._print(path or (self.ask_sheets_path() if self.plan is not None else ""), "sheets")

    def _print(self, path, what) -> None:
        if not path or self.plan is None:
            return
        plan, project, lang = self.plan, self.project, self.lang

        def job(feedback):
            if what == "roster":
                from heatgis.export.roster import write_roster_pdf

                return str(write_roster_pdf(plan, path, lang=lang, feedback=feedback))
            from heatgis.export.ops_sheets import write_ops_sheets_pdf

            return str(write_ops_sheets_pdf(plan, project, path, lang=lang, feedback=feedback))

        w = self._start(job, self._on_written)
        w.progress.connect(self._on_progress)

    def _on_written(self, path) -> None:
        self.progress.setValue(100)
        self.status.setText(self.tr("Written: {0}").format(path))
        self.written.emit(str(path))
