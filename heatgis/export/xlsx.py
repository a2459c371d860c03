"""The Excel report: KPIs and the tables behind them, in Chinese (the default) or English.

Sheet names and headers are written here in Chinese; ``export.xlsx_words`` has their English. The
values (levels, kinds, roles, statuses, tasks, reasons) are the vocabulary's words in the language.

The figures come from the same ``ImpactResult`` as the screen and the CLI; the
staffing and crew plans are added when the caller passes them.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from heatgis.errors import HeatGISError
from heatgis.export.files import check_writable
from heatgis.export.xlsx_words import word
from heatgis.model.vocab import label, level_label, wan
from heatgis.text import Text, localize

#: (column, Chinese header, number format or None)
SITE_COLS = [
    ("kind", "类型", None),
    ("id", "编号", None),
    ("name", "名称", None),
    ("zone_ids", "所在管控区", None),
    ("district", "所在区", None),
    ("network_id", "管网", None),
    ("depot_id", "运营所", None),
    ("heated_area_m2", "供热面积(㎡)", "#,##0"),
    ("households", "户数", "#,##0"),
]
ZONE_COLS = [
    ("zone_id", "编号", None),
    ("name", "名称", None),
    ("level", "级别", None),
    ("start", "开始时间", "yyyy-mm-dd hh:mm"),
    ("end", "解除时间", "yyyy-mm-dd hh:mm"),
    ("stations", "换热站", "0"),
    ("boiler_rooms", "锅炉房", "0"),
    ("area_wan", "供热面积(万㎡)", "#,##0.00"),
    ("households", "户数", "#,##0"),
    ("staff_locked_in", "居家员工", "0"),
]
SUM_COLS = [
    ("stations", "换热站", "0"),
    ("boiler_rooms", "锅炉房", "0"),
    ("area_wan", "供热面积(万㎡)", "#,##0.00"),
    ("households", "户数", "#,##0"),
]
STAFF_COLS = [
    ("staff_id", "工号", None),
    ("name", "姓名", None),
    ("role", "岗位", None),
    ("depot_id", "运营所", None),
    ("zone_ids", "所在管控区", None),
    ("assigned_site", "原岗位站点", None),
]


STAFFING_ZH = {
    "staff_id": "工号",
    "name": "姓名",
    "phone": "电话",
    "role": "岗位",
    "depot_id": "运营所",
    "site_kind": "站点类型",
    "site_id": "站点编号",
    "site_name": "站点名称",
    "zone_id": "管控区",
    "zone_ids": "管控区",
    "shift": "班次",
    "distance_m": ("步行距离(m)", "#,##0"),
    "distance_km": ("步行距离(km)", "#,##0.0"),
    "area_wan": ("供热面积(万㎡)", "#,##0.00"),
    "same_compound": "同小区",
    "pinned": "人工指定",
    "priority": ("优先级", "0"),
    "kind": "类型",
    "needed": ("需要", "0"),
    "assigned": ("到岗", "0"),
    "short": ("缺", "0"),
    "reason": "原因",
    "heated_area_m2": ("供热面积(㎡)", "#,##0"),
    "households": ("户数", "#,##0"),
    "district": "所在区",
    "x": ("X", "0"),
    "y": ("Y", "0"),
}
CREW_ZH = {
    "crew_id": "抢修队编号",
    "seq": ("顺序", "0"),
    "site_id": "站点编号",
    "kind": "类型",
    "name": "名称",
    "address": "地址",
    "eta": ("到达时间", "yyyy-mm-dd hh:mm"),
    "depart": ("离开时间", "yyyy-mm-dd hh:mm"),
    "travel_min": ("行驶(分钟)", "#,##0.0"),
    "distance_km": ("行驶距离(km)", "#,##0.0"),
    "service_min": ("作业(分钟)", "0"),
    "zone_ids": "管控区",
    "priority": ("优先级", "0"),
    "depot_id": "运营所",
    "depot_name": "运营所名称",
    "members": ("人数", "0"),
    "shift_start": ("班次开始", "yyyy-mm-dd hh:mm"),
    "shift_end": ("班次结束", "yyyy-mm-dd hh:mm"),
    "stops": ("站点数", "0"),
    "leave": ("出发", "yyyy-mm-dd hh:mm"),
    "back": ("返回", "yyyy-mm-dd hh:mm"),
}


#: the heat balance sheets: (column, Chinese header, number format); the same values as ``heatgis heat --json``
HEAT_NETWORK_COLS = [
    ("network_id", "管网", None),
    ("kind", "类型", None),
    ("stations", "换热站", "0"),
    ("capacity_mw", "供热能力(MW)", "#,##0.0"),
    ("demand_mw", "最冷时刻需求(MW)", "#,##0.0"),
    ("margin_mw", "余量(MW)", "#,##0.0"),
    ("margin_pct", "余量(%)", "0.0"),
    ("peak_demand_mw", "预报期最大需求(MW)", "#,##0.0"),
    ("hours_in_deficit", "缺口小时", "0"),
    ("first_deficit", "首个缺口时刻", None),
]
HEAT_HOURLY_COLS = [
    ("time", "时间", "yyyy-mm-dd hh:mm"),
    ("network_id", "管网", None),
    ("outdoor_c", "室外气温(℃)", "0.0"),
    ("demand_mw", "需求(MW)", "#,##0.0"),
    ("capacity_mw", "供热能力(MW)", "#,##0.0"),
    ("margin_mw", "余量(MW)", "#,##0.0"),
    ("deficit", "缺口", None),
]
HEAT_BOILER_COLS = [
    ("asset_id", "锅炉房编号", None),
    ("name", "名称", None),
    ("capacity_mw", "容量(MW)", "#,##0.00"),
    ("own_mw", "自身负荷(MW)", "#,##0.00"),
    ("fed_mw", "所供换热站(MW)", "#,##0.00"),
    ("demand_mw", "需求(MW)", "#,##0.00"),
    ("margin_mw", "余量(MW)", "#,##0.00"),
    ("margin_pct", "余量(%)", "0.0"),
    ("hours_in_deficit", "缺口小时", "0"),
    ("first_deficit", "首个缺口时刻", None),
    ("locked", "锁闭", None),
]
HEAT_RISK_COLS = [
    ("rank", "排序", "0"),
    ("site_kind", "类型", None),
    ("site_id", "站点编号", None),
    ("name", "名称", None),
    ("load_kw", "最冷时刻负荷(kW)", "#,##0"),
    ("households", "户数", "#,##0"),
    ("staffed", "驻守", None),
    ("hours_since_visit", "距上次巡检(小时)", "0.0"),
    ("patrol_interval_h", "巡检间隔(小时)", "0.0"),
    ("score", "风险分", "0.0"),
    ("reason", "说明", None),
]


def _cols(frame, names) -> list:
    out = []
    for c in frame.columns:
        v = names.get(c, c)
        if c == "color":
            continue
        out.append((c, v[0], v[1]) if isinstance(v, tuple) else (c, v, None))
    return out


def _plain(frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Datetimes without time zone (Excel has none); seconds as minutes, metres as km, m² as 万㎡
    (the units a planner reads; the headers say which); codes, reasons and messages in ``lang``."""
    out = frame.copy()
    for c in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[c]):
            out[c] = out[c].dt.tz_localize(None) if getattr(out[c].dt, "tz", None) is not None else out[c]
    for src, dst, k in (
        ("travel_s", "travel_min", 60.0),
        ("service_s", "service_min", 60.0),
        ("distance_m", "distance_km", 1000.0),
        ("heated_area_m2", "area_wan", 1e4),
    ):
        if src in out.columns and dst not in out.columns:
            v = pd.to_numeric(out[src], errors="coerce") / k
            out.insert(out.columns.get_loc(src), dst, v.round(2 if dst == "area_wan" else 1))
            if src != "heated_area_m2":
                out = out.drop(columns=src)
    from heatgis.analysis.staffing.reasons import place_name, reason_text
    from heatgis.export import ops_common as C

    def text(c) -> bool:
        return c in out.columns and not pd.api.types.is_numeric_dtype(out[c]) and not pd.api.types.is_bool_dtype(out[c])

    for c in out.columns:  # messages of the core (heatgis.text.Text) in the workbook's language
        if text(c) and out[c].map(lambda v: hasattr(v, "in_language")).any():
            out[c] = out[c].map(lambda v: localize(v, lang) if hasattr(v, "in_language") else v)
    if text("reason"):  # the staffing reasons, else the crews' plan's reason codes
        out["reason"] = out["reason"].map(
            lambda r: C.reason_label(r, lang) if r in C.REASONS_ZH else reason_text(r, lang)
        )
    for c in ("site_name", "name"):
        if text(c):
            out[c] = out[c].map(lambda v: place_name(v, lang) if isinstance(v, str) else v)
    for c, kind in (
        ("role", "role"),
        ("site_kind", "site_kind"),
        ("kind", "site_kind"),
        ("skill", "skill"),
        ("status", "status"),
        ("staffed", "status"),
    ):
        if text(c):
            out[c] = out[c].map(lambda v, k=kind: _words(k, v, lang))
    for c, fn in (("task", C.task_label), ("duty", C.duty_label)):
        if text(c):
            out[c] = out[c].map(lambda v, f=fn: f(v, lang) if isinstance(v, str) else v)
    if text("shift"):  # an on-call place's shift (the staffing plan's words)
        from heatgis.analysis.staffing.report import ON_CALL_SHIFT

        out["shift"] = out["shift"].replace({ON_CALL_SHIFT: "24 小时值守" if lang == "zh" else ON_CALL_SHIFT})
    for c in ("network_id",):  # the boiler rooms' own group among the networks
        if text(c):
            out[c] = out[c].replace({"boiler_rooms": word("锅炉房", lang)})
    return out


