"""Is the project fit to publish figures from? One check for every command and the app.

Every command that prints or writes figures (impact, staff, routes, report, ...) and the
app's impact panel call :func:`check_project`, so an impossible number (households stored
as text, a NULL geometry, 1e15 m², a zone ending before it starts, pipes or staff pointing
at stations that no longer exist, an unreadable ``crs``) is never published without a
word. The problems are the ones ``heatgis validate`` lists, with the warnings noted while
the project was read.
"""

from __future__ import annotations

from dataclasses import dataclass

from heatgis.errors import Problem
from heatgis.text import Text


@dataclass(frozen=True)
class Quality:
    """The problems of a project, counted.

    Attributes
    ----------
    problems : tuple of Problem
        Errors and warnings, as ``heatgis validate`` lists them.
    file : str or None
        The project file, named in the warning line.
    unread : tuple of str
        ``layer.field`` of the contract fields not read (a project read in part for a batch
        command's figures) and so not checked; the warning line names them.
    """

    problems: tuple[Problem, ...]
    file: str | None = None
    unread: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        """How many problems (a summing-up line counts for the rows it stands for)."""
        return sum(p.count for p in self.problems)

    @property
    def errors(self) -> int:
        """How many of them are errors (figures may be wrong)."""
        return sum(p.count for p in self.problems if p.severity == "error")

    @property
    def ok(self) -> bool:
        return self.errors == 0

    def line(self, file: str | None = None) -> Text | None:
        """The one-line warning a command prints (a :class:`heatgis.text.Text`: English and Chinese),
        or None when there is nothing to say."""
        if not self.total:
            return None
        name = file or self.file or "PROJECT.gpkg"
        checked = (
            Text(
                " (checked: the fields these figures use; not read: {unread})",
                "（已检查这些数字所用的字段；未读取：{unread}）",
                unread=", ".join(self.unread),
            )
            if self.unread
            else Text("", "")
        )
        if self.errors:
            return Text(
                "warning: the project has {total:,} problem{s} ({errors:,} error{es}) — figures may be wrong; "
                "run 'heatgis validate {name}'{checked}",
                "警告：项目数据有 {total:,} 个问题（{errors:,} 个错误），数字可能有误；"
                "请运行 'heatgis validate {name}'{checked}",
                total=self.total,
                s="s" if self.total != 1 else "",
                errors=self.errors,
                es="s" if self.errors != 1 else "",
                name=name,
                checked=checked,
            )
        return Text(
            "note: the project has {total:,} warning{s} (no errors); "
            "run 'heatgis validate {name}' to see them{checked}",
            "提示：项目数据有 {total:,} 个警告（无错误）；运行 'heatgis validate {name}' 查看{checked}",
            total=self.total,
            s="s" if self.total != 1 else "",
            name=name,
            checked=checked,
        )

    def first(self, n: int = 10, severity: str | None = None) -> list[Problem]:
        """The first ``n`` problems, errors before warnings."""
        ordered = sorted(self.problems, key=lambda p: p.severity != "error")
        if severity:
            ordered = [p for p in ordered if p.severity == severity]
        return ordered[:n]

    def to_dict(self) -> dict:
        return {"problems": self.total, "errors": self.errors, "first": [str(p) for p in self.first(10)]}


def check_project(project, storage: bool = True) -> Quality:
    """Every problem of ``project`` (the notes taken while it was read, then ``validate_project``).

    A project read in part (``project.partial``) is checked in the fields it was read with: those
    its figures are computed from; the others are named in ``Quality.unread``.

    Parameters
    ----------
    project : Project
        Not modified.
    storage : bool
        Also ask the file for values stored in a form GDAL misreads (off for a project changed
        in memory since it was read, e.g. right after an import replaced a layer).

    Returns
    -------
    Quality
    """
    from heatgis.model.schema import spec
    from heatgis.model.validation import validate_project

    notes = [p for p in getattr(project, "notes", []) if p.severity in ("error", "warning")]
    problems = notes + validate_project(project, storage=storage)
    partial = getattr(project, "partial", None) or {}
    unread = tuple(
        f"{name}.{f.name}" for name, read in partial.items() for f in spec(name).fields if f.name not in read
    )
    return Quality(tuple(problems), str(project.path) if project.path else None, unread)
