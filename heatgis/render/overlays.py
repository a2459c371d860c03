"""Plan overlays drawn on top of the map: staffing status of sites, crew routes, a dispatch.

An overlay is any object with ``visible``, ``bounds`` (x0, y0, x1, y1 or None),
``paint(painter, ctx)`` and ``legend_entries(lang)``. ``MapRenderer.overlays``
holds them; the renderer paints them after the highlights, so the screen, the
PNG/PDF export and the slides show the same plan. Painting is batched: one
``QPainterPath`` per status (site rings) or per crew (its route, its stop
markers, its stop numbers), never one call per feature.

Sizes (``RING_PX``, ``STOP_PX``, pen widths, fonts) are style pixels, drawn
``ctx.px`` device pixels each, so the rings and routes print at the size of
the rest of the map in the PDF and in a PNG of any dpi.

QtGui only (no widgets): runs headless with ``QT_QPA_PLATFORM=offscreen``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from PySide6 import QtCore, QtGui

from heatgis.model.vocab import STAFFING_STATUS, STATUS_EN, STATUS_ZH
from heatgis.render.fonts import cjk_font
from heatgis.render.layers import ViewContext, color, cosmetic_pen, to_device
from heatgis.render.qpath import lines_path, points_xy, rings_fill_path

#: site status colours (Okabe-Ito bluish green and orange, PRGn purple), each with its own mark, so
#: the three states read apart without colour too (deuteranopia, a grey printer): staffed a full
#: ring, partly staffed a half-filled ring, unstaffed a ring with a cross. Red stays the sealed
#: zones' alone. The same in the staffing panel.
STATUS_COLOURS = {"staffed": "#009e73", "partial": "#e69f00", "unstaffed": "#762a83"}
STATUS_MARKS = {"staffed": "ring", "partial": "half", "unstaffed": "cross"}
STATUS_LABELS = {k: (STATUS_ZH[k], STATUS_EN[k]) for k in STAFFING_STATUS}  # (zh, en), from the vocabulary
RING_PX = 11.0
STOP_PX = 8.5


@dataclass
class LegendEntry:
    """One legend line of an overlay: ``kind`` is ring, route or dispatch."""

    label: str
    kind: str
    colour: str
    fill: float = 0.0
    mark: str = "ring"  # ring, half or cross (a site status)


def _in_extent(xy: np.ndarray, extent, pad: float = 0.0) -> np.ndarray:
    return (
        (xy[:, 0] >= extent[0] - pad)
        & (xy[:, 0] <= extent[2] + pad)
        & (xy[:, 1] >= extent[1] - pad)
        & (xy[:, 1] <= extent[3] + pad)
    )


def _bounds(xy: np.ndarray):
    ok = np.isfinite(xy).all(axis=1) if len(xy) else np.zeros(0, bool)
    if not ok.any():
        return None
    p = xy[ok]
    return (float(p[:, 0].min()), float(p[:, 1].min()), float(p[:, 0].max()), float(p[:, 1].max()))


def _union_bounds(*bs):
    bs = [b for b in bs if b is not None]
    if not bs:
        return None
    b = np.array(bs, float)
    return (b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max())


def _rings_path(dev: np.ndarray, r: float) -> QtGui.QPainterPath:
    from heatgis.render.qpath import circles_path

    return circles_path(dev, r)


class SiteStatusOverlay:
    """Rings around the locked sites by staffing status (staffed / partial / unstaffed)."""

    def __init__(self):
        self.visible = True
        self.xy = np.zeros((0, 2))
        self.status = np.array([], dtype=object)
        self.bounds = None

    def set_sites(self, x, y, status) -> None:
        """The sites to ring: coordinates (project CRS) and their status."""
        self.xy = np.column_stack([np.asarray(x, float), np.asarray(y, float)]).reshape(-1, 2)
        self.status = np.asarray(status, dtype=object)
        self.bounds = _bounds(self.xy)

    def set_plan(self, plan) -> None:
        """From a ``StaffingPlan`` (its ``sites`` frame: x, y, status); None clears."""
        if plan is None:
            self.set_sites([], [], [])
            return
        s = plan.sites
        self.set_sites(s["x"].to_numpy(float), s["y"].to_numpy(float), s["status"].to_numpy())

    def counts(self) -> dict:
        return {k: int((self.status == k).sum()) for k in STATUS_COLOURS}

    def _inside(self, ctx: ViewContext) -> np.ndarray:
        return _in_extent(self.xy, ctx.extent, pad=(RING_PX + 3.0) * ctx.px * ctx.m_per_px)

    def reserve(self, painter: QtGui.QPainter, ctx: ViewContext, space) -> None:
        """Take the rings' room in the label space: a ringed site's name moves below its ring."""
        if not self.visible or len(self.xy) == 0:
            return
        half = (RING_PX + 3.0) * ctx.px
        dev = to_device(painter, self.xy[self._inside(ctx)])
        space.reserve(dev[:, 0] - half, dev[:, 1] - half, 2 * half, 2 * half)

    def paint(self, painter: QtGui.QPainter, ctx: ViewContext) -> None:
        if not self.visible or len(self.xy) == 0:
            return
        px = ctx.px
        inside = self._inside(ctx)
        painter.save()
        dev_all = to_device(painter, self.xy)
        painter.resetTransform()
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        for status in ("staffed", "partial", "unstaffed"):  # the crews' sites on top
            k = inside & (self.status == status)
            if k.any():
                draw_marks(painter, dev_all[k], status, RING_PX * px, px)
        painter.restore()

    def legend_entries(self, lang: str = "zh") -> list[LegendEntry]:
        if not self.visible or len(self.xy) == 0:
            return []
        n = self.counts()
        i = 0 if lang == "zh" else 1
        return [
            LegendEntry(f"{STATUS_LABELS[k][i]} ({n[k]})", "ring", STATUS_COLOURS[k], 0.0, STATUS_MARKS[k])
            for k in ("staffed", "partial", "unstaffed")
            if n[k]
        ]


class RoutesOverlay:
    """Crew routes in crew colours with numbered stop markers (one path per crew)."""

    def __init__(self):
        self.visible = True
        self.crews: list[dict] = []  # crew_id, name, colour, path (world), stops_xy, seq
        self.bounds = None

    def set_routes(self, routes, stops) -> None:
        """Routes (crew_id, name, color, geometry) and stops (crew_id, seq, geometry) frames.

        ``routes`` is ``CrewPlan.route_geometries()``; ``stops`` is
        ``CrewPlan.stops_geometry(points)``.
        """
        self.crews = []
        bs = []
        if routes is None or len(routes) == 0:
            self.bounds = None
            return
        sxy = points_xy(np.asarray(stops.geometry.values, dtype=object)) if len(stops) else np.zeros((0, 2))
        screw = stops["crew_id"].astype(str).to_numpy() if len(stops) else np.array([], dtype=object)
        sseq = stops["seq"].to_numpy() if len(stops) else np.array([], int)
        for r in routes.itertuples():
            cid = str(r.crew_id)
            geom = r.geometry
            has = geom is not None and not shapely.is_empty(geom)
            mine = screw == cid
            if not has and not mine.any():
                continue
            path = lines_path(np.array([geom], dtype=object)) if has else QtGui.QPainterPath()
            if has:
                bs.append(tuple(shapely.bounds(geom)))
            xy = sxy[mine]
            ok = np.isfinite(xy).all(axis=1)
            bs.append(_bounds(xy[ok]))
            self.crews.append(
                {
                    "crew_id": cid,
                    "name": str(getattr(r, "name", cid)),
                    "colour": str(r.color),
                    "path": path,
                    "stops_xy": xy[ok],
                    "seq": sseq[mine][ok],
                }
            )
        self.bounds = _union_bounds(*bs)

    def set_plan(self, plan, points: dict | None) -> None:
        """From a ``CrewPlan`` and site id → Point; None clears."""
        if plan is None:
            self.set_routes(None, None)
            return
        self.set_routes(plan.route_geometries(), plan.stops_geometry(points or {}))

    def paint(self, painter: QtGui.QPainter, ctx: ViewContext) -> None:
        if not self.visible or not self.crews:
            return
        px = ctx.px
        painter.save()
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
        for c in self.crews:  # casing first for every crew, so crossings stay readable
            painter.setPen(cosmetic_pen("#ffffff", 7.0 * px, 0.85))
            painter.drawPath(c["path"])
        for c in self.crews:
            painter.setPen(cosmetic_pen(c["colour"], 3.6 * px))
            painter.drawPath(c["path"])
        # the numbers are path text: QPainterPath.addText and QFontMetricsF(font) both size
        # the font at Qt's default dpi whatever the device, so they scale with px alone
        font = cjk_font(8.0 * ctx.font_k, bold=True)
        fm = QtGui.QFontMetricsF(font)
        for c in self.crews:
            xy = c["stops_xy"]
            if len(xy) == 0:
                continue
            inside = _in_extent(xy, ctx.extent, pad=(STOP_PX + 2.0) * px * ctx.m_per_px)
            if not inside.any():
                continue
            dev = to_device(painter, xy[inside])
            painter.save()
            painter.resetTransform()
            discs = _rings_path(dev, STOP_PX * px)
            numbers = QtGui.QPainterPath()
            for (x, y), n in zip(dev, c["seq"][inside]):
                t = str(int(n))
                numbers.addText(QtCore.QPointF(x - fm.horizontalAdvance(t) / 2, y + fm.capHeight() / 2), font, t)
            painter.setPen(QtCore.Qt.PenStyle.NoPen)
            painter.setBrush(color(c["colour"]))
            painter.drawPath(discs)
            painter.setBrush(QtGui.QColor("#ffffff"))
            painter.drawPath(rings_fill_path(dev, STOP_PX * px, 2.0 * px))
            painter.setPen(QtCore.Qt.PenStyle.NoPen)
            painter.setBrush(QtGui.QColor("#ffffff"))
            painter.drawPath(numbers)
            painter.restore()
        painter.restore()

    #: at most this many legend lines (the rest summed up in one last line)
    MAX_LEGEND = 16

    def legend_entries(self, lang: str = "zh") -> list[LegendEntry]:
        """One line per crew: a crew's vehicle shifts ("CR-01/V1@02-25 08:00", one colour per crew)
        are one line with their count; at most ``MAX_LEGEND`` lines."""
        if not self.visible:
            return []
        unit = "站" if lang == "zh" else "stops"
        groups: dict = {}
        for c in self.crews:
            if not len(c["stops_xy"]):
                continue
            key = c["crew_id"].split("/", 1)[0]
            g = groups.setdefault(key, {"name": c["name"], "colour": c["colour"], "n": 0, "stops": 0})
            g["n"] += 1
            g["stops"] += len(c["stops_xy"])
            if "/" in c["crew_id"]:  # a vehicle of the crew: "抢修一队 V1" → the crew's name
                g["name"] = c["name"].rsplit(" V", 1)[0]
        out = []
        for key, g in groups.items():
            veh = "" if g["n"] == 1 else (f"{g['n']} 车次, " if lang == "zh" else f"{g['n']} vehicle shifts, ")
            out.append(LegendEntry(f"{key} {g['name']} ({veh}{g['stops']} {unit})", "route", g["colour"]))
        if len(out) > self.MAX_LEGEND:
            rest = len(out) - (self.MAX_LEGEND - 1)
            more = f"… 另 {rest} 队" if lang == "zh" else f"… {rest} more crews"
            out = out[: self.MAX_LEGEND - 1] + [LegendEntry(more, "route", "#999999")]
        return out


class DispatchOverlay:
    """The emergency dispatch: the chosen crew's way to the fault, and the fault site."""

    def __init__(self):
        self.visible = True
        self.path = None
        self.site_xy = None
        self.colour = "#d73027"
        self.label = ""
        self.bounds = None

    def set_dispatch(self, geometry, site_xy, colour: str = "#d73027", label: str = "") -> None:
        """The route (LineString or None), the fault site (x, y), the crew colour and a label."""
        self.path = None
        if geometry is not None and not shapely.is_empty(geometry):
            self.path = lines_path(np.array([geometry], dtype=object))
        self.site_xy = None if site_xy is None else (float(site_xy[0]), float(site_xy[1]))
        self.colour, self.label = colour, label
        bs = [tuple(shapely.bounds(geometry))] if self.path is not None else []
        if self.site_xy is not None:
            bs.append(self.site_xy * 2)
        self.bounds = _union_bounds(*bs)

    def clear(self) -> None:
        self.set_dispatch(None, None)

    def paint(self, painter: QtGui.QPainter, ctx: ViewContext) -> None:
        if not self.visible or (self.path is None and self.site_xy is None):
            return
        k = ctx.px
        painter.save()
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
        if self.path is not None:
            painter.setPen(cosmetic_pen("#ffffff", 8.0 * k, 0.9))
            painter.drawPath(self.path)
            painter.setPen(cosmetic_pen(self.colour, 4.5 * k, style=QtCore.Qt.PenStyle.DashLine))
            painter.drawPath(self.path)
        if self.site_xy is not None:
            ((x, y),) = to_device(painter, np.array([self.site_xy]))
            painter.resetTransform()
            for r, w, col in ((15, 6.0, "#ffffff"), (15, 3.0, "#d73027"), (8, 3.0, "#d73027")):
                painter.setPen(cosmetic_pen(col, w * k))
                painter.drawEllipse(QtCore.QPointF(x, y), r * k, r * k)
            if self.label:
                font = cjk_font(9.5 * ctx.font_k, bold=True)
                painter.setFont(font)
                fm = QtGui.QFontMetricsF(font, painter.device())
                rect = QtCore.QRectF(
                    x + 18 * k, y - fm.height() - 4 * k, fm.horizontalAdvance(self.label) + 10 * k, fm.height() + 6 * k
                )
                painter.setPen(cosmetic_pen("#d73027", 1.5 * k))
                painter.setBrush(QtGui.QColor(255, 255, 255, 235))
                painter.drawRect(rect)
                painter.setPen(QtGui.QColor("#222222"))
                painter.drawText(rect, QtCore.Qt.AlignmentFlag.AlignCenter, self.label)
        painter.restore()

    def legend_entries(self, lang: str = "zh") -> list[LegendEntry]:
        if not self.visible or (self.path is None and self.site_xy is None):
            return []
        return [LegendEntry("抢修派遣路线" if lang == "zh" else "Emergency dispatch", "dispatch", self.colour)]


