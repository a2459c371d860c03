"""The printed roster (值班表) of the crews' operations plan: A4 portrait, vector PDF.

``write_roster_pdf(plan, path)`` is what ``heatgis crews --roster-pdf`` and the app's
crew-operations dock call. Page 1: the horizon, coverage per staffing shift (places
filled / required, presence), tickets, the duties not met by reason, and the Gantt in
clock time (``charts.ops_gantt_chart``). Then the roster **per crew** (every member's
duties in time order: the places held, with the vehicle that sets them down and takes
them back, and the vehicle teams), then **per site** (who holds each place of each
staffing shift, and the places left unfilled with their reason). A footer on every page
(generated time, page x / y).

Drawn in points on a 72-dpi ``QPdfWriter`` through ``pdf.write_pages`` and the print
layout's ``PageCanvas``, like the route sheets: the CJK font is embedded and text stays
text (``pdftotext`` reads every name).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from PySide6 import QtCore, QtGui

from heatgis.errors import HeatGISError
from heatgis.export import ops_common as C
from heatgis.export.files import check_writable
from heatgis.export.pdf import ensure_gui_app, write_pages
from heatgis.render.layout import PageCanvas, PageSpec
from heatgis.render.layout_parts import (
    ACCENT,
    ALIGN_LEFT,
    ALIGN_RIGHT,
    INK,
    MUTED,
    RULE,
    draw_table_head,
    row_height,
)
from heatgis.text import Text

TITLE = {"zh": "抢修队值班表", "en": "Crew roster"}
TEXT = {
    "zh": {
        "title": TITLE["zh"],
        "horizon": "计划时段",
        "coverage": "岗位覆盖（按值守班次）",
        "shift": "班次",
        "start": "开始",
        "req": "需要岗位",
        "filled": "已安排",
        "pres_req": "值守需要",
        "pres_filled": "值守已安排",
        "all": "合计",
        "tickets": "工单：{0} 张，按时 {1}，超时 {2}",
        "patrols": "巡检：{0} / {1} 次",
        "unmet": "未满足：{0}",
        "none": "无",
        "gantt": "作业甘特图（时钟时间）",
        "by_crew": "值班表（按抢修队）",
        "by_site": "值班表（按站点）",
        "cont": "（续）",
        "crew_cols": ("工号", "姓名", "任务", "站点", "站点名称", "技能", "开始", "结束", "送达车辆", "接回车辆"),
        "site_cols": ("班次", "开始", "结束", "任务", "工号", "姓名", "抢修队", "技能", "送达车辆", "接回车辆"),
        "unfilled": "未安排",
        "made": "生成于",
        "page": "第 {0} / {1} 页",
        "people": "人",
        "members": "{0} 人次",
    },
    "en": {
        "title": TITLE["en"],
        "horizon": "horizon",
        "coverage": "Places covered (per staffing shift)",
        "shift": "shift",
        "start": "start",
        "req": "places required",
        "filled": "filled",
        "pres_req": "presence required",
        "pres_filled": "presence filled",
        "all": "all",
        "tickets": "Tickets: {0}, met {1}, late {2}",
        "patrols": "Patrols: {0} of {1}",
        "unmet": "Not met: {0}",
        "none": "none",
        "gantt": "The plan in clock time",
        "by_crew": "Roster by crew",
        "by_site": "Roster by site",
        "cont": " (continued)",
        "crew_cols": (
            "staff",
            "name",
            "task",
            "site",
            "site name",
            "skill",
            "from",
            "to",
            "set down by",
            "taken back by",
        ),
        "site_cols": ("shift", "from", "to", "task", "staff", "name", "crew", "skill", "set down by", "taken back by"),
        "unfilled": "UNFILLED",
        "made": "generated",
        "page": "page {0} / {1}",
        "people": "people",
        "members": "{0} duties",
    },
}
CREW_FRACS = (0.07, 0.07, 0.07, 0.08, 0.17, 0.11, 0.09, 0.09, 0.125, 0.125)
SITE_FRACS = (0.09, 0.09, 0.09, 0.07, 0.07, 0.07, 0.06, 0.11, 0.175, 0.175)
TABLE_PT = 7.2
GANTT_W = 1800
SUMMARY_GANTT_FRAC = 0.66  # of the page height: the Gantt's box on page 1


def write_roster_pdf(plan, path, lang: str = "zh", paper: str = "A4", feedback=None) -> Path:
    """Write the roster of ``plan`` (an ``OpsPlan``) as an A4 portrait vector PDF.

    Parameters
    ----------
    plan : OpsPlan
        From ``heatgis.routing.ops.plan_operations``.
    path : path-like
        The PDF (written beside, then replaced).
    lang : {"zh", "en"}
        Labels (the title is bilingual).
    paper : {"A4", "A3"}
    feedback : heatgis.errors.Feedback, optional
        Progress 0-100; checked between pages: the partial file is removed and ``Cancelled`` raised.

    Returns
    -------
    Path

    Raises
    ------
    HeatGISError
        The plan has no roster and no place; the folder is missing or not writable.
    """
    ensure_gui_app()
    path = check_writable(path)
    if len(plan.roster) == 0 and len(plan.places) == 0:
        raise HeatGISError(
            Text(
                "the plan has no roster to print (no place to hold and no vehicle team)",
                "计划中没有可打印的值班表（没有值守岗位，也没有车辆班组）",
            ),
            Text("plan a time with locked sites the crews must hold", "为有需抢修队值守的锁闭站点的时间编排计划"),
            file=path,
        )
    lang = lang if lang in TEXT else "zh"
    t = TEXT[lang]
    spec = PageSpec(paper, landscape=False)
    gantt = _gantt_image(plan, lang, spec)
    pages = [("summary", None)] + [("table", p) for p in _table_pages(plan, spec, t, lang)]
    made = pd.Timestamp.now()

    def paint(painter, i):
        kind, content = pages[i]
        P = PageCanvas(painter, spec, lang)
        P.start()
        try:
            if kind == "summary":
                _paint_summary(P, plan, t, lang, gantt)
            else:
                _paint_table(P, plan, t, content)
            _footer(P, t, made, i + 1, len(pages))
        finally:
            painter.restore()

    return write_pages(
        path,
        spec,
        len(pages),
        f"{TITLE.get(lang, TITLE['en'])} {plan.at:%Y-%m-%d %H:%M}",
        paint,
        feedback,
        what="roster page",
    )


# ---------------------------------------------------------------------- content


def _gantt_image(plan, lang, spec):
    """The Gantt sized to fill the first page's box (its rows as tall as the box allows)."""
    from heatgis.export.charts import gantt_row_k, ops_gantt_chart

    w_pt, h_pt = spec.size_pt
    s = min(w_pt, h_pt) / 595.0
    box_w = w_pt - 56 * s
    box_h = h_pt * SUMMARY_GANTT_FRAC
    return ops_gantt_chart(
        plan, width=GANTT_W, lang=lang, title="", row_k=min(gantt_row_k(plan, box_w, box_h, GANTT_W), 2.2)
    )


