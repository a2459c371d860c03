"""The side panel and frames of the print layout: KPI tiles, legend, overview inset, sites table.

Split from ``heatgis.render.layout`` (which lays the page out and draws the map
frame, scale bar and north arrow). Every function draws in points on a
``layout.PageCanvas`` ``P`` (painter ``P.p``, ``P.k`` device pixels per point, ``P.s``
type scale); map symbols are drawn in device coordinates with ``px=P.k`` so a
legend swatch is exactly the symbol on the map.
"""

from __future__ import annotations

import copy
import math

import numpy as np
from PySide6 import QtCore, QtGui

from heatgis.render.highlight import HighlightPainter
from heatgis.render.mapdraw import MapRenderer, draw_swatch, fit_extent
from heatgis.render.overlays import draw_legend_symbol
from heatgis.render.overlays import legend_entries as overlay_entries
from heatgis.render.styles import LOCKED_COLOUR, MapStyle

OVERVIEW_LAYERS = ("districts", "roads", "lockdown_zones")
OVERVIEW_RING_SCALE = 0.45
#: road classes the overview inset draws: the street grid is clutter at that scale, and in a
#: vector PDF it is most of the page (an atlas of 45 zone pages was 29 MB with it)
OVERVIEW_ROAD_CLASSES = ("ring", "expressway")
INK, MUTED, RULE = QtGui.QColor("#1d2733"), QtGui.QColor("#5b6470"), QtGui.QColor("#9aa3ad")
ACCENT = QtGui.QColor("#1f4e79")  # KPI figures and the time: ink blue (red is the sealed zones' colour)


def overview_renderer(r: MapRenderer, layers=OVERVIEW_LAYERS) -> MapRenderer:
    """``r`` showing only the base layers and zones (a small inset of the whole city).

    The prepared geometry is shared; only the main road classes are drawn, the
    locked-site rings are drawn smaller and the plan overlays are left out (they
    belong to the main map).
    """
    ov = copy.copy(r)
    ov.style = r.style.copy()
    ov.painters = {}
    for ls in ov.style.layers:
        ls.visible = ls.visible and ls.layer in layers
        if ls.layer == "roads":
            for c in ls.categories:  # a deep copy: the main map keeps its classes
                if c.value not in OVERVIEW_ROAD_CLASSES:
                    c.max_scale = 0.0
        p = r.painter(ls.layer) if ls.visible else None  # prepared once, shared with ``r``
        if p is not None:
            q = copy.copy(p)
            q.style = ls
            ls.labels = False
            ov.painters[ls.layer] = q
        else:
            ov.painters[ls.layer] = None
    ov.highlight = HighlightPainter(scale=OVERVIEW_RING_SCALE)
    ov.highlight.set_locked(r.highlight.locked_xy)
    ov.overlays = []
    return ov


def device_rect(P, rect: QtCore.QRectF) -> QtCore.QRectF:
    return QtCore.QRectF(rect.left() * P.k, rect.top() * P.k, rect.width() * P.k, rect.height() * P.k)


def render_frame(P, r: MapRenderer, extent, rect_pt: QtCore.QRectF, reserved_pt=()) -> None:
    """The screen's renderer into a frame given in points, at ``px = P.k`` (a style pixel = a point);
    labels keep clear of the ``reserved_pt`` rectangles (points)."""
    p = P.p
    p.save()
    p.resetTransform()
    sizes = [st.label_size for st in r.style.layers if st.visible and getattr(st, "labels", False)] or [8.0]
    font = max(getattr(P, "map_font", 1.0), getattr(P, "min_pt", 0.0) / max(min(sizes), 1.0))  # labels >= minimum
    r.render(
        p,
        extent,
        device_rect(P, rect_pt),
        scale_bar=False,
        px=P.k * getattr(P, "map_px", 1.0),
        font_px=P.k * P.g * font,
        reserved=[device_rect(P, q) for q in reserved_pt],
    )
    p.restore()


def panel_title(P, rect: QtCore.QRectF, text: str) -> float:
    h = P.line_h(9.5)
    P.text(QtCore.QRectF(rect.left(), rect.top(), rect.width(), h), text, 9.5, bold=True)
    return rect.top() + h + 2 * P.s


