"""Cells written to spreadsheets (CSV, XLSX) from project text: never run as formulas.

A station named ``=HYPERLINK("http://x","y")`` or a zone named ``=1+1`` must come out of
``report.xlsx``, ``staff --csv`` and the route sheets as the text the planner typed, not as a
live formula (OWASP "CSV injection"). CSV writers pass text through :func:`safe_text`
(a leading single quote); the XLSX writer stores such cells as strings
(``heatgis.export.xlsx``). Numbers stay numbers.
"""

from __future__ import annotations

#: first characters that make a spreadsheet read a cell as a formula (OWASP CSV injection)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value):
    """``value`` made safe for a CSV cell: text that a spreadsheet would run as a formula
    (it begins with = + - @, a tab or a carriage return) gets a leading single quote, as
    OWASP recommends. Numbers (a negative number too) and other values are returned as
    they are."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


_SEP = "\x00"  # never inside project text (GDAL ends strings at it); checked below anyway


def safe_frame(frame):
    """A copy of ``frame`` whose text cells pass through :func:`safe_text` (for ``to_csv``).

    A column of text is first searched whole (its values joined once, each formula start
    looked for after a separator: C loops, no Python step per cell); only a column where
    one is found, or that holds other values than text, is mapped cell by cell.
    """
    import pandas as pd

    out = frame.copy()
    for c in out.columns:
        col = out[c]
        if col.dtype == object or isinstance(col.dtype, pd.StringDtype):
            if not _may_hold_formulas(col):
                continue
            out[c] = col.map(safe_text)
    return out


def _may_hold_formulas(col) -> bool:
    """False when every present value of ``col`` is text none of which starts a formula."""
    import pandas as pd

    if pd.api.types.infer_dtype(col, skipna=True) not in ("string", "empty"):
        return True  # numbers or lists among the values: cell by cell
    texts = col.dropna().tolist()
    if not texts:
        return False
    joined = _SEP + _SEP.join(texts)
    if joined.count(_SEP) != len(texts):
        return True  # the separator inside a value: cell by cell
    return any(_SEP + ch in joined for ch in FORMULA_START)
