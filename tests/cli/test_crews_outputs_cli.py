"""``heatgis crews --roster-pdf --xlsx --sheets --gantt`` in a real process on a small real GeoPackage."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from heatgis.model.store import save_project
from tests.cli.test_crews_cli import heatgis
from tests.core.test_crewops import ops_city

pytestmark = [
    pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils not installed"),
    pytest.mark.qt,
]  # the outputs draw with QtGui


@pytest.fixture(scope="module")
def gpkg(tmp_path_factory):
    path = tmp_path_factory.mktemp("crews_out") / "grid.gpkg"
    save_project(ops_city(), path)
    return path


def test_all_outputs_agree_with_the_json(gpkg, tmp_path):
    from openpyxl import load_workbook
    from PySide6 import QtGui

    files = {
        k: tmp_path / n
        for k, n in (("roster", "roster.pdf"), ("xlsx", "crews.xlsx"), ("sheets", "sheets.pdf"), ("gantt", "gantt.png"))
    }
    r = heatgis(
        "crews",
        gpkg,
        "--at",
        "2022-02-25T08:00",
        "--time-limit",
        "0.5",
        "--json",
        "--roster-pdf",
        files["roster"],
        "--xlsx",
        files["xlsx"],
        "--sheets",
        files["sheets"],
        "--gantt",
        files["gantt"],
    )
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    roster = subprocess.run(
        ["pdftotext", "-layout", str(files["roster"]), "-"], capture_output=True, text=True, check=True
    ).stdout
    for row in d["roster"]:
        assert row["staff_id"] in roster and row["name"] in roster and row["site_id"] in roster
    wb = load_workbook(files["xlsx"])
    assert wb["值班表"].max_row - 1 == len(d["roster"])
    working = [v for v in d["routes"] if v["stops"]]
    info = subprocess.run(["pdfinfo", str(files["sheets"])], capture_output=True, text=True, check=True).stdout
    assert f"Pages:           {len(working)}" in info
    img = QtGui.QImage(str(files["gantt"]))
    assert img.width() == 1800 and img.height() > 300


def test_unwritable_output_fails_before_planning(gpkg, tmp_path):
    bad = tmp_path / "missing" / "roster.pdf"
    r = heatgis("crews", gpkg, "--time-limit", "0.5", "--roster-pdf", bad, "--xlsx", tmp_path / "x.xlsx")
    assert r.returncode != 0 and "Traceback" not in r.stderr
    assert "missing" in r.stderr
    assert not (tmp_path / "x.xlsx").exists()
