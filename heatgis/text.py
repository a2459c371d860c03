"""Messages in both languages, defined once where they are raised (Qt-free).

The core speaks to the planner through errors (:class:`heatgis.errors.HeatGISError`,
:class:`heatgis.errors.Problem`), progress steps (``Feedback.set_progress``) and texts it puts in
outputs. Each such message is a :class:`Text`: the English and the Chinese wording side by side,
with named fields filled in both::

    raise HeatGISError(
        Text("{n:,} rows have no id", "{n:,} 行没有编号", n=missing),
        Text("give every row an id", "为每一行填写编号"),
        file=path,
    )

A ``Text`` *is* a ``str`` (the English one), so code and tests that read messages as text keep
working; :func:`localize` gives it in a language. Field values that are themselves ``Text`` are
put in the same language. The app shows messages in the UI's language
(``heatgis.gui.i18n``); the command line in :func:`language` (``HEATGIS_LANG``, else the system's).

This is the same idea as :mod:`heatgis.model.vocab` (each word once, in both languages), for
whole sentences. ``tests/core/test_text.py`` fails on a message of the core raised or reported
as a plain string.
"""

from __future__ import annotations

import locale
import os
from collections.abc import Mapping
from typing import Any

LANGUAGES = ("zh", "en")


class Text(str):
    """A message in English (the ``str`` value) and Chinese.

    Parameters
    ----------
    en, zh : str
        The two wordings, as ``str.format`` templates with named fields.
    **fields
        The values of the fields; a value that is a ``Text`` is put in the message's language.
        Without fields the templates are the messages as they are (braces and all).

    Examples
    --------
    >>> t = Text("row {row}: not a number", "第 {row} 行：不是数字", row=3)
    >>> str(t), t.zh
    ('row 3: not a number', '第 3 行：不是数字')
    """

    en_template: str
    zh_template: str
    fields: Mapping[str, Any]

    def __new__(cls, en: str, zh: str, /, **fields: Any) -> Text:
        value = en.format(**_fields(fields, "en")) if fields else en
        self = super().__new__(cls, value)
        self.en_template = en
        self.zh_template = zh
        self.fields = fields
        return self

    @property
    def en(self) -> str:
        return str.__str__(self)

    @property
    def zh(self) -> str:
        return self.zh_template.format(**_fields(self.fields, "zh")) if self.fields else self.zh_template

    def in_language(self, lang: str) -> str:
        """The message in ``lang`` ("zh" or "en")."""
        return self.zh if lang == "zh" else self.en

    def __reduce__(self):
        return (_rebuild, (self.en_template, self.zh_template, dict(self.fields)))

    def __deepcopy__(self, memo) -> Text:
        return self

    def __copy__(self) -> Text:
        return self

    def __repr__(self) -> str:
        return f"Text({self.en!r}, {self.zh!r})"


def _rebuild(en: str, zh: str, fields: dict) -> Text:
    return Text(en, zh, **fields)


def _fields(fields: Mapping[str, Any], lang: str) -> dict[str, Any]:
    return {k: (v.in_language(lang) if isinstance(v, Text) else v) for k, v in fields.items()}


def localize(value: Any, lang: str | None = None) -> str:
    """``value`` in ``lang`` (default: :func:`language`): a :class:`Text` in that language, anything
    else as ``str(value)`` (words with no Chinese of their own: file names, ids, numbers)."""
    lang = lang or language()
    if isinstance(value, Text):
        return value.in_language(lang)
    return "" if value is None else str(value)


def in_language(lang: str, en: str, zh: str, /, **fields: Any) -> str:
    """Words written in both languages, given in ``lang`` at once (an output that knows its language:
    a slide, a sheet): ``Text(en, zh, **fields).in_language(lang)``."""
    return Text(en, zh, **fields).in_language(lang)


def join(parts, sep: Text | str = ", ") -> Text:
    """Texts joined by ``sep``, in both languages (``", ".join`` would keep only the English)."""
    parts = list(parts)
    sep_zh = sep.zh if isinstance(sep, Text) else ("、" if sep == ", " else sep)
    en = str(sep).join(localize(p, "en") for p in parts)
    zh = sep_zh.join(localize(p, "zh") for p in parts)
    return Text(en, zh)


def language() -> str:
    """The language of the command line's messages: ``HEATGIS_LANG`` ("zh" or "en") when set,
    else Chinese on a Chinese system (``LC_ALL``/``LC_MESSAGES``/``LANG``, or the Windows locale),
    else English."""
    forced = os.environ.get("HEATGIS_LANG", "").strip().lower()[:2]
    if forced in LANGUAGES:
        return forced
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    try:
        name = locale.getlocale()[0] or ""
    except ValueError:
        name = ""
    return "zh" if name.lower().startswith(("zh", "chinese")) else "en"
