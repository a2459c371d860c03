"""The crews' plan in a workbook: 值班表, 覆盖率, 车辆路线 and 未满足, in the report or alone."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from heatgis.export.files import check_writable
from heatgis.export.xlsx import _append, _no_formulas, _not_written, _plain, _sheet, _times
from heatgis.export.xlsx_words import word

#: the roster sheet (值班表): plan.roster's columns, in this order, with Chinese headers
ROSTER_ZH = [
    ("staff_id", "工号", None),
    ("name", "姓名", None),
    ("crew_id", "抢修队", None),
    ("task", "任务", None),
    ("place_id", "岗位编号", None),
    ("site_id", "站点编号", None),
    ("site_name", "站点名称", None),
    ("skill", "技能", None),
    ("shift", "值守班次", None),
    ("start", "开始", "yyyy-mm-dd hh:mm"),
    ("end", "结束", "yyyy-mm-dd hh:mm"),
    ("vehicle_id", "车辆", None),
    ("drop_vehicle", "送达车辆", None),
    ("pickup_vehicle", "接回车辆", None),
]
COVERAGE_ZH = [
    ("shift", "值守班次", None),
    ("start", "开始", "yyyy-mm-dd hh:mm"),
    ("places_required", "需要岗位", "0"),
    ("places_filled", "已安排岗位", "0"),
    ("presence_required", "值守需要", "0"),
    ("presence_filled", "值守已安排", "0"),
]
UNMET_ZH = [
    ("duty", "任务类别", None),
    ("duty_id", "编号", None),
    ("site_id", "站点编号", None),
    ("skill", "技能", None),
    ("start", "开始", "yyyy-mm-dd hh:mm"),
    ("end", "结束", "yyyy-mm-dd hh:mm"),
    ("reason", "原因", None),
    ("detail", "说明", None),
]
OPS_STOP_ZH = [
    ("vehicle_id", "车辆", None),
    ("crew_id", "抢修队", None),
    ("seq", "顺序", "0"),
    ("site_id", "站点编号", None),
    ("name", "名称", None),
    ("task", "任务", None),
    ("staff_ids", "上下车人员", None),
    ("arrive", "到达", "yyyy-mm-dd hh:mm"),
    ("start", "开始作业", "yyyy-mm-dd hh:mm"),
    ("depart", "离开", "yyyy-mm-dd hh:mm"),
    ("travel_min", "行驶(分钟)", "#,##0.0"),
    ("distance_km", "行驶距离(km)", "#,##0.0"),
    ("zone_ids", "管控区", None),
]


def add_ops_sheets(wb, plan, lang: str = "zh") -> None:
    """Add the crews' plan to a workbook: 值班表 (= ``plan.roster``), 覆盖率 (per staffing shift and
    in all, tickets, unmet by reason), 车辆路线 (the stops) and 未满足 (``plan.unmet``)."""
    from heatgis.export.ops_common import coverage_rows, reason_label, unmet_by_reason

    _sheet(wb, word("值班表", lang), _plain(plan.roster, lang), ROSTER_ZH, lang)
    cov = pd.DataFrame(coverage_rows(plan)).assign(shift=lambda f: f["shift"].replace({"all": word("合计", lang)}))
    _sheet(wb, word("覆盖率", lang), _times(cov), COVERAGE_ZH, lang)
    ws = wb[word("覆盖率", lang)]
    c = plan.coverage()
    _append(ws, [])
    for name, value in (
        ("巡检 完成/需要", f"{c['patrols_done']}/{c['patrols_required']}"),
        ("工单 总数", c["tickets"]),
        ("工单 按时", c["tickets_met"]),
        ("工单 超时", c["tickets_late"]),
    ):
        _append(ws, [word(name, lang), None, value])
    for reason, n in unmet_by_reason(plan).items():
        _append(ws, [f"{word('未满足', lang)}{'：' if lang == 'zh' else ': '}{reason_label(reason, lang)}", None, n])
    _sheet(wb, word("车辆路线", lang), _plain(plan.stops, lang), OPS_STOP_ZH, lang)
    _sheet(wb, word("未满足", lang), _plain(plan.unmet, lang), UNMET_ZH, lang)


def write_ops_xlsx(plan, path, lang: str = "zh") -> Path:
    """The crews' plan alone as a workbook (``heatgis crews --xlsx``): the sheets of ``add_ops_sheets``."""
    from openpyxl import Workbook

    path = check_writable(path)
    wb = Workbook()
    wb.remove(wb.active)
    add_ops_sheets(wb, plan, lang)
    try:
        _no_formulas(wb)
        wb.save(path)
    except OSError as exc:
        raise _not_written(exc, path) from exc
    return path
