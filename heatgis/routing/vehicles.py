"""The crews' vehicles over a horizon: each crew vehicle on each crew shift, with its depot, seats and
colour. Used by ``heatgis.routing.ops.plan_operations``."""

from __future__ import annotations

import pandas as pd

from heatgis.errors import HeatGISError
from heatgis.routing.crew_rules import CrewRules
from heatgis.routing.shift_inputs import check_crew_depot, crew_clock
from heatgis.text import Text


def vehicle_shifts(project, cr: CrewRules, lo: pd.Timestamp, hi: pd.Timestamp) -> pd.DataFrame:
    """Each crew vehicle on each crew shift overlapping ``[lo, hi)`` (available within it)."""
    crews = project.layer("crews")
    if len(crews) == 0:
        raise HeatGISError(
            Text("the project has no crews", "项目中没有抢修队"),
            Text("add the emergency crews to the 'crews' table", "在 'crews' 表中添加抢修队"),
            file=project.path,
            layer="crews",
        )
    depots = project.layer("depots")
    dep = {str(d): (g, str(n)) for d, g, n in zip(depots["depot_id"], depots.geometry, depots["name"])}
    colors = O_colors(crews["crew_id"].astype(str))
    rows = []
    for c in crews.itertuples(index=False):
        cid = str(c.crew_id)
        h0, m0, h1, m1 = crew_clock(project, c)
        check_crew_depot(project, c, dep)
        nveh = getattr(c, "vehicles", None)
        nveh = cr.vehicles_per_crew if nveh is None or pd.isna(nveh) else int(nveh)
        seats = getattr(c, "seats", None)
        seats = cr.seats if seats is None or pd.isna(seats) else int(seats)
        length = (pd.Timedelta(hours=h1, minutes=m1) - pd.Timedelta(hours=h0, minutes=m0)) % pd.Timedelta(days=1)
        length = length or pd.Timedelta(days=1)
        day = lo.normalize() - pd.Timedelta(days=1)
        while day < hi:
            s = day + pd.Timedelta(hours=h0, minutes=m0)
            e = s + length
            if s < hi and e > lo:
                for k in range(nveh):
                    rows.append(
                        {
                            "vehicle_id": f"{cid}/V{k + 1}@{s:%m-%d %H:%M}",
                            "crew_id": cid,
                            "crew_name": str(c.name),
                            "depot_id": str(c.depot_id),
                            "depot_name": dep[str(c.depot_id)][1],
                            "shift_start": s,
                            "shift_end": e,
                            "avail_start": max(s, lo),
                            "avail_end": min(e, hi),
                            "seats": seats,
                            "color": colors[cid],
                            "crew_skills": str(c.skills or ""),
                        }
                    )
            day += pd.Timedelta(days=1)
    return pd.DataFrame(rows)


def O_colors(ids):
    from heatgis.routing.plan import crew_colors

    return crew_colors(list(ids))
