"""Status bar widgets: pointer coordinates (project CRS and WGS84 lon/lat), an editable scale, a hint.

``CoordsLabel.show_xy(x, y, crs)`` shows "x 421,339.2  y 4,519,706.0 (EPSG:4546)  111.6712°E
40.8213°N"; ``ScaleBox`` shows the map scale and takes a typed one ("1:25000", "25000",
"1:2.5万"): the map zooms to it around its centre. ``HintLabel`` holds what the current
map tool expects ("click to add, double-click to finish, Esc to cancel").
"""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from heatgis.errors import HeatGISError
from heatgis.gui.i18n import error_text

INCH_M = 0.0254


class CoordsLabel(QtWidgets.QLabel):
    """Pointer coordinates in the project CRS and in WGS84."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._crs = None
        self._tf = None
        self.setMinimumWidth(360)
        self.lonlat: tuple[float, float] | None = None

    def _transformer(self, crs: str):
        if crs != self._crs:
            self._crs, self._tf = crs, None
            try:
                from pyproj import Transformer

                self._tf = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
            except Exception:  # an unknown CRS: projected coordinates only
                self._tf = None
        return self._tf

    def show_xy(self, x: float, y: float, crs: str) -> None:
        text = f"x {x:,.1f}  y {y:,.1f}  ({crs})"
        tf = self._transformer(str(crs))
        self.lonlat = None
        if tf is not None:
            lon, lat = tf.transform(x, y)
            if abs(lon) <= 180 and abs(lat) <= 90:
                self.lonlat = (lon, lat)
                text += f"   {abs(lon):.5f}°{'E' if lon >= 0 else 'W'} {abs(lat):.5f}°{'N' if lat >= 0 else 'S'}"
        self.setText(text)


def scale_of(canvas, dpi: float) -> float:
    """The map scale denominator on screen (metres per pixel at ``dpi`` pixels per inch)."""
    return canvas.m_per_px() * dpi / INCH_M


def zoom_to_scale(canvas, denominator: float, dpi: float) -> None:
    """Zoom ``canvas`` to 1:``denominator`` around the centre of its view."""
    vb = canvas.vb
    r = vb.viewRect()
    cx, cy = r.center().x(), r.center().y()
    m_per_px = float(denominator) * INCH_M / dpi
    w = vb.width() or canvas.viewport().width()
    h = vb.height() or canvas.viewport().height()
    hw, hh = w * m_per_px / 2, h * m_per_px / 2
    vb.setRange(xRange=(cx - hw, cx + hw), yRange=(cy - hh, cy + hh), padding=0)


class ScaleBox(QtWidgets.QWidget):
    """ "Scale 1:[ 25,000 ]": shows the scale and zooms the map to a typed one."""

    def __init__(self, window, parent=None):
        super().__init__(parent)
        self.window = window
        self.caption = QtWidgets.QLabel()
        self.edit = QtWidgets.QLineEdit()
        self.edit.setMaximumWidth(110)
        self.edit.setAlignment(QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter)
        lay = QtWidgets.QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(3)
        lay.addWidget(self.caption)
        lay.addWidget(self.edit)
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Fixed, QtWidgets.QSizePolicy.Policy.Preferred)
        self.edit.returnPressed.connect(self.apply)
        self.retranslate()

    def dpi(self) -> float:
        return float(self.window.logicalDpiX() or 96)

    def retranslate(self) -> None:
        self.caption.setText(self.tr("Scale"))
        self.edit.setToolTip(self.tr("Type a scale (1:25000) and press Enter to zoom the map to it"))

    def show_scale(self, m_per_px: float) -> None:
        if not self.edit.hasFocus():
            self.edit.setText(f"1:{m_per_px * self.dpi() / INCH_M:,.0f}")

    def text(self) -> str:
        return self.edit.text()

    def apply(self) -> bool:
        """Zoom the map to the typed scale (False and a message for a bad entry)."""
        from heatgis.render.layout import parse_scale

        try:
            d = parse_scale(self.edit.text())
        except HeatGISError as exc:
            self.window.show_message(error_text(exc).splitlines()[0])
            return False
        if d is None or self.window.session is None:
            return False
        zoom_to_scale(self.window.canvas, d, self.dpi())
        self.window.canvas.setFocus()
        self.show_scale(self.window.canvas.m_per_px())
        return True


class HintLabel(QtWidgets.QLabel):
    """What the current map tool expects, or its live reading (the measure tool's distance)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setStyleSheet("color: #3b4a5a;")
