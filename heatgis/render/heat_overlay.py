"""A map overlay: every station as a dot coloured by its network's heat margin at the coldest hour.

The figures are those of ``heatgis.analysis.heat.heat_balance`` (``HeatResult.networks``,
``margin_pct`` at the coldest hour): deficit (< 0 %), tight (0-10 %), enough (>= 10 %),
no capacity known (grey). One batched path per class, as the other overlays
(``heatgis.render.overlays``); QtGui only.
"""

from __future__ import annotations

import numpy as np
from PySide6 import QtGui

from heatgis.render.layers import ViewContext, color, to_device
from heatgis.render.overlays import LegendEntry, _bounds, _in_extent

#: margin classes: (key, colour, zh label, en label)
MARGIN_CLASSES = (
    ("deficit", "#d73027", "供热缺口", "deficit"),
    ("tight", "#f08c00", "余量 < 10%", "margin < 10 %"),
    ("ok", "#1a9850", "余量 ≥ 10%", "margin ≥ 10 %"),
    ("unknown", "#8c8c8c", "无供热能力数据", "no capacity known"),
)
TIGHT_PCT = 10.0
DOT_PX = 4.5


def margin_class(margin_pct) -> np.ndarray:
    """'deficit', 'tight', 'ok' or 'unknown' for each margin (%)."""
    m = np.asarray(margin_pct, dtype=float)
    out = np.full(m.shape, "unknown", dtype=object)
    out[m < 0] = "deficit"
    out[(m >= 0) & (m < TIGHT_PCT)] = "tight"
    out[m >= TIGHT_PCT] = "ok"
    return out


class HeatMarginOverlay:
    """Stations coloured by their network's margin at the coldest hour (hidden until a result is set)."""

    def __init__(self):
        self.visible = False
        self.xy = np.zeros((0, 2))
        self.cls = np.array([], dtype=object)
        self.bounds = None
        self.title = ""

    def set_result(self, result, stations) -> None:
        """From a ``HeatResult`` and the stations layer (points, ``station_id``, ``network_id``); None clears."""
        if result is None or stations is None or len(stations) == 0:
            self.xy, self.cls, self.bounds, self.visible = np.zeros((0, 2)), np.array([], dtype=object), None, False
            return
        import shapely

        pct = dict(zip(result.networks["network_id"].astype(str), result.networks["margin_pct"].astype(float)))
        nets = stations["network_id"].astype(str).to_numpy()
        self.xy = shapely.get_coordinates(np.asarray(stations.geometry.values))[:, :2]
        self.cls = margin_class([pct.get(n, np.nan) for n in nets])
        self.bounds = _bounds(self.xy)
        self.title = f"{result.coldest_time:%m-%d %H:%M} {result.coldest_c:.1f} °C"
        self.visible = True

    def counts(self) -> dict:
        return {k: int((self.cls == k).sum()) for k, *_ in MARGIN_CLASSES}

    def paint(self, painter: QtGui.QPainter, ctx: ViewContext) -> None:
        if not self.visible or len(self.xy) == 0:
            return
        from heatgis.render.qpath import circles_path

        px = ctx.px
        inside = _in_extent(self.xy, ctx.extent, pad=(DOT_PX + 2.0) * px * ctx.m_per_px)
        painter.save()
        dev_all = to_device(painter, self.xy)
        painter.resetTransform()
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        for key, col, *_ in reversed(MARGIN_CLASSES):  # deficits drawn last, on top
            k = inside & (self.cls == key)
            if not k.any():
                continue
            painter.setPen(QtGui.QPen(QtGui.QColor("#ffffff"), 1.0 * px))
            painter.setBrush(color(col))
            painter.drawPath(circles_path(dev_all[k], DOT_PX * px))
        painter.restore()

    def legend_entries(self, lang: str = "zh") -> list[LegendEntry]:
        if not self.visible or len(self.xy) == 0:
            return []
        n = self.counts()
        i = 0 if lang == "zh" else 1
        head = "管网余量" if lang == "zh" else "network margin"
        shown = [(key, col, labels[i]) for key, col, *labels in MARGIN_CLASSES if n[key]]
        return [
            LegendEntry((f"{head} {self.title}: " if j == 0 else "") + f"{label} ({n[key]})", "ring", col, 1.0)
            for j, (key, col, label) in enumerate(shown)
        ]


__all__ = ["MARGIN_CLASSES", "HeatMarginOverlay", "margin_class"]
