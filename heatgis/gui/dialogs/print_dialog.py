"""File → Print layout…: paper, orientation, dpi, title, extent; live preview; PDF, PNG, printer.

The dialog collects plain values and calls the same functions as ``heatgis report``
(``heatgis.export.pages`` / ``heatgis.export.pdf``); the preview is the page
itself, painted by the one layout function. PDF and PNG are written in a worker
thread with a renderer of their own, behind a progress bar. The map is the session's renderer,
so the plans on screen (staffing status rings, crew routes, a dispatch — the
renderer's ``overlays``) are printed with their legend entries unless "Plans on
the map" is unchecked.
"""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from heatgis.errors import HeatGISError


class PrintDialog(QtWidgets.QDialog):
    """Print layout of the window's session.

    Parameters
    ----------
    window : MainWindow
        Its session (project, renderer, time) and its canvas (current extent).

    ``ask_path(kind)`` (kind "pdf" or "png") returns a path or "" and may be
    replaced by tests.
    """

    def __init__(self, window, parent=None):
        super().__init__(parent or window)
        from heatgis.export.pages import default_titles

        self.window = window
        self.session = window.session
        self.setWindowTitle(self.tr("Print layout"))
        self.result = self.session.engine.compute(self.session.project.layer("lockdown_zones"), self.session.at)
        self.lang = self.session.renderer.style.lang
        t, st = default_titles(self.session.project, self.result, self.lang)
        self.paper = QtWidgets.QComboBox()
        self.paper.addItems(["A4", "A3", "A2", "A1", "A0"])
        self.text_size = QtWidgets.QComboBox()
        for pct in (100, 125, 150, 200):
            self.text_size.addItem(f"{pct}%", pct / 100.0)
        self.wall = QtWidgets.QCheckBox(self.tr("Wall map (readable from 2 m)"))
        self.wall.setToolTip(
            self.tr("No text below 14 pt; the map's symbols and labels grow with the sheet (A2, A1, A0: on)")
        )
        self.paper.currentTextChanged.connect(lambda p: self.wall.setChecked(p in ("A2", "A1", "A0")))
        self.orientation = QtWidgets.QComboBox()
        self.orientation.addItem(self.tr("Landscape"), True)
        self.orientation.addItem(self.tr("Portrait"), False)
        self.dpi = QtWidgets.QComboBox()
        self.dpi.addItem("150 dpi", 150)
        self.dpi.addItem("300 dpi", 300)
        self.title = QtWidgets.QLineEdit(t)
        self.subtitle = QtWidgets.QLineEdit(st)
        self.plans = QtWidgets.QCheckBox(self.tr("Plans on the map (staffing, crew routes)"))
        self.plans.setChecked(True)
        self.plans.setEnabled(self.has_plans())
        self.extent = QtWidgets.QComboBox()
        self.extent.addItem(self.tr("Current map extent"), "current")
        self.extent.addItem(self.tr("Whole city"), "city")
        d = self.session.project.layer("districts")
        for name in d["name"].astype(str) if len(d) else []:
            self.extent.addItem(name, f"district:{name}")
        self.scale = QtWidgets.QComboBox(editable=True)
        self.scale.setInsertPolicy(QtWidgets.QComboBox.InsertPolicy.NoInsert)
        self.scale.setToolTip(self.tr("Type a scale (1:25000) or pick one; Auto: the round scale that fits"))
        self.scale.addItem(self.tr("Auto"))
        from heatgis.render.layout import nice_scales

        for d in nice_scales(1000, 1_000_000):
            self.scale.addItem(f"1:{d:,}")
        self.preview = QtWidgets.QLabel(alignment=QtCore.Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(560, 400)
        self.preview.setStyleSheet("background: #8a8f96;")
        form = QtWidgets.QFormLayout()
        form.addRow(self.tr("Paper"), self.paper)
        form.addRow(self.tr("Orientation"), self.orientation)
        form.addRow("", self.wall)
        form.addRow(self.tr("Text size"), self.text_size)
        form.addRow(self.tr("PNG resolution"), self.dpi)
        form.addRow(self.tr("Title"), self.title)
        form.addRow(self.tr("Subtitle"), self.subtitle)
        form.addRow(self.tr("Map"), self.extent)
        form.addRow(self.tr("Scale"), self.scale)
        form.addRow("", self.plans)
        buttons = QtWidgets.QDialogButtonBox()
        self.pdf_button = buttons.addButton(self.tr("Export PDF…"), QtWidgets.QDialogButtonBox.ButtonRole.ActionRole)
        self.png_button = buttons.addButton(self.tr("Export PNG…"), QtWidgets.QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button = buttons.addButton(self.tr("Print…"), QtWidgets.QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QtWidgets.QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.pdf_button.clicked.connect(lambda: self._ask_and(self.export_pdf, "pdf"))
        self.png_button.clicked.connect(lambda: self._ask_and(self.export_png, "png"))
        self.print_button.clicked.connect(self.print_dialog)
        left = QtWidgets.QVBoxLayout()
        left.addLayout(form)
        left.addStretch(1)
        top = QtWidgets.QHBoxLayout()
        top.addLayout(left, 1)
        top.addWidget(self.preview, 2)
        self.progress = QtWidgets.QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setVisible(False)
        self._workers: list = []
        lay = QtWidgets.QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.progress)
        lay.addWidget(buttons)
        self.ask_path = self._ask_path_dialog
        self._timer = QtCore.QTimer(self, singleShot=True, interval=250, timeout=self.update_preview)
        for w in (self.paper, self.orientation, self.extent, self.text_size):
            w.currentIndexChanged.connect(self._timer.start)
        self.wall.toggled.connect(self._timer.start)
        for w in (self.title, self.subtitle):
            w.textChanged.connect(self._timer.start)
        self.plans.toggled.connect(self._timer.start)
        self.scale.currentTextChanged.connect(self._timer.start)
        self.resize(1100, 620)
        self.update_preview()

    # ------------------------------------------------------------------ values
    def spec(self):
        from heatgis.render.layout import PageSpec

        return PageSpec(
            self.paper.currentText(),
            bool(self.orientation.currentData()),
            int(self.dpi.currentData()),
            text_scale=float(self.text_size.currentData()),
            wall=self.wall.isChecked(),
        )

    def page(self):
        from heatgis.export.pages import situation_page

        choice = self.extent.currentData()
        extent, district = None, None
        if choice == "current":
            ctx = self.window.canvas.view_context()
            extent = ctx.extent
        elif choice and choice.startswith("district:"):
            district = choice.split(":", 1)[1]
        page = situation_page(
            self.session.project,
            self.result,
            self.renderer(),
            extent=extent,
            district=district,
            title=self.title.text(),
            subtitle=self.subtitle.text(),
            lang=self.lang,
        )
        page.scale = self.chosen_scale()
        self._add_change(page)
        return page

    def _add_change(self, page) -> None:
        """The change since a day earlier on the KPI tiles, the new and lifted zones under the subtitle
        (as ``heatgis report`` prints them)."""
        from heatgis.analysis.change import change_since
        from heatgis.export.briefing import kpi_changes, zones_line

        if getattr(self, "_change", None) is None:
            s = self.session
            self._change = change_since(s.project, s.at, engine=s.engine, result=self.result)
        page.kpi_changes = kpi_changes(self._change, self.lang)
        if not page.highlight:
            page.highlight = zones_line(self._change, self.lang)

    def chosen_scale(self) -> float | None:
        """The scale typed or picked (None: Auto, the round scale that fits; a bad entry is marked red)."""
        from heatgis.render.layout import parse_scale

        text = self.scale.currentText()
        if self.scale.currentIndex() == 0 and text == self.scale.itemText(0):
            value = None
        else:
            try:
                value = parse_scale(text)
            except HeatGISError:
                self.scale.setStyleSheet("QComboBox { border: 1px solid #d62728; }")
                return None
        self.scale.setStyleSheet("")
        return value

    def has_plans(self) -> bool:
        """Does any of the session's overlays show something (a legend entry)?"""
        from heatgis.render.overlays import legend_entries

        return bool(legend_entries(self.session.renderer.overlays, self.lang))

    def renderer(self):
        """The session's renderer (its prepared layers, style and overlays), locked sites ringed.

        With "Plans on the map" unchecked, a shallow copy without the overlays
        (the session's map keeps its own).
        """
        import copy

        r = self.session.renderer
        r.highlight.set_locked(self.session.locked_xy())
        if not self.plans.isChecked() and r.overlays:
            r = copy.copy(r)
            r.overlays = []
        return r

    # ------------------------------------------------------------------ outputs
    def update_preview(self) -> QtGui.QImage:
        from heatgis.export.pdf import page_image

        img = page_image(self.page(), self.spec(), self.renderer(), width_px=900)
        self.preview_image = img
        pix = QtGui.QPixmap.fromImage(img).scaled(
            self.preview.size(),
            QtCore.Qt.AspectRatioMode.KeepAspectRatio,
            QtCore.Qt.TransformationMode.SmoothTransformation,
        )
        self.preview.setPixmap(pix)
        return img

    def export_pdf(self, path) -> str:
        """Write the page as a vector PDF in a worker thread (``wait()`` blocks until it is done)."""
        from heatgis.export.pdf import write_pdf

        page, spec, r = self.page(), self.spec(), self.own_renderer()
        return self._in_background(lambda feedback: write_pdf([page], spec, path, r, feedback=feedback), path)

    def export_png(self, path) -> str:
        """Write the page as a PNG at the chosen dpi in a worker thread."""
        from heatgis.export.pdf import write_png

        page, spec, r = self.page(), self.spec(), self.own_renderer()
        try:
            spec.check_png()  # an A0 at 300 dpi would not fit in memory
        except HeatGISError as exc:
            self.window.report_error(exc)
            return ""
        return self._in_background(lambda feedback: write_png(page, spec, path, r), path)

    def own_renderer(self):
        """A renderer of its own for the worker: the screen's style, time, locked rings and (unless
        "Plans on the map" is off) plans; the map on screen keeps painting with the session's."""
        from heatgis.render.mapdraw import MapRenderer

        s = self.session
        r = MapRenderer(s.project, s.renderer.style.copy(), s.at)
        r.overlays = list(s.renderer.overlays) if self.plans.isChecked() else []
        r.highlight.set_locked(s.locked_xy())
        r.set_basemap(s.renderer.basemap)  # the screen's offline basemap prints too
        return r

    def _in_background(self, work, target) -> str:
        from heatgis.gui.workers import Worker

        w = Worker(work, self, bar=self.progress)
        self._workers.append(w)
        self.progress.setValue(0)
        self.progress.setVisible(True)
        for b in (self.pdf_button, self.png_button):
            b.setEnabled(False)
        w.done.connect(lambda _r: self.window.show_message(self.tr("Wrote {0}").format(target)))
        w.failed.connect(lambda exc, _tb: self.window.report_error(exc))
        w.finished.connect(lambda: self._finished(w))
        w.start()
        return str(target)

    def _finished(self, w) -> None:
        if w in self._workers:
            self._workers.remove(w)
        if not self._workers:
            self.progress.setVisible(False)
            for b in (self.pdf_button, self.png_button):
                b.setEnabled(True)
        w.deleteLater()

    def wait(self, ms: int = 60000) -> None:
        """Block until the exports are written and reported (scripts, tests, closing)."""
        for w in list(self._workers):
            try:
                w.wait(ms)
            except RuntimeError:  # already deleted
                pass
        QtCore.QCoreApplication.processEvents()

    def done(self, result) -> None:  # closing waits for a running export instead of killing it
        self.wait()
        super().done(result)

    def print_to(self, printer) -> int:
        from heatgis.export.pdf import print_pages

        return self._do(lambda: print_pages(printer, [self.page()], self.spec(), self.renderer()), "printer")

    def print_dialog(self) -> None:
        from PySide6 import QtPrintSupport

        printer = QtPrintSupport.QPrinter(QtPrintSupport.QPrinter.PrinterMode.HighResolution)
        printer.setPageLayout(self.spec().page_layout())
        dlg = QtPrintSupport.QPrintDialog(printer, self)
        if dlg.exec() == QtWidgets.QDialog.DialogCode.Accepted:
            self.print_to(printer)

    def _do(self, work, target):
        QtWidgets.QApplication.setOverrideCursor(QtCore.Qt.CursorShape.WaitCursor)
        try:
            out = work()
        except HeatGISError as exc:
            self.window.report_error(exc)
            return None
        finally:
            QtWidgets.QApplication.restoreOverrideCursor()
        self.window.show_message(self.tr("Wrote {0}").format(target))
        return out

    def _ask_and(self, fn, kind) -> None:
        path = self.ask_path(kind)
        if path:
            fn(path)

    def _ask_path_dialog(self, kind: str) -> str:
        filt = self.tr("PDF (*.pdf)") if kind == "pdf" else self.tr("PNG image (*.png)")
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self, self.tr("Export"), f"map.{kind}", filt)
        if path and not path.lower().endswith(f".{kind}"):
            path += f".{kind}"
        return path
