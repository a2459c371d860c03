"""The vocabulary shown to planners, defined once: codes, their labels in both languages, units.

Zone levels, site kinds, heat-source kinds, fuels, roles and skills, staffing statuses and the
units (万㎡, 万户, minutes) are named here and nowhere else, so a word and a figure read the same
on the screen, in the terminal, the PDF, the slides and the spreadsheet (``area_wan(5_159_000)`` is
``"515.90"`` in every output). ``level_code("封控区") == "sealed"`` parses what planners write.
"""

from __future__ import annotations

import unicodedata

# --- codes and labels -------------------------------------------------------------------------

#: lockdown zone levels, strictest first (the contract's allowed values)
ZONE_LEVELS = ("sealed", "controlled", "precaution")
#: the levels that lock a site (and the staff at home) inside them
LOCKING_LEVELS = ("sealed", "controlled")
LEVEL_ZH = {"sealed": "封控区", "controlled": "管控区", "precaution": "防范区"}
LEVEL_EN = {"sealed": "sealed", "controlled": "controlled", "precaution": "precaution"}

#: kinds of a locked site (``on_call``: a zone's shared electricians/welders, staffing only)
SITE_KIND_ZH = {"station": "换热站", "boiler_room": "锅炉房", "on_call": "值守"}
SITE_KIND_EN = {"station": "station", "boiler_room": "boiler room", "on_call": "on call"}

HEAT_SOURCE_KINDS = ("chp", "long_distance", "plant", "coal_boiler")
HEAT_SOURCE_KIND_ZH = {"chp": "热电联产", "long_distance": "长输", "plant": "热源厂", "coal_boiler": "燃煤锅炉"}
HEAT_SOURCE_KIND_EN = {"chp": "CHP", "long_distance": "long-distance", "plant": "plant", "coal_boiler": "coal boiler"}

FUELS = ("gas", "coal")
FUEL_ZH = {"gas": "燃气", "coal": "燃煤"}
FUEL_EN = {"gas": "gas", "coal": "coal"}

#: staff roles; a crew's or a person's skills are the same words (``operator;welder``)
ROLES = ("operator", "boiler_operator", "electrician", "welder", "engineer", "dispatcher", "service")
ROLE_ZH = {
    "operator": "运行工",
    "boiler_operator": "司炉工",
    "electrician": "电工",
    "welder": "焊工",
    "engineer": "工程师",
    "dispatcher": "调度员",
    "service": "客服",
}
ROLE_EN = {
    "operator": "operator",
    "boiler_operator": "boiler operator",
    "electrician": "electrician",
    "welder": "welder",
    "engineer": "engineer",
    "dispatcher": "dispatcher",
    "service": "customer service",
}
#: staff roles are also the skills a crew member or a ticket names
SKILLS = ROLES
SKILL_ZH, SKILL_EN = ROLE_ZH, ROLE_EN

#: tickets (repairs and customer visits) and their status
TICKET_KINDS = ("repair", "customer_visit")
TICKET_KIND_ZH = {"repair": "抢修", "customer_visit": "入户服务"}
TICKET_KIND_EN = {"repair": "repair", "customer_visit": "customer visit"}
TICKET_STATUS = ("open", "dispatched", "done", "cancelled")
TICKET_STATUS_ZH = {"open": "待派", "dispatched": "已派", "done": "完成", "cancelled": "取消"}
TICKET_STATUS_EN = {"open": "open", "dispatched": "dispatched", "done": "done", "cancelled": "cancelled"}

#: staffing status of a locked site
STAFFING_STATUS = ("staffed", "partial", "unstaffed")
STATUS_ZH = {"staffed": "驻守到位", "partial": "部分驻守", "unstaffed": "无人驻守（抢修队）"}
STATUS_EN = {"staffed": "staffed", "partial": "partly staffed", "unstaffed": "nobody (crews)"}

