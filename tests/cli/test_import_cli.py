"""`heatgis import` and `heatgis zones-from-notice` as a planner runs them (through cli_io's parsers)."""

from __future__ import annotations

import argparse
import json
import shutil

import pandas as pd
import pytest

from heatgis.cli.importing import add_parser
from heatgis.errors import HeatGISError
from heatgis.model.store import open_project, save_project
from tests.core import io_fixtures as F
from tests.core.conftest import tiny_project  # noqa: F401  (fixture)


def run(argv, capsys):
    p = argparse.ArgumentParser(prog="heatgis")
    add_parser(p.add_subparsers(dest="command"))
    args = p.parse_args([str(a) for a in argv])
    code = args.func(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_import_gcj02_csv_saves_atomically_and_writes_mapping(tiny_project, tmp_path, capsys):
    proj = save_project(tiny_project, tmp_path / "p.gpkg")
    csv = F.gcj_csv(tmp_path)
    m = tmp_path / "m.json"
    code, out, _ = run(
        ["import", proj, csv, "--layer", "stations", "--from-crs", "gcj02", "--save-mapping", m, "--replace"], capsys
    )
    assert code == 0
    assert "converted: GCJ-02 → WGS84; EPSG:4326 → EPSG:4546" in out
    assert "heated_area_m2 ← 供热面积(万㎡) × 10000" in out
    assert not [f for f in tmp_path.iterdir() if f.name.startswith((".", "p.gpkg-")) or f.suffix == ".bak"]
    p = open_project(proj)
    assert p.layer("stations")["name"].tolist() == F.STATION_NAMES
    assert p.layer("lockdown_zones")["zone_id"].tolist() == ["Z1", "Z2", "Z3", "Z4"]  # other layers kept
    saved = json.loads(m.read_text(encoding="utf-8"))
    assert saved["from_crs"] == "gcj02" and saved["x"] == "经度"
    # the saved mapping alone reproduces the import (from_crs included)
    code, out, _ = run(["import", proj, csv, "--layer", "stations", "--mapping", m, "--dry-run"], capsys)
    assert "GCJ-02 → WGS84" in out and "dry run" in out


def test_import_bad_file_leaves_project(tiny_project, tmp_path, capsys):
    proj = save_project(tiny_project, tmp_path / "p.gpkg")
    before = proj.read_bytes()
    bad = tmp_path / "cut.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", "geom', encoding="utf-8")
    with pytest.raises(HeatGISError, match="cut.geojson"):
        run(["import", proj, bad, "--layer", "stations", "--replace"], capsys)
    assert proj.read_bytes() == before


def test_import_through_heatgis_main(tiny_project, tmp_path, capsys):
    from heatgis.cli import main

    proj = save_project(tiny_project, tmp_path / "p.gpkg")
    assert main(["import", str(proj), str(F.wan_xlsx(tmp_path)), "--layer", "stations"]) == 2  # has rows
    assert "--append" in capsys.readouterr().err
    assert main(["import", str(proj), str(F.wan_xlsx(tmp_path)), "--layer", "stations", "--replace"]) == 0
    (tmp_path / "e.csv").write_bytes(b"")
    assert main(["import", str(proj), str(tmp_path / "e.csv"), "--layer", "stations", "--append"]) == 2
    assert "the file is empty" in capsys.readouterr().err


def test_zones_from_notice(demo_path, tmp_path, capsys):
    proj = tmp_path / "demo.gpkg"
    shutil.copyfile(demo_path, proj)
    before = len(open_project(proj).layer("lockdown_zones"))
    notice = tmp_path / "通告.txt"
    notice.write_bytes(
        (
            "呼和浩特市新冠肺炎疫情防控指挥部通告\n自2022年2月26日0时起，将以下区域划定为封控区：\n"
            "新城区：阳光花园、锦秀华府、内蒙古饭店。\n特此通告。"
        ).encode("gbk")
    )
    code, out, _ = run(["zones-from-notice", proj, notice, "--dry-run"], capsys)
    assert code == 0 and "✓ 阳光花园 → 阳光花园" in out and "? 锦秀华府 → 锦绣华府" in out
    assert "✗ 内蒙古饭店" in out and "the project was not changed" in out
    code, out, _ = run(["zones-from-notice", proj, notice, "--accept-all", "--level", "controlled"], capsys)
    assert code == 0 and "2 new zone(s) from the notice" in out
    z = open_project(proj).layer("lockdown_zones")
    assert len(z) == before + 2
    new = z.iloc[-2:]
    assert set(new["name"]) == {"阳光花园", "锦绣华府"} and (new["level"] == "controlled").all()
    assert (new["start"] == pd.Timestamp("2022-02-26T00:00")).all()
    # the same notice again: reported, nothing added
    code, out, _ = run(["zones-from-notice", proj, notice, "--accept-all", "--level", "管控区"], capsys)
    assert code == 0 and "0 new zone(s) from the notice, 2 already in the project" in out
    assert len(open_project(proj).layer("lockdown_zones")) == before + 2


def test_dry_run_saves_the_mapping_even_when_fields_are_missing(demo_path, tmp_path, capsys):
    """A customer-office list (GCJ-02, no CRS, no households, networks or depots): --save-mapping still writes
    the mapping and names what is missing; once completed, network_id and depot_id come from the project."""
    import numpy as np

    from heatgis.io.chinacrs import wgs84_to_gcj02

    proj = tmp_path / "demo.gpkg"
    shutil.copyfile(demo_path, proj)
    before = proj.read_bytes()
    stations = open_project(proj).layer("stations").iloc[7::25].reset_index(drop=True)
    ll = stations.geometry.to_crs("EPSG:4326")
    lon, lat = wgs84_to_gcj02(ll.x.to_numpy(), ll.y.to_numpy())
    csv = tmp_path / "站点表.csv"
    pd.DataFrame(
        {
            "站点名称": stations["name"],
            "供热面积": stations["heated_area_m2"] / 1e4,
            "经度": np.round(lon, 8),
            "纬度": np.round(lat, 8),
        }
    ).to_csv(csv, index=False, encoding="gbk")
    m = tmp_path / "m.json"
    with pytest.raises(HeatGISError, match="no column for the required field 'households'"):
        run(["import", proj, csv, "--layer", "stations", "--dry-run", "--save-mapping", m], capsys)
    out = capsys.readouterr().out
    print(out)
    assert f"mapping written to {m}; required fields without a column: households (户数)" in out
    saved = json.loads(m.read_text(encoding="utf-8"))
    assert saved["missing"] == {"households": "户数"}
    assert saved["columns"] == ["站点名称", "供热面积", "经度", "纬度"]
    assert saved["fields"]["heated_area_m2"] == {"source": "供热面积", "factor": 10000}  # plausibility decided
    assert "network_id" not in saved["missing"] and "depot_id" not in saved["missing"]  # derivable
    # the planner completes it by hand and runs again
    saved["fields"]["households"] = {"value": 0}
    m.write_text(json.dumps(saved, ensure_ascii=False), encoding="utf-8")
    code, out, _ = run(["import", proj, csv, "--layer", "stations", "--dry-run", "--mapping", m], capsys)
    print(out)
    assert code == 0 and "dry run: the project was not changed" in out
    assert "taken as GCJ-02 and converted" in out and f"GCJ-02 {len(stations)} of {len(stations)}" in out
    assert f"network_id taken from the nearest pipe for all {len(stations)} stations" in out
    assert f"depot_id taken from the district each of the {len(stations)} stations lies in" in out
    assert proj.read_bytes() == before
