"""The crew-routes panel: plan a shift, see the crews' Gantt chart, the stops with ETAs, dispatch.

A thin widget: it collects the shift and the time limit, calls the same
``plan_routes`` the CLI calls (a view of the crews' one planner, ``plan_operations``;
in a worker thread, with a progress bar), shows
the result, and emits ``routesChanged(GeoDataFrame)`` with one route geometry
per crew (crew colour, stop count) so the map can draw them.

Re-plan keeps the visits already started at "now" (``plan_routes(keep=, now=)``);
``mark_stale(reason)`` shows that zones or the duty list changed since the plan.
Dispatch: ``dispatch(site_id)`` finds the nearest free crew
(``heatgis.routing.dispatch.nearest_crew``) and emits ``dispatchReady``.
Print route sheets: ``print_sheets(path)`` writes the current plan's route sheets
(``heatgis.export.route_sheets.write_route_sheets_pdf``, one page per working crew)
in a worker and emits ``sheetsWritten(path)``; the button asks for the file through
``ask_sheets_path`` (replaceable, as tests do).
"""

from __future__ import annotations

import pandas as pd
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, QDateTime, Qt, QTime, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDoubleSpinBox,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from heatgis.export.ops_common import reason_label
from heatgis.gui.flow import FlowLayout
from heatgis.gui.i18n import Retranslating, current_language, error_text, progress_text
from heatgis.gui.onscreen import ViewRefresh
from heatgis.gui.panels.gantt import GanttChart
from heatgis.gui.workers import Worker, WorkerHost
from heatgis.text import localize

STALE_STYLE = "background: #fff3cd; color: #7a4d00; padding: 3px; border: 1px solid #f0c36d;"
_C = "RoutesPanel"  # translation context of the strings below (resources/translations)
STOP_HEADERS = [
    QT_TRANSLATE_NOOP("RoutesPanel", "crew"),
    "#",
    QT_TRANSLATE_NOOP("RoutesPanel", "site"),
    QT_TRANSLATE_NOOP("RoutesPanel", "name"),
    QT_TRANSLATE_NOOP("RoutesPanel", "address"),
    QT_TRANSLATE_NOOP("RoutesPanel", "zones"),
    QT_TRANSLATE_NOOP("RoutesPanel", "ETA"),
    QT_TRANSLATE_NOOP("RoutesPanel", "depart"),
    QT_TRANSLATE_NOOP("RoutesPanel", "km"),
]
DISPATCH_HEADERS = [
    QT_TRANSLATE_NOOP("RoutesPanel", "crew"),
    QT_TRANSLATE_NOOP("RoutesPanel", "name"),
    QT_TRANSLATE_NOOP("RoutesPanel", "from"),
    QT_TRANSLATE_NOOP("RoutesPanel", "free"),
    QT_TRANSLATE_NOOP("RoutesPanel", "why not"),
    QT_TRANSLATE_NOOP("RoutesPanel", "min"),
    QT_TRANSLATE_NOOP("RoutesPanel", "ETA"),
]
DROPPED_HEADERS = [
    QT_TRANSLATE_NOOP("RoutesPanel", "site"),
    QT_TRANSLATE_NOOP("RoutesPanel", "reason"),
    QT_TRANSLATE_NOOP("RoutesPanel", "detail"),
]


def _t(text: str) -> str:
    return QCoreApplication.translate(_C, text)


def _cell(value, lang: str) -> str:
    """A table cell in ``lang``: a ``Text`` in that language, a missing value as ""."""
    if isinstance(value, str):
        return localize(value, lang)
    return "" if value is None or pd.isna(value) else str(value)


def _qdt(at) -> QDateTime:
    at = pd.Timestamp(at)
    return QDateTime(QDate(at.year, at.month, at.day), QTime(at.hour, at.minute))


