"""What every output of the crews' operations plan shares: labels (zh / en) and derived tables.

Qt-free. The roster PDF, the route sheets of the vehicles, the Excel sheets, the deck's
crew slide, the Gantt chart and the app's crew-operations dock read an ``OpsPlan``
(``heatgis.routing.opsplan``) through these helpers, so a task, a duty or a reason is
named the same way everywhere.
"""

from __future__ import annotations

import pandas as pd

from heatgis.model import vocab
from heatgis.text import Text

TASKS = {
    "zh": {
        "board": "上车",
        "drop": "送达",
        "pickup": "接回",
        "alight": "下车",
        "patrol": "巡检",
        "ticket": "工单",
        "presence": "值守",
        "on_call": "电工待命",
        "vehicle": "车组",
        "drive": "行驶",
        "depot": "驻地",
    },
    "en": {
        "board": "board",
        "drop": "drop",
        "pickup": "pick up",
        "alight": "alight",
        "patrol": "patrol",
        "ticket": "ticket",
        "presence": "presence",
        "on_call": "on call",
        "vehicle": "vehicle team",
        "drive": "drive",
        "depot": "depot",
    },
}
DUTIES = {
    "zh": {"presence": "值守岗位", "on_call": "电工待命", "patrol": "巡检", "ticket": "工单", "pickup": "接回"},
    "en": {"presence": "presence", "on_call": "on call", "patrol": "patrol", "ticket": "ticket", "pickup": "pick-up"},
}
REASONS_ZH = {
    "no qualified member left": "无具备技能的队员",
    "rest rule": "休息规则限制",
    "closed-loop limit": "闭环人数上限",
    "unreachable": "无法到达",
    "no qualified crew": "无具备技能的抢修队",
    "no vehicle time": "车辆时间不足",
    "window missed": "错过时间窗",
    # the single-shift route plan's reasons (heatgis.routing.plan)
    "outside any shift": "不在任何班次内",
    "too far for the shift": "超出班次行程",
    "no crew time left in the shift": "班次内抢修队时间不足",
}
SKILLS_ZH = vocab.SKILL_ZH  # the vocabulary's words (model.vocab), not a copy
TICKET_KINDS = {"zh": vocab.TICKET_KIND_ZH, "en": vocab.TICKET_KIND_EN}
# the plan's ticket statuses (planned, late, unmet) beside the ticket's own "open"
TICKET_STATUS = {
    "zh": {"planned": "已安排", "late": "超时", "unmet": "未安排", "open": "待派"},
    "en": {"planned": "planned", "late": "late", "unmet": "unmet", "open": "open"},
}


def task_label(task, lang: str = "zh") -> str:
    return TASKS.get(lang, TASKS["en"]).get(str(task), str(task))


def duty_label(duty, lang: str = "zh") -> str:
    return DUTIES.get(lang, DUTIES["en"]).get(str(duty), str(duty))


def reason_label(reason, lang: str = "zh") -> str:
    r = "" if reason is None or (not isinstance(reason, str) and pd.isna(reason)) else str(reason)
    return REASONS_ZH.get(r, r) if lang == "zh" else r


def skill_label(skill, lang: str = "zh") -> str:
    s = "" if skill is None or (not isinstance(skill, str) and pd.isna(skill)) else str(skill)
    if lang != "zh":
        return ", ".join(vocab.label("skill", x, "en") for x in s.split(";") if x)
    return "、".join(SKILLS_ZH.get(x, x) for x in s.split(";") if x)


def text(v, lang: str = "en") -> str:
    """A cell as text ('' for missing values; a ``heatgis.text.Text`` in ``lang``)."""
    if isinstance(v, Text):
        return v.in_language(lang)
    if v is None or (not isinstance(v, (str, list, tuple)) and pd.isna(v)):
        return ""
    if isinstance(v, (list, tuple)):
        return ", ".join(map(str, v))
    return str(v)


def hm(ts, day0=None) -> str:
    """HH:MM, with +1 when ``ts`` is on the day after ``day0``."""
    if ts is None or pd.isna(ts):
        return ""
    ts = pd.Timestamp(ts)
    if day0 is None:
        return f"{ts:%H:%M}"
    d = (ts.normalize() - pd.Timestamp(day0).normalize()).days
    return f"{ts:%H:%M}" + (f"+{d}" if d > 0 else "")


def staff_names(plan) -> dict:
    """staff id → name, from the roster."""
    r = plan.roster
    return {str(s): str(n) for s, n in zip(r["staff_id"], r["name"]) if pd.notna(n)}


def people(ids, names: dict) -> str:
    """';'-joined staff ids as "name (id)" joined by commas."""
    out = []
    for sid in text(ids).split(";"):
        sid = sid.strip()
        if sid:
            out.append(f"{names.get(sid, '')} ({sid})" if names.get(sid) else sid)
    return ", ".join(out)