#: words of the codes a column may hold besides its own vocabulary (a route's stop kinds are tasks)
_OTHER_CODES = ("heat_source_kind",)


def _words(kind: str, v, lang: str = "zh"):
    """Codes in the language ("operator, welder" -> "运行工、焊工"); other values as they are."""
    if not isinstance(v, str):
        return v
    from heatgis.export.ops_common import TASKS

    parts = [p.strip() for p in v.replace("、", ",").replace(";", ",").split(",")]
    out = []
    for p in parts:
        if not p:
            continue
        w = label(kind, p, lang)
        for other in _OTHER_CODES:
            w = label(other, p, lang) if w == p else w
        if w == p and p in TASKS["en"]:
            w = TASKS[lang if lang in TASKS else "en"][p]
        if w == p and p == "unknown":
            w = "未知" if lang == "zh" else "unknown"
        out.append(w)
    return ("、" if lang == "zh" else ", ").join(out)


def _times(frame: pd.DataFrame, cols=("start", "end")) -> pd.DataFrame:
    """ISO text times ("2022-02-16T06:00") as real date-times."""
    out = frame.copy()
    for c in cols:
        if c in out.columns and not pd.api.types.is_datetime64_any_dtype(out[c]):
            out[c] = pd.to_datetime(out[c], errors="coerce")
    return out


