"""Messages in both languages (heatgis.text) and the scan that keeps the core's messages bilingual."""

from __future__ import annotations

import ast
import copy
import json
import pickle
from dataclasses import asdict
from pathlib import Path

import pytest

from heatgis.errors import HeatGISError, Problem
from heatgis.text import Text, join, language, localize

ROOT = Path(__file__).resolve().parents[2] / "heatgis"


def test_text_is_the_english_string_and_carries_the_chinese():
    t = Text("{n:,} rows have no id", "{n:,} 行没有编号", n=1234)
    assert t == "1,234 rows have no id"
    assert isinstance(t, str) and t.en == str(t)
    assert t.zh == "1,234 行没有编号"
    assert localize(t, "zh") == t.zh and localize(t, "en") == t.en
    assert localize(5, "zh") == "5" and localize(None, "zh") == ""


def test_fields_that_are_texts_follow_the_language():
    what = Text("households", "户数")
    t = Text("{what} is not a number", "{what}不是数字", what=what)
    assert t == "households is not a number" and t.zh == "户数不是数字"


def test_a_text_without_fields_is_taken_as_written():
    t = Text('write {"a": 1}', '填写 {"a": 1}')
    assert t == 'write {"a": 1}' and t.zh == '填写 {"a": 1}'


def test_text_survives_pickle_copy_asdict_and_json():
    t = Text("row {row}", "第 {row} 行", row=3)
    for other in (pickle.loads(pickle.dumps(t)), copy.deepcopy(t), copy.copy(t)):
        assert other == t and other.zh == t.zh
    p = Problem(t, Text("fix it", "改正"))
    d = asdict(p)
    assert d["message"].zh == "第 3 行"
    assert json.loads(json.dumps(d))["message"] == "row 3"


def test_join_keeps_both_languages():
    t = join([Text("a", "甲"), Text("b", "乙"), "c"])
    assert t == "a, b, c" and t.zh == "甲、乙、c"


def test_problem_and_error_in_both_languages():
    err = HeatGISError(
        Text("{n} is not a number", "{n} 不是数字", n="x"),
        Text("write a number", "填写数字"),
        file="a.csv",
        layer="stations",
        row=3,
        field="area",
        problems=[Problem(Text("late", "晚了"), severity="warning")],
    )
    assert str(err).splitlines()[0] == (
        "error: a.csv, layer stations, row 3, field area: x is not a number Fix: write a number"
    )
    zh = err.text("zh")
    assert zh.splitlines()[0] == "错误：a.csv，图层 stations，第 3 行，字段 area：x 不是数字 解决办法：填写数字"
    assert zh.splitlines()[1] == "  警告：晚了"


def test_language_follows_heatgis_lang_then_the_system(monkeypatch):
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HEATGIS_LANG", "zh")
    assert language() == "zh"
    monkeypatch.delenv("HEATGIS_LANG")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert language() == "zh"
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert language() == "en"


def test_cli_error_in_chinese(monkeypatch, capsys, tmp_path):
    from heatgis.cli import main

    monkeypatch.setenv("HEATGIS_LANG", "zh")
    assert main(["impact", str(tmp_path / "missing.gpkg")]) == 2
    err = capsys.readouterr().err
    assert "错误" in err or "找不到" in err or "不存在" in err, err


# --- the scan: every message the core raises or reports is a Text ---------------------------------

#: calls whose message and fix the planner reads
MESSAGE_CALLS = {"HeatGISError", "Problem", "ConflictError", "RowConflictError"}
PACKAGES = sorted(p.name for p in ROOT.iterdir() if (p.is_dir() and p.name not in ("gui", "__pycache__")))


def _plain_text(node: ast.AST) -> bool:
    """A message written as a plain string: a literal, an f-string, or a sum/format of them."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and bool(node.value.strip())
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _plain_text(node.left) or _plain_text(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return _plain_text(node.func.value)
    return False


def _name(func: ast.AST) -> str:
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def plain_messages(path: Path) -> list[str]:
    """``file:line`` of each message in ``path`` raised or reported as a plain string."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        args: list[ast.AST] = []
        if name in MESSAGE_CALLS:
            args = list(node.args[:2]) + [k.value for k in node.keywords if k.arg in ("message", "fix")]
        elif name == "set_progress":
            args = list(node.args[1:2]) + [k.value for k in node.keywords if k.arg == "message"]
        if any(_plain_text(a) for a in args):
            found.append(f"{path.relative_to(ROOT.parent)}:{node.lineno}")
    return found


@pytest.mark.parametrize("package", PACKAGES + ["errors.py"])
def test_core_messages_are_bilingual(package):
    """Every HeatGISError/Problem message and fix, and every progress step, in the core is a
    ``heatgis.text.Text`` (English and Chinese), not a plain string."""
    where = ROOT / package
    files = [where] if where.is_file() else sorted(where.rglob("*.py"))
    found = [hit for f in files for hit in plain_messages(f)]
    assert not found, f"{len(found)} plain-string messages (write them as Text(en, zh, ...)):\n" + "\n".join(found)