_TABLES = {
    "level": (LEVEL_ZH, LEVEL_EN),
    "site_kind": (SITE_KIND_ZH, SITE_KIND_EN),
    "heat_source_kind": (HEAT_SOURCE_KIND_ZH, HEAT_SOURCE_KIND_EN),
    "fuel": (FUEL_ZH, FUEL_EN),
    "role": (ROLE_ZH, ROLE_EN),
    "skill": (SKILL_ZH, SKILL_EN),
    "status": (STATUS_ZH, STATUS_EN),
    "ticket_kind": (TICKET_KIND_ZH, TICKET_KIND_EN),
    "ticket_status": (TICKET_STATUS_ZH, TICKET_STATUS_EN),
}


def label(kind: str, code, lang: str = "zh") -> str:
    """The label of ``code`` in the vocabulary ``kind`` ("level", "site_kind", "heat_source_kind",
    "fuel", "role", "skill", "status") in ``lang`` ("zh" or "en"); an unknown code is returned as text.

    >>> label("level", "sealed")
    '封控区'
    >>> label("site_kind", "boiler_room", "en")
    'boiler room'
    """
    zh, en = _TABLES[kind]
    table = zh if lang == "zh" else en
    return table.get(code, "" if code is None else str(code))


def label_text(kind: str, code):
    """The label of ``code`` of the vocabulary ``kind`` in both languages, as a
    :class:`heatgis.text.Text` (``label_text("skill", "welder")``: "welder" / "焊工")."""
    from heatgis.text import Text

    return Text(label(kind, code, "en"), label(kind, code, "zh"))


def code_text(kind: str, code):
    """``code`` of the vocabulary ``kind`` for a field of a message, as a :class:`heatgis.text.Text`:
    the code as written in the data in English, its label in Chinese
    (``Text("no one has {skill}", "没有人具备{skill}", skill=code_text("skill", s))``).

    >>> t = code_text("skill", "boiler_operator")
    >>> str(t), t.zh
    ('boiler_operator', '司炉工')
    """
    from heatgis.text import Text

    text = "" if code is None else str(code)
    return Text(text, label(kind, code, "zh") if text else "")


def level_label(level, lang: str = "zh") -> str:
    """'sealed' -> '封控区' (zh) or 'sealed' (en)."""
    return label("level", level, lang)


def bilingual(kind: str, code) -> str:
    """'sealed' -> 'sealed 封控区' (the terminal's bilingual form)."""
    return f"{label(kind, code, 'en')} {label(kind, code, 'zh')}".strip()


def _parser(kind: str, extra: dict[str, str]) -> dict[str, str]:
    zh, en = _TABLES[kind]
    words = {c.lower(): c for c in zh}
    words.update({v.lower(): c for c, v in en.items()})
    words.update({v: c for c, v in zh.items()})
    words.update(extra)
    return words


#: what planners write for a level: codes, labels in both languages, the short zh forms
LEVEL_WORDS = _parser("level", {"封控": "sealed", "管控": "controlled", "防范": "precaution"})


def level_code(text) -> str | None:
    """The zone level code of what a planner wrote, or None when it names no level.

    >>> level_code("封控区"), level_code(" 管控 "), level_code("Precaution"), level_code("x")
    ('sealed', 'controlled', 'precaution', None)
    """
    if text is None:
        return None
    word = str(text).strip()
    return LEVEL_WORDS.get(word) or LEVEL_WORDS.get(word.lower())


# --- units --------------------------------------------------------------------------------------

#: 1 万 (wan) = 10,000: heated areas are reported in 万㎡, households in 万户
WAN = 1e4


def width(text) -> int:
    """Display width of ``text`` in a fixed-width terminal or cell (CJK characters count 2)."""
    text = str(text)
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wan(value):
    """A count or an area in 万 (ten thousands): 5159000 -> 515.9 (a number, or a column)."""
    return value / WAN if hasattr(value, "__len__") else float(value) / WAN