def _dt(ts) -> str:
    return "" if ts is None or pd.isna(ts) else f"{pd.Timestamp(ts):%m-%d %H:%M}"


def crew_items(plan, t, lang) -> list[tuple]:
    """("head", text) per crew, then ("row", cells) per roster row of the crew."""
    r = C.roster_table(plan, lang, by="crew")
    crews = (
        plan.vehicles.drop_duplicates("crew_id").set_index("crew_id")["crew_name"].to_dict()
        if len(plan.vehicles)
        else {}
    )
    depots = dict(zip(plan.vehicles["depot_id"], plan.vehicles["depot_name"])) if len(plan.vehicles) else {}
    out = []
    for cid, grp in r.groupby("crew_id", sort=True):
        n = grp["staff_id"].nunique()
        out.append(("head", f"{cid}  {crews.get(cid, '')}    {n} {t['people']}, {t['members'].format(len(grp))}"))
        for x in grp.itertuples():
            site_name = x.site_name or depots.get(x.site_id, "")
            out.append(
                (
                    "row",
                    (
                        x.staff_id,
                        x.name,
                        x.task,
                        x.site_id,
                        site_name,
                        x.skill,
                        _dt(x.start),
                        _dt(x.end),
                        x.set_down or x.vehicle,
                        x.taken_back,
                    ),
                )
            )
    return out