def kpi_rows(result) -> list[tuple[str, str, object, str]]:
    """(Chinese label, English label, value, number format) — shared by the xlsx and the slides."""
    t, n = result.totals, result.network
    return [
        ("统计时间", "Time of the figures", t.at.strftime("%Y-%m-%d %H:%M"), "@"),
        ("锁闭换热站", "Locked stations", t.stations, "0"),
        ("锁闭锅炉房", "Locked boiler rooms", t.boiler_rooms, "0"),
        ("影响供热面积(万㎡)", "Heated area affected (10k m²)", round(wan(t.heated_area_m2), 2), "#,##0.00"),
        ("影响户数(万户)", "Households affected (10k)", round(wan(t.households), 2), "#,##0.00"),
        ("影响供热面积(㎡)", "Heated area affected (m²)", t.heated_area_m2, "#,##0"),
        ("影响户数", "Households affected", t.households, "#,##0"),
        ("居家封控员工", "Staff locked in at home", t.staff_locked_in, "0"),
        ("抢修队", "Emergency crews", result.crews.get("crews", 0), "0"),
        ("抢修队员", "Crew members", result.crews.get("members", 0), "0"),
        ("生效管控区", "Active zones", t.zones_active, "0"),
        ("全网换热站", "Stations in the network", n["stations"], "0"),
        ("全网锅炉房", "Boiler rooms in the network", n["boiler_rooms"], "0"),
        ("全网供热面积(万㎡)", "Heated area, whole network (10k m²)", round(wan(n["heated_area_m2"]), 2), "#,##0.00"),
        ("全网户数(万户)", "Households, whole network (10k)", round(wan(n["households"]), 2), "#,##0.00"),
    ]


