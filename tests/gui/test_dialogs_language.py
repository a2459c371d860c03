"""Every dialog of the window in English and in Chinese (issue 15): opened on the demo project (shown,
not run modally), its labels, buttons (Qt's standard ones too), group titles, combo items, placeholders,
tooltips, table headers and cells, read-only texts and title walked; the project's data (names, ids), the
files' own columns and the notice's names removed, no word may be in the other language."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pandas as pd
from PySide6 import QtWidgets

from heatgis.model.schema import LAYERS
from tests.core import io_fixtures as F
from tests.core.conftest import tiny_project  # noqa: F401  (fixture)
from tests.gui.test_save_conflict import edited  # noqa: F401  (fixture: the window on a file changed meanwhile)
from tests.gui.textwalk import HAN, cell_texts, foreign_words, visible_texts
from tests.render.outputs_text import Scrubber, data_values

NOTICE = (
    "呼和浩特市新冠肺炎疫情防控指挥部通告\n自2022年2月26日0时起，将以下区域划定为封控区：\n"
    "新城区：阳光花园、锦秀华府、内蒙古饭店、中海家园。\n特此通告。\n2022年2月26日"
)
NOTICE_NAMES = ["阳光花园", "锦秀华府", "内蒙古饭店", "中海家园", "新城区"]


def dialog_texts(dlg: QtWidgets.QWidget) -> list[tuple[str, str]]:
    """The walk of the main window's test plus what a dialog shows besides: its title, the items of
    editable combos, read-only text boxes (notes, the published reports) and line edits' defaults."""
    out = visible_texts(dlg) + cell_texts(dlg)
    for w in dlg.findChildren(QtWidgets.QComboBox):
        if w.isEditable():
            out += [(type(w).__name__ + ":item", w.itemText(i)) for i in range(w.count())]
    for w in dlg.findChildren(QtWidgets.QPlainTextEdit):
        if w.isReadOnly():
            out.append(("QPlainTextEdit", w.toPlainText()))
        if w.placeholderText():
            out.append(("QPlainTextEdit:placeholder", w.placeholderText()))
    if isinstance(dlg, QtWidgets.QMessageBox):
        out += [("text", dlg.text()), ("informative", dlg.informativeText())]
    return [(where, t) for where, t in out if t]


#: the data contract's names, codes in both languages as the core's messages write them ("图层 stations"):
#: a layer's table name after its title, "换热站 (stations)"; a field's name (snake case, or the first column
#: of the import's field mapping); a command of the terminal, "heatgis push"
LAYER_CODE = re.compile(r"\((?:" + "|".join(LAYERS) + r")\)")
COMMAND = re.compile(r"\bheatgis [a-z]+\b")  # a command line named in a tooltip
CODE_CELL = re.compile(r"QTableWidget#mapping\[\d+,0\]")
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")


def bad_words(dlg, lang: str, scrub) -> list:
    texts = dialog_texts(dlg)
    texts = [(where, t) for where, t in texts if not CODE_CELL.match(where)]

    def codes_out(text: str) -> str:  # the data out first (file paths hold snake case), then the codes
        return COMMAND.sub(" ", SNAKE.sub(" ", LAYER_CODE.sub(" ", scrub(text))))

    assert len(texts) >= 3, (type(dlg).__name__, texts)
    return sorted(
        {
            (type(dlg).__name__, where.split("[")[0], w, t[:80])
            for where, t in texts
            for w in foreign_words(t, lang, codes_out)
        }
    )


