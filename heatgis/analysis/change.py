"""What changed between two times (较昨日): the headline figures then and now, new and lifted zones.

``change_since(project, at, since)`` computes both moments with the same ImpactEngine (from the
zones' own start/end times: no snapshot is needed) and returns a :class:`Change` that the
reports, the deck and the panels show beside each figure (``+3``, ``−12.40 万㎡``).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

#: the figures compared, in display order
KEYS = ("sites", "stations", "boiler_rooms", "heated_area_m2", "households", "staff_locked_in", "zones_active")

ZONE_COLUMNS = [
    "zone_id",
    "name",
    "level",
    "start",
    "end",
    "stations",
    "boiler_rooms",
    "heated_area_m2",
    "households",
    "staff_locked_in",
]


@dataclass
class Change:
    """The figures at ``since`` and at ``at``, and the zones that began or ended in between.

    Attributes
    ----------
    at, since : Timestamp
    now, before : dict
        ``KEYS`` → value at ``at`` and at ``since``.
    new_zones : DataFrame
        Zones active at ``at`` but not at ``since`` (``ZONE_COLUMNS``; the figures at ``at``),
        most households first.
    lifted_zones : DataFrame
        Zones active at ``since`` but not at ``at`` (the figures they had at ``since``).
    basis : str
        What ``since`` is: ``"24h"`` (the default, a day earlier), ``"published"`` (the last
        published report) or ``"time"`` (a time the caller chose).
    """

    at: pd.Timestamp
    since: pd.Timestamp
    now: dict
    before: dict
    new_zones: pd.DataFrame
    lifted_zones: pd.DataFrame
    basis: str = "24h"

    def delta(self, key: str):
        """``now[key] - before[key]``."""
        return self.now[key] - self.before[key]

    @property
    def changed(self) -> bool:
        """Anything moved: a figure, or a zone began or ended."""
        return bool(len(self.new_zones) or len(self.lifted_zones) or any(self.delta(k) for k in KEYS))

    def label(self, lang: str = "zh") -> str:
        """较昨日 / 较 02-24 08:00 (and the English)."""
        from heatgis.model.vocab import change_label

        day_before = self.basis == "24h" and self.at - self.since == pd.Timedelta(hours=24)
        return change_label(lang, None if day_before else self.since)

    def to_dict(self) -> dict:
        def zones(f):
            return [
                {
                    "zone_id": str(r.zone_id),
                    "name": str(r.name),
                    "level": str(r.level),
                    "households": int(r.households),
                    "heated_area_m2": float(r.heated_area_m2),
                }
                for r in f.itertuples()
            ]

        return {
            "at": self.at.isoformat(timespec="minutes"),
            "since": self.since.isoformat(timespec="minutes"),
            "basis": self.basis,
            "now": self.now,
            "before": self.before,
            "delta": {k: self.delta(k) for k in KEYS},
            "new_zones": zones(self.new_zones),
            "lifted_zones": zones(self.lifted_zones),
        }


def figures(result) -> dict:
    """``KEYS`` of an ImpactResult (or of its ImpactTotals) as plain numbers."""
    t = getattr(result, "totals", result)
    return {
        "sites": int(t.stations + t.boiler_rooms),
        "stations": int(t.stations),
        "boiler_rooms": int(t.boiler_rooms),
        "heated_area_m2": float(t.heated_area_m2),
        "households": int(t.households),
        "staff_locked_in": int(t.staff_locked_in),
        "zones_active": int(t.zones_active),
    }


def change_since(project, at, since=None, *, engine=None, result=None, zones=None, basis: str | None = None) -> Change:
    """The change of the headline figures from ``since`` to ``at``.

    Parameters
    ----------
    project : Project
    at : str or Timestamp
    since : str or Timestamp, optional
        The earlier time (default: 24 hours before ``at``).
    engine : ImpactEngine, optional
        Reused when given (built otherwise).
    result : ImpactResult, optional
        The figures at ``at`` when the caller has them.
    zones : GeoDataFrame, optional
        The lockdown zones (default the project's).
    basis : str, optional
        Stored on the Change (default ``"24h"`` without ``since``, else ``"time"``).

    Returns
    -------
    Change
    """
    from heatgis.analysis.impact import ImpactEngine
    from heatgis.model.project import parse_time

    at = parse_time(at)
    before_at = at - pd.Timedelta(hours=24) if since is None else parse_time(since)
    engine = engine if engine is not None else ImpactEngine(project)
    zones = zones if zones is not None else project.layer("lockdown_zones")
    now = result if result is not None else engine.compute(zones, at)
    before = engine.compute(zones, before_at)
    ids_now, ids_before = set(now.zones["zone_id"]), set(before.zones["zone_id"])
    new = _zone_rows(now.zones[~now.zones["zone_id"].isin(ids_before)])
    lifted = _zone_rows(before.zones[~before.zones["zone_id"].isin(ids_now)])
    return Change(
        at=at,
        since=before_at,
        now=figures(now),
        before=figures(before),
        new_zones=new,
        lifted_zones=lifted,
        basis=basis or ("24h" if since is None else "time"),
    )


def change_of(at, since, now, before, new_zones, lifted_zones, basis: str = "24h", ordered: bool = False) -> Change:
    """A :class:`Change` from figures a caller already has (the GUI's live session: now and its ``totals_at``).

    Parameters
    ----------
    at, since : Timestamp
    now, before : ImpactTotals or ImpactResult
        The figures at ``at`` and at ``since``.
    new_zones, lifted_zones : DataFrame
        The zones that began / ended in between (``ZONE_COLUMNS``, any order).
    basis : str
    ordered : bool
        The zone frames are already ``ZONE_COLUMNS`` with datetime start/end, most households first
        (then taken as they are: a caller that keeps them saves the work per call).

    Returns
    -------
    Change
        As :func:`change_since` gives it for the same zones and times.
    """
    return Change(
        at=pd.Timestamp(at),
        since=pd.Timestamp(since),
        now=figures(now),
        before=figures(before),
        new_zones=new_zones if ordered else _zone_rows(new_zones),
        lifted_zones=lifted_zones if ordered else _zone_rows(lifted_zones),
        basis=basis,
    )


def _zone_rows(z: pd.DataFrame) -> pd.DataFrame:
    z = z[[c for c in ZONE_COLUMNS if c in z.columns]].copy()
    for c in ("start", "end"):  # ImpactResult.zones holds them as ISO text
        if c in z.columns:
            z[c] = pd.to_datetime(z[c], errors="coerce")
    return z.sort_values(["households", "zone_id"], ascending=[False, True], kind="stable").reset_index(drop=True)


def signed(value, kind: str = "count") -> str:
    """A change as the planner reads it: ``+3``, ``−12.40`` (万), ``±0``."""
    from heatgis.model.vocab import fmt_wan

    if not value:
        return "±0"
    sign = "+" if value > 0 else "−"
    if kind == "wan":
        return f"{sign}{fmt_wan(abs(value))}"
    return f"{sign}{abs(int(value)):,}"
