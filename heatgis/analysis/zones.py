"""Lockdown zones as arrays: which are active at a time, which lock sites.

A zone is active at t when start <= t < end (end empty = still active). It locks
the sites and staff homes in or on it when it is active and its level is sealed
or controlled.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from heatgis.model.schema import to_datetime
from heatgis.model.vocab import LOCKING_LEVELS


@dataclass
class ZoneArrays:
    ids: np.ndarray
    names: np.ndarray
    levels: np.ndarray
    start: np.ndarray  # datetime64[ms], NaT = never started
    end: np.ndarray  # datetime64[ms], NaT = open-ended
    geoms: np.ndarray

    @classmethod
    def from_frame(cls, zones) -> ZoneArrays:
        n = len(zones)
        if n == 0:
            e = np.array([], dtype=object)
            t = np.array([], dtype="datetime64[ms]")
            return cls(e, e, e, t, t, e)

        def text(col, default=""):
            if col in zones.columns:
                c = zones[col]
                return np.where(c.isna().to_numpy(), default, c.astype(str).to_numpy()).astype(object)
            return np.full(n, default, dtype=object)

        start = to_datetime(zones["start"]) if "start" in zones.columns else pd.Series([pd.NaT] * n)
        end = to_datetime(zones["end"]) if "end" in zones.columns else pd.Series([pd.NaT] * n)
        return cls(
            text("zone_id"),
            text("name"),
            text("level"),
            start.to_numpy(dtype="datetime64[ms]"),
            end.to_numpy(dtype="datetime64[ms]"),
            np.asarray(zones.geometry.values),
        )

    def __len__(self) -> int:
        return len(self.ids)

    def active(self, at) -> np.ndarray:
        return active_mask(self.start, self.end, at)

    def locking(self) -> np.ndarray:
        return np.isin(self.levels, LOCKING_LEVELS)


def active_mask(start: np.ndarray, end: np.ndarray, at) -> np.ndarray:
    """start <= at < end, with a missing end meaning still active and a missing start never."""
    t = np.datetime64(pd.Timestamp(at).to_datetime64(), "ms")
    started = ~np.isnat(start) & (start <= t)
    not_ended = np.isnat(end) | (t < end)
    return started & not_ended
