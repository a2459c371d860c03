"""The command-meeting deck's own parts: what changed, the 16:9 map, by district, decisions needed.

``pptx.write_briefing_pptx`` puts them in the order a 指挥部 briefing reads: the figures and how
they moved (较昨日), what changed (new and lifted zones), where (the map made for the slide, by
district), the zones with impact, what was done (staffing, crews), what is at risk, and last what
the meeting must decide (:func:`decision_items`).
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6 import QtCore, QtGui

from heatgis.analysis.change import signed
from heatgis.model.vocab import fmt_wan, level_label
from heatgis.text import in_language as _t  # a slide's words in its language

#: the project's metadata key of the open issues the planner types (a JSON list of strings)
OPEN_ISSUES_KEY = "open_issues"


# ----------------------------------------------------------------------------- words
def kpi_changes(change, lang: str = "zh") -> list[str]:
    """One change line per KPI tile of ``pages.kpi_tiles`` (same order), e.g. ``较昨日 +3`` /
    ``vs day before +3`` (``Change.label``: the words of the impact panel, the presentation, the A3 page
    and the deck)."""
    if change is None:
        return []
    lab = change.label(lang)  # the vocabulary's words, as the impact panel says them
    wan = "万" if lang == "zh" else "0k"
    return [
        f"{lab} {signed(change.delta('stations'))}",
        f"{lab} {signed(change.delta('boiler_rooms'))}",
        f"{lab} {signed(change.delta('heated_area_m2'), 'wan')} {wan}㎡"
        if lang == "zh"
        else f"{lab} {signed(change.delta('heated_area_m2'), 'wan')}",
        f"{lab} {signed(change.delta('households'), 'wan')} {wan}户"
        if lang == "zh"
        else f"{lab} {signed(change.delta('households'), 'wan')}",
        f"{lab} {signed(change.delta('staff_locked_in'))}",
        "",
    ]


def change_summary(change, lang: str = "zh") -> str:
    """One sentence: 较昨日 锁闭站点 +3 处，… 新增管控区 2 个，解除 1 个."""
    if change is None:
        return ""
    d = change.delta
    if lang != "zh":
        return (
            f"{change.label('en')}: locked sites {signed(d('sites'))}, heated area {signed(d('heated_area_m2'), 'wan')}"
            f" 10k m², households {signed(d('households'), 'wan')} 10k, staff locked in {signed(d('staff_locked_in'))};"
            f" {len(change.new_zones)} new zones, {len(change.lifted_zones)} lifted"
        )
    return (
        f"{change.label()}（{change.since:%m-%d %H:%M}）：锁闭站点 {signed(d('sites'))} 处，影响面积 "
        f"{signed(d('heated_area_m2'), 'wan')} 万㎡，影响户数 {signed(d('households'), 'wan')} 万户，居家员工 "
        f"{signed(d('staff_locked_in'))} 人；新增管控区 {len(change.new_zones)} 个，解除 {len(change.lifted_zones)} 个"
    )


def zones_line(change, lang: str = "zh", most: int = 3) -> str:
    """The new and lifted zones in one line for a page (较昨日 新增 Z-051 怡景苑封控区；解除 …), "" when none."""
    if change is None or not (len(change.new_zones) or len(change.lifted_zones)):
        return ""
    zh = lang == "zh"
    parts = []
    for word, f in (("新增" if zh else "new", change.new_zones), ("解除" if zh else "lifted", change.lifted_zones)):
        if len(f):
            names = "、".join(f"{r.zone_id} {r.name}" for r in f.head(most).itertuples())
            more = (f" 等 {len(f)} 个" if zh else f" ({len(f)} in all)") if len(f) > most else ""
            parts.append(f"{word} {names}{more}")
    label = change.label(lang)
    return f"{label}：" + "；".join(parts) if zh else f"{label}: " + "; ".join(parts)


def zone_change_rows(change, lang: str = "zh") -> list[list[str]]:
    """Rows of the change slide: 新增 / 解除, zone, level, time, stations+boiler rooms, 万㎡, households, staff."""
    rows = []
    new, lifted = _t(lang, "new", "新增"), _t(lang, "lifted", "解除")
    for what, frame, col in ((new, change.new_zones, "start"), (lifted, change.lifted_zones, "end")):
        for r in frame.itertuples():
            t = getattr(r, col)
            rows.append(
                [
                    what,
                    str(r.zone_id),
                    str(r.name),
                    level_label(r.level, lang),
                    "" if t is None or t != t else f"{t:%m-%d %H:%M}",
                    str(int(r.stations) + int(r.boiler_rooms)),
                    fmt_wan(r.heated_area_m2),
                    f"{int(r.households):,}",
                    str(int(getattr(r, "staff_locked_in", 0))),
                ]
            )
    return rows


def open_issues(project) -> list[str]:
    """The open issues the planner typed, kept in the project's metadata (``open_issues``)."""
    text = (project.meta or {}).get(OPEN_ISSUES_KEY) or ""
    try:
        v = json.loads(text)
    except ValueError:
        v = text.splitlines()
    if isinstance(v, str):
        v = [v]
    return [str(x).strip() for x in (v if isinstance(v, list) else []) if str(x).strip()]