# ---------------------------------------------------------------------- status marks


def _draw_mark(
    p: QtGui.QPainter, c: QtCore.QPointF, r: float, status: str, k: float, colour: str | None = None
) -> None:
    """One status mark at ``c`` (device coordinates): a white casing, then the status's ring,
    half fill or cross. ``k`` scales the pen widths (device px per style px)."""
    col = QtGui.QColor(colour or STATUS_COLOURS[status])
    mark = STATUS_MARKS[status]
    p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
    p.setPen(cosmetic_pen("#ffffff", 6.0 * k, 0.9))
    p.drawEllipse(c, r, r)
    if mark == "half":  # the left half filled: "half the staff"
        p.setPen(QtCore.Qt.PenStyle.NoPen)
        p.setBrush(col)
        p.drawPie(QtCore.QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r), 90 * 16, 180 * 16)
        p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
    elif mark == "cross":  # a cross in a lightly filled ring: "nobody inside, crews must go"
        p.setPen(QtCore.Qt.PenStyle.NoPen)
        p.setBrush(color(col.name(), 0.22))
        p.drawEllipse(c, r, r)
        d = r * 0.62
        for w, cc in ((4.6 * k, "#ffffff"), (2.4 * k, col.name())):
            p.setPen(cosmetic_pen(cc, w, 1.0, cap=QtCore.Qt.PenCapStyle.FlatCap))
            p.drawLine(QtCore.QPointF(c.x() - d, c.y() - d), QtCore.QPointF(c.x() + d, c.y() + d))
            p.drawLine(QtCore.QPointF(c.x() - d, c.y() + d), QtCore.QPointF(c.x() + d, c.y() - d))
        p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
    p.setPen(cosmetic_pen(col.name(), 3.2 * k))
    p.drawEllipse(c, r, r)


