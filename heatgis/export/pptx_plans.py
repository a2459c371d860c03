"""The deck's slides of what was done and what is at risk: staffing, the crews, the heat balance.

Each slide in the deck's language (``lang``: "zh" or "en"); the words of levels, kinds, statuses,
reasons and tasks come from the vocabulary (``model.vocab``, ``analysis.staffing.reasons``,
``export.ops_common``).
"""

from __future__ import annotations

from heatgis.export.pages import heat_rows, heat_source_text
from heatgis.export.pptx import ROWS_PER_SLIDE, _blank, _t, _table, _text, _title
from heatgis.model import vocab


def staffing_slide(prs, staffing, lang: str = "zh") -> None:
    """Who runs the locked sites from inside: the totals and the sites, by status (reasons in ``lang``)."""
    from pptx.util import Inches

    from heatgis.analysis.staffing.reasons import reason_text

    W = prs.slide_width
    st = staffing.totals
    s = _blank(prs)
    _title(prs, s, _t(lang, "Staffing (staff locked in run their own sites)", "驻守安排（居家员工就地值守）"))
    _text(
        s,
        Inches(0.5),
        Inches(1.1),
        W - Inches(1.0),
        Inches(1.0),
        _t(
            lang,
            "{locked_sites} locked sites: {fully_staffed} fully staffed, {partly_staffed} partly, {unstaffed} "
            "nobody; {left_to_crews} left to the crews. Places {places_filled}/{places_needed}, {staff_locked_in} "
            "staff locked in ({staff_assigned} assigned)",
            "锁闭站点 {locked_sites} 处：全部驻守 {fully_staffed}，部分 {partly_staffed}，无人 {unstaffed}；交抢修队 "
            "{left_to_crews} 处。岗位 {places_filled}/{places_needed}，居家员工 {staff_locked_in} 人（已安排 "
            "{staff_assigned}）",
            **{k: st[k] for k in st},
        ),
        16,
    )
    sites = staffing.sites.sort_values(["status", "site_id"], kind="stable")
    rows = [
        [
            r.site_id,
            r.name,
            "、".join(r.zone_ids) if lang == "zh" else ", ".join(r.zone_ids),
            int(r.needed),
            int(r.assigned),
            vocab.label("status", r.status, lang),
            reason_text(r.reason, lang) or "-",
        ]
        for r in sites.head(ROWS_PER_SLIDE).itertuples()
    ]
    if rows:
        header = (
            ["站点", "名称", "管控区", "需", "到岗", "状态", "原因"]
            if lang == "zh"
            else ["Site", "Name", "Zones", "Need", "In", "Status", "Reason"]
        )
        _table(prs, s, header, rows, Inches(2.0), [9, 18, 9, 5, 5, 7, 30], 11)


def crew_route_slide(prs, crew_plan, lang: str = "zh") -> None:
    """One shift's crew routes in kilometres (when there is no operations plan)."""
    from pptx.util import Inches

    W = prs.slide_width
    d = crew_plan.to_dict()
    tt = d["totals"]
    s = _blank(prs)
    span = f"{crew_plan.shift_start:%m-%d %H:%M}–{crew_plan.shift_end:%H:%M}"
    _title(prs, s, _t(lang, "Crew routes ({span})", "抢修队路线（{span}）", span=span))
    _text(
        s,
        Inches(0.5),
        Inches(1.1),
        W - Inches(1.0),
        Inches(0.8),
        _t(
            lang,
            "{visits} sites visited by {used}/{crews} crews, {km:.1f} km / {h:.1f} h driving, {dropped} not "
            "planned; the routes go around the sealed and controlled zones",
            "{visits} 处站点由 {used}/{crews} 支抢修队完成，行驶 {km:.1f} km / {h:.1f} h，未安排 {dropped} 处；"
            "路线绕开封控/管控区",
            visits=tt["visits"],
            used=tt["crews_used"],
            crews=tt["crews"],
            km=tt["distance_m"] / 1000,
            h=tt["travel_s"] / 3600,
            dropped=tt["dropped"],
        ),
        16,
    )
    sep = "、" if lang == "zh" else ", "
    rows = [
        [
            c["crew_id"],
            c["name"],
            c["depot_id"],
            c["members"],
            len(c["stops"]),
            sep.join(x["name"] for x in c["stops"][:3]) + ("…" if len(c["stops"]) > 3 else ""),
            (c["leave"] or "")[11:16],
            (c["back"] or "")[11:16],
            f"{c['distance_m'] / 1000:.1f}",
        ]
        for c in d["crews"][:ROWS_PER_SLIDE]
    ]
    if rows:
        header = (
            ["队", "名称", "运营所", "人数", "站点", "任务", "出发", "返回", "km"]
            if lang == "zh"
            else ["Crew", "Name", "Depot", "People", "Sites", "Work", "Leave", "Back", "km"]
        )
        _table(prs, s, header, rows, Inches(1.9), [7, 10, 7, 5, 5, 34, 7, 7, 6], 11)


