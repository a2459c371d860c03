"""The vocabulary shown to planners, defined once: units and their formatting, text width.

Used by the terminal, the PDF, the slides and the spreadsheet alike, so a figure reads the
same everywhere (``area_wan(5_159_000)`` is ``"515.90"`` in every output).
"""
from __future__ import annotations

import unicodedata

#: 1 万 (wan) = 10,000: heated areas are reported in 万㎡, households in 万户
WAN = 1e4


def width(text) -> int:
    """Display width of ``text`` in a fixed-width terminal or cell (CJK characters count 2)."""
    text = str(text)
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def area_wan(m2: float) -> str:
    """Square metres as 万㎡ with two decimals: 5159000 -> '515.90'."""
    return f"{m2 / WAN:,.2f}"


def area(m2: float) -> str:
    """5159000 -> '5,159,000 m² (515.90 万㎡)'."""
    return f"{m2:,.0f} m² ({area_wan(m2)} 万㎡)"


def households(n: int) -> str:
    """38500 -> '38,500 (3.85 万户)'."""
    return f"{n:,} ({n / WAN:,.2f} 万户)"
