"""Search by name, id, pinyin initials, full pinyin and address (the core index behind the search box)."""

from __future__ import annotations

import pytest

from heatgis.analysis.search import SearchIndex, pinyin_keys


@pytest.fixture(scope="module")
def index(demo_project):
    return SearchIndex.from_project(demo_project)


def first(index, q, layers=None):
    hits = index.search(q, layers=layers)
    assert hits, q
    return hits[0]


def test_by_name(index):
    h = first(index, "华润苑")
    assert (h.layer, h.id, h.name) == ("compounds", "C-0656", "华润苑")
    assert first(index, "易军").id == "E-0001"  # staff by name
    assert first(index, "民族苑一期封控区").id == "Z-001"  # a zone
    assert first(index, "新城区").layer == "districts"


def test_by_id(index, demo_project):
    h = first(index, "ST-0025")
    assert (h.layer, h.id) == ("stations", "ST-0025")
    assert h.name == demo_project.layer("stations").set_index("station_id").loc["ST-0025", "name"]
    assert first(index, "st0025").id == "ST-0025"  # case and dashes do not matter
    assert first(index, "gb-001").layer == "boiler_rooms"
    assert first(index, "z-001").layer == "lockdown_zones"


def test_by_pinyin_initials(index, demo_project):
    h = first(index, "hry")
    assert (h.layer, h.name) == ("compounds", "华润苑")
    assert first(index, "HRY").name == "华润苑"
    names = [x.name for x in index.search("hry", limit=8)]
    assert "华润苑换热站" in names
    assert all(n.startswith("华润") for n in names[:4])  # before other readings (格日乐: 格 he, 乐 yue)
    st = first(index, "mzyyqfkq")  # 民族苑一期封控区
    assert st.id == "Z-001"


def test_by_full_pinyin(index):
    assert first(index, "huarunyuan").name == "华润苑"
    assert first(index, "hua run yuan").name == "华润苑"
    assert first(index, "minzuyuanyiqi").name.startswith("民族苑一期")
    assert "Z-001" in [h.id for h in index.search("minzuyuanyiqi", limit=3)]


def test_by_address_and_ranking(index):
    h = first(index, "乌兰察布路 358")
    assert h.layer == "stations" and "乌兰察布路" in h.detail
    assert index.search("") == [] and index.search("   ") == []
    assert index.search("zzzzzzqqqq") == []
    hits = index.search("华润", limit=50)
    assert [x.score for x in hits] == sorted(x.score for x in hits)
    assert all(x.layer == "stations" for x in index.search("华润", layers=["stations"]))


def test_pinyin_keys_readings_and_umlaut():
    full, inits = pinyin_keys("重庆路")
    assert set(inits) >= {"zql", "cql"} and "chongqinglu" in full
    assert "lv" in pinyin_keys("吕")[0] and "lu" in pinyin_keys("吕")[0]
    assert pinyin_keys("ST-0025") == ((), ())
    assert pinyin_keys("A区华润")[1][0] == "aqhr"