#: the unit of each summary row (``kpi_rows``' Chinese label -> zh, en)
_KPI_UNITS = {
    "锁闭换热站": ("座", "stations"),
    "锁闭锅炉房": ("座", "boiler rooms"),
    "影响供热面积(万㎡)": ("万㎡", "10k m²"),
    "影响户数(万户)": ("万户", "10k households"),
    "影响供热面积(㎡)": ("㎡", "m²"),
    "影响户数": ("户", "households"),
    "居家封控员工": ("人", "people"),
    "抢修队": ("支", "crews"),
    "抢修队员": ("人", "people"),
    "生效管控区": ("个", "zones"),
    "全网换热站": ("座", "stations"),
    "全网锅炉房": ("座", "boiler rooms"),
    "全网供热面积(万㎡)": ("万㎡", "10k m²"),
    "全网户数(万户)": ("万户", "10k households"),
}


def kpi_unit(zh_label: str, lang: str = "zh") -> str:
    """The unit column of the summary sheet."""
    u = _KPI_UNITS.get(zh_label)
    return "" if u is None else (u[0] if lang == "zh" else u[1])


def write_report_xlsx(
    result, path, staffing=None, crew_plan=None, heat=None, ops_plan=None, quality=None, change=None, lang="zh"
) -> Path:
    """Write the report workbook.

    Parameters
    ----------
    result : ImpactResult
    path : path-like
    staffing : StaffingPlan or DataFrame, optional
        The staffing plan (its assignments and the sites left to the crews),
        or a frame of assignments.
    crew_plan : CrewPlan or DataFrame, optional
        The crew plan (its stops and crews), or a frame of stops.
    heat : HeatResult, optional
        The heat balance (``heatgis.analysis.heat``): sheets 供热平衡 (each network at the
        coldest hour), 逐时供热 (the hourly table per network), 锅炉房平衡 and 风险站点.
    ops_plan : OpsPlan, optional
        The crews' operations plan: adds 值班表, 覆盖率, 车辆路线, 未满足 (``xlsx_ops.add_ops_sheets``).
    quality : heatgis.analysis.quality.Quality, optional
        The data check of the project: when it found problems, the summary sheet ends with
        a row saying how many (the figures may be wrong), so the workbook never hides it.
    change : heatgis.analysis.change.Change, optional
        The change since the earlier time: a column 较昨日 on the summary sheet (and the earlier
        value) and the sheet 变化 (new and lifted zones).
    lang : {"zh", "en"}
        The language of the sheet names, headers and words (``export.xlsx_words``; default Chinese).

    Returns
    -------
    Path
    """
    from openpyxl import Workbook

    path = check_writable(path)
    wb = Workbook()
    ws = wb.active
    ws.title = word("概况", lang)
    from heatgis.export.xlsx_change import change_cells, change_sheet

    deltas = change_cells(change)
    head = [word("指标", lang), word("单位", lang), word("数值", lang)]
    if change is not None:
        label = change.label(lang)
        head += [
            f"{label}变化" if lang == "zh" else f"Change {label}",
            f"{change.since:%Y-%m-%d %H:%M} {word('数值', lang)}",
        ]
    _append(ws, head)
    for zh, en, value, fmt in kpi_rows(result):
        d = deltas.get(zh)
        _append(ws, [zh if lang == "zh" else en, kpi_unit(zh, lang), value] + (list(d) if d else []))
        for j in (3, 4, 5) if d else (3,):
            ws.cell(ws.max_row, j).number_format = fmt if j != 4 or fmt == "@" else "+" + fmt + ";-" + fmt + ";0"
    if quality is not None and quality.total:
        if quality.errors:  # the figures may be wrong: the sheet says so, in its language
            note = (
                "数字可能有误，见 heatgis validate" if lang == "zh" else "figures may be wrong; see 'heatgis validate'"
            )
        else:
            note = "见 heatgis validate" if lang == "zh" else "see 'heatgis validate'"
        _append(ws, [word("数据问题（错误）", lang), note, f"{quality.total} ({quality.errors})"])
        from openpyxl.styles import Font

        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True, color="B2182B")
    _finish(ws, [20, 30 if quality is not None and quality.total else 10, 16, 14, 18])
    if change is not None:
        change_sheet(wb, change, lang)

    sep = "、" if lang == "zh" else ", "
    sites = _plain(result.sites.assign(zone_ids=result.sites["zone_ids"].map(lambda v: sep.join(v))), lang)
    _sheet(wb, word("锁闭站点", lang), sites, SITE_COLS, lang)
    zones = _times(_plain(result.zones.assign(level=result.zones["level"].map(lambda v: level_label(v, lang))), lang))
    _sheet(wb, word("管控区汇总", lang), zones, ZONE_COLS, lang)
    _sheet(wb, word("各区汇总", lang), _plain(result.by_district, lang), [("district", "区", None)] + SUM_COLS, lang)
    by_net = _plain(result.by_network, lang)
    _sheet(wb, word("各管网汇总", lang), by_net, [("network_id", "管网", None)] + SUM_COLS, lang)
    _sheet(
        wb, word("各运营所汇总", lang), _plain(result.by_depot, lang), [("depot_id", "运营所", None)] + SUM_COLS, lang
    )
    staff = _plain(result.staff.assign(zone_ids=result.staff["zone_ids"].map(lambda v: sep.join(v))), lang)
    _sheet(wb, word("居家员工", lang), staff, STAFF_COLS, lang)
    if staffing is not None:
        frame = _plain(getattr(staffing, "assignments", staffing), lang)
        _sheet(wb, word("人员安排", lang), frame, _cols(frame, STAFFING_ZH), lang)
        if hasattr(staffing, "duty_list"):
            duty = _plain(staffing.duty_list, lang)
            _sheet(wb, word("交抢修队站点", lang), duty, _cols(duty, {**STAFFING_ZH, "name": "站点名称"}), lang)
    if crew_plan is not None:
        frame = _plain(getattr(crew_plan, "routes", crew_plan), lang)
        _sheet(wb, word("抢修路线", lang), frame, _cols(frame, CREW_ZH), lang)
        if hasattr(crew_plan, "crews"):
            crews = _plain(crew_plan.crews, lang)
            _sheet(wb, word("抢修队", lang), crews, _cols(crews, CREW_ZH), lang)
    if heat is not None:
        write_heat_sheets(wb, heat, lang)
    if ops_plan is not None:
        from heatgis.export.xlsx_ops import add_ops_sheets

        add_ops_sheets(wb, ops_plan, lang)
    try:
        _no_formulas(wb)
        wb.save(path)
    except OSError as exc:
        raise _not_written(exc, path) from exc
    return path


