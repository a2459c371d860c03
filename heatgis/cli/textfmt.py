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

    out = ["  ".join(fit(h, width(h), i) for i, h in enumerate(headers)).rstrip(), "  ".join("-" * w for w in widths)]
    padded = [[fit(c, w, i) for c, w in zip(col, cw)] for i, (col, cw) in enumerate(zip(cols, cell_w))]
    out += ["  ".join(r).rstrip() for r in zip(*padded)]
    return "\n".join(out)


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 page``, ``2 pages`` (``many`` for irregular plurals)."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def progress_line(fraction: float, message: str) -> None:
    """Progress of a long batch command on stderr: one line rewritten in place (``\\r``) on a
    terminal; plain lines otherwise (a log or a pipe), only when the percentage or message changes."""
    import sys

    global _open_line
    stream = sys.stderr
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    if tty:
        print(f"\r[{fraction * 100:3.0f}%] {message[:70]:<70}", end="", file=stream, flush=True)
        _open_line = fraction < 1
        if fraction >= 1:
            print(file=stream)
        return
    line = f"[{fraction * 100:3.0f}%] {message}"
    if line != _last_plain[0]:
        _last_plain[0] = line
        print(line, file=stream, flush=True)


_last_plain = [""]
_open_line = False


def end_progress_line() -> None:
    """End a progress line left open by work that stopped early (an error follows on its own line)."""
    import sys

    global _open_line
    if _open_line:
        print(file=sys.stderr)
        _open_line = False


def progress_feedback():
    """A ``heatgis.errors.Feedback`` that draws its progress on the terminal's progress line."""
    from heatgis.errors import Feedback
    from heatgis.text import localize

    return Feedback(lambda percent, message: progress_line(percent / 100.0, localize(message)))
