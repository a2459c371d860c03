"""``heatgis impact``: locked sites and their totals at a time (tables, JSON, timeline)."""

from __future__ import annotations

import json
import sys

from heatgis.cli import add_project_arg, add_strict, check_quality, project_path, say
from heatgis.errors import HeatGISError
from heatgis.model.vocab import fmt_wan
from heatgis.text import Text, join

#: the contract fields the impact's figures and tables are made of, read (and checked) for the command;
#: the others (a station's address and design load, a zone's source and notes ...) are not read
IMPACT_FIELDS = {
    "stations": ("station_id", "name", "network_id", "heated_area_m2", "households", "compound_id", "depot_id"),
    "boiler_rooms": ("asset_id", "name", "fuel", "heated_area_m2", "households", "compound_id", "depot_id"),
    "lockdown_zones": ("zone_id", "name", "level", "start", "end"),
}


def add_parser(sub) -> None:
    s = sub.add_parser(
        "impact",
        help="locked sites and their totals at a time",
        description="Which stations and boiler rooms are inside active sealed or controlled "
        "zones at a time, with heated area, households, staff locked in, per-zone tables.",
    )
    add_project_arg(s)
    s.add_argument("--at", help="time, e.g. 2022-02-18T08:00 (default: the scenario's reference time)")
    s.add_argument(
        "--zones",
        action="append",
        default=[],
        metavar="FILE",
        help="add zones from a GeoJSON/GPKG/Shapefile (repeatable; the project is not changed)",
    )
    s.add_argument("--json", action="store_true", help="print JSON instead of tables (compact, one line)")
    s.add_argument("--indent", type=int, metavar="N", help="with --json: indent by N spaces for reading")
    s.add_argument("--csv", metavar="OUT", help="also write the locked-site table as CSV (UTF-8 with BOM)")
    s.add_argument(
        "--limit",
        type=int,
        default=50,
        metavar="N",
        help="rows of each table in the text output (default 50; totals always count all)",
    )
    s.add_argument("--all", action="store_true", help="every row of every table in the text output")
    s.add_argument("--timeline", action="store_true", help="also give the day-by-day timeline")
    add_strict(s)
    s.set_defaults(func=cmd_impact)


def cmd_impact(args) -> int:
    import pandas as pd

    from heatgis.analysis.impact import ImpactEngine, json_default
    from heatgis.cli.tableout import write_json
    from heatgis.cli.textreport import format_impact
    from heatgis.io.zonefile import read_zones_file
    from heatgis.model.project import parse_time
    from heatgis.model.store import open_project

    args.project = project_path(args)
    project = open_project(args.project, fields=IMPACT_FIELDS)
    quality = check_quality(project, args)
    at = parse_time(args.at) if args.at else project.reference_time
    if at is None:
        raise HeatGISError(
            Text("the project has no reference time", "项目没有基准时间"),
            Text("give the time with --at 2022-02-18T08:00", "请用 --at 2022-02-18T08:00 指定时间"),
            file=args.project,
        )
    zones = project.layer("lockdown_zones")
    notes = list(project.notes)
    for f in args.zones:
        extra, more = read_zones_file(f, project.crs, at)
        notes += more
        clash = set(extra["zone_id"]) & set(zones["zone_id"])
        if clash:
            raise HeatGISError(
                Text(
                    "zone id(s) already in the project: {ids}",
                    "项目中已有这些管控区编号：{ids}",
                    ids=join(sorted(clash)[:5]),
                ),
                Text("give the added zones their own zone_id", "请给新增的管控区各自的 zone_id"),
                file=f,
                layer="lockdown_zones",
            )
        zones = pd.concat([zones, extra], ignore_index=True) if len(zones) else extra
    engine = ImpactEngine(project)
    result = engine.compute(zones, at)
    tl = None
    if args.timeline:
        from heatgis.analysis.timeline import timeline

        tl = timeline(project, zones=zones, engine=engine)
    for n in notes:
        say(n)
    if args.csv:
        write_sites_csv(result.sites, args.csv)
    if args.json:

        def doc_of(records=None) -> dict:
            doc = result.to_dict(records)
            doc["notes"] = [str(n) for n in notes]
            doc["data_problems"] = quality.to_dict()
            if tl is not None:
                doc["timeline"] = [
                    {
                        "time": r.time.isoformat(timespec="minutes"),
                        "zones_active": int(r.zones_active),
                        "stations": int(r.stations),
                        "boiler_rooms": int(r.boiler_rooms),
                        "heated_area_m2": float(r.heated_area_m2),
                        "households": int(r.households),
                        "staff_locked_in": int(r.staff_locked_in),
                    }
                    for r in tl.itertuples()
                ]
            return doc

        if args.indent:  # for reading: the whole document through the encoder
            sys.stdout.write(json.dumps(doc_of(), ensure_ascii=False, indent=args.indent, default=json_default))
        else:  # compact, the tables column by column in one pass (the same text)
            write_json(doc_of, sys.stdout)
        sys.stdout.write("\n")
        return 0
    print(format_impact(result, max_rows=None if args.all else max(args.limit, 0)))
    if tl is not None:
        from heatgis.cli.textfmt import table

        rows = [
            [
                f"{r.time:%Y-%m-%d %H:%M}",
                r.zones_active,
                r.stations,
                r.boiler_rooms,
                fmt_wan(r.heated_area_m2),
                r.households,
                r.staff_locked_in,
            ]
            for r in tl.itertuples()
        ]
        print("\nTimeline 时间线")
        print(table(["time", "zones", "站", "锅炉房", "万㎡", "户", "员工"], rows, numeric={1, 2, 3, 4, 5, 6}))
    return 0


def write_sites_csv(sites, path) -> None:
    """The locked-site table as CSV (zone ids joined by ';'), UTF-8 with BOM so Excel reads Chinese."""
    from pathlib import Path

    from heatgis.cli.tableout import write_csv
    from heatgis.model.cells import safe_frame

    out = safe_frame(sites.assign(zone_ids=list(map(";".join, sites["zone_ids"]))))
    try:
        write_csv(out, Path(path))
    except OSError as exc:
        raise HeatGISError(
            Text("the CSV cannot be written ({why})", "无法写出 CSV（{why}）", why=exc.strerror),
            Text("choose a folder you can write to", "请选择一个可写入的文件夹"),
            file=path,
        ) from exc
