"""``heatgis crews``: the crews' operations plan over a horizon; ``heatgis tickets add``: a new ticket.

Registered by ``heatgis.cli`` through ``add_parser(subparsers)``. Output flags of the printed
roster and the Excel sheet are added by the outputs (``--roster-pdf``, ``--xlsx``).
"""

from __future__ import annotations

import json
import sys

from heatgis.cli import (
    add_force_arg,
    add_project_arg,
    add_strict,
    check_quality,
    project_path,
    tell,
    time_limit_error,
)
from heatgis.errors import HeatGISError
from heatgis.model.vocab import code_text
from heatgis.text import Text


def add_parser(subparsers) -> None:
    """Register the ``crews`` and ``tickets`` subcommands."""
    s = subparsers.add_parser(
        "crews",
        help="the crews' operations plan: places held, roster, vehicle routes, unmet duty",
        description="Plan the emergency crews over a horizon (default 24 h from --at): every place "
        "insiders cannot fill held by a qualified crew member for its staffing shift (set down before, "
        "taken back after), patrols within their intervals, open tickets by their deadlines, under the "
        "closures active at each moment; everything not met is listed with its reason.",
    )
    add_project_arg(s)
    s.add_argument("--at", help="start of the horizon (default: the scenario's reference time)")
    s.add_argument("--hours", type=float, default=24, help="length of the horizon in hours (default 24, at most 72)")
    s.add_argument(
        "--time-limit", type=float, default=1.5, metavar="S", help="at most S seconds of route search (default 1.5)"
    )
    s.add_argument("--rules", metavar="FILE", help='staffing rules JSON with a "crews" part')
    s.add_argument("--json", action="store_true", help="print the plan as JSON")
    s.add_argument("--geojson", metavar="OUT", help="write legs and stops as GeoJSON (WGS84)")
    add_output_args(s)
    add_strict(s)
    s.set_defaults(func=cmd_crews)

    t = subparsers.add_parser(
        "tickets",
        help="repair and customer-visit tickets",
        description="Repair and customer-visit tickets, kept in the project's tickets "
        "layer: 'heatgis tickets add PROJECT ...' adds an open one, which 'heatgis crews' "
        "then plans by its deadline.",
    )
    tsub = t.add_subparsers(dest="tickets_cmd")
    a = tsub.add_parser(
        "add",
        help="add an open ticket to the project (saved in the file)",
        description="Add an open ticket (a site or a map point, the skill and minutes of work, "
        "a deadline) to the project file; the bundled demo only with --force.",
    )
    add_project_arg(a, required=True)
    a.add_argument("--site", help="station, boiler room or heat source id")
    a.add_argument("--x", type=float, help="map point (project CRS) when there is no site")
    a.add_argument("--y", type=float)
    a.add_argument("--kind", default="repair", help="repair or customer_visit (default repair)")
    a.add_argument("--skill", default="operator", help="skill needed (default operator)")
    a.add_argument("--priority", type=int, default=1, help="0 normal, higher = more urgent (default 1)")
    a.add_argument("--duration", type=float, default=60, help="minutes of work (default 60)")
    a.add_argument("--deadline", help="latest end, e.g. 2022-02-25T14:00")
    a.add_argument("--reported", help="report time (default: the scenario's reference time)")
    a.add_argument("--id", help="ticket id (default TK-0001, ...)")
    a.add_argument("--name", help="short description")
    a.add_argument("--json", action="store_true", help="print the ticket (and its insertion) as JSON")
    add_force_arg(a)
    t.set_defaults(func=cmd_tickets)


def _rules(path):
    from heatgis.analysis.staffing import StaffingRules
    from heatgis.routing.crew_rules import CrewRules

    rules = StaffingRules.load(path) if path else StaffingRules()
    CrewRules.of(rules, file=path)  # bad crew rules before any work
    return rules


