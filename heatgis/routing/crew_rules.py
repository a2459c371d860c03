"""The crews' operations rules: what the crews must do at each kind of site, and how people work.

They live in the staffing rules JSON under ``"crews"`` (``heatgis crews --rules FILE``)::

    "crews": {
      "sites": {
        "station":     {"duty": "presence", "staffed_patrol_h": 12, "service_min": 30},
        "boiler_room": {"duty": "presence", "staffed_patrol_h": 12, "service_min": 45},
        "heat_source": {"duty": "patrol", "patrol_h": 24, "service_min": 60},
        "primary_network": {"duty": "patrol", "patrol_h": 24, "service_min": 20}
      },
      "gear_min":  {"entry": 15, "exit": 10},
      "rest":      {"max_hours_24h": 12, "min_rest_h": 8},
      "entry":     {"sealed": {"policy": "shift"}, "controlled": {"policy": "shift"}},
      "relief":    {"before_min": 60, "after_min": 60, "handover_min": 5},
      "vehicles":  {"per_crew": 2, "seats": 5, "team": 2},
      "on_call":   true
    }

Meaning:

- ``sites.<kind>.duty``: ``presence`` = every place of a locked site that insiders cannot
  fill (staffing plan) is held by a crew member for its staffing shift; ``patrol`` = the
  locked sites of that kind are visited every ``patrol_h`` hours instead (remote
  monitoring). Heat sources are always on a round (``patrol_h``, default daily), locked
  or not, and so are the primary-network points (one point every 3 km along the pipes of
  DN 1000 or more within 25 km of a depot; ``patrol_h`` 0 turns a round off).
  ``staffed_patrol_h``: locked sites that insiders run fully still get a visit
  every N hours for supplies and checks (0 = none). ``service_min``: minutes of a patrol
  visit.
- ``gear_min``: protective gear put on when a vehicle team enters a sealed or controlled
  zone and taken off when it leaves; a leg from one site to another in the same zone is
  driven directly inside it (no gear change) when the zone's policy is ``shift``.
- ``rest``: nobody works more than ``max_hours_24h`` hours in any 24 hours; at least
  ``min_rest_h`` hours between two duties.
- ``entry.<level>``: ``shift`` = people go in and out every shift; ``closed_loop`` with
  ``days`` N = whoever goes in stays in for N days (holding places of that zone only) and
  is out of the crew's strength meanwhile.
- ``relief``: a person is set down at most ``before_min`` before the shift starts (and
  early enough to put on gear), taken back within ``after_min`` after it ends;
  ``handover_min`` is the vehicle's stop time.
- ``vehicles``: defaults for crews without ``vehicles``/``seats`` fields; ``team`` people of
  the crew drive and work with each vehicle for the crew's shift (seats include them).
- ``on_call``: the zones' on-call electricians that insiders cannot provide are crew places.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from heatgis.analysis.staffing.rule_checks import check_keys
from heatgis.errors import HeatGISError
from heatgis.text import Text

SITE_KINDS = ("station", "boiler_room", "heat_source", "primary_network")
LEVELS = ("sealed", "controlled")
SKILL_OF_KIND = {
    "station": "operator",
    "boiler_room": "boiler_operator",
    "heat_source": "operator",
    "primary_network": "operator",
}

_DEFAULT_SITES = {
    "station": {"duty": "presence", "patrol_h": 8, "staffed_patrol_h": 12, "service_min": 30},
    "boiler_room": {"duty": "presence", "patrol_h": 8, "staffed_patrol_h": 12, "service_min": 45},
    "heat_source": {"duty": "patrol", "patrol_h": 24, "staffed_patrol_h": 0, "service_min": 60},
    "primary_network": {"duty": "patrol", "patrol_h": 24, "staffed_patrol_h": 0, "service_min": 20},
}
#: primary-network points: the middle of each pipe at least this wide, within this distance of a depot
PRIMARY_MIN_DN_MM, PRIMARY_WITHIN_KM, PRIMARY_SPACING_M = 1000, 25, 3000


@dataclass(frozen=True)
class SiteDuty:
    duty: str = "presence"
    patrol_h: float = 8
    staffed_patrol_h: float = 12
    service_min: float = 30


@dataclass(frozen=True)
class EntryPolicy:
    policy: str = "shift"
    days: float = 0


@dataclass(frozen=True)
class CrewRules:
    """The crews' operations rules (module docstring)."""

    sites: dict = field(default_factory=lambda: {k: SiteDuty(**v) for k, v in _DEFAULT_SITES.items()})
    gear_entry_min: float = 15
    gear_exit_min: float = 10
    max_hours_24h: float = 12
    min_rest_h: float = 8
    entry: dict = field(default_factory=lambda: {lv: EntryPolicy() for lv in LEVELS})
    relief_before_min: float = 60
    relief_after_min: float = 60
    handover_min: float = 5
    vehicles_per_crew: int = 2
    seats: int = 5
    team: int = 2
    on_call: bool = True

    def site(self, kind: str) -> SiteDuty:
        return self.sites.get(kind, SiteDuty())

    def policy(self, level: str) -> EntryPolicy:
        return self.entry.get(level, EntryPolicy())

    def to_dict(self) -> dict:
        return {
            "sites": {
                k: {
                    "duty": v.duty,
                    "patrol_h": v.patrol_h,
                    "staffed_patrol_h": v.staffed_patrol_h,
                    "service_min": v.service_min,
                }
                for k, v in self.sites.items()
            },
            "gear_min": {"entry": self.gear_entry_min, "exit": self.gear_exit_min},
            "rest": {"max_hours_24h": self.max_hours_24h, "min_rest_h": self.min_rest_h},
            "entry": {
                k: ({"policy": v.policy, "days": v.days} if v.policy == "closed_loop" else {"policy": v.policy})
                for k, v in self.entry.items()
            },
            "relief": {
                "before_min": self.relief_before_min,
                "after_min": self.relief_after_min,
                "handover_min": self.handover_min,
            },
            "vehicles": {"per_crew": self.vehicles_per_crew, "seats": self.seats, "team": self.team},
            "on_call": self.on_call,
        }

    @classmethod
    def from_dict(cls, doc: dict | None, file=None) -> CrewRules:
        """Rules from the ``"crews"`` object of the rules JSON; missing keys keep their defaults.

        Raises
        ------
        HeatGISError
            Unknown keys or site kinds, negative or non-numeric values, naming the key.
        """
        doc = doc or {}
        if not isinstance(doc, dict):
            raise HeatGISError(
                Text("'crews' must be an object", "'crews' 必须是一个对象"),
                Text('write "crews": {"sites": {...}}', '写成 "crews": {"sites": {...}}'),
                file=file,
                field="crews",
            )
        check_keys(doc, ("sites", "gear_min", "rest", "entry", "relief", "vehicles", "on_call"), "crews.", file)
        kw: dict = {}
        if "sites" in doc:
            sites = dict(cls().sites)
            part = _obj(doc["sites"], "crews.sites", file)
            for kind, d in part.items():
                if kind not in SITE_KINDS:
                    raise HeatGISError(
                        Text(
                            "unknown site kind 'crews.sites.{kind}'", "未知的站点类型 'crews.sites.{kind}'", kind=kind
                        ),
                        Text("use one of: {kinds}", "请使用以下之一：{kinds}", kinds=", ".join(SITE_KINDS)),
                        file=file,
                        field=f"crews.sites.{kind}",
                    )
                d = _obj(d, f"crews.sites.{kind}", file)
                check_keys(d, ("duty", "patrol_h", "staffed_patrol_h", "service_min"), f"crews.sites.{kind}.", file)
                base = sites[kind]
                duty = d.get("duty", base.duty)
                if duty not in ("presence", "patrol"):
                    raise HeatGISError(
                        Text(
                            "'crews.sites.{kind}.duty' is {duty!r}",
                            "'crews.sites.{kind}.duty' 为 {duty!r}",
                            kind=kind,
                            duty=duty,
                        ),
                        Text('write "presence" or "patrol"', '填写 "presence"（值守）或 "patrol"（巡检）'),
                        file=file,
                        field=f"crews.sites.{kind}.duty",
                    )
                sites[kind] = SiteDuty(
                    duty,
                    _num(d.get("patrol_h", base.patrol_h), f"crews.sites.{kind}.patrol_h", file, 0.5),
                    _num(
                        d.get("staffed_patrol_h", base.staffed_patrol_h),
                        f"crews.sites.{kind}.staffed_patrol_h",
                        file,
                        0,
                    ),
                    _num(d.get("service_min", base.service_min), f"crews.sites.{kind}.service_min", file, 0),
                )
            kw["sites"] = sites
        if "gear_min" in doc:
            g = _obj(doc["gear_min"], "crews.gear_min", file)
            check_keys(g, ("entry", "exit"), "crews.gear_min.", file)
            kw["gear_entry_min"] = _num(g.get("entry", 15), "crews.gear_min.entry", file, 0)
            kw["gear_exit_min"] = _num(g.get("exit", 10), "crews.gear_min.exit", file, 0)
        if "rest" in doc:
            r = _obj(doc["rest"], "crews.rest", file)
            check_keys(r, ("max_hours_24h", "min_rest_h"), "crews.rest.", file)
            kw["max_hours_24h"] = _num(r.get("max_hours_24h", 12), "crews.rest.max_hours_24h", file, 1)
            if kw["max_hours_24h"] > 24:
                raise HeatGISError(
                    Text("'crews.rest.max_hours_24h' is above 24", "'crews.rest.max_hours_24h' 大于 24"),
                    Text("use at most 24, e.g. 12", "最多填写 24，例如 12"),
                    file=file,
                    field="crews.rest.max_hours_24h",
                )
            kw["min_rest_h"] = _num(r.get("min_rest_h", 8), "crews.rest.min_rest_h", file, 0)
        if "entry" in doc:
            e = _obj(doc["entry"], "crews.entry", file)
            entry = dict(cls().entry)
            for level, d in e.items():
                if level not in LEVELS:
                    raise HeatGISError(
                        Text(
                            "unknown zone level 'crews.entry.{level}'",
                            "未知的管控级别 'crews.entry.{level}'",
                            level=level,
                        ),
                        Text("use sealed or controlled", "请使用 sealed（封控区）或 controlled（管控区）"),
                        file=file,
                        field=f"crews.entry.{level}",
                    )
                d = _obj(d, f"crews.entry.{level}", file)
                check_keys(d, ("policy", "days"), f"crews.entry.{level}.", file)
                pol = d.get("policy", "shift")
                if pol not in ("shift", "closed_loop"):
                    raise HeatGISError(
                        Text(
                            "'crews.entry.{level}.policy' is {pol!r}",
                            "'crews.entry.{level}.policy' 为 {pol!r}",
                            level=level,
                            pol=pol,
                        ),
                        Text('write "shift" or "closed_loop"', '填写 "shift"（轮班）或 "closed_loop"（闭环）'),
                        file=file,
                        field=f"crews.entry.{level}.policy",
                    )
                days = _num(
                    d.get("days", 7 if pol == "closed_loop" else 0),
                    f"crews.entry.{level}.days",
                    file,
                    1 if pol == "closed_loop" else 0,
                )
                entry[level] = EntryPolicy(pol, days)
            kw["entry"] = entry
        if "relief" in doc:
            r = _obj(doc["relief"], "crews.relief", file)
            check_keys(r, ("before_min", "after_min", "handover_min"), "crews.relief.", file)
            kw["relief_before_min"] = _num(r.get("before_min", 60), "crews.relief.before_min", file, 1)
            kw["relief_after_min"] = _num(r.get("after_min", 60), "crews.relief.after_min", file, 1)
            kw["handover_min"] = _num(r.get("handover_min", 5), "crews.relief.handover_min", file, 0)
        if "vehicles" in doc:
            v = _obj(doc["vehicles"], "crews.vehicles", file)
            check_keys(v, ("per_crew", "seats", "team"), "crews.vehicles.", file)
            kw["vehicles_per_crew"] = int(_num(v.get("per_crew", 2), "crews.vehicles.per_crew", file, 0))
            kw["team"] = int(_num(v.get("team", 2), "crews.vehicles.team", file, 1))
            kw["seats"] = int(_num(v.get("seats", 5), "crews.vehicles.seats", file, 1))
            if kw["seats"] < kw["team"]:
                raise HeatGISError(
                    Text(
                        "'crews.vehicles.seats' is fewer than the team", "'crews.vehicles.seats' 少于每车人数（team）"
                    ),
                    Text("give seats >= team", "座位数应不少于每车人数（seats >= team）"),
                    file=file,
                    field="crews.vehicles.seats",
                )
        if "on_call" in doc:
            if not isinstance(doc["on_call"], bool):
                raise HeatGISError(
                    Text("'crews.on_call' must be true or false", "'crews.on_call' 必须为 true 或 false"),
                    Text('write "on_call": true', '写成 "on_call": true'),
                    file=file,
                    field="crews.on_call",
                )
            kw["on_call"] = doc["on_call"]
        return cls(**kw)

    @classmethod
    def of(cls, staffing_rules, file=None) -> CrewRules:
        """The crew rules held by a ``StaffingRules`` (its ``crews`` dict)."""
        return cls.from_dict(getattr(staffing_rules, "crews", None) or {}, file)


def _obj(v, name, file) -> dict:
    if not isinstance(v, dict):
        raise HeatGISError(
            Text("'{name}' must be an object", "'{name}' 必须是一个对象", name=name),
            Text("write '{name}' as {{...}}", "将 '{name}' 写成 {{...}}", name=name),
            file=file,
            field=name,
        )
    return v


def _num(v, name, file, minimum) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise HeatGISError(
            Text("'{name}' is {v!r}, not a number", "'{name}' 为 {v!r}，不是数字", name=name, v=v),
            Text("write a number for '{name}'", "为 '{name}' 填写数字", name=name),
            file=file,
            field=name,
        )
    if v < minimum:
        raise HeatGISError(
            Text(
                "'{name}' is {v:g}, below {minimum:g}{neg}",
                "'{name}' 为 {v:g}，小于 {minimum:g}{neg}",
                name=name,
                v=v,
                minimum=minimum,
                neg=Text(" (negative)", "（负数）") if v < 0 else "",
            ),
            Text(
                "write a number >= {minimum:g} for '{name}'",
                "为 '{name}' 填写不小于 {minimum:g} 的数字",
                name=name,
                minimum=minimum,
            ),
            file=file,
            field=name,
        )
    return float(v)
