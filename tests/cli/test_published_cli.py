"""Published records: every report records its figures and data version; ``heatgis published`` lists them;
``--since published`` compares with the last published report; the bundled demo keeps its records beside
the outputs only."""

from __future__ import annotations

import json
import shutil

import pytest

from heatgis.cli import main as heatgis_main
from heatgis.export.published import sha256_file

pytestmark = pytest.mark.qt


@pytest.fixture(scope="module")
def copy_and_outs(demo_path, tmp_path_factory, qapp):  # the session's QApplication, before export makes one
    base = tmp_path_factory.mktemp("published")
    proj = base / "city.gpkg"
    shutil.copy(demo_path, proj)
    d1, d2 = base / "d1", base / "d2"
    before = sha256_file(proj)
    assert heatgis_main(["report", str(proj), "--out", str(d1), "--at", "2022-02-25T08:00", "--no-plans"]) == 0
    after_first = sha256_file(proj)
    args = ["report", str(proj), "--out", str(d2), "--at", "2022-02-27T08:00", "--no-plans", "--since", "published"]
    assert heatgis_main([*args, "--decision", "是否增派焊工到新城区"]) == 0
    return proj, d1, d2, before, after_first


def test_records_in_the_project_and_beside_the_outputs(copy_and_outs, capsys):
    from heatgis.export.published import project_records
    from heatgis.model.store import open_project

    proj, d1, d2, before, after_first = copy_and_outs
    recs = project_records(open_project(proj))
    assert [r["at"] for r in recs] == ["2022-02-25T08:00", "2022-02-27T08:00"]
    first, second = recs
    assert first["figures"]["stations"] == 24 and first["figures"]["households"] == 38500
    assert first["data"]["sha256"] == before  # the file the figures came from (before the record was saved)
    assert second["data"]["sha256"] == after_first
    assert set(first["files"]) == {"map.pdf", "map.png", "report.xlsx", "briefing.pptx"}
    assert first["files"]["report.xlsx"] == sha256_file(d1 / "report.xlsx")
    # the second report compared with the first published one, not with a day earlier
    assert second["change"]["since"] == "2022-02-25T08:00" and second["change"]["basis"] == "published"
    assert "Z-051" in second["change"]["new_zones"]
    assert any("是否增派焊工到新城区" in d[1] for d in second["decisions"])
    side = json.loads((d2 / "published.json").read_text(encoding="utf-8"))
    assert len(side) == 1 and side[0]["at"] == "2022-02-27T08:00"


def test_published_lists_by_day(copy_and_outs, capsys):
    proj, *_ = copy_and_outs
    capsys.readouterr()
    assert heatgis_main(["published", str(proj), "--on", "2022-02-25"]) == 0
    out = capsys.readouterr().out
    assert "data time 2022-02-25 08:00" in out and "24 stations" in out and "2022-02-27" not in out
    assert heatgis_main(["published", str(proj), "--json"]) == 0
    recs = json.loads(capsys.readouterr().out)
    assert len(recs) == 2


def test_the_deck_leads_with_the_change_and_ends_with_decisions(copy_and_outs):
    from heatgis.export.pptx import slide_texts

    _, _, d2, *_ = copy_and_outs
    texts = slide_texts(d2 / "briefing.pptx")
    assert "对比 2022-02-25 08:00" in texts[0]
    assert "核心指标" in texts[1] and "较 02-25 08:00" in texts[1]
    assert "变化" in texts[2] and "Z-051" in texts[2] and "新增" in texts[2]
    assert "态势图" in texts[3] and "各区影响" in texts[4]
    assert "需决策事项" in texts[-1] and "是否增派焊工到新城区" in texts[-1]
    if shutil.which("pdftotext"):  # the printed page names the new zones under its subtitle
        import subprocess

        page = subprocess.run(["pdftotext", "-l", "1", str(d2 / "map.pdf"), "-"], capture_output=True, text=True).stdout
        assert "较 02-25 08:00：新增 Z-" in page


def test_bundled_demo_keeps_its_records_beside_the_outputs(demo_path, tmp_path, capsys):
    before = sha256_file(demo_path)
    assert heatgis_main(["report", "--out", str(tmp_path), "--no-plans"]) == 0
    assert sha256_file(demo_path) == before
    assert "the bundled demo is not changed" in capsys.readouterr().err
    recs = json.loads((tmp_path / "published.json").read_text(encoding="utf-8"))
    assert recs[0]["data"]["sha256"] == before and recs[0]["figures"]["sites"] == 27
    assert heatgis_main(["published", "--out", str(tmp_path)]) == 0
    assert "data time 2022-02-25 08:00" in capsys.readouterr().out
