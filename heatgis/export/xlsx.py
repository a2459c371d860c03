"""The Excel report: KPIs and the tables behind them, Chinese sheet names and headers.

The figures come from the same ``ImpactResult`` as the screen and the CLI; the
staffing and crew plans are added when the caller passes them.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from heatgis.errors import HeatGISError
from heatgis.export.files import check_writable

LEVEL_ZH = {"sealed": "封控区", "controlled": "管控区", "precaution": "防范区"}
KIND_ZH = {"station": "换热站", "boiler_room": "锅炉房"}

#: (column, Chinese header, number format or None)
SITE_COLS = [("kind", "类型", None), ("id", "编号", None), ("name", "名称", None),
             ("zone_ids", "所在管控区", None), ("district", "所在区", None), ("network_id", "管网", None),
             ("depot_id", "运营所", None), ("heated_area_m2", "供热面积(㎡)", "#,##0"),
             ("households", "户数", "#,##0")]
ZONE_COLS = [("zone_id", "编号", None), ("name", "名称", None), ("level", "级别", None),
             ("start", "开始时间", None), ("end", "解除时间", None), ("stations", "换热站", "0"),
             ("boiler_rooms", "锅炉房", "0"), ("heated_area_m2", "供热面积(㎡)", "#,##0"),
             ("households", "户数", "#,##0"), ("staff_locked_in", "居家员工", "0")]
SUM_COLS = [("stations", "换热站", "0"), ("boiler_rooms", "锅炉房", "0"),
            ("heated_area_m2", "供热面积(㎡)", "#,##0"), ("households", "户数", "#,##0")]
STAFF_COLS = [("staff_id", "工号", None), ("name", "姓名", None), ("role", "岗位", None),
              ("depot_id", "运营所", None), ("zone_ids", "所在管控区", None), ("assigned_site", "原岗位站点", None)]


STAFFING_ZH = {"staff_id": "工号", "name": "姓名", "phone": "电话", "role": "岗位", "depot_id": "运营所",
               "site_kind": "站点类型", "site_id": "站点编号", "site_name": "站点名称", "zone_id": "管控区",
               "zone_ids": "管控区", "shift": "班次", "distance_m": ("步行距离(m)", "#,##0"),
               "same_compound": "同小区", "pinned": "人工指定", "priority": ("优先级", "0"), "kind": "类型",
               "needed": ("需要", "0"), "assigned": ("到岗", "0"), "short": ("缺", "0"), "reason": "原因",
               "heated_area_m2": ("供热面积(㎡)", "#,##0"), "households": ("户数", "#,##0"),
               "district": "所在区", "x": ("X", "0"), "y": ("Y", "0")}
CREW_ZH = {"crew_id": "抢修队编号", "seq": ("顺序", "0"), "site_id": "站点编号", "kind": "类型", "name": "名称",
           "address": "地址", "eta": ("到达时间", "yyyy-mm-dd hh:mm"), "depart": ("离开时间", "yyyy-mm-dd hh:mm"),
           "travel_s": ("行驶(秒)", "#,##0"), "distance_m": ("行驶距离(m)", "#,##0"),
           "service_min": ("作业(分钟)", "0"), "zone_ids": "管控区", "priority": ("优先级", "0"),
           "depot_id": "运营所", "depot_name": "运营所名称", "members": ("人数", "0"),
           "shift_start": ("班次开始", "yyyy-mm-dd hh:mm"), "shift_end": ("班次结束", "yyyy-mm-dd hh:mm"),
           "stops": ("站点数", "0"), "service_s": ("作业(秒)", "#,##0"),
           "leave": ("出发", "yyyy-mm-dd hh:mm"), "back": ("返回", "yyyy-mm-dd hh:mm")}


def _cols(frame, names) -> list:
    out = []
    for c in frame.columns:
        v = names.get(c, c)
        if c == "color":
            continue
        out.append((c, v[0], v[1]) if isinstance(v, tuple) else (c, v, None))
    return out


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Datetimes without time zone (Excel has none), lists joined."""
    out = frame.copy()
    for c in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[c]):
            out[c] = out[c].dt.tz_localize(None) if getattr(out[c].dt, "tz", None) is not None else out[c]
    return out


