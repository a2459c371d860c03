"""Tool bar icons, drawn with QPainter (nothing downloaded, nothing to ship), and Qt's standard icons.

``icon(name)`` returns a QIcon for an action of the main window (pan, identify, select,
draw_zone, edit_zone, dispatch, measure, zoom_full, zoom_selection, bookmark, basemap,
search, open, save, undo, redo). Each is drawn at 16, 24 and 32 px so it stays crisp
on high-dpi screens.
"""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

INK = QtGui.QColor("#2b3a4a")
ACCENT = QtGui.QColor("#1f6fb2")
ZONE = QtGui.QColor("#c0392b")

_STANDARD = {
    "open": "SP_DialogOpenButton",
    "save": "SP_DialogSaveButton",
    "undo": "SP_ArrowBack",
    "redo": "SP_ArrowForward",
}


def _pen(col=INK, w=1.6) -> QtGui.QPen:
    p = QtGui.QPen(col, w)
    p.setCapStyle(QtCore.Qt.PenCapStyle.RoundCap)
    p.setJoinStyle(QtCore.Qt.PenJoinStyle.RoundJoin)
    return p


def _draw(name: str, p: QtGui.QPainter) -> None:
    """Draw icon ``name`` on a 24 x 24 canvas."""
    P = QtCore.QPointF
    p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
    if name == "pan":  # four arrows
        p.setPen(_pen(INK, 1.8))
        p.drawLine(P(12, 3), P(12, 21))
        p.drawLine(P(3, 12), P(21, 12))
        for a, b, c in (
            ((9, 6), (12, 3), (15, 6)),
            ((9, 18), (12, 21), (15, 18)),
            ((6, 9), (3, 12), (6, 15)),
            ((18, 9), (21, 12), (18, 15)),
        ):
            p.drawPolyline([P(*a), P(*b), P(*c)])
    elif name == "identify":  # i in a circle
        p.setPen(_pen(ACCENT, 1.8))
        p.drawEllipse(P(12, 12), 9, 9)
        p.drawLine(P(12, 10.5), P(12, 17))
        p.setBrush(ACCENT)
        p.drawEllipse(P(12, 7), 1.2, 1.2)
    elif name == "select":  # dashed box and a pointer
        pen = _pen(INK, 1.4)
        pen.setStyle(QtCore.Qt.PenStyle.DashLine)
        p.setPen(pen)
        p.drawRect(QtCore.QRectF(3, 3, 14, 12))
        p.setPen(_pen(INK, 1.2))
        p.setBrush(QtGui.QColor("#ffffff"))
        p.drawPolygon([P(12, 10), P(21, 17), P(17, 17.5), P(19, 21.5), P(17, 22), P(15, 18.5), P(12, 21)])
    elif name in ("draw_zone", "edit_zone"):  # a polygon with vertices
        poly = [P(4, 8), P(13, 3), P(21, 9), P(18, 20), P(6, 19)]
        fill = QtGui.QColor(ZONE)
        fill.setAlpha(60)
        p.setPen(_pen(ZONE, 1.6))
        p.setBrush(fill)
        p.drawPolygon(poly)
        p.setBrush(QtGui.QColor("#ffffff") if name == "edit_zone" else ZONE)
        p.setPen(_pen(ZONE, 1.2))
        for v in poly:
            if name == "edit_zone":
                p.drawRect(QtCore.QRectF(v.x() - 2.2, v.y() - 2.2, 4.4, 4.4))
            else:
                p.drawEllipse(v, 1.8, 1.8)
        if name == "draw_zone":
            p.setPen(_pen(INK, 2.0))
            p.drawLine(P(16, 14), P(22, 14))
            p.drawLine(P(19, 11), P(19, 17))
    elif name == "dispatch":  # a route to a fault
        pen = _pen(ACCENT, 1.8)
        pen.setStyle(QtCore.Qt.PenStyle.DashLine)
        p.setPen(pen)
        p.drawPolyline([P(4, 20), P(9, 12), P(15, 14), P(18, 7)])
        p.setPen(_pen(ZONE, 1.8))
        p.drawEllipse(P(18, 6), 3.5, 3.5)
        p.setBrush(ACCENT)
        p.setPen(QtCore.Qt.PenStyle.NoPen)
        p.drawEllipse(P(4, 20), 2.5, 2.5)
    elif name == "measure":  # a ruler
        p.setPen(_pen(INK, 1.4))
        p.setBrush(QtGui.QColor("#f3d27a"))
        p.translate(12, 12)
        p.rotate(-35)
        p.drawRect(QtCore.QRectF(-10, -4, 20, 8))
        for k in range(-8, 9, 3):
            p.drawLine(P(k, -4), P(k, -1 if k % 2 else 0.5))
        p.resetTransform()
    elif name == "zoom_full":  # a frame with the city
        p.setPen(_pen(INK, 1.6))
        for a, b, c in (
            ((3, 8), (3, 3), (8, 3)),
            ((16, 3), (21, 3), (21, 8)),
            ((21, 16), (21, 21), (16, 21)),
            ((8, 21), (3, 21), (3, 16)),
        ):
            p.drawPolyline([P(*a), P(*b), P(*c)])
        p.setBrush(QtGui.QColor("#9ec5e8"))
        p.drawEllipse(P(12, 12), 5, 4)
    elif name in ("zoom_selection", "search"):  # a magnifier
        p.setPen(_pen(INK, 2.0))
        p.setBrush(QtGui.QColor("#e8f1fa") if name == "search" else QtGui.QColor("#bfe8f7"))
        p.drawEllipse(P(10, 10), 6, 6)
        p.drawLine(P(14.5, 14.5), P(21, 21))
    elif name == "bookmark":
        p.setPen(_pen(ACCENT, 1.4))
        p.setBrush(QtGui.QColor("#9ec5e8"))
        p.drawPolygon([P(7, 3), P(17, 3), P(17, 21), P(12, 16), P(7, 21)])
    elif name == "basemap":  # stacked tiles
        for k, col in ((0, "#d6e4c8"), (1, "#b8d0e8")):
            p.setPen(_pen(INK, 1.2))
            p.setBrush(QtGui.QColor(col))
            o = 6 - 5 * k
            p.drawPolygon([P(3 + 0, 10 + o), P(12, 6 + o), P(21, 10 + o), P(12, 14 + o)])


def icon(name: str) -> QtGui.QIcon:
    """The icon of an action (Qt's standard icons for open/save/undo/redo)."""
    if name in _STANDARD:
        style = QtWidgets.QApplication.style()
        return style.standardIcon(getattr(QtWidgets.QStyle.StandardPixmap, _STANDARD[name]))
    ic = QtGui.QIcon()
    for size in (16, 24, 32):
        pm = QtGui.QPixmap(size, size)
        pm.fill(QtCore.Qt.GlobalColor.transparent)
        p = QtGui.QPainter(pm)
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        p.scale(size / 24.0, size / 24.0)
        _draw(name, p)
        p.end()
        ic.addPixmap(pm)
    return ic


def tooltip_with_shortcut(action: QtGui.QAction) -> str:
    """ "Pan (P)": the action's text without its mnemonic, and its shortcut if it has one."""
    text = action.text().replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").rstrip(".")
    keys = action.shortcut().toString(QtGui.QKeySequence.SequenceFormat.NativeText)
    return f"{text} ({keys})" if keys else text
