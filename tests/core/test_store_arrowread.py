"""The Arrow-stream read of a layer (a batch command's fast path) gives what pyogrio's read gives."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from heatgis.cli.impact import IMPACT_FIELDS
from heatgis.model.store import arrowread, gpkg
from heatgis.model.store.arrowread import read_frame
from heatgis.paths import DEMO_PATH


def _same(a, b) -> None:
    """``a`` (Arrow read) holds the values of ``b`` (pyogrio's read), text as objects."""
    assert list(a.columns) == list(b.columns)
    assert a.index.equals(b.index) and a.index.name == b.index.name == "fid"
    assert a.crs == b.crs and a.geometry.name == b.geometry.name
    for c in a.columns:
        if c == a.geometry.name:
            x, y = np.asarray(a.geometry.values), np.asarray(b.geometry.values)
            assert (shapely.is_missing(x) == shapely.is_missing(y)).all()
            present = ~shapely.is_missing(y)
            assert shapely.equals_exact(x[present], y[present], 0).all()
            assert (shapely.is_empty(x[present]) == shapely.is_empty(y[present])).all()
        else:
            got = a[c].astype(object).where(a[c].notna(), None).tolist()
            want = b[c].astype(object).where(b[c].notna(), None).tolist()
            assert got == want, c
            assert a[c].dtype == (object if b[c].dtype == "str" else b[c].dtype), c


def _awkward(tmp_path):
    """Points (batches of plain 2D points and not), polygons, text with nulls, blanks, NULs and CJK,
    integers with and without nulls."""
    n = 70_000  # three Arrow batches: with missing and empty points, plain points only, a 3D point
    assert arrowread.BATCH == 30_000
    rng = np.random.default_rng(3)
    xy = rng.random((n, 2)) * 1000 + [37_400_000, 4_450_000]
    geoms = shapely.points(xy).astype(object)
    geoms[5] = None
    geoms[6] = shapely.Point()  # empty: NaN coordinates in WKB
    geoms[n - 1] = shapely.Point(1, 2, 3)  # 3D
    names = np.array([f"站{i}" if i % 3 else f"ST-{i}" for i in range(n)], dtype=object)
    names[[1, 10, 100]] = None
    names[[2, 20]] = ["", "  padded  "]
    names[60_000:] = [f"ascii-{i}" for i in range(60_000, n)]  # a batch of ASCII only
    stations = gpd.GeoDataFrame(
        {
            "station_id": [f"ST-{i:06d}" for i in range(n)],
            "name": names,
            "network_id": np.where(np.arange(n) % 7 == 0, None, "N1").astype(object),
            "heated_area_m2": np.where(np.arange(n) % 11 == 0, np.nan, rng.random(n) * 1e5),
            "households": rng.integers(0, 4000, n),
            "compound_id": None,
            "depot_id": "D-01",
        },
        geometry=geoms,
        crs="EPSG:4546",
    )
    path = tmp_path / "awkward.gpkg"
    stations.to_file(path, layer="stations", driver="GPKG")
    rooms = stations.iloc[:50].copy()
    rooms = rooms.rename(columns={"station_id": "asset_id", "network_id": "fuel"})
    rooms["households"] = pd.array([None if i % 4 == 0 else i for i in range(50)], dtype="Int64")
    rooms = rooms.set_geometry(shapely.buffer(shapely.points(xy[:50]), 5).astype(object))
    rooms.to_file(path, layer="boiler_rooms", driver="GPKG")
    return path


@pytest.mark.parametrize("layer", ["stations", "boiler_rooms"])
def test_an_awkward_layer_reads_the_same(tmp_path, layer):
    path = _awkward(tmp_path)
    columns = list(IMPACT_FIELDS[layer]) + ["not_a_field"]
    got = read_frame(path, layer, columns)
    assert got is not None
    _same(got, pyogrio.read_dataframe(path, layer=layer, columns=columns, fid_as_index=True))


def test_the_demo_reads_the_same_and_dates_are_left_to_pyogrio():
    for layer, fields in IMPACT_FIELDS.items():
        got = read_frame(DEMO_PATH, layer, list(fields))
        if layer == "lockdown_zones":  # start and end are dates: not read here
            assert got is None
            continue
        _same(got, pyogrio.read_dataframe(DEMO_PATH, layer=layer, columns=list(fields), fid_as_index=True))


def test_the_project_read_in_part_is_the_same_either_way(tmp_path, monkeypatch):
    path = _awkward(tmp_path)
    fields = {k: v for k, v in IMPACT_FIELDS.items() if k != "boiler_rooms"}
    fast = gpkg.open_project(path, strict=False, fields=fields)
    monkeypatch.setattr(gpkg, "_read_fast", lambda *a: None)
    slow = gpkg.open_project(path, strict=False, fields=fields)
    assert fast.layers.keys() == slow.layers.keys()
    for name in fast.layers:
        pd.testing.assert_frame_equal(fast.layers[name], slow.layers[name])
    assert [str(p) for p in fast.notes] == [str(p) for p in slow.notes]


def test_a_missing_layer_still_says_what_is_wrong(tmp_path):
    path = _awkward(tmp_path)
    assert gpkg._read_fast(path, "no_such_layer", ["a"]) is None


@pytest.mark.parametrize("n", [1, 5, 9])
def test_a_batch_of_one_point_is_copied_before_gdal_frees_it(tmp_path, monkeypatch, n):
    """Batches of 4: the last holds one point when n is 1, 5 or 9 (its coordinates must be a copy, not a
    view of the batch GDAL releases)."""
    monkeypatch.setattr(arrowread, "BATCH", 4)
    xy = np.arange(2 * n, dtype=float).reshape(n, 2) * 10.5 + [37_400_000, 4_450_000]
    frame = gpd.GeoDataFrame(
        {"station_id": [f"ST-{i}" for i in range(n)]}, geometry=shapely.points(xy), crs="EPSG:4546"
    )
    path = tmp_path / "few.gpkg"
    frame.to_file(path, layer="stations", driver="GPKG")
    got = read_frame(path, "stations", ["station_id"])
    assert got is not None
    _same(got, pyogrio.read_dataframe(path, layer="stations", columns=["station_id"], fid_as_index=True))
    assert np.array_equal(shapely.get_coordinates(got.geometry.values), xy)
