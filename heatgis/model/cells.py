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


def safe_frame(frame):
    """A copy of ``frame`` whose text cells pass through :func:`safe_text` (for ``to_csv``)."""
    import pandas as pd

    out = frame.copy()
    for c in out.columns:
        if out[c].dtype == object or isinstance(out[c].dtype, pd.StringDtype):
            out[c] = out[c].map(safe_text)
    return out
