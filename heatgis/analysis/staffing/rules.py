"""The staffing rules: how many people of which role a locked site needs, round the clock.

The rules are explicit data so a planner can read and change them (``--rules FILE``
on the command line, a JSON object)::

    {
      "station":     {"shifts": 3, "per_shift": 1, "role": "operator"},
      "boiler_room": {"shifts": 3, "per_shift": 2, "role": "boiler_operator"},
      "on_call":     {"electrician": 1, "welder": 0},
      "shift_start": "08:00",
      "max_walk_m":  null,
      "heat": {"design_outdoor_c": -17, "indoor_c": 18, "lockdown_uplift": 0.10,
               "boiler_room_w_m2": 45, "fit_min_points": 24, "fit_min_r2": 0.5,
               "patrol_interval_h": [[0, 12], [-10, 8], [-15, 4], [-20, 2]],
               "risk_weights": {"load": 0.4, "unstaffed": 0.3, "since_visit": 0.2,
                                "households": 0.1}}
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
  distances are straight lines in the project CRS (metres in EPSG:4546);
- ``heat`` holds the cold-snap rules of ``heatgis heat`` (:class:`HeatRules`): the design
  outdoor and indoor temperatures of the degree-hour method (defaults: Hohhot's -17 °C,
  GB 50736; 18 °C indoors), the load uplift for households inside active locking zones,
  the design intensity of boiler rooms, the metered-fit thresholds, the patrol interval
  as it gets colder and the weights of the risk score.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from heatgis.analysis.staffing.heat_rules import HeatRules
from heatgis.analysis.staffing.rule_checks import _ROLE_FIX, STAFF_ROLES, _int, _role, check_keys
from heatgis.errors import HeatGISError
from heatgis.text import Text

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


def patrol_interval_h(rule, outdoor_c):
    """Hours between patrols of a locked site at ``outdoor_c``: shorter as it gets colder.

    Parameters
    ----------
    rule : HeatRules, StaffingRules or sequence of (outdoor °C, hours)
        The ``patrol_interval_h`` rule of the rules file.
    outdoor_c : float or array-like
        Outdoor temperature(s).

    Returns
    -------
    float or numpy.ndarray
        Linear between the rule's points, the end values beyond them.
    """
    if isinstance(rule, StaffingRules):
        rule = rule.heat
    pts = rule.patrol_interval if isinstance(rule, HeatRules) else rule
    pts = sorted((float(t), float(h)) for t, h in pts)
    out = np.interp(np.asarray(outdoor_c, dtype=float), [t for t, _ in pts], [h for _, h in pts])
    return float(out) if np.ndim(out) == 0 else out


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
    heat : HeatRules
        The cold-snap rules (degree-hour load, patrol interval, risk score).
    """

    station: SiteRule = SiteRule(3, 1, "operator")
    boiler_room: SiteRule = SiteRule(3, 2, "boiler_operator")
    on_call: dict = field(default_factory=lambda: {"electrician": 1, "welder": 0})
    shift_start: str = "08:00"
    max_walk_m: float | None = None
    #: the crews' operations rules (``heatgis.routing.crew_rules.CrewRules.from_dict`` reads them)
    crews: dict = field(default_factory=dict)
    heat: HeatRules = HeatRules()

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
            "station": {"shifts": self.station.shifts, "per_shift": self.station.per_shift, "role": self.station.role},
            "boiler_room": {
                "shifts": self.boiler_room.shifts,
                "per_shift": self.boiler_room.per_shift,
                "role": self.boiler_room.role,
            },
            "on_call": {k: int(v) for k, v in self.on_call.items()},
            "shift_start": self.shift_start,
            "max_walk_m": self.max_walk_m,
            "crews": dict(self.crews),
            "heat": self.heat.to_dict(),
        }

    @classmethod
    def from_dict(cls, doc: dict, file=None) -> StaffingRules:
        """Rules from a JSON-like dict; missing keys keep their defaults.

        Raises
        ------
        HeatGISError
            Unknown keys or wrong types, naming ``file``, the key and the fix.
        """
        if not isinstance(doc, dict):
            raise HeatGISError(
                Text("the rules must be a JSON object", "规则须为一个 JSON 对象"),
                Text('write {"station": {...}, ...}', '写 {"station": {...}, ...}'),
                file=file,
            )
        check_keys(doc, ("station", "boiler_room", "on_call", "shift_start", "max_walk_m", "crews", "heat"), "", file)
        kw: dict = {}
        for kind in SITE_KINDS:
            if kind in doc:
                part = doc[kind]
                if not isinstance(part, dict):
                    raise HeatGISError(
                        Text("'{kind}' must be an object", "'{kind}' 须为一个对象（{{…}}）", kind=kind),
                        Text(
                            'write "{kind}": {{"shifts": 3, "per_shift": 1, "role": "operator"}}',
                            '写 "{kind}": {{"shifts": 3, "per_shift": 1, "role": "operator"}}',
                            kind=kind,
                        ),
                        file=file,
                        field=kind,
                    )
                check_keys(part, ("shifts", "per_shift", "role"), kind + ".", file)
                base = cls().rule(kind)
                kw[kind] = SiteRule(
                    _int(part.get("shifts", base.shifts), f"{kind}.shifts", file, 1),
                    _int(part.get("per_shift", base.per_shift), f"{kind}.per_shift", file, 0),
                    _role(part.get("role", base.role), f"{kind}.role", file),
                )
        if "on_call" in doc:
            oc = doc["on_call"]
            if not isinstance(oc, dict):
                raise HeatGISError(
                    Text(
                        "'on_call' must be an object of role: people per zone",
                        "'on_call' 须为“岗位: 每个管控区的人数”的对象",
                    ),
                    Text(
                        'write "on_call": {"electrician": 1, "welder": 0}',
                        '写 "on_call": {"electrician": 1, "welder": 0}',
                    ),
                    file=file,
                    field="on_call",
                )
            kw["on_call"] = {_role(k, "on_call", file): _int(v, f"on_call.{k}", file, 0) for k, v in oc.items()}
        if "shift_start" in doc:
            kw["shift_start"] = doc["shift_start"]
        if "max_walk_m" in doc:
            v = doc["max_walk_m"]
            if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float)) or v <= 0):
                raise HeatGISError(
                    Text(
                        "'max_walk_m' is {v!r}, not a positive number of metres",
                        "'max_walk_m' 为 {v!r}，不是正的米数",
                        v=v,
                    ),
                    Text('write "max_walk_m": 1500, or null for no limit', '写 "max_walk_m": 1500，不限距离则写 null'),
                    file=file,
                    field="max_walk_m",
                )
            kw["max_walk_m"] = None if v is None else float(v)
        if "crews" in doc:
            if not isinstance(doc["crews"], dict):
                raise HeatGISError(
                    Text("'crews' must be an object of crew operations rules", "'crews' 须为抢修队作业规则的对象"),
                    Text(
                        'write "crews": {"sites": {...}, "rest": {...}}', '写 "crews": {"sites": {...}, "rest": {...}}'
                    ),
                    file=file,
                    field="crews",
                )
            kw["crews"] = dict(doc["crews"])
        if "heat" in doc:
            kw["heat"] = HeatRules.from_dict(doc["heat"], file)
        try:
            return cls(**kw)
        except HeatGISError as exc:
            raise HeatGISError(exc.problem.message, exc.problem.fix, file=file, field=exc.problem.field) from None

    @classmethod
    def load(cls, path) -> StaffingRules:
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
            raise HeatGISError(
                Text("the rules file does not exist", "规则文件不存在"),
                Text("check the path given to --rules", "检查 --rules 给出的路径"),
                file=path,
            ) from None
        except UnicodeDecodeError as exc:
            raise HeatGISError(
                Text(
                    "the rules file is not UTF-8 text (byte {byte} cannot be read)",
                    "规则文件不是 UTF-8 文本（第 {byte} 个字节无法读取）",
                    byte=exc.start + 1,
                ),
                Text(
                    "save it as UTF-8 (in Notepad: Save as, Encoding UTF-8)",
                    "另存为 UTF-8 编码（记事本：另存为，编码选 UTF-8）",
                ),
                file=path,
            ) from None
        except IsADirectoryError:
            raise HeatGISError(
                Text("this is a folder, not a rules file", "这是一个文件夹，不是规则文件"),
                Text("give the JSON file", "请给出 JSON 文件"),
                file=path,
            ) from None
        except OSError as exc:
            raise HeatGISError(
                Text("the rules file cannot be read ({err})", "规则文件无法读取（{err}）", err=exc.strerror),
                Text("check its permissions", "检查文件的访问权限"),
                file=path,
            ) from exc
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise HeatGISError(
                Text(
                    "the rules file is not valid JSON (line {line}, column {col}: {msg})",
                    "规则文件不是有效的 JSON（第 {line} 行，第 {col} 列：{msg}）",
                    line=exc.lineno,
                    col=exc.colno,
                    msg=exc.msg,
                ),
                Text(
                    "correct the JSON; see 'heatgis staff --help' for an example",
                    "改正 JSON；示例见 'heatgis staff --help'",
                ),
                file=path,
            ) from None
        return cls.from_dict(doc, file=path)