RIGHT_MIDDLE = QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter


def draw_kpis(P, page, rect: QtCore.QRectF) -> float:
    """Two columns of tiles: value big, label small; returns the bottom."""
    s = P.s
    n = len(page.kpis)
    if n == 0:
        return rect.top()
    cols = 2
    rows = math.ceil(n / cols)
    tile_h = P.line_h(16) + P.line_h(7.5) + 8 * s
    tw = (rect.width() - (cols - 1) * 4 * s) / cols
    for i, (label, value, unit) in enumerate(page.kpis):
        r_, c_ = divmod(i, cols)
        t = QtCore.QRectF(rect.left() + c_ * (tw + 4 * s), rect.top() + r_ * (tile_h + 4 * s), tw, tile_h)
        P.box(t, fill="#f6f3ee", border="#d8d2c6")
        vh = P.line_h(16)
        f = P.font(16, True)
        fm = QtGui.QFontMetricsF(f, P.p.device())
        vw = fm.horizontalAdvance(str(value))
        P.text(
            QtCore.QRectF(t.left() + 6 * s, t.top() + 3 * s, t.width() - 12 * s, vh),
            str(value),
            16,
            bold=True,
            col=ACCENT,
            elide=False,
        )
        P.text(
            QtCore.QRectF(t.left() + 8 * s + vw, t.top() + 3 * s, t.width() - 14 * s - vw, vh),
            unit,
            8.5,
            col=MUTED,
            align=QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignBottom,
        )
        lab = QtCore.QRectF(t.left() + 6 * s, t.top() + 3 * s + vh, t.width() - 12 * s, P.line_h(7.5))
        change = page.kpi_changes[i] if i < len(getattr(page, "kpi_changes", ())) else ""
        if change:  # the change since the earlier time, right-aligned: on the value's line when it fits
            # beside the value and its unit ("vs day before +0.12" is long), else on the label's line
            uw = QtGui.QFontMetricsF(P.font(8.5), P.p.device()).horizontalAdvance(f" {unit}") if unit else 0.0
            cw = QtGui.QFontMetricsF(P.font(7.5, True), P.p.device()).horizontalAdvance(change)
            if vw + uw + cw + 24 * s <= t.width():
                row = QtCore.QRectF(t.left() + 6 * s, t.top() + 3 * s, t.width() - 12 * s, vh)
                bottom_right = QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignBottom
                P.text(row, change, 7.5, bold=True, col=MUTED, align=bottom_right, elide=False)
            else:
                cw = P.text(lab, change, 7.5, bold=True, col=MUTED, align=RIGHT_MIDDLE, elide=False)
                lab.setWidth(max(lab.width() - cw - 4 * s, 0.0))
        P.text(lab, label, 7.5, col=INK)
    return rect.top() + rows * (tile_h + 4 * s) - 4 * s


def legend_entries(style: MapStyle, project=None) -> list[tuple]:
    """(layer style, category or None, label) for each visible layer that has features."""
    out = []
    lang = style.lang
    for ls in reversed(style.layers):  # top layers first, as a reader scans the map
        if not ls.visible or (project is not None and not project.has(ls.layer)):
            continue
        if project is not None and len(project.layer(ls.layer)) == 0:
            continue
        if ls.kind == "zone":
            for c in ls.categories:
                out.append((ls, c, c.label_zh if lang == "zh" else c.label_en))
        elif ls.layer == "roads":
            for c in ls.categories[:3]:
                out.append((ls, c, c.label_zh if lang == "zh" else c.label_en))
        else:
            out.append((ls, None, ls.title(lang)))
    return out


