"""The workbook's change since the earlier time (较昨日): the summary sheet's change column and the sheet 变化."""

from __future__ import annotations

import pandas as pd

from heatgis.export.xlsx import ZONE_COLS, _append, _sheet
from heatgis.export.xlsx_words import word
from heatgis.model.vocab import level_label, wan


def change_cells(change) -> dict:
    """KPI label (``kpi_rows``) -> (change, value at the earlier time)."""
    if change is None:
        return {}
    b, d = change.before, change.delta
    return {
        "锁闭换热站": (d("stations"), b["stations"]),
        "锁闭锅炉房": (d("boiler_rooms"), b["boiler_rooms"]),
        "影响供热面积(万㎡)": (round(wan(d("heated_area_m2")), 2), round(wan(b["heated_area_m2"]), 2)),
        "影响户数(万户)": (round(wan(d("households")), 2), round(wan(b["households"]), 2)),
        "影响供热面积(㎡)": (d("heated_area_m2"), b["heated_area_m2"]),
        "影响户数": (d("households"), b["households"]),
        "居家封控员工": (d("staff_locked_in"), b["staff_locked_in"]),
        "生效管控区": (d("zones_active"), b["zones_active"]),
    }


#: the summary sheet's zone columns (``xlsx.ZONE_COLS``) led by what happened, with the area in
#: ㎡ as ``change.ZONE_COLUMNS`` carries it (not 万㎡)
CHANGE_COLS = [("what", "变化", None)] + [
    ("heated_area_m2", "供热面积(㎡)", "#,##0") if c == "area_wan" else (c, h, fmt) for c, h, fmt in ZONE_COLS
]


def change_sheet(wb, change, lang: str = "zh") -> None:
    """变化: the zones that began (新增, their figures now) or ended (解除, their figures then)."""
    frames = [
        change.new_zones.assign(what=word("新增", lang)),
        change.lifted_zones.assign(what=word("解除", lang)),
    ]
    f = pd.concat([x for x in frames if len(x)], ignore_index=True) if any(len(x) for x in frames) else None
    if f is None:
        f = pd.DataFrame(columns=[c for c, _, _ in CHANGE_COLS])
    f = f.assign(level=f["level"].map(lambda v: level_label(v, lang)))
    for c in ("start", "end"):
        f[c] = pd.to_datetime(f[c], errors="coerce")
    _sheet(wb, word("变化", lang), f, CHANGE_COLS, lang)
    ws = wb[word("变化", lang)]
    _append(ws, [])
    span = f"{change.since:%Y-%m-%d %H:%M} → {change.at:%Y-%m-%d %H:%M}"
    _append(
        ws, [f"对比时间 {span}（{change.label()}）" if lang == "zh" else f"Compared: {span} ({change.label(lang)})"]
    )
