"""Project text that looks like a formula is written as text (XLSX, staffing CSV, route sheets)."""

from __future__ import annotations

import csv

import pytest

from heatgis.model.store import open_project
from tests.core.bad_projects import copy_demo, sql

LINK = '=HYPERLINK("http://x","y")'


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """The demo with a locked station named like a formula and an active zone named '=1+1'."""
    path = copy_demo(tmp_path_factory.mktemp("formula"))
    sql(
        path,
        "UPDATE stations SET name = '=HYPERLINK(\"http://x\",\"y\")' WHERE station_id = 'ST-0025'",
        "UPDATE stations SET address = '@SUM(1,2)' WHERE station_id = 'ST-0025'",
        "UPDATE lockdown_zones SET name = '=1+1' WHERE zone_id = 'Z-043'",
    )
    return open_project(path)


def test_safe_text_rule():
    from heatgis.model.cells import safe_text

    for bad in ("=1+1", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        assert safe_text(bad) == "'" + bad
    assert safe_text("维多利里换热站") == "维多利里换热站"
    assert safe_text(-5) == -5 and safe_text(-2.5) == -2.5 and safe_text(None) is None


def test_safe_frame_same_as_cell_by_cell():
    import pandas as pd

    from heatgis.model.cells import safe_frame, safe_text

    frame = pd.DataFrame(
        {
            "clean": pd.Series(["站1", None, "", "a-b"], dtype="str"),
            "risky": pd.Series(["ok", "", "=1+1", None], dtype="str"),
            "first": pd.Series(["@x", "b", "c", "d"], dtype=object),
            "mixed": pd.Series([-5, "+1", None, 2.5], dtype=object),
            "sep": pd.Series(["a\x00=b", "c", "d", "e"], dtype=object),
            "tab": pd.Series(["x", "\ty", "z", "w"], dtype="str"),
            "n": [1, 2, 3, 4],
        }
    )
    out = safe_frame(frame)
    for c in frame.columns:
        expected = frame[c].map(safe_text) if frame[c].dtype != "int64" else frame[c]
        assert [None if pd.isna(v) else v for v in out[c]] == [None if pd.isna(v) else v for v in expected], c
    assert out["risky"].tolist()[2] == "'=1+1" and out["first"].iloc[0] == "'@x" and out["mixed"].iloc[1] == "'+1"
    assert frame["risky"].iloc[2] == "=1+1"  # the input is not changed


def test_xlsx_cells_are_text_and_unchanged(project, tmp_path):
    from openpyxl import load_workbook

    from heatgis.analysis.impact import impact
    from heatgis.analysis.staffing import plan_staffing
    from heatgis.export.xlsx import write_report_xlsx

    result = impact(project)
    path = write_report_xlsx(result, tmp_path / "r.xlsx", staffing=plan_staffing(project))
    wb = load_workbook(path)
    found = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value in (LINK, "=1+1"):
                    found.setdefault(c.value, []).append((ws.title, c.data_type))
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
    assert ("锁闭站点", "s") in found[LINK] and ("人员安排", "s") in found[LINK]
    assert found["=1+1"] == [("管控区汇总", "s")]
    # numbers stay numbers
    kpi = {r[0].value: r[2] for r in wb["概况"].iter_rows(min_row=2)}
    assert kpi["影响户数"].data_type == "n" and kpi["影响户数"].value == 38500


def test_staffing_csv_quotes_formula_text(project, tmp_path):
    from heatgis.analysis.staffing import plan_staffing

    plan = plan_staffing(project)
    assert (plan.assignments["site_name"] == LINK).any()
    out = tmp_path / "plan.csv"
    plan.to_csv(out)
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    cells = [c for r in rows[1:] for c in r]
    assert "'" + LINK in cells and LINK not in cells
    assert not any(c.startswith(("=", "+", "@")) for c in cells)
    walk = rows[0].index("步行距离m walk m")
    assert all(r[walk].lstrip("-").isdigit() for r in rows[1:])  # numbers unquoted


def test_route_sheets_quote_formula_text(project, tmp_path):
    from heatgis.routing.planner import plan_routes

    plan = plan_routes(project, duty="locked", time_limit=0.3)
    files = plan.write_route_sheets(tmp_path / "sheets")
    cells = []
    for f in files:
        with open(f, encoding="utf-8-sig", newline="") as fh:
            cells += [c for r in csv.reader(fh) for c in r]
    assert "'" + LINK in cells and "'@SUM(1,2)" in cells
    assert not any(c.startswith(("=", "+", "@")) for c in cells)


def test_impact_csv_quotes_formula_text(project, tmp_path):
    from heatgis.analysis.impact import impact
    from heatgis.cli.impact import write_sites_csv

    out = tmp_path / "sites.csv"
    write_sites_csv(impact(project).sites, out)
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    cells = [c for r in rows[1:] for c in r]
    assert "'" + LINK in cells and LINK not in cells
    hh = rows[0].index("households")
    assert all(r[hh].isdigit() for r in rows[1:])
