"""Print layout dialog, report export and presentation mode on the real main window (offscreen)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from PySide6 import QtCore, QtGui

from heatgis.gui.outputs_menu import add_output_actions

# the presentation screenshot is refreshed in docs/outputs only when asked (HEATGIS_UPDATE_DOCS=1);
# a normal test run writes nothing into the repository
DOCS = Path(__file__).resolve().parents[2] / "docs" / "outputs"


def test_menus_and_print_dialog(demo_window, qtbot, tmp_path):
    acts = add_output_actions(demo_window)
    assert acts.print_layout in demo_window.acts.file_menu.actions()
    assert acts.presentation in demo_window.acts.view_menu.actions()
    assert acts.presentation.shortcut().toString() == "F5"
    dlg = acts.open_print_dialog(modal=False)
    qtbot.addWidget(dlg)
    from heatgis.export.pages import default_titles

    assert (dlg.title.text(), dlg.subtitle.text()) == default_titles(demo_window.session.project, dlg.result, dlg.lang)
    assert "2022-02-25 08:00" in dlg.subtitle.text()
    assert dlg.preview_image.width() == 900 and not dlg.preview.pixmap().isNull()
    dlg.paper.setCurrentText("A3")
    dlg.title.setText("测试标题 呼和浩特")
    dlg.extent.setCurrentIndex(dlg.extent.findText("新城区"))
    pdf = dlg.export_pdf(tmp_path / "m.pdf")
    png = dlg.export_png(tmp_path / "m.png")
    assert len(dlg._workers) == 2 and not dlg.pdf_button.isEnabled()  # written in worker threads
    dlg.wait()
    assert dlg.pdf_button.isEnabled() and not dlg._workers
    img = QtGui.QImage(str(png))
    assert (img.width(), img.height()) == (2480, 1754)  # A3 landscape, 150 dpi
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        assert "测试标题 呼和浩特" in text and "新城区" in text
        assert "vs day before ±0" in text  # (the window is in English) the KPI tiles' change, as the impact panel
    # the session's figures are the ones printed
    t = demo_window.session.totals()
    assert dlg.result.totals.stations == t.stations


def test_print_to_pdf_printer(demo_window, qtbot, tmp_path):
    from PySide6 import QtPrintSupport

    acts = add_output_actions(demo_window)
    dlg = acts.open_print_dialog(modal=False)
    qtbot.addWidget(dlg)
    printer = QtPrintSupport.QPrinter()
    printer.setOutputFormat(QtPrintSupport.QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert dlg.print_to(printer) == 1
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(tmp_path / "printed.pdf")], capture_output=True, text=True).stdout
        assert "842 x 595 pts (A4)" in info


def test_export_report_action(demo_window, tmp_path, qtbot):
    from openpyxl import load_workbook

    acts = add_output_actions(demo_window)
    acts.ask_folder = lambda: str(tmp_path)
    acts.export_report_dialog()  # runs in a worker: the window stays responsive
    # nothing yet: the result can only arrive through the event loop, after this call returned
    assert acts.last_files is None and len(demo_window._workers) == 1
    assert demo_window.progress.isVisible() and demo_window.cancel_button.isVisible()
    demo_window.wait_for_workers(120000)
    qtbot.waitUntil(lambda: acts.last_files is not None, timeout=30000)
    wb = load_workbook(tmp_path / "report.xlsx")
    # the window is in English: so is the workbook (sheet names, labels)
    kpi = {r[0]: r[2] for r in wb["Summary"].iter_rows(min_row=2, values_only=True)}
    assert kpi["Locked stations"] == demo_window.session.totals().stations
    assert (tmp_path / "briefing.pptx").exists()


def test_export_report_cancel_button(demo_window, tmp_path, qtbot):
    """The status bar's Cancel button reaches the report's Feedback: no files, a message, no error."""
    acts = add_output_actions(demo_window)
    out = tmp_path / "report"
    out.mkdir()
    acts.ask_folder = lambda: str(out)
    acts.export_report_dialog()
    assert demo_window.cancel_button.isVisible()
    demo_window.cancel_button.click()
    demo_window.wait_for_workers(120000)
    qtbot.waitUntil(lambda: not demo_window._workers, timeout=30000)
    assert acts.last_files is None and demo_window._errors == []
    assert list(out.iterdir()) == [] and not demo_window.cancel_button.isVisible()
    assert demo_window.statusBar().currentMessage() == "Cancelled: nothing was changed"


def test_presentation_mode(demo_window, qtbot, tmp_path):
    acts = add_output_actions(demo_window)
    demo_window.canvas.zoom_full()
    pres = acts.start_presentation(full_screen=False)
    qtbot.addWidget(pres)
    pres.resize(1600, 900)
    qtbot.waitExposed(pres)
    start = pres.index
    assert pres.days[start].normalize() == demo_window.session.at.normalize()
    qtbot.keyClick(pres, QtCore.Qt.Key.Key_Right)
    assert pres.index == start + 1 and demo_window.session.at == pres.days[start + 1]
    tiles = dict((label, value) for label, value, _ in pres.tiles())
    assert any(v == str(demo_window.session.totals().stations) for v in tiles.values())
    qtbot.keyClick(pres, QtCore.Qt.Key.Key_Left)
    assert demo_window.session.at == pres.days[start]
    qtbot.keyClick(pres, QtCore.Qt.Key.Key_Space)
    assert pres.playing
    qtbot.keyClick(pres, QtCore.Qt.Key.Key_Space)
    assert not pres.playing
    img = pres.grab().toImage()
    assert img.width() == 1600
    target = DOCS if os.environ.get("HEATGIS_UPDATE_DOCS") else tmp_path
    target.mkdir(parents=True, exist_ok=True)
    img.save(str(target / "presentation.png"))
    qtbot.keyClick(pres, QtCore.Qt.Key.Key_Escape)
    assert not pres.isVisible()


def test_print_dialog_export_error_is_reported_and_buttons_come_back(demo_window, qtbot, tmp_path):
    acts = add_output_actions(demo_window)
    dlg = acts.open_print_dialog(modal=False)
    qtbot.addWidget(dlg)
    demo_window._errors.clear()
    dlg.export_pdf(tmp_path / "no" / "such" / "folder" / "m.pdf")
    dlg.wait()
    assert len(demo_window._errors) == 1
    text = str(demo_window._errors[0])
    assert "m.pdf" in text or "folder" in text
    assert dlg.pdf_button.isEnabled() and dlg.png_button.isEnabled() and not dlg._workers
