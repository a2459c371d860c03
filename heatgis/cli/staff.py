"""``heatgis staff``: the staffing plan in batch (tables, JSON, CSV).

Registered by ``heatgis.cli.build_parser`` through ``add_parser(sub)``.
"""

from __future__ import annotations

import json
import sys

from heatgis.cli import add_force_arg, add_project_arg, add_strict, check_quality, project_path, say
from heatgis.errors import HeatGISError
from heatgis.model.vocab import bilingual, label
from heatgis.text import Text

RULES_EXAMPLE = (
    '{"station": {"shifts": 3, "per_shift": 1, "role": "operator"}, '
    '"boiler_room": {"shifts": 3, "per_shift": 2, "role": "boiler_operator"}, '
    '"on_call": {"electrician": 1, "welder": 0}, "shift_start": "08:00", "max_walk_m": null}'
)


def add_parser(subparsers):
    """Register the ``staff`` subcommand on an argparse subparsers action."""
    s = subparsers.add_parser(
        "staff",
        help="staffing plan: locked-in staff run the sites in their own zone",
        description="Match the staff locked in at home to the locked stations and boiler rooms of their own "
        "zone (same compound first, then the shortest walk; roles and round-the-clock shifts from the "
        "rules), solved exactly; list the sites left to the crews with the reason each is short.",
        epilog=f"Rules file (JSON, every key optional): {RULES_EXAMPLE}\n"
        "example: heatgis staff my.gpkg --pin E-0203,ST-0355 --remove E-0115 --save",
    )
    add_project_arg(s)
    s.add_argument("--at", help="time, e.g. 2022-02-25T08:00 (default: the scenario's reference time)")
    s.add_argument("--json", action="store_true", help="print JSON instead of tables")
    s.add_argument("--csv", metavar="OUT", help="write the assignments (names, phones, site, shift) as CSV")
    s.add_argument("--rules", metavar="FILE", help="staffing rules as JSON (see below)")
    s.add_argument(
        "--pin",
        action="append",
        default=[],
        metavar="STAFF,SITE[,SHIFT]",
        help="fix an assignment by hand (repeatable), e.g. E-0203,ST-0355",
    )
    s.add_argument(
        "--remove",
        action="append",
        default=[],
        metavar="STAFF[,SITE]",
        help="forbid an assignment, or keep a person out of the plan (repeatable)",
    )
    s.add_argument(
        "--no-saved",
        action="store_true",
        help="ignore the pins and removals saved in the project (by the app or --save)",
    )
    s.add_argument(
        "--save",
        action="store_true",
        help="save the --pin/--remove given, on top of those saved, into the project file",
    )
    add_force_arg(s)
    s.add_argument("--max-rows", type=int, default=200, help="rows per table (default 200)")
    add_strict(s)
    s.set_defaults(func=cmd_staff)
    return s


def cmd_staff(args) -> int:
    from heatgis.analysis.staffing import plan_staffing
    from heatgis.analysis.staffing.rules import StaffingRules
    from heatgis.model.project import parse_time
    from heatgis.model.store import open_project

    rules = StaffingRules.load(args.rules) if args.rules else StaffingRules()
    args.project = project_path(args)
    project = open_project(args.project)
    quality = check_quality(project, args)
    if args.csv:
        from heatgis.export.files import check_writable

        check_writable(args.csv)
    at = parse_time(args.at) if args.at else project.reference_time
    if at is None:
        raise HeatGISError(
            Text("the project has no reference time", "项目没有基准时间"),
            Text("give the time with --at 2022-02-25T08:00", "请用 --at 2022-02-25T08:00 指定时间"),
            file=args.project,
        )
    pins = [_split(p, "--pin", 2, 3) for p in args.pin]
    removals = [tuple(_split(r, "--remove", 1, 2)) + ((None,) if "," not in r else ()) for r in args.remove]
    plan = plan_staffing(project, at, rules, pins=pins, removals=removals, saved=not args.no_saved)
    if args.save:
        from heatgis.analysis.staffing import overrides as so
        from heatgis.model.store import save_project

        saved_pins, saved_removals, _ = so.saved_overrides(project) if not args.no_saved else ((), (), [])
        so.store_overrides(project, *so.merged(saved_pins, saved_removals, pins, removals))
        save_project(project, force=args.force)
        say(
            Text(
                "saved {pins} pins and {removals} removals into {path}",
                "已把 {pins} 项指定和 {removals} 项移除保存到 {path}",
                pins=len(pins),
                removals=len(removals),
                path=args.project,
            )
        )
    if args.csv:
        plan.to_csv(args.csv)
        say(
            Text(
                "wrote {n} assignments to {file}",
                "已把 {n} 条驻守安排写入 {file}",
                n=len(plan.assignments),
                file=args.csv,
            )
        )
    if args.json:
        doc = plan.to_dict()
        doc["notes"] = [str(n) for n in list(project.notes) + list(plan.notes)]
        doc["data_problems"] = quality.to_dict()
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    for n in list(project.notes) + list(plan.notes):
        say(n)
    print(format_plan(plan, args.max_rows))
    return 0


