"""The staffing and routes docks of the main window, bound to the open project's session."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6 import QtCore, QtWidgets

if TYPE_CHECKING:
    from heatgis.gui.main_window import MainWindow


class PlanDocks(QtCore.QObject):
    """The staffing and routes docks of the window, bound to the open project's session.

    The panels are made when a project loads and share the session's ImpactEngine.
    The time slider moves both; a zone edit marks the staffing plan stale and
    re-solves it (debounced, in the panel's worker) and marks the routes stale
    (Re-plan keeps started visits). Staffing overrides are commands on the session's
    one undo stack; the plans are drawn by the session's map overlays.
    """

    DEBOUNCE_MS = 400
    #: the room a placeholder keeps (its panel's minimum height at the default font: the crew
    #: operations panel's is the tallest of the bottom row): the map keeps its size when the panels
    #: replace the placeholders after the first map, instead of being drawn again a little smaller
    PLACEHOLDER_MIN_HEIGHT = 211

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self.session = None
        self.staffing = None
        self.routes = None
        self.crewops = None
        self._resolve = QtCore.QTimer(self, singleShot=True, interval=self.DEBOUNCE_MS, timeout=self._invalidate)

    def placeholder(self, name: str) -> QtWidgets.QWidget:
        label = QtWidgets.QLabel(self.tr("Open a project to see this plan"))
        label.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        label.setObjectName(f"placeholder_{name}")
        label.setMinimumHeight(self.PLACEHOLDER_MIN_HEIGHT)
        return label

    def _put(self, name: str, widget) -> None:
        """Show ``widget`` in dock ``name``; the placeholder it replaces goes (the dock keeps it otherwise)."""
        dock = self.window.docks[name]
        old = dock.widget()
        dock.setWidget(widget)
        if old is not None and old.objectName() == f"placeholder_{name}":
            old.setParent(None)
            old.deleteLater()

    def retranslate(self) -> None:
        """The placeholders' text (made before the window's language was installed)."""
        for name in ("staffing", "routes", "crewops"):
            w = self.window.docks[name].widget()
            if isinstance(w, QtWidgets.QLabel) and w.objectName() == f"placeholder_{name}":
                w.setText(self.tr("Open a project to see this plan"))

    def set_session(self, s) -> None:
        from heatgis.gui.panels.staffing import StaffingPanel

        w = self.window
        self.session = s
        st = self.staffing = StaffingPanel(s.project, engine=s.engine, stack=s.stack)
        s.engineChanged.connect(self._engine_changed)
        st.planChanged.connect(self._staffing_changed)
        st.time_edit.dateTimeChanged.connect(lambda _: self.session is s and s.set_time(st.at))
        self._put("staffing", st)
        # the routes and crew operations in turns of their own (~0.1 s each on the 10x city): the
        # window answers in between
        w.after_first_map(lambda: self.staffing is st and self._set_routes(s))
        w.after_first_map(lambda: self.staffing is st and self._set_crewops(s))
        s.timeChanged.connect(self._time_changed)
        s.zonesEdited.connect(self._zones_edited)
        # the first solve waits for the first map (see MainWindow.after_first_map)
        w.after_first_map(lambda: self.staffing is st and (st.set_time(s.at) if st.at != s.at else st.solve()))

    def _set_routes(self, s) -> None:
        """The crew routes dock: planned from the staffing plan's duty list, drawn on the map."""
        from heatgis.gui.panels.routes import RoutesPanel
        from heatgis.routing.planner import duty_from_staffing

        w, st = self.window, self.staffing
        rt = self.routes = RoutesPanel(s.project)
        rt.set_time(s.at)
        rt.duty_provider = lambda: duty_from_staffing(st.plan) if st.plan is not None else None
        rt.selected_site = self.selected_site
        rt.planReady.connect(s.show_routes)
        rt.dispatchReady.connect(self._dispatched)
        rt.failed.connect(w.show_message)
        self._put("routes", rt)

    def _set_crewops(self, s) -> None:
        """The crew-operations dock: its plan's vehicle routes on the map, tickets on the undo stack."""
        from heatgis.gui.panels.crewops import CrewOpsPanel

        w = self.window
        co = self.crewops = CrewOpsPanel(s.project)
        co.set_language(w.lang)
        co.set_time(s.at)
        co.command_sink = w.run_command
        co.planReady.connect(lambda plan: self.session is s and self.show_ops(plan))
        co.failed.connect(w.show_message)
        co.pickRequested.connect(self.pick_ticket)
        co.ticketDispatched.connect(
            lambda d: (
                d
                and w.show_message(
                    self.tr("Ticket {0}: crew {1}, ETA {2:%H:%M}").format(d["ticket_id"], d["crew_id"], d["eta"])
                )
            )
        )
        s.layerChanged.connect(lambda name: name == "tickets" and self.crewops is co and co.refresh_tickets())
        self._put("crewops", co)

    def show_ops(self, plan) -> None:
        """Draw the OpsPlan's vehicle routes and stops with the map's routes overlay."""
        from heatgis.export.ops_common import route_frames

        self.session.show_ops(plan, *route_frames(plan))

    def pick_ticket(self) -> None:
        """The next map click places a ticket (a site, or the point)."""
        from heatgis.gui.tools.ticket import TicketTool

        w = self.window
        co = self.crewops
        tool = TicketTool(
            w.canvas, w, lambda site, x, y: co.add_ticket(site_id=site) if site else co.add_ticket(x=x, y=y)
        )
        w.canvas.set_tool(tool)
        w.show_message(self.tr("Click a site or a point on the map for the new ticket"))

    def selected_site(self):
        from heatgis.gui.tools.dispatch import site_id_of

        s = self.session
        if s is None or s.selection_layer not in ("stations", "boiler_rooms") or not len(s.selection):
            return None
        return site_id_of(s.project, s.selection_layer, int(s.selection[0]))

    def _time_changed(self, at) -> None:
        if self.staffing is not None and self.staffing.at != at:
            self.staffing.set_time(at)
        if self.routes is not None:
            self.routes.set_time(at)
        if self.crewops is not None:
            self.crewops.set_time(at)

    def _zones_edited(self) -> None:
        if self.crewops is not None:
            self.crewops.mark_stale(self.tr("the lockdown zones changed"))
        if self.staffing is None:
            return
        self.staffing.set_stale(True)
        if self.routes is not None:
            self.routes.mark_stale(self.tr("the lockdown zones changed"))
        self._resolve.start()

    def _invalidate(self) -> None:
        if self.staffing is not None:
            self.staffing.invalidate()

    def _staffing_changed(self, plan) -> None:
        self.session.show_staffing(plan)
        r = self.routes.plan if self.routes is not None else None
        if r is not None and set(plan.duty_list["site_id"]) != set(r.routes["site_id"]) | set(r.dropped["site_id"]):
            self.routes.mark_stale(self.tr("the staffing plan changed the crews' duty list"))

    def _dispatched(self, d) -> None:
        colour = "#d73027"
        p = self.routes.plan if self.routes is not None else None
        if d.crew_id is not None and p is not None and d.crew_id in set(p.crews["crew_id"]):
            colour = str(p.crews.set_index("crew_id").at[d.crew_id, "color"])
        self.session.show_dispatch(d, colour)
        self.window.docks["routes"].raise_()
        if d.crew_id is not None:
            self.window.show_message(
                self.tr("Dispatch {0}: crew {1}, ETA {2:%H:%M}").format(d.site_id, d.crew_id, d.eta)
            )
        else:
            self.window.show_message(self.tr("Dispatch {0}: no free crew can reach the site").format(d.site_id))

    def dispatch(self, site_id) -> None:
        if self.routes is not None and site_id:
            self.routes.dispatch(site_id)

    def wait(self, ms: int = 30000) -> None:
        """Wait for the panels' workers (staffing build, route planning, dispatch) and show their results."""
        for name in ("staffing", "routes", "crewops"):
            p = getattr(self, name)  # read again: showing a result may have opened another project
            if p is not None:
                p.wait(ms)
        if self._resolve.isActive():
            self._resolve.stop()
            self._invalidate()
            if self.staffing is not None:
                self.staffing.wait(ms)

    def close(self) -> None:
        """Stop the panels' work (a project is closing)."""
        self._resolve.stop()
        for p in (self.staffing, self.routes, self.crewops):
            if p is not None:
                p.cancel()
                p.wait(5000)
        self.staffing = self.routes = self.crewops = None
        for name in ("staffing", "routes", "crewops"):
            old = self.window.docks[name].widget()
            self.window.docks[name].setWidget(self.placeholder(name))
            if old is not None:
                old.deleteLater()

    def _engine_changed(self, engine) -> None:
        """Sites or staff were re-imported: the staffing plan must use the new index."""
        if self.staffing is not None:
            self.staffing.engine = engine
            self.staffing.invalidate()
