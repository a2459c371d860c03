"""Every text the GUI puts on screen goes through the translations, also the ones shown only after an
action (an error, a cancel, a message box), which ``pyside6-lupdate`` cannot flag: it only sees
strings already wrapped in ``tr()``. This scans the GUI's sources (ast) for string literals handed to
the calls that put text on screen and fails, listing them, when one is not wrapped in ``tr()``,
``QCoreApplication.translate()`` or ``QT_TRANSLATE_NOOP()``.

No Qt needed: it reads the sources only.
"""

from __future__ import annotations

import ast
from pathlib import Path

GUI = Path(__file__).resolve().parents[2] / "heatgis" / "gui"

#: call name -> positions of the text arguments (None: every positional argument)
SINKS: dict[str, tuple[int, ...] | None] = {
    **dict.fromkeys(
        (
            "setText",
            "setToolTip",
            "setStatusTip",
            "setWhatsThis",
            "setPlaceholderText",
            "setWindowTitle",
            "setPlainText",
            "setHtml",
            "setTitle",
            "setLabelText",
            "setInformativeText",
            "setDetailedText",
            "setSuffix",
            "setPrefix",
            "setSpecialValueText",
            "setFormat",
            "showMessage",
            "show_message",
            "QLabel",
            "QPushButton",
            "QCheckBox",
            "QRadioButton",
            "QGroupBox",
            "QToolButton",
            "QAction",
            "QMenu",
            "QTableWidgetItem",
        ),
        None,
    ),
    "setTabText": (1,),
    "setItemText": (1,),
    "addItem": (0,),
    "insertItem": (1,),
    "addItems": (0,),
    "setHorizontalHeaderLabels": (0,),
    "setVerticalHeaderLabels": (0,),
    "addTab": (1,),
    "addRow": (0,),
    "addButton": (0,),
    "addMenu": (0,),
    "information": (1, 2),
    "warning": (1, 2),
    "critical": (1, 2),
    "question": (1, 2),
    "about": (1, 2),
    "QMessageBox": (1, 2),  # QMessageBox(icon, title, text, ...)
    "getOpenFileName": (1, 3),
    "getSaveFileName": (1, 3),
    "getExistingDirectory": (1,),
    "getText": (1, 2),
    "getItem": (1, 2),
    # errors the GUI itself raises are shown to the planner as they are written
    "HeatGISError": (0, 1),
    "Problem": (0, 1),
}
#: keyword arguments that carry text
TEXT_KEYWORDS = {"text", "toolTip", "statusTip", "title", "windowTitle", "message", "fix", "placeholderText"}
#: calls whose result is translated text (their literal arguments are the sources)
TRANSLATING = {"tr", "translate", "QT_TRANSLATE_NOOP", "QT_TR_NOOP"}
#: literals that are not words of any language: names, formats, units known everywhere
NOT_TEXT = {
    "HeatGIS",
    "HeatGIS —",
    "A4",
    "A3",
    "A2",
    "A1",
    "A0",
    "150 dpi",
    "300 dpi",
    "UTF-8",
    "GBK / GB18030",
    "Latin-1",
    "EPSG:4546 CGCS2000 CM 111E",
    "%p%",
    "x   y   ()",  # the cursor's coordinates: x 523,118.2  y 4,520,331.0  (EPSG:4546)
    " %p%",
    "%Y-%m-%d %H:%M",
    "PDF (*.pdf)",
    "CSV (*.csv)",
    "PNG (*.png)",
    "Excel (*.xlsx)",
}


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return None


def _is_text(s: str) -> bool:
    return any(c.isalpha() for c in s) and s.strip() not in NOT_TEXT and s not in NOT_TEXT


def untranslated(node: ast.expr) -> list[str]:
    """The string literals in the expression ``node`` that reach the screen untranslated.

    Followed: concatenation, f-strings (their literal parts), conditional expressions, lists and
    tuples, ``.format()`` and ``.join()`` on a text. Not followed: other calls (their result is
    data: a vocabulary label, a number, a file name) and subscripts (lookups)."""
    if isinstance(node, ast.Constant):
        return [node.value] if isinstance(node.value, str) and _is_text(node.value) else []
    if isinstance(node, ast.JoinedStr):
        literal = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
        found = [f"f'{literal}'"] if _is_text(literal) else []
        for v in node.values:
            if isinstance(v, ast.FormattedValue):
                found += untranslated(v.value)
        return found
    if isinstance(node, ast.BinOp):
        return untranslated(node.left) + untranslated(node.right)
    if isinstance(node, ast.IfExp):
        return untranslated(node.body) + untranslated(node.orelse)
    if isinstance(node, ast.List | ast.Tuple):
        return [s for e in node.elts for s in untranslated(e)]
    if isinstance(node, ast.Call):
        name = _name(node.func)
        if name in TRANSLATING:
            return []
        if name in ("format", "join") and isinstance(node.func, ast.Attribute):
            found = untranslated(node.func.value)
            return found + [s for a in node.args for s in untranslated(a)] if name == "format" else found
    return []


