"""Lockdown notice → zones, on a realistic announcement naming 30 compounds of the demo city."""

from __future__ import annotations

import zipfile
from collections import defaultdict

import pandas as pd
import pytest

from heatgis.io.commands import AddZones
from heatgis.io.notice import match_names, parse_notice, read_notice, split_name
from heatgis.io.notice_zones import notice_to_zones, rebuild_zones

HOMOPHONES = {"锦绣": "锦秀", "维多利": "维多丽", "碧桂园": "碧贵园", "秀水": "绣水", "青城": "清城"}
YUAN = {"花园", "家园", "嘉园", "园", "苑", "佳苑"}


def build_notice(compounds):
    """A notice in the style of the Hohhot command centre, and what each name must give."""
    c = compounds.sort_values("compound_id").reset_index(drop=True)
    parts = {n: split_name(n) for n in c["name"]}
    where = defaultdict(set)  # (core, phase, suffix-kind) -> districts
    for n, d in zip(c["name"], c["district"]):
        core, suf, ph = parts[n]
        where[(core, ph, "yuan" if suf in YUAN else suf)].add(d)
    used, expect = set(), []  # (written, compound_id, district, level, status)

    def take(row, written, status, level="sealed"):
        used.add(row.compound_id)
        expect.append((written, row.compound_id, row.district, level, status))

    rows = list(c.itertuples())
    # two 家园 written as 花园, where no other 园/苑 compound of that core is in the same district
    for r in rows:
        core, suf, ph = parts[r.name]
        if (
            suf == "家园"
            and not ph
            and len(core) >= 2
            and core + "花园" not in parts
            and sum(
                1
                for n2, d2 in zip(c["name"], c["district"])
                if d2 == r.district and parts[n2][0] == core and not parts[n2][2] and parts[n2][1] in YUAN
            )
            == 1
        ):
            take(r, core + "花园", "matched")
            if sum(e[4] == "matched" for e in expect) == 2:
                break
    # three XX小区 written without 小区
    for r in rows:
        core, suf, ph = parts[r.name]
        if (
            suf == "小区"
            and not ph
            and len(core) >= 2
            and r.compound_id not in used
            and core not in {e[0] for e in expect}
        ):
            take(r, core, "matched")
            if len(expect) == 5:
                break
    # two typos (homophone characters), to be confirmed
    for prefix, typo in list(HOMOPHONES.items())[:2]:
        r = next(r for r in rows if r.name == prefix + "花园")
        take(r, typo + "花园", "confirm")
    # one with the buildings named after it
    r = next(r for r in rows if r.compound_id not in used and parts[r.name][1] == "花园" and not parts[r.name][2])
    take(r, r.name + "(1-5号楼)", "matched")
    # nineteen exact, three more exact in a 管控区 section
    pool = [r for r in rows if r.compound_id not in used][::80]
    for r in pool[:19]:
        take(r, r.name, "matched")
    for r in pool[19:22]:
        take(r, r.name, "matched", level="controlled")
    assert len(expect) == 30

    by_district = defaultdict(list)
    for e in expect:
        if e[3] == "sealed":
            by_district[e[2]].append(e[0])
    num = "一二三四五六七八九"
    lines = [
        "呼和浩特市新冠肺炎疫情防控指挥部通告",
        "（第26号）",
        "",
        "根据《中华人民共和国传染病防治法》《突发公共卫生事件应急条例》等法律法规规定，经市疫情防控指挥部研究"
        "决定，自2022年2月25日8时起，将以下区域划定为封控区：",
        "",
    ]
    for k, (d, names) in enumerate(sorted(by_district.items())):
        extra = "、内蒙古自治区第二毛纺织厂家属区" if k == 0 else ("、内蒙古饭店" if k == 1 else "")
        lines.append(f"{num[k]}、{d}：" + "、".join(names) + extra + "。")
    ctrl = [e for e in expect if e[3] == "controlled"]
    lines += ["", "将以下区域划定为管控区："]
    for d in sorted({e[2] for e in ctrl}):
        lines.append(f"{d}：" + "、".join(e[0] for e in ctrl if e[2] == d) + "等小区。")
    lines += [
        "",
        "封控区内实行“区域封闭、足不出户、服务上门”管理措施，管控区内实行“人不出区、严禁聚集”。请广大市民积极"
        "配合，非必要不外出。",
        "",
        "特此通告。",
        "",
        "呼和浩特市新冠肺炎疫情防控指挥部",
        "2022年2月25日",
    ]
    return "\n".join(lines), expect


@pytest.fixture(scope="module")
def notice(demo_project):
    return build_notice(pd.DataFrame(demo_project.layer("compounds").drop(columns="geometry")))


def test_parse_finds_every_name_and_the_date(notice):
    text, expect = notice
    n = parse_notice(text)
    assert n.title == "呼和浩特市新冠肺炎疫情防控指挥部通告"
    assert n.date == pd.Timestamp("2022-02-25T08:00")
    written = [x.text for x in n.names]
    want = [e[0].split("(")[0] for e in expect]
    assert sorted(written) == sorted(want + ["内蒙古自治区第二毛纺织厂家属区", "内蒙古饭店"])
    levels = {x.text: x.level for x in n.names}
    assert all(levels[e[0].split("(")[0]] == e[3] for e in expect)
    districts = {x.text: x.district for x in n.names}
    assert all(districts[e[0].split("(")[0]] == e[2] for e in expect)


