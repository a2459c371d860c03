"""Measuring in metres of the project CRS, and bookmarks kept in the project file (undoable)."""

from __future__ import annotations

import json

import pytest

from heatgis.analysis.measure import fmt_area, fmt_length, measure_text, path_length, polygon_area
from heatgis.errors import HeatGISError
from heatgis.model.bookmarks import SetBookmarks, bookmarks, with_bookmark, without_bookmark
from heatgis.model.commands import UndoStack


def test_lengths_and_areas():
    sq = [(500000, 4520000), (500300, 4520000), (500300, 4520400), (500000, 4520400)]
    assert path_length(sq[:2]) == pytest.approx(300)
    assert path_length(sq) == pytest.approx(1000)
    assert polygon_area(sq) == pytest.approx(120_000)
    assert polygon_area(sq[::-1]) == pytest.approx(120_000)
    assert polygon_area(sq[:2]) == 0
    assert fmt_length(86.24, "en") == "86.2 m" and fmt_length(1234.5, "en") == "1.23 km"
    assert fmt_area(120_000, "en") == "12.00 ha" and fmt_area(2.5e6, "zh") == "2.500 平方公里"
    assert measure_text(sq, "en") == "Distance 1.00 km  Area 12.00 ha (perimeter 1.40 km)"
    assert measure_text(sq[:2], "zh") == "距离 300.0 米"


def test_bookmarks_are_undoable_and_saved(tiny_project, tmp_path):
    from heatgis.model.store import open_project, save_project

    p = tiny_project
    assert bookmarks(p) == []
    stack = UndoStack(p)
    items = with_bookmark(bookmarks(p), "新城区 北部", (500000, 4520000, 501000, 4520600))
    stack.push(SetBookmarks(items))
    assert bookmarks(p) == [{"name": "新城区 北部", "extent": [500000.0, 4520000.0, 501000.0, 4520600.0]}]
    stack.push(SetBookmarks(with_bookmark(bookmarks(p), "B", (0, 0, 10, 10))))
    assert [b["name"] for b in bookmarks(p)] == ["新城区 北部", "B"]
    stack.undo()
    assert [b["name"] for b in bookmarks(p)] == ["新城区 北部"]
    path = save_project(p, tmp_path / "b.gpkg")
    again = open_project(path)
    assert bookmarks(again) == bookmarks(p)
    assert json.loads(again.meta["bookmarks"])[0]["name"] == "新城区 北部"
    stack.push(SetBookmarks(without_bookmark(bookmarks(p), "新城区 北部")))
    assert bookmarks(p) == [] and "bookmarks" not in p.meta
    stack.undo()
    assert len(bookmarks(p)) == 1


def test_bad_bookmarks():
    with pytest.raises(HeatGISError):
        with_bookmark([], " ", (0, 0, 1, 1))
    with pytest.raises(HeatGISError):
        with_bookmark([], "x", (0, 0, 0, 1))

    class P:
        meta = {"bookmarks": "not json"}

    assert bookmarks(P()) == []
    P.meta = {"bookmarks": json.dumps([{"name": "ok", "extent": [0, 0, 1, 1]}, {"name": "bad"}])}
    assert [b["name"] for b in bookmarks(P())] == ["ok"]
