"""The tables of the crew-operations dock: their headers (translated) and the duty and ticket frames
built from an ``OpsPlan``. Used by ``heatgis.gui.panels.crewops``."""

from __future__ import annotations

import pandas as pd
from PySide6 import QtCore
from PySide6.QtCore import QT_TRANSLATE_NOOP

from heatgis.export import ops_common as C
from heatgis.text import localize

_C = "CrewOpsPanel"
ROSTER_HEADERS = {
    "staff_id": QT_TRANSLATE_NOOP("CrewOpsPanel", "staff"),
    "name": QT_TRANSLATE_NOOP("CrewOpsPanel", "name"),
    "crew_id": QT_TRANSLATE_NOOP("CrewOpsPanel", "crew"),
    "task": QT_TRANSLATE_NOOP("CrewOpsPanel", "task"),
    "site_id": QT_TRANSLATE_NOOP("CrewOpsPanel", "site"),
    "site_name": QT_TRANSLATE_NOOP("CrewOpsPanel", "site name"),
    "skill": QT_TRANSLATE_NOOP("CrewOpsPanel", "skill"),
    "shift": QT_TRANSLATE_NOOP("CrewOpsPanel", "shift"),
    "start": QT_TRANSLATE_NOOP("CrewOpsPanel", "from"),
    "end": QT_TRANSLATE_NOOP("CrewOpsPanel", "to"),
    "vehicle": QT_TRANSLATE_NOOP("CrewOpsPanel", "vehicle"),
    "set_down": QT_TRANSLATE_NOOP("CrewOpsPanel", "set down by"),
    "taken_back": QT_TRANSLATE_NOOP("CrewOpsPanel", "taken back by"),
}
DUTY_HEADERS = {
    "duty": QT_TRANSLATE_NOOP("CrewOpsPanel", "duty"),
    "site_id": QT_TRANSLATE_NOOP("CrewOpsPanel", "site"),
    "name": QT_TRANSLATE_NOOP("CrewOpsPanel", "site name"),
    "skill": QT_TRANSLATE_NOOP("CrewOpsPanel", "skill"),
    "start": QT_TRANSLATE_NOOP("CrewOpsPanel", "from"),
    "end": QT_TRANSLATE_NOOP("CrewOpsPanel", "to"),
    "staff": QT_TRANSLATE_NOOP("CrewOpsPanel", "held by"),
    "status": QT_TRANSLATE_NOOP("CrewOpsPanel", "status"),
    "reason": QT_TRANSLATE_NOOP("CrewOpsPanel", "reason"),
    "detail": QT_TRANSLATE_NOOP("CrewOpsPanel", "detail"),
}
TICKET_HEADERS = {
    "ticket_id": QT_TRANSLATE_NOOP("CrewOpsPanel", "ticket"),
    "kind": QT_TRANSLATE_NOOP("CrewOpsPanel", "kind"),
    "site_id": QT_TRANSLATE_NOOP("CrewOpsPanel", "site"),
    "skill": QT_TRANSLATE_NOOP("CrewOpsPanel", "skill"),
    "duration_min": QT_TRANSLATE_NOOP("CrewOpsPanel", "min"),
    "deadline": QT_TRANSLATE_NOOP("CrewOpsPanel", "deadline"),
    "status": QT_TRANSLATE_NOOP("CrewOpsPanel", "status"),
    "crew_id": QT_TRANSLATE_NOOP("CrewOpsPanel", "crew"),
    "vehicle_id": QT_TRANSLATE_NOOP("CrewOpsPanel", "vehicle"),
    "eta": QT_TRANSLATE_NOOP("CrewOpsPanel", "ETA"),
    "late": QT_TRANSLATE_NOOP("CrewOpsPanel", "late min"),
}


def _t(text: str) -> str:
    return QtCore.QCoreApplication.translate(_C, text)


