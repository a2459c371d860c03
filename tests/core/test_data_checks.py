"""The data checks behind ``validate`` and every command's warning: real spoilt GeoPackages."""

from __future__ import annotations

import pytest

from heatgis.analysis.quality import check_project
from heatgis.model.store import open_project
from tests.core.bad_projects import CASES, LOCKED, bad_project, copy_demo, sql


def test_the_demo_has_no_problem(demo_project):
    q = check_project(demo_project)
    assert q.total == 0 and q.errors == 0, [str(p) for p in q.problems]
    assert q.line() is None


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_spoilt_copy_is_found(tmp_path, case):
    path = bad_project(tmp_path, case)
    project = open_project(path, strict=False)
    q = check_project(project)
    assert q.errors >= 1
    text = "\n".join(str(p) for p in q.problems)
    for expected in CASES[case][1]:
        assert expected in text
    assert all(p.file == str(path) for p in q.problems if p.layer != "heatgis_meta" or p.file)
    assert "figures may be wrong" in q.line(str(path))
    zh = q.line(str(path)).zh
    assert zh.startswith(f"警告：项目数据有 {q.total:,} 个问题（{q.errors:,} 个错误），数字可能有误")
    assert zh.endswith(f"请运行 'heatgis validate {path}'")


def test_text_in_a_number_field_names_the_rows_and_what_it_is_read_as(tmp_path):
    """GDAL reads '1,310' in an INTEGER column as 1 (SQLite keeps the leading digits): 38,500
    households became 37,191 without a word. The check asks the file, not the frame."""
    path = bad_project(tmp_path, "households_as_text")
    project = open_project(path)
    st = project.layer("stations").set_index("station_id")
    assert st.loc["ST-0025", "households"] == 1  # what the frame holds: the silent wrong figure
    probs = {p.row: p for p in check_project(project).problems if p.field == "households"}
    assert set(probs) == set(LOCKED)
    assert probs["ST-0025"].layer == "stations" and probs["ST-0025"].severity == "error"
    assert "read as 1" in probs["ST-0025"].message
    assert "read as 215" in probs["ST-0062"].message
    assert "without separators" in probs["ST-0025"].fix


def test_a_text_column_of_clean_numbers_is_fine(tmp_path):
    """Numbers written as text into a TEXT column are read right (conform parses them)."""
    from heatgis.model import checks

    path = copy_demo(tmp_path)
    sql(path, "CREATE TABLE t2 AS SELECT * FROM depots")  # unrelated table: not looked at
    assert checks.stored_types(path) == []


def test_dangling_references_after_replacing_the_stations_are_counted_in_full(tmp_path):
    """812 pipes, 1,797 compounds and 1,761 staff point at stations that no longer exist."""
    path = bad_project(tmp_path, "stations_replaced")
    q = check_project(open_project(path))
    by = {}
    for p in q.problems:
        by[(p.layer, p.field)] = by.get((p.layer, p.field), 0) + p.count
    assert by[("compounds", "served_by")] > 1500
    assert by[("staff", "assigned_site")] > 1500
    # a station where the network branches passes for a junction: most, not all, pipes are flagged
    pipes = [p for p in q.problems if p.layer == "pipes"]
    assert sum(p.count for p in pipes if p.severity == "error") > 100  # dead ends: the missing stations
    assert by[("pipes", "to_id")] > 600
    listed = [p for p in q.problems if p.layer == "staff"]
    assert len(listed) == 51 and listed[-1].row is None and "more rows like this" in listed[-1].message


def test_limits_are_data_in_the_contract():
    from heatgis.model.schema import STATION_MAX_HOUSEHOLDS, spec

    assert spec("stations").field("households").maximum == STATION_MAX_HOUSEHOLDS == 50_000
    assert spec("stations").field("heated_area_m2").maximum >= 1_000_000
    for layer in ("stations", "boiler_rooms", "compounds"):
        f = spec(layer).field("households")
        assert f.minimum == 0 and f.maximum is not None


def test_an_unreadable_crs_falls_back_and_is_an_error(tmp_path):
    path = bad_project(tmp_path, "bad_crs")
    project = open_project(path)  # used to raise pyproj's CRSError
    assert project.crs == "EPSG:4546"
    q = check_project(project)
    assert [(p.layer, p.row) for p in q.problems] == [("heatgis_meta", "crs")] and q.errors == 1


def test_import_refuses_implausible_values(tmp_path):
    """Checked where values enter: an import with 1e15 households is refused."""
    import geopandas as gpd
    import shapely

    from heatgis.errors import HeatGISError
    from heatgis.io.importer import import_layer
    from heatgis.model.project import Project

    f = gpd.GeoDataFrame(
        {
            "station_id": ["A", "B"],
            "name": ["a", "b"],
            "network_id": ["N", "N"],
            "heated_area_m2": [1000.0, 2000.0],
            "households": [10, 1e15],
            "design_load_kw": [50.0, 60.0],
            "depot_id": ["D", "D"],
        },
        geometry=[shapely.Point(550000, 4520000), shapely.Point(550100, 4520000)],
        crs="EPSG:4546",
    )
    src = tmp_path / "st.gpkg"
    f.to_file(src, layer="stations")
    with pytest.raises(HeatGISError) as e:
        import_layer(Project(), src, "stations")
    assert any("implausible" in p.message and p.row == "B" for p in e.value.problems)


def test_fractions_and_huge_reals_in_whole_number_fields(tmp_path):
    path = copy_demo(tmp_path)
    sql(
        path,
        "UPDATE stations SET households = 1310.5 WHERE station_id = 'ST-0025'",
        "UPDATE crews SET members = 1e20 WHERE crew_id = (SELECT min(crew_id) FROM crews)",
    )
    project = open_project(path)  # 1e20 cannot be held as a whole number: missing, not a traceback
    text = "\n".join(str(p) for p in check_project(project).problems)
    assert "row ST-0025, field households: 1310.5 is not a whole number" in text and "read as 1310" in text
    assert "field members: 1e+20 is not a whole number" in text and "read as empty" in text
