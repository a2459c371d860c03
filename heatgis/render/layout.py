"""The print layout: one page of map, legend, scale bar, north arrow, KPIs, table and inset.

``paint_page(painter, spec, page, renderer)`` lays one page out onto any
QPaintDevice — a ``QPdfWriter`` (vector PDF), a ``QImage`` (PNG) or a
``QPrinter`` (direct printing) — so the three outputs share it. The layout is
computed in points (1/72 inch); the device's pixels per point ``k`` come from
the device's width against the paper's. The map frame and the overview inset
are drawn by ``MapRenderer.render`` (the screen's renderer, its style and its
plan overlays) with ``px=k``: one style pixel is one point on paper, so a
300-dpi PNG shows what the vector PDF shows, at the same sizes. The scale bar is in
paper units and the map scale is rounded (1:50,000 rather than 1:48,213), so the bar
measures true on the printed page. The round scales are the series planners use (1, 1.25,
1.5, 2, 2.5, 3, 4, 5, 6, 7.5 x 10^n, ``SCALE_STEPS``): the printed map is never more than
25% smaller than the map that would just fit (1:104,223 fits -> 1:125,000, not 1:200,000).
A page may also carry the scale the planner typed (``MapPage.scale``): then the map is
drawn at exactly that scale around the extent's centre.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from PySide6 import QtCore, QtGui

from heatgis.errors import HeatGISError
from heatgis.render.fonts import cjk_font
from heatgis.render.layers import cosmetic_pen
from heatgis.render.layout_parts import (
    ACCENT,
    INK,
    MUTED,
    RULE,
    device_rect,
    draw_heat,
    draw_kpis,
    draw_legend,
    draw_overview,
    draw_table,
    render_frame,
    row_height,
)
from heatgis.render.mapdraw import MapRenderer, fit_extent, nice_length
from heatgis.text import Text

PAPERS_MM = {
    "A4": (210.0, 297.0),
    "A3": (297.0, 420.0),
    "A2": (420.0, 594.0),
    "A1": (594.0, 841.0),
    "A0": (841.0, 1189.0),
}
DPIS = (150, 300)
#: sheets printed for the wall: the wall layout (``PageSpec.wall``) is their default
WALL_PAPERS = ("A2", "A1", "A0")
#: the smallest text of the wall layout, in points on paper: read from 2 m, a letter needs ~5 minutes
#: of arc (2.9 mm capital height, ~12 pt in the CJK fonts); 14 pt keeps a margin for a tired eye
WALL_MIN_PT = 14.0
#: the PNG of a big sheet at 300 dpi would be ~0.5 GB of pixels: the PDF is vector, the PNG 150 dpi
MAX_PNG_MPX = 40.0
MM_PER_PT = 25.4 / 72.0

TEXT = {
    "zh": {
        "time": "数据时间",
        "sources": "数据来源",
        "crs": "坐标系",
        "sites": "锁闭站点",
        "legend": "图例",
        "overview": "全市位置",
        "more": "… 另有 {0} 处",
        "none": "无锁闭站点",
        "page": "第 {0} / {1} 页",
        "scale": "比例尺 1:{0}",
        "north": "北",
        "locked": "锁闭站点(圈)",
        "cols": ("#", "类型", "名称", "管控区", "所在区", "万㎡", "户数"),
        "heat_cols": ("管网", "能力MW", "需求MW", "余量MW", "余量%", "缺口h"),
    },
    "en": {
        "time": "Figures at",
        "sources": "Sources",
        "crs": "CRS",
        "sites": "Locked sites",
        "legend": "Legend",
        "overview": "Location in the city",
        "more": "… {0} more",
        "none": "no locked sites",
        "page": "page {0} / {1}",
        "scale": "Scale 1:{0}",
        "north": "N",
        "locked": "Locked site (ring)",
        "cols": ("#", "kind", "name", "zone", "district", "10k m²", "households"),
        "heat_cols": ("network", "cap. MW", "demand MW", "margin MW", "margin %", "h deficit"),
    },
}


@dataclass(frozen=True)
class PageSpec:
    """Paper, orientation and raster resolution of a printed page.

    Parameters
    ----------
    paper : {"A4", "A3", "A2", "A1", "A0"}
    landscape : bool
    dpi : {150, 300}
        Pixels per inch of the PNG (the PDF is vector whatever the dpi).
    text_scale : float
        The planner's text size (1.0 as designed; 1.25, 1.5, 2.0 larger): titles, legend, tables,
        map labels.
    wall : bool, optional
        The wall layout, readable from 2 m: no text below ``WALL_MIN_PT`` on paper and the map's
        symbols and labels grown with the sheet (default: on for A2, A1, A0).
    """

    paper: str = "A4"
    landscape: bool = True
    dpi: int = 150
    text_scale: float = 1.0
    wall: bool | None = None

    def __post_init__(self):
        if str(self.paper).upper() not in PAPERS_MM:
            raise HeatGISError(
                Text("paper '{paper}' is not supported", "不支持纸张 '{paper}'", paper=self.paper),
                Text("use --paper A4, A3, A2, A1 or A0", "使用 --paper A4、A3、A2、A1 或 A0"),
            )
        object.__setattr__(self, "paper", str(self.paper).upper())
        if int(self.dpi) not in DPIS:
            raise HeatGISError(
                Text("{dpi} dpi is not supported", "不支持 {dpi} dpi", dpi=self.dpi),
                Text("use --dpi 150 or --dpi 300", "使用 --dpi 150 或 --dpi 300"),
            )
        object.__setattr__(self, "dpi", int(self.dpi))
        if not (0.5 <= float(self.text_scale) <= 4.0):
            raise HeatGISError(
                Text("text size {v} is out of range", "文字大小 {v} 超出范围", v=self.text_scale),
                Text("use a text size from 0.5 to 4", "文字大小取 0.5 到 4"),
            )
        object.__setattr__(self, "text_scale", float(self.text_scale))
        if self.wall is None:
            object.__setattr__(self, "wall", self.paper in WALL_PAPERS)

    @property
    def min_text_pt(self) -> float:
        """The smallest text on paper (points): ``WALL_MIN_PT`` on the wall layout, else none."""
        return WALL_MIN_PT if self.wall else 0.0

    def check_png(self) -> None:
        """Refuse a PNG too big to hold in memory (A0 at 300 dpi: 140 million pixels)."""
        w, h = self.size_px
        if w * h / 1e6 > MAX_PNG_MPX:
            raise HeatGISError(
                Text(
                    "an {paper} PNG at {dpi} dpi would be {w} x {h} pixels",
                    "{paper} 幅面 {dpi} dpi 的 PNG 将有 {w} x {h} 像素",
                    paper=self.paper,
                    dpi=self.dpi,
                    w=w,
                    h=h,
                ),
                Text(
                    "export the PDF (vector, any size) or the PNG at 150 dpi",
                    "导出 PDF（矢量，任意幅面），或导出 150 dpi 的 PNG",
                ),
            )

    @property
    def size_mm(self) -> tuple[float, float]:
        w, h = PAPERS_MM[self.paper]
        return (h, w) if self.landscape else (w, h)

    @property
    def size_pt(self) -> tuple[float, float]:
        w, h = self.size_mm
        return w / MM_PER_PT, h / MM_PER_PT

    @property
    def size_px(self) -> tuple[int, int]:
        """Pixel size at ``dpi`` (A4 landscape at 300 dpi: 3508 x 2480)."""
        w, h = self.size_mm
        return round(w / 25.4 * self.dpi), round(h / 25.4 * self.dpi)

    def page_layout(self) -> QtGui.QPageLayout:
        sid = getattr(QtGui.QPageSize.PageSizeId, self.paper)
        o = QtGui.QPageLayout.Orientation
        return QtGui.QPageLayout(
            QtGui.QPageSize(sid), o.Landscape if self.landscape else o.Portrait, QtCore.QMarginsF(0, 0, 0, 0)
        )


@dataclass
class MapPage:
    """What one page shows (plain values; ``heatgis.export.pages`` builds them from an ImpactResult).

    Attributes
    ----------
    title, subtitle : str
    extent : tuple
        (x0, y0, x1, y1) of the map frame in the project CRS (grown to the frame's aspect).
    at : Timestamp
        The time of the figures.
    kpis : list of (label, value, unit)
    sites : list of tuples
        Rows of the locked-sites table: (kind, name, zones, district, 万㎡ text, households text).
    sources, crs : str
    overview_extent : tuple or None
        The whole city for the inset (None: no inset).
    highlight : str
        A line under the subtitle (e.g. the zone of an atlas page).
    heat, heat_title : list, str
        The heat balance panel: the city's row, then the tightest networks (``pages.heat_rows``);
        drawn on A3 pages only: below the legend (portrait) where it fits, else above the
        locked-sites table (the overview made smaller), with the rows that leave the table 8 rows.
    """

    title: str
    subtitle: str
    extent: tuple
    at: object
    kpis: list = field(default_factory=list)
    sites: list = field(default_factory=list)
    sources: str = ""
    crs: str = ""
    overview_extent: tuple | None = None
    highlight: str = ""
    lang: str = "zh"
    focus: object = None  # optional shapely geometry outlined on the map (atlas zone)
    heat: list = field(default_factory=list)  # heat balance rows (network, capacity, demand, margin, %, h)
    heat_title: str = ""
    scale: float | None = None  # the map scale denominator the planner chose (None: the round scale that fits)
    kpi_changes: list = field(default_factory=list)  # a change line per KPI tile (较昨日 +3), "" for none


# ----------------------------------------------------------------------------- the page

#: the round map scales planners use, x 10^n: consecutive steps differ by at most 4/3, so the
#: chosen scale is never more than 25% smaller than the one that fits (7.5 -> 10 is the widest step;
#: 6 sits between 5 and 7.5, which alone would print a third smaller)
SCALE_STEPS = (1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 7.5, 10.0)


def round_scale(denominator: float) -> float:
    """The next round map scale at or above ``denominator`` (``SCALE_STEPS`` x 10^n).

    ``round_scale(104_223) == 125_000``; ``denominator / round_scale(denominator) >= 0.75`` always.
    """
    if not denominator > 0 or not math.isfinite(denominator):
        return 1.0
    p = 10 ** math.floor(math.log10(denominator))
    for m in SCALE_STEPS:
        if m * p >= denominator * (1 - 1e-9):
            return m * p
    return 10 * p


def nice_scales(lo: float = 500, hi: float = 2_000_000) -> list[int]:
    """The round scales from ``lo`` to ``hi`` (the choices of the print dialog's scale box)."""
    out = []
    p = 10 ** math.floor(math.log10(lo))
    while p <= hi:
        out += [int(round(m * p)) for m in SCALE_STEPS[:-1] if lo <= m * p <= hi]
        p *= 10
    return out


def parse_scale(text: str) -> float | None:
    """A typed map scale: "1:25000", "1:25,000", "25000", "1：2.5万" -> 25000.0; "" or "auto" -> None.

    Raises HeatGISError for text that is not a scale.
    """
    t = str(text or "").strip().replace("：", ":").replace(",", "").replace("，", "").replace(" ", "")
    if t.lower() in ("", "auto", "自动"):
        return None
    if ":" in t:
        head, t = t.split(":", 1)
        if head not in ("1", ""):
            t = ""
    mult = 1.0
    if t.endswith("万"):
        t, mult = t[:-1], 1e4
    try:
        v = float(t) * mult
    except ValueError:
        v = float("nan")
    if not (math.isfinite(v) and 1 <= v <= 1e8):
        raise HeatGISError(
            Text("'{text}' is not a map scale", "'{text}' 不是地图比例尺", text=text),
            Text("type a scale such as 1:25000 (or leave it empty)", "输入比例尺，例如 1:25000（或留空）"),
        )
    return v


class PageCanvas:
    """Drawing helpers in points on one device (``k`` px per point, ``g`` font factor)."""

    def __init__(self, painter: QtGui.QPainter, spec: PageSpec, lang: str):
        dev = painter.device()
        self.p = painter
        self.w, self.h = spec.size_pt
        self.k = dev.width() / self.w
        self.g = 72.0 / (dev.logicalDpiY() or 72)
        self.s = min(self.w, self.h) / 595.0  # type scale: A4 = 1, A3 = 1.41 ... A0 = 4
        self.t = TEXT.get(lang, TEXT["zh"])
        self.lang = lang
        # a spec-like object with only ``size_pt`` (the deck's slide map) draws as the desk layout
        self.text_scale = float(getattr(spec, "text_scale", 1.0))
        self.min_pt = float(getattr(spec, "min_text_pt", 0.0))
        wall = bool(getattr(spec, "wall", False))
        # the map frame: style pixels per point (symbols, rings, routes) and the labels' factor; the
        # wall layout grows both with the square root of the sheet's size (A0: x2; x4 would hide most labels
        # in collisions) and the labels to the minimum at least (``layout_parts.render_frame``)
        self.map_px = max(1.0, math.sqrt(self.s)) if wall else 1.0
        self.map_font = max(self.map_px * self.text_scale, 1.0)

    def start(self) -> None:
        """Begin a page: save the painter, white paper, antialiasing, units in points."""
        p = self.p
        p.save()
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        p.setRenderHint(QtGui.QPainter.RenderHint.TextAntialiasing, True)
        p.resetTransform()
        p.fillRect(QtCore.QRectF(0, 0, p.device().width(), p.device().height()), QtGui.QColor("#ffffff"))
        p.scale(self.k, self.k)

    def font(self, pt: float, bold: bool = False) -> QtGui.QFont:
        """``pt`` as designed for A4, grown with the sheet and the text size, never below the minimum."""
        return cjk_font(max(pt * self.s * self.text_scale, self.min_pt) * self.g, bold)

    def pen(self, col, width_pt: float = 0.6) -> QtGui.QPen:
        return QtGui.QPen(QtGui.QColor(col), width_pt * self.s)

    def text(
        self,
        rect: QtCore.QRectF,
        text: str,
        pt: float,
        bold=False,
        col=INK,
        align=QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignVCenter,
        elide=True,
    ) -> float:
        f = self.font(pt, bold)
        self.p.setFont(f)
        self.p.setPen(QtGui.QColor(col))
        fm = QtGui.QFontMetricsF(f, self.p.device())
        if elide:
            text = fm.elidedText(text, QtCore.Qt.TextElideMode.ElideRight, rect.width())
        self.p.drawText(rect, int(align), text)
        return fm.horizontalAdvance(text)

    def line_h(self, pt: float) -> float:
        return QtGui.QFontMetricsF(self.font(pt), self.p.device()).height()

    def box(self, rect: QtCore.QRectF, fill="#ffffff", border=RULE, width=0.6) -> None:
        self.p.setPen(self.pen(border, width))
        self.p.setBrush(QtGui.QColor(fill))
        self.p.drawRect(rect)


def paint_page(
    painter: QtGui.QPainter, spec: PageSpec, page: MapPage, renderer: MapRenderer, page_no: int = 1, pages: int = 1
) -> dict:
    """Lay one page out onto ``painter`` (its device: QPdfWriter, QImage or QPrinter).

    Parameters
    ----------
    painter : QPainter
        Active on a device whose full width is the paper's width.
    spec : PageSpec
    page : MapPage
    renderer : MapRenderer
        The screen's (or a project's) renderer; its prepared geometry is reused
        and its style (visible layers, colours) is what the page shows.
    page_no, pages : int
        For the footer of a map series.

    Returns
    -------
    dict
        ``scale`` (the map scale denominator), ``bar_m`` (scale-bar length in
        metres), ``bar_pt`` (its length on paper in points), ``extent`` (the
        map extent drawn), ``frame`` (the map frame in points), ``px`` (device
        pixels per point), ``rows`` (table rows shown).
    """
    P = PageCanvas(painter, spec, page.lang)
    r = renderer
    P.start()
    m = 24 * P.s
    w, h = P.w, P.h
    # header
    title_h = P.line_h(20) * 1.05
    at = _fmt_time(page.at)
    right = QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter
    # the data time at the right first: the title takes what is left of the line (elided), never under it
    time_w = P.text(
        QtCore.QRectF(w * 0.4, m, w * 0.6 - m, title_h), f"{P.t['time']} {at}", 13, bold=True, col=ACCENT, align=right
    )
    P.text(QtCore.QRectF(m, m, min(w * 0.68, w - 2 * m - time_w - 12 * P.s), title_h), page.title, 20, bold=True)
    sub_h = P.line_h(11)
    y = m + title_h
    P.text(QtCore.QRectF(m, y, w * 0.68, sub_h), page.subtitle, 11, col=MUTED)
    y += sub_h
    if page.highlight:
        P.text(QtCore.QRectF(m, y, w * 0.68, sub_h), page.highlight, 11, bold=True, col=ACCENT)
        y += sub_h
    top = y + 6 * P.s
    painter.setPen(P.pen(INK, 1.2))
    painter.drawLine(QtCore.QPointF(m, top - 3 * P.s), QtCore.QPointF(w - m, top - 3 * P.s))
    foot_h = P.line_h(7.5) + 6 * P.s
    bottom = h - m - foot_h
    gap = 10 * P.s
    if spec.landscape:
        panel_w = max(230 * P.s, w * 0.3)
        map_rect = QtCore.QRectF(m, top + 4 * P.s, w - 2 * m - panel_w - gap, bottom - top - 4 * P.s)
        cols = [QtCore.QRectF(map_rect.right() + gap, map_rect.top(), panel_w, map_rect.height())]
    else:
        map_h = (bottom - top) * 0.56
        map_rect = QtCore.QRectF(m, top + 4 * P.s, w - 2 * m, map_h)
        y0 = map_rect.bottom() + gap
        cw = (w - 2 * m - gap) / 2
        cols = [QtCore.QRectF(m, y0, cw, bottom - y0), QtCore.QRectF(m + cw + gap, y0, cw, bottom - y0)]
    info = _draw_map(P, r, page, map_rect)
    # side panel: KPI box, legend, overview, table
    col = cols[0]
    y = col.top()
    y = draw_kpis(P, page, QtCore.QRectF(col.left(), y, col.width(), 0)) + gap
    heat_here = bool(page.heat) and spec.paper == "A3"
    if len(cols) == 2:
        y = draw_legend(P, r, QtCore.QRectF(col.left(), y, col.width(), col.bottom() - y)) + gap
        if heat_here:  # portrait: below the legend when the city's row fits there
            heat_here = draw_heat(P, page, QtCore.QRectF(col.left(), y, col.width(), col.bottom() - y)) is None
        col = cols[1]
        y = col.top()
    else:
        y = draw_legend(P, r, QtCore.QRectF(col.left(), y, col.width(), col.bottom() - y)) + gap
    table_min = P.line_h(9.5) + row_height(P) * 9  # the locked-sites table keeps its title and 8 rows
    if page.overview_extent is not None:
        ov_h = min(col.width() * 0.62, (col.bottom() - y) * 0.45)
        if heat_here:  # a smaller overview makes room for the heat panel: title, header, the city's row
            small = min(col.width() * 0.62, (col.bottom() - y) * 0.32)
            heat_here = col.bottom() - y - small - table_min - 2 * gap >= P.line_h(9.5) + 3 * row_height(P)
            ov_h = small if heat_here else ov_h
        y = draw_overview(P, r, page, info["extent"], QtCore.QRectF(col.left(), y, col.width(), ov_h)) + gap
    if heat_here:  # above the locked-sites table, with the rows that leave the table its 8
        room = QtCore.QRectF(col.left(), y, col.width(), col.bottom() - y - table_min - gap)
        y = draw_heat(P, page, room, gap) or y
    info["rows"] = draw_table(P, page, QtCore.QRectF(col.left(), y, col.width(), col.bottom() - y))
    # footer
    fy = h - m - foot_h + 6 * P.s
    painter.setPen(P.pen(RULE, 0.5))
    painter.drawLine(QtCore.QPointF(m, fy - 3 * P.s), QtCore.QPointF(w - m, fy - 3 * P.s))
    foot = f"{P.t['crs']}: {page.crs}    {P.t['sources']}: {page.sources}"
    P.text(QtCore.QRectF(m, fy, w * 0.84, foot_h - 6 * P.s), foot, 7.5, col=MUTED)
    pg = "HeatGIS" + (f"    {P.t['page'].format(page_no, pages)}" if pages > 1 else "")
    P.text(QtCore.QRectF(w * 0.85, fy, w * 0.15 - m, foot_h - 6 * P.s), pg, 7.5, col=MUTED, align=right)
    painter.restore()
    return info


def _fmt_time(at) -> str:
    try:
        return f"{at:%Y-%m-%d %H:%M}"
    except (TypeError, ValueError):
        return str(at or "")


def fit_round_scale(extent, frame_pt: QtCore.QRectF, scale: float | None = None) -> tuple[tuple, float]:
    """Grow ``extent`` to the frame's aspect and to a round scale; (extent, denominator).

    ``scale``: the denominator to use instead (the map is centred on ``extent``).
    """
    extent, _, m_per_pt = fit_extent(extent, frame_pt)
    denom = float(scale) if scale else round_scale(m_per_pt / (0.0254 / 72.0))
    m_per_pt = denom * 0.0254 / 72.0
    cx, cy = (extent[0] + extent[2]) / 2, (extent[1] + extent[3]) / 2
    hw, hh = frame_pt.width() * m_per_pt / 2, frame_pt.height() * m_per_pt / 2
    return (cx - hw, cy - hh, cx + hw, cy + hh), denom


def _draw_map(P: PageCanvas, r: MapRenderer, page: MapPage, rect: QtCore.QRectF) -> dict:
    extent, denom = fit_round_scale(page.extent, rect, page.scale)
    s = P.s  # the north arrow and the scale bar's box (drawn below) keep labels away
    arrow = QtCore.QPointF(rect.right() - 22 * s, rect.top() + 14 * s)
    furniture = [
        QtCore.QRectF(arrow.x() - 15 * s, arrow.y() - 4 * s, 30 * s, 44 * s),
        QtCore.QRectF(rect.left() + 6 * s, rect.bottom() - 42 * s, 200 * s, 42 * s),
    ]
    render_frame(P, r, extent, rect, furniture)
    p = P.p
    if page.focus is not None:
        from heatgis.render.qpath import polygons_path

        path = polygons_path(np.array([page.focus], dtype=object))
        _, tf, _ = fit_extent(extent, device_rect(P, rect))
        p.save()
        p.resetTransform()
        p.setClipRect(device_rect(P, rect))
        p.setWorldTransform(tf)
        p.setPen(cosmetic_pen("#111111", 2.2 * P.k, 0.9, QtCore.Qt.PenStyle.DashLine))
        p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
        p.drawPath(path)
        p.restore()
    p.setPen(P.pen(INK, 0.8))
    p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
    p.drawRect(rect)
    _north_arrow(P, arrow)
    m_per_pt = denom * 0.0254 / 72.0
    bar_m, bar_pt = _scale_bar(P, rect, m_per_pt, denom)
    return {"scale": denom, "bar_m": bar_m, "bar_pt": bar_pt, "extent": extent, "frame": QtCore.QRectF(rect), "px": P.k}


def _north_arrow(P: PageCanvas, top: QtCore.QPointF) -> None:
    s = P.s
    p = P.p
    x, y = top.x(), top.y()
    p.setPen(QtCore.Qt.PenStyle.NoPen)
    p.setBrush(QtGui.QColor(255, 255, 255, 200))
    p.drawEllipse(QtCore.QRectF(x - 15 * s, y - 4 * s, 30 * s, 44 * s))
    left = QtGui.QPolygonF(
        [QtCore.QPointF(x, y + 12 * s), QtCore.QPointF(x - 8 * s, y + 36 * s), QtCore.QPointF(x, y + 30 * s)]
    )
    right = QtGui.QPolygonF(
        [QtCore.QPointF(x, y + 12 * s), QtCore.QPointF(x + 8 * s, y + 36 * s), QtCore.QPointF(x, y + 30 * s)]
    )
    p.setPen(P.pen(INK, 0.7))
    p.setBrush(INK)
    p.drawPolygon(left)
    p.setBrush(QtGui.QColor("#ffffff"))
    p.drawPolygon(right)
    P.text(
        QtCore.QRectF(x - 14 * s, y - 2 * s, 28 * s, 14 * s),
        P.t["north"],
        10,
        bold=True,
        align=QtCore.Qt.AlignmentFlag.AlignCenter,
        elide=False,
    )


def _scale_bar(P: PageCanvas, rect: QtCore.QRectF, m_per_pt: float, denom: float) -> tuple[float, float]:
    """Four-segment bar at the bottom left of the map, true to the page scale."""
    s = P.s
    length = nice_length(110 * s * m_per_pt)
    bar = length / m_per_pt
    x, y = rect.left() + 12 * s, rect.bottom() - 16 * s
    p = P.p
    p.setPen(QtCore.Qt.PenStyle.NoPen)
    p.setBrush(QtGui.QColor(255, 255, 255, 215))
    p.drawRect(QtCore.QRectF(x - 6 * s, y - 26 * s, bar + 60 * s, 36 * s))
    seg = bar / 4
    p.setPen(P.pen(INK, 0.6))
    for i in range(4):
        p.setBrush(INK if i % 2 == 0 else QtGui.QColor("#ffffff"))
        p.drawRect(QtCore.QRectF(x + i * seg, y, seg, 4 * s))
    label = f"{length / 1000:g} km" if length >= 1000 else f"{length:g} m"
    half = length / 2
    half_l = f"{half / 1000:g}" if length >= 1000 else f"{half:g}"
    lh = P.line_h(7)
    for pos, txt in ((0, "0"), (bar / 2, half_l), (bar, label)):
        P.text(
            QtCore.QRectF(x + pos - 20 * s, y - lh - 1 * s, 40 * s if txt != label else 60 * s, lh),
            txt,
            7,
            align=QtCore.Qt.AlignmentFlag.AlignCenter
            if txt != label
            else QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignVCenter,
            elide=False,
        )
    P.text(
        QtCore.QRectF(x, y - 2 * lh - 2 * s, bar + 50 * s, lh),
        P.t["scale"].format(f"{denom:,.0f}"),
        7,
        col=MUTED,
        elide=False,
    )
    return length, bar
