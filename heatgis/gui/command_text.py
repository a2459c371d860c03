"""The undo stack's command names ("add zone Z-101") in the UI's language, for Edit → Undo/Redo.

The model names its commands in plain English (``Command.text``, kept in the project's history);
``command_text`` matches each against the forms below and translates it (context "Commands"), with
layer codes named as the map's legend names them. A text matching none is shown as it is.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication


def _forms() -> list[tuple[re.Pattern, str]]:
    return [
        (re.compile(r"add zone (\S+)$"), QCoreApplication.translate("Commands", "draw zone {0}")),
        (re.compile(r"delete zone (\S+)$"), QCoreApplication.translate("Commands", "delete zone {0}")),
        (
            re.compile(r"edit outline of zone (\S+)$"),
            QCoreApplication.translate("Commands", "edit outline of zone {0}"),
        ),
        (re.compile(r"change zone (\S+)$"), QCoreApplication.translate("Commands", "change zone {0}")),
        (re.compile(r"add (\d+) zones from (.+)$"), QCoreApplication.translate("Commands", "add {0} zones from {1}")),
        (
            re.compile(r"import (\d+) (\S+) from (.+)$"),
            QCoreApplication.translate("Commands", "import {0} {1} from {2}"),
        ),
        (re.compile(r"import (\d+) (\S+)$"), QCoreApplication.translate("Commands", "import {0} {1}")),
        (re.compile(r"add ticket (\S+)$"), QCoreApplication.translate("Commands", "add ticket {0}")),
        (re.compile(r"clear staffing overrides$"), QCoreApplication.translate("Commands", "clear staffing overrides")),
        (re.compile(r"staffing overrides$"), QCoreApplication.translate("Commands", "staffing overrides")),
        (re.compile(r"pin (.+)$"), QCoreApplication.translate("Commands", "pin {0}")),
        (re.compile(r"remove (.+)$"), QCoreApplication.translate("Commands", "remove {0}")),
        (re.compile(r"change basemap$"), QCoreApplication.translate("Commands", "change basemap")),
        (re.compile(r"set (\S+)$"), QCoreApplication.translate("Commands", "set {0}")),
        (re.compile(r"edit (\S+)$"), QCoreApplication.translate("Commands", "edit {0}")),
    ]


def command_text(text: str, layer_title=None) -> str:
    """``text`` (a command's name) in the UI's language; ``layer_title(code)`` names a layer code."""
    if not text:
        return text
    for pattern, template in _forms():
        m = pattern.match(text)
        if m:
            groups = [layer_title(g) if layer_title is not None and g.isidentifier() else g for g in m.groups()]
            return template.format(*groups)
    return text
