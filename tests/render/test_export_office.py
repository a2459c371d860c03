"""The Excel report and the PPTX deck reopened: figures equal the core's ImpactResult."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def result(demo_project):
    from heatgis.analysis.impact import impact

    return impact(demo_project)


@pytest.fixture(scope="module")
def staffing(demo_project):
    from heatgis.analysis.staffing import plan_staffing

    return plan_staffing(demo_project)


def test_xlsx_figures_equal_the_core(result, staffing, tmp_path):
    from openpyxl import load_workbook

    from heatgis.export.xlsx import write_report_xlsx

    path = write_report_xlsx(result, tmp_path / "r.xlsx", staffing=staffing)
    wb = load_workbook(path)
    assert wb.sheetnames[:7] == ["概况", "锁闭站点", "管控区汇总", "各区汇总", "各管网汇总", "各运营所汇总", "居家员工"]
    assert "人员安排" in wb.sheetnames and "交抢修队站点" in wb.sheetnames
    kpi = {r[0]: r[2] for r in wb["概况"].iter_rows(min_row=2, values_only=True)}
    t = result.totals
    assert kpi["锁闭换热站"] == t.stations == 24
    assert kpi["锁闭锅炉房"] == t.boiler_rooms == 3
    assert kpi["影响供热面积(万㎡)"] == pytest.approx(515.9)
    assert kpi["影响户数(万户)"] == pytest.approx(3.85)
    assert kpi["影响户数"] == t.households and kpi["居家封控员工"] == t.staff_locked_in
    assert kpi["抢修队"] == 15 and kpi["抢修队员"] == 248
    ws = wb["锁闭站点"]
    assert ws.freeze_panes == "A2"
    assert [c.value for c in ws[1]][:3] == ["类型", "编号", "名称"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(result.sites)
    area_col = [c.value for c in ws[1]].index("供热面积(㎡)")
    assert sum(r[area_col] for r in rows) == pytest.approx(t.heated_area_m2)
    assert ws.cell(2, area_col + 1).number_format == "#,##0"
    assert ws.column_dimensions["C"].width >= 10
    d = list(wb["各区汇总"].iter_rows(min_row=2, values_only=True))
    assert sum(r[1] for r in d) == t.stations
    assert len(list(wb["居家员工"].iter_rows(min_row=2))) == t.staff_locked_in
    assert len(list(wb["人员安排"].iter_rows(min_row=2))) == len(staffing.assignments)
    assert [c.value for c in wb["人员安排"][1]][:2] == ["工号", "姓名"]


def test_xlsx_into_missing_folder(result, tmp_path):
    from heatgis.errors import HeatGISError
    from heatgis.export.xlsx import write_report_xlsx

    with pytest.raises(HeatGISError, match="does not exist"):
        write_report_xlsx(result, tmp_path / "missing" / "r.xlsx")


def test_pptx_slides_and_numbers(demo_project, result, staffing, tmp_path, qapp):
    from pptx import Presentation
    from pptx.oxml.ns import qn

    from heatgis.analysis.timeline import timeline
    from heatgis.export.charts import timeline_chart
    from heatgis.export.pages import map_renderer, situation_page
    from heatgis.export.pdf import write_png
    from heatgis.export.pptx import slide_texts, write_briefing_pptx
    from heatgis.render.layout import PageSpec

    r = map_renderer(demo_project, result)
    png = write_png(situation_page(demo_project, result, r), PageSpec("A4", True, 150), tmp_path / "m.png", r)
    chart = tmp_path / "t.png"
    assert timeline_chart(timeline(demo_project), result.at).save(str(chart))
    path = write_briefing_pptx(
        result, tmp_path / "b.pptx", png, chart, staffing, None, title="呼和浩特 疫情封控区供热影响"
    )
    prs = Presentation(str(path))
    assert prs.slide_width * 9 == prs.slide_height * 16
    texts = slide_texts(path)
    # title, KPIs, map, by district, zone table(s), staffing, timeline, decisions (no change given: no change slide)
    from heatgis.export.pages import zones_with_impact

    shown, _ = zones_with_impact(result.zones)
    chunks = -(-len(shown) // 12)
    assert len(texts) == 4 + chunks + 3
    assert "呼和浩特 疫情封控区供热影响" in texts[0]
    assert "2022-02-25 08:00" in texts[0]
    kpis = texts[1]
    for figure in ("24", "3", "515.90", "万㎡", "3.85", "436", "15/248"):
        assert figure in kpis
    pics = [sh for sh in prs.slides[2].shapes if sh.shape_type == 13]
    assert len(pics) == 1
    assert "各区影响" in texts[3] and "新城区" in texts[3]
    table = "\n".join(texts[4 : 4 + chunks])
    z = shown.iloc[0]  # most households first; precaution zones (they lock nothing) are not listed
    assert table.index(z["zone_id"]) < table.index(shown.iloc[-1]["zone_id"]) and z["name"] in table
    assert "\t防范区\t" not in table
    assert "驻守安排" in texts[-3] and str(staffing.totals["left_to_crews"]) in texts[-3]
    assert "时间线" in texts[-2] and "需决策事项" in texts[-1] and "驻守缺口" in texts[-1]
    # every KPI figure fits its tile: measured in the CJK font (with the margin for YaHei's wider figures)
    from heatgis.export.briefing import WIDE, text_em

    checked = 0
    for sh in prs.slides[1].shapes:
        if not sh.has_text_frame or not sh.text_frame.paragraphs[0].runs:
            continue
        runs = sh.text_frame.paragraphs[0].runs
        if len(runs) == 2:  # value and unit
            width_pt = sh.width / 12700 - 14.4  # less the box's default insets (0.1 in each side)
            used = text_em(runs[0].text) * runs[0].font.size.pt + text_em(runs[1].text, False) * runs[1].font.size.pt
            assert used * WIDE <= width_pt, runs[0].text
            checked += 1
    assert checked == 6
    ea = [e.get("typeface") for s in prs.slides for e in s._element.iter(qn("a:ea"))]
    assert ea and set(ea) == {"Microsoft YaHei"}


def test_report_cancel_through_feedback_leaves_nothing(demo_project, tmp_path):
    """Cancelled after the map, the picture and the workbook were written: Cancelled is raised and
    none of the files stays (no half-written report)."""
    from heatgis.errors import Cancelled, Feedback
    from heatgis.export.report import ReportOptions, write_report

    steps = []

    def on_progress(pct, message):
        steps.append(message)
        if message == "workbook":
            fb.cancel()

    fb = Feedback(on_progress)
    out = tmp_path / "report"
    with pytest.raises(Cancelled):
        write_report(demo_project, out, ReportOptions(plans=False), feedback=fb)
    assert steps.index("map") < steps.index("picture") < steps.index("workbook") and "done" not in steps
    assert out.is_dir() and sorted(p.name for p in out.iterdir()) == []
    with pytest.raises(TypeError, match="papr"):
        write_report(demo_project, out, papr="A3")
