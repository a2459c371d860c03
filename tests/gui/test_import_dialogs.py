"""The import and notice dialogs (pytest-qt, offscreen): their output equals the core functions'."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from heatgis.io.importer import import_layer  # noqa: E402
from heatgis.model.commands import UndoStack  # noqa: E402
from heatgis.model.project import Project  # noqa: E402
from tests.core import io_fixtures as F  # noqa: E402
from tests.core.conftest import tiny_project  # noqa: E402,F401  (fixture)

pytest.importorskip("pytestqt")


def test_import_dialog_xlsx_matches_core(qtbot, tmp_path, tiny_project):
    from heatgis.gui.dialogs.import_dialog import ImportDialog

    path = F.wan_xlsx(tmp_path)
    stack = UndoStack(tiny_project)
    dlg = ImportDialog(tiny_project, stack=stack)
    qtbot.addWidget(dlg)
    dlg.set_layer("stations")
    dlg.set_mode("replace")
    dlg.set_file(path)
    assert dlg.preview.rowCount() == 5
    headers = [dlg.preview.horizontalHeaderItem(i).text() for i in range(dlg.preview.columnCount())]
    assert "供热面积（万㎡）" in headers and dlg.preview.item(0, headers.index("站名")).text() == "青城花园换热站"
    m = dlg.mapping()
    assert m.fields["heated_area_m2"].source == "供热面积（万㎡）" and m.fields["heated_area_m2"].factor == 10000
    dlg.accept()
    assert dlg.result is not None, dlg.notes.toPlainText()
    core = import_layer(Project(), path, "stations")
    pd.testing.assert_frame_equal(
        pd.DataFrame(tiny_project.layer("stations").drop(columns="geometry")),
        pd.DataFrame(core.frame.drop(columns="geometry")),
    )
    assert stack.can_undo
    stack.undo()
    assert tiny_project.layer("stations")["station_id"].tolist() == [f"S{i}" for i in range(1, 7)]


def test_import_dialog_gbk_gcj_and_errors(qtbot, tmp_path, tiny_project):
    from heatgis.gui.dialogs.import_dialog import CONSTANT, NONE, ImportDialog

    before = tiny_project.layer("stations").copy()
    dlg = ImportDialog(tiny_project)
    qtbot.addWidget(dlg)
    dlg.set_layer("stations")
    dlg.set_mode("replace")
    dlg.set_file(F.gcj_csv(tmp_path, encoding="gbk"))
    assert "GB18030" in dlg.notes.toPlainText()
    dlg.set_from_crs("gcj02")
    r = dlg.check()
    assert r is not None and r.converted[0] == "GCJ-02 → WGS84"
    assert "GCJ-02 → WGS84" in dlg.notes.toPlainText()
    # a planner unmaps a required field: the dialog says so and stays open, project untouched
    dlg.set_mapping_cell("depot_id", NONE)
    dlg.accept()
    assert "depot_id" in dlg.notes.toPlainText() and dlg.result is None
    pd.testing.assert_frame_equal(tiny_project.layer("stations"), before)
    # a constant instead
    dlg.set_mapping_cell("depot_id", CONSTANT, "D7")
    dlg.accept()
    assert tiny_project.layer("stations")["depot_id"].tolist() == ["D7"] * 5
    # an empty file
    (tmp_path / "e.csv").write_bytes(b"")
    dlg2 = ImportDialog(tiny_project)
    qtbot.addWidget(dlg2)
    dlg2.set_file(tmp_path / "e.csv")
    assert "the file is empty" in dlg2.notes.toPlainText()


def test_import_dialog_asks_replace_or_append_when_the_layer_has_rows(qtbot, tmp_path, tiny_project):
    """By default the dialog asks; cancelling imports nothing, append keeps the old rows."""
    from heatgis.gui.dialogs.import_dialog import ImportDialog

    asked = []
    answers = iter([None, "append", "replace"])
    dlg = ImportDialog(tiny_project)
    qtbot.addWidget(dlg)
    dlg.ask_mode = lambda layer, rows: asked.append((layer, rows)) or next(answers)
    assert dlg.mode_combo.currentData() == "ask"
    dlg.set_layer("stations")
    dlg.set_file(F.wan_xlsx(tmp_path))
    dlg.accept()
    assert asked == [("stations", 6)] and len(tiny_project.layer("stations")) == 6
    assert "choose replace or append" in dlg.notes.toPlainText()
    dlg.accept()  # append: the file's ids S1..S5 are taken, the dialog says so and stays open
    assert len(tiny_project.layer("stations")) == 6 and len(asked) == 2
    assert "already in layer 'stations'" in dlg.notes.toPlainText()
    dlg.accept()
    assert len(tiny_project.layer("stations")) == 5 and len(asked) == 3
    # an empty layer is filled without a question
    p = Project()
    dlg2 = ImportDialog(p)
    qtbot.addWidget(dlg2)
    dlg2.ask_mode = lambda layer, rows: pytest.fail("asked for an empty layer")
    dlg2.set_layer("stations")
    dlg2.set_file(F.wan_xlsx(tmp_path))
    dlg2.accept()
    assert len(p.layer("stations")) == 5


def test_notice_dialog(qtbot, demo_project):
    from PySide6 import QtCore

    from heatgis.gui.dialogs.notice_dialog import NoticeDialog
    from heatgis.io.notice_zones import notice_to_zones

    p = Project(dict(demo_project.layers), dict(demo_project.meta))
    n0 = len(p.layer("lockdown_zones"))
    text = (
        "呼和浩特市新冠肺炎疫情防控指挥部通告\n自2022年2月26日0时起，将以下区域划定为封控区：\n"
        "新城区：阳光花园、锦秀华府、内蒙古饭店、中海家园。\n特此通告。\n2022年2月26日"
    )
    stack = UndoStack(p)
    dlg = NoticeDialog(p, stack=stack)
    qtbot.addWidget(dlg)
    dlg.set_text(text)
    assert dlg.start_time() == pd.Timestamp("2022-02-26T00:00")
    assert dlg.unmatched.count() == 1 and dlg.unmatched.item(0).text() == "内蒙古饭店"
    r = dlg.row_of("锦秀华府")
    assert dlg.table.item(r, 0).checkState() == QtCore.Qt.Unchecked  # unchecked: a fuzzy match waits for the planner
    assert "锦绣华府" in dlg.table.cellWidget(r, 2).currentText()
    core = notice_to_zones(p, text)
    assert len(core.zones) == 2
    dlg.set_checked("锦秀华府")
    dlg.accept()
    z = p.layer("lockdown_zones")
    assert len(z) == n0 + 3
    assert set(z["name"].iloc[-3:]) == {"阳光花园", "锦绣华府", "中海家园"}
    stack.undo()
    assert len(p.layer("lockdown_zones")) == n0


def test_import_button_runs_in_a_worker(qtbot, tmp_path, tiny_project):
    """The Import button reads the file off the GUI thread, with a progress bar, then applies it."""
    from PySide6 import QtWidgets

    from heatgis.gui.dialogs.import_dialog import ImportDialog

    path = F.wan_xlsx(tmp_path)
    stack = UndoStack(tiny_project)
    dlg = ImportDialog(tiny_project, stack=stack)
    qtbot.addWidget(dlg)
    dlg.ask_mode = lambda layer, rows: "replace"  # the planner's answer to "replace or append?"
    dlg.set_layer("stations")
    dlg.set_file(path)
    with qtbot.waitSignal(dlg.accepted, timeout=60000):
        dlg.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok).click()
        assert dlg.worker is not None and not dlg.progress.isHidden()
    core = import_layer(Project(), path, "stations")
    assert tiny_project.layer("stations")["station_id"].tolist() == core.frame["station_id"].tolist()
    assert stack.can_undo
    qtbot.waitUntil(lambda: dlg.worker is None, timeout=10000)
    assert dlg.progress.isHidden()


def test_check_button_reports_problems_without_importing(qtbot, tmp_path, tiny_project):
    from heatgis.gui.dialogs.import_dialog import ImportDialog

    before = tiny_project.layer("stations").copy()
    (tmp_path / "e.csv").write_bytes(b"")
    dlg = ImportDialog(tiny_project)
    qtbot.addWidget(dlg)
    dlg.set_file(tmp_path / "e.csv")
    dlg.check_button.click()
    qtbot.waitUntil(lambda: dlg.worker is None, timeout=60000)
    assert "empty" in dlg.notes.toPlainText() and "e.csv" in dlg.notes.toPlainText()
    pd.testing.assert_frame_equal(tiny_project.layer("stations"), before)
