"""The crews' operations plan on paper and in office files, cross-checked against the plan itself.

A real plan of the demo (24 h from the reference time, one ticket inserted), real PDFs read back
with poppler, a real workbook read back with openpyxl, a real deck read back with python-pptx.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pandas as pd
import pytest

from heatgis.export import ops_common as C

pytestmark = pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils not installed")

REFERENCE = "2022-02-25T08:00"


def _run(*args) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def _pages(path) -> list[str]:
    n = int(re.search(r"Pages:\s+(\d+)", _run("pdfinfo", str(path))).group(1))
    return [_run("pdftotext", "-layout", "-f", str(i), "-l", str(i), str(path), "-") for i in range(1, n + 1)]


@pytest.fixture(scope="module")
def plan(demo_project, qapp):
    from heatgis.routing.ops import plan_operations
    from heatgis.routing.tickets import insert_ticket, new_ticket

    p = plan_operations(demo_project, at=REFERENCE, hours=24, time_limit=1)
    t = new_ticket(
        demo_project,
        site_id="ST-0025",
        skill="operator",
        duration_min=45,
        reported="2022-02-25T09:00",
        deadline="2022-02-25T14:00",
        ticket_id="TK-T1",
    )
    return insert_ticket(p, t)


@pytest.fixture(scope="module")
def roster_pdf(plan, tmp_path_factory):
    from heatgis.export.roster import write_roster_pdf

    path = tmp_path_factory.mktemp("roster") / "roster.pdf"
    assert write_roster_pdf(plan, path) == path
    return path


@pytest.fixture(scope="module")
def sheets_pdf(plan, demo_project, tmp_path_factory):
    from heatgis.export.route_sheets import write_route_sheets_pdf

    path = tmp_path_factory.mktemp("sheets") / "sheets.pdf"
    assert write_route_sheets_pdf(plan, demo_project, path) == path  # an OpsPlan: the vehicles' sheets
    return path


def test_roster_pdf_lists_every_roster_row(plan, roster_pdf):
    info = _run("pdfinfo", str(roster_pdf))
    assert "595 x 842 pts (A4)" in info
    fonts = _run("pdffonts", str(roster_pdf))
    assert re.search(r"(WenQuanYi|Noto\S*CJK|YaHei|SimHei)\S*\s.*\byes\b", fonts), fonts
    pages = _pages(roster_pdf)
    lines = [ln for p in pages[1:] for ln in p.splitlines()]
    assert len(plan.roster) > 100
    for r in plan.roster.itertuples():
        when = f"{r.start:%m-%d %H:%M}"
        hit = [ln for ln in lines if r.staff_id in ln and r.name in ln and str(r.site_id) in ln and when in ln]
        assert hit, f"roster row {r.staff_id} {r.name} {r.site_id} {when} not printed"
    # per site: every place, with who holds it (or UNFILLED)
    by_site = "\n".join(p for p in pages[1:] if "按站点" in p)
    for sid, grp in plan.places.groupby("site_id"):
        filled = int((grp["status"] == "filled").sum())
        assert re.search(rf"{re.escape(str(sid))}\s+\S+\s+{filled}\s*/\s*{len(grp)}", by_site), sid
    site_lines = by_site.splitlines()
    for p in plan.places.itertuples():
        held = str(p.staff_id) if p.status == "filled" else "未安排"
        assert any(held in ln and p.shift in ln for ln in site_lines), (p.place_id, held)
    # page 1: coverage per staffing shift
    c = plan.coverage()
    first = pages[0]
    assert "抢修队值班表" in first
    for s in c["per_shift"]:
        assert re.search(
            rf"{re.escape(s['shift'])}\s+{s['start'][:10]} {s['start'][11:16]}\s+{s['places_required']}"
            rf"\s+{s['places_filled']}\s+{s['presence_required']}\s+{s['presence_filled']}",
            first,
        )
    assert f"工单：{c['tickets']} 张，按时 {c['tickets_met']}" in first.replace(" ", " ")


def test_xlsx_roster_sheet_equals_plan_roster(plan, tmp_path):
    from openpyxl import load_workbook

    from heatgis.export.xlsx_ops import ROSTER_ZH, write_ops_xlsx

    path = write_ops_xlsx(plan, tmp_path / "crews.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["值班表", "覆盖率", "车辆路线", "未满足"]
    ws = wb["值班表"]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == [h for _, h, _ in ROSTER_ZH]
    got = pd.DataFrame(rows[1:], columns=[c for c, _, _ in ROSTER_ZH])
    want = plan.roster[[c for c, _, _ in ROSTER_ZH]].reset_index(drop=True)
    assert len(got) == len(want)
    # the codes in the workbook's language (the vocabulary's words, as the roster PDF)
    from heatgis.export.ops_common import skill_label, task_label

    want = want.assign(task=want["task"].map(task_label), skill=want["skill"].map(skill_label))

    def norm(v):
        if v is None or (not isinstance(v, str) and pd.isna(v)) or v == "":
            return ""
        if isinstance(v, (pd.Timestamp,)) or hasattr(v, "isoformat"):
            return pd.Timestamp(v).isoformat()
        return str(v)

    for c in got.columns:
        assert [norm(v) for v in got[c]] == [norm(v) for v in want[c]], c
    cov = list(wb["覆盖率"].iter_rows(values_only=True))
    c = plan.coverage()
    assert ("合计", None, c["places_required"], c["places_filled"], c["presence_required"], c["presence_filled"]) in cov
    assert wb["车辆路线"].max_row - 1 == len(plan.stops) and wb["未满足"].max_row - 1 == len(plan.unmet)


def test_route_sheets_one_page_per_vehicle_with_the_plans_stops(plan, sheets_pdf):
    from heatgis.export import route_sheets as RS
    from heatgis.render.layout import PageSpec

    working = C.working_vehicles(plan)
    pages = _pages(sheets_pdf)
    per_first, _ = RS._capacity(PageSpec("A4", landscape=False))
    extra = sum(max(0, int(v.stops) + 2 - per_first) > 0 for v in working.itertuples())
    assert len(pages) >= len(working) and len(pages) <= len(working) + 2 * extra
    ids = set(plan.stops["site_id"].astype(str)) | set(plan.vehicles["depot_id"].astype(str))
    seen: dict[str, list] = {}
    for text in pages:
        head = [v for v in working["vehicle_id"] if v in text]
        assert len(head) == 1, head  # each page belongs to exactly one vehicle shift
        rows = []
        for ln in text.splitlines():
            m = re.match(r"^\s*(\d+)\s+(\S+)\s", ln)
            if m and m.group(2) in ids:
                rows.append((int(m.group(1)), m.group(2)))
        seen.setdefault(head[0], []).extend(rows)
    assert set(seen) == set(working["vehicle_id"])
    names = C.staff_names(plan)
    all_text = "\n".join(pages)
    for v in working.itertuples():
        st = plan.stops[plan.stops["vehicle_id"] == v.vehicle_id].sort_values("seq")
        printed = [(s, site) for s, site in seen[v.vehicle_id] if 1 <= s <= len(st)]
        assert printed == [(int(s.seq), str(s.site_id)) for s in st.itertuples()], v.vehicle_id
        for s in st.itertuples():
            for sid in C.text(s.staff_ids).split(";"):
                if sid:
                    assert f"{names[sid]} ({sid})" in all_text
    # the inserted ticket is on its vehicle's sheet
    tk = plan.tickets.set_index("ticket_id").loc["TK-T1"]
    assert tk["status"] in ("planned", "late")
    assert any(tk["vehicle_id"] in p and "工单" in p for p in pages)


def test_deck_crew_slide_shows_the_plans_coverage(plan, demo_project, tmp_path):
    from heatgis.analysis.impact import impact
    from heatgis.export.pptx import slide_texts, write_briefing_pptx
    from heatgis.routing.opsplan import shift_view

    result = impact(demo_project, REFERENCE)
    path = write_briefing_pptx(result, tmp_path / "deck.pptx", ops_plan=plan, crew_plan=shift_view(plan))
    texts = slide_texts(path)
    slide = [t for t in texts if "抢修队值守覆盖" in t]
    assert len(slide) == 1 and not any("抢修队路线" in t for t in texts)
    s = slide[0]
    c = plan.coverage()
    assert f"岗位 {c['places_filled']}/{c['places_required']} 已安排" in s
    assert f"值守 {c['presence_filled']}/{c['presence_required']}" in s
    assert f"工单按时 {c['tickets_met']}/{c['tickets']}（超时 {c['tickets_late']}）" in s
    assert f"未满足 {len(plan.unmet)} 项" in s
    for reason, n in C.unmet_by_reason(plan).items():
        assert f"{C.reason_label(reason)} {n}" in s
    for p in c["per_shift"]:
        assert (
            f"{p['shift']}\t{p['start'][:10]} {p['start'][11:16]}\t{p['places_required']}\t{p['places_filled']}"
            f"\t{p['presence_required']}\t{p['presence_filled']}"
        ) in s
    assert f"合计\t\t{c['places_required']}\t{c['places_filled']}" in s
    # no OpsPlan: the single shift's slide in kilometres stays
    old = slide_texts(write_briefing_pptx(result, tmp_path / "old.pptx", crew_plan=shift_view(plan)))
    assert any("抢修队路线" in t and "km" in t for t in old) and not any("抢修队值守覆盖" in t for t in old)


def test_gantt_chart_rows_and_colours(plan):
    from heatgis.export.charts import GANTT_COLOURS, gantt_rows, ops_gantt_chart

    rows = gantt_rows(plan)
    working = C.working_vehicles(plan)
    assert sum(r["kind"] == "vehicle" for r in rows) == len(working)
    held = plan.roster[plan.roster["task"].isin(["presence", "on_call"])]
    assert sum(r["kind"] == "site" for r in rows) == held["site_id"].nunique()
    kinds = {b[2] for r in rows for b in r["bars"]}
    assert {"drive", "drop", "pickup", "patrol", "presence"} <= kinds and ("ticket" in kinds or "late" in kinds)
    img = ops_gantt_chart(plan, width=1200)
    assert img.width() == 1200 and img.height() > 400
    colours = {img.pixelColor(x, y).name() for x in range(0, 1200, 3) for y in range(0, img.height(), 3)}
    for k in ("drop", "pickup", "patrol", "presence"):
        assert GANTT_COLOURS[k] in colours, k
