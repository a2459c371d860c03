"""The CJK font for labels and legends (Chinese must render as Chinese, on Windows and Linux)."""

from __future__ import annotations

from functools import lru_cache

from PySide6 import QtGui

CJK_FAMILIES = (
    "Microsoft YaHei",
    "Microsoft YaHei UI",
    "SimHei",
    "WenQuanYi Micro Hei",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "PingFang SC",
    "Heiti SC",
)


@lru_cache(maxsize=1)
def cjk_family() -> str:
    """The first installed family of ``CJK_FAMILIES`` (needs a QGuiApplication)."""
    available = set(QtGui.QFontDatabase.families())
    for fam in CJK_FAMILIES:
        if fam in available:
            return fam
    return QtGui.QFont().family()


def cjk_font(point_size: float = 9.0, bold: bool = False) -> QtGui.QFont:
    font = QtGui.QFont(cjk_family())
    font.setPointSizeF(point_size)
    font.setBold(bold)
    return font