def _not_written(exc: OSError, path) -> HeatGISError:
    return HeatGISError(
        Text("the workbook could not be written ({err})", "工作簿无法写入（{err}）", err=exc.strerror),
        Text(
            "close it in Excel if it is open, or choose another folder",
            "如果 Excel 打开着它，请先关闭，或另选文件夹",
        ),
        file=path,
    )


def write_heat_sheets(wb, heat, lang: str = "zh") -> None:
    """The heat balance sheets (see ``write_report_xlsx``) added to an openpyxl workbook."""
    from heatgis.export.pages import heat_source_text

    ws = wb.create_sheet(word("供热平衡", lang))
    t = heat.totals()
    head = [
        ("最冷时刻", f"{heat.coldest_time:%Y-%m-%d %H:%M}"),
        ("室外气温(℃)", round(heat.coldest_c, 1)),
        ("气温来源", heat_source_text(heat, lang)),
        ("预报起点", f"{heat.at:%Y-%m-%d %H:%M}"),
        ("预报小时数", len(heat.hours)),
        ("全网需求(MW)", t["demand_mw"]),
        ("全网供热能力(MW)", t["capacity_mw"]),
        ("缺口管网", t["networks_in_deficit"]),
        ("缺口锅炉房", t["boiler_rooms_in_deficit"]),
    ]
    for name, value in head:
        _append(ws, [word(name, lang), word(value, lang) if isinstance(value, str) else value])
    _append(ws, [])
    top = ws.max_row + 1
    _append(ws, [word(h, lang) for _, h, _ in HEAT_NETWORK_COLS])
    networks = _plain(heat.networks, lang)
    for rec in networks[[c for c, _, _ in HEAT_NETWORK_COLS]].itertuples(index=False):
        _append(ws, [_cell(v) for v in rec])
    for j, (_, _, fmt) in enumerate(HEAT_NETWORK_COLS, start=1):
        for row in ws.iter_rows(min_row=top + 1, min_col=j, max_col=j):
            if fmt:
                row[0].number_format = fmt
    _finish(ws, [18, 14, 8, 14, 16, 12, 10, 18, 10, 18])
    ws.freeze_panes = None
    ws.auto_filter.ref = None
    from openpyxl.styles import Font, PatternFill

    for cell in ws[top]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE6F0")
    yes = {True: word("是", lang), False: ""}
    hourly = heat.hourly.assign(deficit=heat.hourly["deficit"].map(yes))
    _sheet(wb, word("逐时供热", lang), hourly, HEAT_HOURLY_COLS, lang)
    boilers = heat.boiler_rooms.assign(locked=heat.boiler_rooms["locked"].map(yes))
    _sheet(wb, word("锅炉房平衡", lang), boilers, HEAT_BOILER_COLS, lang)
    _sheet(wb, word("风险站点", lang), _plain(heat.risk, lang) if len(heat.risk) else heat.risk, HEAT_RISK_COLS, lang)


