"""``heatgis routes`` end to end on a real GeoPackage (the grid city saved with the project store)."""
from __future__ import annotations

import argparse
import json

import geopandas as gpd
import pytest

from heatgis.cli_routes import add_parser
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
    assert run(["routes", str(gpkg), "--duty", "locked", "--time-limit", "0.3", "--json",
                "--geojson", str(out), "--sheets", str(tmp_path / "sheets")]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["shift"] == "day" and doc["closed_zones"] == ["Z1"]
    served = [s["site_id"] for c in doc["crews"] for s in c["stops"]]
    assert sorted(served) == ["B1", "S1"]  # the two sites locked in Z1
    assert len(gpd.read_file(out)) >= 3
    assert len(list((tmp_path / "sheets").glob("route_*.csv"))) == 2


def test_routes_text_and_night(gpkg, capsys):
    assert run(["routes", str(gpkg), "--duty", "locked", "--shift", "night", "--time-limit", "0.2",
                "--at", "2022-02-25T21:00"]) == 0
    text = capsys.readouterr().out
    assert "night shift 2022-02-25 20:00" in text and "C3" in text and "C1 " not in text


def test_routes_errors(gpkg, tmp_path):
    with pytest.raises(HeatGISError, match="does not exist"):
        run(["routes", str(tmp_path / "missing.gpkg")])
    with pytest.raises(HeatGISError, match="time-limit"):
        run(["routes", str(gpkg), "--time-limit", "0"])
    with pytest.raises(HeatGISError, match="not a time"):
        run(["routes", str(gpkg), "--at", "tomorrow-ish"])
