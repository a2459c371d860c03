"""The zones painter moved through time draws what a painter made at that time draws."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402


def _image(painter, extent):
    from PySide6 import QtGui

    from heatgis.render.layers import ViewContext

    img = QtGui.QImage(400, 300, QtGui.QImage.Format.Format_RGB32)
    img.fill(QtGui.QColor("white"))
    p = QtGui.QPainter(img)
    x0, y0, x1, y1 = extent
    t = QtGui.QTransform.fromScale(400 / (x1 - x0), -300 / (y1 - y0))
    p.setWorldTransform(QtGui.QTransform.fromTranslate(-x0, -y1) * t)
    painter.paint(p, ViewContext(extent, (x1 - x0) / 400, "zh"))
    p.end()
    return np.frombuffer(img.constBits(), np.uint8).reshape(300, 400, 4).copy()


def test_zone_painter_stepped_through_time_matches_a_fresh_one(demo_project, qapp):
    from heatgis.render.mapdraw import MapRenderer

    r = MapRenderer(demo_project)
    zones = demo_project.layer("lockdown_zones")
    extent = tuple(zones.total_bounds)
    stepped = r.painter("lockdown_zones")
    times = [pd.Timestamp(t) for t in ("2022-02-16T08:00", "2022-02-25T08:00", "2022-02-18T08:00", "2022-02-25T08:00")]
    for at in times:
        stepped.set_time(at)
        fresh = MapRenderer(demo_project, at=at).painter("lockdown_zones")
        groups = [(lv, act, len(b)) for lv, act, b in stepped.groups]
        assert groups == [(lv, act, len(b)) for lv, act, b in fresh.groups]
        assert list(stepped.labels.texts) == list(fresh.labels.texts)
        assert (_image(stepped, extent) == _image(fresh, extent)).all()
