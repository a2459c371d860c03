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
import errno
import sys

from heatgis import __version__
from heatgis.errors import Cancelled, HeatGISError, Problem
from heatgis.paths import DEMO_PATH, is_database_url
from heatgis.text import Text, localize

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
        say(Text("interrupted", "已中断"))
        return 130
    except BrokenPipeError:  # the output went to a pipe closed early (| head): nothing to say
        _quiet_stdout()
        return 0
    except OSError as exc:  # a file or folder named by the planner: missing, read-only, full disk
        say(os_error_message(exc))
        return EXIT_USER
    except MemoryError:
        memory = Problem(
            Text("not enough memory for this project.", "内存不足，无法处理该项目。"),
            Text(
                "close other programs, or work on a smaller area (fewer layers or features)",
                "请关闭其他程序，或处理更小的范围（更少的图层或要素）",
            ),
        )
        say(memory.text())
        return EXIT_USER
    except Exception:  # noqa: BLE001 - a bug: shown whole, with a request to report it
        import traceback

        traceback.print_exc()
        bug = Text(
            "\nThis is a bug in HeatGIS {version}, not a problem with your data. Please report it "
            "with the command you ran and the text above (the project file helps too).",
            "\n这是 HeatGIS {version} 的程序错误，不是您数据的问题。请报告它，"
            "附上您运行的命令和上面的文字（附上项目文件更好）。",
            version=__version__,
        )
        say(bug)
        return EXIT_BUG


def _call(args) -> int:
    try:
        return args.func(args) or 0
    except BaseException:
        from heatgis.cli.textfmt import end_progress_line

        end_progress_line()  # the message starts on a line of its own
        raise


def say(message) -> None:
    """One line for the planner on stderr, in :func:`heatgis.text.language` (a :class:`Problem` as
    its line, a :class:`~heatgis.text.Text` in that language, anything else as it is)."""
    print(message.text() if isinstance(message, Problem) else localize(message), file=sys.stderr)


#: the line of a --dry-run
DRY_RUN = Text("dry run: the project was not changed", "试运行：项目未改变")


def tell(message) -> None:
    """One summary line for the planner on stdout ("wrote ...", "saved ..."), in
    :func:`heatgis.text.language`; tables of figures and ``--json`` are printed as they are."""
    print(localize(message))


_WRITABLE = Text(
    "choose a folder you can write to, or change the file's permissions", "请选择一个可写入的文件夹，或修改文件的权限"
)
#: an OSError on a path the planner gave, by errno: what happened (in Chinese; the English is the system's), the fix
_OS_ERRORS = {
    errno.EACCES: ("没有权限", _WRITABLE),
    errno.EPERM: ("不允许的操作", _WRITABLE),
    errno.EROFS: (
        "只读的文件系统",
        Text("the disk is read-only: choose another folder", "磁盘是只读的：请选择其他文件夹"),
    ),
    errno.ENOENT: (
        "没有这个文件或文件夹",
        Text("check the path (the folder must exist)", "请检查路径（文件夹必须已存在）"),
    ),
    errno.ENOTDIR: (
        "路径中有一部分不是文件夹",
        Text("check the path: a part of it is a file, not a folder", "请检查路径：其中有一部分是文件，不是文件夹"),
    ),
    errno.EISDIR: ("这是一个文件夹", Text("give a file name, not a folder", "请给出文件名，而不是文件夹")),
    errno.ENOSPC: (
        "磁盘空间不足",
        Text("free some disk space, or choose another disk", "请清理磁盘空间，或选择其他磁盘"),
    ),
    errno.EBUSY: (
        "文件正被占用",
        Text("close the file in the program that has it open", "请在打开该文件的程序中关闭它"),
    ),
}


def os_error_message(exc: OSError, lang: str | None = None) -> str:
    """One line naming the file and the fix for an OSError on a path the planner gave, in ``lang``
    (default :func:`heatgis.text.language`)."""
    name = exc.filename if exc.filename is not None else None
    what = exc.strerror or str(exc)
    zh, fix = _OS_ERRORS.get(exc.errno or 0, (what, Text("check the path and its permissions", "请检查路径及其权限")))
    return Problem(Text(what, zh), fix, file=name).text(lang)


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
        say(line)
    if getattr(args, "strict", False) and q.errors:
        raise HeatGISError(
            Text(
                "--strict: the project has {n:,} error{s}; nothing was printed, written or saved",
                "--strict：项目有 {n:,} 处错误；没有输出、写出或保存任何内容",
                n=q.errors,
                s="s" if q.errors != 1 else "",
            ),
            Text(
                "correct them ('heatgis validate {file}' lists every one), or run without --strict",
                "请改正这些错误（“heatgis validate {file}”会逐条列出），或不带 --strict 运行",
                file=file,
            ),
            file=file,
            problems=q.first(5, "error"),
        )
    return q


def time_limit_error(value: float) -> HeatGISError:
    """The error for a ``--time-limit`` that is not positive."""
    return HeatGISError(
        Text("--time-limit {v:g} is not positive", "--time-limit {v:g} 不是正数", v=value),
        Text("give seconds, e.g. --time-limit 2", "请给出秒数，如 --time-limit 2"),
    )


def open_app(project: str | None, smoke: bool = False) -> int:
    try:
        from heatgis.gui.app import run
    except ImportError as exc:
        say(
            Text(
                "The desktop app cannot start here ({exc}). Use the batch commands instead: "
                "heatgis impact (the bundled demo; see heatgis --help).",
                "桌面软件无法在此启动（{exc}）。请改用批处理命令：heatgis impact"
                "（自带的演示项目；见 heatgis --help）。",
                exc=exc,
            )
        )
        return 2
    return run(project or str(DEMO_PATH), smoke=smoke)
