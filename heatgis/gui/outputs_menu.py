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
        menu = w.acts.file_menu
        quit_ = w.acts.quit
        menu.insertAction(quit_, self.print_layout)
        menu.insertAction(quit_, self.export_report)
        menu.insertSeparator(quit_)
        w.acts.view_menu.addSeparator()
        w.acts.view_menu.addAction(self.presentation)
        self.dialog = None
        self.presenter = None
        self.last_files = None
        self.ask_folder = self._ask_folder_dialog
        self.retranslate()
        for a in (self.print_layout, self.export_report, self.presentation):
            a.setEnabled(w.session is not None)
        w.projectLoaded.connect(self._loaded)

    def retranslate(self) -> None:
        self.print_layout.setText(self.tr("&Print layout…"))
        self.export_report.setText(self.tr("Export &report (xlsx, pptx)…"))
        self.presentation.setText(self.tr("Presentation mode"))

    def _loaded(self) -> None:
        for a in (self.print_layout, self.export_report, self.presentation):
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

    def write_report(self, folder, plans: bool = False):
        """Write report.xlsx and briefing.pptx (and map.pdf/png) into ``folder``; the session's time and style."""
        from heatgis.export.report import ReportOptions, write_report

        s = self.window.session
        if s is None or not folder:
            return None
        QtWidgets.QApplication.setOverrideCursor(QtCore.Qt.CursorShape.WaitCursor)
        try:
            r = s.renderer
            r.highlight.set_locked(s.locked_xy())
            files = write_report(
                s.project,
                folder,
                ReportOptions(plans=plans, landscape=True, lang=r.style.lang),
                at=s.at,
                staffing=getattr(self.window, "staffing_plan", None),
                crew_plan=getattr(self.window, "crew_plan", None),
                renderer=r,
            )
        except HeatGISError as exc:
            self.window.report_error(exc)
            return None
        finally:
            QtWidgets.QApplication.restoreOverrideCursor()
        self.window.show_message(self.tr("Wrote {0} and {1}").format(files.xlsx, files.pptx))
        return files

    def export_report_dialog(self) -> None:
        folder = self.ask_folder()
        if folder:
            self.write_report_in_background(folder)

    def write_report_in_background(self, folder, plans: bool = False) -> None:
        """``write_report`` in a worker thread, with the status-bar progress (a report takes seconds).

        The worker draws with its own renderer (same style, time and overlays as the screen),
        so the map on screen keeps painting while the files are written.
        """
        from heatgis.export.report import ReportOptions, write_report
        from heatgis.render.mapdraw import MapRenderer

        s = self.window.session
        if s is None or not folder:
            return
        r = MapRenderer(s.project, s.renderer.style.copy(), s.at)
        r.overlays = list(s.renderer.overlays)
        r.highlight.set_locked(s.locked_xy())
        project, at = s.project, s.at
        staffing = getattr(self.window, "staffing_plan", None)
        crew_plan = getattr(self.window, "crew_plan", None)

        def work(feedback):
            return write_report(
                project,
                folder,
                ReportOptions(plans=plans, landscape=True, lang=r.style.lang),
                at=at,
                staffing=staffing,
                crew_plan=crew_plan,
                renderer=r,
                feedback=feedback,
            )

        def done(files):
            self.last_files = files
            self.window.show_message(self.tr("Wrote {0} and {1}").format(files.xlsx, files.pptx))

        self.window._run(work, done, self.tr("Writing the report to {0}").format(folder))

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
