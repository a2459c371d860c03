"""``heatgis report`` end to end: four files, real contents; bad input exits 2 with a clear message."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from heatgis.cli import main as heatgis_main


def main(args):
    return heatgis_main(["report", *args])


#: the command prints maps with QtGui (the session's QApplication comes with the marker)
pytestmark = pytest.mark.qt


@pytest.fixture(scope="module")
def out(demo_path, tmp_path_factory):
    d = tmp_path_factory.mktemp("report")
    assert (
        main(
            [
                str(demo_path),
                "--out",
                str(d),
                "--paper",
                "A3",
                "--landscape",
                "--dpi",
                "150",
                "--atlas",
                "districts",
                "--time-limit",
                "1",
            ]
        )
        == 0
    )
    return d


def test_writes_the_four_files(out):
    for name in ("map.pdf", "map.png", "report.xlsx", "briefing.pptx"):
        assert (out / name).stat().st_size > 1000
    assert not list(out.glob(".*.png"))


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils not installed")
def test_pdf_is_a3_with_district_atlas(out):
    info = subprocess.run(["pdfinfo", str(out / "map.pdf")], capture_output=True, text=True, check=True).stdout
    assert "1191 x 842 pts (A3)" in info
    assert "Pages:           10" in info  # situation map + 9 districts
    text = subprocess.run(["pdftotext", "-l", "1", str(out / "map.pdf"), "-"], capture_output=True, text=True).stdout
    assert "515.90" in text and "3.85" in text
    assert "较昨日 ±0" in text  # each KPI tile carries its change since a day earlier


def test_png_size_and_plans_in_outputs(out):
    from openpyxl import load_workbook
    from PySide6 import QtGui

    img = QtGui.QImage(str(out / "map.png"))
    assert (img.width(), img.height()) == (2480, 1754)  # A3 landscape at 150 dpi
    wb = load_workbook(out / "report.xlsx")
    assert {"人员安排", "抢修路线", "抢修队", "值班表", "覆盖率"} <= set(wb.sheetnames)
    from heatgis.export.pptx import slide_texts

    texts = slide_texts(out / "briefing.pptx")
    # the demo's crews have members: the crew slide shows the operations plan's coverage, not kilometres
    assert any("抢修队值守覆盖" in t for t in texts) and any("驻守安排" in t for t in texts)
    assert not any("抢修队路线" in t for t in texts)


def test_bad_input_exits_2(demo_path, tmp_path, capsys):
    assert main([str(demo_path), "--out", str(tmp_path), "--paper", "B5"]) == 2
    assert "paper 'B5' is not supported" in capsys.readouterr().err
    assert main([str(demo_path), "--out", str(tmp_path), "--district", "月球区", "--no-plans"]) == 2
    err = capsys.readouterr().err
    assert "月球区" in err and "新城区" in err
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main([str(demo_path), "--out", str(blocker / "sub"), "--no-plans"]) == 2
    assert "cannot be created" in capsys.readouterr().err
    assert main([str(tmp_path / "missing.gpkg"), "--out", str(tmp_path), "--no-plans"]) == 2


def test_workbook_reads_like_a_planners_sheet(out):
    """Frozen header, autofilter, A4 landscape fit to width with the header on every page; times as
    date-times, minutes and km instead of seconds and metres, 万㎡ in the summaries, codes in Chinese."""
    import datetime as dt

    from openpyxl import load_workbook

    wb = load_workbook(out / "report.xlsx")
    for name in ("锁闭站点", "管控区汇总", "人员安排", "值班表", "车辆路线"):
        ws = wb[name]
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:"), name
        assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"  # A4
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == "$1:$1"
    head = {name: [c.value for c in wb[name][1]] for name in wb.sheetnames}
    assert "行驶(分钟)" in head["车辆路线"] and "行驶距离(km)" in head["车辆路线"]
    assert not any("(秒)" in str(h) for hs in head.values() for h in hs)
    assert "供热面积(万㎡)" in head["各区汇总"] and "供热面积(万㎡)" in head["管控区汇总"]
    assert "姓名" not in head["交抢修队站点"] and "站点名称" in head["交抢修队站点"]
    zones = list(wb["管控区汇总"].iter_rows(min_row=2, values_only=True))
    assert isinstance(zones[0][head["管控区汇总"].index("开始时间")], dt.datetime)
    roles = {r[head["居家员工"].index("岗位")] for r in wb["居家员工"].iter_rows(min_row=2, values_only=True)}
    assert roles and not roles & {"operator", "boiler_operator", "electrician"}
    kpi = [r for r in wb["概况"].iter_rows(values_only=True)]
    assert kpi[0][3] == "较昨日变化"  # the change column, with the value a day earlier beside it
