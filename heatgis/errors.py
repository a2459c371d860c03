"""User-facing errors and problems.

Every message a planner sees names the file, the layer, the row, what is wrong
and what to do about it. ``Problem`` is one finding (error or warning);
``HeatGISError`` is raised when work cannot go on.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from heatgis.text import Text, language, localize

#: the frame of a problem's line, in both languages
_SEVERITY = {
    "error": Text("error", "错误"),
    "warning": Text("warning", "警告"),
    "info": Text("info", "提示"),
}


@dataclass(frozen=True)
class Problem:
    """One finding about the input.

    Attributes
    ----------
    message : str
        What is wrong, in one sentence.
    fix : str
        What the planner can do about it.
    file, layer, row, field : str or None
        Where it is: ``row`` is the feature id when there is one, else the
        1-based row number as text.
    severity : {"error", "warning"}
        Errors stop the work; warnings are repaired or noted and work goes on.
    count : int
        How many rows it stands for: 1, or more for the line that sums up the rows
        of one check beyond those listed one by one ("... and 762 more rows").
    """

    message: str
    fix: str = ""
    file: str | None = None
    layer: str | None = None
    row: str | None = None
    field: str | None = None
    severity: str = "error"
    count: int = 1

    def where(self, lang: str = "en") -> str:
        """File, layer, row and field, in ``lang``."""
        parts = []
        if self.file:
            parts.append(str(self.file))
        if self.layer:
            parts.append(localize(Text("layer {name}", "图层 {name}", name=self.layer), lang))
        if self.row is not None:
            parts.append(localize(Text("row {row}", "第 {row} 行", row=self.row), lang))
        if self.field:
            parts.append(localize(Text("field {name}", "字段 {name}", name=self.field), lang))
        return ("，" if lang == "zh" else ", ").join(parts)

    def text(self, lang: str | None = None) -> str:
        """The problem in one line, in ``lang`` (default :func:`heatgis.text.language`): severity,
        where, what, and the fix. ``str(problem)`` is the English line."""
        lang = lang or language()
        colon = "：" if lang == "zh" else ": "
        where = self.where(lang)
        severity = localize(_SEVERITY.get(self.severity, self.severity), lang)
        text = f"{severity}{colon}{where + colon if where else ''}{localize(self.message, lang)}"
        if self.fix:
            fix = localize(self.fix, lang)
            text += f" 解决办法：{fix}" if lang == "zh" else f" Fix: {fix}"
        return text

    def __str__(self) -> str:
        return self.text("en")

    def to_dict(self) -> dict:
        return asdict(self)


class HeatGISError(Exception):
    """An error the planner can act on; carries one or more problems.

    An import that fails also carries what it got as far as (set by ``io.importer`` and
    ``io.mapping``, absent otherwise): ``mapping`` (the field mapping so far), ``columns`` (the
    file's columns) and ``missing`` (contract fields the file does not fill), so the planner can
    complete the mapping.
    """

    mapping: object
    columns: list[str]
    missing: dict

    def __init__(
        self,
        message: str,
        fix: str = "",
        *,
        file=None,
        layer=None,
        row=None,
        field=None,
        problems: list[Problem] | None = None,
    ):
        self.problem = Problem(
            message, fix, None if file is None else str(file), layer, None if row is None else str(row), field
        )
        self.problems = list(problems or [])
        super().__init__(str(self))

    def text(self, lang: str | None = None) -> str:
        """The error and its problems (indented below), in ``lang`` (default
        :func:`heatgis.text.language`). Subclasses that write themselves their own way override it."""
        lines = [self.problem.text(lang)]
        lines += [f"  {p.text(lang)}" for p in self.problems]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text("en")


class Cancelled(Exception):
    """The planner cancelled long work (``Feedback.is_canceled()`` became true)."""


class Feedback:
    """The one progress-and-cancel contract of long work (as QGIS processing's feedback).

    Long operations take ``feedback: Feedback | None``; they report with
    ``set_progress(percent, message)`` and call ``check()`` between steps, which
    raises :class:`Cancelled` once ``cancel()`` was called (from any thread). The
    CLI feeds it to its progress line, the app to its progress bar.

    Parameters
    ----------
    on_progress : callable(percent: float, message: str), optional
        Called on every ``set_progress``.
    is_canceled : callable() -> bool, optional
        Polled by ``is_canceled`` besides the flag set by ``cancel()``.
    """

    def __init__(self, on_progress=None, is_canceled=None):
        self._on_progress = on_progress
        self._poll = is_canceled
        self._canceled = False
        self.percent = 0.0
        self.message = ""

    @classmethod
    def wrap(cls, feedback=None, progress=None, cancel=None) -> Feedback:
        """A Feedback from one given, or from old-style ``progress(fraction, message)`` and
        ``cancel() -> bool`` callables (fraction 0-1)."""
        if feedback is not None:
            return feedback
        on = None if progress is None else (lambda pct, msg: progress(pct / 100.0, msg))
        return cls(on, cancel)

    def set_progress(self, percent: float, message: str = "") -> None:
        self.percent = float(min(100.0, max(0.0, percent)))
        if message:
            self.message = message
        if self._on_progress is not None:
            self._on_progress(self.percent, self.message)

    def cancel(self) -> None:
        self._canceled = True

    def is_canceled(self) -> bool:
        if not self._canceled and self._poll is not None and self._poll():
            self._canceled = True
        return self._canceled

    def check(self, what: str = "") -> None:
        """Raise :class:`Cancelled` when the work was cancelled."""
        if self.is_canceled():
            raise Cancelled(f"{what or self.message or 'the work'} was cancelled")

    def sub(self, start: float, end: float) -> Feedback:
        """A Feedback for a step that maps its 0-100 onto ``start``-``end`` of this one."""
        return Feedback(lambda pct, msg: self.set_progress(start + (end - start) * pct / 100.0, msg), self.is_canceled)