def test_notice_gives_the_right_zones(notice, demo_project):
    text, expect = notice
    result = notice_to_zones(demo_project, text)
    status = {m.query.text: m for m in result.matches}
    for written, cid, _, _, st in expect:
        m = status[written.split("(")[0]]
        assert m.status == st, (written, m.status, m.candidates[:3])
        assert m.chosen.compound_id == cid, (written, m.candidates[:3])
    assert {m.query.text for m in result.unmatched} == {"内蒙古自治区第二毛纺织厂家属区", "内蒙古饭店"}
    assert len(result.zones) == 28  # the two typos wait for the planner
    for m in result.to_confirm:
        m.confirm()
    zones = rebuild_zones(demo_project, result)
    assert len(zones) == 30
    comp = demo_project.layer("compounds").set_index("compound_id")
    want = {cid: (lvl) for _, cid, _, lvl, _ in expect}
    got = dict(zip(zones["name"], zones["level"]))
    assert got == {comp.loc[cid, "name"]: lvl for cid, lvl in want.items()}
    assert (zones["start"] == pd.Timestamp("2022-02-25T08:00")).all() and zones["end"].isna().all()
    assert zones["zone_id"].is_unique and zones["zone_id"].str.startswith("N20220225-").all()
    by_name = comp.reset_index().set_index("name")
    for name, g in zip(zones["name"], zones.geometry):
        poly = by_name.loc[name, "geometry"]
        assert g.contains(poly) and g.area < poly.buffer(3.5).area
    assert zones["notes"].str.contains("1-5号楼").sum() == 1

    before = len(demo_project.layer("lockdown_zones"))
    from heatgis.model.project import Project

    p = Project(dict(demo_project.layers), dict(demo_project.meta))
    cmd = AddZones(zones)
    cmd.do(p)
    assert len(p.layer("lockdown_zones")) == before + 30
    cmd.undo(p)
    assert len(p.layer("lockdown_zones")) == before


def test_docx_and_gbk_txt(notice, demo_project, tmp_path):
    text, _ = notice
    (tmp_path / "n.txt").write_bytes(text.encode("gbk"))
    assert read_notice(tmp_path / "n.txt") == text
    body = "".join(
        f'<w:p><w:r><w:t>{line[:5]}</w:t></w:r><w:r><w:t xml:space="preserve">{line[5:]}</w:t></w:r></w:p>'
        for line in text.split("\n")
    )
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.'
        'openxmlformats.org/wordprocessingml/2006/main"><w:body>' + body + "</w:body></w:document>"
    )
    with zipfile.ZipFile(tmp_path / "n.docx", "w") as z:
        z.writestr("word/document.xml", xml)
    got = read_notice(tmp_path / "n.docx")
    assert got == text
    assert [x.text for x in parse_notice(got).names] == [x.text for x in parse_notice(text).names]


def test_small_cases():
    assert split_name("电力小区二期") == ("电力", "小区", "二期")
    assert split_name("青城") == ("青城", "", "")
    comp = pd.DataFrame({"compound_id": ["A", "B", "C"], "name": ["富润家园", "农大小区-北区", "青城花园"]})
    ms = match_names(["富润家园", "农大小区北区", "青城花园小区", "不存在大厦"], comp)
    assert [(m.status, m.chosen.compound_id if m.chosen else None) for m in ms] == [
        ("matched", "A"),
        ("matched", "B"),
        ("matched", "C"),
        ("unmatched", None),
    ]
    from heatgis.errors import HeatGISError

    with pytest.raises(HeatGISError, match="no compounds"):
        match_names(["甲"], comp.iloc[:0])
    with pytest.raises(HeatGISError) as info:
        match_names(["甲"], comp.iloc[:0])
    assert info.value.text("zh") == (
        "错误：图层 compounds：项目中没有小区，无法与通告匹配 解决办法：请先导入小区图层（compounds）"
    )


def test_notice_errors_and_notes_in_chinese(demo_project, tmp_path):
    from heatgis.errors import HeatGISError
    from tests.core.io_fixtures import english_sentences

    with pytest.raises(HeatGISError) as info:
        read_notice(tmp_path / "通告.txt")
    zh = info.value.text("zh")
    assert zh.startswith("错误：") and "通告文件不存在" in zh and "请检查路径" in zh
    with pytest.raises(HeatGISError) as info:
        notice_to_zones(demo_project, "特此通告。")
    assert info.value.text("zh") == (
        "错误：通告中没有找到小区名称 解决办法：请粘贴小区名单（名称用、分隔，或每行一个）"
    )
    r = notice_to_zones(demo_project, "通告\n自2022年2月26日0时起，将以下区域划定为封控区：\n新城区：不存在大厦。")
    (n,) = r.notes
    assert n.text("zh") == (
        "警告：图层 compounds，第 3 行：'不存在大厦' 没有匹配到小区 解决办法：请手工绘制该管控区，或核对名称"
    )
    assert str(n) == (
        "warning: layer compounds, row 3: '不存在大厦' matched no compound "
        "Fix: draw this zone by hand, or check the name"
    )
    assert not english_sentences(n.text("zh"))