def fmt_wan(value: float) -> str:
    """A value in 万 with two decimals, the one format of every output: 5159000 -> '515.90'."""
    return f"{float(value) / WAN:,.2f}"


def area_wan(m2: float) -> str:
    """Square metres as 万㎡ with two decimals: 5159000 -> '515.90'."""
    return fmt_wan(m2)


def area(m2: float) -> str:
    """5159000 -> '5,159,000 m² (515.90 万㎡)'."""
    return f"{m2:,.0f} m² ({area_wan(m2)} 万㎡)"


def households(n: int) -> str:
    """38500 -> '38,500 (3.85 万户)'."""
    return f"{n:,} ({fmt_wan(n)} 万户)"


def minutes(value: float) -> str:
    """Minutes as a whole number: 12.6 -> '13 min'."""
    return f"{float(value):,.0f} min"


#: units shown in headers and legends
UNIT_AREA_WAN = "万㎡"
UNIT_HOUSEHOLDS_WAN = "万户"
UNIT_HOUSEHOLDS = "户"
UNIT_MINUTES = {"zh": "分钟", "en": "min"}

#: the change since the earlier report time, said the same way on every surface (impact panel,
#: presentation, A3 tiles, deck, workbook, terminal): "较昨日 +3" / "vs day before +3"
CHANGE_DAY_BEFORE = {"zh": "较昨日", "en": "vs day before"}


def change_label(lang: str = "zh", since=None) -> str:
    """How a change is introduced: against the day before (``since`` None) or against a given time
    (a ``datetime``: "较 02-24 08:00" / "vs 02-24 08:00").

    >>> change_label("en"), change_label("zh")
    ('vs day before', '较昨日')
    """
    if since is None:
        return CHANGE_DAY_BEFORE["zh" if lang == "zh" else "en"]
    return f"较 {since:%m-%d %H:%M}" if lang == "zh" else f"vs {since:%m-%d %H:%M}"


#: the words planners write for the zone levels (Chinese notices and spreadsheets), onto the stored levels
ZONE_LEVEL_WORDS = {w: c for w, c in LEVEL_WORDS.items() if not w.isascii()}


def zone_level(text) -> str | None:
    """The stored level for ``text`` (``sealed``/``controlled``/``precaution`` in any case, or
    封控区/管控区/防范区, also 封控/管控/防范); None when it is not a level (:func:`level_code`).

    The one place zone levels are read: the importer's mapping, zone files, notices, ``--level``
    and ``--zones`` all go through it.
    """
    return level_code(text)


def level_arg(text: str) -> str:
    """``argparse`` type of a ``--level`` option: any spelling :func:`zone_level` reads."""
    import argparse

    from heatgis.text import Text, localize

    level = zone_level(text)
    if level is None:
        message = Text(
            "'{text}' is not a zone level (sealed/controlled/precaution, 封控区/管控区/防范区)",
            "“{text}”不是管控级别（封控区/管控区/防范区，sealed/controlled/precaution）",
            text=text,
        )
        raise argparse.ArgumentTypeError(localize(message))
    return level


#: OpenStreetMap ``highway`` tag -> the contract's road class, the one table for importing a roads
#: layer and for the routing graph. ``trunk`` is an urban expressway (城市快速路) or a first-class
#: highway in China's OSM tagging, hence ``expressway``. Tags not listed are not driveable.
OSM_HIGHWAY_CLASS = {
    "motorway": "expressway",
    "motorway_link": "expressway",
    "trunk": "expressway",
    "trunk_link": "expressway",
    "primary": "arterial",
    "primary_link": "arterial",
    "secondary": "secondary",
    "secondary_link": "secondary",
    "tertiary": "secondary",
    "tertiary_link": "secondary",
    "unclassified": "local",
    "residential": "local",
    "living_street": "local",
    "service": "local",
    "road": "local",
}
