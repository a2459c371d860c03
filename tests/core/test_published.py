"""The published records without Qt: kept in the metadata (newest last, at most KEEP), read from a
folder, found by day, the last one before a time."""

from __future__ import annotations

import json

from heatgis.export import published as P
from heatgis.model.project import Project


def _rec(at, published, out="o"):
    return {"at": at, "published": published, "out": out, "figures": {"stations": 1}, "data": {"sha256": "ab" * 32}}


def test_records_in_the_metadata_and_the_folder(tmp_path):
    project = Project({}, meta={})
    assert P.project_records(project) == []
    project.meta[P.META_KEY] = P.with_record(project, _rec("2022-02-25T08:00", "2022-02-25T09:00:00"))
    project.meta[P.META_KEY] = P.with_record(project, _rec("2022-02-26T08:00", "2022-02-26T09:00:00"))
    assert [r["at"] for r in P.project_records(project)] == ["2022-02-25T08:00", "2022-02-26T08:00"]
    assert P.last_record(project, before="2022-02-26T08:00")["at"] == "2022-02-25T08:00"
    assert P.last_record(project, before="2022-02-25T08:00") is None
    side = P.write_sidecar(tmp_path, _rec("2022-02-27T08:00", "2022-02-27T09:00:00"))
    assert json.loads(side.read_text(encoding="utf-8"))[0]["at"] == "2022-02-27T08:00"
    assert P.last_record(project, tmp_path)["at"] == "2022-02-27T08:00"
    on = P.records_on(P.project_records(project), "2022-02-25")
    assert [r["at"] for r in on] == ["2022-02-25T08:00"]
    project.meta[P.META_KEY] = "not json"  # a damaged value reads as none, never an error
    assert P.project_records(project) == []


def test_metadata_keeps_the_latest(tmp_path):
    project = Project({}, meta={})
    for k in range(P.KEEP + 5):
        project.meta[P.META_KEY] = P.with_record(project, _rec(f"2022-02-25T08:{k % 60:02d}", f"p{k:04d}"))
    recs = P.project_records(project)
    assert len(recs) == P.KEEP and recs[-1]["published"] == f"p{P.KEEP + 4:04d}"


def test_record_lines_in_both_languages():
    rec = _rec("2022-02-25T08:00", "2022-02-25T09:00:00")
    rec["figures"] = {"stations": 24, "boiler_rooms": 3, "heated_area_m2": 5159000, "households": 38500}
    rec["change"] = {"since": "2022-02-24T08:00", "delta": {"sites": 2}, "new_zones": ["Z-1"], "lifted_zones": []}
    zh, en = "\n".join(P.record_lines(rec, "zh")), "\n".join(P.record_lines(rec, "en"))
    assert "数据时间 2022-02-25 08:00" in zh and "515.90 万㎡" in zh and "锁闭站点 +2" in zh
    assert "data time 2022-02-25 08:00" in en and "24 stations" in en and "new zones 1" in en
    assert "515.90 10k m², 3.85 10k households" in en and "万" not in en
