"""JSON and CSV of large tables, written column by column in one pass.

JSON
----

``json.dumps(doc)`` of a result whose tables are lists of row dicts (``_records``) builds a
dict per row and encodes it key by key: at province scale (200,000 locked sites) that is
most of ``heatgis impact --json``'s time and memory. Here each table stays a DataFrame:
the small rest of the document goes through ``json.dumps`` with a placeholder per table,
and each table is encoded a column at a time (numbers by one ``json.dumps`` of the column,
text by the C string encoder), its rows put together with one ``%`` template, and
written in chunks. The text is the same, byte for byte, as
``json.dumps(doc, ensure_ascii=False, separators=(",", ":"), default=json_default)``
of the same document with its tables as row dicts.

CSV
---
``DataFrame.to_csv`` formats and checks every cell in Python-level steps and, for
``utf-8-sig``, encodes each row through the Python-level codec. :func:`write_csv` formats
a column at a time and hands the rows to the same C ``csv`` writer with the same dialect:
the same bytes (numbers as pandas writes them, missing as empty cells).
"""

from __future__ import annotations

import csv
import json
from itertools import chain, repeat

import numpy as np
import pandas as pd

from heatgis.analysis.impact import _json_column, json_default

#: rows encoded and written at a time (bounds the memory of the encoded text)
CHUNK = 10_000

_SEPARATORS = (",", ":")
_encode_text = json.encoder.encode_basestring  # the C encoder (ensure_ascii=False), like json.dumps


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=_SEPARATORS, default=json_default)


def write_json(doc_of, out) -> None:
    """Write the document ``doc_of(records)`` compactly to the text stream ``out``.

    Parameters
    ----------
    doc_of : callable
        ``doc_of(records)`` returns the document, with ``records(frame)`` standing for each
        table (as ``ImpactResult.to_dict(records=...)`` does).
    out : text stream
    """
    tables: dict[str, pd.DataFrame] = {}

    def placeholder(frame):
        key = f"\x00table {len(tables)}\x00"
        tables[key] = frame
        return key

    head = _dumps(doc_of(placeholder))
    marks = {_dumps(key): frame for key, frame in tables.items()}
    if any(head.count(m) != 1 for m in marks) or any(frame.columns.duplicated().any() for frame in marks.values()):
        # a placeholder's text inside the data itself, or a table with a column twice: rows as dicts
        from heatgis.analysis.impact import _records

        out.write(_dumps(doc_of(_records)))
        return
    rest = head
    for mark, frame in marks.items():
        before, rest = rest.split(mark, 1)
        out.write(before)
        write_table(frame, out)
    out.write(rest)


def write_table(frame: pd.DataFrame, out) -> None:
    """The rows of ``frame`` as a JSON array of objects (as ``_records`` then ``json.dumps``)."""
    n = len(frame)
    if n == 0 or len(frame.columns) == 0:  # no rows; no columns: no rows either, as ``_records`` has it
        out.write("[]")
        return
    keys = [_encode_text(str(c)) for c in frame.columns]
    heads = ["{" + keys[0] + ":"] + ["," + k + ":" for k in keys[1:]]  # what comes before each value
    out.write("[")
    for lo in range(0, n, CHUNK):
        part = frame.iloc[lo : lo + CHUNK]
        pieces: list = []
        for head, c in zip(heads, part.columns):
            pieces += [repeat(head), column_json(part[c])]
        pieces.append(repeat("},"))  # the rows' texts one after the other, joined once
        text = "".join(chain.from_iterable(zip(*pieces)))
        out.write(text[:-1] if lo + CHUNK >= n else text)
    out.write("]")


def column_json(col: pd.Series) -> list[str]:
    """Each value of ``col`` as JSON text, as ``json.dumps`` writes the value ``_records`` makes of it."""
    values = _json_column(col)
    if col.dtype.kind in "biuf":  # numbers (and null, true, false): no comma inside one
        return _dumps(values)[1:-1].split(",")
    try:
        return list(map(_encode_text, values))  # text only
    except TypeError:
        pass
    if values and type(values[0]) is list and set(map(type, values)) == {list}:  # lists (a site's zone ids)
        return _lists_json(values)
    present = [v for v in values if v is not None]
    try:
        encoded = iter(list(map(_encode_text, present)))  # text and missing values
    except TypeError:
        return [_dumps(v) for v in values]  # anything else: value by value
    return [next(encoded) if v is not None else "null" for v in values]