def cmd_crews(args) -> int:
    from heatgis.model.store import open_project
    from heatgis.routing.duty import horizon
    from heatgis.routing.ops import plan_operations

    if args.time_limit <= 0:
        raise time_limit_error(args.time_limit)
    rules = _rules(args.rules)
    project = open_project(project_path(args))
    quality = check_quality(project, args)
    horizon(project, args.at, args.hours)
    if args.geojson:
        from heatgis.export.files import check_writable

        check_writable(args.geojson)
    check_outputs(args)
    from heatgis.cli.textfmt import progress_feedback

    feedback = None if args.json else progress_feedback()
    plan = plan_operations(
        project, at=args.at, hours=args.hours, rules=rules, time_limit=args.time_limit, feedback=feedback
    )
    if feedback is not None:
        feedback.set_progress(100, Text("done", "完成"))
    if args.geojson:
        plan.to_geojson(args.geojson)
    written = write_outputs(args, plan, project)
    if args.json:
        doc = plan.to_dict()
        doc["data_problems"] = quality.to_dict()
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    print(format_ops(plan))
    if args.geojson:
        tell(Text("\nlegs and stops written to {file}", "\n行程和停靠点已写入 {file}", file=args.geojson))
    for what, path in written:
        tell(Text("{what} written to {file}", "{what}已写入 {file}", what=what, file=path))
    return 0


def add_output_args(s) -> None:
    """The printed and office outputs of ``heatgis crews`` (``heatgis.export.roster`` and friends)."""
    s.add_argument(
        "--roster-pdf",
        metavar="OUT",
        help="print the roster (值班表) per crew and per site, with coverage and the Gantt, as an A4 PDF",
    )
    s.add_argument(
        "--xlsx",
        metavar="OUT",
        help="write the roster, coverage, vehicle stops and unmet duty as a "
        "workbook (sheets 值班表, 覆盖率, 车辆路线, 未满足)",
    )
    s.add_argument(
        "--sheets",
        metavar="OUT",
        help="print the route sheets as one PDF: a page per vehicle shift "
        "(map, stops with the people set down and picked up, ETAs)",
    )
    s.add_argument("--gantt", metavar="OUT", help="draw the plan in clock time as a PNG")
    s.add_argument(
        "--lang", choices=("zh", "en"), default="zh", help="language of the PDFs, the workbook and the chart"
    )


def check_outputs(args) -> None:
    """Every output file writable before any planning."""
    from heatgis.export.files import check_writable

    for name in ("roster_pdf", "xlsx", "sheets", "gantt"):
        if getattr(args, name, None):
            check_writable(getattr(args, name))


def write_outputs(args, plan, project) -> list[tuple[str, str]]:
    """Write the outputs asked for; returns (what, path) pairs."""
    lang = getattr(args, "lang", "zh")
    out = []
    if getattr(args, "roster_pdf", None):
        from heatgis.export.roster import write_roster_pdf

        out.append((Text("roster", "值班表"), str(write_roster_pdf(plan, args.roster_pdf, lang=lang))))
    if getattr(args, "xlsx", None):
        from heatgis.export.xlsx_ops import write_ops_xlsx

        out.append((Text("workbook", "工作簿"), str(write_ops_xlsx(plan, args.xlsx, lang=lang))))
    if getattr(args, "sheets", None):
        from heatgis.export.ops_sheets import write_ops_sheets_pdf

        out.append((Text("route sheets", "路线单"), str(write_ops_sheets_pdf(plan, project, args.sheets, lang=lang))))
    if getattr(args, "gantt", None):
        from heatgis.errors import HeatGISError
        from heatgis.export.charts import ops_gantt_chart

        if not ops_gantt_chart(plan, lang=lang).save(str(args.gantt), "PNG"):
            raise HeatGISError(
                Text("the chart could not be written", "无法写出图表"),
                Text("check the folder and the file name (.png)", "请检查文件夹和文件名（.png）"),
                file=args.gantt,
            )
        out.append((Text("Gantt", "甘特图"), str(args.gantt)))
    return out


