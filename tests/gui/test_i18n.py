"""All in Chinese (and all in English): Qt's own dialogs and buttons, every label, tab, header, menu and
tooltip of the window with a project open, the core's progress steps, the undo step's name."""

from __future__ import annotations

import pandas as pd
import shapely
from PySide6 import QtWidgets

from tests.gui.textwalk import foreign, visible_texts

B = QtWidgets.QDialogButtonBox.StandardButton


def _buttons(qtbot):
    box = QtWidgets.QDialogButtonBox(B.Ok | B.Cancel | B.Close)
    qtbot.addWidget(box)
    return {box.button(b).text().replace("&", "") for b in (B.Ok, B.Cancel, B.Close)}


def test_qt_own_dialogs_follow_the_language(window, qtbot):
    from heatgis.gui import i18n

    window.set_language("zh")
    assert i18n.qt_qm_path("zh").name == "qtbase_zh_CN.qm"
    assert i18n.qt_translated(QtWidgets.QApplication.instance())
    assert _buttons(qtbot) == {"确定", "取消", "关闭"}
    d = QtWidgets.QFileDialog(window, "x")
    d.setOption(QtWidgets.QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(d)
    labels = {w.text() for w in d.findChildren(QtWidgets.QLabel)}
    assert "文件名称(&N)：" in labels  # Qt's own catalogue (some of its file-dialog labels stay English)
    window.set_language("en")
    assert _buttons(qtbot) == {"OK", "Cancel", "Close"}
    assert not i18n.qt_translated(QtWidgets.QApplication.instance())


def test_no_text_in_the_other_language(demo_window, qtbot):
    win = demo_window
    win.plans.wait()
    for lang in ("zh", "en"):
        win.set_language(lang)
        qtbot.wait(50)  # the LanguageChange events reach every widget
        texts = visible_texts(win)
        assert len(texts) > 300  # the plan docks are open too
        bad = sorted({(where, t) for where, t in texts if foreign(t, lang)})
        assert bad == [], (lang, len(bad), bad[:40])


def test_cells_hold_data_and_words_of_the_language(demo_window, qtbot):
    """The tables, lists and trees of the window (the plan docks open): beside the data (names of
    compounds, stations, staff, places and zones: Chinese in the demo, removed before the check) every
    word is in the UI's language: levels, kinds, statuses, reasons, tasks, the change's wording."""
    from tests.gui.test_plans_in_window import staffing_ready
    from tests.gui.textwalk import cell_texts, foreign_words
    from tests.render.outputs_text import Scrubber, data_values

    win = demo_window
    win.plans.wait()
    staffing_ready(win, qtbot)  # the staffing dock's sites and reasons filled
    scrub = Scrubber(data_values(win.session.project))
    for lang in ("en", "zh"):
        win.set_language(lang)
        qtbot.wait(50)
        texts = cell_texts(win)
        assert len(texts) > 200  # the impact table, the staffing and crew docks, the layer tree
        bad = sorted({(where.split("[")[0], w, t[:80]) for where, t in texts for w in foreign_words(t, lang, scrub)})
        assert bad == [], (lang, len(bad), bad[:40])
        day_before = "较昨日" if lang == "zh" else "vs day before"  # the vocabulary's words, as the deck
        assert win.impact.deltas["stations"].text().startswith(day_before + " ")


def test_progress_steps_and_undo_named_in_the_language(demo_window, qtbot):
    from heatgis.gui.i18n import progress_text
    from heatgis.model.commands import AddZone
    from heatgis.routing.vrp import plan_text
    from heatgis.text import Text

    win = demo_window
    win.set_language("zh")
    assert progress_text(Text("road graph", "路网")) == "路网"
    assert progress_text("road graph") == "路网"
    assert progress_text(plan_text(3, 9, 1.3 * 3600)) == "方案 3：9 处到站，行车 1.3 小时"
    assert progress_text("something new") == "something new"
    s = win.session
    x, y = s.project.layer("stations").geometry.iloc[0].coords[0]
    assert win.run_command(AddZone("Z-T9", shapely.box(x - 50, y - 50, x + 50, y + 50), "T9", "sealed", s.at))
    assert win.acts.undo.text() == "撤销(&U) 绘制管控区 Z-T9"
    win.undo()
    assert win.acts.undo.text() == "撤销(&U)" and win.acts.redo.text() == "重做(&R) 绘制管控区 Z-T9"
    win.set_language("en")
    assert progress_text(plan_text(3, 9, 1.3 * 3600)) == "plan 3: 9 visits, 1.3 h driving"
    assert win.acts.redo.text() == "&Redo draw zone Z-T9"
    assert isinstance(s.at, pd.Timestamp)


def test_undo_history_as_a_list(demo_window, qtbot):
    from heatgis.model.commands import AddZone, DeleteZone

    win = demo_window
    s = win.session
    x, y = s.project.layer("stations").geometry.iloc[0].coords[0]
    for k in (1, 2):
        box = shapely.box(x - 50 * k, y - 50 * k, x + 50 * k, y + 50 * k)
        assert win.run_command(AddZone(f"Z-H{k}", box, f"H{k}", "sealed", s.at))
    assert win.run_command(DeleteZone("Z-H1"))
    h = win.gis_tools.history
    h.rebuild()
    texts = [a.text() for a in h.menu.actions()]
    assert texts == ["Opened project", "draw zone Z-H1", "draw zone Z-H2", "delete zone Z-H1"]
    assert [a.isChecked() for a in h.menu.actions()] == [False, False, False, True]
    before = win.impact.figures["stations"].text()
    h.menu.actions()[1].trigger()  # back to just after the first zone: two undos
    ids = set(s.project.layer("lockdown_zones")["zone_id"])
    assert "Z-H1" in ids and "Z-H2" not in ids
    h.rebuild()
    assert [a.isChecked() for a in h.menu.actions()] == [False, True, False, False]
    assert h.menu.actions()[3].font().italic()  # undone steps: what redo brings back
    h.menu.actions()[3].trigger()  # forward again: two redos
    assert "Z-H1" not in set(s.project.layer("lockdown_zones")["zone_id"])
    assert win.impact.figures["stations"].text() == before
    win.set_language("zh")
    h.rebuild()
    assert [a.text() for a in h.menu.actions()][:2] == ["打开项目", "绘制管控区 Z-H1"]
    assert win.gis_tools.history.menu.title() == "撤销历史"
    win.set_language("en")


def test_staffing_reasons_and_places_in_the_language(demo_window, qtbot):
    from heatgis.analysis.staffing.reasons import place_name, reason_text
    from heatgis.gui.panels.staffing import SHORT_HEADERS
    from tests.gui.test_plans_in_window import staffing_ready

    win = demo_window
    win.set_language("zh")
    r = "only 2 operator(s) locked in zone(s) Z-030 for 3 places; only 2 of 3 shifts covered"
    # the core's one set of forms: the dock reads as the workbook and the deck
    assert reason_text(r, "zh") == "管控区 Z-030 仅有 2 名运行工，需 3 个岗位；3 个班次中仅 2 个有人"
    assert reason_text("no boiler_operator locked in zone Z-9", "zh") == "管控区 Z-9 无居家司炉工"
    assert reason_text("no boiler_operator locked in zone Z-9", "en") == "no boiler operator locked in zone Z-9"
    assert reason_text("something else", "zh") == "something else"
    assert place_name("泰和佳苑封控区 值守 on call", "zh") == "泰和佳苑封控区 值守"
    assert place_name("泰和佳苑封控区 值守 on call", "en") == "泰和佳苑封控区 on call"
    st = staffing_ready(win, qtbot)
    win.docks["staffing"].raise_()  # (tabbed behind the impact, the dock fills when it is looked at)
    qtbot.wait(50)  # the dock refilled in the UI's language
    col = [k for k, _ in SHORT_HEADERS]
    reasons = [st.short_table.text(i, col.index("reason")) for i in range(st.short_table.rowCount())]
    assert reasons and not any(foreign(t, "zh") for t in reasons if not t.startswith("Z-"))
    win.set_language("en")
    assert reason_text(r, "en") == r


def test_the_timeline_legend_and_the_zone_table_follow_the_language(window, qtbot):
    """A language switch names the timeline's curves again and fits the zone table's columns to the
    new titles (they kept the first language's names, and the widths Chinese titles need: too narrow
    for the English ones)."""
    from tests.gui.conftest import DEMO

    win = window
    win.set_language("zh")
    with qtbot.waitSignal(win.timelineReady, timeout=60000):
        win.open_project(DEMO)
    win.docks["impact"].raise_()
    names = {"zh": ["换热站", "锅炉房"], "en": ["stations", "boiler rooms"]}
    for lang in ("zh", "en", "zh", "en"):
        win.set_language(lang)
        qtbot.wait(50)
        assert [label.text for _, label in win.timeline.legend.items] == names[lang]
        table = win.impact.table
        header = table.horizontalHeader()
        short = [
            (header.model().headerData(c, header.orientation()), table.columnWidth(c), header.sectionSizeHint(c))
            for c in range(1, header.count() - 1)  # (the zone's name is capped; the last column stretches)
            if table.columnWidth(c) < header.sectionSizeHint(c)
        ]
        assert short == [], (lang, short)
