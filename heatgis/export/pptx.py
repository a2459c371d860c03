"""The briefing deck for the command meeting (python-pptx, 16:9, Chinese with an East Asian font).

Slides, in the order a command meeting reads them: title with the data time; KPIs with their
change (较昨日); what changed (new and lifted zones); the map made for a 16:9 slide; by district;
the zones with impact; staffing; the crews; heat balance and sites at risk; timeline; decisions
needed (``export.briefing``). Every run gets ``a:ea typeface="Microsoft YaHei"`` so PowerPoint shows the
Chinese in YaHei (and a Latin font for figures).
"""

from __future__ import annotations

from pathlib import Path

from heatgis.errors import HeatGISError
from heatgis.export.files import check_writable
from heatgis.export.pages import kpi_tiles, result_totals
from heatgis.model.vocab import fmt_wan, level_label
from heatgis.paths import SLIDE_TEMPLATE as TEMPLATE
from heatgis.text import Text
from heatgis.text import in_language as _t  # a slide's words in its language

EA_FONT = "Microsoft YaHei"
ROWS_PER_SLIDE = 12


def _ea(run, size=None, bold=None, color=None) -> None:
    from pptx.dml.color import RGBColor
    from pptx.oxml.ns import qn
    from pptx.util import Pt

    f = run.font
    f.name = EA_FONT
    if size:
        f.size = Pt(size)
    if bold is not None:
        f.bold = bold
    if color:
        f.color.rgb = RGBColor.from_string(color)
    rpr = run._r.get_or_add_rPr()
    ea = rpr.find(qn("a:ea"))
    if ea is None:
        ea = rpr.makeelement(qn("a:ea"), {})
        latin = rpr.find(qn("a:latin"))
        if latin is not None:
            latin.addnext(ea)
        else:
            rpr.append(ea)
    ea.set("typeface", EA_FONT)


def _text(slide, x, y, w, h, text, size=18, bold=False, color="1D2733", align=None):
    from pptx.util import Emu

    box = slide.shapes.add_textbox(Emu(x), Emu(y), Emu(w), Emu(h))
    tf = box.text_frame
    tf.word_wrap = True
    for i, line in enumerate(str(text).split("\n")):
        para = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        if align is not None:
            para.alignment = align
        run = para.add_run()
        run.text = line
        _ea(run, size, bold, color)
    return box


def _title(prs, slide, text):
    from pptx.util import Inches

    _text(slide, Inches(0.5), Inches(0.25), prs.slide_width - Inches(1.0), Inches(0.8), text, 28, True)


def _table(prs, slide, header, rows, top, col_w=None, size=12, width=None):
    from pptx.util import Emu, Inches, Pt

    n_rows, n_cols = len(rows) + 1, len(header)
    left = Inches(0.5)
    width = width or prs.slide_width - Inches(1.0)
    height = Emu(int(Inches(0.36) * n_rows))
    shape = slide.shapes.add_table(n_rows, n_cols, left, top, width, height)
    table = shape.table
    if col_w:
        total = sum(col_w)
        for j, cw in enumerate(col_w):
            table.columns[j].width = Emu(int(width * cw / total))
    for j, h in enumerate(header):
        cell = table.cell(0, j)
        cell.text = ""
        _ea(cell.text_frame.paragraphs[0].add_run(), size, True)
        cell.text_frame.paragraphs[0].runs[0].text = str(h)
    for i, row in enumerate(rows, start=1):
        for j, v in enumerate(row):
            cell = table.cell(i, j)
            cell.text = ""
            run = cell.text_frame.paragraphs[0].add_run()
            run.text = str(v)
            _ea(run, size)
            cell.margin_top = cell.margin_bottom = Pt(2)
    return table


def _blank(prs):
    layout = prs.slide_layouts[6] if len(prs.slide_layouts) > 6 else prs.slide_layouts[-1]
    return prs.slides.add_slide(layout)


