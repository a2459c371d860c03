"""The command line: ``heatgis`` opens the desktop app; subcommands run every analysis in batch.

Exit codes: 0 success, 1 the input has problems (validate), 2 a user error
(missing file, bad time, a folder that cannot be written, ``--strict`` on a project with
errors ...) with the message on stderr, 70 a bug in HeatGIS (traceback, and a request to
report it), 130 interrupted.

Commands that print or write figures call :func:`add_strict` on their parser and
:func:`check_quality` once the project is read: one warning line with the count of
problems (the ones ``heatgis validate`` lists), and ``--strict`` refuses before anything
is computed or written.
"""

from __future__ import annotations

import argparse
import sys

from heatgis import __version__
from heatgis.errors import Cancelled, HeatGISError
from heatgis.paths import DEMO_PATH, is_database_url

EXIT_USER = 2
EXIT_BUG = 70


#: help of the project argument of the commands that only read it
PROJECT_HELP = "project GeoPackage (.gpkg) or database URL (postgresql://...?schema=NAME); default: the bundled demo"
USAGE = (
    "heatgis [PROJECT.gpkg]            open the desktop app (default: the bundled demo)\n"
    "       heatgis COMMAND [PROJECT.gpkg] [options]   (heatgis COMMAND --help)"
)


def add_project_arg(s, required: bool = False) -> None:
    """The ``project`` argument; optional (= the bundled demo) unless ``required``."""
    if required:
        s.add_argument("project", help="project GeoPackage (.gpkg)")
    else:
        s.add_argument("project", nargs="?", metavar="PROJECT.gpkg", help=PROJECT_HELP)


def add_force_arg(s) -> None:
    """``--force``: the only way a command writes into the bundled demo."""
    s.add_argument(
        "--force",
        action="store_true",
        help="allow changing the bundled demo project itself (refused by default: work on a copy, "
        "heatgis demo my.gpkg)",
    )


def project_path(args) -> str:
    """The project a command works on: the one given, else the bundled demo."""
    return args.project or str(DEMO_PATH)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="heatgis",
        usage=USAGE,
        description="HeatGIS — lockdown planning for district heating. "
        "Without a command, opens the desktop app (on PROJECT.gpkg or the bundled demo). Every command "
        "without a project works on the bundled demo, which is never changed without --force.",
    )
    p.add_argument("--version", action="version", version=f"heatgis {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", prog="heatgis")

    from heatgis.cli import crews, demo, heat, impact, importing, pg, published, report, routes, staff, validate

    for command in (impact, validate, demo, staff, routes, crews, importing, report, published, heat, pg):
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
    if not argv or (len(argv) == 1 and (argv[0].lower().endswith(".gpkg") or is_database_url(argv[0]))):
        return open_app(argv[0] if argv else None)
    if argv[0] == "--smoke-test":  # start-up check of the (frozen) desktop app
        return open_app(argv[1] if len(argv) > 1 else None, smoke=True)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    return run_command(args)


def run_command(args) -> int:
    """Run a parsed command: a user error is a message and exit code 2, never a traceback;
    a bug shows its traceback and asks to report it."""
    try:
        return _call(args)
    except HeatGISError as exc:
        print(exc.text(), file=sys.stderr)  # in heatgis.text.language(): HEATGIS_LANG, else the system's
        return EXIT_USER
    except (KeyboardInterrupt, Cancelled):
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the output went to a pipe closed early (| head): nothing to say
        _quiet_stdout()
        return 0
    except OSError as exc:  # a file or folder named by the planner: missing, read-only, full disk
        print(os_error_message(exc), file=sys.stderr)
        return EXIT_USER
    except MemoryError:
        print(
            "error: not enough memory for this project. Fix: close other programs, or work on a "
            "smaller area (fewer layers or features)",
            file=sys.stderr,
        )
        return EXIT_USER
    except Exception:  # noqa: BLE001 - a bug: shown whole, with a request to report it
        import traceback

        traceback.print_exc()
        print(
            f"\nThis is a bug in HeatGIS {__version__}, not a problem with your data. Please report it "
            "with the command you ran and the text above (the project file helps too).",
            file=sys.stderr,
        )
        return EXIT_BUG


def _call(args) -> int:
    try:
        return args.func(args) or 0
    except BaseException:
        from heatgis.cli.textfmt import end_progress_line

        end_progress_line()  # the message starts on a line of its own
        raise


def os_error_message(exc: OSError) -> str:
    """One line naming the file and the fix for an OSError on a path the planner gave."""
    import errno

    name = exc.filename if exc.filename is not None else ""
    what = exc.strerror or str(exc)
    fixes = {
        errno.EACCES: "choose a folder you can write to, or change the file's permissions",
        errno.EPERM: "choose a folder you can write to, or change the file's permissions",
        errno.EROFS: "the disk is read-only: choose another folder",
        errno.ENOENT: "check the path (the folder must exist)",
        errno.ENOTDIR: "check the path: a part of it is a file, not a folder",
        errno.EISDIR: "give a file name, not a folder",
        errno.ENOSPC: "free some disk space, or choose another disk",
        errno.EBUSY: "close the file in the program that has it open",
    }
    fix = fixes.get(exc.errno, "check the path and its permissions")
    where = f"{name}: " if name else ""
    return f"error: {where}{what} Fix: {fix}"


def _quiet_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def add_strict(parser, help: str | None = None) -> None:
    """Add ``--strict`` to a command that prints or writes figures (or saves the project)."""
    parser.add_argument(
        "--strict",
        action="store_true",
        help=help
        or "refuse (exit 2, nothing printed or written) when the project has errors "
        "('heatgis validate PROJECT' lists them); without it a one-line warning is printed",
    )


def check_quality(project, args, storage: bool = True):
    """The one data check of every command with figures: print the warning line (stderr) and,
    with ``--strict``, refuse when the project has errors.

    Returns
    -------
    heatgis.analysis.quality.Quality

    Raises
    ------
    HeatGISError
        ``--strict`` and the project has errors.
    """
    from heatgis.analysis.quality import check_project

    q = check_project(project, storage=storage)
    file = getattr(args, "project", None) or (str(project.path) if project.path else None)
    line = q.line(file)
    if line:
        print(line, file=sys.stderr)
    if getattr(args, "strict", False) and q.errors:
        raise HeatGISError(
            f"--strict: the project has {q.errors:,} error{'s' if q.errors != 1 else ''}; "
            "nothing was printed, written or saved",
            f"correct them ('heatgis validate {file}' lists every one), or run without --strict",
            file=file,
            problems=q.first(5, "error"),
        )
    return q


def open_app(project: str | None, smoke: bool = False) -> int:
    try:
        from heatgis.gui.app import run
    except ImportError as exc:
        print(
            f"The desktop app cannot start here ({exc}). Use the batch commands instead: "
            "heatgis impact (the bundled demo; see heatgis --help).",
            file=sys.stderr,
        )
        return 2
    return run(project or str(DEMO_PATH), smoke=smoke)
