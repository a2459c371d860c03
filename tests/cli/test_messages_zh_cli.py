"""The command line speaks Chinese when asked (HEATGIS_LANG=zh): a planner's bad input is a Chinese
message naming the file, the row and the fix, never an English sentence or a traceback.

Real files: copies of the demo spoilt with SQL, a save refused because another program changed the
file between the command's read and its save.
"""

from __future__ import annotations

import re

import pytest

from heatgis.cli import main, os_error_message
from tests.core.bad_projects import bad_project, copy_demo, sql

#: an English sentence: three English words in a row (names like ST-0025, --strict, .gpkg are not)
ENGLISH = re.compile(r"\b[a-z]{2,}\s[a-z]{2,}\s[a-z]{2,}\b")


@pytest.fixture
def zh(monkeypatch):
    monkeypatch.setenv("HEATGIS_LANG", "zh")


def run(args, capsys):
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    assert "Traceback" not in out.err and "Traceback" not in out.out
    return code, out.out, out.err


def english_in(text: str) -> list[str]:
    """English sentences in ``text`` outside quoted commands and file paths."""
    text = re.sub(r"“[^”]*”|'[^']*'|\S*/\S*|（[^）]*\(.*?\)[^）]*）", "", text)
    return ENGLISH.findall(text)


def test_missing_project_file_in_chinese(zh, tmp_path, capsys):
    missing = tmp_path / "规划" / "missing.gpkg"
    code, out, err = run(["impact", missing], capsys)
    assert code == 2 and out == ""
    assert err.startswith(f"错误：{missing}：文件不存在 解决办法：请检查路径"), err
    assert "heatgis demo my.gpkg" in err and not english_in(err), err


def test_strict_refusal_names_the_rows_in_chinese(zh, tmp_path, capsys):
    path = bad_project(tmp_path, "households_as_text")
    code, out, err = run(["impact", path, "--at", "2022-02-25T08:00", "--strict"], capsys)
    assert code == 2 and out == ""
    refusal = next(x for x in err.splitlines() if x.startswith("错误："))
    assert refusal == (
        f"错误：{path}：--strict：项目有 2 处错误；没有输出、写出或保存任何内容 "
        f"解决办法：请改正这些错误（“heatgis validate {path}”会逐条列出），或不带 --strict 运行"
    )
    rows = [x.strip() for x in err.splitlines() if x.startswith("  ")]
    assert rows[0] == (
        f"错误：{path}，图层 stations，第 ST-0025 行，字段 households："
        "“1,310”以文本形式存在数字字段“households”中，读作 1 "
        "解决办法：只写数字，不带分隔符或单位（如 1310，而不是 1,310 或 1310户）"
    )
    assert "第 ST-0062 行" in rows[1] and "“215户”" in rows[1]
    assert err.startswith("警告：") and not english_in(err), english_in(err)  # the data-quality line too


def test_validate_lists_every_problem_in_chinese(zh, tmp_path, capsys):
    path = bad_project(tmp_path, "end_before_start")
    code, out, _ = run(["validate", path], capsys)
    assert code == 1
    assert (
        "图层 lockdown_zones，第 Z-043 行，字段 end：管控区的解除时间早于开始时间"
        "（解除 2022-02-01 00:00，开始 2022-02-21 18:00） 解决办法：改正“start”或“end”"
    ) in out
    assert out.splitlines()[-1].startswith(f"{path}：1 个错误，0 个警告；图层：districts ")
    assert not english_in(out), english_in(out)


def test_conflicting_save_names_the_layer_and_rows_in_chinese(zh, tmp_path, capsys, monkeypatch):
    """Another program changes two zones between the command's read and its save: nothing is saved,
    the message says which layer and how many rows, and what to do."""
    import heatgis.model.store as store

    path = copy_demo(tmp_path, "p.gpkg")
    read, theirs = store.open_project, []

    def read_then_another_program_writes(p, *a, **k):
        project = read(p, *a, **k)
        sql(path, "UPDATE lockdown_zones SET name = name || ' (QGIS)' WHERE zone_id IN ('Z-001', 'Z-002')")
        theirs.append(path.read_bytes())
        return project

    monkeypatch.setattr(store, "open_project", read_then_another_program_writes)
    code, out, err = run(["tickets", "add", path, "--site", "ST-0025", "--id", "TK-9001"], capsys)
    assert code == 2 and out == "" and path.read_bytes() == theirs[0]  # nothing saved over their edit
    assert err.strip() == (
        f"错误：{path}：项目文件在读取之后已被其他程序修改（图层 lockdown_zones：修改 2 行）；未保存任何内容 "
        "解决办法：从文件重新载入项目，再重新应用您的修改（软件中：“重新载入并重新应用我的编辑”；命令行：重新运行该命令）"
    )


def test_os_error_memory_and_interruption_in_chinese(zh, capsys):
    from heatgis.cli import run_command

    class Args:
        def __init__(self, fn):
            self.func = fn

    def denied(args):
        raise PermissionError(13, "Permission denied", "/data/plans/out.csv")

    def memory(args):
        raise MemoryError

    def interrupted(args):
        raise KeyboardInterrupt

    assert run_command(Args(denied)) == 2
    assert capsys.readouterr().err.strip() == (
        "错误：/data/plans/out.csv：没有权限 解决办法：请选择一个可写入的文件夹，或修改文件的权限"
    )
    assert run_command(Args(memory)) == 2
    assert capsys.readouterr().err.startswith("错误：内存不足，无法处理该项目。 解决办法：请关闭其他程序")
    assert run_command(Args(interrupted)) == 130
    assert capsys.readouterr().err.strip() == "已中断"
    exc = PermissionError(13, "Permission denied", "/x.csv")
    assert os_error_message(exc, "en") == (
        "error: /x.csv: Permission denied Fix: choose a folder you can write to, or change the file's permissions"
    )


def test_english_is_unchanged(tmp_path, capsys):
    """HEATGIS_LANG=en (the tests' default): the messages read as they always did."""
    code, _, err = run(["impact", tmp_path / "missing.gpkg"], capsys)
    assert code == 2 and err.startswith(f"error: {tmp_path / 'missing.gpkg'}: the file does not exist Fix: check")
    path = bad_project(tmp_path, "households_as_text")
    code, _, err = run(["impact", path, "--strict"], capsys)
    assert "--strict: the project has 2 errors; nothing was printed, written or saved" in err
    assert "'1,310' is stored as text in the number field 'households' and is read as 1" in err