def write_briefing_pptx(
    result,
    path,
    map_png=None,
    timeline_png=None,
    staffing=None,
    crew_plan=None,
    title: str = "",
    subtitle: str = "",
    lang: str = "zh",
    heat=None,
    heat_png=None,
    ops_plan=None,
    change=None,
    decisions=None,
    district_png=None,
    quality=None,
) -> Path:
    """Write the briefing deck, in the order a command meeting reads it.

    Title with the data time; the KPIs with their change (较昨日); what changed (new and lifted
    zones); the map made for the slide; by district (table and bar chart); the zones with impact,
    most households first; staffing; the crews' coverage; the heat balance and the sites at risk;
    the timeline; last, the decisions needed.

    Parameters
    ----------
    result : ImpactResult
    path : path-like
    map_png : path-like, optional
        The situation map (``write_png`` of the print layout).
    timeline_png : path-like, optional
        The timeline chart (``charts.timeline_chart``).
    staffing : StaffingPlan, optional
    crew_plan : CrewPlan, optional
        The crew slide in kilometres, when there is no ``ops_plan``.
    title, subtitle : str
    heat : HeatResult, optional
        Adds the heat balance slides (:func:`heat_slides`).
    heat_png : path-like, optional
        The heat chart (``charts.heat_chart``) shown beside the networks' table.
    ops_plan : OpsPlan, optional
        The crews' operations plan: the crew slide shows coverage instead (places filled /
        required per staffing shift, patrols, tickets met, unmet by reason; ``crew_coverage_slide``).
    change : heatgis.analysis.change.Change, optional
        The change since the earlier report time: a line under each KPI and the change slide.
    decisions : list of (topic, text), optional
        The decisions slide (``briefing.decision_items``); None: made from the plans given.
    district_png : path-like, optional
        The bar chart of the by-district slide (``briefing.district_chart``).
    quality : Quality, optional
        Data problems are listed among the decisions.

    Returns
    -------
    Path
    """
    from pptx import Presentation

    path = check_writable(path)
    prs = Presentation(str(TEMPLATE)) if TEMPLATE.exists() else Presentation()
    prs.slide_width, prs.slide_height = 12192000, 6858000  # 16:9 (13.333 x 7.5 in)
    from heatgis.export import briefing as B

    at = f"{result.at:%Y-%m-%d %H:%M}"
    from heatgis.export import pptx_plans as PL

    _title_slide(prs, result, title, subtitle, at, change, lang)
    _kpi_slide(prs, result, lang, at, change)
    if change is not None:  # what changed: new and lifted zones
        B.change_slide(prs, change, lang)
    if map_png is not None:
        _map_slide(prs, map_png, at, lang)
    B.district_slide(prs, result, district_png, lang)
    _zone_slides(prs, result, lang)
    if staffing is not None:
        PL.staffing_slide(prs, staffing, lang)
    # the crew plan: coverage of the operations plan, else the single shift's kilometres
    if ops_plan is not None:
        PL.crew_coverage_slide(prs, ops_plan, lang)
    elif crew_plan is not None:
        PL.crew_route_slide(prs, crew_plan, lang)
    if heat is not None:
        PL.heat_slides(prs, heat, heat_png, lang)
    if timeline_png is not None:
        _timeline_slide(prs, timeline_png, lang)
    # last: what the meeting must decide
    if decisions is None:
        decisions = B.decision_items(staffing, ops_plan, heat, quality=quality, lang=lang)
    B.decisions_slide(prs, decisions, lang)
    try:
        prs.save(str(path))
    except OSError as exc:
        raise HeatGISError(
            Text("the deck could not be written ({err})", "演示文稿无法写入（{err}）", err=exc.strerror),
            Text(
                "close it in PowerPoint if it is open, or choose another folder",
                "如果 PowerPoint 打开着它，请先关闭，或另选文件夹",
            ),
            file=path,
        ) from exc
    return path


# ------------------------------------------------------------------ the briefing's slides


