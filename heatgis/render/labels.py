"""Labels of the map: anchors and texts per layer, and one shared space in which all layers place
theirs (top layer first, clear of locked-site rings and map furniture), drawn in layer order."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import shapely
from PySide6 import QtCore, QtGui

from heatgis.render.batches import is_raster
from heatgis.render.context import ViewContext, color, to_device
from heatgis.render.fonts import cjk_font
from heatgis.render.styles import LayerStyle

MAX_LABELS = 400
#: how far (style px, beyond half the text height) a label moves off a taken spot
LABEL_STEP_PX = 10.0


class Labels:
    """Label anchors and texts of one layer with a tree for the in-view query."""

    def __init__(self, xy: np.ndarray, texts: np.ndarray):
        ok = np.isfinite(xy).all(axis=1) & np.array([bool(t) for t in texts], bool)
        self.xy = xy[ok]
        self.texts = np.asarray(texts, dtype=object)[ok]

    @functools.cached_property
    def tree(self) -> shapely.STRtree | None:
        """Built when first asked for: the zones' labels are made anew for each set of zones in force
        (a time step), and most steps are seen at a scale that shows none."""
        return shapely.STRtree(shapely.points(self.xy)) if len(self.xy) else None

    def in_view(self, extent) -> np.ndarray:
        if self.tree is None:
            return np.empty(0, np.intp)
        return np.sort(self.tree.query(shapely.box(*extent)))

    def _static_text(self, text: str, font: QtGui.QFont) -> QtGui.QStaticText:
        cache = self.__dict__.setdefault("_statics", {})
        key = (text, font.key())
        st = cache.get(key)
        if st is None:
            if len(cache) > 5000:
                cache.clear()
            st = QtGui.QStaticText(text)
            st.setTextFormat(QtCore.Qt.TextFormat.PlainText)
            st.prepare(QtGui.QTransform(), font)
            cache[key] = st
        return st

    def layout(
        self,
        painter: QtGui.QPainter,
        ctx: ViewContext,
        style: LayerStyle,
        offset: tuple,
        space: LabelSpace,
        marked=None,
    ) -> list[tuple]:
        """The labels in view that fit in ``space`` (taking their room): ``(x0, y0, w, h, text)``
        in device pixels, centred on each anchor, ``offset`` style pixels away, at most
        ``MAX_LABELS``. Anchors at the ``marked`` sites ((n, 2) world coordinates: the ringed
        locked sites) are placed first and may also sit right or left of their ring."""
        if not len(self.xy) or ctx.m_per_spx > style.label_scale:
            return []
        idx = self.in_view(ctx.extent)
        if len(idx) == 0:
            return []
        idx = idx[: MAX_LABELS * 3]
        first = _at(self.xy[idx], marked)
        if first.any():
            idx, first = np.concatenate([idx[first], idx[~first]]), np.sort(first)[::-1]
        dev = to_device(painter, self.xy[idx])
        px = ctx.px
        font = cjk_font(style.label_size * ctx.font_k)
        fm = QtGui.QFontMetricsF(font, painter.device())
        ch = fm.height()
        dx, dy = offset[0] * px, offset[1] * px
        out = []
        step = ch / 2 + LABEL_STEP_PX * px  # clear of a locked-site ring when moved
        e = ctx.extent  # labels stay whole inside the drawing (no name cut by the map frame)
        corners = to_device(painter, np.array([[e[0], e[1]], [e[2], e[3]]], float))
        (bx0, bx1), (by0, by1) = np.sort(corners[:, 0]), np.sort(corners[:, 1])
        side = step + 6 * px  # beside a ring: clear of its radius (RING_PX + casing)
        for (x, y), text, pri in zip(dev, self.texts[idx], first):
            text = str(text)
            w = fm.horizontalAdvance(text)
            spots = [
                (x - w / 2 + dx, y + dy),
                (x - w / 2 + dx, y + dy + step),
                (x - w / 2 + dx, y + dy - step),
            ]  # on the anchor, else below, else above
            if pri:  # a ringed site keeps its name: also right, left, further below / above
                spots += [
                    (x + side, y),
                    (x - side - w, y),
                    (x - w / 2 + dx, y + dy + 2 * step),
                    (x - w / 2 + dx, y + dy - 2 * step),
                ]
            for x0, y0 in spots:
                if x0 < bx0 or x0 + w > bx1 or y0 - ch / 2 < by0 or y0 + ch / 2 > by1:
                    continue
                if space.take(x0 - 2 * px, y0 - ch / 2 - px, w + 4 * px, ch + 2 * px):
                    out.append((x0, y0, w, ch, text))
                    break
            if len(out) >= MAX_LABELS:
                break
        return out

    def draw(
        self,
        painter: QtGui.QPainter,
        ctx: ViewContext,
        style: LayerStyle,
        offset: tuple = (0, 0),
        placed: list | None = None,
    ) -> int:
        """Draw the labels (``placed`` by ``layout``, or laid out now on their own); returns how
        many were drawn. ``offset`` (dx, dy) is in style pixels; sizes and the halo scale with
        ``ctx.px``."""
        if placed is None:
            placed = self.layout(painter, ctx, style, offset, LabelSpace())
        if not placed:
            return 0
        painter.save()
        painter.resetTransform()
        px = ctx.px
        font = cjk_font(style.label_size * ctx.font_k)
        painter.setFont(font)
        halo = QtGui.QColor(255, 255, 255, 215)
        ink = color(style.label_color, style.opacity)
        raster = is_raster(painter)
        for x0, y0, w, ch, text in placed:
            if raster:  # laid-out glyphs reused for the halo and the ink: ~4x faster than drawText
                st = self._static_text(text, font)
                top = QtCore.QPointF(x0, y0 - ch / 2)
                painter.setPen(halo)
                for dx, dy in ((-px, 0), (px, 0), (0, -px), (0, px)):
                    painter.drawStaticText(top + QtCore.QPointF(dx, dy), st)
                painter.setPen(ink)
                painter.drawStaticText(top, st)
            else:  # PDF: real text
                rect = QtCore.QRectF(x0, y0 - ch / 2, w, ch)
                painter.setPen(halo)
                for dx, dy in ((-px, 0), (px, 0), (0, -px), (0, px)):
                    painter.drawText(rect.translated(dx, dy), QtCore.Qt.AlignmentFlag.AlignCenter, text)
                painter.setPen(ink)
                painter.drawText(rect, QtCore.Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()
        return len(placed)


class LabelSpace:
    """Room taken by labels on one drawing (device pixels), shared by all layers so a zone name
    and a station name never overlap; a grid of cells keeps the test local."""

    CELL = 64.0

    def __init__(self):
        self._cells: dict[tuple[int, int], list[tuple]] = {}

    def take(self, x: float, y: float, w: float, h: float) -> bool:
        """Take the box if it meets no box taken before; True if it was free."""
        c = self.CELL
        keys = [
            (i, j) for i in range(int(x // c), int((x + w) // c) + 1) for j in range(int(y // c), int((y + h) // c) + 1)
        ]
        for k in keys:
            for bx, by, bw, bh in self._cells.get(k, ()):
                if x < bx + bw and bx < x + w and y < by + bh and by < y + h:
                    return False
        for k in keys:
            self._cells.setdefault(k, []).append((x, y, w, h))
        return True

    def reserve(self, x, y, w, h) -> None:
        """Take the boxes (arrays of their corners and sizes) whatever lies there: what is drawn above
        the labels (rings, map furniture). Not tested against each other: hundreds of rings of a
        city-wide view fall in a few cells, and testing each against the others cost ~5 ms a map."""
        x, y, w, h = (np.broadcast_to(np.asarray(v, float), np.shape(x)).ravel() for v in (x, y, w, h))
        c = self.CELL
        i0, i1 = (x // c).astype(int).tolist(), ((x + w) // c).astype(int).tolist()
        j0, j1 = (y // c).astype(int).tolist(), ((y + h) // c).astype(int).tolist()
        cells = self._cells
        for box, a, b, d, e in zip(zip(x.tolist(), y.tolist(), w.tolist(), h.tolist()), i0, i1, j0, j1):
            for i in range(a, b + 1):
                for j in range(d, e + 1):
                    cells.setdefault((i, j), []).append(box)


def _at(xy: np.ndarray, marked) -> np.ndarray:
    """Which anchors lie on a marked site (same coordinates to 0.1 m)."""
    if marked is None or len(marked) == 0 or len(xy) == 0:
        return np.zeros(len(xy), bool)
    m = np.asarray(marked, float).reshape(-1, 2)
    return np.isin(np.round(xy[:, 0], 1) + 1j * np.round(xy[:, 1], 1), np.round(m[:, 0], 1) + 1j * np.round(m[:, 1], 1))


def _texts(frame, fld) -> np.ndarray:
    if not fld or fld not in frame.columns:
        return np.full(len(frame), "", dtype=object)
    return frame[fld].map(lambda v: "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)).to_numpy()


def place_labels(painters, painter: QtGui.QPainter, ctx: ViewContext, highlight=None, reserved=(), overlays=()) -> None:
    """Lay out the labels of ``painters`` (drawn bottom to top) against one shared space, the
    top layer first, so a station's name wins over the zone it sits in; each layer then draws its
    own in its turn (``ctx.placed``), so what covers what does not change. The rings of
    ``highlight`` (locked sites, drawn above every layer) and the ``reserved`` device rectangles
    (map furniture) take their room first, and so do the marks of ``overlays`` that have a
    ``reserve`` (the staffing status rings): a ringed station keeps its name, below its ring."""
    ctx.placed = {}
    shown = [p for p in reversed(list(painters)) if p is not None and p.labels_shown(ctx)]
    if not shown:  # no layer is labelled at this scale: nothing to keep clear of
        return
    space = LabelSpace()
    for r in reserved:
        space.reserve(r.left(), r.top(), r.width(), r.height())
    if highlight is not None:
        highlight.reserve(painter, ctx, space)
    for o in overlays:
        if getattr(o, "visible", True) and hasattr(o, "reserve"):
            o.reserve(painter, ctx, space)
    marked = [np.asarray(highlight.locked_xy, float).reshape(-1, 2)] if highlight is not None else []
    marked += [
        np.asarray(o.xy, float).reshape(-1, 2)
        for o in overlays
        if getattr(o, "visible", True) and hasattr(o, "reserve") and len(getattr(o, "xy", ()))
    ]
    marked = np.vstack(marked) if marked else None
    for p in shown:
        ctx.placed[p.style.layer] = p.labels.layout(painter, ctx, p.style, p.label_offset(ctx), space, marked)
