"""The staffing rules: how many people of which role a locked site needs, round the clock.

The rules are explicit data so a planner can read and change them (``--rules FILE``
on the command line, a JSON object)::

    {
      "station":     {"shifts": 3, "per_shift": 1, "role": "operator"},
      "boiler_room": {"shifts": 3, "per_shift": 2, "role": "boiler_operator"},
      "on_call":     {"electrician": 1, "welder": 0},
      "shift_start": "08:00",
      "max_walk_m":  null
    }

Meaning:

- a station needs ``shifts`` x ``per_shift`` people qualified as ``role`` (3 shifts of
  8 hours x 1 operator by default); a boiler room 3 x 2 boiler operators;
- a person is qualified for a role when their ``role`` is it or their ``skills``
  (``"a;b;c"``) name it;
- electricians and welders are shared: every active locking zone that holds a locked
  site needs ``on_call[role]`` people of that role on call for all its sites
  (default: 1 electrician, no welder - pipe repairs go to the crews);
- one person works at most one shift at one site (or is on call in one zone);
- shifts split the day evenly from ``shift_start`` (3 shifts: 08-16, 16-24, 00-08);
- ``max_walk_m`` (optional) caps the walk from home to the site inside the zone;
  distances are straight lines in the project CRS (metres in EPSG:4546).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from heatgis.errors import HeatGISError
from heatgis.model.schema import LAYERS

STAFF_ROLES = LAYERS["staff"].field("role").allowed
SITE_KINDS = ("station", "boiler_room")


@dataclass(frozen=True)
class SiteRule:
    """What one kind of site needs: ``shifts`` x ``per_shift`` people of ``role``."""

    shifts: int = 3
    per_shift: int = 1
    role: str = "operator"

    @property
    def needed(self) -> int:
        return self.shifts * self.per_shift


@dataclass(frozen=True)
class StaffingRules:
    """The staffing rules (see the module docstring for their meaning).

    Attributes
    ----------
    station, boiler_room : SiteRule
    on_call : dict of str to int
        People on call per active locking zone holding locked sites, by role.
    shift_start : str
        "HH:MM" the first shift starts.
    max_walk_m : float or None
        Longest walk home -> site considered; None = anywhere inside the zone.
    """

    station: SiteRule = SiteRule(3, 1, "operator")
    boiler_room: SiteRule = SiteRule(3, 2, "boiler_operator")
    on_call: dict = field(default_factory=lambda: {"electrician": 1, "welder": 0})
    shift_start: str = "08:00"
    max_walk_m: float | None = None
    #: the crews' operations rules (``heatgis.routing.crew_rules.CrewRules.from_dict`` reads them)
    crews: dict = field(default_factory=dict)

    def __post_init__(self):
        check_rules(self)

    def rule(self, kind: str) -> SiteRule:
        return self.station if kind == "station" else self.boiler_room

    def shift_names(self, kind: str) -> list[str]:
        """The shift labels of a site kind, e.g. ['08:00-16:00', '16:00-24:00', '00:00-08:00']."""
        n = self.rule(kind).shifts
        h, m = (int(v) for v in self.shift_start.split(":"))
        start = h * 60 + m
        step = 24 * 60 // n
        names = []
        for k in range(n):
            a = (start + k * step) % 1440
            b = (start + (k + 1) * step) % 1440
            names.append(f"{a // 60:02d}:{a % 60:02d}-{'24:00' if b == 0 else f'{b // 60:02d}:{b % 60:02d}'}")
        return names

    def to_dict(self) -> dict:
        return {
            "station": {"shifts": self.station.shifts, "per_shift": self.station.per_shift,
                        "role": self.station.role},
            "boiler_room": {"shifts": self.boiler_room.shifts, "per_shift": self.boiler_room.per_shift,
                            "role": self.boiler_room.role},
            "on_call": {k: int(v) for k, v in self.on_call.items()},
            "shift_start": self.shift_start,
            "max_walk_m": self.max_walk_m,
            "crews": dict(self.crews),
        }

    @classmethod
    def from_dict(cls, doc: dict, file=None) -> "StaffingRules":
        """Rules from a JSON-like dict; missing keys keep their defaults.

        Raises
        ------
        HeatGISError
            Unknown keys or wrong types, naming ``file``, the key and the fix.
        """
        if not isinstance(doc, dict):
            raise HeatGISError("the rules must be a JSON object", "write {\"station\": {...}, ...}",
                               file=file)
        _unknown(doc, ("station", "boiler_room", "on_call", "shift_start", "max_walk_m", "crews"), "", file)
        kw = {}
        for kind in SITE_KINDS:
            if kind in doc:
                part = doc[kind]
                if not isinstance(part, dict):
                    raise HeatGISError(f"'{kind}' must be an object", f'write "{kind}": {{"shifts": 3, '
                                       '"per_shift": 1, "role": "operator"}', file=file, field=kind)
                _unknown(part, ("shifts", "per_shift", "role"), kind + ".", file)
                base = cls().rule(kind)
                kw[kind] = SiteRule(
                    _int(part.get("shifts", base.shifts), f"{kind}.shifts", file, 1),
                    _int(part.get("per_shift", base.per_shift), f"{kind}.per_shift", file, 0),
                    _role(part.get("role", base.role), f"{kind}.role", file))
        if "on_call" in doc:
            oc = doc["on_call"]
            if not isinstance(oc, dict):
                raise HeatGISError("'on_call' must be an object of role: people per zone",
                                   'write "on_call": {"electrician": 1, "welder": 0}', file=file,
                                   field="on_call")
            kw["on_call"] = {_role(k, "on_call", file): _int(v, f"on_call.{k}", file, 0)
                             for k, v in oc.items()}
        if "shift_start" in doc:
            kw["shift_start"] = doc["shift_start"]
        if "max_walk_m" in doc:
            v = doc["max_walk_m"]
            if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float)) or v <= 0):
                raise HeatGISError(f"'max_walk_m' is {v!r}, not a positive number of metres",
                                   'write "max_walk_m": 1500, or null for no limit', file=file,
                                   field="max_walk_m")
            kw["max_walk_m"] = None if v is None else float(v)
        if "crews" in doc:
            if not isinstance(doc["crews"], dict):
                raise HeatGISError("'crews' must be an object of crew operations rules",
                                   'write "crews": {"sites": {...}, "rest": {...}}', file=file, field="crews")
            kw["crews"] = dict(doc["crews"])
        try:
            return cls(**kw)
        except HeatGISError as exc:
            raise HeatGISError(exc.problem.message, exc.problem.fix, file=file,
                               field=exc.problem.field) from None

    @classmethod
    def load(cls, path) -> "StaffingRules":
        """Rules from a JSON file (see the module docstring).

        Raises
        ------
        HeatGISError
            Missing file, bad JSON, unknown keys or wrong types.
        """
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise HeatGISError("the rules file does not exist", "check the path given to --rules",
                               file=path) from None
        except OSError as exc:
            raise HeatGISError(f"the rules file cannot be read ({exc.strerror})", "check its permissions",
                               file=path) from exc
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise HeatGISError(f"the rules file is not valid JSON (line {exc.lineno}, column {exc.colno}: "
                               f"{exc.msg})", "correct the JSON; see 'heatgis staff --help' for an example",
                               file=path) from None
        return cls.from_dict(doc, file=path)


def check_rules(r: StaffingRules) -> None:
    """Raise HeatGISError when a rule is impossible."""
    for kind in SITE_KINDS:
        rule = r.rule(kind)
        if not isinstance(rule, SiteRule):
            raise HeatGISError(f"'{kind}' must be a SiteRule", "use SiteRule(shifts, per_shift, role)",
                               field=kind)
        if rule.shifts < 1 or 24 % rule.shifts:
            raise HeatGISError(f"{kind}.shifts is {rule.shifts}; the day cannot be split into that many "
                               "equal shifts of whole hours", "use 1, 2, 3, 4, 6, 8, 12 or 24", field=f"{kind}.shifts")
        if rule.per_shift < 0:
            raise HeatGISError(f"{kind}.per_shift is negative", "use 0 or more", field=f"{kind}.per_shift")
        if rule.role not in STAFF_ROLES:
            raise HeatGISError(f"{kind}.role '{rule.role}' is not a staff role",
                               "use one of: " + ", ".join(STAFF_ROLES), field=f"{kind}.role")
    if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", str(r.shift_start)):
        raise HeatGISError(f"shift_start '{r.shift_start}' is not a time of day", 'write it as "08:00"',
                           field="shift_start")
    for role, n in r.on_call.items():
        if role not in STAFF_ROLES:
            raise HeatGISError(f"on_call role '{role}' is not a staff role",
                               "use one of: " + ", ".join(STAFF_ROLES), field="on_call")
        if not isinstance(n, int) or n < 0:
            raise HeatGISError(f"on_call.{role} is {n!r}, not a whole number of people",
                               f'write "{role}": 1', field=f"on_call.{role}")


def _unknown(doc, allowed, prefix, file):
    bad = [k for k in doc if k not in allowed]
    if bad:
        raise HeatGISError(f"unknown rule key(s): {', '.join(prefix + str(k) for k in bad)}",
                           "use only: " + ", ".join(prefix + k for k in allowed), file=file,
                           field=prefix + str(bad[0]))


def _int(v, name, file, minimum):
    if isinstance(v, bool) or not isinstance(v, int) or v < minimum:
        raise HeatGISError(f"'{name}' is {v!r}, not a whole number >= {minimum}",
                           f"write a whole number for '{name}', e.g. 3", file=file, field=name)
    return v


def _role(v, name, file):
    if not isinstance(v, str) or v not in STAFF_ROLES:
        raise HeatGISError(f"'{name}' names the role {v!r}, which is not a staff role",
                           "use one of: " + ", ".join(STAFF_ROLES), file=file, field=name)
    return v