def duty_frame(plan, lang: str = "zh") -> pd.DataFrame:
    """Every place (filled or not, who holds it) and every other duty not met, with its reason."""
    names = C.staff_names(plan)
    p = plan.places
    why = _place_details(plan, lang)
    rows = pd.DataFrame(
        {
            "duty": p["duty"].map(lambda d: C.duty_label(d, lang)),
            "site_id": p["site_id"].astype(str),
            "name": p["name"].map(C.text),
            "skill": p["skill"].map(lambda s: C.skill_label(s, lang)),
            "start": p["start"],
            "end": p["end"],
            "staff": [f"{names.get(str(s), '')} ({s})" if C.text(s) else "" for s in p["staff_id"]],
            "status": p["status"].map(C.text),
            "reason": p["reason"].map(lambda r: C.reason_label(r, lang)),
            "detail": [why.get(str(k), "") for k in p["place_id"]],
        }
    )
    u = plan.unmet[~plan.unmet["duty_id"].isin(set(p["place_id"]))]
    more = pd.DataFrame(
        {
            "duty": u["duty"].map(lambda d: C.duty_label(d, lang)),
            "site_id": u["site_id"].map(C.text),
            "name": u["duty_id"].map(C.text),
            "skill": u["skill"].map(lambda s: C.skill_label(s, lang)),
            "start": u["start"],
            "end": u["end"],
            "staff": "",
            "status": "unmet",
            "reason": u["reason"].map(lambda r: C.reason_label(r, lang)),
            "detail": u["detail"].map(lambda d: C.text(localize(d, lang)) if C.text(d) else ""),
        }
    )
    out = pd.concat([rows, more], ignore_index=True) if len(more) else rows
    order = out["status"].ne("unmet").astype(int)
    out = (
        out.assign(_o=order)
        .sort_values(["_o", "start", "site_id"], kind="stable")
        .drop(columns="_o")
        .reset_index(drop=True)
    )
    out["status"] = out["status"].map(lambda v: _t(DUTY_STATUS[v]) if v in DUTY_STATUS else v)
    return out


def _place_details(plan, lang: str) -> dict:
    """place id → why (part of) it is not met, in ``lang``: why its holder cannot be set down, or
    (a pick-up) taken back."""
    out: dict = {}
    places = set(plan.places["place_id"].astype(str))
    for u in plan.unmet.itertuples():
        pid, detail = str(u.duty_id), C.text(localize(u.detail, lang)) if C.text(u.detail) else ""
        if pid not in places or not detail:
            continue
        if u.duty == "pickup":
            detail = f"{C.duty_label('pickup', lang)}{'：' if lang == 'zh' else ': '}{detail}"
        out[pid] = f"{out[pid]}{'；' if lang == 'zh' else '; '}{detail}" if pid in out else detail
    return out


#: a place's status in the duty table (the plan's codes), in the UI's language
DUTY_STATUS = {
    "filled": QT_TRANSLATE_NOOP("CrewOpsPanel", "filled"),
    "unmet": QT_TRANSLATE_NOOP("CrewOpsPanel", "not met"),
}


def ticket_frame(project, plan) -> pd.DataFrame:
    """The project's tickets with their outcome in the plan (status, crew, vehicle, ETA, late)."""
    cols = list(TICKET_HEADERS)
    t = project.layer("tickets") if project is not None and project.has("tickets") else None
    base = (
        pd.DataFrame(t.drop(columns="geometry", errors="ignore"))
        if t is not None and len(t)
        else pd.DataFrame(
            {
                c: pd.Series(dtype=object)
                for c in ["ticket_id", "kind", "site_id", "skill", "duration_min", "deadline", "status"]
            }
        )
    )
    base["ticket_id"] = base["ticket_id"].astype(str)
    if plan is not None and len(plan.tickets):
        out = plan.tickets.set_index("ticket_id")
        for c in ("status", "crew_id", "vehicle_id", "eta", "late"):
            base[c] = [
                out.at[i, c] if i in out.index else (base.at[k, c] if c in base.columns else None)
                for k, i in zip(base.index, base["ticket_id"])
            ]
    for c in cols:
        if c not in base.columns:
            base[c] = None
    return base[cols].reset_index(drop=True)