_MARK_SPRITES: dict = {}


def draw_marks(painter: QtGui.QPainter, dev_xy: np.ndarray, status: str, r: float, px: float) -> None:
    """The status marks at device positions (the painter's transform reset).

    On raster devices one mark is drawn once into a small image and blitted at every
    position (hundreds of sites in ~1 ms); in a PDF each is drawn as vector shapes.
    """
    from heatgis.render.batches import is_raster, stamp

    dev_xy = np.asarray(dev_xy, float).reshape(-1, 2)
    if len(dev_xy) == 0:
        return
    if not is_raster(painter):
        for x, y in dev_xy:
            _draw_mark(painter, QtCore.QPointF(x, y), r, status, px)
        return
    key = (status, round(r, 2), round(px, 3), STATUS_COLOURS[status])
    stamp(
        painter,
        dev_xy,
        _MARK_SPRITES,
        key,
        r + 3.5 * px + 1.5,
        lambda p, c: _draw_mark(p, QtCore.QPointF(c, c), r, status, px),
    )


# ---------------------------------------------------------------------- legend


def draw_legend_symbol(painter: QtGui.QPainter, rect: QtCore.QRectF, entry: LegendEntry, px: float = 1.0) -> None:
    """The symbol of one overlay legend entry, as the overlay draws it.

    ``rect`` is in device coordinates; ``px`` device pixels per style pixel.
    """
    k = px
    painter.save()
    painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
    c = rect.center()
    if entry.kind == "ring":
        r = min(rect.height() / 2 - 2 * k, RING_PX * 0.8 * k)
        status = next((s for s, m in STATUS_MARKS.items() if m == entry.mark), "staffed")
        _draw_mark(painter, c, r, status, k * r / (RING_PX * k), entry.colour)
    else:
        dash = QtCore.Qt.PenStyle.DashLine if entry.kind == "dispatch" else QtCore.Qt.PenStyle.SolidLine
        painter.setPen(cosmetic_pen(entry.colour, 3.0 * k, style=dash))
        painter.drawLine(QtCore.QPointF(rect.left() + 1 * k, c.y()), QtCore.QPointF(rect.right() - 1 * k, c.y()))
        if entry.kind == "route":
            r = min(rect.height() / 2 - 1 * k, 6.0 * k)
            painter.setPen(cosmetic_pen("#ffffff", 1.5 * k))
            painter.setBrush(color(entry.colour))
            painter.drawEllipse(c, r, r)
    painter.restore()