def decision_items(
    staffing=None, ops_plan=None, heat=None, issues=(), quality=None, lang: str = "zh"
) -> list[tuple[str, str]]:
    """(topic, what the meeting must decide) from the plans and the planner's open issues.

    Unfilled places (staffing plan, crews' plan), late tickets, heat deficits and the sites most
    at risk, data problems; then every open issue the planner typed.
    """
    out: list[tuple[str, str]] = []
    if staffing is not None:
        st = staffing.totals
        short = int(st["places_needed"]) - int(st["places_filled"])
        if short > 0 or st["unstaffed"]:
            out.append(
                (
                    _t(lang, "Staffing gap", "驻守缺口"),
                    _t(
                        lang,
                        "{short} places short ({needed} needed, {filled} filled), {unstaffed} sites with nobody "
                        "inside, {crews} left to the crews: send more staff or change the staffing?",
                        "岗位缺 {short} 个（需 {needed}，到岗 {filled}），无人驻守站点 {unstaffed} 处，"
                        "交抢修队 {crews} 处：是否增派人员或调整驻守",
                        short=short,
                        needed=st["places_needed"],
                        filled=st["places_filled"],
                        unstaffed=st["unstaffed"],
                        crews=st["left_to_crews"],
                    ),
                )
            )
    if ops_plan is not None:
        from heatgis.export.ops_common import reason_label, unmet_by_reason

        c = ops_plan.coverage()
        gap = c["places_required"] - c["places_filled"]
        unmet = unmet_by_reason(ops_plan)
        if gap > 0 or unmet:
            why = ("；" if lang == "zh" else "; ").join(f"{reason_label(k, lang)} {v}" for k, v in unmet.items())
            out.append(
                (
                    _t(lang, "Crews' duties unmet", "抢修队未满足"),
                    _t(
                        lang,
                        "{gap} presence places short, patrols {done}/{req}, {n} duties unmet{why}: send more crews?",
                        "值守岗位缺 {gap} 个，巡检 {done}/{req}，未满足 {n} 项{why}：是否增派抢修力量",
                        gap=gap,
                        done=c["patrols_done"],
                        req=c["patrols_required"],
                        n=len(ops_plan.unmet),
                        why=_t(lang, " ({w})", "（{w}）", w=why) if why else "",
                    ),
                )
            )
        if c["tickets_late"]:
            out.append(
                (
                    _t(lang, "Late tickets", "超时工单"),
                    _t(
                        lang,
                        "{late}/{n} tickets expected late: change priorities or send more vehicles?",
                        "工单 {late}/{n} 预计超时：是否调整优先级或增派车辆",
                        late=c["tickets_late"],
                        n=c["tickets"],
                    ),
                )
            )
    if heat is not None:
        t = heat.totals()
        if t["networks_in_deficit"] or t["boiler_rooms_in_deficit"]:
            out.append(
                (
                    _t(lang, "Heat deficit", "供热缺口"),
                    _t(
                        lang,
                        "Networks short in the forecast {nd}/{nn}, boiler rooms short {bd}: peak boilers, limit supply "
                        "or start the reserve sources?",
                        "预报期内缺口管网 {nd}/{nn}，缺口锅炉房 {bd}：是否调峰、限供或启用备用热源",
                        nd=t["networks_in_deficit"],
                        nn=t["networks"],
                        bd=t["boiler_rooms_in_deficit"],
                    ),
                )
            )
        risk = heat.risk.head(3) if len(heat.risk) else None
        if risk is not None and len(risk):
            if lang == "zh":
                names = "、".join(f"{r.name}（{r.score:.0f}）" for r in risk.itertuples())
            else:
                names = ", ".join(f"{r.name} ({r.score:.0f})" for r in risk.itertuples())
            out.append(
                (
                    _t(lang, "Sites at risk", "风险站点"),
                    _t(
                        lang,
                        "Most at risk at the coldest hour: {names}: staff or patrol them first?",
                        "最冷时刻风险最高：{names}：是否优先驻守或巡检",
                        names=names,
                    ),
                )
            )
    if quality is not None and getattr(quality, "errors", 0):
        out.append(
            (
                _t(lang, "Data problems", "数据问题"),
                _t(
                    lang,
                    "The project's data has {n} errors, the figures may be wrong: check before reporting",
                    "项目数据有 {n} 个错误，数字可能有误：核对后再报",
                    n=quality.errors,
                ),
            )
        )
    out += [(_t(lang, "Open issue", "待决事项"), s) for s in issues]
    return out


