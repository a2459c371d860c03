"""The balance per network and per boiler room of :func:`heatgis.analysis.heat.heat_balance`.

Demand (the stations of a network, plus a feeding boiler room's own load) against the capacity
of its heat sources, hour by hour, and the tables at the coldest hour (``NETWORK_COLUMNS``,
``BOILER_COLUMNS``); the meaning is told in :mod:`heatgis.analysis.heat`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from heatgis.errors import Problem
from heatgis.text import Text

NETWORK_COLUMNS = [
    "network_id",
    "kind",
    "stations",
    "capacity_mw",
    "demand_mw",
    "margin_mw",
    "margin_pct",
    "peak_demand_mw",
    "min_margin_mw",
    "hours_in_deficit",
    "first_deficit",
]
BOILER_COLUMNS = [
    "asset_id",
    "name",
    "households",
    "capacity_mw",
    "own_mw",
    "fed_mw",
    "demand_mw",
    "margin_mw",
    "margin_pct",
    "hours_in_deficit",
    "first_deficit",
    "locked",
]
HOURLY_COLUMNS = ["time", "network_id", "outdoor_c", "demand_mw", "capacity_mw", "margin_mw", "deficit"]


def _group(keys: np.ndarray):
    """Sorted unique keys, the column order that groups them and the group starts (for reduceat)."""
    order = np.argsort(keys, kind="stable")
    k = keys[order]
    starts = np.flatnonzero(np.r_[True, k[1:] != k[:-1]]) if len(k) else np.array([], int)
    return k[starts], order, starts


def _balance(project, st, br, load, own, hrs, tout, notes, file):
    """Per network and hour: demand (stations + a feeding boiler room's own load) vs capacity."""
    H = len(hrs)
    hs = project.layer("heat_sources")
    cap, kind = {}, {}
    if len(hs):
        for nid, c, k in zip(
            hs["network_id"].astype(str), pd.to_numeric(hs["capacity_mw"], errors="coerce"), hs["kind"].astype(str)
        ):
            cap[nid] = cap.get(nid, 0.0) + (0.0 if pd.isna(c) else float(c))
            kind.setdefault(nid, k)
    br_pos = {a: i for i, a in enumerate(br["asset_id"])}
    keys = st["network_id"].to_numpy(dtype=object).astype(str)
    names, order, starts = _group(keys)
    demand = np.add.reduceat(load[:, order], starts, axis=1) if len(starts) else np.zeros((H, 0))
    counts = np.diff(np.r_[starts, len(keys)])
    nets = list(names)
    extra = [n for n in cap if n not in set(nets)]  # sources with no station
    nets += extra
    demand = np.hstack([demand, np.zeros((H, len(extra)))])
    counts = np.r_[counts, np.zeros(len(extra), int)]
    capacity = np.full(len(nets), np.nan)
    kinds = []
    for j, n in enumerate(nets):
        if n in cap:
            capacity[j] = cap[n]
            kinds.append(kind[n])
        elif n in br_pos:
            b = br_pos[n]
            capacity[j] = br["capacity_mw"].iloc[b]
            demand[:, j] += own[:, b]
            kinds.append("boiler_room")
        else:
            kinds.append("")
            if counts[j]:
                notes.append(
                    Problem(
                        Text(
                            "{n} station(s) on network '{net}' have no heat source or boiler room with a capacity",
                            "管网 '{net}' 上的 {n} 座换热站没有标明供热能力的热源或锅炉房",
                            n=int(counts[j]),
                            net=n or Text("(none)", "（无）"),
                        ),
                        Text(
                            "give the network's heat source (network_id, capacity_mw) "
                            "or correct the stations' network_id",
                            "补充该管网的热源（network_id、capacity_mw），或改正换热站的 network_id",
                        ),
                        file,
                        "stations",
                        field="network_id",
                        severity="warning",
                    )
                )
    dem_mw = demand / 1000.0
    margin = capacity[None, :] - dem_mw
    deficit = margin < 0
    networks = pd.DataFrame(
        {"network_id": nets, "kind": kinds, "stations": counts.astype(int), "capacity_mw": capacity}
    )
    networks.attrs["demand"], networks.attrs["deficit"] = dem_mw, deficit
    hourly = pd.DataFrame(
        {
            "time": np.repeat(hrs.to_numpy(), len(nets)),
            "network_id": np.tile(np.array(nets, dtype=object), H),
            "outdoor_c": np.repeat(tout, len(nets)),
            "demand_mw": _r3(dem_mw.ravel()),
            "capacity_mw": np.tile(capacity, H),
            "margin_mw": _r3(margin.ravel()),
            "deficit": deficit.ravel(),
        }
    )
    # boiler rooms: their own load plus the stations they feed
    fed = np.zeros((H, len(br)))
    for j, n in enumerate(nets):
        if n in br_pos and j < len(names):
            fed[:, br_pos[n]] = dem_mw[:, j] * 1000.0 - own[:, br_pos[n]]
    boilers = br[["asset_id", "name", "households", "capacity_mw"]].copy()
    boilers.attrs["own"], boilers.attrs["fed"] = own / 1000.0, fed / 1000.0
    return networks, hourly, boilers


def _first(deficit: np.ndarray, hrs: pd.DatetimeIndex) -> list:
    """The first hour in deficit of each column (ISO text), None when there is none."""
    return [f"{hrs[int(np.argmax(d))]:%Y-%m-%dT%H:%M}" if d.any() else None for d in deficit.T]


def _pct(cap, dem):
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.round(np.where(cap > 0, (cap - dem) / cap * 100.0, np.nan), 1)


def _at_coldest(networks: pd.DataFrame, hrs: pd.DatetimeIndex, k: int) -> pd.DataFrame:
    dem, deficit = networks.attrs.pop("demand"), networks.attrs.pop("deficit")
    cap = networks["capacity_mw"].to_numpy(float)
    cols = {c: networks[c].to_numpy() for c in ("network_id", "kind", "stations", "capacity_mw")}
    cols.update(
        demand_mw=_r3(dem[k]),
        margin_mw=_r3(cap - dem[k]),
        margin_pct=_pct(cap, dem[k]),
        peak_demand_mw=_r3(dem.max(axis=0)),
        min_margin_mw=_r3((cap[None, :] - dem).min(axis=0)),
        hours_in_deficit=deficit.sum(axis=0).astype(int),
        first_deficit=_first(deficit, hrs),
    )
    order = np.lexsort((cols["network_id"].astype(str), -np.nan_to_num(cap, nan=-np.inf)))
    return pd.DataFrame(
        {c: cols[c][order] if isinstance(cols[c], np.ndarray) else [cols[c][i] for i in order] for c in NETWORK_COLUMNS}
    )


def _at_coldest_br(boilers: pd.DataFrame, hrs: pd.DatetimeIndex, k: int) -> pd.DataFrame:
    own, fed = boilers.attrs.pop("own"), boilers.attrs.pop("fed")
    dem = own + fed
    cap = boilers["capacity_mw"].to_numpy(float)
    deficit = dem > cap[None, :]
    cols = {c: boilers[c].to_numpy() for c in ("asset_id", "name", "households", "capacity_mw", "locked")}
    cols.update(
        own_mw=_r3(own[k]),
        fed_mw=_r3(fed[k]),
        demand_mw=_r3(dem[k]),
        margin_mw=_r3(cap - dem[k]),
        margin_pct=_pct(cap, dem[k]),
        hours_in_deficit=deficit.sum(axis=0).astype(int),
        first_deficit=np.array(_first(deficit, hrs), dtype=object),
    )
    order = np.lexsort((cols["asset_id"].astype(str), np.nan_to_num(cols["margin_pct"], nan=np.inf)))
    return pd.DataFrame({c: cols[c][order] for c in BOILER_COLUMNS})


def _r3(v):
    """MW and kW figures to 3 decimals: the one rounding shared by the CLI, the workbook and the slides."""
    return np.round(np.asarray(v, dtype=float), 3) if np.ndim(v) else round(float(v), 3)
