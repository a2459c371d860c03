"""Printed route sheets: one A4 portrait page per working crew of a ``CrewPlan`` (vector PDF).

``write_route_sheets_pdf(plan, project, path)`` is what ``heatgis routes --sheets-pdf``
and the routes panel's "Print route sheets…" button call. Each page has a header
(crew, depot, shift, date), a map of that crew's route only (the screen's
``MapRenderer`` with the locked-site rings, the base layers and a ``RoutesOverlay``
holding that one crew, numbered stops), the ordered stops (site, name, kind,
address, zones, ETA, departure, leg minutes and kilometres, the depot at both
ends), the crew's totals and a footer (CRS, generated time, page x/y). A crew with
more stops than one page holds continues on the next page, table only.

The page is drawn in points with the print layout's helpers
(``heatgis.render.layout``'s page painter, ``layout_parts.draw_rows``), on a
72-dpi ``QPdfWriter`` as ``heatgis.export.pdf.write_pdf`` does, so the CJK font is
embedded and text stays text. The file is written beside and then replaced.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from PySide6 import QtCore, QtGui

from heatgis.errors import Feedback, HeatGISError
from heatgis.export.files import check_writable
from heatgis.export.pdf import ensure_gui_app, write_pages
from heatgis.model.vocab import label
from heatgis.render.layout import PageCanvas, PageSpec, fit_round_scale
from heatgis.render.layout_parts import ACCENT, INK, MUTED, RULE, device_rect, draw_rows, row_height
from heatgis.text import Text, localize

TITLE = {"zh": "抢修队路线单", "en": "Crew route sheet"}
TEXT = {
    "zh": {
        "title": TITLE["zh"],
        "depot": "驻地",
        "members": "人数",
        "skills": "技能",
        "shift": {"day": "白班", "night": "夜班"},
        "stops": "停靠站点",
        "cont": "（续）",
        "leave": "出发",
        "back": "返回驻地",
        "drive": "行驶",
        "dist": "里程",
        "service": "作业",
        "scale": "比例尺 1:{0}",
        "crs": "坐标系",
        "made": "生成于",
        "page": "第 {0} / {1} 页",
        "zones_at": "管控区时间",
        "legend": "红圈 = 锁闭站点；圆点编号 = 停靠顺序；线 = 本队行驶路线（绕行封控/管控区）",
        "lang": "zh",
        "depot_kind": "驻地",
        "cols": ("#", "站点编号", "名称", "类型", "地址", "管控区", "到达", "离开", "行驶分钟", "公里"),
        "notes": "备注 / 签字",
    },
    "en": {
        "title": TITLE["en"],
        "depot": "Depot",
        "members": "people",
        "skills": "skills",
        "shift": {"day": "day", "night": "night"},
        "stops": "Stops",
        "cont": " (continued)",
        "leave": "leave",
        "back": "back at depot",
        "drive": "driving",
        "dist": "distance",
        "service": "service",
        "scale": "Scale 1:{0}",
        "crs": "CRS",
        "made": "generated",
        "page": "page {0} / {1}",
        "zones_at": "zones at",
        "legend": "Red ring = locked site; numbered dot = stop order; line = this crew's route "
        "(around sealed/controlled zones)",
        "lang": "en",
        "depot_kind": "depot",
        "cols": ("#", "site id", "name", "kind", "address", "zone(s)", "ETA", "depart", "drive min", "km"),
        "notes": "Notes / signature",
    },
}
FRACS = (0.04, 0.085, 0.15, 0.07, 0.22, 0.16, 0.065, 0.065, 0.085, 0.06)
NUMERIC = {0, 8, 9}
TABLE_PT = 7.5
MIN_EXTENT_M = 1500.0
MAP_MIN_FRAC, MAP_MAX_FRAC = 0.45, 0.68  # of the page body: the map's least and most height
NOTE_LINES = 8


@dataclass
class _Sheet:
    """One printed page: a crew, its table rows on this page, and whether the map is on it."""

    crew: object
    rows: list
    with_map: bool
    part: int


#: the crews' shifts, as a message names them
_SHIFT_WORDS = {"day": Text("day", "白班"), "night": Text("night", "夜班")}


def write_route_sheets_pdf(
    plan, project, path, lang: str = "zh", paper: str = "A4", feedback: Feedback | None = None
) -> Path:
    """Write one portrait page per working crew of ``plan`` as a vector PDF.

    Parameters
    ----------
    plan : CrewPlan or OpsPlan
        A single-shift view of the crews' plan (``planner.plan_routes``, ``opsplan.shift_view``); an
        ``OpsPlan`` (``plan_operations``) prints one page per vehicle shift
        (``ops_sheets.write_ops_sheets_pdf``).
    project : Project
        The project planned (its layers draw the maps; its zones at ``plan.at`` ring the locked sites).
    path : path-like
        The PDF to write (written beside, then replaced).
    lang : {"zh", "en"}
        Language of the labels (the title is bilingual).
    paper : {"A4", "A3"}
        Portrait.
    feedback : heatgis.errors.Feedback, optional
        Progress 0-100; checked between pages: the partial file is removed and ``Cancelled`` raised.

    Returns
    -------
    Path

    Raises
    ------
    HeatGISError
        No crew of the plan has a stop; the folder is missing or not writable; the
        file cannot be replaced (open in a viewer).
    """
    if hasattr(plan, "vehicles"):  # an OpsPlan: one page per vehicle shift, relief trips included
        from heatgis.export.ops_sheets import write_ops_sheets_pdf

        return write_ops_sheets_pdf(plan, project, path, lang=lang, paper=paper, feedback=feedback)
    ensure_gui_app()
    path = check_writable(path)
    working = plan.crews[plan.crews["stops"] > 0] if len(plan.crews) else plan.crews
    if len(working) == 0:
        raise HeatGISError(
            Text(
                "the {shift} shift plan has no crew with a stop, so there is no route sheet to print",
                "{shift}计划中没有有停靠点的抢修队，没有可打印的路线单",
                shift=_SHIFT_WORDS.get(plan.shift, plan.shift),
            ),
            Text(
                "plan a shift with sites on the duty list (or another time/shift) first",
                "请先为任务清单上有站点的班次（或另一时间、班次）编排计划",
            ),
            file=path,
        )
    lang = lang if lang in TEXT else "zh"
    t = TEXT[lang]
    spec = PageSpec(paper, landscape=False)
    renderer, overlays = _renderer(plan, project, lang)
    extras = _site_extras(project)
    sheets = []
    for c in working.itertuples():
        sheets += _paginate(c, _rows(plan, c, extras, t), spec)
    made = pd.Timestamp.now()

    def paint(painter, i):
        sh = sheets[i]
        renderer.overlays = [overlays[str(sh.crew.crew_id)]]
        paint_sheet(painter, spec, plan, sh, renderer, lang, made, i + 1, len(sheets), crs=str(project.crs))

    return write_pages(
        path,
        spec,
        len(sheets),
        f"{TITLE.get(lang, TITLE['en'])} {plan.shift_start:%Y-%m-%d} {plan.shift}",
        paint,
        feedback,
        what="route sheet",
    )


# ---------------------------------------------------------------------- content


def _renderer(plan, project, lang):
    """The print renderer (locked sites at ``plan.at`` ringed) and one routes overlay per crew."""
    from heatgis.analysis.impact import impact
    from heatgis.export.pages import map_renderer
    from heatgis.render.overlays import RoutesOverlay
    from heatgis.routing.planner import site_points

    r = map_renderer(project, impact(project, plan.at), lang=lang)
    sp = site_points(project)
    routes = plan.route_geometries()
    stops = plan.stops_geometry(dict(zip(sp["site_id"], sp["geometry"])))
    out = {}
    for cid in plan.crews["crew_id"].astype(str):
        ov = RoutesOverlay()
        ov.set_routes(routes[routes["crew_id"].astype(str) == cid], stops[stops["crew_id"].astype(str) == cid])
        out[cid] = ov
    return r, out


def _site_extras(project) -> dict:
    """Zone id → name, and a place for sites without an address (boiler room → its compound)."""
    zones = project.layer("lockdown_zones")
    names = dict(zip(zones["zone_id"].astype(str), zones["name"].fillna("").astype(str))) if len(zones) else {}
    places = {}
    br, comp = project.layer("boiler_rooms"), project.layer("compounds")
    if len(br) and len(comp):
        place = comp["district"].fillna("").astype(str) + " " + comp["name"].fillna("").astype(str)
        cn = dict(zip(comp["compound_id"].astype(str), place.str.strip()))
        places = {str(a): cn.get(str(c), "") for a, c in zip(br["asset_id"], br["compound_id"]) if pd.notna(c)}
    return {"zones": names, "places": places}


def _crew_skills(project, crew_id) -> str:
    crews = project.layer("crews")
    if "skills" not in crews.columns:
        return ""
    hit = crews.loc[crews["crew_id"].astype(str) == str(crew_id), "skills"]
    return "" if hit.empty or pd.isna(hit.iloc[0]) else str(hit.iloc[0])


def _hm(ts, day0) -> str:
    """HH:MM, with +1 when the time is on the day after the shift started (night shifts)."""
    if ts is None or pd.isna(ts):
        return ""
    ts = pd.Timestamp(ts)
    d = (ts.normalize() - pd.Timestamp(day0).normalize()).days
    return f"{ts:%H:%M}" + (f"+{d}" if d > 0 else "")


def _rows(plan, c, extras, t) -> list[tuple]:
    """The table rows of crew ``c``: leaving the depot, every stop in order, back at the depot, totals."""
    day0 = c.shift_start
    stops = plan.routes[plan.routes["crew_id"] == c.crew_id].sort_values("seq")
    legs = plan.legs[(plan.legs["crew_id"] == c.crew_id) & (plan.legs["to_id"] == c.depot_id)]
    rows = [("0", str(c.depot_id), str(c.depot_name), t["depot_kind"], "", "", "", _hm(c.leave, day0), "", "")]
    for s in stops.itertuples():
        zones = [str(z) for z in (s.zone_ids if isinstance(s.zone_ids, (list, tuple)) else [])]
        ztext = ", ".join(f"{z} {extras['zones'].get(z, '')}".strip() for z in zones)
        addr = str(s.address or "") or extras["places"].get(str(s.site_id), "")
        kind = label("site_kind", s.kind, t["lang"])
        rows.append(
            (
                str(int(s.seq)),
                str(s.site_id),
                localize(s.name, t["lang"]),
                kind,
                addr,
                ztext,
                _hm(s.eta, day0),
                _hm(s.depart, day0),
                f"{s.travel_s / 60:.0f}",
                f"{s.distance_m / 1000:.2f}",
            )
        )
    if len(legs):
        b = legs.iloc[0]
        rows.append(
            (
                str(len(stops) + 1),
                str(c.depot_id),
                str(c.depot_name),
                t["depot_kind"],
                t["back"],
                "",
                _hm(c.back, day0),
                "",
                f"{b.travel_s / 60:.0f}",
                f"{b.distance_m / 1000:.2f}",
            )
        )
    return rows


def _paginate(c, rows, spec) -> list[_Sheet]:
    """Split a crew's rows over pages: the first page with the map, the rest table only."""
    per_first, per_next = _capacity(spec)
    out = [_Sheet(c, rows[:per_first], True, 0)]
    rest = rows[per_first:]
    while rest:
        out.append(_Sheet(c, rest[:per_next], False, len(out)))
        rest = rest[per_next:]
    return out