# ----------------------------------------------------------------------------- pictures
def slide_map_png(renderer, extent, path, lang: str = "zh", width: int = 2400) -> Path:
    """The map made for a 16:9 slide (2:1 under the title): the map frame with a scale bar, the legend beside it.

    Not the print layout shrunk: the legend is sized for the slide (read from the back of the room).
    """
    from heatgis.render.layout import PageCanvas
    from heatgis.render.layout_parts import device_rect, draw_legend

    class _Spec:  # a 960 x 480 pt canvas
        size_pt = (960.0, 480.0)

    img = QtGui.QImage(width, width // 2, QtGui.QImage.Format.Format_RGB32)
    img.fill(QtGui.QColor("#ffffff"))
    p = QtGui.QPainter(img)
    try:
        P = PageCanvas(p, _Spec, lang)
        P.s = 1.6  # slide type scale: the legend at ~13 pt on the 960 pt slide
        P.start()
        legend_w = 300.0
        frame = QtCore.QRectF(4, 4, 960 - legend_w - 12, 472)
        p.save()
        p.resetTransform()
        renderer.render(p, extent, device_rect(P, frame), scale_bar=True, px=P.k * 1.3, font_px=P.k * P.g * 1.3)
        p.restore()
        P.box(frame, fill="#00000000", border="#8a8f98", width=0.5)
        draw_legend(P, renderer, QtCore.QRectF(frame.right() + 10, 8, legend_w - 8, 464))
        p.restore()  # P.start's save
    finally:
        p.end()
    img.setDotsPerMeterX(round(150 / 0.0254))
    img.setDotsPerMeterY(round(150 / 0.0254))
    from heatgis.export.pdf import encode_png

    try:
        encode_png(img, path)  # the fast compression level of map.png
    except OSError as exc:
        from heatgis.errors import HeatGISError
        from heatgis.export.files import WRITABLE_FIX
        from heatgis.text import Text

        raise HeatGISError(
            Text("the slide map could not be written to {path}", "幻灯片地图无法写入 {path}", path=path),
            WRITABLE_FIX,
            file=path,
        ) from exc
    return Path(path)


def district_chart(by_district, width: int = 1400, height: int | None = None, lang: str = "zh") -> QtGui.QImage:
    """Horizontal bars per district: households affected (万户), the locked sites written at each bar."""
    from heatgis.render.fonts import cjk_font

    d = by_district.sort_values(["households", "district"], ascending=[False, True], kind="stable").head(12)
    height = height or 110 + 90 * max(len(d), 1)  # bars of one thickness however many districts
    img = QtGui.QImage(width, height, QtGui.QImage.Format.Format_RGB32)
    img.fill(QtGui.QColor("#ffffff"))
    p = QtGui.QPainter(img)
    try:
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        p.setRenderHint(QtGui.QPainter.RenderHint.TextAntialiasing, True)
        f = cjk_font(11)
        f.setPixelSize(40)
        p.setFont(f)
        p.setPen(QtGui.QColor("#1d2733"))
        title = "各区影响户数（万户）" if lang == "zh" else "Households affected by district (10k)"
        p.drawText(QtCore.QRectF(20, 10, width - 40, 60), int(QtCore.Qt.AlignmentFlag.AlignLeft), title)
        if len(d) == 0:
            return img
        left, top, right = 260, 90, width - 300
        bar_h = min(90.0, (height - top - 20) / len(d))
        vmax = max(float(d["households"].max()), 1.0)
        for i, r in enumerate(d.itertuples()):
            y = top + i * bar_h
            w = (right - left) * float(r.households) / vmax
            p.setPen(QtGui.QColor("#1d2733"))
            p.drawText(
                QtCore.QRectF(10, y, left - 20, bar_h * 0.8),
                int(QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter),
                str(r.district),
            )
            p.fillRect(QtCore.QRectF(left, y + bar_h * 0.1, max(w, 2.0), bar_h * 0.6), QtGui.QColor("#1f5fbf"))
            n = int(r.stations) + int(r.boiler_rooms)
            text = f"{fmt_wan(r.households)}（{n} 处）" if lang == "zh" else f"{fmt_wan(r.households)} ({n} sites)"
            p.drawText(
                QtCore.QRectF(left + w + 10, y, 300, bar_h * 0.8),
                int(QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignVCenter),
                text,
            )
    finally:
        p.end()
    return img


#: safety factor on the measured width: Microsoft YaHei's figures and LibreOffice's substitutes run
#: wider than WenQuanYi's (measured: "515.90 万㎡" spilled at 1.08)
WIDE = 1.25


def text_em(text: str, bold: bool = True) -> float:
    """The advance of ``text`` in ems of the installed CJK font (its width at 1 pt, in points)."""
    from heatgis.export.pdf import ensure_gui_app
    from heatgis.render.fonts import cjk_font

    ensure_gui_app()  # fonts need a QGuiApplication (the CLI has none of its own)
    f = cjk_font(10, bold)
    f.setPixelSize(100)
    return QtGui.QFontMetricsF(f).horizontalAdvance(text) / 100.0


def fit_pt(
    text: str,
    width_pt: float,
    start_pt: float,
    bold: bool = True,
    min_pt: float = 16.0,
    unit: str = "",
    unit_rel: float = 0.5,
) -> float:
    """The largest size from ``start_pt`` down (2 pt steps) at which ``text`` (and ``unit`` at
    ``unit_rel`` of the size) fits ``width_pt``, measured in the CJK font with the ``WIDE`` margin,
    so a figure like "515.90 万㎡" never spills out of its tile."""
    em = text_em(text, bold) + (text_em(" " + unit, False) * unit_rel if unit else 0.0)
    size = start_pt
    while size > min_pt and em * size * WIDE > width_pt:
        size -= 2
    return size


# ----------------------------------------------------------------------------- slides
def change_slide(prs, change, lang: str = "zh") -> None:
    """较昨日变化: the sentence of :func:`change_summary` and the new and lifted zones."""
    from pptx.util import Inches

    from heatgis.export.pptx import ROWS_PER_SLIDE, _blank, _table, _text, _title

    W = prs.slide_width
    s = _blank(prs)
    span = f"{change.since:%m-%d %H:%M} → {change.at:%m-%d %H:%M}"
    _title(prs, s, _t(lang, "Change, {label} · {span}", "{label}变化 · {span}", label=change.label(lang), span=span))
    _text(s, Inches(0.5), Inches(1.05), W - Inches(1.0), Inches(0.9), change_summary(change, lang), 16)
    rows = zone_change_rows(change, lang)
    if rows:
        more = len(rows) - ROWS_PER_SLIDE
        _table(
            prs,
            s,
            ["变化", "编号", "管控区", "级别", "时间", "锁闭站点", "万㎡", "户数", "居家员工"]
            if lang == "zh"
            else ["Change", "Id", "Zone", "Level", "Time", "Locked sites", "10k m²", "Households", "Staff in"],
            rows[:ROWS_PER_SLIDE],
            Inches(2.0),
            [7, 8, 22, 8, 12, 9, 9, 10, 9],
            12,
        )
        if more > 0:
            _text(
                s,
                Inches(0.5),
                prs.slide_height - Inches(0.6),
                W,
                Inches(0.4),
                _t(lang, "{n} more: see report.xlsx", "另有 {n} 个，见 report.xlsx", n=more),
                12,
            )
    else:
        _text(
            s,
            Inches(0.5),
            Inches(2.1),
            W - Inches(1.0),
            Inches(0.8),
            _t(lang, "No zone began or ended", "无新增或解除的管控区"),
            20,
        )


def district_slide(prs, result, chart_png=None, lang: str = "zh") -> None:
    """各区影响: the table (locked sites, 万㎡, households) beside the bar chart."""
    from PIL import Image
    from pptx.util import Inches

    from heatgis.export.pptx import _blank, _table, _text, _title

    W, H = prs.slide_width, prs.slide_height
    s = _blank(prs)
    _title(prs, s, _t(lang, "Impact by district", "各区影响"))
    d = result.by_district.sort_values(["households", "district"], ascending=[False, True], kind="stable")
    rows = [
        [str(r.district), int(r.stations), int(r.boiler_rooms), fmt_wan(r.heated_area_m2), f"{int(r.households):,}"]
        for r in d.head(14).itertuples()
    ]
    half = (W - Inches(1.0)) // 2
    if not rows:
        _text(s, Inches(0.5), Inches(1.5), W, Inches(1), _t(lang, "No locked site", "无锁闭站点"), 20)
        return
    _table(
        prs,
        s,
        ["区", "换热站", "锅炉房", "万㎡", "户数"]
        if lang == "zh"
        else ["District", "Stations", "Boiler rooms", "10k m²", "Households"],
        rows,
        Inches(1.2),
        [16, 9, 9, 10, 12],
        13,
        half - Inches(0.2),
    )
    if chart_png is not None:
        with Image.open(chart_png) as im:
            iw, ih = im.size
        scale = min(half / iw, (H - Inches(1.5)) / ih)
        s.shapes.add_picture(str(chart_png), int(Inches(0.5) + half + Inches(0.1)), Inches(1.2), int(iw * scale))


def decisions_slide(prs, items, lang: str = "zh") -> None:
    """需决策事项: what the meeting must decide (``decision_items``), numbered."""
    from pptx.util import Inches

    from heatgis.export.pptx import _blank, _table, _text, _title

    W = prs.slide_width
    s = _blank(prs)
    _title(prs, s, _t(lang, "Decisions needed", "需决策事项"))
    if not items:
        _text(s, Inches(0.5), Inches(1.5), W - Inches(1.0), Inches(1), _t(lang, "Nothing to decide", "无待决事项"), 20)
        return
    rows = [[str(i), topic, text] for i, (topic, text) in enumerate(items[:10], start=1)]
    header = ["#", "事项", "需决策"] if lang == "zh" else ["#", "Topic", "To decide"]
    _table(prs, s, header, rows, Inches(1.2), [4, 14, 82], 16)
