"""Presentation mode (F5): full screen, the map by the same renderer, big KPI tiles, day-by-day playback.

Keys: Space play/pause, Left/Right one day back/forward, Home/End first/last
day, Esc leave. Stepping sets the session's time, so the main window follows.
"""

from __future__ import annotations

import pandas as pd
from PySide6 import QtCore, QtGui, QtWidgets

from heatgis.render.fonts import cjk_font


class PresentationWindow(QtWidgets.QWidget):
    """Full-screen map with KPI tiles over it.

    Parameters
    ----------
    window : MainWindow
        Its session (renderer, impact, time) and its canvas (extent).
    days : sequence of Timestamp, optional
        Playback days (default: the timeline's).
    """

    dayChanged = QtCore.Signal(object)

    def __init__(self, window, days=None, interval_ms: int = 1500):
        super().__init__(None, QtCore.Qt.WindowType.Window)
        self.window = window
        self.session = window.session
        self.setWindowTitle("HeatGIS")
        self.extent = window.canvas.view_context().extent
        if days is None:
            from heatgis.analysis.timeline import timeline

            tl = timeline(self.session.project, engine=self.session.engine)
            days = list(tl["time"]) if len(tl) else [self.session.at]
        self.days = [pd.Timestamp(d) for d in days]
        at = self.session.at
        self.index = min(range(len(self.days)), key=lambda i: abs(self.days[i] - at)) if self.days else 0
        self.timer = QtCore.QTimer(self, interval=interval_ms, timeout=self.step_forward_loop)
        self.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)
        self.session.impactChanged.connect(self.update)
        self.legend_rect = QtCore.QRectF()
        self.change_boxes: list = []

    # ------------------------------------------------------------------ control
    @property
    def playing(self) -> bool:
        return self.timer.isActive()

    def toggle_play(self) -> None:
        if self.timer.isActive():
            self.timer.stop()
        else:
            self.timer.start()
        self.update()

    def go(self, index: int) -> None:
        if not self.days:
            return
        self.index = max(0, min(len(self.days) - 1, index))
        self.session.set_time(self.days[self.index])
        self.dayChanged.emit(self.days[self.index])
        self.update()

    def step_forward_loop(self) -> None:
        if self.index >= len(self.days) - 1:
            self.timer.stop()
            self.update()
            return
        self.go(self.index + 1)

    def keyPressEvent(self, ev) -> None:
        k = ev.key()
        K = QtCore.Qt.Key
        if k == K.Key_Escape:
            self.close()
        elif k == K.Key_Space:
            self.toggle_play()
        elif k in (K.Key_Right, K.Key_PageDown, K.Key_Down):
            self.go(self.index + 1)
        elif k in (K.Key_Left, K.Key_PageUp, K.Key_Up):
            self.go(self.index - 1)
        elif k == K.Key_Home:
            self.go(0)
        elif k == K.Key_End:
            self.go(len(self.days) - 1)
        else:
            super().keyPressEvent(ev)
            return
        ev.accept()

    def closeEvent(self, ev) -> None:
        self.timer.stop()
        try:
            self.session.impactChanged.disconnect(self.update)
        except (RuntimeError, TypeError):
            pass
        super().closeEvent(ev)

    # ------------------------------------------------------------------ drawing
    def tiles(self) -> list[tuple[str, str, str]]:
        """(label, value, unit) of the tiles: the A3 page's and the deck's (``export.pages.kpi_tiles``)."""
        from heatgis.export.pages import kpi_tiles

        t = self.session.totals()
        crews = self.session.engine.crews
        totals = {
            "stations": t.stations,
            "boiler_rooms": t.boiler_rooms,
            "heated_area_m2": t.heated_area_m2,
            "households": t.households,
            "staff_locked_in": t.staff_locked_in,
            "crews": crews.get("crews", 0),
            "members": crews.get("members", 0),
        }
        return kpi_tiles(totals, self.session.renderer.style.lang)

    def changes(self) -> list[str]:
        """Beside each tile (same order), its change since 24 h earlier: the A3 page's and the deck's words."""
        from heatgis.export.briefing import kpi_changes

        lang = self.session.renderer.style.lang
        return kpi_changes(self.session.change(), "zh" if lang == "zh" else "en")

    def zones_line(self) -> str:
        """The zones that began or ended since 24 h earlier (the first few), "" when none."""
        from heatgis.export.briefing import zones_line

        lang = self.session.renderer.style.lang
        return zones_line(self.session.change(), "zh" if lang == "zh" else "en")

    #: the KPI column's width and the tiles' height at 1080 px (scaled with the window's height)
    COLUMN_W, TILE_H, GAP = 380, 104, 12

    def map_rect(self) -> QtCore.QRectF:
        """Where the map is drawn: below the header band, left of the KPI column (never under the tiles)."""
        rect = QtCore.QRectF(self.rect())
        u = max(rect.height() / 1080.0, 0.5)
        return QtCore.QRectF(0, 84 * u, rect.width() - self.COLUMN_W * u, rect.height() - 84 * u)

    def paintEvent(self, ev) -> None:
        p = QtGui.QPainter(self)
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        rect = QtCore.QRectF(self.rect())
        u = max(rect.height() / 1080.0, 0.5)
        r = self.session.renderer
        r.highlight.set_locked(self.session.locked_xy())
        p.fillRect(rect, QtGui.QColor("#1d2733"))
        r.render(p, self.extent, self.map_rect(), scale_bar=True)
        # header band: the day and the play state
        band = QtCore.QRectF(0, 0, rect.width(), 84 * u)
        p.fillRect(band, QtGui.QColor(20, 28, 38, 235))
        p.setPen(QtGui.QColor("#ffffff"))
        p.setFont(cjk_font(30 * u, True))
        day = self.days[self.index] if self.days else self.session.at
        name = (self.session.project.name or "HeatGIS").split(" ")[0]
        p.drawText(
            band.adjusted(30 * u, 0, 0, 0), int(QtCore.Qt.AlignmentFlag.AlignVCenter), f"{name}  {day:%Y-%m-%d %H:%M}"
        )
        p.setFont(cjk_font(16 * u))
        state = "▶" if self.playing else "❚❚"
        p.drawText(
            band.adjusted(0, 0, -30 * u, 0),
            int(QtCore.Qt.AlignmentFlag.AlignVCenter | QtCore.Qt.AlignmentFlag.AlignRight),
            f"{state}  {self.index + 1}/{len(self.days)}   Space ▶/❚❚  ← →  Esc",
        )
        # KPI tiles down the right column, the legend below them
        tw, th, gap = (self.COLUMN_W - 40) * u, self.TILE_H * u, self.GAP * u
        x = rect.width() - self.COLUMN_W * u + 20 * u
        y = band.bottom() + 20 * u
        self.change_boxes: list[tuple[float, QtCore.QRectF]] = []  # (caption's right end, change's box)
        for (label, value, unit), change in zip(self.tiles(), self.changes() + [""] * 6):
            self._tile(p, QtCore.QRectF(x, y, tw, th), label, value, unit, u, change)
            y += th + gap
        zones = self.zones_line()
        if zones:  # a strip along the map's top: the zones that began or ended
            m = self.map_rect()
            strip = QtCore.QRectF(m.left(), m.top(), m.width(), 44 * u)
            p.fillRect(strip, QtGui.QColor(20, 28, 38, 215))
            p.setPen(QtGui.QColor("#ffffff"))
            p.setFont(cjk_font(17 * u))
            fm = QtGui.QFontMetricsF(p.font(), self)
            p.drawText(
                strip.adjusted(30 * u, 0, -30 * u, 0),
                int(QtCore.Qt.AlignmentFlag.AlignVCenter),
                fm.elidedText(zones, QtCore.Qt.TextElideMode.ElideRight, strip.width() - 60 * u),
            )
        self.legend_rect = self._legend(p, QtCore.QRectF(x, y + 8 * u, tw, rect.height() - y - 28 * u), u)
        p.end()

    def _tile(self, p, tile: QtCore.QRectF, label: str, value: str, unit: str, u: float, change: str = "") -> None:
        p.setPen(QtCore.Qt.PenStyle.NoPen)
        p.setBrush(QtGui.QColor(255, 255, 255, 240))
        p.drawRoundedRect(tile, 10 * u, 10 * u)
        p.setPen(QtGui.QColor("#b3261e"))
        f = cjk_font(36 * u, True)
        p.setFont(f)
        vrect = tile.adjusted(20 * u, 4 * u, -20 * u, -42 * u)
        p.drawText(vrect, int(QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignVCenter), value)
        vw = QtGui.QFontMetricsF(f, self).horizontalAdvance(value)
        value_end = vrect.left() + vw
        if unit:
            value_end += 10 * u + QtGui.QFontMetricsF(cjk_font(17 * u), self).horizontalAdvance(unit)
            p.setFont(cjk_font(17 * u))
            p.drawText(
                vrect.adjusted(vw + 10 * u, 0, 0, -8 * u),
                int(QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignBottom),
                unit,
            )
        p.setPen(QtGui.QColor("#1d2733"))
        p.setFont(cjk_font(17 * u))
        p.drawText(
            tile.adjusted(20 * u, 62 * u, -20 * u, -6 * u),
            int(QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignVCenter),
            label,
        )
        if change:  # 较昨日 +3 / vs day before +3: more red, fewer green, none grey
            # right of the value when it fits there at full size (the English words are long), else
            # right of the caption
            cw = QtGui.QFontMetricsF(cjk_font(15 * u, True), self).horizontalAdvance(change)
            if value_end + 16 * u + cw <= vrect.right():
                row = vrect.adjusted(0, 0, 0, -8 * u)
                where = self._change_text(p, row, change, u, value_end - row.left(), bottom=True)
                self.change_boxes.append((value_end, where))
                return
            row = tile.adjusted(20 * u, 62 * u, -20 * u, -6 * u)
            caption = QtGui.QFontMetricsF(cjk_font(17 * u), self).horizontalAdvance(label)
            where = self._change_text(p, row, change, u, caption)
            self.change_boxes.append((row.left() + caption, where))

    def _change_text(
        self, p, row: QtCore.QRectF, change: str, u: float, taken: float, bottom: bool = False
    ) -> QtCore.QRectF:
        """Draw ``change`` right-aligned in ``row`` (``taken`` of it already used on the left, by the
        caption or the value), smaller until it clears that (measured in the fonts drawn); returns
        where it went."""
        room = row.width() - taken - 12 * u
        size = 15.0
        while True:
            f = cjk_font(size * u, True)
            fm = QtGui.QFontMetricsF(f, self)
            if fm.horizontalAdvance(change) <= room or size <= 10:
                break
            size -= 0.5
        text = fm.elidedText(change, QtCore.Qt.TextElideMode.ElideLeft, max(room, 0.0))
        colour = "#1a7a3a" if "−" in change else "#b3261e" if "+" in change else "#5f6b78"
        p.setPen(QtGui.QColor(colour))
        p.setFont(f)
        v = QtCore.Qt.AlignmentFlag.AlignBottom if bottom else QtCore.Qt.AlignmentFlag.AlignVCenter
        p.drawText(row, int(QtCore.Qt.AlignmentFlag.AlignRight | v), text)
        w = fm.horizontalAdvance(text)
        return QtCore.QRectF(row.right() - w, row.top(), w, row.height())

    def legend_items(self) -> list:
        """(kind, style or entry, category, label): the zone levels, the locked-site ring, the plans shown."""
        from heatgis.render.overlays import legend_entries

        r = self.session.renderer
        zh = r.style.lang == "zh"
        items = []
        z = r.style.get("lockdown_zones")
        if z is not None:
            items += [("swatch", z, c, c.label_zh if zh else c.label_en) for c in z.categories]
        items.append(("ring", None, None, "锁闭站点" if zh else "Locked site"))
        items += [("overlay", e, None, e.label) for e in legend_entries(r.overlays, r.style.lang)]
        return items

    def _legend(self, p, area: QtCore.QRectF, u: float) -> QtCore.QRectF:
        """The legend in the right column (as many rows as fit); returns its box."""
        from heatgis.render.highlight import HighlightPainter
        from heatgis.render.mapdraw import draw_swatch
        from heatgis.render.overlays import draw_legend_symbol
        from heatgis.render.styles import LOCKED_COLOUR

        row = 30 * u
        items = self.legend_items()[: max(0, int((area.height() - 14 * u) // row))]
        box = QtCore.QRectF(area.left(), area.top(), area.width(), len(items) * row + 14 * u)
        if not items:
            return box
        p.setPen(QtCore.Qt.PenStyle.NoPen)
        p.setBrush(QtGui.QColor(255, 255, 255, 240))
        p.drawRoundedRect(box, 10 * u, 10 * u)
        p.setFont(cjk_font(15 * u))
        for k, (kind, obj, cat, label) in enumerate(items):
            y = box.top() + 7 * u + k * row
            sw = QtCore.QRectF(box.left() + 16 * u, y + 3 * u, 34 * u, row - 6 * u)
            p.save()
            if kind == "swatch":
                draw_swatch(p, sw, obj, cat, px=max(u * 1.6, 1.0))
            elif kind == "overlay":
                draw_legend_symbol(p, sw, obj, px=max(u * 1.4, 1.0))
            else:
                rad, w = HighlightPainter.LOCKED_RING
                p.setPen(QtGui.QPen(QtGui.QColor(LOCKED_COLOUR), w * 1.4 * u))
                p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
                p.drawEllipse(sw.center(), min(rad * 1.4 * u, sw.height() / 2), min(rad * 1.4 * u, sw.height() / 2))
            p.restore()
            p.setPen(QtGui.QColor("#1d2733"))
            p.drawText(
                QtCore.QRectF(sw.right() + 12 * u, y, box.width() - sw.width() - 40 * u, row),
                int(QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignVCenter),
                label,
            )
        return box
