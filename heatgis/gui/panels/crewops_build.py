"""The crew-operations dock's widgets: the plan bar, the tables, the tickets page and the tabs.

Built onto the :class:`~heatgis.gui.panels.crewops.CrewOpsPanel` given (its attributes, its
signals and slots wired); the texts are set by the panel's ``retranslate`` (its ``tr()`` context).
"""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from heatgis.gui.flow import FlowLayout
from heatgis.gui.panels.table_model import FrameModel, sorting_proxy


def build_plan_bar(panel) -> FlowLayout:
    """The top row (horizon, search time, Plan, re-plan, prints, progress) and the notes under it."""
    panel.auto_replan = QtWidgets.QCheckBox()
    panel.auto_replan.setChecked(True)
    panel.hours = QtWidgets.QDoubleSpinBox()
    panel.hours.setRange(1, 72)
    panel.hours.setValue(24)
    panel.time_limit = QtWidgets.QDoubleSpinBox()
    panel.time_limit.setRange(0.2, 600)
    panel.time_limit.setValue(1.5)
    panel.plan_button = QtWidgets.QPushButton()
    panel.plan_button.clicked.connect(lambda: panel.start_plan())
    panel.roster_button = QtWidgets.QPushButton()
    panel.roster_button.clicked.connect(lambda: panel.print_roster())
    panel.sheets_button = QtWidgets.QPushButton()
    panel.sheets_button.clicked.connect(lambda: panel.print_sheets())
    for b in (panel.roster_button, panel.sheets_button):
        b.setEnabled(False)
    panel.progress = QtWidgets.QProgressBar()
    panel.progress.setRange(0, 100)
    panel.progress.setMaximumWidth(160)
    panel.status = QtWidgets.QLabel("")
    panel.status.setWordWrap(True)
    panel.off_time = QtWidgets.QLabel("")  # the plan is for another time than the map's
    panel.off_time.setWordWrap(True)
    panel.off_time.setStyleSheet("QLabel { background: #eeeeee; color: #3c4043; padding: 3px; }")
    panel.off_time.setVisible(False)
    panel.hours_label, panel.limit_label = QtWidgets.QLabel(), QtWidgets.QLabel()
    top = FlowLayout()  # wraps in a narrow dock (1366×768)
    for w in (
        panel.hours_label,
        panel.hours,
        panel.limit_label,
        panel.time_limit,
        panel.plan_button,
        panel.auto_replan,
        panel.roster_button,
        panel.sheets_button,
    ):
        top.addWidget(w)
    top.addStretch(1)
    top.addWidget(panel.progress)
    return top


def build_tables(panel) -> None:
    """The roster, duty and ticket tables (sortable views over frame models)."""
    panel.roster_model, panel.duty_model, panel.ticket_model = FrameModel(), FrameModel(), FrameModel()
    panel.roster_view = table_view(panel.roster_model)
    panel.duty_view = table_view(panel.duty_model)
    panel.ticket_view = table_view(panel.ticket_model)


def build_tickets_page(panel) -> QtWidgets.QWidget:
    """The tickets tab: the form to add one and Dispatch, the dispatch line, then the list."""
    panel.site_edit = QtWidgets.QComboBox()
    panel.site_edit.setEditable(True)
    panel.site_edit.setMinimumWidth(110)
    # sized by a length, not by measuring every site id (a province has 100,000)
    panel.site_edit.setSizeAdjustPolicy(QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    panel.site_edit.setMinimumContentsLength(12)
    panel.kind_edit = QtWidgets.QComboBox()
    panel.skill_edit = QtWidgets.QComboBox()
    from heatgis.model.schema import SKILLS, TICKET_KINDS

    for k in TICKET_KINDS:
        panel.kind_edit.addItem(k, k)
    for k in SKILLS:
        panel.skill_edit.addItem(k, k)
    panel._label_choices()
    panel.duration_edit = QtWidgets.QSpinBox()
    panel.duration_edit.setRange(5, 1440)
    panel.duration_edit.setValue(60)
    panel.deadline_edit = QtWidgets.QDateTimeEdit()
    panel.deadline_edit.setDisplayFormat("MM-dd HH:mm")
    panel.add_button = QtWidgets.QPushButton()
    panel.add_button.clicked.connect(lambda: panel.add_ticket())
    panel.pick_button = QtWidgets.QPushButton()
    panel.pick_button.clicked.connect(panel.pickRequested.emit)
    panel.dispatch_button = QtWidgets.QPushButton()
    panel.dispatch_button.clicked.connect(lambda: panel.dispatch())
    panel.dispatch_label = QtWidgets.QLabel("")
    panel.dispatch_label.setWordWrap(True)
    form = FlowLayout()
    panel.site_label, panel.kind_label, panel.skill_label, panel.deadline_label = (QtWidgets.QLabel() for _ in range(4))
    for w in (
        panel.site_label,
        panel.site_edit,
        panel.pick_button,
        panel.kind_label,
        panel.kind_edit,
        panel.skill_label,
        panel.skill_edit,
        panel.duration_edit,
        panel.deadline_label,
        panel.deadline_edit,
        panel.add_button,
        panel.dispatch_button,
    ):
        form.addWidget(w)
    form.addStretch(1)
    tickets_page = QtWidgets.QWidget()
    tl = QtWidgets.QVBoxLayout(tickets_page)
    tl.setContentsMargins(2, 2, 2, 2)
    tl.addLayout(form)
    tl.addWidget(panel.dispatch_label)
    tl.addWidget(panel.ticket_view, 1)
    return tickets_page


def build_layout(panel, top, tickets_page) -> None:
    """The Gantt (an image in a scroll area), the four tabs; the top row, the notes, the tabs."""
    panel.gantt_label = QtWidgets.QLabel()
    panel.gantt_label.setAlignment(QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignTop)
    panel.gantt_scroll = QtWidgets.QScrollArea()
    panel.gantt_scroll.setWidget(panel.gantt_label)
    panel.gantt_scroll.setWidgetResizable(False)
    panel.tabs = QtWidgets.QTabWidget()
    for w in (panel.roster_view, panel.duty_view, tickets_page, panel.gantt_scroll):
        panel.tabs.addTab(w, "")
    lay = QtWidgets.QVBoxLayout(panel)
    lay.setContentsMargins(4, 4, 4, 4)
    lay.addLayout(top)
    lay.addWidget(panel.off_time)
    lay.addWidget(panel.status)
    lay.addWidget(panel.tabs, 1)


def table_view(model) -> QtWidgets.QTableView:
    v = QtWidgets.QTableView()
    v.setModel(sorting_proxy(model, v))
    v.setSortingEnabled(True)
    v.horizontalHeader().setSortIndicator(-1, QtCore.Qt.SortOrder.AscendingOrder)  # the plan's order first
    v.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
    v.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
    v.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
    v.verticalHeader().setVisible(False)
    v.setAlternatingRowColors(True)
    return v
