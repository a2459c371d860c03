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


#: lockdown zone levels, as stored in a project
ZONE_LEVELS = ("sealed", "controlled", "precaution")
#: the words planners write for the zone levels (Chinese notices and spreadsheets), onto the stored levels
ZONE_LEVEL_WORDS = {"封控区": "sealed", "封控": "sealed", "管控区": "controlled", "管控": "controlled",
                    "防范区": "precaution", "防范": "precaution"}


def zone_level(text) -> str | None:
    """The stored level for ``text`` (``sealed``/``controlled``/``precaution`` in any case, or
    封控区/管控区/防范区, also 封控/管控/防范); None when it is not a level.

    The one place zone levels are read: the importer's mapping, zone files, notices, ``--level``
    and ``--zones`` all go through it.
    """
    if text is None:
        return None
    t = str(text).strip()
    low = t.lower()
    if low in ZONE_LEVELS:
        return low
    return ZONE_LEVEL_WORDS.get(t)


def level_arg(text: str) -> str:
    """``argparse`` type of a ``--level`` option: any spelling :func:`zone_level` reads."""
    import argparse

    level = zone_level(text)
    if level is None:
        raise argparse.ArgumentTypeError(f"'{text}' is not a zone level (sealed/controlled/precaution, "
                                         "封控区/管控区/防范区)")
    return level