HEAT_NETWORK_ROWS = 10


def heat_slides(prs, heat, heat_png=None, lang: str = "zh") -> None:
    """Two slides: the balance per network at the coldest hour, and the locked sites most at risk."""
    from pptx.util import Inches

    W = prs.slide_width
    t = heat.totals()
    when = f"{heat.coldest_time:%Y-%m-%d %H:%M}"
    s = _blank(prs)
    _title(
        prs,
        s,
        _t(
            lang,
            "Heat balance · coldest hour {when} {c:.1f} °C",
            "供热平衡 · 最冷时刻 {when} {c:.1f} °C",
            when=when,
            c=heat.coldest_c,
        ),
    )
    _text(
        s,
        Inches(0.5),
        Inches(1.0),
        W - Inches(1.0),
        Inches(0.8),
        _t(
            lang,
            "Forecast from {at} for {n} h ({source}): city demand at the coldest hour {demand:,.1f} MW, capacity "
            "{capacity:,.1f} MW; networks short {nd}/{nn}, boiler rooms short {bd}/{bn} (in any hour of the forecast)",
            "预报 {at} 起 {n} 小时（{source}）：最冷时刻全网需求 {demand:,.1f} MW，供热能力 {capacity:,.1f} MW；"
            "缺口管网 {nd}/{nn}，缺口锅炉房 {bd}/{bn}（预报期内任一小时）",
            at=f"{heat.at:%m-%d %H:%M}",
            n=len(heat.hours),
            source=heat_source_text(heat, lang),
            demand=t["demand_mw"],
            capacity=t["capacity_mw"],
            nd=t["networks_in_deficit"],
            nn=t["networks"],
            bd=t["boiler_rooms_in_deficit"],
            bn=len(heat.boiler_rooms),
        ),
        14,
    )
    rows = heat_rows(heat, HEAT_NETWORK_ROWS)
    half = (W - Inches(1.0)) // 2
    if rows:
        header = (
            ["管网", "能力 MW", "需求 MW", "余量 MW", "余量 %", "缺口小时"]
            if lang == "zh"
            else ["Network", "Capacity MW", "Demand MW", "Margin MW", "Margin %", "Hours short"]
        )
        _table(prs, s, header, rows, Inches(1.8), [14, 12, 12, 12, 10, 10], 11, width=half - Inches(0.2))
    if heat_png is not None:
        from PIL import Image

        with Image.open(heat_png) as im:
            iw, ih = im.size
        box_w, box_h = half, prs.slide_height - Inches(2.0)
        scale = min(box_w / iw, box_h / ih)
        s.shapes.add_picture(
            str(heat_png), int(Inches(0.5) + half + Inches(0.1)), Inches(1.8), int(iw * scale), int(ih * scale)
        )
    _risk_slide(prs, heat, when, lang)


