"""``heatgis routes`` end to end on a real GeoPackage (the grid city saved with the project store)."""

from __future__ import annotations

import argparse
import json

import geopandas as gpd
import pytest

from heatgis.cli.routes import add_parser
from heatgis.errors import HeatGISError
from heatgis.model.store import save_project
from tests.core.test_routing_city import grid_city


def run(argv):
    p = argparse.ArgumentParser(prog="heatgis")
    add_parser(p.add_subparsers(dest="command"))
    args = p.parse_args(argv)
    return args.func(args)


@pytest.fixture(scope="module")
def gpkg(tmp_path_factory):
    path = tmp_path_factory.mktemp("routes") / "grid.gpkg"
    save_project(grid_city(), path)
    return path


def test_routes_json_geojson_sheets(gpkg, tmp_path, capsys):
    out = tmp_path / "r.geojson"
    assert (
        run(
            [
                "routes",
                str(gpkg),
                "--duty",
                "locked",
                "--time-limit",
                "0.3",
                "--json",
                "--geojson",
                str(out),
                "--sheets",
                str(tmp_path / "sheets"),
            ]
        )
        == 0
    )
    doc = json.loads(capsys.readouterr().out)
    assert doc["shift"] == "day" and doc["closed_zones"] == ["Z1"]
    served = [s["site_id"] for c in doc["crews"] for s in c["stops"]]
    assert sorted(served) == ["B1", "S1"]  # the two sites locked in Z1
    assert len(gpd.read_file(out)) >= 3
    assert len(list((tmp_path / "sheets").glob("route_*.csv"))) == 2


def test_routes_of_the_demo_locked_sites_are_pyvrp(capsys):
    """The frozen app's smoke test (``scripts/build_app.py``) reads this: a visit list PyVRP can
    express (no relief trips, skills or urgency) is PyVRP's, and every locked site is served."""
    from heatgis.paths import DEMO_PATH

    argv = ["routes", str(DEMO_PATH), "--at", "2022-02-25 08:00", "--duty", "locked", "--time-limit", "1", "--json"]
    assert run(argv) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["stats"]["solver"] == "pyvrp"
    assert doc["totals"]["visits"] == 27 and doc["dropped"] == []


def test_routes_text_and_night(gpkg, capsys):
    assert (
        run(
            [
                "routes",
                str(gpkg),
                "--duty",
                "locked",
                "--shift",
                "night",
                "--time-limit",
                "0.2",
                "--at",
                "2022-02-25T21:00",
            ]
        )
        == 0
    )
    text = capsys.readouterr().out
    assert "night shift 2022-02-25 20:00" in text and "C3" in text and "C1 " not in text


def test_routes_errors(gpkg, tmp_path):
    with pytest.raises(HeatGISError, match="does not exist"):
        run(["routes", str(tmp_path / "missing.gpkg")])
    with pytest.raises(HeatGISError, match="time-limit"):
        run(["routes", str(gpkg), "--time-limit", "0"])
    with pytest.raises(HeatGISError, match="not a time"):
        run(["routes", str(gpkg), "--at", "tomorrow-ish"])


@pytest.mark.qt
def test_routes_sheets_pdf(gpkg, tmp_path, capsys):
    import shutil
    import subprocess

    if shutil.which("pdfinfo") is None:
        pytest.skip("poppler-utils not installed")
    out = tmp_path / "sheets.pdf"
    assert (
        run(["routes", str(gpkg), "--duty", "locked", "--time-limit", "0.3", "--json", "--sheets-pdf", str(out)]) == 0
    )
    doc = json.loads(capsys.readouterr().out)
    working = [c for c in doc["crews"] if c["stops"]]
    assert working
    info = subprocess.run(["pdfinfo", str(out)], check=True, capture_output=True, text=True).stdout
    assert f"Pages:           {len(working)}\n" in info and "595 x 842 pts (A4)" in info
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], check=True, capture_output=True, text=True).stdout
    for c in working:
        assert c["name"] in text
        for s in c["stops"]:
            assert s["site_id"] in text and s["eta"][11:16] in text
    # the text output says where the sheets went; English labels on request
    out_en = tmp_path / "en.pdf"
    assert (
        run(
            [
                "routes",
                str(gpkg),
                "--duty",
                "locked",
                "--time-limit",
                "0.2",
                "--sheets-pdf",
                str(out_en),
                "--lang",
                "en",
            ]
        )
        == 0
    )
    assert f"route sheets (PDF) written to {out_en}" in capsys.readouterr().out
    text = subprocess.run(["pdftotext", str(out_en), "-"], check=True, capture_output=True, text=True).stdout
    assert "site id" in text and "back at depot" in text


@pytest.mark.qt
def test_routes_sheets_pdf_errors(gpkg, tmp_path):
    bad = tmp_path / "missing" / "sheets.pdf"
    with pytest.raises(HeatGISError, match="does not exist") as err:
        run(["routes", str(gpkg), "--sheets-pdf", str(bad)])
    assert str(bad) in str(err.value)
    with pytest.raises(HeatGISError, match="paper"):
        run(["routes", str(gpkg), "--sheets-pdf", str(tmp_path / "x.pdf"), "--paper", "B5"])
    # no zone active yet: no crew has a stop, so no sheet to print
    with pytest.raises(HeatGISError, match="no crew with a stop"):
        run(
            [
                "routes",
                str(gpkg),
                "--duty",
                "locked",
                "--time-limit",
                "0.2",
                "--at",
                "2022-02-18T09:00",
                "--sheets-pdf",
                str(tmp_path / "none.pdf"),
            ]
        )
    assert not (tmp_path / "none.pdf").exists()
