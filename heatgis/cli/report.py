"""``heatgis report``: map.pdf, map.png, report.xlsx and briefing.pptx for the wall and the meeting.

Registered by ``heatgis.cli.build_parser`` through ``add_parser(sub)``.
"""

from __future__ import annotations

from heatgis.cli import (
    add_force_arg,
    add_project_arg,
    add_strict,
    check_quality,
    project_path,
    say,
    tell,
    time_limit_error,
)
from heatgis.cli.textfmt import plural, progress_feedback
from heatgis.errors import HeatGISError
from heatgis.model.vocab import fmt_wan
from heatgis.text import Text


def add_parser(subparsers):
    """Register the ``report`` subcommand."""
    s = subparsers.add_parser(
        "report",
        help="print layout (PDF/PNG), Excel report and PPTX briefing",
        description="Write map.pdf (vector, CJK font embedded), map.png, report.xlsx and briefing.pptx into "
        "OUT: the situation map with legend, scale bar, north arrow, KPIs, locked-site table and overview; "
        "the figures of the impact at the time; the staffing and crew plans unless --no-plans.",
    )
    add_project_arg(s)
    s.add_argument("--out", required=True, metavar="DIR", help="output folder (created if missing)")
    s.add_argument("--at", help="time of the figures, e.g. 2022-02-25T08:00 (default: the reference time)")
    s.add_argument(
        "--paper",
        default="A4",
        type=str.upper,
        help="A4 or A3 (default A4); A2, A1, A0: the wall layout (text at least 14 pt)",
    )
    s.add_argument("--landscape", action="store_true", help="landscape page (default portrait)")
    s.add_argument("--dpi", type=int, default=150, help="PNG resolution, 150 or 300 (default 150)")
    s.add_argument("--district", metavar="NAME", help="map one district (e.g. 新城区) instead of the city")
    s.add_argument(
        "--atlas", choices=("zones", "districts"), help="add one page per active zone or per district to map.pdf"
    )
    s.add_argument("--title", help="title (default from the scenario)")
    s.add_argument("--subtitle", help="subtitle (default: time and active zones)")
    s.add_argument(
        "--lang", choices=("zh", "en"), default="zh", help="language of the map, the workbook and the deck (default zh)"
    )
    s.add_argument("--no-plans", action="store_true", help="leave out the staffing and crew plans")
    s.add_argument(
        "--since",
        metavar="TIME",
        help="the earlier time the briefing compares with (default: 24 h before --at); 'published' = the data "
        "time of the last published report",
    )
    s.add_argument(
        "--basemap", metavar="TILES", help="offline basemap behind the maps: an .mbtiles file or a z/x/y tile folder"
    )
    s.add_argument("--basemap-gcj02", action="store_true", help="the basemap's tiles are GCJ-02 (Amap, Tencent)")
    s.add_argument(
        "--atlas-all-zones",
        action="store_true",
        help="the zone atlas pages every active zone, not only those with impact",
    )
    s.add_argument(
        "--decision",
        action="append",
        default=[],
        metavar="TEXT",
        help="an open issue for the decisions slide (repeatable; the project's own open issues come first)",
    )
    s.add_argument(
        "--no-record",
        action="store_true",
        help="do not record what was published (published.json beside the outputs and, unless the project "
        "is the bundled demo, the project's metadata)",
    )
    add_force_arg(s)
    s.add_argument(
        "--time-limit", type=float, default=2.0, metavar="S", help="seconds of crew-route optimisation (default 2)"
    )
    add_strict(s)
    s.set_defaults(func=cmd_report)
    return s


def cmd_report(args) -> int:
    from heatgis.export.report import ReportOptions, write_report
    from heatgis.model.store import open_project
    from heatgis.render.layout import PageSpec

    PageSpec(args.paper, args.landscape, args.dpi).check_png()  # bad --paper / --dpi before the project is read
    if args.time_limit <= 0:
        raise time_limit_error(args.time_limit)
    project = open_project(project_path(args))
    quality = check_quality(project, args)
    options = ReportOptions(
        paper=args.paper,
        landscape=args.landscape,
        dpi=args.dpi,
        district=args.district,
        atlas=args.atlas,
        plans=not args.no_plans,
        time_limit=args.time_limit,
        title=args.title,
        subtitle=args.subtitle,
        lang=args.lang,
        since=args.since,
        basemap=args.basemap,
        basemap_gcj02=args.basemap_gcj02,
        atlas_all=args.atlas_all_zones,
        decisions=tuple(args.decision),
        record=not args.no_record,
    )
    files = write_report(project, args.out, options, at=args.at, quality=quality, feedback=progress_feedback())
    t = files.result.totals
    print(
        f"figures at {t.at:%Y-%m-%d %H:%M}: {t.stations} stations, {t.boiler_rooms} boiler rooms, "
        f"{fmt_wan(t.heated_area_m2)} 万㎡, {fmt_wan(t.households)} 万户, {t.staff_locked_in} staff locked in"
    )
    ch = files.change
    if ch is not None:
        from heatgis.export.briefing import change_summary

        print(change_summary(ch, "en"))
    for f in (files.pdf, files.png, files.xlsx, files.pptx):
        if f == files.pdf:
            pages = Text("{pages}", "{n} 页", pages=plural(files.pages, "page"), n=files.pages)
            tell(Text("wrote {file} ({pages})", "已写出 {file}（{pages}）", file=f, pages=pages))
        else:
            tell(Text("wrote {file}", "已写出 {file}", file=f))
    if files.record is not None:
        _keep_record(project, files.record, args)
    return 0


def _keep_record(project, record: dict, args) -> None:
    """The record of what was published, in the project's metadata (saved), unless the project is the
    bundled demo (then only ``published.json`` beside the outputs holds it)."""
    from pathlib import Path

    from heatgis.export.published import META_KEY, SIDECAR, with_record
    from heatgis.model.store import save_project
    from heatgis.paths import is_bundled_demo

    side = Path(args.out) / SIDECAR
    if is_bundled_demo(project.path) and not args.force:
        say(
            Text(
                "recorded in {side} (the bundled demo is not changed)",
                "已记录在 {side}（自带的演示项目不修改）",
                side=side,
            )
        )
        return
    project.meta[META_KEY] = with_record(project, record)
    try:
        save_project(project, force=args.force)
    except HeatGISError as exc:
        say(
            Text(
                "warning: not recorded in the project ({why}); see {side}",
                "警告：未记录到项目中（{why}）；请看 {side}",
                why=Text(str(exc).splitlines()[0], exc.text("zh").splitlines()[0]),
                side=side,
            )
        )
        return
    say(Text("recorded in {path} and {side}", "已记录在 {path} 和 {side}", path=project.path, side=side))