def _risk_slide(prs, heat, when: str, lang: str) -> None:
    from pptx.util import Inches

    W = prs.slide_width
    s = _blank(prs)
    _title(
        prs,
        s,
        _t(lang, "Sites at risk (locked at the coldest hour {when})", "风险站点（最冷时刻 {when} 锁闭）", when=when),
    )
    inp = heat.risk_inputs or {}
    w = inp.get("weights", heat.rules.risk_weights)
    unknown_visit = (
        "" if inp.get("crew_plan") else _t(lang, " (no crew plan: visits unknown)", "（无抢修计划：巡检时间未知）")
    )
    _text(
        s,
        Inches(0.5),
        Inches(1.0),
        W - Inches(1.0),
        Inches(0.8),
        _t(
            lang,
            "Risk score 0-100 = load {load:g}, nobody inside {unstaffed:g}, time since the last patrol {since:g}, "
            "households {hh:g}, weighted; patrol interval {hours:g} h",
            "风险分 0-100 = 负荷 {load:g}、无人驻守 {unstaffed:g}、距上次巡检 {since:g}、户数 {hh:g} 加权；巡检间隔 "
            "{hours:g} 小时",
            load=w.get("load", 0),
            unstaffed=w.get("unstaffed", 0),
            since=w.get("since_visit", 0),
            hh=w.get("households", 0),
            hours=inp.get("patrol_interval_h", 0),
        )
        + unknown_visit,
        14,
    )
    k = heat.risk.head(ROWS_PER_SLIDE)
    unknown = {"unknown": _t(lang, "unknown", "未知")}  # no staffing plan was given; the rest: the vocabulary
    rows = [
        [
            str(r.rank),
            vocab.label("site_kind", r.site_kind, lang),
            r.site_id,
            r.name,
            f"{r.load_kw / 1000:,.2f}",
            f"{int(r.households):,}",
            unknown.get(r.staffed) or vocab.label("status", r.staffed, lang),
            "-" if r.hours_since_visit != r.hours_since_visit else f"{r.hours_since_visit:g}",
            f"{r.score:.1f}",
        ]
        for r in k.itertuples()
    ]
    if rows:
        header = (
            ["#", "类型", "站点", "名称", "负荷 MW", "户数", "驻守", "距巡检 h", "风险分"]
            if lang == "zh"
            else ["#", "Kind", "Site", "Name", "Load MW", "Households", "Staffed", "Since patrol h", "Risk"]
        )
        _table(prs, s, header, rows, Inches(1.8), [4, 7, 9, 22, 9, 9, 8, 9, 8], 11)
    else:
        _text(
            s,
            Inches(0.5),
            Inches(2.0),
            W,
            Inches(1),
            _t(lang, "No site locked at the coldest hour", "最冷时刻无锁闭站点"),
            20,
        )


def crew_coverage_slide(prs, plan, lang: str = "zh"):
    """The crews' slide from an OpsPlan: coverage per staffing shift, patrols, tickets, unmet by reason."""
    from pptx.util import Inches

    from heatgis.export.ops_common import coverage_rows, reason_label, unmet_by_reason

    W = prs.slide_width
    c = plan.coverage()
    s = _blank(prs)
    at = f"{plan.at:%m-%d %H:%M}"
    _title(
        prs,
        s,
        _t(
            lang,
            "Crews' coverage ({hours:g} h from {at})",
            "抢修队值守覆盖（{at} 起 {hours:g} 小时）",
            at=at,
            hours=plan.hours,
        ),
    )
    unmet = unmet_by_reason(plan)
    why = ("；" if lang == "zh" else "; ").join(f"{reason_label(k, lang)} {v}" for k, v in unmet.items())
    _text(
        s,
        Inches(0.5),
        Inches(1.1),
        W - Inches(1.0),
        Inches(1.0),
        _t(
            lang,
            "Places {places_filled}/{places_required} assigned (presence {presence_filled}/{presence_required}); "
            "patrols {patrols_done}/{patrols_required}; tickets on time {tickets_met}/{tickets} ({tickets_late} "
            "late); {n} unmet",
            "岗位 {places_filled}/{places_required} 已安排（值守 {presence_filled}/{presence_required}）；巡检 "
            "{patrols_done}/{patrols_required}；工单按时 {tickets_met}/{tickets}（超时 {tickets_late}）；未满足 {n} 项",
            n=len(plan.unmet),
            **{k: c[k] for k in c},
        )
        + (("：" if lang == "zh" else ": ") + why if why else ""),
        16,
    )
    rows = [
        [
            _t(lang, "all", "合计") if r["shift"] == "all" else r["shift"],
            (r["start"] or "")[:16].replace("T", " "),
            r["places_required"],
            r["places_filled"],
            r["presence_required"],
            r["presence_filled"],
            f"{100 * r['places_filled'] / r['places_required']:.0f}%" if r["places_required"] else "-",
        ]
        for r in coverage_rows(plan)
    ]
    header = (
        ["值守班次", "开始", "需要岗位", "已安排", "值守需要", "值守已安排", "覆盖率"]
        if lang == "zh"
        else ["Shift", "Start", "Places needed", "Assigned", "Presence needed", "Presence assigned", "Coverage"]
    )
    _table(prs, s, header, rows, Inches(2.1), [12, 16, 10, 10, 10, 10, 9], 14)
    return s