def _split(text, opt, lo, hi):
    parts = [p.strip() for p in str(text).split(",")]
    if not lo <= len(parts) <= hi or not all(parts):
        form = "STAFF,SITE[,SHIFT]" if opt == "--pin" else "STAFF[,SITE]"
        raise HeatGISError(
            Text("{opt} '{text}' is not {form}", "{opt} “{text}”的格式不是 {form}", opt=opt, text=text, form=form),
            Text("write e.g. {opt} E-0203,ST-0355", "请写成如 {opt} E-0203,ST-0355", opt=opt),
        )
    return tuple(parts)


def format_plan(plan, max_rows: int = 200) -> str:
    """The plan as bilingual terminal tables."""
    lines = _plan_header(plan)
    for part in (_site_lines, _duty_lines, _assignment_lines, _on_call_lines, _locked_in_lines):
        lines += part(plan, max_rows)
    return "\n".join(lines)


def _plan_header(plan) -> list[str]:
    """The totals, the rules and the solver."""
    t = plan.totals
    return [
        f"{plan.scenario or 'HeatGIS'} — staffing plan 驻守安排 — {plan.at:%Y-%m-%d %H:%M}",
        "",
        f"  locked sites 锁闭站点 {t['locked_sites']} (stations 换热站 {t['stations']}, boiler rooms 锅炉房 "
        f"{t['boiler_rooms']})",
        f"  fully staffed by insiders 内部人员全驻守 {t['fully_staffed']}, partly 部分 {t['partly_staffed']}, "
        f"nobody 无人 {t['unstaffed']}",
        f"  left to the crews 交抢修队 {t['left_to_crews']} (= {t['locked_sites']} locked - "
        f"{t['fully_staffed']} fully staffed)",
        f"  places filled 岗位 {t['places_filled']}/{t['places_needed']}, on call 值守 "
        f"{t['on_call_filled']}/{t['on_call_needed']}",
        f"  staff locked in 居家封控员工 {t['staff_locked_in']} (assigned 已安排 {t['staff_assigned']}), "
        f"free to work 可出勤 {t['staff_free']}",
        f"  rules 规则: station {_rule(plan.rules.station)}, boiler room {_rule(plan.rules.boiler_room)}, "
        "on call per zone "
        + (", ".join(f"{k} {v}" for k, v in plan.rules.on_call.items() if v) or "none")
        + (f", walk <= {plan.rules.max_walk_m:g} m" if plan.rules.max_walk_m else ""),
        f"  solver 求解: {plan.solver.get('method')} ({plan.solver.get('status')}), "
        f"{plan.solver.get('candidates')} candidate pairs, {plan.solver.get('seconds')} s",
    ]


def _site_lines(plan, max_rows) -> list[str]:
    """The locked sites: need, got, status, reason."""
    from heatgis.cli.textfmt import table

    lines: list[str] = []
    s = plan.sites
    if len(s):
        rows = [
            [
                label("site_kind", r.site_kind),
                r.site_id,
                r.name,
                ";".join(r.zone_ids),
                r.needed,
                r.assigned,
                f"{r.shifts_covered}/{r.shifts}",
                bilingual("status", r.status),
                r.reason or "-",
            ]
            for r in s.head(max_rows).itertuples()
        ]
        lines += [
            "",
            f"Locked sites 锁闭站点 ({len(s)})",
            table(
                [
                    "类型",
                    "site 站点",
                    "名称 name",
                    "zones 管控区",
                    "need 需",
                    "got 到岗",
                    "shifts 班次",
                    "status 状态",
                    "reason 原因",
                ],
                rows,
                numeric={4, 5},
            ),
        ]
    return lines


