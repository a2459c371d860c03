"""Imports that are right by default: units from the header or plausibility, WGS84/GCJ-02/BD-09 tested
against the project, required fields derived from it. Every decision is printed (``pytest -s`` shows
the evidence) and asserted on."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from heatgis.errors import HeatGISError
from heatgis.io import chinacrs
from heatgis.io.importer import import_layer
from heatgis.io.mapping import FieldMapping, FieldRule, header_unit
from heatgis.io.units import decide_units
from heatgis.model.project import Project
from tests.core import io_fixtures as F


def show(title, notes):
    print(f"\n--- {title}")
    for n in notes:
        print(n)


def note(notes, field=None, contains=""):
    hits = [n for n in notes if (field is None or n.field == field) and contains in n.message]
    assert hits, f"no note on {field} with {contains!r}: " + "\n".join(map(str, notes))
    return hits[0]


# ------------------------------------------------------------------ units


def test_gbk_shapefile_area_column_mian_ji_wan_gives_m2(tmp_path):
    """The held-out Shapefile: a GBK DBF (no .cpg) whose area column is named 面积万."""
    path = tmp_path / "换热站.shp"
    stored = [12.5, 3.2, 8.0, 5.5, 20.1]
    pyogrio.write_dataframe(F.stations_frame().rename(columns={"供热面积": "面积万"}), path, encoding="GBK")
    os.remove(path.with_suffix(".cpg"))
    r = import_layer(Project(), path, "stations")
    show("面积万", r.notes)
    assert r.frame["heated_area_m2"].tolist() == [v * 10_000 for v in stored]
    n = note(r.notes, "heated_area_m2", "the header says 万")
    assert n.severity == "info" and "'面积万' → heated_area_m2 × 10000" in n.message
    assert "median 80,000 m² per station" in n.message
    assert r.mapping.fields["heated_area_m2"].factor == 10_000


@pytest.mark.parametrize(
    "header, factor, word",
    [
        ("面积万", 1e4, "万"),
        ("供热面积(万㎡)", 1e4, "万㎡"),
        ("面积（万平方米）", 1e4, "万平方米"),
        ("供热面积万m2", 1e4, "万m2"),
        ("面积(㎡)", 1.0, "㎡"),
        ("供热面积平方米", 1.0, "平方米"),
        ("面积m2", 1.0, "m2"),
        ("面积(公顷)", 1e4, "公顷"),
        ("area_ha", 1e4, "ha"),
        ("面积km2", 1e6, "km2"),
        ("面积(平方公里)", 1e6, "平方公里"),
        ("shape_area", None, None),
        ("供热面积", None, None),
    ],
)
def test_unit_words_in_area_headers(header, factor, word):
    got = header_unit("heated_area_m2", header)
    assert (got is None and factor is None) or got == (factor, word)


def test_household_unit_words():
    assert header_unit("households", "户数(万户)") == (1e4, "万户")
    assert header_unit("households", "户数万") == (1e4, "万")
    assert header_unit("households", "户数") is None  # the field's name, not a unit


def _decide(layer, column, values, factor=None):
    frame = pd.DataFrame({column: values})
    m = FieldMapping(layer, {"heated_area_m2" if "积" in column else "households": FieldRule(column, factor=factor)})
    out, notes = decide_units(frame, m, "t.csv")
    show(f"{layer} {column} {values[:4]}", notes)
    return out, notes


def test_plausibility_decides_when_the_header_says_nothing():
    # 万㎡ without a word for it: 12.5 m² is no station; 125,000 m² is
    out, notes = _decide("stations", "面积", [12.5, 3.2, 8.0, 5.5, 20.1])
    assert out.fields["heated_area_m2"].factor == 1e4
    n = note(notes, "heated_area_m2", "names no unit; taken as 万㎡ (× 10000)")
    assert n.severity == "warning" and "as m² the median station has 8 m² (0% of the values plausible)" in n.message
    assert "as 万㎡ the median station has 80,000 m² (100% of the values plausible)" in n.message
    assert "a station typically has 20,000–300,000 m²" in n.message
    zh = n.text("zh")  # the decision said in Chinese, the figures and units as they are
    assert (
        "'面积' 未注明单位；按 万㎡（× 10000）读取" in zh and "按 m² 计，换热站的中位数为 8 m²（0% 的数值合理）" in zh
    )
    assert "一个换热站通常有 20,000–300,000 m²" in zh and not F.english_sentences(zh)
    # m² already: kept, said
    out, notes = _decide("stations", "面积", [125_000, 32_000, 80_000, 55_000, 201_000])
    assert out.fields["heated_area_m2"].factor == 1.0
    assert note(notes, "heated_area_m2", "taken as m² (× 1)").severity == "info"
    # boiler rooms heat more: 1.5 万㎡ is a small one, 150 m² none at all
    out, _ = _decide("boiler_rooms", "面积", [1.5, 23.0, 8.4, 34.8])
    assert out.fields["heated_area_m2"].factor == 1e4
    # households in 万户 without a word: 0.07 households per station is none
    out, notes = _decide("stations", "户数", [0.07, 0.03, 0.12, 0.05])
    assert out.fields["households"].factor == 1e4
    note(notes, "households", "taken as 万户 (× 10000)")
    out, _ = _decide("compounds", "户数", [356, 183, 221, 197])
    assert out.fields["households"].factor == 1.0


def test_ambiguous_units_warn_clearly():
    # half the rows in 万㎡, half in m²: neither reading fits; kept as written, with a loud warning
    out, notes = _decide("stations", "面积", [12.5, 3.2, 125_000, 32_000])
    assert out.fields["heated_area_m2"].factor is None
    n = note(notes, "heated_area_m2", "cannot tell the unit of '面积'")
    assert n.severity == "warning" and "CHECK IT" in n.message and '"factor": 1 (m²) or 10000 (万㎡)' in n.fix
    assert "无法判断 '面积'（heated_area_m2）的单位" in n.text("zh") and "请务必核对" in n.text("zh")
    assert '"factor": 1（m²）或 10000（万㎡）' in n.fix.zh and not F.english_sentences(n.text("zh"))
    # the header says ㎡ but the values are 万㎡: the header decides, the values are said to disagree
    out, notes = _decide("stations", "面积(㎡)", [12.5, 3.2, 8.0, 5.5], factor=1.0)
    assert out.fields["heated_area_m2"].factor == 1.0
    n = note(notes, "heated_area_m2", "the header says ㎡, but then the median station has 6.75 m²")
    assert n.severity == "warning" and "as 万㎡ the median station has 67,500 m²" in n.message
    assert '"factor": 10000' in n.fix


# ------------------------------------------------------------------ WGS84 / GCJ-02 / BD-09

TO_LONLAT = {"gcj02": chinacrs.wgs84_to_gcj02, "bd09": chinacrs.wgs84_to_bd09, "wgs84": lambda x, y: (x, y)}
LABEL = {"gcj02": "GCJ-02", "bd09": "BD-09", "wgs84": "WGS84"}


def held_out_csv(folder, stations, system, ids=True):
    """Demo stations as a planner receives them: a GBK CSV named 站点表.csv, Chinese headers, lon/lat in
    ``system``, no CRS anywhere, areas in 万㎡ without saying so."""
    ll = stations.geometry.to_crs("EPSG:4326")
    lon, lat = TO_LONLAT[system](ll.x.to_numpy(), ll.y.to_numpy())
    df = pd.DataFrame(
        {
            "站点编号": stations["station_id"] if ids else "X" + stations["station_id"],
            "站点名称": stations["name"],
            "供热面积": (stations["heated_area_m2"] / 1e4).round(4),
            "户数": stations["households"],
            "所属管网": stations["network_id"],
            "运营所": stations["depot_id"],
            "经度": lon.round(8),
            "纬度": lat.round(8),
        }
    )
    path = folder / "站点表.csv"
    df.to_csv(path, index=False, encoding="gbk")
    return path


@pytest.mark.parametrize("system", ["gcj02", "bd09", "wgs84"])
def test_held_out_lonlat_without_crs_is_tested_against_the_project(demo_project, tmp_path, system):
    stations = demo_project.layer("stations").iloc[::20].reset_index(drop=True)  # 41 stations across the city
    path = held_out_csv(tmp_path, stations, system)
    r = import_layer(demo_project, path, "stations")
    show(f"{path.name} in {LABEL[system]}", r.notes)
    assert r.encoding == "GB18030" and r.frame["name"].tolist() == stations["name"].tolist()
    assert r.source_crs == (LABEL[system] if system != "wgs84" else "EPSG:4326")
    err = np.hypot(
        *(shapely.get_coordinates(r.frame.geometry.values) - shapely.get_coordinates(stations.geometry.values)).T
    )
    print(f"largest error {err.max():.4f} m")
    assert err.max() < 1.0
    n = note(r.notes, None, f"Tested against the project: taken as {LABEL[system]}")
    assert (
        f"named compounds: stations named after a compound that fall in it (within 30 m): {LABEL[system]} "
        f"41 of 41 (median 0 m)" in n.message
    )
    assert (
        f"same sites: stations with the id or name of one in the project, at its place (within 30 m): "
        f"{LABEL[system]} 41 of 41" in n.message
    )
    for other in set(LABEL) - {system}:
        assert f"{LABEL[other]} 0 of 41" in n.message
    assert r.frame["heated_area_m2"].round().tolist() == stations["heated_area_m2"].round().tolist()
    if system != "wgs84":
        assert r.mapping.from_crs == system  # a saved mapping repeats it


def test_named_compounds_alone_decide(demo_project, tmp_path):
    """New stations (ids the project does not have, no stations layer at all): the compounds they are
    named after are the evidence."""
    stations = demo_project.layer("stations").iloc[5::40].reset_index(drop=True)
    project = Project({k: v for k, v in demo_project.layers.items() if k != "stations"}, demo_project.meta)
    r = import_layer(project, held_out_csv(tmp_path, stations, "gcj02", ids=False), "stations")
    n = note(r.notes, None, "taken as GCJ-02")
    print(n.message)
    assert f"GCJ-02 {len(stations)} of {len(stations)}" in n.message
    assert "same sites: none (the project's layer stations is empty)" in n.message
    err = np.hypot(
        *(shapely.get_coordinates(r.frame.geometry.values) - shapely.get_coordinates(stations.geometry.values)).T
    )
    assert err.max() < 1.0


def test_no_evidence_is_refused_with_the_question(demo_project, tmp_path):
    """Wells in empty countryside north of the city: no names of compounds, no sites, no roads near."""
    rng = np.random.default_rng(7)
    lon, lat = 112.30 + rng.random(12) * 0.05, 41.40 + rng.random(12) * 0.05
    path = tmp_path / "点位.csv"
    pd.DataFrame(
        {"名称": [f"机井{i}" for i in range(12)], "面积": 30_000, "户数": 100, "经度": lon, "纬度": lat}
    ).to_csv(path, index=False, encoding="gbk")
    with pytest.raises(HeatGISError) as info:
        import_layer(demo_project, path, "stations")
    msg = str(info.value)
    print(msg)
    assert "the evidence is too weak to choose" in msg and "点位.csv" in msg
    assert "named compounds: none (no name matches a compound of the project)" in msg
    assert "same sites: none" in msg and "→ not clear" in msg
    assert "Fix: give the system with --from-crs wgs84, gcj02 or bd09" in msg
    zh = info.value.text("zh")  # the question and the evidence in Chinese
    assert "文件没有坐标系；其经纬度位于中国境内" in zh and "经与项目数据比对，证据不足，无法选择" in zh
    assert "同名小区：无（没有名称与项目中的小区相符）" in zh and "→ 无法判断" in zh
    assert "解决办法：请用 --from-crs wgs84、gcj02 或 bd09 指定坐标系" in zh
    assert not F.english_sentences(zh.replace("OpenStreetMap", ""))
    # told, it goes through
    r = import_layer(demo_project, path, "stations", from_crs="gcj02")
    assert r.converted[0] == "GCJ-02 → WGS84"


def test_declared_wgs84_that_fits_gcj02_is_warned(demo_project, tmp_path):
    """An Amap export as GeoJSON (which always says WGS84): kept as declared, the planner is told."""
    import geopandas as gpd

    comp = demo_project.layer("compounds").iloc[::50].to_crs("EPSG:4326")
    geoms = shapely.transform(
        comp.geometry.values, lambda xy: np.column_stack(chinacrs.wgs84_to_gcj02(xy[:, 0], xy[:, 1]))
    )
    path = tmp_path / "小区.geojson"
    gpd.GeoDataFrame(comp.drop(columns="geometry"), geometry=geoms, crs="EPSG:4326").to_file(path)
    r = import_layer(demo_project, path, "compounds")
    n = note(r.notes, None, "the file says EPSG:4326, but tested against the project its coordinates fit GCJ-02")
    print(n)
    assert n.severity == "warning" and "--from-crs gcj02" in n.fix
    assert f"GCJ-02 {len(comp)} of {len(comp)}" in n.message and r.source_crs == "EPSG:4326"
    fixed = import_layer(demo_project, path, "compounds", from_crs="gcj02")
    assert not any("tested against" in m.message for m in fixed.notes)
    shift = fixed.frame.geometry.centroid.distance(
        comp.to_crs(demo_project.crs).geometry.centroid.reset_index(drop=True)
    )
    assert shift.max() < 1.0


# ------------------------------------------------------------------ derived fields


def test_network_and_depot_derived_from_the_project(demo_project, tmp_path):
    stations = demo_project.layer("stations").iloc[3::10].reset_index(drop=True)
    ll = stations.geometry.to_crs("EPSG:4326")
    path = tmp_path / "新站.csv"
    pd.DataFrame(
        {
            "站名": stations["name"],
            "供热面积(㎡)": stations["heated_area_m2"],
            "户数": stations["households"],
            "经度(WGS84)": ll.x,
            "纬度(WGS84)": ll.y,
        }
    ).to_csv(path, index=False)
    r = import_layer(demo_project, path, "stations")
    show("derived", r.notes)
    assert r.frame["network_id"].tolist() == stations["network_id"].tolist()  # the nearest pipe is its own
    n = note(r.notes, "network_id", f"network_id taken from the nearest pipe for all {len(stations)} stations")
    assert "median distance 0 m" in n.message
    n = note(r.notes, "depot_id", "depot_id taken from the district each of")
    assert f"{len(stations)} the nearest of the district's depots" in n.message
    assert f"{len(stations)} 个换热站的 depot_id 按所在行政区取" in n.message.zh
    assert not F.english_sentences(n.text("zh"))
    # the rule: a depot of the district the station lies in
    districts = demo_project.layer("districts")
    depots = demo_project.layer("depots").set_index("depot_id")
    for g, dep in zip(r.frame.geometry.values, r.frame["depot_id"]):
        assert districts.loc[districts.contains(g), "name"].tolist() == [depots.loc[dep, "district"]]
    agree = float((r.frame["depot_id"].to_numpy() == stations["depot_id"].to_numpy()).mean())
    print(f"derived depot = the demo's own for {agree:.0%} of the stations")
    assert agree > 0.6
