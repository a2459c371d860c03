"""The cold-snap rules: the ``heat`` section of the rules file (:class:`HeatRules`).

Its meaning is told with the rest of the file in :mod:`heatgis.analysis.staffing.rules`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from heatgis.analysis.staffing.rule_checks import _int, _is_num, check_keys
from heatgis.errors import HeatGISError
from heatgis.text import Text

#: the risk score's components (see ``heatgis.analysis.heat_risk.risk_ranking``)
RISK_COMPONENTS = ("load", "unstaffed", "since_visit", "households")
_RISK_WEIGHTS_FIX = Text(
    'write e.g. "risk_weights": {"load": 0.4, "unstaffed": 0.3, "since_visit": 0.2, "households": 0.1}',
    '例如写 "risk_weights": {"load": 0.4, "unstaffed": 0.3, "since_visit": 0.2, "households": 0.1}',
)


@dataclass(frozen=True)
class HeatRules:
    """The cold-snap rules (the ``heat`` section of the rules file).

    Attributes
    ----------
    design_outdoor_c : float
        Design outdoor temperature at which a station draws its ``design_load_kw``
        (Hohhot: -17 °C, GB 50736-2012 appendix A).
    indoor_c : float
        Indoor design temperature (18 °C).
    lockdown_uplift : float
        Extra load, as a fraction, for households inside an active sealed or
        controlled zone (everybody at home, no daytime setback): 0.10 = +10 %.
    boiler_room_w_m2 : float
        Design intensity of a boiler room's own heated area (W/m² at the design
        outdoor temperature), used because boiler rooms carry no design load.
        45 W/m² is the demo stations' average design intensity.
    fit_min_points, fit_min_r2 : int, float
        A station's metered fit replaces the design formula only with at least
        this many hourly readings and this R² (and a load that falls as it gets warmer).
    patrol_interval : tuple of (outdoor °C, hours)
        Patrol interval of a locked site against the outdoor temperature, linear
        between the points and constant beyond them: shorter as it gets colder.
    risk_weights : dict of str to float
        Weights of the risk score's components (load, unstaffed, since_visit, households).
    """

    design_outdoor_c: float = -17.0
    indoor_c: float = 18.0
    lockdown_uplift: float = 0.10
    boiler_room_w_m2: float = 45.0
    fit_min_points: int = 24
    fit_min_r2: float = 0.5
    patrol_interval: tuple = ((0.0, 12.0), (-10.0, 8.0), (-15.0, 4.0), (-20.0, 2.0))
    risk_weights: dict = field(
        default_factory=lambda: {"load": 0.4, "unstaffed": 0.3, "since_visit": 0.2, "households": 0.1}
    )

    KEYS = (
        "design_outdoor_c",
        "indoor_c",
        "lockdown_uplift",
        "boiler_room_w_m2",
        "fit_min_points",
        "fit_min_r2",
        "patrol_interval_h",
        "risk_weights",
    )

    def __post_init__(self):
        if not self.indoor_c > self.design_outdoor_c:
            raise HeatGISError(
                Text(
                    "heat.indoor_c ({indoor:g}) must be above heat.design_outdoor_c ({outdoor:g})",
                    "heat.indoor_c（{indoor:g}）必须高于 heat.design_outdoor_c（{outdoor:g}）",
                    indoor=self.indoor_c,
                    outdoor=self.design_outdoor_c,
                ),
                Text(
                    'write e.g. "indoor_c": 18, "design_outdoor_c": -17',
                    '例如写 "indoor_c": 18, "design_outdoor_c": -17',
                ),
                field="heat.indoor_c",
            )
        if not -60 <= self.design_outdoor_c <= 15:
            raise HeatGISError(
                Text(
                    "heat.design_outdoor_c is {v:g} °C, not a design outdoor temperature",
                    "heat.design_outdoor_c 为 {v:g} °C，不是供暖室外计算温度",
                    v=self.design_outdoor_c,
                ),
                Text("use the city's value from GB 50736 (Hohhot: -17)", "采用 GB 50736 中本市的值（呼和浩特：-17）"),
                field="heat.design_outdoor_c",
            )
        if not 0 <= self.lockdown_uplift <= 1:
            raise HeatGISError(
                Text(
                    "heat.lockdown_uplift is {v:g}; it is a fraction",
                    "heat.lockdown_uplift 为 {v:g}；它应是一个比例（0 到 1）",
                    v=self.lockdown_uplift,
                ),
                Text('write e.g. "lockdown_uplift": 0.1 for +10 %', '例如 +10 % 写 "lockdown_uplift": 0.1'),
                field="heat.lockdown_uplift",
            )
        if not 5 <= self.boiler_room_w_m2 <= 200:
            raise HeatGISError(
                Text(
                    "heat.boiler_room_w_m2 is {v:g}, not a design intensity in W/m²",
                    "heat.boiler_room_w_m2 为 {v:g}，不是以 W/m² 计的设计热指标",
                    v=self.boiler_room_w_m2,
                ),
                Text('write e.g. "boiler_room_w_m2": 45', '例如写 "boiler_room_w_m2": 45'),
                field="heat.boiler_room_w_m2",
            )
        if self.fit_min_points < 3 or not 0 <= self.fit_min_r2 <= 1:
            raise HeatGISError(
                Text(
                    "heat.fit_min_points must be 3 or more and heat.fit_min_r2 within 0-1",
                    "heat.fit_min_points 须不少于 3，heat.fit_min_r2 须在 0 到 1 之间",
                ),
                Text(
                    'write e.g. "fit_min_points": 24, "fit_min_r2": 0.5',
                    '例如写 "fit_min_points": 24, "fit_min_r2": 0.5',
                ),
                field="heat.fit_min_points",
            )
        pts = self.patrol_interval
        if not pts or any(len(p) != 2 or not all(_is_num(v) for v in p) for p in pts) or any(h <= 0 for _, h in pts):
            raise HeatGISError(
                Text(
                    "heat.patrol_interval_h must be a list of [outdoor °C, hours] with hours > 0",
                    "heat.patrol_interval_h 须为 [室外温度 °C, 小时数] 的列表，小时数大于 0",
                ),
                Text(
                    'write e.g. "patrol_interval_h": [[0, 12], [-10, 8], [-15, 4], [-20, 2]]',
                    '例如写 "patrol_interval_h": [[0, 12], [-10, 8], [-15, 4], [-20, 2]]',
                ),
                field="heat.patrol_interval_h",
            )
        temps = [float(t) for t, _ in pts]
        if len(set(temps)) != len(temps):
            raise HeatGISError(
                Text(
                    "heat.patrol_interval_h names the same temperature twice", "heat.patrol_interval_h 中有重复的温度"
                ),
                Text("give each temperature once", "每个温度只写一次"),
                field="heat.patrol_interval_h",
            )
        ordered = sorted(pts, key=lambda p: float(p[0]))
        if any(b[1] < a[1] for a, b in zip(ordered, ordered[1:])):
            raise HeatGISError(
                Text(
                    "heat.patrol_interval_h must not lengthen as it gets colder",
                    "heat.patrol_interval_h 的巡检间隔不能随气温降低而变长",
                ),
                Text("give shorter (or equal) intervals at lower temperatures", "气温越低，间隔应越短（或相等）"),
                field="heat.patrol_interval_h",
            )
        w = self.risk_weights
        if set(w) - set(RISK_COMPONENTS) or any(not _is_num(v) or v < 0 for v in w.values()) or sum(w.values()) <= 0:
            raise HeatGISError(
                Text(
                    "heat.risk_weights must give non-negative weights to: {names}",
                    "heat.risk_weights 须为以下各项给出非负权重：{names}",
                    names=", ".join(RISK_COMPONENTS),
                ),
                _RISK_WEIGHTS_FIX,
                field="heat.risk_weights",
            )

    def to_dict(self) -> dict:
        return {
            "design_outdoor_c": self.design_outdoor_c,
            "indoor_c": self.indoor_c,
            "lockdown_uplift": self.lockdown_uplift,
            "boiler_room_w_m2": self.boiler_room_w_m2,
            "fit_min_points": self.fit_min_points,
            "fit_min_r2": self.fit_min_r2,
            "patrol_interval_h": [[t, h] for t, h in self.patrol_interval],
            "risk_weights": dict(self.risk_weights),
        }

    @classmethod
    def from_dict(cls, doc, file=None) -> HeatRules:
        """The ``heat`` section; missing keys keep their defaults.

        Raises
        ------
        HeatGISError
            Unknown keys, wrong types or impossible values, naming the key.
        """
        if not isinstance(doc, dict):
            raise HeatGISError(
                Text("'heat' must be an object", "'heat' 须为一个对象（{…}）"),
                Text('write "heat": {"design_outdoor_c": -17, ...}', '写 "heat": {"design_outdoor_c": -17, ...}'),
                file=file,
                field="heat",
            )
        check_keys(doc, cls.KEYS, "heat.", file)
        kw: dict = {}
        for key in ("design_outdoor_c", "indoor_c", "lockdown_uplift", "boiler_room_w_m2", "fit_min_r2"):
            if key in doc:
                if not _is_num(doc[key]):
                    raise HeatGISError(
                        Text(
                            "'heat.{key}' is {value!r}, not a number",
                            "'heat.{key}' 为 {value!r}，不是数字",
                            key=key,
                            value=doc[key],
                        ),
                        Text("write a number for 'heat.{key}'", "为 'heat.{key}' 填写数字", key=key),
                        file=file,
                        field=f"heat.{key}",
                    )
                kw[key] = float(doc[key])
        if "fit_min_points" in doc:
            kw["fit_min_points"] = _int(doc["fit_min_points"], "heat.fit_min_points", file, 3)
        if "patrol_interval_h" in doc:
            v = doc["patrol_interval_h"]
            if not isinstance(v, list) or not all(isinstance(p, list) for p in v):
                raise HeatGISError(
                    Text(
                        "'heat.patrol_interval_h' must be a list of [outdoor °C, hours]",
                        "'heat.patrol_interval_h' 须为 [室外温度 °C, 小时数] 的列表",
                    ),
                    Text(
                        'write e.g. "patrol_interval_h": [[0, 12], [-15, 4]]',
                        '例如写 "patrol_interval_h": [[0, 12], [-15, 4]]',
                    ),
                    file=file,
                    field="heat.patrol_interval_h",
                )
            kw["patrol_interval"] = tuple(tuple(p) for p in v)
        if "risk_weights" in doc:
            v = doc["risk_weights"]
            if not isinstance(v, dict):
                raise HeatGISError(
                    Text("'heat.risk_weights' must be an object", "'heat.risk_weights' 须为一个对象（{…}）"),
                    _RISK_WEIGHTS_FIX,
                    file=file,
                    field="heat.risk_weights",
                )
            kw["risk_weights"] = {**cls().risk_weights, **v}
        try:
            return cls(**kw)
        except HeatGISError as exc:
            raise HeatGISError(exc.problem.message, exc.problem.fix, file=file, field=exc.problem.field) from None
