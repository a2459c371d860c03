"""The live impact for an editor: ``ImpactSession``, made by ``ImpactEngine.session(zones, at)``.

One zone changes, the others are not queried again (the GUI's live path); the definitions are
those of :mod:`heatgis.analysis.impact`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from heatgis.analysis.zones import ZoneArrays, active_mask
from heatgis.model.project import parse_time
from heatgis.model.vocab import LOCKING_LEVELS

if TYPE_CHECKING:
    from heatgis.analysis.impact import ImpactEngine, ImpactResult, ImpactTotals


class ImpactSession:
    """Live impact for an editor: one zone changes, the others are not queried again.

    Keeps, for each zone, the sites and staff homes in it, and per site/staff the
    number of active locking zones covering it; an edit moves one zone's
    contribution. ``totals()`` is the per-frame call; ``result()`` the full report.
    """

    def __init__(self, engine: ImpactEngine, zones, at):
        self.engine = engine
        self.at = parse_time(at)
        self.site_count = np.zeros(len(engine.sites), np.int32)
        self.staff_count = np.zeros(len(engine.staff), np.int32)
        self._zones: dict[str, dict] = {}
        self.n_active = self.n_locking = 0
        self._frame = zones
        z = ZoneArrays.from_frame(zones)
        zi, si = engine.sites.query(z.geoms)
        s_order = np.argsort(zi, kind="stable")
        zi, si = zi[s_order], si[s_order]
        fi, fs = engine.staff.query(z.geoms)
        s_split = np.split(si, np.searchsorted(zi, np.arange(1, len(z)))) if len(z) else []
        f_order = np.argsort(fi, kind="stable")
        fi, fs = fi[f_order], fs[f_order]
        f_split = np.split(fs, np.searchsorted(fi, np.arange(1, len(z)))) if len(z) else []
        for k in range(len(z)):
            rec = {
                "name": z.names[k],
                "level": z.levels[k],
                "start": z.start[k],
                "end": z.end[k],
                "geometry": z.geoms[k],
                "sites": np.sort(s_split[k]),
                "staff": np.sort(f_split[k]),
            }
            self._zones[str(z.ids[k])] = rec
            self._apply(rec, +1)

    def _apply(self, rec, sign) -> None:
        """Add (+1) or take away (-1) one zone's contribution at the session's time."""
        if sign > 0:
            active = bool(active_mask(np.array([rec["start"]]), np.array([rec["end"]]), self.at)[0])
            rec["active"], rec["locks"] = active, active and rec["level"] in LOCKING_LEVELS
        self.n_active += sign * rec["active"]
        self.n_locking += sign * rec["locks"]
        if rec["locks"]:
            np.add.at(self.site_count, rec["sites"], sign)
            np.add.at(self.staff_count, rec["staff"], sign)

    def upsert_zone(self, zone_id: str, geometry, level: str, start, end=None, name: str = "") -> None:
        """Add or change one zone; only its own geometry is queried."""
        old = self._zones.get(zone_id)
        if old is not None:
            self._apply(old, -1)
        start = np.datetime64(parse_time(start).to_datetime64(), "ms")
        end = (
            np.datetime64("NaT", "ms")
            if end is None or (not isinstance(end, str) and pd.isna(end))
            else np.datetime64(parse_time(end).to_datetime64(), "ms")
        )
        rec = {
            "name": name,
            "level": level,
            "start": start,
            "end": end,
            "geometry": geometry,
            "sites": self.engine.sites.query_one(geometry),
            "staff": self.engine.staff.query_one(geometry),
        }
        self._zones[zone_id] = rec
        self._apply(rec, +1)
        self._frame = None

    def remove_zone(self, zone_id: str) -> None:
        rec = self._zones.pop(zone_id, None)
        if rec is not None:
            self._apply(rec, -1)
            self._frame = None

    def set_time(self, at) -> None:
        """Move the clock; memberships are reused, no geometry is queried.

        One ``active_mask`` over every zone and one ``bincount`` over the members of the
        locking ones (not a zone-by-zone update: thousands of zones on the 10x city)."""
        self.at = parse_time(at)
        recs = list(self._zones.values())
        if not recs:
            self.site_count[:] = 0
            self.staff_count[:] = 0
            self.n_active = self.n_locking = 0
            return
        start = np.array([r["start"] for r in recs], dtype="datetime64[ms]")
        end = np.array([r["end"] for r in recs], dtype="datetime64[ms]")
        active = active_mask(start, end, self.at)
        sites, staff = [], []
        for rec, a in zip(recs, active.tolist()):
            rec["active"], rec["locks"] = a, a and rec["level"] in LOCKING_LEVELS
            if rec["locks"]:
                sites.append(rec["sites"])
                staff.append(rec["staff"])
        self.n_active = int(active.sum())
        self.n_locking = len(sites)
        self.site_count[:] = _counts(sites, len(self.site_count))
        self.staff_count[:] = _counts(staff, len(self.staff_count))

    def totals_at(self, at) -> ImpactTotals:
        """The totals at another time from the same zones, the clock not moved: what a second session
        moved to ``at`` would give (the app's figures 24 h earlier, 较昨日), at the cost of its
        ``set_time`` and nothing to keep up on every edit."""
        at = parse_time(at)
        recs = list(self._zones.values())
        start = np.array([r["start"] for r in recs], dtype="datetime64[ms]")
        end = np.array([r["end"] for r in recs], dtype="datetime64[ms]")
        active = active_mask(start, end, at)
        locks = [r for r, a in zip(recs, active.tolist()) if a and r["level"] in LOCKING_LEVELS]
        locked = _counts([r["sites"] for r in locks], len(self.site_count)) > 0
        staff_n = int((_counts([r["staff"] for r in locks], len(self.staff_count)) > 0).sum())
        return self.engine._totals(at, locked, staff_n, int(active.sum()), len(locks))

    def members(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Per zone id: the positions of the sites and of the staff homes inside it (sorted), as
        queried once when the zone came in."""
        return {zid: (rec["sites"], rec["staff"]) for zid, rec in self._zones.items()}

    def preview(self, geometry, level: str = "sealed", replace: str | None = None) -> ImpactTotals:
        """The totals if a zone of ``geometry`` and ``level``, active at the session's time, were
        added (or took the place of zone ``replace``, keeping its times), without changing the session: the figures
        that follow the pointer while a zone is drawn or its vertex dragged.

        Costs one query of ``geometry`` and a pass over the sites' counts (no copy of the zones).
        """
        site_count, staff_count = self.site_count, self.staff_count
        n_active, n_locking = self.n_active, self.n_locking
        old = self._zones.get(replace) if replace is not None else None
        active = True if old is None else bool(old["active"])  # an edited zone keeps its times
        locks = active and level in LOCKING_LEVELS
        if old is not None and old["locks"]:
            site_count, staff_count = site_count.copy(), staff_count.copy()
            np.subtract.at(site_count, old["sites"], 1)
            np.subtract.at(staff_count, old["staff"], 1)
        if old is not None:
            n_active -= old["active"]
            n_locking -= old["locks"]
        locked = site_count > 0
        staff_locked = staff_count > 0
        if locks and geometry is not None and not geometry.is_empty:
            locked[self.engine.sites.query_one(geometry)] = True
            staff_locked[self.engine.staff.query_one(geometry)] = True
        return self.engine._totals(
            self.at, locked, int(staff_locked.sum()), n_active + int(active), n_locking + int(locks)
        )

    @property
    def locked(self) -> np.ndarray:
        """Boolean mask over ``engine.sites.frame``."""
        return self.site_count > 0

    def totals(self) -> ImpactTotals:
        return self.engine._totals(
            self.at, self.locked, int((self.staff_count > 0).sum()), self.n_active, self.n_locking
        )

    def zones_frame(self):
        """The session's zones as a lockdown_zones frame."""
        import geopandas as gpd

        if self._frame is not None:
            return self._frame
        ids = list(self._zones)
        recs = [self._zones[i] for i in ids]
        self._frame = gpd.GeoDataFrame(
            {
                "zone_id": ids,
                "name": [r["name"] for r in recs],
                "level": [r["level"] for r in recs],
                "start": pd.Series([r["start"] for r in recs], dtype="datetime64[ms]"),
                "end": pd.Series([r["end"] for r in recs], dtype="datetime64[ms]"),
            },
            geometry=[r["geometry"] for r in recs],
        )
        return self._frame

    def result(self) -> ImpactResult:
        return self.engine.compute(self.zones_frame(), self.at)


def _counts(parts: list, n: int) -> np.ndarray:
    """How many of ``parts`` (arrays of positions below ``n``) hold each position."""
    if not parts:
        return np.zeros(n, np.int32)
    return np.bincount(np.concatenate(parts).astype(np.intp, copy=False), minlength=n)
