"""The in-memory project: layers of the contract, the scenario metadata, change signals.

Qt-free. The GUI binds to ``Project.subscribe``; analysis functions take the
frames (``project.layer(name)``) and never mutate them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from heatgis.errors import HeatGISError, Problem
from heatgis.model.schema import DEFAULT_CRS, LAYERS, empty_frame
from heatgis.text import Text


class Project:
    """Layers + scenario.

    Parameters
    ----------
    layers : dict of str to (Geo)DataFrame
        Contract layers, already in ``crs``.
    meta : dict of str to str
        Scenario metadata: ``name``, ``reference_time`` (ISO), ``crs``, ``notes``, ...
    path : path-like, optional
        The GeoPackage the project was opened from or saved to.
    """

    def __init__(self, layers: dict | None = None, meta: dict | None = None, path=None):
        self.layers: dict = dict(layers or {})
        self.meta: dict[str, str] = {"name": "", "crs": DEFAULT_CRS, "reference_time": "", "notes": ""}
        self.meta.update(meta or {})
        self.path = Path(path) if path else None
        self.notes: list[Problem] = []  # warnings collected while opening (repairs, reprojection)
        self._listeners: list[Callable[[str], None]] = []
        #: what the file held when read or last saved (``heatgis.model.store``): the save refuses when
        #: the file changed since, and writes only the rows changed; None for a project not from a file
        self.origin: Any = None  # a store.Origin (the store imports the model, not the other way)
        #: layers read in part (``open_project(..., fields=...)``, a batch command's figures): layer name ->
        #: the contract fields read; such a project is for reading figures and cannot be saved
        self.partial: dict[str, tuple[str, ...]] = {}

    # ---------------------------------------------------------------- access
    @property
    def crs(self) -> str:
        """The project CRS from the metadata; the default (EPSG:4546) when it is missing or
        cannot be read (``validate`` reports an unreadable one as an error)."""
        text = str(self.meta.get("crs") or "").strip()
        if not text:
            return DEFAULT_CRS
        from heatgis.model.checks import crs_error

        return DEFAULT_CRS if crs_error(text) else text

    @property
    def name(self) -> str:
        return self.meta.get("name") or (self.path.stem if self.path else "")

    @property
    def reference_time(self) -> pd.Timestamp | None:
        text = str(self.meta.get("reference_time") or "").strip()
        if not text:
            return None
        try:
            return parse_time(text)
        except HeatGISError:
            raise HeatGISError(
                Text(
                    "the reference time '{text}' in the project is not a date and time",
                    "项目中的基准时间“{text}”不是日期时间",
                    text=text,
                ),
                Text(
                    "give the time with --at 2022-02-25T08:00, or correct the row "
                    "'reference_time' of the table heatgis_meta",
                    "用 --at 2022-02-25T08:00 指定时间，或改正表 heatgis_meta 中“reference_time”一行",
                ),
                file=self.path,
                layer="heatgis_meta",
                row="reference_time",
            ) from None

    def readable_reference_time(self) -> pd.Timestamp | None:
        """The reference time, or None when it is missing or cannot be read (the app then
        starts at the current hour; ``validate`` and the data warning report an unreadable one)."""
        try:
            return self.reference_time
        except HeatGISError:
            return None

    def has(self, layer: str) -> bool:
        return layer in self.layers

    def layer(self, name: str):
        """The layer's frame, or an empty frame with the contract's columns."""
        if name in self.layers:
            return self.layers[name]
        if name in LAYERS:
            return empty_frame(name, self.crs)
        raise KeyError(name)

    # ---------------------------------------------------------------- changes
    def set_layer(self, name: str, frame) -> None:
        self.layers[name] = frame
        self.emit(name)

    def subscribe(self, callback: Callable[[str], None]) -> None:
        """Call ``callback(layer_name)`` after every change to a layer."""
        self._listeners.append(callback)

    def unsubscribe(self, callback) -> None:
        if callback in self._listeners:
            self._listeners.remove(callback)

    def emit(self, name: str) -> None:
        for cb in list(self._listeners):
            cb(name)


#: the words ``parse_time`` names what it read with (callers pass the English one)
TIME_WORDS = {
    "time": Text("time", "时间"),
    "start time": Text("start time", "开始时间"),
    "end time": Text("end time", "结束时间"),
    "reported": Text("reported", "报告时间"),
    "deadline": Text("deadline", "期限"),
}


def parse_time(text, what: str = "time") -> pd.Timestamp:
    """Parse an ISO date/time typed by a planner into a naive local timestamp.

    ``what`` names the value in the message: a :class:`~heatgis.text.Text`, or one of the English
    words of :data:`TIME_WORDS` (put in the message's language).

    Raises
    ------
    HeatGISError
        Naming the text and the expected form.
    """
    what = TIME_WORDS.get(what, what) if not isinstance(what, Text) else what
    form = Text(
        "write it as 2022-02-18, 2022-02-18T08:00 or '2022-02-18 08:00' (local time)",
        "写成 2022-02-18、2022-02-18T08:00 或 '2022-02-18 08:00'（当地时间）",
    )
    if isinstance(text, pd.Timestamp):
        t = text
    else:
        if isinstance(text, str) and not _ISO_TIME.match(text.strip()):
            raise HeatGISError(
                Text(
                    "'{text}' is not a {what} I can read (year-month-day first)",
                    "无法把“{text}”读作{what}（应先写年、月、日）",
                    text=text,
                    what=what,
                ),
                form,
            )
        try:
            t = pd.Timestamp(str(text).strip())
        except (ValueError, TypeError):
            t = pd.NaT
    if t is pd.NaT or pd.isna(t):
        raise HeatGISError(
            Text("'{text}' is not a {what} I can read", "无法把“{text}”读作{what}", text=text, what=what), form
        )
    if t.tz is not None:
        t = t.tz_convert("Asia/Shanghai").tz_localize(None)
    if not YEARS[0] <= t.year <= YEARS[1]:
        raise HeatGISError(
            Text(
                "'{text}': the year {year} is outside {lo}–{hi}",
                "“{text}”：年份 {year} 不在 {lo}–{hi} 之间",
                text=text,
                year=t.year,
                lo=YEARS[0],
                hi=YEARS[1],
            ),
            Text("check the {what}; {form}", "请检查{what}；{form}", what=what, form=form),
        )
    return t


#: the years a planner's time may name (a typo like 0022 or 2202 is refused, not planned)
YEARS = (1990, 2100)
#: ISO-like times: 2022-02-25, 2022-02-25T08:00, 2022-02-25 08:00[:00][+08:00]
_ISO_TIME = re.compile(
    r"^\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
    r"(?:Z|[+-]\d{2}:?\d{2})?$"
)
