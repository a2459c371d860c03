"""Bad files give a clear HeatGISError naming the file (and row) and leave the project untouched."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyogrio
import pytest

from heatgis.errors import HeatGISError
from heatgis.io.crsguess import guess_crs
from heatgis.io.encoding import detect_bytes_encoding, normalize_encoding
from heatgis.io.importer import import_layer
from heatgis.model.store import open_project, save_project
from tests.core import io_fixtures as F


@pytest.fixture
def saved(tiny_project, tmp_path):
    path = save_project(tiny_project, tmp_path / "p.gpkg")
    return path, path.read_bytes()


def frames_equal(a, b):
    assert set(a.layers) == set(b.layers)
    for k in a.layers:
        pd.testing.assert_frame_equal(pd.DataFrame(a.layers[k]), pd.DataFrame(b.layers[k]))


def bad_files(tmp):
    out = {}
    (tmp / "empty.geojson").write_bytes(b"")
    out["empty"] = (tmp / "empty.geojson", "the file is empty")
    shp = F.gbk_shapefile(tmp)
    data = shp.read_bytes()
    (tmp / "cut.shp").write_bytes(data[: len(data) // 2 + 7])
    for ext in (".shx", ".dbf", ".prj"):
        (tmp / ("cut" + ext)).write_bytes(shp.with_suffix(ext).read_bytes())
    out["truncated shp"] = (tmp / "cut.shp", "the .shp file is truncated")
    text = tmp / "ok.geojson"
    pyogrio.write_dataframe(F.stations_frame("EPSG:4326"), text, driver="GeoJSON")
    raw = text.read_bytes()
    (tmp / "cut.geojson").write_bytes(raw[: len(raw) // 2])
    out["truncated geojson"] = (tmp / "cut.geojson", "damaged, truncated")
    x = F.wan_xlsx(tmp)
    (tmp / "cut.xlsx").write_bytes(x.read_bytes()[:500])
    out["truncated xlsx"] = (tmp / "cut.xlsx", "damaged, truncated")
    nocrs = tmp / "nocrs.csv"
    pd.DataFrame(
        {"站名": ["甲"], "供热面积": [1e4], "户数": [1], "管网": "N", "运营所": "D", "X": [1234.0], "Y": [5678.0]}
    ).to_csv(nocrs, index=False)
    out["no crs"] = (nocrs, "no coordinate system")
    badnum = tmp / "badnum.csv"
    pd.DataFrame(
        {
            "站名": ["甲", "乙", "丙"],
            "供热面积": ["1.2", "约3万", "2"],
            "户数": [1, 2, 3],
            "管网": "N",
            "运营所": "D",
            "经度": [111.6, 111.7, 111.8],
            "纬度": [40.8, 40.8, 40.8],
        }
    ).to_csv(badnum, index=False)
    out["bad number"] = (badnum, "row 3")  # header is line 1: '约3万' is on line 3
    badxy = tmp / "badxy.csv"
    pd.DataFrame({"站名": ["甲", "乙"], "经度": [111.6, None], "纬度": [40.8, 40.9]}).to_csv(badxy, index=False)
    out["missing coordinate"] = (badxy, "row 3")
    dup = tmp / "dup.csv"
    pd.DataFrame(
        {
            "站号": ["S1", "S1"],
            "站名": ["甲", "乙"],
            "供热面积": [1e4, 2e4],
            "户数": [1, 2],
            "管网": "N",
            "运营所": "D",
            "经度(WGS84)": [111.6, 111.7],
            "纬度(WGS84)": [40.8, 40.8],
        }
    ).to_csv(dup, index=False)
    out["duplicate id"] = (dup, "the id 'S1' is used twice")
    (tmp / "x.xls").write_bytes(b"\xd0\xcf\x11\xe0 old excel")
    out["xls"] = (tmp / "x.xls", "save the sheet as .xlsx")
    (tmp / "a.docx").write_bytes(b"PK")
    out["unknown type"] = (tmp / "a.docx", "not one I can import")
    out["missing"] = (tmp / "nope.shp", "does not exist")
    return out


def test_bad_files_clear_errors_and_project_untouched(saved, tmp_path):
    path, before_bytes = saved
    project = open_project(path)
    reference = open_project(path)
    for what, (f, expected) in bad_files(tmp_path / "in" if (tmp_path / "in").mkdir() is None else None).items():
        with pytest.raises(HeatGISError) as info:
            import_layer(project, f, "stations")
        msg = str(info.value)
        assert expected in msg, (what, msg)
        assert str(f) in msg, (what, msg)  # the message names the file
        frames_equal(project, reference)
    assert path.read_bytes() == before_bytes


#: the Chinese of each bad file's error
BAD_FILES_ZH = {
    "empty": "文件是空的",
    "truncated shp": ".shp 文件不完整",
    "truncated geojson": "无法读取文件",
    "truncated xlsx": "无法读取文件",
    "no crs": "文件没有坐标系",
    "bad number": "不是数字",
    "missing coordinate": "没有可用的坐标",
    "xls": "不能读取旧版 Excel .xls 文件",
    "unknown type": "不能导入 '.docx' 类型的文件",
    "missing": "文件不存在",
}


def test_bad_files_errors_in_chinese(tmp_path):
    """The same bad files, the error said in Chinese: the Chinese words, the file named, no English sentence
    but GDAL's own reason in brackets (the duplicate id is the contract's check, said by the model)."""
    from heatgis.model.project import Project

    (tmp_path / "in").mkdir()
    for what, (f, _) in bad_files(tmp_path / "in").items():
        if what == "duplicate id":
            continue
        with pytest.raises(HeatGISError) as info:
            import_layer(Project(), f, "stations")
        zh = info.value.text("zh")
        assert zh.startswith("错误：") and str(f) in zh, (what, zh)
        assert BAD_FILES_ZH[what] in zh, (what, zh)
        said = re.sub(r"扩展名不符（.*?） ", "", zh.replace(str(f), ""))  # GDAL's own words in brackets
        assert "解决办法：" in zh and not F.english_sentences(said), (what, zh)


def test_cli_failure_leaves_file_bytes(saved, tmp_path, capsys):
    import argparse

    from heatgis.cli.importing import cmd_import

    path, before = saved
    (tmp_path / "e.csv").write_bytes(b"")
    args = argparse.Namespace(
        project=str(path),
        file=str(tmp_path / "e.csv"),
        layer="stations",
        mapping=None,
        from_crs=None,
        encoding=None,
        source_layer=None,
        x=None,
        y=None,
        append=False,
        replace=True,
        force=False,
        save_mapping=None,
        dry_run=False,
    )
    with pytest.raises(HeatGISError, match="empty"):
        cmd_import(args)
    assert path.read_bytes() == before


def test_unknown_layer_crs_encoding(tmp_path):
    f = F.gcj_csv(tmp_path)
    with pytest.raises(HeatGISError, match="unknown layer 'station'"):
        import_layer(None, f, "station")
    with pytest.raises(HeatGISError, match="not a coordinate system I know"):
        import_layer(None, f, "stations", from_crs="mars")
    with pytest.raises(HeatGISError, match="not a text encoding"):
        normalize_encoding("klingon")
    with pytest.raises(HeatGISError) as info:
        import_layer(None, f, "stations", from_crs="mars")
    assert info.value.text("zh") == (
        "错误：'mars' 不是可识别的坐标系 解决办法：请使用 gcj02（高德/腾讯）、bd09（百度）、wgs84，"
        "或 EPSG 代码，如 EPSG:4546 或 EPSG:4525"
    )


def test_offset_crs_needs_degrees(tmp_path):
    from heatgis.model.project import Project

    f = tmp_path / "m.csv"
    pd.DataFrame(
        {"站名": ["甲"], "供热面积": [1e4], "户数": [1], "管网": "N", "运营所": "D", "X": [452000.0], "Y": [4519000.0]}
    ).to_csv(f, index=False)
    with pytest.raises(HeatGISError, match="GCJ-02 applies to longitudes/latitudes"):
        import_layer(Project(), f, "stations", from_crs="gcj02")


def test_encoding_detection():
    gbk = "青城花园换热站,电力小区".encode("gbk")
    assert detect_bytes_encoding(gbk).encoding == "GB18030"
    assert detect_bytes_encoding("青城花园".encode()).encoding == "UTF-8"
    assert detect_bytes_encoding(b"\xef\xbb\xbfabc").encoding == "UTF-8-SIG"
    assert detect_bytes_encoding(b"plain").encoding == "UTF-8"
    assert normalize_encoding("gbk") == "GB18030" and normalize_encoding("utf8") == "UTF-8"


@pytest.mark.parametrize(
    "x, y, kw, crs, conf",
    [
        ([111.6, 111.8], [40.7, 40.9], {}, "EPSG:4326", "high"),
        ([37_452_000, 37_470_000], [4_510_000, 4_530_000], {}, "EPSG:4525", "high"),
        ([39_452_000, 39_470_000], [4_410_000, 4_430_000], {}, "EPSG:4527", "high"),
        ([452_000, 470_000], [4_510_000, 4_530_000], {"project_crs": "EPSG:4546"}, "EPSG:4546", "medium"),
        ([452_000, 470_000], [4_510_000, 4_530_000], {"hint_lon": 117.2}, "EPSG:4548", "medium"),
        ([452_000, 470_000], [4_510_000, 4_530_000], {}, None, "low"),
        ([19_452_000, 19_470_000], [4_510_000, 4_530_000], {}, "EPSG:4497", "medium"),
        ([1234.0, 2000.0], [5678.0, 6000.0], {}, None, "none"),
    ],
)
def test_crs_guess(x, y, kw, crs, conf):
    g = guess_crs(np.array(x, float), np.array(y, float), **kw)
    assert (g.crs, g.confidence) == (crs, conf)
    assert g.reason


def test_cancel_through_feedback_imports_nothing(saved, tmp_path):
    """A cancelled import raises Cancelled (not an error) at its next step; the project is untouched."""
    from heatgis.errors import Cancelled, Feedback

    path, _ = saved
    project = open_project(path)
    before = open_project(path)
    f = tmp_path / "ok.geojson"
    pyogrio.write_dataframe(F.stations_frame("EPSG:4326"), f, driver="GeoJSON")
    steps = []

    def on_progress(pct, message):
        steps.append(message)
        if message == "mapping fields":
            fb.cancel()

    fb = Feedback(on_progress)
    with pytest.raises(Cancelled):
        import_layer(project, f, "stations", feedback=fb)
    assert steps[-1] == "mapping fields" and "done" not in steps
    frames_equal(project, before)
    done = []
    r = import_layer(project, f, "stations", feedback=Feedback(lambda pct, m: done.append(pct)))
    assert done[-1] == 100.0 and len(r.frame) == 5
