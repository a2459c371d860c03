"""Route sheets of the crews' operations plan: one A4 page per vehicle shift, relief trips included.

``write_ops_sheets_pdf(plan, project, path)`` prints each working vehicle of an
``OpsPlan`` (``heatgis crews --sheets``, the crew-operations dock) with the look of the
single-shift route sheets (``route_sheets.paint_sheet``: header, the vehicle's route on
the map, the table, totals, notes, footer). The table lists every stop in driving order:
the task (board at the depot, drop at the site before the shift, pick up after it,
alight at the depot, patrol, ticket), the people set down or picked up by name, the
address (or the sealed zone), arrival and departure, the leg's minutes and kilometres;
the depot at both ends. A vehicle with more stops than a page holds continues on the
next page (table only).
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pandas as pd

from heatgis.errors import HeatGISError
from heatgis.export import ops_common as C
from heatgis.export import route_sheets as RS
from heatgis.export.files import check_writable
from heatgis.export.pdf import ensure_gui_app, write_pages
from heatgis.render.layout import PageSpec
from heatgis.text import Text

COLS = {
    "zh": ("#", "站点编号", "名称", "任务", "上下车人员", "地址 / 管控区", "到达", "离开", "行驶分钟", "公里"),
    "en": ("#", "site id", "name", "task", "people on / off", "address / zone", "arrive", "depart", "drive min", "km"),
}
FRACS = (0.035, 0.095, 0.14, 0.07, 0.22, 0.16, 0.065, 0.065, 0.085, 0.065)


def write_ops_sheets_pdf(plan, project, path, lang: str = "zh", paper: str = "A4", feedback=None) -> Path:
    """Write one portrait page per working vehicle shift of ``plan`` (an ``OpsPlan``).

    Parameters
    ----------
    plan : OpsPlan
    project : Project
        The project planned (its layers draw the maps).
    path : path-like
    lang : {"zh", "en"}
    paper : {"A4", "A3"}
    feedback : heatgis.errors.Feedback, optional
        As ``route_sheets.write_route_sheets_pdf``.

    Returns
    -------
    Path

    Raises
    ------
    HeatGISError
        No vehicle has a stop; the folder is missing or not writable.
    """
    ensure_gui_app()
    path = check_writable(path)
    working = C.working_vehicles(plan)
    if len(working) == 0:
        raise HeatGISError(
            Text(
                "no vehicle of the crews' plan has a stop, so there is no route sheet to print",
                "抢修队计划中没有车辆有停靠点，没有可打印的路线单",
            ),
            Text(
                "plan a time with places to hold, patrols or tickets first",
                "请先为有值守岗位、巡检或工单的时间编排计划",
            ),
            file=path,
        )
    lang = lang if lang in RS.TEXT else "zh"
    spec = PageSpec(paper, landscape=False)
    renderer, overlays = _renderer(plan, project, lang)
    extras = RS._site_extras(project)
    names = C.staff_names(plan)
    sheets = []
    for v in working.itertuples():
        crew = _crew_of(plan, v, lang)
        sheets += RS._paginate(crew, vehicle_rows(plan, crew, extras, names, lang), spec)
    made = pd.Timestamp.now()

    def paint(painter, i):
        sh = sheets[i]
        renderer.overlays = [overlays[str(sh.crew.crew_id)]]
        view = SimpleNamespace(shift_start=sh.crew.shift_start, shift=sh.crew.shift, at=plan.at)
        RS.paint_sheet(
            painter,
            spec,
            view,
            sh,
            renderer,
            lang,
            made,
            i + 1,
            len(sheets),
            crs=str(project.crs),
            cols=COLS[lang],
            fracs=FRACS,
            numeric={0, 8, 9},
        )

    return write_pages(
        path,
        spec,
        len(sheets),
        f"{RS.TITLE.get(lang, RS.TITLE['en'])} {plan.at:%Y-%m-%d %H:%M}",
        paint,
        feedback,
        what="route sheet",
    )


def _renderer(plan, project, lang):
    from heatgis.analysis.impact import impact
    from heatgis.export.pages import map_renderer
    from heatgis.render.overlays import RoutesOverlay

    r = map_renderer(project, impact(project, plan.at), lang=lang)
    routes, stops = C.route_frames(plan)
    out = {}
    for vid in routes["crew_id"].astype(str):
        ov = RoutesOverlay()
        ov.set_routes(routes[routes["crew_id"].astype(str) == vid], stops[stops["crew_id"].astype(str) == vid])
        out[vid] = ov
    return r, out


def _crew_of(plan, v, lang="zh"):
    """A vehicle shift as the "crew" the route-sheet painter draws."""
    st = plan.stops[plan.stops["vehicle_id"] == v.vehicle_id]
    service = float((st["depart"] - st["start"]).dt.total_seconds().sum()) if len(st) else 0.0
    team = [x for x in C.text(v.team).split(";") if x]
    hour = pd.Timestamp(v.shift_start).hour
    return SimpleNamespace(
        crew_id=v.vehicle_id,
        name=C.vehicle_label(v.vehicle_id, v.crew_name).split(" ", 1)[-1],
        color=v.color,
        shift_start=v.shift_start,
        shift_end=v.shift_end,
        depot_id=v.depot_id,
        depot_name=v.depot_name,
        members=len(team),
        skills=C.skill_label(v.skills, lang),
        stops=int(v.stops),
        travel_s=float(v.travel_s),
        distance_m=float(v.distance_m),
        service_s=service,
        leave=v.leave,
        back=v.back,
        shift="day" if 4 <= hour < 16 else "night",
        team=team,
    )


def vehicle_rows(plan, crew, extras, names: dict, lang: str) -> list[tuple]:
    """The table of one vehicle shift: leaving the depot, every stop in order, back at the depot."""
    t = RS.TEXT[lang]
    day0 = crew.shift_start
    stops = plan.stops[plan.stops["vehicle_id"] == crew.crew_id].sort_values("seq")
    back = plan.legs[
        (plan.legs["vehicle_id"] == crew.crew_id)
        & (plan.legs["to_id"] == crew.depot_id)
        & (plan.legs["seq"] > (stops["seq"].max() if len(stops) else 0))
    ]
    team = ", ".join(f"{names.get(s, '')} ({s})" if names.get(s) else s for s in crew.team)
    rows = [("0", str(crew.depot_id), str(crew.depot_name), t["leave"], team, "", "", C.hm(crew.leave, day0), "", "")]
    for s in stops.itertuples():
        zones = [str(z) for z in (s.zone_ids if isinstance(s.zone_ids, (list, tuple)) else [])]
        ztext = ", ".join(f"{z} {extras['zones'].get(z, '')}".strip() for z in zones)
        addr = C.text(s.address) or extras["places"].get(str(s.site_id), "")
        where = "; ".join(x for x in (addr, ztext) if x)
        task = C.task_label(s.task, lang)
        if s.task == "ticket" and float(s.late or 0) > 0:
            task += f" (+{float(s.late):.0f}′)"
        rows.append(
            (
                str(int(s.seq)),
                str(s.site_id),
                C.text(s.name, lang),
                task,
                C.people(s.staff_ids, names),
                where,
                C.hm(s.arrive, day0),
                C.hm(s.depart, day0),
                f"{float(s.travel_s) / 60:.0f}",
                f"{float(s.distance_m) / 1000:.2f}",
            )
        )
    if len(back):
        b = back.iloc[-1]
        rows.append(
            (
                str(len(stops) + 1),
                str(crew.depot_id),
                str(crew.depot_name),
                t["back"],
                "",
                "",
                C.hm(crew.back, day0),
                "",
                f"{float(b.travel_s) / 60:.0f}",
                f"{float(b.distance_m) / 1000:.2f}",
            )
        )
    return rows