def draw_legend(P, r: MapRenderer, rect: QtCore.QRectF) -> float:
    """Two columns: the locked-site ring, the plan overlays' entries (staffing status, crews), the layers.

    Returns the bottom of the legend (points).
    """
    s = P.s
    entries = legend_entries(r.style, r.project)
    y = panel_title(P, rect, P.t["legend"])
    lh = max(P.line_h(8), 11 * s)
    cols = 2
    cw = rect.width() / cols
    plan = [("overlay", e, e.label) for e in overlay_entries(r.overlays, r.style.lang)]
    items = [("ring", None, P.t["locked"])] + plan + entries
    rows = math.ceil(len(items) / cols)
    for i, (ls, cat, label) in enumerate(items):
        c_, r_ = divmod(i, rows)
        yy = y + r_ * lh
        if yy + lh > rect.bottom():
            continue
        sw = QtCore.QRectF(rect.left() + c_ * cw, yy, 18 * s, lh)
        # map symbols are sized in style pixels: draw them in device coordinates at px = k
        P.p.save()
        P.p.resetTransform()
        if ls == "ring":
            k = P.k * r.highlight.scale
            rad, w = HighlightPainter.LOCKED_RING
            P.p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
            P.p.setPen(QtGui.QPen(QtGui.QColor(LOCKED_COLOUR), w * k))
            P.p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
            rad = min(rad * k, device_rect(P, sw).height() / 2 - w * k / 2)
            P.p.drawEllipse(device_rect(P, sw).center(), rad, rad)
        elif ls == "overlay":
            draw_legend_symbol(P.p, device_rect(P, sw), cat, px=P.k)
        else:
            draw_swatch(P.p, device_rect(P, sw), ls, cat, px=P.k)
        P.p.restore()
        P.text(QtCore.QRectF(sw.right() + 4 * s, yy, cw - 24 * s, lh), label, 8)
    return y + min(rows * lh, rect.bottom() - y)


def draw_overview(P, r: MapRenderer, page, extent, rect: QtCore.QRectF) -> float:
    y = panel_title(P, rect, P.t["overview"])
    frame = QtCore.QRectF(rect.left(), y, rect.width(), rect.bottom() - y)
    full, _, m_per_pt = fit_extent(page.overview_extent, frame)
    render_frame(P, overview_renderer(r), full, frame)
    p = P.p
    # the map's extent as a rectangle (at least a few points wide so a zone page still shows)
    x0, y0, x1, y1 = extent
    sx = frame.width() / (full[2] - full[0])
    rx0, rx1 = frame.left() + (x0 - full[0]) * sx, frame.left() + (x1 - full[0]) * sx
    ry0, ry1 = frame.top() + (full[3] - y1) * sx, frame.top() + (full[3] - y0) * sx
    box = QtCore.QRectF(QtCore.QPointF(rx0, ry0), QtCore.QPointF(rx1, ry1))
    if box.width() < 6 * P.s:
        c = box.center()
        box = QtCore.QRectF(c.x() - 3 * P.s, c.y() - 3 * P.s, 6 * P.s, 6 * P.s)
    p.save()
    p.setClipRect(frame)
    p.setPen(QtGui.QPen(ACCENT, 1.4 * P.s))
    p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
    p.drawRect(box)
    p.restore()
    p.setPen(P.pen(RULE, 0.6))
    p.setBrush(QtCore.Qt.BrushStyle.NoBrush)  # an outline, not a fill over the inset
    p.drawRect(frame)
    return frame.bottom()


def draw_table(P, page, rect: QtCore.QRectF) -> int:
    """The locked-sites table; rows that do not fit end in '… N more'. Returns rows shown."""
    y = panel_title(P, rect, f"{P.t['sites']} ({len(page.sites)})")
    if not page.sites:
        P.text(QtCore.QRectF(rect.left(), y, rect.width(), P.line_h(8)), P.t["none"], 8, col=MUTED)
        return 0
    rows = [(str(i + 1),) + tuple(str(v) for v in row) for i, row in enumerate(page.sites)]
    return draw_rows(
        P,
        QtCore.QRectF(rect.left(), y, rect.width(), rect.bottom() - y),
        P.t["cols"],
        rows,
        (0.06, 0.12, 0.30, 0.14, 0.14, 0.12, 0.12),
        numeric={0, 5, 6},
        more=P.t["more"],
    )