def legend_entries(overlays, lang: str = "zh") -> list[LegendEntry]:
    out = []
    for o in overlays:
        if getattr(o, "visible", True):
            out += o.legend_entries(lang)
    return out


def draw_overlay_legend(
    painter: QtGui.QPainter, area: QtCore.QRectF, overlays, lang: str = "zh", max_rows: int = 18
) -> QtCore.QRectF | None:
    """A boxed legend of the overlays at the top right of ``area`` (device coordinates).

    Returns the box drawn, or None when no overlay has an entry.
    """
    entries = legend_entries(overlays, lang)[:max_rows]
    if not entries:
        return None
    font = cjk_font(8.5)
    fm = QtGui.QFontMetricsF(font)
    row_h = max(fm.height() + 3, 16.0)
    sw = 26.0
    w = sw + 8 + max(fm.horizontalAdvance(e.label) for e in entries) + 14
    h = row_h * len(entries) + 10
    box = QtCore.QRectF(area.right() - w - 10, area.top() + 10, w, h)
    painter.save()
    painter.resetTransform()
    painter.setPen(QtGui.QPen(QtGui.QColor("#888888"), 1))
    painter.setBrush(QtGui.QColor(255, 255, 255, 225))
    painter.drawRect(box)
    painter.setFont(font)
    for k, e in enumerate(entries):
        y = box.top() + 5 + k * row_h
        draw_legend_symbol(painter, QtCore.QRectF(box.left() + 6, y, sw, row_h), e)
        painter.setPen(QtGui.QColor("#222222"))
        painter.drawText(
            QtCore.QRectF(box.left() + 6 + sw + 6, y, w - sw - 12, row_h),
            int(QtCore.Qt.AlignmentFlag.AlignVCenter | QtCore.Qt.AlignmentFlag.AlignLeft),
            e.label,
        )
    painter.restore()
    return box
