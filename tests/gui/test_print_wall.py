"""File → Print layout: the planner picks the sheet (A4 ... A0), the wall layout and the text size."""

from __future__ import annotations


def test_print_dialog_sheet_wall_and_text_size(demo_window, qtbot, tmp_path):
    win = demo_window
    dlg = win.output_actions.open_print_dialog(modal=False)
    qtbot.addWidget(dlg)
    assert [dlg.paper.itemText(i) for i in range(dlg.paper.count())] == ["A4", "A3", "A2", "A1", "A0"]
    assert not dlg.wall.isChecked() and not dlg.spec().wall
    dlg.paper.setCurrentText("A0")
    spec = dlg.spec()
    assert dlg.wall.isChecked() and spec.wall and spec.paper == "A0" and spec.min_text_pt == 14
    dlg.paper.setCurrentText("A3")
    dlg.wall.setChecked(True)  # an A3 on the wall
    dlg.text_size.setCurrentIndex(dlg.text_size.findText("150%"))
    spec = dlg.spec()
    assert spec.paper == "A3" and spec.wall and spec.text_scale == 1.5
    dlg.update_preview()
    assert not dlg.preview.pixmap().isNull()
    # an A0 PNG at 300 dpi: refused with the fix, nothing written
    dlg.paper.setCurrentText("A0")
    dlg.dpi.setCurrentIndex(dlg.dpi.findData(300))
    assert dlg.export_png(tmp_path / "a0.png") == ""
    assert win._errors and "150 dpi" in str(win._errors[-1]) and not (tmp_path / "a0.png").exists()
    dlg.close()
