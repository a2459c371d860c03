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