def kpi_rows(result) -> list[tuple[str, str, object, str]]:
    """(Chinese label, English label, value, number format) — shared by the xlsx and the slides."""
    t, n = result.totals, result.network
    return [
        ("统计时间", "Time of the figures", t.at.strftime("%Y-%m-%d %H:%M"), "@"),
        ("锁闭换热站", "Locked stations", t.stations, "0"),
        ("锁闭锅炉房", "Locked boiler rooms", t.boiler_rooms, "0"),
        ("影响供热面积(万㎡)", "Heated area affected (10k m²)", round(t.heated_area_m2 / 1e4, 2), "#,##0.00"),
        ("影响户数(万户)", "Households affected (10k)", round(t.households / 1e4, 2), "#,##0.00"),
        ("影响供热面积(㎡)", "Heated area affected (m²)", t.heated_area_m2, "#,##0"),
        ("影响户数", "Households affected", t.households, "#,##0"),
        ("居家封控员工", "Staff locked in at home", t.staff_locked_in, "0"),
        ("抢修队", "Emergency crews", result.crews.get("crews", 0), "0"),
        ("抢修队员", "Crew members", result.crews.get("members", 0), "0"),
        ("生效管控区", "Active zones", t.zones_active, "0"),
        ("全网换热站", "Stations in the network", n["stations"], "0"),
        ("全网锅炉房", "Boiler rooms in the network", n["boiler_rooms"], "0"),
        ("全网供热面积(万㎡)", "Heated area, whole network (10k m²)", round(n["heated_area_m2"] / 1e4, 2),
         "#,##0.00"),
        ("全网户数(万户)", "Households, whole network (10k)", round(n["households"] / 1e4, 2), "#,##0.00"),
    ]


def write_report_xlsx(result, path, staffing=None, crew_plan=None) -> Path:
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

    Returns
    -------
    Path
    """
    from openpyxl import Workbook

    path = check_writable(path)
    wb = Workbook()
    ws = wb.active
    ws.title = "概况"
    ws.append(["指标", "Indicator", "数值"])
    for zh, en, value, fmt in kpi_rows(result):
        ws.append([zh, en, value])
        ws.cell(ws.max_row, 3).number_format = fmt
    _finish(ws, [14, 34, 16])

    sites = result.sites.assign(kind=result.sites["kind"].map(KIND_ZH),
                                zone_ids=result.sites["zone_ids"].map(lambda v: "、".join(v)))
    _sheet(wb, "锁闭站点", sites, SITE_COLS)
    zones = result.zones.assign(level=result.zones["level"].map(lambda v: LEVEL_ZH.get(v, v)))
    _sheet(wb, "管控区汇总", zones, ZONE_COLS)
    _sheet(wb, "各区汇总", result.by_district, [("district", "区", None)] + SUM_COLS)
    _sheet(wb, "各管网汇总", result.by_network, [("network_id", "管网", None)] + SUM_COLS)
    _sheet(wb, "各运营所汇总", result.by_depot, [("depot_id", "运营所", None)] + SUM_COLS)
    staff = result.staff.assign(zone_ids=result.staff["zone_ids"].map(lambda v: "、".join(v)))
    _sheet(wb, "居家员工", staff, STAFF_COLS)
    if staffing is not None:
        frame = getattr(staffing, "assignments", staffing)
        _sheet(wb, "人员安排", _plain(frame), _cols(frame, STAFFING_ZH))
        if hasattr(staffing, "duty_list"):
            _sheet(wb, "交抢修队站点", _plain(staffing.duty_list), _cols(staffing.duty_list, STAFFING_ZH))
    if crew_plan is not None:
        frame = getattr(crew_plan, "routes", crew_plan)
        _sheet(wb, "抢修路线", _plain(frame), _cols(frame, CREW_ZH))
        if hasattr(crew_plan, "crews"):
            _sheet(wb, "抢修队", _plain(crew_plan.crews), _cols(crew_plan.crews, CREW_ZH))
    try:
        wb.save(path)
    except OSError as exc:
        raise HeatGISError(f"the workbook could not be written ({exc.strerror})",
                           "close it in Excel if it is open, or choose another folder", file=path) from exc
    return path


def _sheet(wb, title, frame: pd.DataFrame, cols):
    ws = wb.create_sheet(title)
    cols = [c for c in cols if c[0] in frame.columns]
    ws.append([h for _, h, _ in cols])
    for rec in frame[[c for c, _, _ in cols]].itertuples(index=False):
        ws.append([_cell(v) for v in rec])
    for j, (_, _, fmt) in enumerate(cols, start=1):
        if fmt:
            for row in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                row[0].number_format = fmt
    widths = []
    for j, (c, h, _) in enumerate(cols):
        longest = max([_width(h)] + [_width(v) for v in frame[c].head(500)])
        widths.append(min(max(8, longest + 2), 48))
    _finish(ws, widths)


def _finish(ws, widths):
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws.freeze_panes = "A2"
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE6F0")
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w


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