def _local_texts(tree: ast.AST) -> dict[int, dict[str, list[ast.expr]]]:
    """For each function (by id), what its local names are assigned (``text = "..."``)."""
    out: dict[int, dict[str, list[ast.expr]]] = {}
    for fn in ast.walk(tree):
        if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            names: dict[str, list[ast.expr]] = {}
            for n in ast.walk(fn):
                if isinstance(n, ast.Assign):
                    for t in n.targets:
                        if isinstance(t, ast.Name):
                            names.setdefault(t.id, []).append(n.value)
            out[id(fn)] = names
    return out


def scan(source: str, filename: str = "<source>") -> list[str]:
    """``file:line: call: 'literal'`` for every untranslated text literal in ``source``: handed to a
    sink directly, or through a local name assigned in the same function."""
    tree = ast.parse(source, filename)
    local = _local_texts(tree)
    found = []
    for fn in [tree] + [f for f in ast.walk(tree) if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)]:
        names = local.get(id(fn), {})
        body = fn.body if fn is not tree else [n for n in tree.body if not isinstance(n, ast.FunctionDef)]
        for node in (n for stmt in body for n in ast.walk(stmt)):
            if not isinstance(node, ast.Call) or _name(node.func) not in SINKS:
                continue
            name = _name(node.func)
            positions = SINKS[name]
            args = [a for i, a in enumerate(node.args) if positions is None or i in positions]
            args += [k.value for k in node.keywords if k.arg in TEXT_KEYWORDS]
            for a in args:
                exprs = names.get(a.id, []) if isinstance(a, ast.Name) else [a]
                found += [f"{filename}:{node.lineno}: {name}: {s!r}" for e in exprs for s in untranslated(e)]
    return sorted(set(found), key=found.index)


def _is_noop(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and _name(node.func) in ("QT_TRANSLATE_NOOP", "QT_TR_NOOP")


def _table_texts(node: ast.expr) -> list[ast.expr]:
    """The entries of a table constant that are shown: a list's or tuple's items (of a list of
    ``(label, value)`` pairs, the label), a dict's values."""
    if isinstance(node, ast.Dict):
        return list(node.values)
    if isinstance(node, ast.List | ast.Tuple):
        return [e.elts[0] if isinstance(e, ast.Tuple) and e.elts else e for e in node.elts]
    return []


def scan_tables(source: str, filename: str = "<source>") -> list[str]:
    """Module constants that are translated tables (some entries marked ``QT_TRANSLATE_NOOP`` for the
    code to ``tr()`` them later) with an entry left unmarked: lupdate never sees it, so it shows
    untranslated."""
    found = []
    for node in ast.parse(source, filename).body:
        if not isinstance(node, ast.Assign | ast.AnnAssign) or node.value is None:
            continue
        entries = _table_texts(node.value)
        if not any(_is_noop(e) for e in entries):
            continue
        for e in entries:
            if isinstance(e, ast.Constant) and isinstance(e.value, str) and _is_text(e.value):
                found.append(f"{filename}:{e.lineno}: table entry not marked QT_TRANSLATE_NOOP: {e.value!r}")
    return found


def test_the_scanner_sees_what_it_should():
    src = """
def f(self, box, exc):
    self.notes.setPlainText("choose a file first")
    self.summary.setText(f"{n} names matched")
    self.notes.setPlainText(self.tr("Choose a file first."))
    self.notes.setPlainText(self.tr("{0} rows").format(n) + "\\n\\n" + "not imported")
    QtWidgets.QMessageBox.warning(self, "HeatGIS", "Saved")
    combo.addItem("按通告 from the notice", None)
    combo.addItem(self.tr("from the notice"), "from_notice")
    combo.addItem(label("level", lv), lv)
    raise HeatGISError("nothing matched yet", "paste a notice")
    text = "no file"
    self.notes.setPlainText(text)
    QtCore.QCoreApplication.translate("Errors", "row {0}")
    bar.setFormat(f"{msg} %p%" if msg else "%p%")
"""
    found = [line.split(": ", 2)[2] for line in scan(src)]
    assert found == [
        "'choose a file first'",
        "\"f' names matched'\"",
        "'not imported'",
        "'Saved'",
        "'按通告 from the notice'",
        "'nothing matched yet'",
        "'paste a notice'",
        "'no file'",
    ]


def test_the_table_scanner_sees_an_unmarked_entry():
    src = """
HEADERS = [QT_TRANSLATE_NOOP("P", "crew"), "#", "ETA"]
CHOICES = [(QT_TRANSLATE_NOOP("D", "automatic"), None), ("UTF-8", "utf-8"), ("by hand", "manual")]
STATUS = {"ok": QT_TRANSLATE_NOOP("D", "fine"), "bad": "broken"}
PLAIN = ["not", "a table"]
"""
    found = [line.split(": ", 2)[2] for line in scan_tables(src)]
    assert found == ["'ETA'", "'by hand'", "'broken'"]


def test_every_text_the_gui_shows_goes_through_the_translations():
    found = []
    for path in sorted(GUI.rglob("*.py")):
        text, name = path.read_text(encoding="utf-8"), str(path.relative_to(GUI.parents[1]))
        found += scan(text, name) + scan_tables(text, name)
    assert found == [], "texts shown untranslated (wrap them in self.tr()):\n" + "\n".join(found)
