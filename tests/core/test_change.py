"""较昨日: the change of the headline figures between two times, and the zones that began or ended."""

from __future__ import annotations

import pandas as pd
import pytest

from heatgis.analysis.change import change_since, figures, signed
from heatgis.analysis.impact import impact


def test_change_on_the_tiny_project(tiny_project):
    project = tiny_project
    # Z4 (sealed, S5) starts 02-20 and ends 02-22: in at 02-21, lifted by 02-23
    ch = change_since(project, "2022-02-21T12:00", "2022-02-19T12:00")
    assert list(ch.new_zones["zone_id"]) == ["Z4"]
    assert ch.lifted_zones.empty
    before, now = impact(project, "2022-02-19T12:00"), impact(project, "2022-02-21T12:00")
    assert ch.before == figures(before) and ch.now == figures(now)
    for k in ch.now:
        assert ch.delta(k) == figures(now)[k] - figures(before)[k]
    later = change_since(project, "2022-02-23T12:00", "2022-02-21T12:00")
    assert list(later.lifted_zones["zone_id"]) == ["Z4"] and later.new_zones.empty
    assert later.delta("sites") < 0 and later.basis == "time"
    assert later.label("zh") == "较 02-21 12:00" and later.changed


def test_change_on_the_demo_a_day_earlier(demo_project):
    ch = change_since(demo_project, "2022-02-26T08:00")
    assert ch.since == pd.Timestamp("2022-02-25T08:00") and ch.basis == "24h"
    assert ch.label("zh") == "较昨日"
    assert list(ch.new_zones["zone_id"]) == ["Z-051"] and ch.lifted_zones.empty
    assert ch.delta("staff_locked_in") == 2 and ch.delta("heated_area_m2") == 0
    assert ch.now["stations"] == 24 and ch.before["households"] == 38500
    # the reference time: nothing moved in the 24 h before it
    ref = change_since(demo_project, "2022-02-25T08:00")
    assert not ref.changed


@pytest.mark.parametrize(
    ("value", "kind", "text"),
    [(3, "count", "+3"), (-12, "count", "−12"), (0, "count", "±0"), (-124000, "wan", "−12.40")],
)
def test_signed(value, kind, text):
    assert signed(value, kind) == text


def test_change_sheet_columns_follow_the_zone_summary(demo_project, tmp_path):
    """The sheet 变化 has the summary's zone columns (管控区汇总) after 变化, the area in ㎡, not 万㎡."""
    from openpyxl import load_workbook

    from heatgis.export.xlsx import write_report_xlsx

    ch = change_since(demo_project, "2022-03-10T08:00", "2022-02-25T08:00")
    assert len(ch.new_zones) and len(ch.lifted_zones)
    path = write_report_xlsx(impact(demo_project, "2022-03-10T08:00"), tmp_path / "r.xlsx", change=ch)
    wb = load_workbook(path)
    summary = [c.value for c in wb["管控区汇总"][1]]
    rows = list(wb["变化"].iter_rows(values_only=True))
    head = list(rows[0])
    assert head == ["变化"] + [("供热面积(㎡)" if h == "供热面积(万㎡)" else h) for h in summary]
    body = [r for r in rows[1:] if r and r[0] in ("新增", "解除")]
    assert [r[0] for r in body] == ["新增"] * len(ch.new_zones) + ["解除"] * len(ch.lifted_zones)
    area = head.index("供热面积(㎡)")
    expected = list(ch.new_zones["heated_area_m2"]) + list(ch.lifted_zones["heated_area_m2"])
    assert [r[area] for r in body] == pytest.approx(expected)
    assert wb["变化"].cell(2, area + 1).number_format == "#,##0"
