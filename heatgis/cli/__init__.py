"""The command line: ``heatgis`` opens the desktop app; subcommands run every analysis in batch.

Exit codes: 0 success, 1 the input has problems (validate), 2 a user error
(missing file, bad time ...) with the message on stderr.
"""
from __future__ import annotations

import argparse
import sys

from heatgis import __version__
from heatgis.paths import DEMO_PATH
from heatgis.errors import HeatGISError


#: help of the project argument of the commands that only read it
PROJECT_HELP = "project GeoPackage (.gpkg); default: the bundled demo"
USAGE = ("heatgis [PROJECT.gpkg]            open the desktop app (default: the bundled demo)\n"
         "       heatgis COMMAND [PROJECT.gpkg] [options]   (heatgis COMMAND --help)")


def add_project_arg(s, required: bool = False) -> None:
    """The ``project`` argument; optional (= the bundled demo) unless ``required``."""
    if required:
        s.add_argument("project", help="project GeoPackage (.gpkg)")
    else:
        s.add_argument("project", nargs="?", metavar="PROJECT.gpkg", help=PROJECT_HELP)


def add_force_arg(s) -> None:
    """``--force``: the only way a command writes into the bundled demo."""
    s.add_argument("--force", action="store_true",
                   help="allow changing the bundled demo project itself (refused by default: work on a copy, "
                   "heatgis demo my.gpkg)")


def project_path(args) -> str:
    """The project a command works on: the one given, else the bundled demo."""
    return args.project or str(DEMO_PATH)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="heatgis", usage=USAGE, description="HeatGIS — lockdown planning for district heating. "
        "Without a command, opens the desktop app (on PROJECT.gpkg or the bundled demo). Every command "
        "without a project works on the bundled demo, which is never changed without --force.")
    p.add_argument("--version", action="version", version=f"heatgis {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", prog="heatgis")

    from heatgis.cli import crews, demo, heat, impact, importing, report, routes, staff, validate

    for command in (impact, validate, demo, staff, routes, crews, importing, report, heat):
        command.add_parser(sub)
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
              "heatgis impact (the bundled demo; see heatgis --help).", file=sys.stderr)
        return 2
    return run(project or str(DEMO_PATH), smoke=smoke)
