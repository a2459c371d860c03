"""What a drawing shows and at which scale (``ViewContext``), and the small helpers every painter uses."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6 import QtCore, QtGui

from heatgis.render.batches import view_rect


@dataclass
class ViewContext:
    """What is visible and at which scale.

    Attributes
    ----------
    extent : tuple
        (x0, y0, x1, y1) in metres (project CRS).
    m_per_px : float
        Metres per *device* pixel (level of detail, geometry sizes in metres).
    lang : str
    px : float
        Device pixels per style pixel (1.0 on screen and in the 72-dpi PDF,
        dpi / 72 in a PNG of the print layout).
    font_px : float or None
        Factor on label point sizes (default ``px``; the print layout gives it
        when the device's logical dpi is not 72).
    """

    extent: tuple
    m_per_px: float
    lang: str = "zh"
    px: float = 1.0
    font_px: float | None = None
    #: labels placed for this drawing, per layer, against one shared space (``place_labels``)
    placed: dict | None = None
    #: the extent of the whole drawing when only part of it (``extent``) is drawn (a clip of the map
    #: canvas's image): what is prepared for the drawing (huge polygons cut around it) is prepared for
    #: the whole, as a drawing of the whole would, and reused from one part to the next
    frame: tuple | None = None

    @property
    def frame_rect(self) -> QtCore.QRectF:
        return view_rect(self.frame if self.frame is not None else self.extent)

    @property
    def rect(self) -> QtCore.QRectF:
        return view_rect(self.extent)

    @property
    def m_per_spx(self) -> float:
        """Metres per *style* pixel: what visibility, label and density scales compare to."""
        return self.m_per_px * self.px

    @property
    def font_k(self) -> float:
        return self.px if self.font_px is None else self.font_px


def color(hex_: str, alpha: float = 1.0) -> QtGui.QColor:
    c = QtGui.QColor(hex_)
    c.setAlphaF(max(0.0, min(1.0, alpha)))
    return c


def cosmetic_pen(
    hex_: str, width: float, alpha: float = 1.0, style=QtCore.Qt.PenStyle.SolidLine, cap=QtCore.Qt.PenCapStyle.RoundCap
) -> QtGui.QPen:
    pen = QtGui.QPen(color(hex_, alpha), width)
    pen.setCosmetic(True)
    pen.setStyle(style)
    pen.setCapStyle(cap)
    pen.setJoinStyle(QtCore.Qt.PenJoinStyle.RoundJoin)
    return pen


def to_device(painter: QtGui.QPainter, xy: np.ndarray) -> np.ndarray:
    """Map (n, 2) world coordinates through the painter's world transform."""
    t = painter.worldTransform()
    x = t.m11() * xy[:, 0] + t.m21() * xy[:, 1] + t.dx()
    y = t.m12() * xy[:, 0] + t.m22() * xy[:, 1] + t.dy()
    return np.column_stack([x, y])
