"""The import and notice dialogs in Chinese, driven through their error paths: what they show after an
action (no file, an unreadable file, a cancel, a refused mode, nothing matched, nothing checked) is
Chinese, the frame (translated by the GUI) and the core's own message (a ``heatgis.text.Text``) alike."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"

import re  # noqa: E402

import pytest  # noqa: E402

from heatgis.model.project import Project  # noqa: E402
from tests.core import io_fixtures as F  # noqa: E402
from tests.core.conftest import tiny_project  # noqa: E402,F401  (fixture)

pytest.importorskip("pytestqt")

CJK = re.compile(r"[\u4e00-\u9fff]")
#: three English words in a row: an English sentence left in a Chinese text
CJK_FREE_SENTENCE = re.compile(r"[A-Za-z]+(?: [A-Za-z]+){2,}")


@pytest.fixture
def zh(qapp):
    """The UI in Chinese for one test (the translator is removed afterwards)."""
    from heatgis.gui import i18n

    assert i18n.set_language(qapp, "zh"), "the zh_CN translations (.qm) did not load"
    yield
    i18n.set_language(qapp, "en")


def test_error_frame_in_chinese(zh):
    from heatgis.errors import HeatGISError, Problem
    from heatgis.gui.i18n import error_text

    exc = HeatGISError(
        "the value is not a number",
        "write a number",
        file="a.csv",
        layer="stations",
        row=3,
        field="households",
        problems=[Problem("a station has no name", "name it", severity="warning")],
    )
    assert error_text(exc) == (
        "错误：a.csv，图层 stations，第 3 行，字段 households：the value is not a number 解决办法：write a number\n"
        "  警告：a station has no name 解决办法：name it"
    )
    from heatgis.gui.i18n import problem_text

    assert problem_text(Problem("read as GB18030", severity="info")) == "提示：read as GB18030"
    assert error_text(ValueError("x")) == "x"


def test_error_frame_in_english_is_the_cores_text():
    from heatgis.errors import HeatGISError
    from heatgis.gui.i18n import error_text

    exc = HeatGISError("bad", "do x", file="a.csv", layer="stations", row=3, field="f")
    assert error_text(exc) == str(exc)


def test_import_dialog_error_paths_in_chinese(qtbot, tmp_path, tiny_project, zh):
    from PySide6 import QtCore, QtWidgets

    from heatgis.gui.dialogs.import_dialog import ImportDialog

    dlg = ImportDialog(tiny_project)
    qtbot.addWidget(dlg)
    assert dlg.windowTitle() == "导入数据"
    assert dlg.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok).text() == "导入"
    # Qt's own standard buttons come from Qt's translation (qtbase_zh_CN), installed with ours
    assert dlg.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Cancel).text() == "取消"
    assert dlg.mode_combo.itemText(0) == "图层已有数据时询问"
    # no file: both the Check button and check() say so in Chinese
    dlg.check_button.click()
    assert dlg.notes.toPlainText() == "请先选择文件。"
    assert dlg.check() is None and dlg.notes.toPlainText() == "请先选择文件。"
    # an empty file: the core's message in Chinese, in a Chinese frame
    (tmp_path / "e.csv").write_bytes(b"")
    dlg.set_file(tmp_path / "e.csv")
    shown = dlg.notes.toPlainText()
    assert shown == f"错误：{tmp_path / 'e.csv'}：文件是空的（0 字节） 解决办法：请重新导出或复制该文件"
    assert "the file is empty" not in shown and "error:" not in shown and "Fix:" not in shown
    # the Check button's worker on the same file: the failure arrives in Chinese too
    dlg.check_button.click()
    qtbot.waitUntil(lambda: dlg.worker is None, timeout=60000)
    assert dlg.notes.toPlainText() == shown
    # a table without coordinate columns: the core's message and fix in Chinese, the columns as they are
    (tmp_path / "nocoords.csv").write_text("站名,面积\n甲,1\n", encoding="utf-8")
    dlg.set_file(tmp_path / "nocoords.csv")
    shown = dlg.notes.toPlainText()
    assert "没有找到坐标列" in shown and "现有的列：站名、面积" in shown
    assert not CJK_FREE_SENTENCE.search(shown.replace(str(tmp_path), ""))
    # a file that reads: the preview line and the summary are Chinese around the file's own words
    dlg.set_layer("stations")
    dlg.set_mode("ask")
    dlg.set_file(F.wan_xlsx(tmp_path))
    assert "预览 5 行" in dlg.notes.toPlainText() and "rows previewed" not in dlg.notes.toPlainText()
    assert not CJK_FREE_SENTENCE.search(dlg.notes.toPlainText())
    # how the text was decoded: the core's reason in Chinese
    dlg.set_file(F.gcj_csv(tmp_path))
    assert "文本编码 UTF-8（文件可按 UTF-8 解码）" in dlg.notes.toPlainText()
    dlg.set_file(F.wan_xlsx(tmp_path))
    # the layer has rows: the question is Chinese; cancelling it imports nothing, said in Chinese
    seen = []

    def answer():
        box = QtWidgets.QApplication.activeModalWidget()
        seen.append((box.windowTitle(), box.text(), sorted(b.text() for b in box.buttons())))
        box.reject()

    QtCore.QTimer.singleShot(0, answer)
    dlg.accept()
    assert seen and seen[0][0] == "导入数据" and seen[0][1] == "图层 stations 已有 6 行。"
    assert {"追加", "替换"} <= set(seen[0][2])
    shown = dlg.notes.toPlainText()
    assert shown.endswith("未导入：请选择替换或追加。") and "行 → 图层 stations" in shown
    assert "rows → layer" not in shown and "not imported" not in shown
    # the notes of the check (units decided, coordinates read): the core's words in Chinese too
    assert "列名注明 万㎡" in shown and not CJK_FREE_SENTENCE.search(shown.replace(str(tmp_path), ""))
    assert len(tiny_project.layer("stations")) == 6
    # Cancel pressed while the file is read (the button clicked the moment the worker starts)
    from heatgis.gui import workers

    real_start = workers.Worker.start

    def start_then_cancel(self, *args):
        real_start(self, *args)
        dlg.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Cancel).click()

    workers.Worker.start = start_then_cancel
    try:
        dlg.start(apply=True)
        qtbot.waitUntil(lambda: dlg.worker is None, timeout=60000)
    finally:
        workers.Worker.start = real_start
    assert dlg.notes.toPlainText() == "已取消：未导入任何数据。"
    assert dlg.result is None and len(tiny_project.layer("stations")) == 6


def test_notice_dialog_error_paths_in_chinese(qtbot, tmp_path, demo_project, zh):
    from PySide6 import QtWidgets

    from heatgis.gui.dialogs.notice_dialog import NoticeDialog

    p = Project(dict(demo_project.layers), dict(demo_project.meta))
    n0 = len(p.layer("lockdown_zones"))
    dlg = NoticeDialog(p)
    qtbot.addWidget(dlg)
    assert dlg.windowTitle() == "通告生成管控区"
    assert dlg.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok).text() == "生成管控区"
    assert [dlg.level.itemText(i) for i in range(dlg.level.count())] == ["按通告", "封控区", "管控区", "防范区"]
    # OK before anything was matched: the dialog's own error, all Chinese
    dlg.accept()
    assert dlg.summary.text() == "错误：尚未匹配。 解决办法：请粘贴通告并点击“匹配”。"
    # a notice file that does not exist: the core's message in Chinese, in a Chinese frame
    dlg.load_file(tmp_path / "missing.txt")
    shown = dlg.summary.text()
    assert shown == f"错误：{tmp_path / 'missing.txt'}：通告文件不存在 解决办法：请检查路径"
    # a text with no compound names: said in Chinese
    dlg.set_text("特此通告。")
    assert dlg.summary.text() == "错误：通告中没有找到小区名称 解决办法：请粘贴小区名单（名称用、分隔，或每行一个）"
    # a notice that matches: the summary line and the statuses are Chinese
    dlg.set_text(
        "呼和浩特市新冠肺炎疫情防控指挥部通告\n自2022年2月26日0时起，将以下区域划定为封控区：\n"
        "新城区：阳光花园、锦秀华府、内蒙古饭店、中海家园。\n特此通告。\n2022年2月26日"
    )
    assert dlg.summary.text() == "共 4 个名称：2 个匹配，1 个待确认，1 个未匹配；开始时间 2022-02-26 00:00"
    statuses = {dlg.table.item(r, 3).text() for r in range(dlg.table.rowCount())}
    assert statuses == {"✓ 匹配", "? 待确认"}
    r = dlg.row_of("锦秀华府")
    assert "锦绣华府" in dlg.table.cellWidget(r, 2).currentText() and "模糊" in dlg.table.cellWidget(r, 2).currentText()
    # nothing checked: nothing added, said in Chinese
    for r in range(dlg.table.rowCount()):
        dlg.set_checked(dlg._rows[r].query.text, False)
    dlg.accept()
    assert dlg.summary.text() == "没有勾选任何行：无可添加的管控区。"
    assert len(p.layer("lockdown_zones")) == n0
    for w in (dlg.summary.text(), dlg.windowTitle()):
        assert CJK.search(w)


def test_progress_steps_in_chinese(qtbot, zh):
    """The core's progress steps on a worker's bar: its known steps, "reading FILE" and Texts (the
    route planner's steps with figures) in Chinese; any other message as the core wrote it."""
    from PySide6 import QtWidgets

    from heatgis.gui.i18n import PROGRESS_STEPS, progress_text
    from heatgis.gui.workers import Worker, _show_progress
    from heatgis.routing.vrp import plan_done_text
    from heatgis.text import Text

    assert progress_text("reading 新增换热站.csv") == "正在读取 新增换热站.csv"
    assert progress_text("checking against the contract") == "按图层规范检查"
    assert all(CJK.search(progress_text(step)) for step in PROGRESS_STEPS)
    assert progress_text(plan_done_text(3, 1.5 * 3600)) == "计划完成：3 处到站，行车 1.5 小时"
    assert progress_text("3 of 7 somethings") == "3 of 7 somethings"
    # the import's steps are the core's Texts: shown in Chinese as the core wrote them
    from heatgis.text import Text

    assert progress_text(Text("reading {name}", "正在读取 {name}", name="a.csv")) == "正在读取 a.csv"
    bar = QtWidgets.QProgressBar()
    qtbot.addWidget(bar)
    _show_progress(bar, 40, "mapping fields")
    assert bar.value() == 40 and bar.format() == "映射字段 %p%"
    # a step with figures, a Text at its source, reaches the bar through a worker with its Chinese
    done = Text("{n} visits planned, {m} not served", "已安排 {n} 处到站，{m} 处未安排", n=9, m=1)
    w = Worker(lambda fb: fb.set_progress(100, done), parent=bar, bar=bar)
    seen = []
    w.progress.connect(lambda pct, msg: seen.append(msg))
    with qtbot.waitSignal(w.finished, timeout=10000):
        w.start()
    qtbot.waitUntil(lambda: bool(seen))
    assert isinstance(seen[-1], Text) and bar.format() == "已安排 9 处到站，1 处未安排 %p%"
