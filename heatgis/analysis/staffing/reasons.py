"""The staffing plan's reasons in the planner's language, for the workbook, the deck and the app.

``report.py`` writes each short site's reason in English, parts joined by "; " (the terminal's and the
JSON's text), roles by their codes. ``reason_zh`` turns every part it knows into the Chinese a planner
reads; ``reason_text(text, lang)`` gives that or, in English, the same text with the roles' English
words (``boiler_operator`` → ``boiler operator``). A part matching none of ``PARTS`` is kept as it is.
The app's staffing dock uses these too (one set of forms, no copy in the GUI).
"""

from __future__ import annotations

import re

from heatgis.model.vocab import label

_ROLE = r"(?P<role>[a-z_]+)"
_ZS = r"(?P<zs>[^;]+?)"

#: (pattern of one English part, Chinese template); {role} is put into Chinese
PARTS = [
    (rf"no locked-in staff in its zone\(s\) {_ZS}$", "所在管控区 {zs} 无居家员工"),
    (rf"no one with the skill {_ROLE} in zone\(s\) {_ZS}$", "管控区 {zs} 无{role}"),
    (
        rf"the (?P<q>\d+) {_ROLE}\(s\) in zone\(s\) {_ZS} live farther than (?P<m>[\d.]+) m$",
        "管控区 {zs} 的 {q} 名{role}住处超过 {m} 米",
    ),
    (
        rf"only (?P<q>\d+) {_ROLE}\(s\) locked in zone\(s\) {_ZS} for (?P<need>\d+) places$",
        "管控区 {zs} 仅有 {q} 名{role}，需 {need} 个岗位",
    ),
    (rf"the {_ROLE}\(s\) of zone\(s\) {_ZS} are needed at other sites$", "管控区 {zs} 的{role}已安排到其他站点"),
    (r"(?P<n>\d+) removed by hand$", "人工移除 {n} 人"),
    (r"only (?P<c>\d+) of (?P<s>\d+) shifts covered$", "{s} 个班次中仅 {c} 个有人"),
    (
        r"all (?P<s>\d+) shifts covered, (?P<short>\d+) short of (?P<need>\d+)$",
        "{s} 个班次均有人，缺 {short} 人（共需 {need}）",
    ),
    (rf"no {_ROLE} locked in zone (?P<zs>\S+)$", "管控区 {zs} 无居家{role}"),
    (rf"the (?P<q>\d+) {_ROLE}\(s\) of zone (?P<zs>\S+) run sites$", "管控区 {zs} 的 {q} 名{role}已驻守站点"),
    (rf"only (?P<q>\d+) {_ROLE}\(s\) locked in zone (?P<zs>\S+)$", "管控区 {zs} 仅有 {q} 名居家{role}"),
]
_COMPILED = [(re.compile(p), t) for p, t in PARTS]


def reason_zh(text) -> str:
    """``"only 3 operator(s) locked in zone(s) Z-022 for 6 places; all 3 shifts covered, 3 short of 6"`` →
    ``"管控区 Z-022 仅有 3 名运行工，需 6 个岗位；3 个班次均有人，缺 3 人（共需 6）"``."""
    if not isinstance(text, str) or not text.strip():
        return text
    out = []
    for part in text.split("; "):
        for rx, tmpl in _COMPILED:
            m = rx.match(part.strip())
            if m:
                g = m.groupdict()
                if "role" in g:
                    g["role"] = label("role", g["role"])
                if "zs" in g:
                    g["zs"] = g["zs"].replace(", ", "、")
                out.append(tmpl.format(**g))
                break
        else:
            out.append(part)
    return "；".join(out)


def reason_en(text) -> str:
    """The English reason with its roles in words: ``"no boiler_operator locked in zone Z-9"`` →
    ``"no boiler operator locked in zone Z-9"``."""
    if not isinstance(text, str) or not text.strip():
        return text
    out = []
    for part in text.split("; "):
        for rx, _tmpl in _COMPILED:
            m = rx.match(part.strip())
            if m:
                if "role" in m.groupdict():
                    a, b = m.span("role")
                    part = part.strip()
                    part = part[:a] + label("role", m["role"], "en") + part[b:]
                break
        out.append(part)
    return "; ".join(out)


def reason_text(text, lang: str = "zh") -> str:
    """A staffing reason in ``lang`` ("zh": :func:`reason_zh`, else :func:`reason_en`)."""
    return reason_zh(text) if lang == "zh" else reason_en(text)


def place_name(name, lang: str = "zh") -> str:
    """An on-call place's name (``"泰和佳苑封控区 值守 on call"``) in one language."""
    text = str(name or "")
    if text.endswith(" 值守 on call"):
        return text[: -len(" 值守 on call")] + (" 值守" if lang == "zh" else " on call")
    return text