def site_items(plan, t, lang) -> list[tuple]:
    """("head", text) per site, then ("row", cells) per place: who holds it, or UNFILLED and why."""
    names = C.staff_names(plan)
    roster = plan.roster[plan.roster["task"].isin(["presence", "on_call"])]
    by_place = {str(p): r for p, r in zip(roster["place_id"], roster.itertuples())}
    places = plan.places.sort_values(["site_id", "start", "duty", "place_id"], kind="stable")
    inside = "已在区内" if lang == "zh" else "inside"
    out = []
    for sid, grp in places.groupby("site_id", sort=True):
        name = C.text(grp["name"].iloc[0])
        filled = int((grp["status"] == "filled").sum())
        out.append(("head", f"{sid}  {name}    {filled} / {len(grp)}"))
        for p in grp.itertuples():
            r = by_place.get(str(p.place_id))
            task = C.task_label(p.duty, lang)
            if r is None or p.status != "filled":
                why = C.reason_label(p.reason, lang)
                out.append(
                    (
                        "unfilled",
                        (
                            p.shift,
                            _dt(p.start),
                            _dt(p.end),
                            task,
                            "",
                            t["unfilled"],
                            "",
                            C.skill_label(p.skill, lang),
                            why,
                            "",
                        ),
                    )
                )
                continue
            staff = str(r.staff_id)
            out.append(
                (
                    "row",
                    (
                        p.shift,
                        _dt(r.start),
                        _dt(r.end),
                        task,
                        staff,
                        names.get(staff, C.text(r.name)),
                        C.text(r.crew_id),
                        C.skill_label(r.skill, lang),
                        C.vehicle_label(r.drop_vehicle) if C.text(r.drop_vehicle) else inside,
                        C.vehicle_label(r.pickup_vehicle) if C.text(r.pickup_vehicle) else inside,
                    ),
                )
            )
    return out


def _table_pages(plan, spec, t, lang) -> list[dict]:
    """Flow the per-crew, then the per-site items over pages (a heading never ends a page)."""
    cap = _capacity(spec)
    pages = []
    for key, items, cols, fracs in (
        ("by_crew", crew_items(plan, t, lang), t["crew_cols"], CREW_FRACS),
        ("by_site", site_items(plan, t, lang), t["site_cols"], SITE_FRACS),
    ):
        part = 0
        i = 0
        while i < len(items) or (part == 0 and not items):
            chunk = items[i : i + cap]
            if len(chunk) == cap and chunk[-1][0] == "head":
                chunk = chunk[:-1]
            pages.append({"title": t[key] + (t["cont"] if part else ""), "cols": cols, "fracs": fracs, "items": chunk})
            i += max(len(chunk), 1)
            part += 1
    return pages


