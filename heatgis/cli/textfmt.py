"""Plain-text tables and figures for the terminal, aware of wide (CJK) characters."""
from __future__ import annotations

from heatgis.model.vocab import area, households, width  # noqa: F401  (re-exported)


def pad(text, n: int, right: bool = False) -> str:
    text = str(text)
    fill = " " * max(0, n - width(text))
    return fill + text if right else text + fill


def table(headers: list[str], rows: list[list], numeric: set[int] | None = None) -> str:
    """A simple aligned table; columns in ``numeric`` are right-aligned.

    Display widths are measured once per cell (ASCII cells by their length), column by column.
    """
    numeric = numeric or set()
    cols = list(zip(*[[str(c) for c in r] for r in rows])) if rows else [() for _ in headers]
    cell_w = [[width(c) for c in col] for col in cols]
    widths = [max([width(h)] + w) for h, w in zip(headers, cell_w)]

    def fit(text, w, i):
        fill = " " * (widths[i] - w)
        return fill + text if i in numeric else text + fill

    out = ["  ".join(fit(h, width(h), i) for i, h in enumerate(headers)).rstrip(),
           "  ".join("-" * w for w in widths)]
    padded = [[fit(c, w, i) for c, w in zip(col, cw)] for i, (col, cw) in enumerate(zip(cols, cell_w))]
    out += ["  ".join(r).rstrip() for r in zip(*padded)]
    return "\n".join(out)


def progress_line(fraction: float, message: str) -> None:
    """A one-line progress display on stderr for long batch commands."""
    import sys

    print(f"\r[{fraction * 100:3.0f}%] {message[:70]:<70}", end="", file=sys.stderr, flush=True)
    if fraction >= 1:
        print(file=sys.stderr)
