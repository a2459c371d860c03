"""What the planner asks when identifying a station or boiler room: locked or not, by which zone since
when, who staffs it, the next crew visit (the rows shown above its attributes)."""

from __future__ import annotations

import pandas as pd
import shapely
from PySide6.QtCore import QCoreApplication

from heatgis.model.vocab import LOCKING_LEVELS, label, level_label


def site_status(window, layer: str, row: int) -> list[tuple[str, str]]:
    """(question, answer) rows for a site at the session's time; [] for other layers."""
    from heatgis.gui.tools.dispatch import site_id_of

    s = window.session
    if s is None:
        return []
    sid = site_id_of(s.project, layer, row)
    if sid is None:
        return []
    lang = s.renderer.style.lang
    at = s.at
    point = s.project.layer(layer).geometry.iloc[int(row)]
    out = []
    # locked: an active sealed/controlled zone contains it (the definition of ARCHITECTURE.md)
    z = s.project.layer("lockdown_zones")
    locking = []
    if len(z):
        start = pd.to_datetime(z["start"])
        end = pd.to_datetime(z["end"])
        active = (start <= at) & (end.isna() | (at < end))
        inside = shapely.contains(z.geometry.values, point) | shapely.touches(z.geometry.values, point)
        hits = z[active.to_numpy() & inside]
        locking = [r for r in hits.itertuples() if r.level in LOCKING_LEVELS]
        others = [r for r in hits.itertuples() if r.level not in LOCKING_LEVELS]
    else:
        others = []
    if locking:
        out.append(
            (
                QCoreApplication.translate("IdentifyStatus", "Locked"),
                QCoreApplication.translate("IdentifyStatus", "yes"),
            )
        )
        for r in locking:
            since = pd.Timestamp(r.start)
            text = QCoreApplication.translate("IdentifyStatus", "{0} {1} ({2}) since {3}").format(
                r.zone_id, r.name, level_label(r.level, lang), f"{since:%m-%d %H:%M}"
            )
            out.append((QCoreApplication.translate("IdentifyStatus", "By zone"), text))
    else:
        out.append(
            (QCoreApplication.translate("IdentifyStatus", "Locked"), QCoreApplication.translate("IdentifyStatus", "no"))
        )
    for r in others:
        out.append(
            (
                QCoreApplication.translate("IdentifyStatus", "In zone"),
                f"{r.zone_id} {r.name} ({level_label(r.level, lang)})",
            )
        )
    # who staffs it: the staffing plan made for this time
    st = getattr(window.plans, "staffing", None)
    plan = getattr(st, "plan", None)
    if locking and plan is not None and s.plan_in_time("staffing"):
        a = plan.assignments[plan.assignments["site_id"].astype(str) == sid]
        if len(a):
            for r in a.itertuples():
                role = label("role", r.role, lang)
                out.append(
                    (
                        QCoreApplication.translate("IdentifyStatus", "Staffed by"),
                        f"{r.name} ({role}) {r.phone or ''}".strip(),
                    )
                )
        else:
            out.append(
                (
                    QCoreApplication.translate("IdentifyStatus", "Staffed by"),
                    QCoreApplication.translate("IdentifyStatus", "nobody: left to the crews"),
                )
            )
    # the next crew visit: the crew plan on the map (made for this time)
    rt = getattr(window.plans, "routes", None)
    crew = getattr(rt, "plan", None)
    if crew is not None and s.plan_in_time("routes"):
        v = crew.routes[(crew.routes["site_id"].astype(str) == sid) & (crew.routes["depart"] >= at)]
        if len(v):
            r = v.sort_values("eta").iloc[0]
            out.append(
                (
                    QCoreApplication.translate("IdentifyStatus", "Next crew visit"),
                    QCoreApplication.translate("IdentifyStatus", "{0}, ETA {1}").format(
                        r["crew_id"], f"{r['eta']:%m-%d %H:%M}"
                    ),
                )
            )
    return out
