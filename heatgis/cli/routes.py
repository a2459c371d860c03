"""``heatgis routes``: the crew plan for a shift, around the closed areas.

Registered by ``heatgis.cli`` through ``add_parser(subparsers)``.
"""

from __future__ import annotations

import json
import sys

from heatgis.cli import add_project_arg, add_strict, check_quality, project_path, tell, time_limit_error
from heatgis.cli.textfmt import progress_feedback
from heatgis.errors import HeatGISError
from heatgis.text import Text


def add_parser(subparsers) -> None:
    """Register the ``routes`` subcommand."""
    s = subparsers.add_parser(
        "routes",
        help="crew plan for a shift, routed around sealed and controlled zones",
        description="Plan the emergency crews of a shift: every site on the duty list (the staffing "
        "plan's sites left to crews, else every locked site) visited once, crews start and end at "
        "their depot, roads inside active sealed/controlled zones closed to through traffic.",
    )
    add_project_arg(s)
    s.add_argument("--at", help="time whose zones apply (default: the scenario's reference time)")
    s.add_argument(
        "--shift",
        choices=("day", "night"),
        default="day",
        help="day = 08:00-20:00 crews, night = 20:00-08:00 crews (default day)",
    )
    s.add_argument(
        "--time-limit",
        type=float,
        default=1.0,
        metavar="S",
        help="at most S seconds of optimisation (default 1); the search stops earlier "
        "once no better plan has come for half a second and for as long as the best took",
    )
    s.add_argument(
        "--duty",
        choices=("auto", "locked"),
        default="auto",
        help="auto = staffing plan's sites left to crews when available, locked = all locked sites",
    )
    s.add_argument(
        "--precaution-factor",
        type=float,
        default=1.5,
        metavar="F",
        help="travel-time factor inside precaution zones (default 1.5)",
    )
    s.add_argument("--station-min", type=float, default=40, help="service minutes at a station (default 40)")
    s.add_argument("--boiler-min", type=float, default=60, help="service minutes at a boiler room (default 60)")
    s.add_argument(
        "--crews",
        action="store_true",
        help="show this shift of the crews' 24-hour plan (heatgis crews: places held, relief "
        "trips, patrols, tickets) instead of one visit per site",
    )
    s.add_argument("--json", action="store_true", help="print the plan as JSON")
    s.add_argument("--geojson", metavar="OUT", help="write the routes as GeoJSON (WGS84)")
    s.add_argument("--sheets", metavar="DIR", help="write one CSV route sheet per crew into DIR")
    s.add_argument(
        "--sheets-pdf",
        metavar="FILE",
        help="print the route sheets as one PDF: a page per working crew (map, stops, ETAs)",
    )
    s.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the PDF route sheets")
    s.add_argument("--paper", default="A4", type=str.upper, help="paper of the PDF route sheets: A4 or A3")
    add_strict(s)
    s.set_defaults(func=cmd_routes)