def _duty_lines(plan, max_rows) -> list[str]:
    """The crews' duty list (priority 1 = nobody inside)."""
    from heatgis.cli.textfmt import table

    lines: list[str] = []
    d = plan.duty_list
    if len(d):
        rows = [
            [
                r.priority,
                label("site_kind", r.kind),
                r.site_id,
                r.name,
                ";".join(r.zone_ids),
                r.short,
                f"{r.x:.0f}",
                f"{r.y:.0f}",
                r.reason,
            ]
            for r in d.head(max_rows).itertuples()
        ]
        lines += [
            "",
            f"Duty list for the crews 抢修队任务清单 ({len(d)}; priority 1 = nobody inside)",
            table(
                ["prio 优先", "类型", "site 站点", "名称 name", "zones 管控区", "short 缺", "x", "y", "reason 原因"],
                rows,
                numeric={0, 5, 6, 7},
            ),
        ]
    return lines


def _assignment_lines(plan, max_rows) -> list[str]:
    """Who runs which site (the first ``max_rows``)."""
    from heatgis.cli.textfmt import table

    lines: list[str] = []
    a = plan.assignments
    if len(a):
        rows = [
            [
                r.site_id,
                r.site_name,
                r.shift,
                r.staff_id,
                r.name,
                r.role,
                r.phone or "-",
                f"{r.distance_m:,.0f}",
                "yes" if r.same_compound else "",
                "pin" if r.pinned else "",
            ]
            for r in a.head(max_rows).itertuples()
        ]
        lines += [
            "",
            f"Assignments 驻守人员 ({len(a)})",
            table(
                [
                    "site 站点",
                    "名称 name",
                    "shift 班次",
                    "staff 员工",
                    "姓名",
                    "role 岗位",
                    "phone 电话",
                    "walk m 步行",
                    "同小区",
                    "人工",
                ],
                rows,
                numeric={7},
            ),
        ]
        if len(a) > max_rows:
            lines.append(f"  ... {len(a) - max_rows} more (--csv OUT for all)")
    return lines


def _on_call_lines(plan, max_rows) -> list[str]:
    """The on-call places per zone."""
    from heatgis.cli.textfmt import table

    lines: list[str] = []
    oc = plan.on_call
    if len(oc):
        rows = [
            [r.zone_id, r.zone_name, r.role, r.needed, r.assigned, r.reason or "-"]
            for r in oc.head(max_rows).itertuples()
        ]
        lines += [
            "",
            "On call per zone 管控区值守",
            table(
                ["zone 管控区", "名称 name", "role 岗位", "need 需", "got 到岗", "reason 原因"], rows, numeric={3, 4}
            ),
        ]
    return lines


def _locked_in_lines(plan, max_rows) -> list[str]:
    """The staff locked in by zone, depot and role; those free to work."""
    from heatgis.cli.textfmt import table

    lines: list[str] = []
    for by, title in (("zone_id", "by zone 按管控区"), ("depot_id", "by depot 按运营所"), ("role", "by role 按岗位")):
        g = plan.locked_in_by(by)
        if len(g):
            rows = [[r[by], r["staff"], r["assigned"]] for r in g.head(max_rows).to_dict("records")]
            lines += [
                "",
                f"Staff locked in 居家封控员工, {title}",
                table([by, "staff 人数", "assigned 已安排"], rows, numeric={1, 2}),
            ]
    f = plan.free_staff
    if len(f):
        g = f.groupby("role").size()
        lines += ["", "Staff free to work 可出勤员工: " + ", ".join(f"{k} {v}" for k, v in g.items())]
    return lines


def _rule(r) -> str:
    return f"{r.shifts} shifts x {r.per_shift} {r.role}"
