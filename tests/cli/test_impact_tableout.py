"""The column-by-column JSON writer writes the very text ``json.dumps`` makes of the rows as dicts."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd

from heatgis.analysis.impact import _records, json_default
from heatgis.cli import tableout


def _expected(doc) -> str:
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"), default=json_default)


def _written(doc_of) -> str:
    out = io.StringIO()
    tableout.write_json(doc_of, out)
    return out.getvalue()


def _awkward() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["ST-1", 'a "quoted" \\ name', "\x00table 0\x00", "站 名\u3000", "tab\tnew\nline"],
            "maybe": ["x", None, "y", None, "%s %d"],
            "nothing": [None] * 5,
            "text": pd.Series(["a", None, "c", "d", "e"], dtype="str"),
            "area": [1.0, 2.5, np.nan, 1e15, 2.5e9],
            "tiny": [0.123456, -0.004, 1e-7, 2.0000001, -3.0],
            "n": np.array([1, 2, 3, -4, 2**40], dtype=np.int64),
            "hh": pd.array([1, None, 3, 4, 5], dtype="Int64"),
            "locked": [True, False, True, False, True],
            "zone_ids": [["Z-1"], [], ["Z-1", "Z-2"], ['q"uote'], ["站"]],
            "mixed": [np.int64(3), np.float64(2.5), "t", None, np.bool_(True)],
            "50% off": [1, 2, 3, 4, 5],
            "lists": [["a"], ["],[", "b"], [], [1.0, None, 2.5], ["x"]],  # a cut's text inside a value
            "nested": [[["a"], ["b"]], [], [np.int64(1)], [{"k": [1]}], ["y"]],
        }
    )


def test_tables_and_document_are_written_as_json_dumps_writes_them(monkeypatch):
    frame = _awkward()
    monkeypatch.setattr(tableout, "CHUNK", 2)  # rows in several chunks

    def doc_of(records):
        return {
            "head": {"a": 1, "b": [1.5, None]},
            "sites": records(frame),
            "empty": records(frame.iloc[:0]),
            "no_columns": records(pd.DataFrame(index=range(3))),
            "text": "\x00table 9\x00",
            "tail": "end",
        }

    text = _written(doc_of)
    assert text == _expected(doc_of(_records))
    assert json.loads(text)["sites"][1]["id"] == 'a "quoted" \\ name'


def test_a_placeholder_inside_the_data_falls_back_to_rows_as_dicts():
    frame = pd.DataFrame({"id": ["a"]})

    def doc_of(records):
        return {"note": "\x00table 0\x00", "sites": records(frame)}

    assert _written(doc_of) == _expected(doc_of(_records))


def test_each_column_alone():
    frame = _awkward()
    for c in frame.columns:
        assert tableout.column_json(frame[c]) == [_expected(r[str(c)]) for r in _records(frame[[c]])], c


def test_csv_is_the_bytes_pandas_writes(tmp_path, monkeypatch):
    frame = _awkward().drop(columns=["hh"])  # (a nullable integer column is left to pandas: below)
    frame["flag"] = np.array([True, False, True, True, False])
    frame["neg"] = [-0.0, 1e-5, 123456789012345678.0, 0.1 + 0.2, 5e-324]
    frame["quote"] = ["a,b", 'say "hi"', "two\nlines", "", " "]
    plain = pd.DataFrame(  # no cell to quote: the rows are joined without the csv writer
        {
            "id": ["ST-1", "站 名\u3000", " ", "", "'=1+1"],
            "none": [None, "x", None, None, None],
            "area": [1.0, 2.5, np.nan, 1e15, -0.0],
            "n": np.array([1, 2, 3, -4, 2**40], dtype=np.int64),
            "flag": [True, False, True, True, False],
            "mixed": [np.int64(3), np.float64(2.5), "t", None, np.bool_(True)],
        }
    )
    one = pd.DataFrame({"only": ["a", "", None, "b", "c"]})  # a row of one empty cell: ""
    monkeypatch.setattr(tableout, "CHUNK", 2)
    frames = (frame, frame.iloc[:0], _awkward(), plain, plain.iloc[:, :2], one, plain[["id", "none"]].fillna(""))
    for f in (*frames, frame.iloc[[0, 1]]):
        tableout.write_csv(f, tmp_path / "ours.csv")
        f.to_csv(tmp_path / "pandas.csv", index=False, encoding="utf-8-sig")
        assert (tmp_path / "ours.csv").read_bytes() == (tmp_path / "pandas.csv").read_bytes()


def test_csv_rows_without_a_cell_to_quote_are_joined_and_the_others_left_to_the_writer():
    cells = [["a", "站"], [1.5, 2.0], ["", "x"]]
    assert tableout._plain_lines(cells, [False, True, False]) == "a,1.5,\n站,2.0,x\n"
    for awkward in ("a,b", 'say "hi"', "two\nlines", "cr\r"):
        assert tableout._plain_lines([["a", awkward], ["b", "c"]], [False, False]) is None
    assert tableout._plain_lines([["", "a"]], [False]) is None  # one column: a row of one empty cell is quoted


def test_json_numbers_too_large_for_an_integer_and_not_finite():
    """A whole number beyond 2**53 stays a float (int64 would overflow and print garbage);
    NaN and infinity are null (JSON has neither)."""
    import numpy as np
    import pandas as pd

    from heatgis.analysis.impact import _json_column

    got = _json_column(pd.Series([1.0, 2.5, np.nan, 1e20, -3.0, np.inf, -np.inf, 12345.678]))
    assert got == [1, 2.5, None, 1e20, -3, None, None, 12345.68]
    assert [type(v) for v in got[:5]] == [int, float, type(None), float, int]
