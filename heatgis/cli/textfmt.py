"""Plain-text tables and figures for the terminal, aware of wide (CJK) characters."""
from __future__ import annotations

from heatgis.model.vocab import area, households, width  # noqa: F401  (re-exported)


def pad(text, n: int, right: bool = False) -> str:
    text = str(text)
    fill = " " * max(0, n - width(text))
    return fill + text if right else text + fill


def table(headers: list[str], rows: list[list], numeric: set[int] | None = None) -> str:
    """A simple aligned table; columns in ``numeric`` are right-aligned."""
    numeric = numeric or set()
    cells = [[str(c) for c in r] for r in rows]
    widths = [max([width(h)] + [width(r[i]) for r in cells]) for i, h in enumerate(headers)]
    line = "  ".join(pad(h, widths[i], i in numeric) for i, h in enumerate(headers))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(pad(c, widths[i], i in numeric) for i, c in enumerate(r)) for r in cells]
    return "\n".join(out)


def progress_line(fraction: float, message: str) -> None:
    """A one-line progress display on stderr for long batch commands."""
    import sys

    print(f"\r[{fraction * 100:3.0f}%] {message[:70]:<70}", end="", file=sys.stderr, flush=True)
    if fraction >= 1:
        print(file=sys.stderr)
