"""The staffing plan's reasons ("only 2 operator(s) locked in zone(s) Z-030 for 3 places; only 2 of 3
shifts covered") and on-call place names in the UI's language, for the staffing dock's tables.

The core writes its reasons in plain English (``analysis.staffing.report``: the CLI prints them); each
"; "-separated part is matched against the forms below and translated (context "StaffingReasons"),
roles named by the vocabulary. A part matching none is shown as it is.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication

from heatgis.model.vocab import ROLES, label

_ROLE = r"(\w+)"


def _forms() -> list[tuple[re.Pattern, str, tuple[int, ...]]]:
    """(pattern, template, the groups that are roles)."""
    return [
        (
            re.compile(r"no locked-in staff in its zone\(s\) (.+)$"),
            QCoreApplication.translate("StaffingReasons", "no locked-in staff in its zone(s) {0}"),
            (),
        ),
        (
            re.compile(rf"no one with the skill {_ROLE} in zone\(s\) (.+)$"),
            QCoreApplication.translate("StaffingReasons", "no one with the skill {0} in zone(s) {1}"),
            (0,),
        ),
        (
            re.compile(rf"the (\d+) {_ROLE}\(s\) in zone\(s\) (.+) live farther than ([\d.]+) m$"),
            QCoreApplication.translate("StaffingReasons", "the {0} {1}(s) in zone(s) {2} live farther than {3} m"),
            (1,),
        ),
        (
            re.compile(rf"only (\d+) {_ROLE}\(s\) locked in zone\(s\) (.+) for (\d+) places$"),
            QCoreApplication.translate("StaffingReasons", "only {0} {1}(s) locked in zone(s) {2} for {3} places"),
            (1,),
        ),
        (
            re.compile(rf"the {_ROLE}\(s\) of zone\(s\) (.+) are needed at other sites$"),
            QCoreApplication.translate("StaffingReasons", "the {0}(s) of zone(s) {1} are needed at other sites"),
            (0,),
        ),
        (
            re.compile(r"(\d+) removed by hand$"),
            QCoreApplication.translate("StaffingReasons", "{0} removed by hand"),
            (),
        ),
        (
            re.compile(r"only (\d+) of (\d+) shifts covered$"),
            QCoreApplication.translate("StaffingReasons", "only {0} of {1} shifts covered"),
            (),
        ),
        (
            re.compile(r"all (\d+) shifts covered, (\d+) short of (\d+)$"),
            QCoreApplication.translate("StaffingReasons", "all {0} shifts covered, {1} short of {2}"),
            (),
        ),
        (
            re.compile(rf"no {_ROLE} locked in zone (\S+)$"),
            QCoreApplication.translate("StaffingReasons", "no {0} locked in zone {1}"),
            (0,),
        ),
        (
            re.compile(rf"the (\d+) {_ROLE}\(s\) of zone (\S+) run sites$"),
            QCoreApplication.translate("StaffingReasons", "the {0} {1}(s) of zone {2} run sites"),
            (1,),
        ),
        (
            re.compile(rf"only (\d+) {_ROLE}\(s\) locked in zone (\S+)$"),
            QCoreApplication.translate("StaffingReasons", "only {0} {1}(s) locked in zone {2}"),
            (1,),
        ),
    ]


def reason_text(reason: str, lang: str = "zh") -> str:
    """A staffing reason in the UI's language (roles in ``lang``'s words)."""
    if not reason:
        return reason
    forms = _forms()
    out = []
    for part in str(reason).split("; "):
        for pattern, template, roles in forms:
            m = pattern.match(part)
            if m:
                g = [label("role", v, lang) if i in roles and v in ROLES else v for i, v in enumerate(m.groups())]
                part = template.format(*g)
                break
        out.append(part)
    sep = "；" if lang == "zh" else "; "
    return sep.join(out)


def place_name(name: str, lang: str = "zh") -> str:
    """An on-call place's name ("泰和佳苑封控区 值守 on call") in one language."""
    text = str(name or "")
    if text.endswith(" 值守 on call"):
        return text[: -len(" 值守 on call")] + (" 值守" if lang == "zh" else " on call")
    return text
