"""The model's and the store's messages read right in Chinese (``exc.text("zh")``, ``problem.text("zh")``):
the Chinese words, the names and numbers kept, no English sentence; the English as it always was."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from heatgis.errors import HeatGISError
from heatgis.model.commands import SetZoneAttributes
from heatgis.model.project import parse_time
from heatgis.model.store import ConflictError, open_project, save_project
from heatgis.model.store.pgconn import parse_url
from heatgis.model.store.pgwrite import RowConflict
from heatgis.model.store.postgis import RowConflictError
from heatgis.model.validation import validate_project
from tests.core.bad_projects import bad_project, sql

#: an English sentence: three English words in a row outside quotes
ENGLISH = re.compile(r"\b[a-z]{2,}\s[a-z]{2,}\s[a-z]{2,}\b")


def english_in(text: str) -> list[str]:
    return ENGLISH.findall(re.sub(r"“[^”]*”|'[^']*'|\S*/\S*", "", text))


@pytest.mark.parametrize(
    "case, zh",
    [
        ("households_as_text", "第 ST-0025 行，字段 households：“1,310”以文本形式存在数字字段“households”中，读作 1"),
        (
            "negative_area",
            "第 ST-0062 行，字段 heated_area_m2：-5000.0 小于最小值 0 解决办法：改正“heated_area_m2”（供热面积㎡）",
        ),
        (
            "households_1e15",
            "1,000,000,000,000,000 不合理（超过 50,000 户数） 解决办法：改正“households”（户数）（是否输错",
        ),
        (
            "stations_replaced",
            "“ST-0025”不是“stations”（换热站）或“boiler_rooms”（锅炉房）中已有的 station_id 或 asset_id",
        ),
        ("null_site_id", "第 #25 行，字段 station_id：该值为空 解决办法：填写“station_id”（换热站编号）"),
        ("crew_shift_text", "“morning”不是时刻（HH:MM） 解决办法：“shift_start”写成如 08:00 或 20:00"),
        ("bad_reference_time", "基准时间“next tuesday”不是日期时间；不带 --at 的命令无法运行"),
        ("duplicate_ids", "编号“ST-0062”重复使用 解决办法：每个要素用自己的编号"),
    ],
)
def test_the_data_checks_per_row_problems_in_chinese(tmp_path, case, zh):
    project = open_project(bad_project(tmp_path, case), strict=False)
    problems = [p for p in validate_project(project) if p.severity == "error"]
    lines = [p.text("zh") for p in problems]
    assert any(zh in line for line in lines), "\n".join(lines)
    for line in lines:
        assert line.startswith("错误：") and not english_in(line), line
    assert [p.text("en") for p in problems] == [str(p) for p in problems]


def test_more_rows_than_listed_are_summed_up_in_chinese(tmp_path):
    path = bad_project(tmp_path, "stations_replaced")
    problems = validate_project(open_project(path, strict=False))
    more = [p for p in problems if p.count > 1]
    assert more and more[0].message.startswith("... and ") and more[0].message.endswith(" more rows like this")
    assert re.fullmatch(r"……另有 \d+ 行同样的问题", more[0].message.zh)


def test_missing_file_and_conflict_in_chinese(tmp_path):
    with pytest.raises(HeatGISError) as e:
        open_project(tmp_path / "nope.gpkg")
    zh = e.value.text("zh")
    assert zh.startswith(f"错误：{tmp_path / 'nope.gpkg'}：文件不存在 解决办法：") and "heatgis demo my.gpkg" in zh

    path = bad_project(tmp_path, "duplicate_ids")  # any copy of the demo
    mine = open_project(path, strict=False)
    sql(
        path,
        "UPDATE lockdown_zones SET name = 'x' WHERE zone_id = 'Z-001'",
        "DELETE FROM staff WHERE staff_id IN ('E-0001', 'E-0002', 'E-0003')",
    )
    mine.meta["notes"] = "mine"
    with pytest.raises(ConflictError) as e:
        save_project(mine)
    zh = e.value.text("zh")
    assert "（图层 lockdown_zones：修改 1 行；图层 staff：删除 3 行）；未保存任何内容" in zh, zh
    assert "重新载入并重新应用我的编辑" in zh and not english_in(zh)
    assert "(layer lockdown_zones: 1 row changed; layer staff: 3 rows removed); nothing was saved" in str(e.value)


def test_database_row_conflict_and_url_in_chinese():
    rows = [
        RowConflict("stations", "ST-0025", 25, "anna", "2022-02-25 08:00", deleted=False),
        RowConflict("lockdown_zones", "Z-001", 1, "", "", deleted=True),
    ]
    e = RowConflictError(rows, file="postgresql://db/heat?schema=hohhot")
    zh = e.text("zh")
    assert (
        "stations 第 ST-0025 行已被 anna 于 2022-02-25 08:00 修改；lockdown_zones 第 Z-001 行已被 他人 于 未知时间 删除"
        in zh
    )
    assert "图层 stations，第 ST-0025 行" in zh and not english_in(zh)
    assert (
        "stations row ST-0025 was changed by anna at 2022-02-25 08:00; lockdown_zones row Z-001 was deleted by "
        "someone at an unknown time" in str(e)
    )
    with pytest.raises(HeatGISError) as e2:
        parse_url("postgresql://anna:secret@db/heat?schema=hohhot")
    assert "数据库地址中含有密码" in e2.value.text("zh") and "~/.pgpass" in e2.value.text("zh")


def test_times_and_zone_edits_in_chinese():
    with pytest.raises(HeatGISError) as e:
        parse_time("25.02.2022", "start time")
    assert e.value.text("zh").startswith(
        "错误：无法把“25.02.2022”读作开始时间（应先写年、月、日） 解决办法：写成 2022-02-18"
    )
    assert str(e.value).startswith("error: '25.02.2022' is not a start time I can read (year-month-day first)")
    with pytest.raises(HeatGISError) as e:
        parse_time("2202-02-25")
    assert "“2202-02-25”：年份 2202 不在 1990–2100 之间 解决办法：请检查时间；写成" in e.value.text("zh")
    with pytest.raises(HeatGISError) as e:
        SetZoneAttributes("Z-001", level="lockdown")
    zh = e.value.text("zh")
    assert zh == (
        "错误：图层 lockdown_zones，第 Z-001 行，字段 level：“lockdown”不是管控级别 "
        "解决办法：可用的级别：sealed（封控区）、controlled（管控区）、precaution（防范区）"
    )
    assert str(e.value).endswith("'lockdown' is not a zone level Fix: use one of: sealed, controlled, precaution")
    with pytest.raises(HeatGISError) as e:
        SetZoneAttributes("Z-001", start=pd.Timestamp("2022-02-25"), end=pd.Timestamp("2022-02-20"))
    assert "管控区的解除时间早于开始时间 解决办法：把解除时间设在开始时间之后" in e.value.text("zh")
