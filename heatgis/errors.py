"""User-facing errors and problems.

Every message a planner sees names the file, the layer, the row, what is wrong
and what to do about it. ``Problem`` is one finding (error or warning);
``HeatGISError`` is raised when work cannot go on.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass


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
    """

    message: str
    fix: str = ""
    file: str | None = None
    layer: str | None = None
    row: str | None = None
    field: str | None = None
    severity: str = "error"

    def where(self) -> str:
        parts = []
        if self.file:
            parts.append(str(self.file))
        if self.layer:
            parts.append(f"layer {self.layer}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.field:
            parts.append(f"field {self.field}")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.where()
        text = f"{self.severity}: {where + ': ' if where else ''}{self.message}"
        if self.fix:
            text += f" Fix: {self.fix}"
        return text

    def to_dict(self) -> dict:
        return asdict(self)


class HeatGISError(Exception):
    """An error the planner can act on; carries one or more problems."""

    def __init__(self, message: str, fix: str = "", *, file=None, layer=None, row=None,
                 field=None, problems: list[Problem] | None = None):
        self.problem = Problem(message, fix, None if file is None else str(file), layer,
                               None if row is None else str(row), field)
        self.problems = list(problems or [])
        super().__init__(str(self))

    def __str__(self) -> str:
        lines = [str(self.problem)]
        lines += [f"  {p}" for p in self.problems]
        return "\n".join(lines)
