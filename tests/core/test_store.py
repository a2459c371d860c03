"""The project file: round trip, in-place save, QGIS-readable plain layers, bad files."""

from __future__ import annotations

import os
import sqlite3

import pandas as pd
import pyogrio
import pytest
import shapely

from heatgis.errors import HeatGISError
from heatgis.model.store import META_TABLE, open_project, save_project
from heatgis.model.validation import validate_layer, validate_project


def test_round_trip(tiny_project, tmp_path):
    f = save_project(tiny_project, tmp_path / "p.gpkg")
    p = open_project(f)
    assert p.meta["reference_time"] == "2022-02-21T08:00" and p.meta["crs"] == "EPSG:4546"
    assert set(p.layers) == set(tiny_project.layers)
    z = p.layer("lockdown_zones").set_index("zone_id")
    assert z.loc["Z1", "start"] == pd.Timestamp("2022-02-16T00:00")
    assert pd.isna(z.loc["Z2", "end"])
    assert z.loc["Z1", "name"] == "一号封控区"
    for name, frame in tiny_project.layers.items():
        got = p.layers[name]
        assert len(got) == len(frame)
        assert all(shapely.equals_exact(a, b, 1e-6) for a, b in zip(got.geometry, frame.geometry))
    assert p.notes == []


def test_plain_layers_for_qgis(tiny_project, tmp_path):
    f = save_project(tiny_project, tmp_path / "p.gpkg")
    layers = dict(pyogrio.list_layers(f))
    assert layers["stations"] == "Point" and layers["lockdown_zones"] == "Polygon"
    assert layers[META_TABLE] is None  # an attribute table, as GeoPackage defines it
    with sqlite3.connect(f) as con:
        kinds = dict(con.execute("select table_name, data_type from gpkg_contents"))
        srs = {r[0] for r in con.execute("select srs_id from gpkg_geometry_columns")}
    assert kinds["stations"] == "features" and kinds[META_TABLE] == "attributes"
    assert srs == {4546}


def test_second_save_is_in_place_and_leaves_no_files(tiny_project, tmp_path):
    f = tmp_path / "p.gpkg"
    save_project(tiny_project, f)
    tiny_project.meta["notes"] = "second save"
    save_project(tiny_project, f)
    assert open_project(f).meta["notes"] == "second save"
    assert sorted(os.listdir(tmp_path)) == ["p.gpkg"]  # no backup, journal or temporary file left


def test_failed_save_leaves_previous_file(tiny_project, tmp_path, monkeypatch):
    from heatgis.model.store import gpkg

    f = tmp_path / "p.gpkg"
    save_project(tiny_project, f)
    before = f.read_bytes()
    real_write, calls = gpkg.write_table, []

    def disk_fills_up(*args, **kwargs):  # the third layer hits a full disk, after real writes
        calls.append(1)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real_write(*args, **kwargs)

    monkeypatch.setattr(gpkg, "write_table", disk_fills_up)
    for name in ("stations", "lockdown_zones", "pipes"):
        frame = tiny_project.layers[name].copy()
        frame.loc[0, "geometry"] = shapely.Point(500001, 4520001) if name == "stations" else frame.geometry.iloc[1]
        tiny_project.layers[name] = frame
    with pytest.raises(HeatGISError, match="could not be saved"):
        save_project(tiny_project, f)
    assert len(calls) == 3
    assert f.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["p.gpkg"]


def test_save_needs_gpkg_suffix(tiny_project, tmp_path):
    with pytest.raises(HeatGISError, match=".gpkg"):
        save_project(tiny_project, tmp_path / "p.shp")


def test_truncated_file(tiny_project, tmp_path):
    f = save_project(tiny_project, tmp_path / "p.gpkg")
    data = f.read_bytes()
    f.write_bytes(data[:2000])
    with pytest.raises(HeatGISError) as e:
        open_project(f)
    assert "p.gpkg" in str(e.value) and "Fix:" in str(e.value)


