"""The output actions of the main window: File → Print layout…, File → Export report…, View → Presentation mode.

``add_output_actions(window)`` is called once at the end of ``MainWindow.__init__``.
"""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from heatgis.errors import HeatGISError


class OutputActions(QtCore.QObject):
    """The actions and their slots (kept on ``window.output_actions``)."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        w = window
        A = QtGui.QAction
        self.print_layout = A(w, shortcut=QtGui.QKeySequence("Ctrl+P"), triggered=self.open_print_dialog)
        self.export_report = A(w, triggered=self.export_report_dialog)
        self.presentation = A(w, shortcut=QtGui.QKeySequence("F5"), triggered=self.start_presentation)
        self.published = A(w, triggered=self.show_published)
        self.issues = A(w, triggered=self.edit_open_issues)
        menu = w.acts.file_menu
        quit_ = w.acts.quit
        menu.insertAction(quit_, self.print_layout)
        menu.insertAction(quit_, self.export_report)
        menu.insertAction(quit_, self.issues)
        menu.insertAction(quit_, self.published)
        menu.insertSeparator(quit_)
        w.acts.view_menu.addSeparator()
        w.acts.view_menu.addAction(self.presentation)
        self.dialog = None
        self.presenter = None
        self.last_files = None
        self.ask_folder = self._ask_folder_dialog
        self.ask_issues = self._ask_issues_dialog
        self.retranslate()
        for a in (self.print_layout, self.export_report, self.presentation, self.published, self.issues):
            a.setEnabled(w.session is not None)
        w.projectLoaded.connect(self._loaded)

    def retranslate(self) -> None:
        self.print_layout.setText(self.tr("&Print layout…"))
        self.export_report.setText(self.tr("Export &report (xlsx, pptx)…"))
        self.presentation.setText(self.tr("Presentation mode"))
        self.published.setText(self.tr("Published reports…"))
        self.issues.setText(self.tr("Open issues for the meeting…"))

    def _loaded(self) -> None:
        for a in (self.print_layout, self.export_report, self.presentation, self.published, self.issues):
            a.setEnabled(True)

    def open_print_dialog(self, modal: bool = True):
        from heatgis.gui.dialogs.print_dialog import PrintDialog

        if self.window.session is None:
            return None
        self.dialog = PrintDialog(self.window)
        if modal:
            self.dialog.exec()
        else:
            self.dialog.show()
        return self.dialog

    def current_plans(self) -> dict:
        """The plans the window holds for the session's time: ``write_report``'s staffing, crew_plan, ops_plan.

        A plan made for another time, or marked out of date (the zones changed since), is left out,
        so the report plans it afresh exactly as ``heatgis report`` would.
        """
        s = self.window.session
        docks = getattr(self.window, "plans", None)
        out = {"staffing": None, "crew_plan": None, "ops_plan": None}
        if s is None or docks is None:
            return out
        at = s.at
        st = docks.staffing
        if st is not None and st.plan is not None and not st.stale and st.plan.at == at:
            out["staffing"] = st.plan
        rt = docks.routes
        p = rt.plan if rt is not None else None
        if p is not None and not rt.stale and p.shift_start <= at < p.shift_end:
            out["crew_plan"] = p
        co = docks.crewops
        p = co.plan if co is not None else None
        if p is not None and not getattr(co, "stale", False) and p.at == at:
            out["ops_plan"] = p
            out["crew_plan"] = None  # the report's single shift is then the operations plan's, as in heatgis report
        return out

    def _report_args(self, plans: bool):
        """(options, keywords) of the app's ``write_report``: the plans it has, the CLI's defaults for the rest.

        The map is drawn by a copy of the screen's renderer (style, basemap, locked rings), so the screen
        keeps painting meanwhile; it keeps the screen's plan overlays only for the plans handed over (a
        plan of another time is not printed: the report plans that one afresh and draws it).
        """
        from heatgis.export.published import data_version
        from heatgis.export.report import ReportOptions
        from heatgis.render.mapdraw import MapRenderer

        s = self.window.session
        given = self.current_plans() if plans else {}
        renderer = MapRenderer(s.project, s.renderer.style.copy(), s.at)
        drop = set()
        if given.get("staffing") is None:
            drop.add(id(s.staffing_overlay))
        if given.get("crew_plan") is None:
            drop.add(id(s.routes_overlay))
        renderer.overlays = [ov for ov in s.renderer.overlays if id(ov) not in drop]
        renderer.set_basemap(s.renderer.basemap)  # the screen's offline basemap is in the report too
        renderer.highlight.set_locked(s.locked_xy())
        data = data_version(s.project, unsaved=not s.stack.is_clean)
        return ReportOptions(plans=plans, landscape=True, lang=renderer.style.lang), dict(
            at=s.at, renderer=renderer, data=data, **given
        )

    def write_report(self, folder, plans: bool = True):
        """Write report.xlsx and briefing.pptx (and map.pdf/png) into ``folder``; the session's time and style.

        With ``plans`` (default) the report carries the staffing and crew plans: the ones the window
        has for this time (``current_plans``), the others planned as ``heatgis report`` plans them.
        """
        from heatgis.export.report import write_report

        s = self.window.session
        if s is None or not folder:
            return None
        QtWidgets.QApplication.setOverrideCursor(QtCore.Qt.CursorShape.WaitCursor)
        try:
            options, kw = self._report_args(plans)
            files = write_report(s.project, folder, options, **kw)
        except HeatGISError as exc:
            self.window.report_error(exc)
            return None
        finally:
            QtWidgets.QApplication.restoreOverrideCursor()
        self.last_files = files
        self.keep_record(files)
        self.window.show_message(self.tr("Wrote {0} and {1}").format(files.xlsx, files.pptx))
        return files

    def keep_record(self, files) -> None:
        """The report's record in the project's metadata (a command: saved with the project), unless the
        project is the bundled demo (then ``published.json`` beside the outputs holds it)."""
        from heatgis.export.published import META_KEY, with_record
        from heatgis.model.commands import SetMeta
        from heatgis.paths import is_bundled_demo

        s = self.window.session
        if files.record is None or s is None or is_bundled_demo(s.project.path):
            return
        db = getattr(self.window, "db", None)
        if db is not None and db.read_only:  # a viewer cannot save it: published.json beside the outputs holds it
            return
        self.window.run_command(
            SetMeta(META_KEY, with_record(s.project, files.record), self.tr("record the published report"))
        )

    def published_records(self) -> list:
        """The records of the project and of the last report folder (newest last, each once)."""
        from heatgis.export.published import folder_records, project_records

        s = self.window.session
        if s is None:
            return []
        recs = project_records(s.project)
        if self.last_files is not None:
            recs += folder_records(self.last_files.xlsx.parent)
        seen, out = set(), []
        for r in sorted(recs, key=lambda r: str(r.get("published"))):
            key = (r.get("published"), r.get("out"))
            if key not in seen:
                seen.add(key)
                out.append(r)
        return out

    def show_published(self, modal: bool = True):
        """File → Published reports…: what each report told the meeting (figures, data version, files)."""
        from heatgis.export.published import record_lines

        recs = self.published_records()
        d = QtWidgets.QDialog(self.window)
        d.setWindowTitle(self.tr("Published reports"))
        text = QtWidgets.QPlainTextEdit(d)
        text.setReadOnly(True)
        lang = "zh" if self.window.lang.startswith("zh") else "en"
        body = "\n\n".join("\n".join(record_lines(r, lang)) for r in reversed(recs))
        text.setPlainText(body or self.tr("No report has been published from this project yet."))
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Close, parent=d)
        buttons.rejected.connect(d.reject)
        lay = QtWidgets.QVBoxLayout(d)
        lay.addWidget(text)
        lay.addWidget(buttons)
        d.resize(900, 500)
        self.published_dialog = d
        if modal:
            d.exec()
        else:
            d.show()
        return d

    def export_report_dialog(self) -> None:
        folder = self.ask_folder()
        if folder:
            self.write_report_in_background(folder)

    def write_report_in_background(self, folder, plans: bool = True) -> None:
        """``write_report`` in a worker thread, with the status-bar progress (a report takes seconds).

        The worker draws with its own renderer (same style, time and overlays as the screen),
        so the map on screen keeps painting while the files are written. The plans are those of
        ``write_report``.
        """
        from heatgis.export.report import write_report

        s = self.window.session
        if s is None or not folder:
            return
        project = s.project
        options, kw = self._report_args(plans)

        def work(feedback):
            return write_report(project, folder, options, feedback=feedback, **kw)

        def done(files):
            self.last_files = files
            self.keep_record(files)
            self.window.show_message(self.tr("Wrote {0} and {1}").format(files.xlsx, files.pptx))

        self.window._run(work, done, self.tr("Writing the report to {0}").format(folder))

    def edit_open_issues(self) -> bool:
        """The open issues the planner types for the decisions slide, one a line, kept in the project
        (``open_issues``, a command on the one stack)."""
        import json

        from heatgis.export.briefing import OPEN_ISSUES_KEY, open_issues
        from heatgis.model.commands import SetMeta

        s = self.window.session
        if s is None:
            return False
        text = self.ask_issues("\n".join(open_issues(s.project)))
        if text is None:
            return False
        items = [line.strip() for line in str(text).splitlines() if line.strip()]
        if items == open_issues(s.project):
            return False
        value = json.dumps(items, ensure_ascii=False) if items else None
        return self.window.run_command(SetMeta(OPEN_ISSUES_KEY, value, self.tr("edit the open issues")))

    def _ask_issues_dialog(self, current: str):
        text, ok = QtWidgets.QInputDialog.getMultiLineText(
            self.window,
            self.tr("Open issues for the meeting"),
            self.tr("What the command meeting must decide, one a line (the briefing's last slide):"),
            current,
        )
        return text if ok else None

    def _ask_folder_dialog(self) -> str:
        return QtWidgets.QFileDialog.getExistingDirectory(self.window, self.tr("Folder for the report"))

    def start_presentation(self, full_screen: bool = True):
        from heatgis.gui.presentation import PresentationWindow

        if self.window.session is None:
            return None
        self.presenter = PresentationWindow(self.window)
        if full_screen:
            self.presenter.showFullScreen()
        else:
            self.presenter.show()
        self.presenter.activateWindow()
        self.presenter.setFocus()
        return self.presenter


def add_output_actions(window) -> OutputActions:
    """Add Print layout…, Export report… (File) and Presentation mode (View, F5) to ``window``."""
    window.output_actions = OutputActions(window)
    return window.output_actions
