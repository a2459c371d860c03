"""The command line: ``heatgis`` opens the desktop app; subcommands run every analysis in batch.

Exit codes: 0 success, 1 the input has problems (validate), 2 a user error
(missing file, bad time ...) with the message on stderr.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from heatgis import __version__
from heatgis.errors import HeatGISError

DEMO_PATH = Path(__file__).resolve().parent.parent / "data" / "hohhot_demo.gpkg"


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="heatgis", description="HeatGIS — lockdown planning for district heating. "
        "Without a command, opens the desktop app (on PROJECT or the bundled demo).")
    p.add_argument("--version", action="version", version=f"heatgis {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    s = sub.add_parser("impact", help="locked sites and their totals at a time",
                       description="Which stations and boiler rooms are inside active sealed or controlled "
                       "zones at a time, with heated area, households, staff locked in, per-zone tables.")
    s.add_argument("project", help="project GeoPackage (.gpkg)")
    s.add_argument("--at", help="time, e.g. 2022-02-18T08:00 (default: the scenario's reference time)")
    s.add_argument("--zones", action="append", default=[], metavar="FILE",
                   help="add zones from a GeoJSON/GPKG/Shapefile (repeatable; the project is not changed)")
    s.add_argument("--json", action="store_true", help="print JSON instead of tables")
    s.add_argument("--timeline", action="store_true", help="also give the day-by-day timeline")
    s.set_defaults(func=cmd_impact)

    s = sub.add_parser("validate", help="check a project against the layer contract, print every problem")
    s.add_argument("project")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_validate)

    s = sub.add_parser("demo", help="regenerate the Hohhot demo city (deterministic)")
    s.add_argument("path", nargs="?", default=str(DEMO_PATH), help=f"output .gpkg (default {DEMO_PATH})")
    s.set_defaults(func=cmd_demo)

    from heatgis.cli_io import add_parser as add_io
    from heatgis.cli_report import add_parser as add_report
    from heatgis.cli_routes import add_parser as add_routes
    from heatgis.cli_staff import add_parser as add_staff

    add_staff(sub)
    add_routes(sub)
    add_io(sub)
    add_report(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")
        except (AttributeError, ValueError):
            pass
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    if not argv or (len(argv) == 1 and argv[0].lower().endswith(".gpkg")):
        return open_app(argv[0] if argv else None)
    if argv[0] == "--smoke-test":  # start-up check of the (frozen) desktop app
        return open_app(argv[1] if len(argv) > 1 else None, smoke=True)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        return args.func(args) or 0
    except HeatGISError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def open_app(project: str | None, smoke: bool = False) -> int:
    try:
        from heatgis.gui.app import run
    except ImportError as exc:
        print(f"The desktop app cannot start here ({exc}). Use the batch commands instead: "
              "heatgis impact data/hohhot_demo.gpkg (see heatgis --help).", file=sys.stderr)
        return 2
    return run(project or str(DEMO_PATH), smoke=smoke)


def cmd_impact(args) -> int:
    from heatgis.analysis.impact import ImpactEngine
    from heatgis.io.zonefile import read_zones_file
    from heatgis.model.project import parse_time
    from heatgis.model.store import open_project
    from heatgis.textreport import format_impact

    import pandas as pd

    project = open_project(args.project)
    at = parse_time(args.at) if args.at else project.reference_time
    if at is None:
        raise HeatGISError("the project has no reference time", "give the time with --at 2022-02-18T08:00",
                           file=args.project)
    zones = project.layer("lockdown_zones")
    notes = list(project.notes)
    for f in args.zones:
        extra, more = read_zones_file(f, project.crs, at)
        notes += more
        clash = set(extra["zone_id"]) & set(zones["zone_id"])
        if clash:
            raise HeatGISError(f"zone id(s) already in the project: {', '.join(sorted(clash)[:5])}",
                               "give the added zones their own zone_id", file=f, layer="lockdown_zones")
        zones = pd.concat([zones, extra], ignore_index=True) if len(zones) else extra
    engine = ImpactEngine(project)
    result = engine.compute(zones, at)
    tl = None
    if args.timeline:
        from heatgis.analysis.timeline import timeline

        tl = timeline(project, zones=zones, engine=engine)
    for n in notes:
        print(n, file=sys.stderr)
    if args.json:
        doc = result.to_dict()
        doc["notes"] = [str(n) for n in notes]
        if tl is not None:
            doc["timeline"] = [{"time": r.time.isoformat(timespec="minutes"), "zones_active": int(r.zones_active),
                                "stations": int(r.stations), "boiler_rooms": int(r.boiler_rooms),
                                "heated_area_m2": float(r.heated_area_m2), "households": int(r.households),
                                "staff_locked_in": int(r.staff_locked_in)} for r in tl.itertuples()]
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    print(format_impact(result))
    if tl is not None:
        from heatgis.textfmt import table

        rows = [[f"{r.time:%Y-%m-%d %H:%M}", r.zones_active, r.stations, r.boiler_rooms,
                 f"{r.heated_area_m2 / 1e4:,.2f}", r.households, r.staff_locked_in] for r in tl.itertuples()]
        print("\nTimeline 时间线")
        print(table(["time", "zones", "站", "锅炉房", "万㎡", "户", "员工"], rows, numeric={1, 2, 3, 4, 5, 6}))
    return 0


def cmd_validate(args) -> int:
    from heatgis.model.schema import validate_project
    from heatgis.model.store import open_project

    project = open_project(args.project, strict=False)
    problems = list(project.notes) + validate_project(project)
    errors = [p for p in problems if p.severity == "error"]
    if args.json:
        json.dump([p.to_dict() for p in problems], sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        for p in problems:
            print(p)
        layers = ", ".join(f"{k} {len(v)}" for k, v in project.layers.items())
        print(f"{args.project}: {len(errors)} error(s), {len(problems) - len(errors)} warning(s); "
              f"layers: {layers}")
    return 1 if errors else 0


def cmd_demo(args) -> int:
    from heatgis.sample import generate_demo

    project = generate_demo(path=args.path)
    print(f"wrote {args.path}: " + ", ".join(f"{k} {len(v)}" for k, v in project.layers.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