def _title_slide(prs, result, title, subtitle, at, change=None, lang: str = "zh") -> None:
    from pptx.dml.color import RGBColor
    from pptx.util import Inches

    W, H = prs.slide_width, prs.slide_height
    s = _blank(prs)
    bg = s.shapes.add_shape(1, 0, 0, W, H)
    bg.fill.solid()
    bg.fill.fore_color.rgb = RGBColor(0x1D, 0x27, 0x33)
    bg.line.fill.background()
    _text(
        s,
        Inches(0.8),
        Inches(2.3),
        W - Inches(1.6),
        Inches(1.4),
        title or _t(lang, "Lockdown impact on heating", "疫情封控区供热影响"),
        40,
        True,
        "FFFFFF",
    )
    _text(
        s,
        Inches(0.8),
        Inches(3.8),
        W - Inches(1.6),
        Inches(1.2),
        (subtitle or result.scenario)
        + "\n"
        + _t(lang, "Data time {at}", "数据时间 {at}", at=at)
        + (
            _t(lang, "    compared with {t}", "    对比 {t}", t=f"{change.since:%Y-%m-%d %H:%M}")
            if change is not None
            else ""
        ),
        20,
        False,
        "E0E6EE",
    )


def _map_slide(prs, map_png, at, lang: str = "zh") -> None:
    """The map made for the slide (``briefing.slide_map_png``), as large as the slide allows."""
    from pptx.util import Inches

    W, H = prs.slide_width, prs.slide_height
    s = _blank(prs)
    _title(prs, s, _t(lang, "Situation map · {at}", "态势图 · {at}", at=at))
    from PIL import Image

    with Image.open(map_png) as im:
        iw, ih = im.size
    box_w, box_h = W - Inches(0.6), H - Inches(1.2)
    scale = min(box_w / iw, box_h / ih)
    pw, ph = int(iw * scale), int(ih * scale)
    s.shapes.add_picture(str(map_png), int((W - pw) / 2), Inches(1.05), pw, ph)


def _kpi_slide(prs, result, lang, at, change=None) -> None:
    """核心指标: six tiles (value and unit sized to fit, measured in the CJK font; the label; the change)."""
    from pptx.dml.color import RGBColor
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Inches

    from heatgis.export.briefing import change_summary, fit_pt, kpi_changes

    W, H = prs.slide_width, prs.slide_height
    t = result.totals
    s = _blank(prs)
    _title(prs, s, _t(lang, "Key figures · {at}", "核心指标 · {at}", at=at))
    tiles = kpi_tiles(result_totals(result), lang)
    deltas = kpi_changes(change, lang)
    tw, th = (W - Inches(1.0) - Inches(0.4) * 2) / 3, Inches(2.3)
    for i, (label, value, unit) in enumerate(tiles):
        r_, c_ = divmod(i, 3)
        x, y = Inches(0.5) + c_ * (tw + Inches(0.4)), Inches(1.2) + r_ * (th + Inches(0.3))
        box = s.shapes.add_shape(1, int(x), int(y), int(tw), int(th))
        box.fill.solid()
        box.fill.fore_color.rgb = RGBColor(0xF6, 0xF3, 0xEE)
        box.line.color.rgb = RGBColor(0xD8, 0xD2, 0xC6)
        size = fit_pt(str(value), (tw - Inches(0.3)) / 12700, 48, unit=unit)  # EMU -> pt, less the insets
        box = _text(
            s, int(x), int(y + Inches(0.15)), int(tw), Inches(1.1), value, size, True, "1D2733", PP_ALIGN.CENTER
        )
        if unit:  # the unit smaller, in the same line
            run = box.text_frame.paragraphs[0].add_run()
            run.text = f" {unit}"
            _ea(run, round(size * 0.5), False, "5B6470")
        _text(s, int(x), int(y + Inches(1.2)), int(tw), Inches(0.5), label, 18, False, "1D2733", PP_ALIGN.CENTER)
        if i < len(deltas) and deltas[i]:
            _text(s, int(x), int(y + Inches(1.7)), int(tw), Inches(0.5), deltas[i], 16, True, "5B6470", PP_ALIGN.CENTER)
    n = result.network
    line = _t(
        lang,
        "Whole network: {st} stations, {br} boiler rooms, {area} 10k m², {hh} 10k households; {z} active zones",
        "全网 {st} 座换热站、{br} 座锅炉房，{area} 万㎡，{hh} 万户；生效管控区 {z} 个",
        st=n["stations"],
        br=n["boiler_rooms"],
        area=fmt_wan(n["heated_area_m2"]),
        hh=fmt_wan(n["households"]),
        z=t.zones_active,
    )
    if change is not None:
        line = change_summary(change, lang) + "\n" + line
    _text(s, Inches(0.5), H - Inches(1.0), W - Inches(1.0), Inches(0.8), line, 14, False, "5B6470")