def _capacity(spec) -> tuple[int, int]:
    """Table rows a page holds with the smallest map, and without a map (measured on a scratch image)."""
    img = QtGui.QImage(10, 14, QtGui.QImage.Format.Format_RGB32)
    p = QtGui.QPainter(img)
    try:
        P = PageCanvas(p, spec, "zh")
        P.k = 1.0  # measure in points
        body = _body(P)
        rh = row_height(P, TABLE_PT)
        fixed = _table_fixed(P)
        first = int((body.height() * (1 - MAP_MIN_FRAC) - _map_extra(P) - fixed) // rh)
        nxt = int((body.height() - fixed) // rh)
    finally:
        p.end()
    return max(first, 1), max(nxt, 1)


def _gap(P) -> float:
    return 8 * P.s


def _map_extra(P) -> float:
    """The caption line and gap under the map (points)."""
    return P.line_h(7) + _gap(P)


def _body(P) -> QtCore.QRectF:
    """The area between the header and the footer (points)."""
    m = 28 * P.s
    top = m + P.line_h(15) + P.line_h(13) + P.line_h(8.5) + 10 * P.s
    bottom = P.h - m - P.line_h(7) - 8 * P.s
    return QtCore.QRectF(m, top, P.w - 2 * m, bottom - top)


def _table_fixed(P) -> float:
    """Height of the table's title, header row, totals box and gaps (everything but the rows)."""
    return P.line_h(10) + 2 * P.s + row_height(P, TABLE_PT) + 2 * (P.line_h(8.5) + 4 * P.s) + 14 * P.s


# ---------------------------------------------------------------------- painting


def paint_sheet(
    painter: QtGui.QPainter,
    spec: PageSpec,
    plan,
    sheet: _Sheet,
    renderer,
    lang: str,
    made,
    page_no: int,
    pages: int,
    crs: str = "",
    cols=None,
    fracs=FRACS,
    numeric=NUMERIC,
) -> dict:
    """Draw one route-sheet page onto ``painter`` (a 72-dpi PDF page, an image or a printer).

    ``cols``, ``fracs``, ``numeric``: another table (the vehicles' sheets of an OpsPlan,
    ``heatgis.export.ops_sheets``); default the crew plan's columns.

    Returns
    -------
    dict
        ``map`` (the map frame in points, or None), ``scale`` (denominator or None), ``rows`` (table rows shown).
    """
    t = TEXT.get(lang, TEXT["zh"])
    P = PageCanvas(painter, spec, lang)
    c = sheet.crew
    s = P.s
    P.start()
    body = _body(P)
    m, w = body.left(), body.width()
    right = QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter
    # header: title and date; crew and shift; depot, people, skills
    y = m
    h1 = P.line_h(15)
    P.text(QtCore.QRectF(m, y, w * 0.7, h1), t["title"] + (t["cont"] if sheet.part else ""), 15, bold=True)
    P.text(
        QtCore.QRectF(m + w * 0.6, y, w * 0.4, h1),
        f"{plan.shift_start:%Y-%m-%d}",
        14,
        bold=True,
        col=ACCENT,
        align=right,
    )
    y += h1
    h2 = P.line_h(13)
    sw = QtCore.QRectF(m, y + h2 * 0.3, 14 * s, h2 * 0.4)
    painter.fillRect(sw, QtGui.QColor(str(c.color)))
    P.text(QtCore.QRectF(m + 20 * s, y, w * 0.6, h2), f"{c.crew_id}  {c.name}", 13, bold=True)
    shift = f"{t['shift'].get(plan.shift, plan.shift)} {c.shift_start:%H:%M}–{c.shift_end:%H:%M}"
    P.text(QtCore.QRectF(m + w * 0.5, y, w * 0.5, h2), shift, 12, bold=True, align=right)
    y += h2
    h3 = P.line_h(8.5)
    skills = str(getattr(c, "skills", "") or "") or _crew_skills(renderer.project, c.crew_id)
    info = f"{t['depot']}: {c.depot_name} ({c.depot_id})    {t['members']}: {int(c.members)}"
    if skills:
        from heatgis.export.ops_common import skill_label

        info += f"    {t['skills']}: {skill_label(skills.replace(',', ';').replace(' ', ''), lang)}"
    P.text(QtCore.QRectF(m, y, w * 0.72, h3), info, 8.5, col=MUTED)
    P.text(
        QtCore.QRectF(m + w * 0.62, y, w * 0.38, h3),
        f"{t['zones_at']} {plan.at:%Y-%m-%d %H:%M}",
        8.5,
        col=MUTED,
        align=right,
    )
    painter.setPen(P.pen(INK, 1.2))
    painter.drawLine(QtCore.QPointF(m, body.top() - 4 * s), QtCore.QPointF(m + w, body.top() - 4 * s))
    # map (first page of a crew), sized to leave the table room
    rh = row_height(P, TABLE_PT)
    need = _table_fixed(P) + rh * len(sheet.rows)
    y = body.top()
    info = {"map": None, "scale": None}
    if sheet.with_map:
        map_h = min(body.height() * MAP_MAX_FRAC, body.height() - need - _map_extra(P))
        frame = QtCore.QRectF(m, y, w, max(map_h, body.height() * MAP_MIN_FRAC))
        info.update(_draw_map(P, renderer, frame, t))
        y = frame.bottom() + _map_extra(P)
    # the stops table and the totals
    P.text(
        QtCore.QRectF(m, y, w, P.line_h(10)),
        f"{t['stops']} ({int(c.stops)})" + (t["cont"] if sheet.part else ""),
        10,
        bold=True,
    )
    y += P.line_h(10) + 2 * s
    table = QtCore.QRectF(m, y, w, rh * (len(sheet.rows) + 1) + 0.5)
    info["rows"] = draw_rows(P, table, cols or t["cols"], sheet.rows, fracs, numeric=numeric, pt=TABLE_PT)
    painter.setPen(P.pen(RULE, 0.5))
    painter.drawLine(QtCore.QPointF(m, table.bottom()), QtCore.QPointF(m + w, table.bottom()))
    y = table.bottom() + 6 * s
    totals = QtCore.QRectF(m, y, w, 2 * (P.line_h(8.5) + 4 * s))
    _draw_totals(P, c, t, totals)
    notes = QtCore.QRectF(m, totals.bottom() + 10 * s, w, body.bottom() - totals.bottom() - 10 * s)
    if notes.height() > 40 * s:  # room left on the page: lines for the crew's handwritten notes
        P.text(QtCore.QRectF(m, notes.top(), w, P.line_h(8.5)), t["notes"], 8.5, col=MUTED)
        painter.setPen(P.pen(RULE, 0.4))
        yy = notes.top() + P.line_h(8.5) + 18 * s
        for _ in range(NOTE_LINES):
            if yy > notes.bottom():
                break
            painter.drawLine(QtCore.QPointF(m, yy), QtCore.QPointF(m + w, yy))
            yy += 20 * s
    # footer
    fy = P.h - 28 * s - P.line_h(7)
    painter.setPen(P.pen(RULE, 0.5))
    painter.drawLine(QtCore.QPointF(m, fy - 3 * s), QtCore.QPointF(m + w, fy - 3 * s))
    foot = f"{t['crs']}: {crs}    {t['made']} {made:%Y-%m-%d %H:%M}    HeatGIS"
    P.text(QtCore.QRectF(m, fy, w * 0.75, P.line_h(7)), foot, 7, col=MUTED)
    P.text(
        QtCore.QRectF(m + w * 0.75, fy, w * 0.25, P.line_h(7)),
        t["page"].format(page_no, pages),
        7,
        col=MUTED,
        align=right,
    )
    painter.restore()
    return info


def _route_extent(overlay) -> tuple:
    b = overlay.bounds
    if b is None:
        raise HeatGISError(
            Text("the crew's route has no geometry to map", "抢修队的路线没有可绘制的几何"),
            Text("re-plan the shift", "重新编排该班次"),
        )
    x0, y0, x1, y1 = (float(v) for v in b)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half_w = max((x1 - x0) * 1.16, MIN_EXTENT_M) / 2
    half_h = max((y1 - y0) * 1.16, MIN_EXTENT_M) / 2
    return (cx - half_w, cy - half_h, cx + half_w, cy + half_h)


def _draw_map(P, r, frame: QtCore.QRectF, t) -> dict:
    """The crew's route at a round scale, with a scale bar; a caption line under the frame."""
    extent, denom = fit_round_scale(_route_extent(r.overlays[0]), frame)
    p = P.p
    p.save()
    p.resetTransform()
    r.render(p, extent, device_rect(P, frame), scale_bar=True, px=P.k, font_px=P.k * P.g)
    p.restore()
    p.setPen(P.pen(INK, 0.8))
    p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
    p.drawRect(frame)
    cap = QtCore.QRectF(frame.left(), frame.bottom() + 1 * P.s, frame.width(), P.line_h(7))
    P.text(cap, f"{t['scale'].format(f'{denom:,.0f}')}    {t['legend']}", 7, col=MUTED)
    return {"map": QtCore.QRectF(frame), "scale": denom}


def _draw_totals(P, c, t, rect: QtCore.QRectF) -> None:
    s = P.s
    P.box(rect, fill="#f6f3ee", border="#d8d2c6")
    h = P.line_h(8.5)
    drive = int(round(float(c.travel_s) / 60))
    service = int(round(float(c.service_s) / 60))
    day0 = c.shift_start
    line1 = (
        f"{t['stops']}: {int(c.stops)}    {t['drive']}: {drive // 60} h {drive % 60:02d} min    "
        f"{t['dist']}: {float(c.distance_m) / 1000:.1f} km    {t['service']}: {service // 60} h "
        f"{service % 60:02d} min"
    )
    line2 = f"{t['leave']}: {_hm(c.leave, day0)}    {t['back']}: {_hm(c.back, day0)}"
    P.text(QtCore.QRectF(rect.left() + 6 * s, rect.top() + 2 * s, rect.width() - 12 * s, h), line1, 8.5, bold=True)
    P.text(
        QtCore.QRectF(rect.left() + 6 * s, rect.top() + 2 * s + h + 2 * s, rect.width() - 12 * s, h),
        line2,
        8.5,
        bold=True,
        col=ACCENT,
    )
