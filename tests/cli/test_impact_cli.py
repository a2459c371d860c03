"""`heatgis impact`, `validate` and `demo` as a planner runs them, on the committed demo."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from heatgis.cli import main

REFERENCE = {"stations": 24, "boiler_rooms": 3, "heated_area_m2": 5159000, "households": 38500}


def run_cli(args, capsys):
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_impact_table_prints_reference_figures(demo_path, capsys):
    code, out, err = run_cli(["impact", demo_path], capsys)
    assert code == 0, err
    assert "2022-02-25 08:00" in out
    assert "stations 换热站 24, boiler rooms 锅炉房 3" in out
    assert "5,159,000 m² (515.90 万㎡)" in out
    assert "38,500 (3.85 万户)" in out
    assert "stations 换热站 812, boiler rooms 锅炉房 93 (gas 93)" in out
    assert (
        "plants 热源厂 10, CHP 热电联产 2 (2 networks), long-distance 长输 1 (1 network), "
        "coal boilers 燃煤锅炉 2" in out
    )
    assert "85,710,000 m²" in out and "626,700" in out
    assert "crews 抢修队 15 with 248 members" in out


def test_impact_json_at_another_time(demo_path, capsys):
    code, out, _ = run_cli(["impact", demo_path, "--at", "2022-02-18T08:00", "--json"], capsys)
    assert code == 0
    doc = json.loads(out)
    assert doc["at"] == "2022-02-18T08:00"
    locked = doc["locked"]
    assert 0 < locked["stations"] < 24
    assert set(doc) >= {"at", "locked", "staff_locked_in", "zones", "sites", "downstream", "served_inside"}
    assert len(doc["sites"]) == locked["stations"] + locked["boiler_rooms"]
    assert sum(s["heated_area_m2"] for s in doc["sites"]) == locked["heated_area_m2"]
    for z in doc["zones"]:
        assert {"zone_id", "name", "level", "stations", "boiler_rooms", "heated_area_m2", "households"} <= set(z)


def test_impact_json_reference(demo_path, capsys):
    code, out, _ = run_cli(["impact", demo_path, "--json"], capsys)
    doc = json.loads(out)
    assert {k: doc["locked"][k] for k in REFERENCE} == REFERENCE
    assert doc["staff_locked_in"] > 400
    assert doc["crews"] == {"crews": 15, "members": 248}
    assert doc["network"]["stations"] == 812 and doc["network"]["heated_area_m2"] == 85710000
    assert doc["network"]["households"] == 626700
    assert doc["downstream"], "a locked boiler room feeds stations outside the zones"
    assert doc["served_inside"], "some sealed compounds are heated from outside"
    for s in doc["sites"]:
        assert {"kind", "id", "name", "zone_ids", "heated_area_m2", "households"} <= set(s)


def test_console_script_runs_as_a_process(demo_path):
    """The installed entry point, as a planner types it."""
    proc = subprocess.run(
        [sys.executable, "-m", "heatgis", "impact", str(demo_path), "--json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["locked"]["stations"] == 24


def test_zones_file_adds_zones(demo_path, demo_project, tmp_path, capsys):
    # a sealed zone around three stations that are not locked at the reference time
    base = json.loads(_json(demo_path, capsys))
    locked = {s["id"] for s in base["sites"]}
    st = demo_project.layer("stations")
    free = st[~st["station_id"].isin(locked)].iloc[:3]
    zone = shapely.union_all([g.buffer(5) for g in free.geometry])
    f = tmp_path / "new_zones.geojson"
    gpd.GeoDataFrame(
        {"zone_id": ["NEW-1"], "name": ["新增封控区"], "level": ["sealed"], "start": ["2022-02-24T00:00"]},
        geometry=[zone],
        crs=demo_project.crs,
    ).to_crs(4326).to_file(f, driver="GeoJSON")
    code, out, _ = run_cli(["impact", demo_path, "--zones", f, "--json"], capsys)
    assert code == 0
    doc = json.loads(out)
    assert doc["locked"]["stations"] == 24 + 3
    assert doc["locked"]["heated_area_m2"] == 5159000 + int(free["heated_area_m2"].sum())
    assert any(z["zone_id"] == "NEW-1" and z["stations"] == 3 for z in doc["zones"])


def _json(demo_path, capsys):
    return run_cli(["impact", demo_path, "--json"], capsys)[1]


def test_timeline_flag(demo_path, capsys):
    code, out, _ = run_cli(["impact", demo_path, "--json", "--timeline"], capsys)
    tl = json.loads(out)["timeline"]
    assert tl[0]["time"].startswith("2022-02-16")
    ref = next(r for r in tl if r["time"] == "2022-02-25T08:00")
    assert (ref["stations"], ref["boiler_rooms"], ref["heated_area_m2"], ref["households"]) == (24, 3, 5159000, 38500)
    assert max(r["stations"] for r in tl) >= 24 and tl[-1]["stations"] == 0


# ------------------------------------------------------------------ bad input: message + non-zero exit


def test_missing_file(capsys, tmp_path):
    code, _, err = run_cli(["impact", tmp_path / "nope.gpkg"], capsys)
    assert code == 2
    assert "nope.gpkg" in err and "does not exist" in err


def test_not_a_geopackage(capsys, tmp_path):
    f = tmp_path / "notes.gpkg"
    f.write_text("这不是地理数据包", encoding="utf-8")
    code, _, err = run_cli(["impact", f], capsys)
    assert code == 2 and "not a GeoPackage" in err and "notes.gpkg" in err
    assert f.read_text(encoding="utf-8") == "这不是地理数据包"


def test_unknown_time(demo_path, capsys):
    before = demo_path.read_bytes()
    code, _, err = run_cli(["impact", demo_path, "--at", "2022-13-45"], capsys)
    assert code == 2 and "2022-13-45" in err and "2022-02-18T08:00" in err
    assert demo_path.read_bytes() == before


def _copy_demo(demo_path, tmp_path):
    f = tmp_path / "p.gpkg"
    shutil.copy(demo_path, f)
    return f


def _rewrite_layer(path, layer, frame):
    import pyogrio

    pyogrio.write_dataframe(frame, path, layer=layer, driver="GPKG")


def test_layer_missing_required_fields(demo_path, tmp_path, capsys):
    import pyogrio

    f = _copy_demo(demo_path, tmp_path)
    st = pyogrio.read_dataframe(f, layer="stations").drop(columns=["heated_area_m2", "households"])
    _rewrite_layer(f, "stations", st)
    before = f.read_bytes()
    code, _, err = run_cli(["impact", f], capsys)
    assert code == 2
    assert "layer stations" in err and "heated_area_m2" in err and "heatgis validate" in err
    code, out, _ = run_cli(["validate", f], capsys)
    assert code == 1
    assert "the required field 'heated_area_m2' is missing" in out
    assert "the required field 'households' is missing" in out
    assert f.read_bytes() == before


def test_invalid_zone_is_repaired_with_a_warning(demo_path, tmp_path, capsys):
    import pyogrio

    f = _copy_demo(demo_path, tmp_path)
    zones = pyogrio.read_dataframe(f, layer="lockdown_zones")
    x0, y0, x1, y1 = zones.geometry.iloc[0].bounds
    zones.loc[0, "geometry"] = shapely.Polygon([(x0, y0), (x1, y1), (x1, y0), (x0, y1)])  # bow-tie
    _rewrite_layer(f, "lockdown_zones", zones)
    before = f.read_bytes()
    code, out, err = run_cli(["impact", f], capsys)
    assert code == 0
    assert "invalid polygon" in err and "repaired" in err and str(zones["zone_id"].iloc[0]) in err
    assert f.read_bytes() == before


def test_layer_in_another_crs_is_reprojected(demo_path, tmp_path, capsys):
    import pyogrio

    f = _copy_demo(demo_path, tmp_path)
    _rewrite_layer(f, "stations", pyogrio.read_dataframe(f, layer="stations").to_crs(4326))
    code, out, err = run_cli(["impact", f, "--json"], capsys)
    assert code == 0
    assert "reprojected to EPSG:4546" in err and "layer stations" in err
    assert json.loads(out)["locked"]["stations"] == 24


def test_zones_file_without_polygons(demo_path, tmp_path, capsys):
    f = tmp_path / "points.geojson"
    gpd.GeoDataFrame({"name": ["x"]}, geometry=[shapely.Point(111.6, 40.8)], crs=4326).to_file(f)
    code, _, err = run_cli(["impact", demo_path, "--zones", f], capsys)
    assert code == 2 and "not a polygon" in err and "points.geojson" in err


def test_validate_demo_is_clean(demo_path, capsys):
    code, out, _ = run_cli(["validate", demo_path], capsys)
    assert code == 0, out
    assert "0 error(s)" in out


@pytest.mark.slow
def test_demo_command_regenerates_the_same_content(demo_path, demo_project, tmp_path, capsys):
    from heatgis.model.store import open_project

    f = tmp_path / "demo.gpkg"
    code, out, _ = run_cli(["demo", f], capsys)
    assert code == 0 and "stations 812" in out
    fresh = open_project(f)
    for name, frame in demo_project.layers.items():
        other = fresh.layers[name]
        assert len(other) == len(frame), name
        pd.testing.assert_frame_equal(
            pd.DataFrame(other.drop(columns="geometry", errors="ignore")),
            pd.DataFrame(frame.drop(columns="geometry", errors="ignore")),
        )


def test_summarized_text_json_and_csv_carry_the_same_sites(demo_path, demo_project, tmp_path, capsys):
    """The summarizing text (--limit), the full text (--all), the compact JSON and --csv all hold
    the engine's figures and its whole site list."""
    from heatgis.analysis.impact import impact

    res = impact(demo_project)
    ids = res.sites["id"].tolist()
    code, short, _ = run_cli(["impact", demo_path, "--limit", "5"], capsys)
    assert code == 0
    assert "stations 换热站 24, boiler rooms 锅炉房 3" in short and "38,500 (3.85 万户)" in short
    section = short.split("Locked sites 锁闭站点")[1].split("\n\n")[0]
    assert sum(i in section.split() for i in ids) == 5  # first five locked sites only ...
    assert f"{len(ids) - 5:,} more (give --all" in short  # ... and how to see the rest
    assert "By district 分区" in short
    code, full, _ = run_cli(["impact", demo_path, "--all"], capsys)
    assert all(i in full.split() for i in ids)
    csv = tmp_path / "sites.csv"
    code, out, _ = run_cli(["impact", demo_path, "--json", "--csv", csv], capsys)
    doc = json.loads(out)
    assert "\n" not in out.strip()  # compact: one line
    assert [s["id"] for s in doc["sites"]] == ids
    assert doc["locked"]["households"] == res.totals.households == REFERENCE["households"]
    assert doc["locked"]["heated_area_m2"] == REFERENCE["heated_area_m2"]
    assert [r["households"] for r in doc["by_district"]] == res.by_district["households"].tolist()
    table = pd.read_csv(csv, encoding="utf-8-sig", dtype={"id": str})
    assert table["id"].tolist() == ids and int(table["households"].sum()) == REFERENCE["households"]
    code, pretty, _ = run_cli(["impact", demo_path, "--json", "--indent", "2"], capsys)
    assert json.loads(pretty) == doc and pretty.count("\n") > 100
