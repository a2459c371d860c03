"""Zones stay visible on the whole-city map: a zone in force drawn smaller than ZonePainter.MIN_PX gets a
square mark of that size in its level's colour; zoomed in, the zone's own outline shows instead."""

from __future__ import annotations

import numpy as np
import shapely
from PySide6 import QtCore, QtGui


def _draw(r, extent, size=400):
    img = QtGui.QImage(size, size, QtGui.QImage.Format.Format_RGB32)
    img.fill(QtGui.QColor("white"))
    p = QtGui.QPainter(img)
    r.render(p, extent, QtCore.QRectF(0, 0, size, size), scale_bar=False, overlays=False)
    p.end()
    return img


def _count(img, colour, cx, cy, half):
    want = QtGui.QColor(colour)
    n = 0
    for x in range(max(0, cx - half), min(img.width(), cx + half + 1)):
        for y in range(max(0, cy - half), min(img.height(), cy + half + 1)):
            c = img.pixelColor(x, y)
            if abs(c.red() - want.red()) + abs(c.green() - want.green()) + abs(c.blue() - want.blue()) < 60:
                n += 1
    return n


def test_small_zones_marked_at_city_scale(demo_project, qapp):
    from heatgis.render.layers import ZonePainter
    from heatgis.render.mapdraw import MapRenderer, style_for

    p = demo_project
    at = p.readable_reference_time()
    style = style_for(p, "en")
    for st in style.layers:
        st.visible = st.layer == "lockdown_zones"  # the zones alone
        st.labels = False
    r = MapRenderer(p, style, at)
    z = p.layer("lockdown_zones")
    active = (z["start"] <= at) & (z["end"].isna() | (z["end"] > at)) & (z["level"] == "sealed")
    zone = z[active].iloc[0]
    c = shapely.point_on_surface(zone.geometry)
    colour = style.get("lockdown_zones").category("sealed").color
    # the whole city in 400 px (~75 m per pixel): the zone is a few pixels, its mark 11 px
    half = 15000
    img = _draw(r, (c.x - half, c.y - half, c.x + half, c.y + half))
    b = zone.geometry.bounds
    assert max(b[2] - b[0], b[3] - b[1]) / (2 * half / 400) < ZonePainter.MIN_PX
    assert _count(img, colour, 200, 200, 7) >= 24  # the square's outline in the sealed colour
    # zoomed to the zone: its outline, no square in the middle of it
    big = _draw(r, (b[0] - 50, b[1] - 50, b[2] + 50, b[3] + 50))
    assert _count(big, colour, 200, 200, 3) < 10
    assert np.isfinite(c.x)