def vehicle_label(vehicle_id: str, crew_name: str = "") -> str:
    """ "CR-01/V1@02-25 08:00" → "CR-01 抢修一队 V1"."""
    vid = str(vehicle_id)
    crew, _, rest = vid.partition("/")
    v = rest.split("@")[0] if rest else ""
    return " ".join(x for x in (crew, crew_name, v) if x)


def working_vehicles(plan) -> pd.DataFrame:
    """The vehicle shifts with at least one stop, in crew, shift, vehicle order."""
    v = plan.vehicles
    v = v[v["stops"] > 0] if len(v) else v
    return v.sort_values(["crew_id", "shift_start", "vehicle_id"], kind="stable").reset_index(drop=True)


def route_frames(plan):
    """The OpsPlan's vehicles as the map's route frames (``RoutesOverlay.set_routes``).

    Returns
    -------
    routes : GeoDataFrame
        One row per working vehicle: crew_id (= vehicle id), name, color, stops, geometry
        (MultiLineString of its legs).
    stops : GeoDataFrame
        crew_id (= vehicle id), seq, site_id, color, geometry (the stop point).
    """
    import geopandas as gpd
    import shapely

    v = working_vehicles(plan)
    rows, geoms = [], []
    for r in v.itertuples():
        legs = plan.legs[plan.legs["vehicle_id"] == r.vehicle_id]
        parts = [g for g in legs.geometry if g is not None and not g.is_empty]
        rows.append(
            {
                "crew_id": r.vehicle_id,
                "name": vehicle_label(r.vehicle_id, r.crew_name).split(" ", 1)[-1],
                "color": r.color,
                "stops": int(r.stops),
            }
        )
        geoms.append(shapely.MultiLineString(parts) if parts else None)
    routes = (
        gpd.GeoDataFrame(rows, geometry=geoms, crs=plan.crs)
        if rows
        else gpd.GeoDataFrame({"crew_id": [], "name": [], "color": [], "stops": []}, geometry=[], crs=plan.crs)
    )
    s = plan.stops[plan.stops["vehicle_id"].isin(set(v["vehicle_id"]))]
    colors = dict(zip(v["vehicle_id"], v["color"]))
    stops = gpd.GeoDataFrame(
        {
            "crew_id": s["vehicle_id"].to_numpy(),
            "seq": s["seq"].to_numpy(),
            "site_id": s["site_id"].to_numpy(),
            "color": s["vehicle_id"].map(colors).to_numpy(),
        },
        geometry=shapely.points(s["x"].to_numpy(float), s["y"].to_numpy(float)) if len(s) else [],
        crs=plan.crs,
    )
    return routes, stops


def roster_table(plan, lang: str = "zh", by: str = "crew") -> pd.DataFrame:
    """The roster as printed: by crew (every row, vehicle teams too) or by site (places only).

    Columns: staff_id, name, crew_id, task, site_id, site_name, skill, start, end, vehicle,
    set_down, taken_back (labels in ``lang``; times stay Timestamps).
    """
    r = plan.roster_by_crew() if by == "crew" else plan.roster_by_site()
    inside = "已在区内" if lang == "zh" else "inside"
    return pd.DataFrame(
        {
            "staff_id": r["staff_id"].astype(str),
            "name": r["name"].map(text),
            "crew_id": r["crew_id"].map(text),
            "task": r["task"].map(lambda t: task_label(t, lang)),
            "site_id": r["site_id"].map(text),
            "site_name": r["site_name"].map(text),
            "skill": r["skill"].map(lambda s: skill_label(s, lang)),
            "shift": r["shift"].map(text),
            "start": r["start"],
            "end": r["end"],
            "vehicle": r["vehicle_id"].map(lambda v: vehicle_label(v) if text(v) else ""),
            "set_down": [
                vehicle_label(d) if text(d) else (inside if t != "vehicle" else "")
                for d, t in zip(r["drop_vehicle"], r["task"])
            ],
            "taken_back": [
                vehicle_label(d) if text(d) else (inside if t != "vehicle" else "")
                for d, t in zip(r["pickup_vehicle"], r["task"])
            ],
        }
    )


def coverage_rows(plan) -> list[dict]:
    """Per staffing shift: required / filled places and presence, plus an "all" row."""
    c = plan.coverage()
    rows = [
        {
            "shift": p["shift"],
            "start": p["start"],
            "places_required": p["places_required"],
            "places_filled": p["places_filled"],
            "presence_required": p["presence_required"],
            "presence_filled": p["presence_filled"],
        }
        for p in c["per_shift"]
    ]
    rows.append(
        {
            "shift": "all",
            "start": None,
            "places_required": c["places_required"],
            "places_filled": c["places_filled"],
            "presence_required": c["presence_required"],
            "presence_filled": c["presence_filled"],
        }
    )
    return rows


def unmet_by_reason(plan) -> dict:
    """reason → number of duties not met."""
    u = plan.unmet
    return {str(k): int(v) for k, v in u["reason"].value_counts().sort_index().items()} if len(u) else {}