def test_validator_reports_every_problem_at_once(tiny_project):
    st = tiny_project.layer("stations").copy()
    st.loc[0, "heated_area_m2"] = -5
    st.loc[1, "station_id"] = "S1"  # duplicate id
    st.loc[2, "depot_id"] = "D9"  # unknown depot
    st = st.drop(columns=["households"])
    tiny_project.layers["stations"] = st
    zones = tiny_project.layer("lockdown_zones").copy()
    zones.loc[1, "level"] = "lockdown"
    zones.loc[2, "end"] = pd.Timestamp("2022-01-01")
    tiny_project.layers["lockdown_zones"] = zones
    problems = validate_project(tiny_project)
    text = "\n".join(map(str, problems))
    assert "layer stations, field households: the required field 'households' is missing" in text
    assert "layer stations, row S1, field heated_area_m2: -5.0 is below the minimum 0" in text
    assert "the id 'S1' is used twice" in text
    assert "row S3, field depot_id: 'D9' is not a known depot_id" in text
    assert "row Z2, field level: 'lockdown' is not an allowed value" in text
    assert "row Z3, field end: the zone ends before it starts" in text


def test_validator_geometry_problems(tiny_project):
    zones = tiny_project.layer("lockdown_zones").copy()
    zones.loc[0, "geometry"] = shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1)])
    zones.loc[1, "geometry"] = shapely.Point(0, 0)
    zones.loc[2, "geometry"] = None
    problems = validate_layer("lockdown_zones", zones, "EPSG:4546")
    text = "\n".join(map(str, problems))
    assert "row Z1, field geometry: the polygon is invalid (Self-intersection" in text
    assert "row Z2, field geometry: the geometry is a" in text and "not a Polygon" in text
    assert "row Z3, field geometry: the geometry is empty" in text


def test_open_without_meta_and_with_missing_crs(tiny_project, tmp_path):
    f = tmp_path / "foreign.gpkg"
    st = tiny_project.layer("stations")
    pyogrio.write_dataframe(st.set_crs(None, allow_override=True), f, layer="stations")
    p = open_project(f)
    assert p.crs == "EPSG:4546" and p.reference_time is None
    assert any("no CRS" in n.message for n in p.notes)
    assert len(p.layer("stations")) == 6 and len(p.layer("lockdown_zones")) == 0


def test_new_column_types_from_one_dtype_dispatch():
    """A column the contract does not define gets its type from the values' kind
    (``schema.value_kind``), mapped once per store: GeoPackage and PostgreSQL agree."""
    from heatgis.model.schema import value_kind
    from heatgis.model.store.pgschema import field_type
    from heatgis.model.store.sqlgpkg import column_type

    cases = [
        (pd.Series([True, False]), "bool", "BOOLEAN", "boolean"),
        (pd.Series([1, 2]), "int", "INTEGER", "bigint"),
        (pd.Series([1, None], dtype="Int64"), "int", "INTEGER", "bigint"),
        (pd.Series([1.5, None]), "float", "REAL", "double precision"),
        (pd.to_datetime(pd.Series(["2022-02-25 08:00"])), "datetime", "DATETIME", "timestamp"),
        (
            pd.to_datetime(pd.Series(["2022-02-25 08:00"])).dt.tz_localize("Asia/Shanghai"),
            "datetime",
            "DATETIME",
            "timestamp",
        ),
        (pd.Series(["a", None]), "str", "TEXT", "text"),
        (pd.Series(["a"], dtype="string"), "str", "TEXT", "text"),
    ]
    for series, kind, gpkg, sql in cases:
        assert value_kind(series) == kind
        assert column_type(series) == gpkg
        assert field_type("stations", "planner_note", series) == sql
    # the contract's own fields keep the contract's type whatever the values
    assert field_type("stations", "households", pd.Series(["x"])) == "bigint"
    assert field_type("lockdown_zones", "start") == "timestamp"
    assert field_type("stations", "planner_note") == "text"