def draw_heat(P, page, rect: QtCore.QRectF, gap: float = 0.0) -> float | None:
    """The heat balance panel in ``rect``: title, the city's row (bold), then as many of the tightest
    networks as fit. Nothing is drawn (None returned) when not even the city's row fits; else the bottom
    plus ``gap``."""
    rh = row_height(P)
    fit = int((rect.height() - P.line_h(9.5) - 2 * P.s) // rh) - 1
    if fit < 1:
        return None
    y = panel_title(P, rect, page.heat_title)
    rows = page.heat[:fit]
    draw_rows(
        P,
        QtCore.QRectF(rect.left(), y, rect.width(), rh * (len(rows) + 1) + 1),
        P.t["heat_cols"],
        rows,
        (0.22, 0.16, 0.16, 0.16, 0.14, 0.16),
        numeric={1, 2, 3, 4, 5},
        bold_rows={0},
    )
    return y + rh * (len(rows) + 1) + gap


def row_height(P, pt: float = 7.0) -> float:
    """The height of one ``draw_rows`` row at ``pt`` points (points)."""
    return P.line_h(pt) + 1.5 * P.s


ALIGN_RIGHT = QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter
ALIGN_LEFT = QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignVCenter


def draw_table_head(P, x0: float, y: float, w: float, xs, heads, numeric, pt: float) -> float:
    """A table's shaded header row at ``y`` (columns from ``xs``; ``numeric`` right-aligned); the y below it."""
    s, rh = P.s, row_height(P, pt)
    P.p.fillRect(QtCore.QRectF(x0, y, w, rh), QtGui.QColor("#e3e8ee"))
    for j, hd in enumerate(heads):
        P.text(
            QtCore.QRectF(xs[j] + 2 * s, y, xs[j + 1] - xs[j] - 4 * s, rh),
            hd,
            pt,
            bold=True,
            align=ALIGN_RIGHT if j in numeric else ALIGN_LEFT,
        )
    return y + rh


def draw_rows(
    P, rect: QtCore.QRectF, heads, rows, fracs, numeric=(), pt: float = 7.0, more: str | None = None, bold_rows=()
) -> int:
    """A striped table in points: a shaded header row, then ``rows`` while they fit.

    Parameters
    ----------
    P : layout.PageCanvas
    rect : QRectF
        The table's box (points); rows below its bottom are not drawn.
    heads : sequence of str
        Column headings (also the number of columns drawn).
    rows : sequence of sequences of str
        Cell texts; texts wider than their column are elided.
    fracs : sequence of float
        Column widths as fractions of ``rect``'s width.
    numeric : set of int
        Columns aligned right.
    pt : float
        Type size.
    more : str, optional
        When rows do not fit, the last line says ``more.format(rows left)``;
        None: the rows that do not fit are simply not drawn.
    bold_rows : set of int
        Rows drawn in bold (e.g. a totals line).

    Returns
    -------
    int
        The rows shown.
    """
    s = P.s
    y = rect.top()
    rh = row_height(P, pt)
    xs = np.concatenate([[0], np.cumsum(fracs)]) * rect.width() + rect.left()
    num = set(numeric)
    al_r, al_l = ALIGN_RIGHT, ALIGN_LEFT
    y = draw_table_head(P, rect.left(), y, rect.width(), xs, heads, num, pt)
    fit = int((rect.bottom() - y) // rh)
    n = len(rows)
    shown = n if n <= fit else (max(fit - 1, 0) if more is not None else max(fit, 0))
    for i, cells in enumerate(rows[:shown]):
        if i % 2:
            P.p.fillRect(QtCore.QRectF(rect.left(), y, rect.width(), rh), QtGui.QColor("#f5f6f8"))
        for j, v in enumerate(list(cells)[: len(heads)]):
            P.text(
                QtCore.QRectF(xs[j] + 2 * s, y, xs[j + 1] - xs[j] - 4 * s, rh),
                v,
                pt,
                bold=i in bold_rows,
                align=al_r if j in num else al_l,
            )
        y += rh
    if shown < n and more is not None:
        P.text(
            QtCore.QRectF(rect.left() + 2 * s, y, rect.width(), rh), more.format(n - shown), pt, bold=True, col=ACCENT
        )
    return shown