def open_dialogs(win, qtbot, tmp_path) -> tuple[list, list[str]]:
    """Every dialog of the window on its project, shown; and the data they show (a file's columns)."""
    from heatgis.gui.dialogs.basemap_dialog import BasemapDialog
    from heatgis.gui.dialogs.database_dialog import DatabaseDialog
    from heatgis.gui.dialogs.zone_dialog import ZoneDialog
    from heatgis.gui.panels.history import HistoryDialog

    s = win.session
    dialogs, data = [], []
    imp = win.import_actions.open_import(modal=False)
    imp.set_layer("stations")
    tmp_path.mkdir(exist_ok=True)
    imp.set_file(F.wan_xlsx(tmp_path))
    assert imp.mapping_table.rowCount() > 3
    p = imp.preview  # the file's own columns and values: data
    data += [p.horizontalHeaderItem(c).text() for c in range(p.columnCount())]
    cells = [p.item(r, c).text() for r in range(p.rowCount()) for c in range(p.columnCount()) if p.item(r, c)]
    data += [t for t in cells if HAN.search(t)]  # (its short ids are no words, and would cut "CGCS2000")
    notice = win.import_actions.open_notice(modal=False)
    notice.set_text(NOTICE)
    assert notice.table.rowCount() >= 3
    dialogs += [imp, notice]
    dialogs.append(win.output_actions.open_print_dialog(modal=False))
    dialogs.append(win.output_actions.show_published(modal=False))
    zone = ZoneDialog("封控区一", "sealed", s.at, None, win)
    base = BasemapDialog("", False, 0.8, True, win)
    db = DatabaseDialog(win.settings, win)
    # the edit history of a project in the database: the audit rows (no server here: a frame like
    # the one postgis.audit_history reads)
    origin = SimpleNamespace(tables=["lockdown_zones", "stations"])
    hist = HistoryDialog(SimpleNamespace(origin=origin), win)
    zid = str(s.project.layer("lockdown_zones")["zone_id"].iloc[0])
    hist.frame = pd.DataFrame(
        {
            "at": pd.to_datetime(["2026-11-30 08:00:00+00:00"] * 3),
            "user": ["anna"] * 3,
            "layer": ["lockdown_zones"] * 3,
            "row_id": [zid] * 3,
            "op": ["INSERT", "UPDATE", "DELETE"],
            "before": [None, {"level": "sealed", "geom": {"x": 1}}, {"level": "controlled"}],
            "after": [{"level": "sealed"}, {"level": "controlled", "geom": {"x": 2}}, None],
        }
    )
    hist._show()
    data += ["anna", "level", "sealed", "controlled"]  # the audit's user and field names and values
    for d in (zone, base, db, hist):
        qtbot.addWidget(d)
        d.show()
        dialogs.append(d)
    for d in dialogs[:4]:
        qtbot.addWidget(d)
    return dialogs, data


def test_every_dialog_in_the_language(demo_window, qtbot, tmp_path, monkeypatch):
    win = demo_window
    win.plans.wait()
    rec = {  # a report published before: File → Published reports lists what it told the meeting
        "at": "2022-02-25T08:00",
        "published": "2022-02-25T09:00:00",
        "out": str(tmp_path / "reports"),
        "figures": {"stations": 24, "boiler_rooms": 3, "heated_area_m2": 5159000, "households": 38500},
        "data": {"sha256": "0123456789ab" * 5 + "cdef"},
        "change": {"since": "2022-02-24T08:00", "delta": {"sites": 2}, "new_zones": ["Z-1"], "lifted_zones": []},
    }
    monkeypatch.setattr(win.output_actions, "published_records", lambda: [rec])
    base = data_values(win.session.project) + NOTICE_NAMES + [str(tmp_path / "reports"), str(tmp_path)]
    for lang in ("en", "zh"):
        win.set_language(lang)
        qtbot.wait(50)
        dialogs, data = open_dialogs(win, qtbot, tmp_path / lang)
        scrub = Scrubber(sorted(set(base + data), key=len, reverse=True))
        bad = [b for d in dialogs for b in bad_words(d, lang, scrub)]
        for d in dialogs:
            d.close()
        assert bad == [], (lang, len(bad), "\n".join(map(str, bad[:60])))
    win.set_language("en")


def test_message_boxes_in_the_language(edited, qtbot, monkeypatch):
    """The boxes the window asks with: unsaved changes, a save refused (the file, the database)."""
    from heatgis.gui.conflict import ask_conflict_dialog
    from heatgis.model.store.pgwrite import RowConflict
    from heatgis.model.store.postgis import RowConflictError

    win, path = edited
    boxes: list = []

    def show(box):  # shown, not run: walked below, then closed (answers Cancel)
        qtbot.addWidget(box)
        box.show()
        boxes.append(box)
        return int(QtWidgets.QMessageBox.StandardButton.Cancel.value)

    monkeypatch.setattr(QtWidgets.QMessageBox, "exec", show)
    scrub = Scrubber(data_values(win.session.project) + ["planner's edit", "edit made in QGIS", "anna", str(path)])
    rows = [RowConflict("lockdown_zones", "Z3", 3, "anna", "2026-11-30 08:00", False)]
    for lang in ("en", "zh"):
        win.set_language(lang)
        boxes.clear()
        assert win._ask_unsaved_dialog() == "cancel"
        assert not win.save()  # the file changed: the conflict box (answered Cancel)
        assert ask_conflict_dialog(win, RowConflictError(rows, file="postgresql://db/heat")) == "cancel"
        assert len(boxes) == 3
        bad = [b for box in boxes for b in bad_words(box, lang, scrub)]
        for box in boxes:
            box.close()
        assert bad == [], (lang, len(bad), "\n".join(map(str, bad[:60])))
    win.set_language("en")

    def discard(box):  # the answer read from the button clicked
        box.button(QtWidgets.QMessageBox.StandardButton.Discard).click()
        return 0

    monkeypatch.setattr(QtWidgets.QMessageBox, "exec", discard)
    assert win._ask_unsaved_dialog() == "discard"