def _zone_slides(prs, result, lang: str = "zh") -> None:
    """The sealed and controlled zones that lock sites, most households first, ``ROWS_PER_SLIDE`` a slide;
    a note counts those that lock only staff in (precaution zones lock nothing)."""
    from pptx.util import Inches

    from heatgis.export.pages import zones_with_impact

    W, H = prs.slide_width, prs.slide_height
    z, staff_only = zones_with_impact(result.zones)
    rows = [
        [
            r.zone_id,
            r.name,
            level_label(r.level, lang),
            str(r.start).replace("T", " ")[:16],
            int(r.stations),
            int(r.boiler_rooms),
            fmt_wan(r.heated_area_m2),
            f"{int(r.households):,}",
            int(r.staff_locked_in),
        ]
        for r in z.itertuples()
    ]
    header = (
        ["编号", "管控区", "级别", "开始", "换热站", "锅炉房", "万㎡", "户数", "居家员工"]
        if lang == "zh"
        else ["Id", "Zone", "Level", "Start", "Stations", "Boiler rooms", "10k m²", "Households", "Staff in"]
    )
    chunks = [rows[i : i + ROWS_PER_SLIDE] for i in range(0, len(rows), ROWS_PER_SLIDE)] or [[]]
    for k, chunk in enumerate(chunks):
        s = _blank(prs)
        more = _t(lang, " ({k}/{n})", "（{k}/{n}）", k=k + 1, n=len(chunks)) if len(chunks) > 1 else ""
        _title(prs, s, _t(lang, "Impact by zone", "各管控区影响") + more)
        if chunk:
            _table(prs, s, header, chunk, Inches(1.2), [8, 22, 8, 16, 8, 8, 9, 10, 10])
        else:
            _text(
                s,
                Inches(0.5),
                Inches(1.5),
                W,
                Inches(1),
                _t(lang, "No sealed or controlled zone locks a site", "无锁闭站点的封控/管控区"),
                20,
            )
        if staff_only and k == len(chunks) - 1:
            _text(
                s,
                Inches(0.5),
                H - Inches(0.6),
                W - Inches(1.0),
                Inches(0.4),
                _t(
                    lang,
                    "{n} more sealed or controlled zones lock staff in but no site; precaution zones lock no "
                    "site. Every zone: see report.xlsx",
                    "另有 {n} 个封控/管控区只有居家员工、无锁闭站点；防范区不锁闭站点。全部管控区见 report.xlsx",
                    n=staff_only,
                ),
                12,
                False,
                "5B6470",
            )


def _timeline_slide(prs, timeline_png, lang: str = "zh") -> None:
    from pptx.util import Inches

    W = prs.slide_width
    s = _blank(prs)
    _title(prs, s, _t(lang, "Timeline", "时间线"))
    s.shapes.add_picture(str(timeline_png), Inches(0.9), Inches(1.2), W - Inches(1.8))


def slide_texts(path) -> list[str]:
    """All text of each slide (tables included), for checks and search."""
    from pptx import Presentation

    out = []
    for slide in Presentation(str(path)).slides:
        parts = []
        for sh in slide.shapes:
            if sh.has_text_frame:
                parts.append(sh.text_frame.text)
            if getattr(sh, "has_table", False) and sh.has_table:
                for row in sh.table.rows:
                    parts.append("\t".join(c.text for c in row.cells))
        out.append("\n".join(parts))
    return out