def check_rules(r: StaffingRules) -> None:
    """Raise HeatGISError when a rule is impossible."""
    for kind in SITE_KINDS:
        rule = r.rule(kind)
        if not isinstance(rule, SiteRule):
            raise HeatGISError(
                Text("'{kind}' must be a SiteRule", "'{kind}' 须为 SiteRule", kind=kind),
                Text("use SiteRule(shifts, per_shift, role)", "使用 SiteRule(shifts, per_shift, role)"),
                field=kind,
            )
        if rule.shifts < 1 or 24 % rule.shifts:
            raise HeatGISError(
                Text(
                    "{kind}.shifts is {n}; the day cannot be split into that many equal shifts of whole hours",
                    "{kind}.shifts 为 {n}；一天无法分成这么多个整小时的等长班次",
                    kind=kind,
                    n=rule.shifts,
                ),
                Text("use 1, 2, 3, 4, 6, 8, 12 or 24", "使用 1、2、3、4、6、8、12 或 24"),
                field=f"{kind}.shifts",
            )
        if rule.per_shift < 0:
            raise HeatGISError(
                Text("{kind}.per_shift is negative", "{kind}.per_shift 为负数", kind=kind),
                Text("use 0 or more", "使用 0 或更大的数"),
                field=f"{kind}.per_shift",
            )
        if rule.role not in STAFF_ROLES:
            raise HeatGISError(
                Text(
                    "{kind}.role '{role}' is not a staff role",
                    "{kind}.role '{role}' 不是员工岗位",
                    kind=kind,
                    role=rule.role,
                ),
                _ROLE_FIX,
                field=f"{kind}.role",
            )
    if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", str(r.shift_start)):
        raise HeatGISError(
            Text("shift_start '{v}' is not a time of day", "shift_start '{v}' 不是一天中的时刻", v=r.shift_start),
            Text('write it as "08:00"', '写成 "08:00" 的形式'),
            field="shift_start",
        )
    for role, n in r.on_call.items():
        if role not in STAFF_ROLES:
            raise HeatGISError(
                Text("on_call role '{role}' is not a staff role", "on_call 的岗位 '{role}' 不是员工岗位", role=role),
                _ROLE_FIX,
                field="on_call",
            )
        if not isinstance(n, int) or n < 0:
            raise HeatGISError(
                Text(
                    "on_call.{role} is {n!r}, not a whole number of people",
                    "on_call.{role} 为 {n!r}，不是整数人数",
                    role=role,
                    n=n,
                ),
                Text('write "{role}": 1', '写 "{role}": 1', role=role),
                field=f"on_call.{role}",
            )