def _lists_json(values: list[list]) -> list[str]:
    """Lists as JSON arrays: all encoded at once (one ``json.dumps`` of the list of lists) and cut
    where one list ends and the next begins, when no ``],[`` is found elsewhere (a nested list);
    else text items by the C string encoder, anything else value by value."""
    text = _dumps(values)
    if text.count("],[") == len(values) - 1:  # each cut is between two lists
        return list(map("[%s]".__mod__, text[2:-2].split("],[")))
    flat = list(chain.from_iterable(values))
    try:
        items = list(map(_encode_text, flat))
    except TypeError:
        return [_dumps(v) for v in values]
    bounds = np.concatenate([[0], np.cumsum([len(v) for v in values])]).tolist()
    groups = map(items.__getitem__, map(slice, bounds[:-1], bounds[1:]))
    return list(map("[%s]".__mod__, map(",".join, groups)))


def write_csv(frame: pd.DataFrame, path) -> None:
    """``frame.to_csv(path, index=False, encoding="utf-8-sig")``, the same bytes, faster.

    Columns of another kind than numbers, booleans and text (dates, nullable integers ...)
    are left to pandas.

    Raises
    ------
    OSError
        The file cannot be written.
    """
    columns = [frame[c] for c in frame.columns]
    if not all(_csv_kind(c) for c in columns) or frame.columns.duplicated().any():
        frame.to_csv(path, index=False, encoding="utf-8-sig")
        return
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("\ufeff")  # the BOM utf-8-sig writes, then the C UTF-8 encoder
        writer = csv.writer(fh, lineterminator="\n")  # pandas' dialect: excel, "\n"
        writer.writerow(list(frame.columns))
        numbers = [isinstance(c.dtype, np.dtype) and c.dtype.kind in "iuf" for c in columns]
        for lo in range(0, len(frame), CHUNK):
            part = frame.iloc[lo : lo + CHUNK]
            cells = [_csv_column(part[c]) for c in part.columns]
            lines = _plain_lines(cells, numbers)
            if lines is None:
                writer.writerows(zip(*cells))
            else:
                fh.write(lines)


def _plain_lines(cells: list[list], numbers: list[bool]) -> str | None:
    """The rows of ``cells`` (columns) as the ``csv`` writer writes them, when none needs quoting.

    The writer's text of a cell is its ``str()``; it quotes a cell holding the delimiter, the
    quote character or a line break, and a row of one empty cell. Here the rows are joined in C
    (``str.join``; ``str()`` only for the columns of ``numbers`` and, should a row hold anything
    else than text, for every cell) and the result counted: as many commas and line ends as the
    joins put there, and no quote or carriage return, means no cell needed quoting. Else None:
    the writer does it.
    """
    if len(cells) < 2 or not cells[0]:
        return None
    n = len(cells[0])
    columns = [list(map(str, c)) if number else c for c, number in zip(cells, numbers)]
    try:
        text = "\n".join(map(",".join, zip(*columns))) + "\n"
    except TypeError:  # a cell that is not text (a boolean, a number in an object column)
        text = "\n".join(map(",".join, zip(*(list(map(str, c)) for c in cells)))) + "\n"
    if '"' in text or "\r" in text or text.count(",") != n * (len(cells) - 1) or text.count("\n") != n:
        return None
    return text


def _csv_kind(col: pd.Series) -> bool:
    dtype = col.dtype
    return isinstance(dtype, pd.StringDtype) or (isinstance(dtype, np.dtype) and dtype.kind in "biufO")


def _csv_column(col: pd.Series) -> list:
    """The cells of ``col`` as ``to_csv`` hands them to the writer (pandas' ``get_values_for_csv``)."""
    kind = col.dtype.kind if isinstance(col.dtype, np.dtype) else "O"
    if kind in "iuf":  # numbers: the writer's str()/repr() is numpy's text of them (pandas' way); NaN: empty
        values = col.to_numpy()
        cells = values.tolist()
        if kind == "f":
            for i in np.flatnonzero(np.isnan(values)).tolist():
                cells[i] = ""
        return cells
    # text, booleans, other objects: str() by the writer; missing (None, NaN, NA): empty
    return col.to_numpy(dtype=object, na_value="").tolist()
