"""The timeline chart as an image (QtGui only): locked sites per day and households affected.

Used by the slides; the same figures as ``heatgis.analysis.timeline.timeline``.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from PySide6 import QtCore, QtGui

from heatgis.render.fonts import cjk_font

BAR_ST, BAR_BR, LINE = QtGui.QColor("#1f5fbf"), QtGui.QColor("#ff7f0e"), QtGui.QColor("#b3261e")


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
    from heatgis.export.pdf import ensure_gui_app

    ensure_gui_app()
    img = QtGui.QImage(width, height, QtGui.QImage.Format.Format_RGB32)
    img.setDotsPerMeterX(round(96 / 0.0254))
    img.setDotsPerMeterY(round(96 / 0.0254))
    img.fill(QtGui.QColor("#ffffff"))
    p = QtGui.QPainter(img)
    p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
    u = height / 800.0
    zh = lang == "zh"
    left, right, top, bottom = 110 * u, 120 * u, 70 * u, 110 * u
    plot = QtCore.QRectF(left, top, width - left - right, height - top - bottom)
    p.setFont(cjk_font(15 * u, True))
    p.setPen(QtGui.QColor("#1d2733"))
    p.drawText(QtCore.QRectF(left, 10 * u, plot.width(), 50 * u), int(QtCore.Qt.AlignmentFlag.AlignLeft
               | QtCore.Qt.AlignmentFlag.AlignVCenter),
               "每日锁闭站点与影响户数" if zh else "Locked sites and households affected per day")
    n = len(tl)
    if n == 0:
        p.setFont(cjk_font(12 * u))
        p.drawText(plot, int(QtCore.Qt.AlignmentFlag.AlignCenter), "无管控区" if zh else "no zones")
        p.end()
        return img
    sites = (tl["stations"] + tl["boiler_rooms"]).to_numpy(float)
    hh = tl["households"].to_numpy(float) / 1e4
    ymax, hmax = _nice_max(sites.max()), _nice_max(hh.max())
    p.setFont(cjk_font(10 * u))
    for i in range(6):
        y = plot.bottom() - plot.height() * i / 5
        p.setPen(QtGui.QPen(QtGui.QColor("#e1e4e8"), 1 * u))
        p.drawLine(QtCore.QPointF(plot.left(), y), QtCore.QPointF(plot.right(), y))
        p.setPen(QtGui.QColor("#1f5fbf"))
        p.drawText(QtCore.QRectF(0, y - 12 * u, left - 10 * u, 24 * u),
                   int(QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter), f"{ymax * i / 5:g}")
        p.setPen(LINE)
        p.drawText(QtCore.QRectF(plot.right() + 10 * u, y - 12 * u, right - 10 * u, 24 * u),
                   int(QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignVCenter), f"{hmax * i / 5:g}")
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
            p.drawText(QtCore.QRectF(x - 30 * u, plot.bottom() + 6 * u, bw + 60 * u, 24 * u),
                       int(QtCore.Qt.AlignmentFlag.AlignCenter), f"{pd.Timestamp(r.time):%m-%d}")
    pts = QtGui.QPolygonF([QtCore.QPointF(plot.left() + (i + 0.5) * bw, plot.bottom() - plot.height() * v / hmax)
                           for i, v in enumerate(hh)])
    p.setPen(QtGui.QPen(LINE, 3 * u))
    p.drawPolyline(pts)
    p.setPen(QtGui.QPen(QtGui.QColor("#1d2733"), 1.2 * u))
    p.drawLine(plot.bottomLeft(), plot.bottomRight())
    # legend
    p.setFont(cjk_font(11 * u))
    items = [(BAR_ST, "锁闭换热站" if zh else "stations locked"), (BAR_BR, "锁闭锅炉房" if zh else "boiler rooms locked"),
             (LINE, "影响户数(万户, 右轴)" if zh else "households affected (10k, right axis)")]
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


def heat_chart(networks: pd.DataFrame, coldest_time=None, coldest_c=None, width: int = 1400, height: int = 1000,
               lang: str = "zh", rows: int | None = None) -> QtGui.QImage:
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
    from heatgis.export.pdf import ensure_gui_app

    ensure_gui_app()
    img = QtGui.QImage(width, height, QtGui.QImage.Format.Format_RGB32)
    img.setDotsPerMeterX(round(96 / 0.0254))
    img.setDotsPerMeterY(round(96 / 0.0254))
    img.fill(QtGui.QColor("#ffffff"))
    p = QtGui.QPainter(img)
    p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
    zh = lang == "zh"
    u = min(width / 1400.0, height / 1000.0)
    n = networks[networks["capacity_mw"].notna() & (networks["capacity_mw"] > 0)]
    n = n.assign(use=n["demand_mw"] / n["capacity_mw"] * 100.0).sort_values(["use", "network_id"], ascending=[False, True],
                                                                            kind="stable")
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
        p.drawText(QtCore.QRectF(x - 40 * u, plot.bottom() + 4 * u, 80 * u, 24 * u),
                   int(QtCore.Qt.AlignmentFlag.AlignCenter), f"{v:g}%")
    bh = plot.height() / len(n)
    fs = max(7.0, min(12.0, bh / u * 0.45))
    for i, r in enumerate(n.itertuples()):
        y = plot.top() + i * bh
        col = HEAT_DEFICIT if r.use > 100 else HEAT_TIGHT if r.use > 90 else HEAT_OK
        p.fillRect(QtCore.QRectF(plot.left(), y + bh * 0.18, x_of(r.use) - plot.left(), bh * 0.64), col)
        p.setFont(cjk_font(fs * u))
        p.setPen(QtGui.QColor("#1d2733"))
        p.drawText(QtCore.QRectF(0, y, left - 10 * u, bh), align_r, str(r.network_id))
        p.drawText(QtCore.QRectF(plot.right() + 10 * u, y, right - 10 * u, bh), align_l,
                   f"{r.demand_mw:,.1f} / {r.capacity_mw:,.1f} MW  {r.use:.0f}%")
    x100 = x_of(100.0)
    p.setPen(QtGui.QPen(HEAT_DEFICIT, 2 * u, QtCore.Qt.PenStyle.DashLine))
    p.drawLine(QtCore.QPointF(x100, plot.top() - 6 * u), QtCore.QPointF(x100, plot.bottom()))
    p.setFont(cjk_font(10 * u))
    p.drawText(QtCore.QRectF(x100 - 60 * u, plot.top() - 28 * u, 120 * u, 22 * u),
               int(QtCore.Qt.AlignmentFlag.AlignCenter), "供热能力 100%" if zh else "capacity 100%")
    p.end()
    return img