def cmd_tickets(args) -> int:
    from heatgis.model.store import open_project, save_project
    from heatgis.routing.tickets import new_ticket, with_ticket

    if getattr(args, "tickets_cmd", None) != "add":
        raise HeatGISError(
            Text("say what to do with tickets", "请说明要对工单做什么"),
            Text(
                "use: heatgis tickets add PROJECT --site ST-0001 ...",
                "用法：heatgis tickets add PROJECT --site ST-0001 ...",
            ),
        )
    project = open_project(args.project)
    row = new_ticket(
        project,
        site_id=args.site,
        kind=args.kind,
        skill=args.skill,
        priority=args.priority,
        duration_min=args.duration,
        deadline=args.deadline,
        reported=args.reported,
        ticket_id=args.id,
        x=args.x,
        y=args.y,
        name=args.name,
    )
    project.set_layer("tickets", with_ticket(project, row))
    save_project(project, force=args.force)
    out = {
        k: (v.isoformat(timespec="minutes") if hasattr(v, "isoformat") else v)
        for k, v in row.items()
        if k != "geometry"
    }
    if args.json:
        json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        tell(
            Text(
                "ticket {id} ({kind}, {skill}, {minutes:g} min) saved in {path}; 'heatgis crews' plans it",
                "工单 {id}（{kind}，{skill}，{minutes:g} 分钟）已保存到 {path}；“heatgis crews”会安排它",
                id=row["ticket_id"],
                kind=code_text("ticket_kind", row["kind"]),
                skill=code_text("skill", row["skill"]),
                minutes=row["duration_min"],
                path=project.path,
            )
        )
    return 0


def format_ops(plan) -> str:
    """The plan as text: coverage per shift, the roster, each vehicle's stops, the unmet duty."""
    from heatgis.cli.textfmt import table
    from heatgis.text import localize

    c = plan.coverage()
    lines = [
        f"Crew operations 抢修队值班 — {plan.at:%Y-%m-%d %H:%M} to {plan.end:%Y-%m-%d %H:%M} ({plan.hours:g} h)",
        f"places filled {c['places_filled']} of {c['places_required']} (presence {c['presence_filled']}"
        f"/{c['presence_required']}); patrols {c['patrols_done']} of {c['patrols_required']}; tickets met "
        f"{c['tickets_met']} of {c['tickets']} ({c['tickets_late']} late)",
        "",
    ]
    lines.append(
        table(
            ["shift", "start", "required", "filled"],
            [[p["shift"], p["start"][5:16], p["places_required"], p["places_filled"]] for p in c["per_shift"]],
            numeric={2, 3},
        )
    )
    r = plan.roster[plan.roster["task"] != "vehicle"]
    if len(r):
        lines += ["", "Roster 值班表"]
        lines.append(
            table(
                ["staff", "name", "crew", "site", "skill", "from", "to", "set down by"],
                [
                    [
                        x.staff_id,
                        x.name,
                        x.crew_id,
                        x.site_id,
                        x.skill,
                        f"{x.start:%m-%d %H:%M}",
                        f"{x.end:%H:%M}",
                        x.drop_vehicle or "inside",
                    ]
                    for x in r.itertuples()
                ],
            )
        )
    for v in plan.vehicles[plan.vehicles["stops"] > 0].itertuples():
        st = plan.stops[plan.stops["vehicle_id"] == v.vehicle_id]
        lines += ["", f"{v.vehicle_id} {v.crew_name} team {v.team} ({v.skills})"]
        lines.append(
            table(
                ["#", "site", "task", "who", "arrive", "start", "depart"],
                [
                    [
                        s.seq,
                        s.site_id,
                        s.task,
                        s.staff_ids,
                        f"{s.arrive:%H:%M}",
                        f"{s.start:%H:%M}",
                        f"{s.depart:%H:%M}",
                    ]
                    for s in st.itertuples()
                ],
                numeric={0},
            )
        )
    if len(plan.unmet):
        lines += ["", "Not met 未满足"]
        lines.append(
            table(
                ["duty", "id", "site", "reason", "detail"],
                [[u.duty, u.duty_id, u.site_id, u.reason, localize(u.detail)] for u in plan.unmet.itertuples()],
            )
        )
    return "\n".join(lines)