def _sheet(wb, title, frame: pd.DataFrame, cols, lang: str = "zh"):
    ws = wb.create_sheet(title)
    cols = [(c, word(h, lang), f) for c, h, f in cols if c in frame.columns]
    _append(ws, [h for _, h, _ in cols])
    for rec in frame[[c for c, _, _ in cols]].itertuples(index=False):
        _append(ws, [_cell(v) for v in rec])
    for j, (_, _, fmt) in enumerate(cols, start=1):
        if fmt:
            for row in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                row[0].number_format = fmt
    widths = []
    for c, h, _ in cols:
        longest = max([_width(h)] + [_width(v) for v in frame[c].head(500)])
        widths.append(min(max(8, longest + 2), 48))
    _finish(ws, widths)


def _append(ws, values) -> None:
    """Append a row; text is always stored as text, a core message (:class:`heatgis.text.Text`) in
    Chinese. openpyxl turns every string that begins
    with '=' into a formula: a station named '=HYPERLINK(...)' would become a live link in the
    meeting's workbook (OWASP CSV/formula injection). Such cells get the string data type."""
    values = [v.zh if isinstance(v, Text) else v for v in values]  # the workbook is in Chinese
    ws.append(values)
    row = ws._current_row  # the row just appended (ws.max_row scans every cell: quadratic over a sheet)
    for j, v in enumerate(values, start=1):
        if isinstance(v, str) and v.startswith("="):
            cell = ws.cell(row, j)
            if cell.data_type == "f":
                cell.data_type = "s"


def _no_formulas(wb) -> None:
    """Last guard before saving: HeatGIS writes no formulas, so any cell openpyxl took for one
    (text beginning with '=') is stored as the text it is."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f" and isinstance(cell.value, str):
                    cell.data_type = "s"


def _finish(ws, widths):
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws.freeze_panes = "A2"
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE6F0")
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    if ws.max_column > 1 and ws.max_row > 1:
        ws.auto_filter.ref = f"A1:{get_column_letter(ws.max_column)}{ws.max_row}"
    # printed: A4 landscape, as wide as the page, the header row on every page
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"


def _cell(v):
    if isinstance(v, (list, tuple)):
        return "、".join(map(str, v))
    if v is None or (pd.api.types.is_scalar(v) and pd.isna(v)):
        return None
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    if hasattr(v, "item"):
        return v.item()
    return v


def _width(v) -> int:
    from heatgis.model.vocab import width

    return width("" if v is None else str(v))