def _capacity(spec) -> int:
    img = QtGui.QImage(10, 14, QtGui.QImage.Format.Format_RGB32)
    p = QtGui.QPainter(img)
    try:
        P = PageCanvas(p, spec, "zh")
        P.k = 1.0
        top, bottom = _body(P)
        n = int((bottom - top - P.line_h(12) - 4 * P.s - row_height(P, TABLE_PT)) // row_height(P, TABLE_PT))
    finally:
        p.end()
    return max(n, 3)


def _body(P) -> tuple[float, float]:
    m = 28 * P.s
    top = m + P.line_h(15) + P.line_h(8.5) + 10 * P.s
    bottom = P.h - m - P.line_h(7) - 8 * P.s
    return top, bottom


# ---------------------------------------------------------------------- painting


def _header(P, plan, t, extra: str = "") -> float:
    s, m = P.s, 28 * P.s
    w = P.w - 2 * m
    right = QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter
    y = m
    P.text(QtCore.QRectF(m, y, w * 0.7, P.line_h(15)), t["title"], 15, bold=True)
    P.text(
        QtCore.QRectF(m + w * 0.5, y, w * 0.5, P.line_h(15)),
        f"{plan.at:%Y-%m-%d}",
        14,
        bold=True,
        col=ACCENT,
        align=right,
    )
    y += P.line_h(15)
    info = f"{t['horizon']}: {plan.at:%Y-%m-%d %H:%M} – {plan.end:%Y-%m-%d %H:%M} ({plan.hours:g} h)"
    if plan.scenario:
        info += f"    {plan.scenario}"
    P.text(QtCore.QRectF(m, y, w * 0.75, P.line_h(8.5)), info, 8.5, col=MUTED)
    if extra:
        P.text(QtCore.QRectF(m + w * 0.6, y, w * 0.4, P.line_h(8.5)), extra, 8.5, col=MUTED, align=right)
    top, _ = _body(P)
    P.p.setPen(P.pen(INK, 1.2))
    P.p.drawLine(QtCore.QPointF(m, top - 4 * s), QtCore.QPointF(m + w, top - 4 * s))
    return top


def _paint_summary(P, plan, t, lang, gantt: QtGui.QImage) -> None:
    s, m = P.s, 28 * P.s
    w = P.w - 2 * m
    y = _header(P, plan, t)
    c = plan.coverage()
    P.text(QtCore.QRectF(m, y, w, P.line_h(11)), t["coverage"], 11, bold=True)
    y += P.line_h(11) + 2 * s
    rows = []
    for r in C.coverage_rows(plan):
        rows.append(
            (
                t["all"] if r["shift"] == "all" else r["shift"],
                (r["start"] or "")[:16].replace("T", " "),
                str(r["places_required"]),
                str(r["places_filled"]),
                str(r["presence_required"]),
                str(r["presence_filled"]),
            )
        )
    heads = (t["shift"], t["start"], t["req"], t["filled"], t["pres_req"], t["pres_filled"])
    y = _table(
        P,
        QtCore.QRectF(m, y, w, 0),
        heads,
        [("row", r) for r in rows[:-1]] + [("bold", rows[-1])],
        (0.2, 0.2, 0.15, 0.15, 0.15, 0.15),
        numeric={2, 3, 4, 5},
        pt=8.5,
    )
    y += 6 * s
    unmet = C.unmet_by_reason(plan)
    lines = [
        t["tickets"].format(c["tickets"], c["tickets_met"], c["tickets_late"]),
        t["patrols"].format(c["patrols_done"], c["patrols_required"]),
        t["unmet"].format("; ".join(f"{C.reason_label(k, lang)} {v}" for k, v in unmet.items()) or t["none"]),
    ]
    for line in lines:
        P.text(QtCore.QRectF(m, y, w, P.line_h(9)), line, 9)
        y += P.line_h(9) + 1 * s
    y += 8 * s
    P.text(QtCore.QRectF(m, y, w, P.line_h(11)), t["gantt"], 11, bold=True)
    y += P.line_h(11) + 2 * s
    _, bottom = _body(P)
    box_h = bottom - y
    k = min(w / gantt.width(), box_h / gantt.height())
    target = QtCore.QRectF(m, y, gantt.width() * k, gantt.height() * k)
    P.p.setRenderHint(QtGui.QPainter.RenderHint.SmoothPixmapTransform, True)
    P.p.drawImage(target, gantt)
    P.p.setPen(P.pen(RULE, 0.5))
    P.p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
    P.p.drawRect(target)


def _paint_table(P, plan, t, page) -> None:
    m = 28 * P.s
    w = P.w - 2 * m
    y = _header(P, plan, t)
    P.text(QtCore.QRectF(m, y, w, P.line_h(12)), page["title"], 12, bold=True)
    y += P.line_h(12) + 4 * P.s
    _table(P, QtCore.QRectF(m, y, w, 0), page["cols"], page["items"], page["fracs"], numeric=(), pt=TABLE_PT)


def _table(P, rect: QtCore.QRectF, heads, items, fracs, numeric=(), pt: float = TABLE_PT) -> float:
    """A striped table: header, then rows, bold rows, full-width headings and red unfilled rows."""
    s = P.s
    rh = row_height(P, pt)
    x0, w = rect.left(), rect.width()
    xs = [x0]
    for f in fracs:
        xs.append(xs[-1] + f * w)
    al_r, al_l = ALIGN_RIGHT, ALIGN_LEFT
    y = draw_table_head(P, x0, rect.top(), w, xs, heads, numeric, pt)
    stripe = 0
    for kind, cells in items:
        if kind == "head":
            P.p.fillRect(QtCore.QRectF(x0, y, w, rh), QtGui.QColor("#f3ead9"))
            P.text(QtCore.QRectF(x0 + 2 * s, y, w - 4 * s, rh), cells, pt + 0.5, bold=True)
            stripe = 0
            y += rh
            continue
        if stripe % 2:
            P.p.fillRect(QtCore.QRectF(x0, y, w, rh), QtGui.QColor("#f5f6f8"))
        stripe += 1
        col = ACCENT if kind == "unfilled" else INK
        for j, v in enumerate(list(cells)[: len(heads)]):
            P.text(
                QtCore.QRectF(xs[j] + 2 * s, y, xs[j + 1] - xs[j] - 4 * s, rh),
                str(v),
                pt,
                bold=kind in ("bold", "unfilled") and (kind == "bold" or j == 5),
                col=col,
                align=al_r if j in numeric else al_l,
            )
        y += rh
    P.p.setPen(P.pen(RULE, 0.5))
    P.p.drawLine(QtCore.QPointF(x0, y), QtCore.QPointF(x0 + w, y))
    return y


def _footer(P, t, made, page_no, pages) -> None:
    s, m = P.s, 28 * P.s
    w = P.w - 2 * m
    right = QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter
    fy = P.h - m - P.line_h(7)
    P.p.setPen(P.pen(RULE, 0.5))
    P.p.drawLine(QtCore.QPointF(m, fy - 3 * s), QtCore.QPointF(m + w, fy - 3 * s))
    P.text(QtCore.QRectF(m, fy, w * 0.75, P.line_h(7)), f"{t['made']} {made:%Y-%m-%d %H:%M}    HeatGIS", 7, col=MUTED)
    P.text(
        QtCore.QRectF(m + w * 0.75, fy, w * 0.25, P.line_h(7)),
        t["page"].format(page_no, pages),
        7,
        col=MUTED,
        align=right,
    )
