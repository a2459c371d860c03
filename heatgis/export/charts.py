"""The timeline chart as an image (QtGui only): locked sites per day and households affected.

Used by the slides; the same figures as ``heatgis.analysis.timeline.timeline``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from PySide6 import QtCore, QtGui

from heatgis.model.vocab import wan
from heatgis.render.fonts import cjk_font

BAR_ST, BAR_BR, LINE = QtGui.QColor("#1f5fbf"), QtGui.QColor("#ff7f0e"), QtGui.QColor("#b3261e")


def _white_canvas(width: int, height: int) -> tuple[QtGui.QImage, QtGui.QPainter]:
    """A white 96-dpi image of ``width`` x ``height`` pixels and an antialiased painter on it
    (the painter's owner calls ``end()``); makes the GUI application Qt painting needs."""
    from heatgis.export.pdf import ensure_gui_app

    ensure_gui_app()
    img = QtGui.QImage(width, height, QtGui.QImage.Format.Format_RGB32)
    img.setDotsPerMeterX(round(96 / 0.0254))
    img.setDotsPerMeterY(round(96 / 0.0254))
    img.fill(QtGui.QColor("#ffffff"))
    p = QtGui.QPainter(img)
    p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
    return img, p


def _nice_max(v: float) -> float:
    if v <= 0:
        return 1.0
    p = 10 ** math.floor(math.log10(v))
    for m in (1, 2, 2.5, 5, 10):
        if m * p >= v:
            return m * p
    return 10 * p


def timeline_chart(tl: pd.DataFrame, at=None, width: int = 1600, height: int = 800, lang: str = "zh") -> QtGui.QImage:
    """Stacked bars (locked stations + boiler rooms per day), a line of households (万户).

    Parameters
    ----------
    tl : DataFrame
        From ``timeline(project)``: time, stations, boiler_rooms, households.
    at : Timestamp, optional
        The day of the figures, marked.
    width, height : int
        Pixels.
    """
    img, p = _white_canvas(width, height)
    u = height / 800.0
    zh = lang == "zh"
    left, right, top, bottom = 110 * u, 120 * u, 70 * u, 110 * u
    plot = QtCore.QRectF(left, top, width - left - right, height - top - bottom)
    p.setFont(cjk_font(15 * u, True))
    p.setPen(QtGui.QColor("#1d2733"))
    p.drawText(
        QtCore.QRectF(left, 10 * u, plot.width(), 50 * u),
        int(QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignVCenter),
        "每日锁闭站点与影响户数" if zh else "Locked sites and households affected per day",
    )
    n = len(tl)
    if n == 0:
        p.setFont(cjk_font(12 * u))
        p.drawText(plot, int(QtCore.Qt.AlignmentFlag.AlignCenter), "无管控区" if zh else "no zones")
        p.end()
        return img
    sites = (tl["stations"] + tl["boiler_rooms"]).to_numpy(float)
    hh = wan(tl["households"].to_numpy(float))
    ymax, hmax = _nice_max(sites.max()), _nice_max(hh.max())
    p.setFont(cjk_font(10 * u))
    for i in range(6):
        y = plot.bottom() - plot.height() * i / 5
        p.setPen(QtGui.QPen(QtGui.QColor("#e1e4e8"), 1 * u))
        p.drawLine(QtCore.QPointF(plot.left(), y), QtCore.QPointF(plot.right(), y))
        p.setPen(QtGui.QColor("#1f5fbf"))
        p.drawText(
            QtCore.QRectF(0, y - 12 * u, left - 10 * u, 24 * u),
            int(QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter),
            f"{ymax * i / 5:g}",
        )
        p.setPen(LINE)
        p.drawText(
            QtCore.QRectF(plot.right() + 10 * u, y - 12 * u, right - 10 * u, 24 * u),
            int(QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignVCenter),
            f"{hmax * i / 5:g}",
        )
    bw = plot.width() / n
    at_day = pd.Timestamp(at).normalize() if at is not None else None
    step = max(1, math.ceil(n / 16))
    for i, r in enumerate(tl.itertuples()):
        x = plot.left() + i * bw
        hs = plot.height() * r.stations / ymax
        hb = plot.height() * r.boiler_rooms / ymax
        p.fillRect(QtCore.QRectF(x + bw * 0.15, plot.bottom() - hs, bw * 0.7, hs), BAR_ST)
        p.fillRect(QtCore.QRectF(x + bw * 0.15, plot.bottom() - hs - hb, bw * 0.7, hb), BAR_BR)
        day = pd.Timestamp(r.time).normalize()
        if at_day is not None and day == at_day:
            p.setPen(QtGui.QPen(QtGui.QColor("#1d2733"), 2 * u, QtCore.Qt.PenStyle.DashLine))
            p.drawLine(QtCore.QPointF(x + bw / 2, plot.top()), QtCore.QPointF(x + bw / 2, plot.bottom()))
        if i % step == 0:
            p.setPen(QtGui.QColor("#5b6470"))
            p.drawText(
                QtCore.QRectF(x - 30 * u, plot.bottom() + 6 * u, bw + 60 * u, 24 * u),
                int(QtCore.Qt.AlignmentFlag.AlignCenter),
                f"{pd.Timestamp(r.time):%m-%d}",
            )
    pts = QtGui.QPolygonF(
        [
            QtCore.QPointF(plot.left() + (i + 0.5) * bw, plot.bottom() - plot.height() * v / hmax)
            for i, v in enumerate(hh)
        ]
    )
    p.setPen(QtGui.QPen(LINE, 3 * u))
    p.drawPolyline(pts)
    p.setPen(QtGui.QPen(QtGui.QColor("#1d2733"), 1.2 * u))
    p.drawLine(plot.bottomLeft(), plot.bottomRight())
    # legend
    p.setFont(cjk_font(11 * u))
    items = [
        (BAR_ST, "锁闭换热站" if zh else "stations locked"),
        (BAR_BR, "锁闭锅炉房" if zh else "boiler rooms locked"),
        (LINE, "影响户数(万户, 右轴)" if zh else "households affected (10k, right axis)"),
    ]
    x = plot.left()
    y = height - 45 * u
    for col, text in items:
        p.fillRect(QtCore.QRectF(x, y - 7 * u, 22 * u, 14 * u), col)
        p.setPen(QtGui.QColor("#1d2733"))
        fm = QtGui.QFontMetricsF(p.font(), img)
        p.drawText(QtCore.QPointF(x + 28 * u, y + 5 * u), text)
        x += 28 * u + fm.horizontalAdvance(text) + 30 * u
    p.end()
    return img


HEAT_OK, HEAT_TIGHT, HEAT_DEFICIT = QtGui.QColor("#1f5fbf"), QtGui.QColor("#e69f00"), QtGui.QColor("#b3261e")


def heat_chart(
    networks: pd.DataFrame,
    coldest_time=None,
    coldest_c=None,
    width: int = 1400,
    height: int = 1000,
    lang: str = "zh",
    rows: int | None = None,
) -> QtGui.QImage:
    """Demand as a share of capacity per network at the coldest hour (horizontal bars, 100 % marked).

    Parameters
    ----------
    networks : DataFrame
        ``HeatResult.networks``: network_id, capacity_mw, demand_mw, margin_pct (the same
        figures as ``heatgis heat``); networks without a capacity are left out.
    coldest_time, coldest_c : optional
        Named in the title.
    rows : int, optional
        Only the tightest ``rows`` networks (lowest margin first).
    """
    img, p = _white_canvas(width, height)
    zh = lang == "zh"
    u = min(width / 1400.0, height / 1000.0)
    n = networks[networks["capacity_mw"].notna() & (networks["capacity_mw"] > 0)]
    n = n.assign(use=n["demand_mw"] / n["capacity_mw"] * 100.0).sort_values(
        ["use", "network_id"], ascending=[False, True], kind="stable"
    )
    if rows is not None:
        n = n.head(rows)
    left, right, top, bottom = 150 * u, 330 * u, 80 * u, 70 * u
    plot = QtCore.QRectF(left, top, width - left - right, height - top - bottom)
    align_l = int(QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignVCenter)
    align_r = int(QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter)
    title = "各管网最冷时刻需求/供热能力" if zh else "Demand / capacity per network at the coldest hour"
    if coldest_time is not None:
        title += f"  {pd.Timestamp(coldest_time):%m-%d %H:%M}"
    if coldest_c is not None:
        title += f"  {coldest_c:.1f} °C"
    p.setFont(cjk_font(16 * u, True))
    p.setPen(QtGui.QColor("#1d2733"))
    p.drawText(QtCore.QRectF(20 * u, 10 * u, width - 40 * u, 50 * u), align_l, title)
    if len(n) == 0:
        p.setFont(cjk_font(12 * u))
        p.drawText(plot, int(QtCore.Qt.AlignmentFlag.AlignCenter), "无供热能力数据" if zh else "no capacities")
        p.end()
        return img
    xmax = max(110.0, math.ceil(float(n["use"].max()) * 1.05 / 10.0) * 10.0)
    x_of = lambda v: plot.left() + plot.width() * min(v, xmax) / xmax  # noqa: E731
    p.setFont(cjk_font(10 * u))
    for v in np.arange(0, xmax + 1e-9, 20 if xmax <= 140 else 50):
        x = x_of(v)
        p.setPen(QtGui.QPen(QtGui.QColor("#e1e4e8"), 1 * u))
        p.drawLine(QtCore.QPointF(x, plot.top()), QtCore.QPointF(x, plot.bottom()))
        p.setPen(QtGui.QColor("#5b6470"))
        p.drawText(
            QtCore.QRectF(x - 40 * u, plot.bottom() + 4 * u, 80 * u, 24 * u),
            int(QtCore.Qt.AlignmentFlag.AlignCenter),
            f"{v:g}%",
        )
    bh = plot.height() / len(n)
    fs = max(7.0, min(12.0, bh / u * 0.45))
    for i, r in enumerate(n.itertuples()):
        y = plot.top() + i * bh
        col = HEAT_DEFICIT if r.use > 100 else HEAT_TIGHT if r.use > 90 else HEAT_OK
        p.fillRect(QtCore.QRectF(plot.left(), y + bh * 0.18, x_of(r.use) - plot.left(), bh * 0.64), col)
        p.setFont(cjk_font(fs * u))
        p.setPen(QtGui.QColor("#1d2733"))
        p.drawText(QtCore.QRectF(0, y, left - 10 * u, bh), align_r, str(r.network_id))
        p.drawText(
            QtCore.QRectF(plot.right() + 10 * u, y, right - 10 * u, bh),
            align_l,
            f"{r.demand_mw:,.1f} / {r.capacity_mw:,.1f} MW  {r.use:.0f}%",
        )
    x100 = x_of(100.0)
    p.setPen(QtGui.QPen(HEAT_DEFICIT, 2 * u, QtCore.Qt.PenStyle.DashLine))
    p.drawLine(QtCore.QPointF(x100, plot.top() - 6 * u), QtCore.QPointF(x100, plot.bottom()))
    p.setFont(cjk_font(10 * u))
    p.drawText(
        QtCore.QRectF(x100 - 60 * u, plot.top() - 28 * u, 120 * u, 22 * u),
        int(QtCore.Qt.AlignmentFlag.AlignCenter),
        "供热能力 100%" if zh else "capacity 100%",
    )
    p.end()
    return img


#: the Gantt's colours per kind of work (the legend names them)
GANTT_COLOURS = {
    "shift": "#e9edf2",
    "drive": "#8d96a0",
    "drop": "#1f6fb4",
    "pickup": "#f08a24",
    "patrol": "#2e9d46",
    "ticket": "#c92a2a",
    "presence": "#8e5cc4",
    "late": "#7a0000",
}
_GANTT_KIND = {
    "board": "drop",
    "drop": "drop",
    "pickup": "pickup",
    "alight": "pickup",
    "patrol": "patrol",
    "ticket": "ticket",
}
GANTT_LEGEND = {
    "zh": {
        "shift": "车辆班次",
        "drive": "行驶",
        "drop": "送人上岗（上车/送达）",
        "pickup": "接人回驻地（接回/下车）",
        "patrol": "巡检",
        "ticket": "工单",
        "presence": "岗位值守（人员在岗）",
        "bound": "值守班次交接",
    },
    "en": {
        "shift": "vehicle shift",
        "drive": "drive",
        "drop": "set down (board / drop)",
        "pickup": "take back (pick up / alight)",
        "patrol": "patrol",
        "ticket": "ticket",
        "presence": "presence held (person on site)",
        "bound": "staffing shift change",
    },
}


def gantt_rows(plan, lang: str = "zh") -> list[dict]:
    """The Gantt's rows: each working vehicle shift, then each site whose places are held.

    Each row: ``label``, ``kind`` ("vehicle" or "site"), ``span`` (start, end) of the pale
    background (the vehicle's shift, the places' time) and ``bars``: (start, end, kind),
    kind in drive, drop, pickup, patrol, ticket, presence.
    """
    from heatgis.export.ops_common import vehicle_label, working_vehicles

    rows = []
    for v in working_vehicles(plan).itertuples():
        bars = []
        legs = plan.legs[plan.legs["vehicle_id"] == v.vehicle_id]
        for lg in legs.itertuples():
            if pd.notna(lg.depart) and pd.notna(lg.arrive) and lg.arrive > lg.depart:
                bars.append((lg.depart, lg.arrive, "drive"))
        st = plan.stops[plan.stops["vehicle_id"] == v.vehicle_id]
        for s in st.itertuples():
            kind = _GANTT_KIND.get(str(s.task), "patrol")
            if kind == "ticket" and float(s.late or 0) > 0:
                kind = "late"
            bars.append((s.start, s.depart, kind))
        rows.append(
            {
                "label": f"{vehicle_label(v.vehicle_id)} {pd.Timestamp(v.shift_start):%m-%d %H:%M}",
                "kind": "vehicle",
                "span": (v.shift_start, v.shift_end),
                "bars": bars,
                "color": v.color,
            }
        )
    held = plan.roster[plan.roster["task"].isin(["presence", "on_call"])]
    for sid, grp in held.sort_values(["site_id", "start"], kind="stable").groupby("site_id", sort=True):
        name = str(grp["site_name"].iloc[0]) if pd.notna(grp["site_name"].iloc[0]) else ""
        rows.append(
            {
                "label": f"{sid} {name}".strip(),
                "kind": "site",
                "span": (grp["start"].min(), grp["end"].max()),
                "bars": [(a, b, "presence") for a, b in zip(grp["start"], grp["end"])],
                "color": None,
            }
        )
    return rows


def ops_gantt_chart(
    plan, width: int = 1800, height: int | None = None, lang: str = "zh", title: str | None = None, row_k: float = 1.0
) -> QtGui.QImage:
    """The crews' plan in clock time: a row per vehicle shift and per held site.

    Parameters
    ----------
    plan : OpsPlan
    width, height : int
        Pixels; the default height gives each row about 24 px at 1800 wide.
    lang : {"zh", "en"}
    title : str, optional
    row_k : float
        Rows, type and margins this many times their size at 1800 px wide (a page fits
        the chart to its box with ``gantt_row_k``).

    Returns
    -------
    QImage
        Vehicles' drives and stops coloured by kind (``GANTT_COLOURS``), the places held
        at each site, the staffing shift boundaries (dashed) and the horizon (solid).
    """
    rows = gantt_rows(plan, lang)
    u0 = width / 1800.0
    u = u0 * row_k
    row_h = 24 * u
    left, right, top, bottom = min(330 * u, 0.3 * width), 30 * u0, (92 if title != "" else 40) * u, 120 * u
    if height is None:
        height = int(top + bottom + row_h * max(len(rows), 1) + 20 * u0)
    img, p = _white_canvas(width, height)
    zh = lang == "zh"
    leg = GANTT_LEGEND["zh" if zh else "en"]
    AL = QtCore.Qt.AlignmentFlag
    ink, muted = QtGui.QColor("#1d2733"), QtGui.QColor("#5b6470")
    p.setFont(cjk_font(15 * u, True))
    p.setPen(ink)
    if title != "":  # "" = no title (the page prints its own)
        p.drawText(
            QtCore.QRectF(16 * u, 8 * u, width - 32 * u, 40 * u),
            int(AL.AlignLeft | AL.AlignVCenter),
            title
            or (
                (f"抢修队 {plan.hours:g} 小时作业甘特图 " if zh else f"Crews' {plan.hours:g}-hour plan ")
                + f"{plan.at:%Y-%m-%d %H:%M} – {plan.end:%m-%d %H:%M}"
            ),
        )
    plot = QtCore.QRectF(left, top, width - left - right, height - top - bottom)
    times = [plan.at, plan.end] + [t for r in rows for t in r["span"] if pd.notna(t)]
    times += [t for r in rows for b in r["bars"] for t in b[:2] if pd.notna(t)]
    t0 = pd.Timestamp(min(times)).floor("h")
    t1 = pd.Timestamp(max(times)).ceil("h")
    span_s = max((t1 - t0).total_seconds(), 3600.0)

    def X(t) -> float:
        return plot.left() + plot.width() * (pd.Timestamp(t) - t0).total_seconds() / span_s

    # hour grid and clock labels
    step_h = 1 if span_s <= 12 * 3600 else (2 if span_s <= 30 * 3600 else (4 if span_s <= 60 * 3600 else 6))
    p.setFont(cjk_font(10 * u))
    t = t0
    while t <= t1:
        x = X(t)
        major = t.hour % step_h == 0
        if major:
            p.setPen(QtGui.QPen(QtGui.QColor("#e4e7eb"), 1 * u))
            p.drawLine(QtCore.QPointF(x, plot.top()), QtCore.QPointF(x, plot.bottom()))
            p.setPen(muted)
            lab = f"{t:%H:%M}" if t.hour else f"{t:%m-%d}"
            p.drawText(QtCore.QRectF(x - 40 * u, plot.top() - 26 * u, 80 * u, 22 * u), int(AL.AlignCenter), lab)
        t += pd.Timedelta(hours=1)
    # rows
    p.setFont(cjk_font(11.5 * u))
    for i, r in enumerate(rows):
        y = plot.top() + i * row_h
        if r["kind"] == "site" and (i == 0 or rows[i - 1]["kind"] != "site"):
            p.setPen(QtGui.QPen(ink, 1.2 * u))
            p.drawLine(QtCore.QPointF(8 * u, y), QtCore.QPointF(plot.right(), y))
        if i % 2:
            p.fillRect(QtCore.QRectF(8 * u, y, plot.right() - 8 * u, row_h), QtGui.QColor("#f7f8fa"))
        a, b = r["span"]
        if pd.notna(a) and pd.notna(b):
            p.fillRect(QtCore.QRectF(X(a), y + 2 * u, X(b) - X(a), row_h - 4 * u), QtGui.QColor(GANTT_COLOURS["shift"]))
        if r["color"]:
            p.fillRect(QtCore.QRectF(10 * u, y + 6 * u, 10 * u, row_h - 12 * u), QtGui.QColor(str(r["color"])))
        p.setPen(ink)
        fm = QtGui.QFontMetricsF(p.font(), img)
        p.drawText(
            QtCore.QRectF(26 * u, y, left - 34 * u, row_h),
            int(AL.AlignLeft | AL.AlignVCenter),
            fm.elidedText(r["label"], QtCore.Qt.TextElideMode.ElideRight, left - 34 * u),
        )
        for a, b, kind in r["bars"]:
            if pd.isna(a) or pd.isna(b):
                continue
            h = row_h * (0.3 if kind == "drive" else 0.62)
            gap = 1.5 * u if kind == "presence" else 0.0  # consecutive places stay apart
            w = max(X(b) - X(a) - 2 * gap, 1.6 * u)
            p.fillRect(QtCore.QRectF(X(a) + gap, y + (row_h - h) / 2, w, h), QtGui.QColor(GANTT_COLOURS[kind]))
    # staffing shift boundaries (dashed) and the horizon (solid)
    bounds = (
        sorted(set(plan.places["shift_start"].dropna()) | set(plan.places["end"].dropna())) if len(plan.places) else []
    )
    p.setPen(QtGui.QPen(QtGui.QColor("#1d2733"), 1.4 * u, QtCore.Qt.PenStyle.DashLine))
    for b in bounds:
        if t0 <= b <= t1:
            p.drawLine(QtCore.QPointF(X(b), plot.top() - 4 * u), QtCore.QPointF(X(b), plot.bottom()))
    p.setPen(QtGui.QPen(QtGui.QColor("#b3261e"), 2.2 * u))
    for b in (plan.at, plan.end):
        p.drawLine(QtCore.QPointF(X(b), plot.top() - 4 * u), QtCore.QPointF(X(b), plot.bottom()))
    p.setPen(QtGui.QPen(ink, 1.2 * u))
    p.drawLine(plot.bottomLeft(), plot.bottomRight())
    _gantt_legend(p, img, plot, u, width - right, leg, "计划时段起止" if zh else "horizon")
    p.end()
    return img


def _gantt_legend(p, img, plot, u, right_edge, leg, horizon) -> None:
    """The Gantt chart's legend under the plot, wrapping at ``right_edge``: the kinds' colours, the
    staffing shift boundary (dashed) and the horizon (solid)."""
    ink = QtGui.QColor("#1d2733")
    p.setFont(cjk_font(10.5 * u))
    fm = QtGui.QFontMetricsF(p.font(), img)
    items = [(k, leg[k]) for k in ("drive", "drop", "pickup", "patrol", "ticket", "presence", "shift")]
    x, y = plot.left(), plot.bottom() + 26 * u
    for k, label in items:
        need = 30 * u + fm.horizontalAdvance(label) + 26 * u
        if x + need > right_edge:
            x, y = plot.left(), y + 30 * u
        hh = 14 * u if k != "drive" else 7 * u
        p.fillRect(QtCore.QRectF(x, y - hh / 2, 22 * u, hh), QtGui.QColor(GANTT_COLOURS[k]))
        p.setPen(ink)
        p.drawText(QtCore.QPointF(x + 28 * u, y + 5 * u), label)
        x += need
    if x + 200 * u > right_edge:
        x, y = plot.left(), y + 30 * u
    p.setPen(QtGui.QPen(ink, 1.4 * u, QtCore.Qt.PenStyle.DashLine))
    p.drawLine(QtCore.QPointF(x, y), QtCore.QPointF(x + 22 * u, y))
    p.setPen(ink)
    p.drawText(QtCore.QPointF(x + 28 * u, y + 5 * u), leg["bound"])
    x += 28 * u + fm.horizontalAdvance(leg["bound"]) + 26 * u
    p.setPen(QtGui.QPen(QtGui.QColor("#b3261e"), 2.2 * u))
    p.drawLine(QtCore.QPointF(x, y), QtCore.QPointF(x + 22 * u, y))
    p.setPen(ink)
    p.drawText(QtCore.QPointF(x + 28 * u, y + 5 * u), horizon)


def gantt_row_k(plan, box_w: float, box_h: float, width: int = 1800) -> float:
    """The ``row_k`` at which the Gantt of ``plan``, drawn ``width`` px wide and scaled to
    ``box_w``, is exactly ``box_h`` tall (any units)."""
    n = max(len(gantt_rows(plan)), 1)
    u0 = width / 1800.0
    k = box_w / width
    return max(0.5, (box_h / k - 20 * u0) / (u0 * (160 + 24 * n)))