class RoutesPanel(Retranslating, WorkerHost, QWidget):
    """Plan the crews' shift and show it.

    Parameters
    ----------
    project : Project, optional

    Attributes
    ----------
    duty_provider : callable, optional
        ``() -> DataFrame or None``: the visits to plan (the host's staffing plan);
        None plans the ``duty="auto"`` list of the core.
    selected_site : callable, optional
        ``() -> site id or None`` for the Dispatch button.
    ask_sheets_path : callable
        ``() -> str``: the PDF file for "Print route sheets…" ("" cancels); a save dialog by default.
    sheets_lang : str
        Language of the printed route sheets ("zh" or "en").

    Signals
    -------
    routesChanged(object)
        A GeoDataFrame (crew_id, name, color, stops, geometry) after each plan.
    planReady(object)
        The CrewPlan.
    dispatchReady(object)
        A ``Dispatch`` (crew, ETA, route) after ``dispatch``.
    failed(str)
        A planning, dispatch or printing error, for the planner.
    sheetsWritten(str)
        The route-sheet PDF written.
    """

    routesChanged = Signal(object)
    planReady = Signal(object)
    dispatchReady = Signal(object)
    failed = Signal(str)
    sheetsWritten = Signal(str)

    def __init__(self, project=None, parent=None):
        super().__init__(parent)
        self.project = project
        self.plan = None
        self.graph = None
        self.at = None
        self.stale = False
        self.dispatch_result = None
        self.duty_provider = None
        self.selected_site = None
        self.ask_sheets_path = self._ask_sheets_path_dialog
        self.sheets_lang = "zh"
        self._workers: list[Worker] = []
        self._plan_worker = None
        self._duty_from = ""
        self.shift = QComboBox()
        self.shift.addItem("", "day")
        self.shift.addItem("", "night")
        self.time_limit = QDoubleSpinBox()
        self.time_limit.setRange(0.1, 600)
        self.time_limit.setValue(1.0)
        self.plan_button = QPushButton()
        self.plan_button.clicked.connect(lambda: self.start_plan())
        self.now_edit = QDateTimeEdit()
        self.now_edit.setDisplayFormat("MM-dd HH:mm")
        self.replan_button = QPushButton()
        self.replan_button.clicked.connect(lambda: self.replan())
        self.replan_button.setEnabled(False)
        self.dispatch_button = QPushButton()
        self.dispatch_button.clicked.connect(self._dispatch_selected)
        self.sheets_button = QPushButton()
        self.sheets_button.clicked.connect(lambda: self.print_sheets())
        self.sheets_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setMaximumWidth(160)
        self.status = QLabel("")
        self.stale_label = QLabel("")
        self.stale_label.setStyleSheet(STALE_STYLE)
        self.stale_label.setWordWrap(True)
        self.stale_label.setVisible(False)
        self.dispatch_label = QLabel("")
        self.dispatch_label.setWordWrap(True)
        self.gantt = GanttChart()
        self.table = QTableWidget(0, len(STOP_HEADERS))
        self.table.setHorizontalHeaderLabels([_t(h) for h in STOP_HEADERS])
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectRows)
        self.dropped = QTableWidget(0, 3)
        self.dropped.setHorizontalHeaderLabels([_t(h) for h in DROPPED_HEADERS])
        self.candidates = QTableWidget(0, len(DISPATCH_HEADERS))
        self.candidates.setHorizontalHeaderLabels([_t(h) for h in DISPATCH_HEADERS])
        self.candidates.setEditTriggers(QTableWidget.NoEditTriggers)
        for t in (self.table, self.dropped, self.candidates):
            t.verticalHeader().setVisible(False)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.table, "")
        self.tabs.addTab(self.dropped, "")
        dispatch_page = QWidget()
        dl = QVBoxLayout(dispatch_page)
        dl.setContentsMargins(2, 2, 2, 2)
        dl.addWidget(self.dispatch_label)
        dl.addWidget(self.candidates, 1)
        self.tabs.addTab(dispatch_page, "")
        self.shift_label, self.limit_label, self.now_label = QLabel(), QLabel(), QLabel()
        top = FlowLayout()  # wraps in a narrow dock (1366×768)
        for w in (
            self.shift_label,
            self.shift,
            self.limit_label,
            self.time_limit,
            self.plan_button,
            self.now_label,
            self.now_edit,
            self.replan_button,
            self.dispatch_button,
            self.sheets_button,
        ):
            top.addWidget(w)
        top.addStretch(1)
        top.addWidget(self.progress)
        split = QSplitter(Qt.Horizontal)
        split.addWidget(self.gantt)
        split.addWidget(self.tabs)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        self.splitter = split
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(top)
        lay.addWidget(self.stale_label)
        lay.addWidget(self.status)
        lay.addWidget(split, 1)
        self._stale_reason = ""
        self._off_time = False  # stale only because the map time left the plan's shift
        #: the "now" field and the Gantt's now line follow the map time while the dock is in sight
        self.lazy = ViewRefresh(self, self._show_time)
        self.retranslate()

    def retranslate(self) -> None:
        self.shift.setItemText(0, self.tr("day 08:00–20:00"))
        self.shift.setItemText(1, self.tr("night 20:00–08:00"))
        self.shift_label.setText(self.tr("Shift"))
        self.limit_label.setText(self.tr("Time limit"))
        self.time_limit.setSuffix(self.tr(" s"))
        self.time_limit.setToolTip(self.tr("At most this long; the search stops earlier once the plan has settled"))
        self.now_label.setText(self.tr("Now"))
        self.now_edit.setToolTip(self.tr("Visits already started by then are kept as they are"))
        self.plan_button.setText(self.tr("Plan routes"))
        self.replan_button.setText(self.tr("Re-plan"))
        self.replan_button.setToolTip(
            self.tr("Keep the visits already started at 'now', plan the rest around the current zones")
        )
        self.dispatch_button.setText(self.tr("Dispatch nearest crew"))
        self.dispatch_button.setToolTip(
            self.tr("To the selected station or boiler room (or use the Dispatch map tool)")
        )
        self.sheets_button.setText(self.tr("Print route sheets…"))
        self.sheets_button.setToolTip(
            self.tr("A PDF with one page per working crew: its route map, ordered stops, addresses, ETAs and distances")
        )
        self.tabs.setTabText(0, self.tr("Stops / ETA"))
        self.tabs.setTabText(1, self.tr("Not served"))
        self.tabs.setTabText(2, self.tr("Dispatch"))
        for table, headers in (
            (self.table, STOP_HEADERS),
            (self.dropped, DROPPED_HEADERS),
            (self.candidates, DISPATCH_HEADERS),
        ):
            table.setHorizontalHeaderLabels([_t(h) for h in headers])
        self._fill_dropped()
        self._fill_candidates()
        self.gantt.getPlotItem().setLabel("bottom", self.tr("time of day"))
        if self.stale:
            self.mark_stale(self._stale_reason)

    # ------------------------------------------------------------------ inputs
    def set_project(self, project) -> None:
        self.project = project
        self.graph = None

    def set_time(self, at) -> None:
        """The map time: the moment whose zones apply, the default "now" of a re-plan and of a dispatch."""
        self.at = pd.Timestamp(at)
        self.lazy.request()
        p = self.plan
        if p is not None and not (p.shift_start <= self.at < p.shift_end):
            self._off_time = True
            self.mark_stale(
                self.tr("plan for {0}, not shown on the map at {1}").format(
                    f"{p.shift_start:%m-%d %H:%M}–{p.shift_end:%H:%M}", f"{self.at:%m-%d %H:%M}"
                )
            )
        elif p is not None and self._off_time:  # back inside the plan's shift
            self._off_time = False
            self._clear_stale()

    def _show_time(self) -> None:
        if self.at is not None:
            self.now_edit.setDateTime(_qdt(self.at))
            self.gantt.set_now(self.at)

    @property
    def now(self) -> pd.Timestamp:
        """The "now" field (the map time unless the planner set another)."""
        self.lazy.flush()  # the field as it would be shown: it waited while the dock was out of sight
        return pd.Timestamp(self.now_edit.dateTime().toString("yyyy-MM-ddTHH:mm"))

    def mark_stale(self, reason: str = "") -> None:
        """The plan no longer matches the zones or the duty list: say so, offer Re-plan."""
        if self.plan is None:
            return
        self.stale, self._stale_reason = True, reason
        self.stale_label.setText(
            self.tr("⚠ Routes out of date{0} — press Re-plan (started visits are kept)").format(
                ": " + reason if reason else ""
            )
        )
        self.stale_label.setVisible(True)

    def _clear_stale(self) -> None:
        self.stale = self._off_time = False
        self.stale_label.setVisible(False)

    # ------------------------------------------------------------------ planning
    def busy(self) -> bool:
        return self._plan_worker is not None

    def start_plan(self, duty=None, keep=None, now=None) -> None:
        """Plan in a worker thread; ``planReady`` fires when done.

        Parameters
        ----------
        duty : DataFrame, optional
            Default: ``duty_provider()`` or the core's automatic duty list.
        keep, now : CrewPlan, Timestamp, optional
            Re-plan (see ``replan``).
        """
        if self.project is None or self._plan_worker is not None:
            return
        from heatgis.routing.planner import build_graph, plan_routes

        self._duty_from = ""
        if duty is None and self.duty_provider is not None:
            duty = self.duty_provider()
            self._duty_from = self.tr("staffing plan") if duty is not None else ""
        project, limit, graph = self.project, float(self.time_limit.value()), self.graph
        shift = keep.shift if keep is not None else self.shift.currentData()
        at = now if keep is not None else self.at

        def job(feedback):
            g = graph if graph is not None else build_graph(project)
            self.graph = g
            return plan_routes(
                project, at=at, shift=shift, time_limit=limit, duty=duty, graph=g, keep=keep, now=now, feedback=feedback
            )

        w = self._plan_worker = self._start(job, self._on_done)
        w.progress.connect(self._on_progress)
        self.plan_button.setEnabled(False)
        self.replan_button.setEnabled(False)
        self.progress.setValue(0)

    def replan(self, now=None) -> None:
        """Re-plan the rest of the shift: visits started at ``now`` (default the "now" field) stay."""
        if self.plan is None:
            self.start_plan()
            return
        self.start_plan(keep=self.plan, now=pd.Timestamp(now) if now is not None else self.now)

    def _plan_ended(self) -> None:
        self.plan_button.setEnabled(True)
        self.replan_button.setEnabled(self.plan is not None)

    def _on_progress(self, percent, message):
        self.progress.setValue(int(round(percent)))
        self.status.setText(progress_text(message))

    def _on_failed(self, exc):
        from heatgis.errors import HeatGISError

        text = error_text(exc) if isinstance(exc, HeatGISError) else f"{type(exc).__name__}: {exc}"
        self.status.setText(text)
        self.failed.emit(text)

    def _on_done(self, plan):
        self.progress.setValue(100)
        self._plan_worker = None
        self.plan_button.setEnabled(True)
        self.set_plan(plan)

    # ------------------------------------------------------------------ route sheets
    def print_sheets(self, path=None) -> None:
        """Write the current plan's route sheets as a PDF (asks for the file when ``path`` is None).

        Runs in a worker with the progress bar; ``sheetsWritten(path)`` when done,
        ``failed(message)`` on a HeatGISError (no working crew, unwritable file).
        """
        if self.plan is None or self.project is None:
            return
        path = path or self.ask_sheets_path()
        if not path:
            return
        from heatgis.export.route_sheets import write_route_sheets_pdf

        plan, project, lang = self.plan, self.project, self.sheets_lang

        def job(feedback):
            return str(write_route_sheets_pdf(plan, project, path, lang=lang, feedback=feedback))

        w = self._start(job, self._on_sheets)
        w.progress.connect(self._on_progress)
        w.finished.connect(lambda: self.sheets_button.setEnabled(self.plan is not None))
        self.sheets_button.setEnabled(False)
        self.progress.setValue(0)
        self.status.setText(self.tr("Printing route sheets → {0}").format(path))

    def _on_sheets(self, path) -> None:
        self.progress.setValue(100)
        self.status.setText(self.tr("Route sheets written: {0}").format(path))
        self.sheetsWritten.emit(str(path))

    def _ask_sheets_path_dialog(self) -> str:
        from PySide6.QtWidgets import QFileDialog

        name = (
            f"route_sheets_{self.plan.shift_start:%Y%m%d}_{self.plan.shift}.pdf"
            if self.plan is not None
            else "route_sheets.pdf"
        )
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Print route sheets"), name, "PDF (*.pdf)")
        if path and not path.lower().endswith(".pdf"):
            path += ".pdf"
        return path

    # ------------------------------------------------------------------ dispatch
    def _dispatch_selected(self) -> None:
        site = self.selected_site() if self.selected_site is not None else None
        if not site:
            self.dispatch_label.setText(self.tr("Select a station or boiler room first (or use the Dispatch map tool)"))
            self.tabs.setCurrentIndex(2)
            return
        self.dispatch(site)

    def dispatch_plan(self, at):
        """The current plan when ``at`` falls in its shift (crews are where it has them), else None."""
        p = self.plan
        if p is not None and p.shift_start <= pd.Timestamp(at) < p.shift_end:
            return p
        return None

    def dispatch(self, site_id: str, at=None) -> None:
        """Nearest free crew to a fault at ``site_id`` at ``at`` (default the map time), in a worker."""
        if self.project is None:
            return
        from heatgis.routing.dispatch import nearest_crew
        from heatgis.routing.planner import build_graph

        at = pd.Timestamp(at) if at is not None else (self.at if self.at is not None else None)
        project, graph, plan = self.project, self.graph, self.dispatch_plan(at) if at is not None else None

        def job(feedback):
            feedback.set_progress(10, "dispatch")
            g = graph if graph is not None else build_graph(project)
            self.graph = g
            return nearest_crew(project, str(site_id), at=at, plan=plan, graph=g)

        self.dispatch_label.setText(self.tr("{0}: finding the nearest free crew…").format(site_id))
        self.tabs.setCurrentIndex(2)
        self._start(job, self.set_dispatch)

    def set_dispatch(self, d) -> None:
        """Show a Dispatch: the chosen crew, its ETA, every candidate."""
        self.dispatch_result = d
        if d.crew_id is None:
            self.dispatch_label.setText(
                self.tr("{0} @ {1}: no free crew can reach the site").format(d.site_id, f"{d.at:%m-%d %H:%M}")
            )
        else:
            c = d.candidates.iloc[0]
            self.dispatch_label.setText(
                self.tr("<b>{0}</b> @ {1} → <b>{2} {3}</b> (from {4}), ETA <b>{5}</b>, {6:.0f} min, {7:.1f} km").format(
                    d.site_id,
                    f"{d.at:%m-%d %H:%M}",
                    d.crew_id,
                    c["name"],
                    c["from_id"],
                    f"{d.eta:%H:%M}",
                    d.travel_s / 60,
                    c["distance_m"] / 1000,
                )
            )
        self._fill_candidates()
        self.tabs.setCurrentIndex(2)
        self.dispatchReady.emit(d)

    # ------------------------------------------------------------------ showing
    def _fill_candidates(self) -> None:
        """The dispatch's candidates, why a crew is not free in the UI's language."""
        d = getattr(self, "dispatch_result", None)
        if d is None:
            return
        lang = current_language()
        cand = d.candidates
        self.candidates.setRowCount(len(cand))
        for i, r in enumerate(cand.itertuples()):
            tr = r.travel_s
            vals = [
                r.crew_id,
                r.name,
                r.from_id,
                "✓" if r.free else "",
                _cell(r.why_not, lang),
                "" if not pd.notna(tr) or tr == float("inf") else f"{tr / 60:.0f}",
                "" if pd.isna(r.eta) else f"{r.eta:%H:%M}",
            ]
            for j, v in enumerate(vals):
                self.candidates.setItem(i, j, QTableWidgetItem(str(v)))
        self.candidates.resizeColumnsToContents()

    def _fill_dropped(self) -> None:
        """The visits not served, their reason and detail in the UI's language."""
        if getattr(self, "plan", None) is None:
            return
        lang = current_language()
        d = self.plan.dropped
        self.dropped.setRowCount(len(d))
        for i, x in enumerate(d.itertuples()):
            for j, v in enumerate((x.site_id, reason_label(x.reason, lang), _cell(x.detail, lang))):
                self.dropped.setItem(i, j, QTableWidgetItem(str(v)))

    def set_plan(self, plan) -> None:
        """Show a CrewPlan (from the worker or given directly)."""
        self.plan = plan
        self._clear_stale()
        self.replan_button.setEnabled(True)
        self.sheets_button.setEnabled(True)
        self.gantt.set_plan(plan)
        self.gantt.set_now(self.at)
        r = plan.routes
        colors = dict(zip(plan.crews["crew_id"], plan.crews["color"]))
        self.table.setRowCount(len(r))
        for i, s in enumerate(r.itertuples()):
            vals = [
                s.crew_id,
                s.seq,
                s.site_id,
                s.name,
                s.address or "",
                ",".join(s.zone_ids),
                f"{s.eta:%H:%M}",
                f"{s.depart:%H:%M}",
                f"{s.distance_m / 1000:.1f}",
            ]
            for j, v in enumerate(vals):
                it = QTableWidgetItem(str(v))
                if j == 0:
                    it.setForeground(QColor(colors[s.crew_id]))
                if j in (1, 8):
                    it.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.table.setItem(i, j, it)
        self.table.resizeColumnsToContents()
        self._fill_dropped()
        t = plan.to_dict()["totals"]
        self.status.setText(
            self.tr(
                "{span}: {visits} visits, {used}/{crews} crews, {hours} h driving, {dropped} not served (duty: {duty})"
            ).format(
                span=f"{plan.shift_start:%m-%d %H:%M}–{plan.shift_end:%H:%M}",
                visits=t["visits"],
                used=t["crews_used"],
                crews=t["crews"],
                hours=f"{t['travel_s'] / 3600:.1f}",
                dropped=t["dropped"],
                duty=self._duty_from or plan.duty_source,
            )
        )
        self.planReady.emit(plan)
        self.routesChanged.emit(plan.route_geometries())
