"""The fast paths of the import give the same results as the plain ones they replaced."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from heatgis.io import fastread
from heatgis.io.importer import import_layer
from heatgis.io.mapping import FieldMapping, apply_mapping, clean_text_fields
from heatgis.io.repair import _duplicates, repair_geometries
from heatgis.model.project import Project
from heatgis.model.schema import clean_strings, conform, text_column
from heatgis.model.validation import validate_layer
from tests.core import io_fixtures as F

# ------------------------------------------------------------------ text


def test_text_column_cases():
    s = pd.Series([" S1 ", "", None, "  ", "\u3000站\u3000", np.nan], dtype=object)
    assert text_column(s).tolist() == ["S1", None, None, None, "站", None]
    assert text_column(pd.Series(["a ", np.nan], dtype="str")).tolist() == ["a", None]
    texts = [" S1 ", "", None, "  ", "\u3000站\u3000", "x\x00y", "\x1fz"]  # text dtype: the mapped strip
    assert text_column(pd.Series(texts, dtype="str")).tolist() == text_column(pd.Series(texts, dtype=object)).tolist()
    assert text_column(pd.Series([None, None], dtype=object)).tolist() == [None, None]  # all missing
    floats = pd.Series([1001.0, 2.5, np.nan, 1e20, -3.0, np.inf])
    assert text_column(floats).tolist() == ["1001", "2.5", None, "1e+20", "-3", "inf"]
    mixed = pd.Series([12.0, " a ", None, 7, ""], dtype=object)  # numbers hiding in an object column
    assert text_column(mixed).tolist() == ["12", "a", None, "7", None]
    assert text_column(pd.Series([], dtype=object)).tolist() == []
    assert clean_strings(np.array([" x", "", None], dtype=object), blank_is_missing=False).tolist() == ["x", "", None]


def test_conform_clean_fields_same_result():
    frame = pd.DataFrame(
        {
            "crew_id": [" C1", "C2 "],
            "name": ["甲", "乙"],
            "depot_id": ["D1", None],
            "members": ["12", 15],
            "shift_start": ["08:00", "20:00"],
            "shift_end": ["20:00", "08:00"],
            "skills": ["a;b", ""],
        }
    )
    plain = conform("crews", frame)
    clean = conform("crews", plain, clean=["crew_id", "name", "depot_id", "shift_start", "shift_end", "skills"])
    pd.testing.assert_frame_equal(plain, clean)
    # a field named clean but not held as objects is still cleaned
    odd = plain.assign(crew_id=pd.Series([" C1", "C2"], dtype="str"))
    assert conform("crews", odd, clean=["crew_id"])["crew_id"].tolist() == ["C1", "C2"]


def test_validate_flags_give_the_same_problems():
    pts = shapely.points([0, 1, 2, 3], [0, 1, 2, 3])
    frame = gpd.GeoDataFrame(
        {
            "staff_id": ["P1", "P1", " ", "P4"],
            "name": ["a", "", "c", "d"],
            "role": ["operator", "cook", "welder", None],
            "skills": [None] * 4,
            "depot_id": ["D1"] * 4,
            "assigned_site": [None] * 4,
        },
        geometry=pts,
        crs="EPSG:4546",
    )
    c = conform("staff", frame)
    want = [str(p) for p in validate_layer("staff", c, "EPSG:4546", "f.shp")]
    got = [str(p) for p in validate_layer("staff", c, "EPSG:4546", "f.shp", conformed=True, repaired=True)]
    assert got == want and len(want) >= 4
    assert any("used twice" in w for w in want) and any("'cook' is not an allowed value" in w for w in want)


def test_apply_mapping_texts_are_clean_and_codes_cover_blanks():
    src = gpd.GeoDataFrame(
        {
            "编号": [" R1", "R2", "R3", "R4"],
            "名称": ["  环城路", "", None, "x"],
            "等级": ["主干路", " 支路 ", "ring", ""],
            "限速": ["60", " 1,200 ", "-", None],
        },
        geometry=shapely.linestrings([[[0, 0], [1, 1]]] * 4),
        crs="EPSG:4546",
    )
    m = FieldMapping.from_dict(
        {"layer": "roads", "fields": {"road_id": "编号", "name": "名称", "road_class": "等级", "speed_kmh": "限速"}}
    )
    out, _ = apply_mapping(src, m)
    assert out["road_id"].tolist() == ["R1", "R2", "R3", "R4"]
    assert out["name"].tolist() == ["环城路", None, None, "x"]
    assert out["road_class"].tolist() == ["arterial", "local", "ring", None]  # no code for blank: missing
    assert out["speed_kmh"].iloc[:2].tolist() == [60.0, 1200.0] and out["speed_kmh"].iloc[2:].isna().all()
    m.fields["road_class"].values = {"": "local"}  # a code for blank covers missing values too
    out2, _ = apply_mapping(src.assign(等级=["主干路", None, "ring", ""]), m)
    assert out2["road_class"].tolist() == ["arterial", "local", "ring", "local"]
    assert set(clean_text_fields(m)) == {"road_id", "name"}  # coded fields are cleaned by conform
    pd.testing.assert_frame_equal(conform("roads", out, clean=clean_text_fields(m)), conform("roads", out))


# ------------------------------------------------------------------ geometry repair


def _naive_duplicates(geoms):
    seen, out = {}, []
    for k, w in enumerate(shapely.to_wkb(geoms)):
        if w in seen:
            out.append((k, seen[w]))
        else:
            seen[w] = k
    return out


def test_duplicates_match_the_plain_loop():
    rng = np.random.default_rng(3)
    x, y = rng.integers(0, 30, 400).astype(float), rng.integers(0, 30, 400).astype(float)
    pts = shapely.points(x, y)
    assert _duplicates(pts) == _naive_duplicates(pts) and len(_naive_duplicates(pts)) > 0
    boxes = shapely.box(x, y, x + 1, y + 1)
    boxes[5] = shapely.box(x[5] + 1, y[5] + 1, x[5], y[5])  # same box, other vertex order: not a copy
    assert _duplicates(boxes) == _naive_duplicates(boxes)
    assert _duplicates(shapely.points([0.0, 1.0], [0.0, 1.0])) == []


def test_repair_closed_lines_and_duplicates_vectorized():
    ring = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]
    geoms = [
        shapely.LineString(ring),
        shapely.Polygon([[20, 0], [30, 0], [30, 10]]),
        shapely.Polygon([[20, 0], [30, 0], [30, 10]]),
        shapely.LineString([[0, 0], [5, 5]]),
        shapely.Polygon([[0, 0], [10, 10], [10, 0], [0, 10]]),
    ]  # bow-tie
    frame = gpd.GeoDataFrame({"compound_id": ["A", "B", "C", "D", "E"]}, geometry=geoms, crs="EPSG:4546")
    out, notes = repair_geometries(frame, "Polygon", "f.shp", "compounds", ids=frame["compound_id"].to_numpy())
    assert out["compound_id"].tolist() == ["A", "B", "C", "E"]
    assert shapely.equals(out.geometry.iloc[0], shapely.Polygon(ring))
    assert shapely.is_valid(np.asarray(out.geometry.values)).all()
    text = [str(n) for n in notes]
    assert any("closed line was turned into a polygon" in t for t in text)
    assert any("the same geometry as row B" in t for t in text)
    assert any("made valid" in t for t in text)


# ------------------------------------------------------------------ reading


def test_latin1_decoding_equals_gdal_recoding(tmp_path):
    path = F.gbk_shapefile(tmp_path)
    slow = pyogrio.read_dataframe(path, encoding="GB18030")
    fast, cut = fastread.read_frame(path, "Shapefile", None, {"encoding": "GB18030"})
    assert not cut and list(fast.columns) == list(slow.columns)
    for c in slow.columns:
        if c != "geometry":  # missing: None here, NaN from pyogrio; text_column makes both None
            assert [None if pd.isna(v) else v for v in fast[c]] == [None if pd.isna(v) else v for v in slow[c]], c
    texts = np.array(["青城", None, "", "a\u00e9"], dtype=object)
    raw = np.array([None if t is None else t.encode("gb18030").decode("latin-1") for t in texts], dtype=object)
    assert fastread.decode_latin1_texts(raw, "GB18030").tolist() == texts.tolist()
    assert fastread.needs_transcoding("GB18030") and not fastread.needs_transcoding("UTF-8")
    assert not fastread.needs_transcoding("ISO-8859-1") and not fastread.needs_transcoding(None)


def test_gbk_field_name_cut_mid_character(tmp_path):
    path = tmp_path / "cut.shp"
    frame = F.stations_frame().rename(columns={"供热面积": "供热面积万平方"})  # 14 bytes in GBK: cut at 10
    pyogrio.write_dataframe(frame, path, encoding="GBK")
    path.with_suffix(".cpg").unlink(missing_ok=True)
    r = import_layer(
        Project(),
        path,
        "stations",
        encoding="gbk",
        mapping={"layer": "stations", "fields": {"heated_area_m2": {"source": "供热面积万", "factor": 10000}}},
    )
    assert r.frame["name"].tolist() == F.STATION_NAMES
    assert r.frame["heated_area_m2"].iloc[0] == 125000.0


@pytest.mark.parametrize("use_arrow", [True, False])
def test_arrow_or_not_same_import(tmp_path, use_arrow, monkeypatch):
    path = F.gbk_shapefile(tmp_path)
    gpkg = tmp_path / "s.gpkg"
    pyogrio.write_dataframe(F.stations_frame(), gpkg)
    monkeypatch.setattr(fastread, "USE_ARROW", None)
    want = [import_layer(Project(), p, "stations").frame for p in (path, gpkg)]
    monkeypatch.setattr(fastread, "USE_ARROW", use_arrow)  # True without pyarrow: the plain read
    got = [import_layer(Project(), p, "stations").frame for p in (path, gpkg)]
    for a, b in zip(want, got):
        pd.testing.assert_frame_equal(
            pd.DataFrame(a.drop(columns="geometry")), pd.DataFrame(b.drop(columns="geometry"))
        )
        assert shapely.equals_exact(np.asarray(a.geometry.values), np.asarray(b.geometry.values), 1e-9).all()
    assert got[0]["name"].tolist() == F.STATION_NAMES
