"""A large layer is read in parts by feature id (the interpreter lock handed over between parts):
the same frame as one read, in feature-id order, whatever the ids."""

from __future__ import annotations

import shutil

import pandas as pd
import pyogrio
import pytest

from heatgis.model.store import layer_read
from heatgis.model.store import sqlgpkg as sg
from tests.conftest import DEMO


@pytest.fixture
def small_parts(monkeypatch):
    monkeypatch.setattr(layer_read, "CHUNK_FEATURES", 97)  # every demo layer over 97 features in parts


@pytest.mark.parametrize("layer", ["roads", "stations", "compounds", "staff", "weather"])
def test_parts_give_the_frame_of_one_read(small_parts, layer):
    whole = pyogrio.read_dataframe(DEMO, layer=layer, fid_as_index=True)
    assert len(whole) > 97
    parts = layer_read._ranges(DEMO, layer, "fid", len(whole))
    assert parts is not None and len(parts) >= 2
    got = layer_read.read_layer(DEMO, layer)
    pd.testing.assert_frame_equal(got, whole)
    some = ["name"] if "name" in whole.columns else list(whole.columns[:1])
    pd.testing.assert_frame_equal(
        layer_read.read_layer(DEMO, layer, some),
        pyogrio.read_dataframe(DEMO, layer=layer, fid_as_index=True, columns=some),
    )


def test_gaps_and_sparse_ids(small_parts, tmp_path):
    path = tmp_path / "p.gpkg"
    shutil.copy(DEMO, path)
    con = sg.connect(path, write=True)
    try:
        con.execute("DELETE FROM roads WHERE fid % 3 = 0 OR fid BETWEEN 200 AND 500")  # gaps, an empty part
        con.execute("UPDATE roads SET fid = fid + 10000000 WHERE fid > 900")  # ids spread far apart
    finally:
        con.close()
    whole = pyogrio.read_dataframe(path, layer="roads", fid_as_index=True)
    assert layer_read._ranges(path, "roads", "fid", len(whole)) is None  # too sparse: one read
    pd.testing.assert_frame_equal(layer_read.read_layer(path, "roads"), whole)
    con = sg.connect(path, write=True)
    try:
        con.execute("DELETE FROM roads WHERE fid > 10000000")
    finally:
        con.close()
    whole = pyogrio.read_dataframe(path, layer="roads", fid_as_index=True)
    assert len(layer_read._ranges(path, "roads", "fid", len(whole))) >= 4
    pd.testing.assert_frame_equal(layer_read.read_layer(path, "roads"), whole)


def test_open_project_in_parts_equals_one_read(small_parts, monkeypatch):
    from heatgis.model.store import open_project

    parts = open_project(DEMO)
    monkeypatch.setattr(layer_read, "CHUNK_FEATURES", 10**9)
    whole = open_project(DEMO)
    for name in whole.layers:
        pd.testing.assert_frame_equal(parts.layer(name), whole.layer(name), obj=name)