def cmd_routes(args) -> int:
    from heatgis.model.project import parse_time
    from heatgis.model.store import open_project
    from heatgis.routing.planner import plan_routes

    if args.time_limit <= 0:
        raise time_limit_error(args.time_limit)
    if args.precaution_factor < 1:
        raise HeatGISError(
            Text("--precaution-factor {v:g} is below 1", "--precaution-factor {v:g} 小于 1", v=args.precaution_factor),
            Text("use 1 (no slow-down) or more, e.g. 1.5", "请用 1（不减速）或更大的值，如 1.5"),
        )
    if args.sheets_pdf:
        from heatgis.export.files import check_writable
        from heatgis.render.layout import PageSpec

        PageSpec(args.paper, landscape=False)  # bad --paper or output folder before planning
        check_writable(args.sheets_pdf)
    if args.geojson or args.sheets:
        from heatgis.export.files import check_folder, check_writable

        if args.geojson:
            check_writable(args.geojson)
        if args.sheets:
            check_folder(args.sheets)
    project = open_project(project_path(args))
    quality = check_quality(project, args)
    at = parse_time(args.at) if args.at else None
    if args.crews:  # the single-shift view of the one crews' plan
        from heatgis.routing.ops import plan_operations
        from heatgis.routing.opsplan import shift_view

        plan = shift_view(
            plan_operations(
                project, at=at, hours=24, time_limit=args.time_limit, precaution_factor=args.precaution_factor
            ),
            args.shift,
        )
    else:
        plan = plan_routes(
            project,
            at=at,
            shift=args.shift,
            duty=args.duty,
            time_limit=args.time_limit,
            precaution_factor=args.precaution_factor,
            service_min={"station": args.station_min, "boiler_room": args.boiler_min},
            feedback=None if args.json else progress_feedback(),
        )
    if args.geojson:
        plan.to_geojson(args.geojson)
    if args.sheets:
        plan.write_route_sheets(args.sheets)
    if args.sheets_pdf:
        from heatgis.export.route_sheets import write_route_sheets_pdf

        write_route_sheets_pdf(plan, project, args.sheets_pdf, lang=args.lang, paper=args.paper)
    if args.json:
        doc = plan.to_dict()
        doc["data_problems"] = quality.to_dict()
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    print(format_plan(plan))
    if args.geojson:
        tell(Text("\nroutes written to {file}", "\n路线已写入 {file}", file=args.geojson))
    if args.sheets:
        tell(Text("route sheets written to {file}", "路线单已写入 {file}", file=args.sheets))
    if args.sheets_pdf:
        tell(Text("route sheets (PDF) written to {file}", "路线单（PDF）已写入 {file}", file=args.sheets_pdf))
    return 0


def format_plan(plan) -> str:
    """The plan as text: the crews' summary, each crew's stops, the visits not served."""
    from heatgis.cli.textfmt import table
    from heatgis.text import localize

    d = plan.to_dict()
    t = d["totals"]
    lines = [
        f"Crew plan 抢修队路线 — {plan.shift} shift {plan.shift_start:%Y-%m-%d %H:%M}–"
        f"{plan.shift_end:%H:%M}, zones at {plan.at:%Y-%m-%d %H:%M}",
        f"duty list: {plan.duty_source}; closed zones: {len(plan.closed_zones)}; "
        f"{t['visits']} visits by {t['crews_used']} of {t['crews']} crews, "
        f"{t['travel_s'] / 3600:.1f} h driving, {t['distance_m'] / 1000:.1f} km; "
        f"{t['dropped']} not served",
        "",
    ]
    rows = [
        [
            c["crew_id"],
            c["name"],
            c["depot_id"],
            c["members"],
            len(c["stops"]),
            (c["leave"] or "")[11:16],
            (c["back"] or "")[11:16],
            f"{c['travel_s'] / 60:.0f}",
            f"{c['distance_m'] / 1000:.1f}",
        ]
        for c in d["crews"]
    ]
    lines.append(
        table(
            ["crew", "名称", "depot", "people", "stops", "leave", "back", "drive min", "km"], rows, numeric={3, 4, 7, 8}
        )
    )
    for c in d["crews"]:
        if not c["stops"]:
            continue
        lines += ["", f"{c['crew_id']} {c['name']}"]
        rows = [
            [
                s["seq"],
                s["site_id"],
                s["name"],
                s["address"],
                ",".join(s["zone_ids"]),
                s["eta"][11:16],
                s["depart"][11:16],
                f"{s['distance_m'] / 1000:.1f}",
            ]
            for s in c["stops"]
        ]
        lines.append(table(["#", "site", "名称", "地址", "zones", "eta", "depart", "km"], rows, numeric={0, 7}))
    if d["dropped"]:
        lines += ["", "Not served 未安排"]
        lines.append(
            table(
                ["site", "名称", "reason", "detail"],
                [[x["site_id"], x["name"], x["reason"], localize(x["detail"])] for x in d["dropped"]],
            )
        )
    return "\n".join(lines)
