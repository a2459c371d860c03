"""The lockdown impact: which sites are locked at a time t, and what that means.

Definitions (ARCHITECTURE.md, one meaning everywhere):

- a zone is active at t when start <= t < end (end empty = still active);
- a site (station or boiler room) is locked at t when it lies within or on an
  active zone whose level is sealed or controlled; overlapping zones never count
  a site twice;
- affected heated area / households are the sums over locked sites; compounds
  inside zones served by sites outside them, and stations downstream of a locked
  heat source or boiler room, are reported beside it, never added into it;
- staff are locked in when their home is in an active sealed or controlled zone.

``ImpactEngine(project)`` indexes the project once; ``engine.compute(zones, at)``
gives an ``ImpactResult``; ``engine.session(zones, at)`` gives an
``ImpactSession`` that updates the totals for one edited zone without redoing
the others (the GUI's live path). ``impact(project, at)`` is the one-call form.
"""

from __future__ import annotations

import gc
import threading
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd
import shapely

from heatgis.analysis.impact_session import ImpactSession
from heatgis.analysis.network import PipeNetwork
from heatgis.analysis.sites import PointIndex, site_frame
from heatgis.analysis.zones import ZoneArrays
from heatgis.model.project import parse_time
from heatgis.text import Text

SITE_COLUMNS = [
    "kind",
    "id",
    "name",
    "zone_ids",
    "heated_area_m2",
    "households",
    "network_id",
    "depot_id",
    "district",
    "compound_id",
]


@dataclass
class ImpactTotals:
    """The headline figures, cheap to recompute on every edit."""

    at: pd.Timestamp
    stations: int
    boiler_rooms: int
    heated_area_m2: float
    households: int
    staff_locked_in: int
    zones_active: int
    zones_locking: int


@dataclass
class ImpactResult:
    """Everything the impact panel, the CLI and the reports show for one moment."""

    totals: ImpactTotals
    sites: pd.DataFrame  # the locked sites, SITE_COLUMNS
    zones: pd.DataFrame  # one row per active zone
    staff: pd.DataFrame  # staff locked in
    downstream: pd.DataFrame  # stations downstream of a locked heat source / boiler room
    served_inside: pd.DataFrame  # compounds in locking zones heated from a site outside them
    heat_sources: pd.DataFrame  # heat sources inside locking zones
    network: dict  # totals of the whole network (not only the locked part)
    crews: dict = field(default_factory=dict)
    scenario: str = ""

    @property
    def at(self) -> pd.Timestamp:
        return self.totals.at

    # breakdowns are derived from the locked sites on first use (the live path never needs them)
    @cached_property
    def by_district(self) -> pd.DataFrame:
        return _breakdown(self.sites, "district")

    @cached_property
    def by_network(self) -> pd.DataFrame:
        return _breakdown(self.sites, "network_id")

    @cached_property
    def by_depot(self) -> pd.DataFrame:
        return _breakdown(self.sites, "depot_id")

    def to_dict(self, records=None) -> dict:
        """The stable JSON shape read by other tools.

        ``records(frame)`` stands for each table (default: its rows as dicts); the streaming writer
        (:mod:`heatgis.cli.tableout`) puts a placeholder there and writes the rows itself.
        """
        rows = _records if records is None else records
        t = self.totals
        return {
            "at": t.at.isoformat(timespec="minutes"),
            "scenario": self.scenario,
            "locked": {
                "stations": t.stations,
                "boiler_rooms": t.boiler_rooms,
                "heated_area_m2": _num(t.heated_area_m2),
                "households": t.households,
                "heat_sources": len(self.heat_sources),
            },
            "staff_locked_in": t.staff_locked_in,
            "crews": self.crews,
            "network": self.network,
            "zones": rows(self.zones),
            "sites": rows(self.sites),
            "by_district": rows(self.by_district),
            "by_network": rows(self.by_network),
            "by_depot": rows(self.by_depot),
            "downstream": rows(self.downstream),
            "served_inside": rows(self.served_inside),
        }


class ImpactEngine:
    """A project indexed for impact queries (build once, query many times).

    Parameters
    ----------
    project : heatgis.model.project.Project
        Only stations/boiler rooms are needed; staff, compounds, heat sources,
        pipes, districts, depots and crews add their parts of the answer.
    """

    def __init__(self, project):
        self.scenario = project.name
        sites, geoms = site_frame(project)
        self.sites = PointIndex(sites, geoms, shapely.STRtree(geoms))
        self.is_station = (sites["kind"] == "station").to_numpy()
        self.area = sites["heated_area_m2"].to_numpy(dtype=float)
        self.households = sites["households"].to_numpy(dtype=np.int64)
        self.staff = PointIndex.from_frame(
            project.layer("staff"), ["staff_id", "name", "role", "depot_id", "assigned_site"]
        )
        comp = project.layer("compounds")
        reps = shapely.point_on_surface(np.asarray(comp.geometry.values)) if len(comp) else np.array([], dtype=object)
        self.compounds = PointIndex.from_frame(
            comp, ["compound_id", "name", "district", "households", "served_by"], geoms=reps
        )
        self.sources = PointIndex.from_frame(project.layer("heat_sources"), ["source_id", "name", "kind", "network_id"])
        self.pipes = PipeNetwork(project.layer("pipes"))
        served = (
            self.compounds.frame["served_by"]
            if "served_by" in self.compounds.frame.columns
            else pd.Series([None] * len(self.compounds), dtype=object)
        )
        # position of each compound's serving site (-1: none or unknown), by hashing, not a dict
        pos = pd.Series(np.arange(len(sites)), index=sites["id"].astype(str).to_numpy())
        pos = pos[~pos.index.duplicated(keep="last")]  # duplicate ids: validate reports them
        keys = served.astype(object).where(served.notna(), "\x00none").astype(str).to_numpy()
        self.compound_server = pos.reindex(keys).fillna(-1).to_numpy(dtype=np.int64)
        self._site_ids = sites["id"]
        self.network = _network_totals(project, sites)
        self.crews = _crew_totals(project)

    # ------------------------------------------------------------------ queries
    def compute(self, zones, at) -> ImpactResult:
        """The full impact of ``zones`` (a lockdown_zones frame) at time ``at``."""
        at = parse_time(at)
        z = ZoneArrays.from_frame(zones)
        active = z.active(at)
        locking = active & z.locking()
        act_idx = np.flatnonzero(active)
        zi, si = self.sites.query(z.geoms[act_idx])
        zi = act_idx[zi]
        lock_pair = locking[zi]
        locked = np.zeros(len(self.sites), bool)
        locked[si[lock_pair]] = True
        lzi = np.flatnonzero(locking)
        szi, sti = self.staff.query(z.geoms[lzi])
        staff_locked = np.unique(sti)
        totals = self._totals(at, locked, len(staff_locked), int(active.sum()), len(lzi))
        sites = self._site_table(locked, zi[lock_pair], si[lock_pair], z.ids)
        zone_table = self._zone_table(z, act_idx, zi, si, lzi[szi], locking)
        staff = self.staff.frame.iloc[staff_locked].reset_index(drop=True)
        staff = staff.assign(zone_ids=_group_ids(lzi[szi], sti, z.ids, staff_locked))
        hs_z, hs_i = self.sources.query(z.geoms[lzi])
        hs_locked = np.unique(hs_i)
        heat_sources = self.sources.frame.iloc[hs_locked].reset_index(drop=True)
        heat_sources = heat_sources.assign(zone_ids=_group_ids(lzi[hs_z], hs_i, z.ids, hs_locked))
        return ImpactResult(
            totals=totals,
            sites=sites,
            zones=zone_table,
            staff=staff,
            downstream=self._downstream(sites, heat_sources, locked),
            served_inside=self._served_inside(z, lzi, zi[lock_pair], si[lock_pair]),
            heat_sources=heat_sources,
            network=self.network,
            crews=self.crews,
            scenario=self.scenario,
        )

    def session(self, zones, at) -> ImpactSession:
        return ImpactSession(self, zones, at)

    # ------------------------------------------------------------------ parts
    def _totals(self, at, locked, staff_n, n_active, n_locking) -> ImpactTotals:
        return ImpactTotals(
            at=at,
            stations=int((locked & self.is_station).sum()),
            boiler_rooms=int((locked & ~self.is_station).sum()),
            heated_area_m2=float(self.area[locked].sum()),
            households=int(self.households[locked].sum()),
            staff_locked_in=int(staff_n),
            zones_active=n_active,
            zones_locking=n_locking,
        )

    def _site_table(self, locked, zi, si, zone_ids) -> pd.DataFrame:
        idx = np.flatnonzero(locked)
        sites = self.sites.frame.iloc[idx].reset_index(drop=True)
        sites["zone_ids"] = _group_ids(zi, si, zone_ids, idx)
        return sites[SITE_COLUMNS]

    def _zone_table(self, z, act_idx, zi, si, staff_zi, locking) -> pd.DataFrame:
        n = len(z)
        st = np.bincount(zi, weights=self.is_station[si], minlength=n)
        br = np.bincount(zi, weights=~self.is_station[si], minlength=n)
        area = np.bincount(zi, weights=self.area[si], minlength=n)
        hh = np.bincount(zi, weights=self.households[si], minlength=n)
        staff = np.bincount(staff_zi, minlength=n)
        a = act_idx
        return pd.DataFrame(
            {
                "zone_id": z.ids[a],
                "name": z.names[a],
                "level": z.levels[a],
                "locks": locking[a],
                "start": pd.Series(z.start[a]).dt.strftime("%Y-%m-%dT%H:%M").to_numpy(),
                "end": pd.Series(z.end[a]).dt.strftime("%Y-%m-%dT%H:%M").fillna("").to_numpy(),
                "stations": st[a].astype(int),
                "boiler_rooms": br[a].astype(int),
                "heated_area_m2": area[a],
                "households": hh[a].astype(np.int64),
                "staff_locked_in": np.where(locking[a], staff[a], 0).astype(int),
            }
        )

    @cached_property
    def _station_positions(self) -> dict:
        """Station id -> row, built on first use (only pipe tracing needs it)."""
        ids = self._site_ids.tolist()
        return {ids[i]: i for i in np.flatnonzero(self.is_station).tolist()}

    def _downstream(self, sites, heat_sources, locked) -> pd.DataFrame:
        roots = list(sites.loc[sites["kind"] == "boiler_room", "id"]) + list(heat_sources["source_id"])
        reached_from = self.pipes.downstream_many(roots) if roots else {}
        station_pos = self._station_positions if any(reached_from.values()) else {}
        rows = []
        for root, reached in reached_from.items():
            for node in reached:
                i = station_pos.get(node)
                if i is None:
                    continue
                r = self.sites.frame.iloc[i]
                rows.append(
                    {
                        "id": r["id"],
                        "name": r["name"],
                        "network_id": r["network_id"],
                        "upstream_id": root,
                        "heated_area_m2": float(r["heated_area_m2"]),
                        "households": int(r["households"]),
                        "locked": bool(locked[i]),
                    }
                )
        cols = ["id", "name", "network_id", "upstream_id", "heated_area_m2", "households", "locked"]
        return pd.DataFrame(rows, columns=cols)

    def _served_inside(self, z, lzi, lock_zi, lock_si) -> pd.DataFrame:
        cols = ["compound_id", "name", "district", "households", "served_by", "zone_ids"]
        czi, ci = self.compounds.query(z.geoms[lzi])
        if len(ci) == 0:
            return pd.DataFrame(columns=cols)
        czi = lzi[czi]
        server = self.compound_server[ci]
        n_sites = max(len(self.sites), 1)
        inside = np.isin(czi * n_sites + server, lock_zi * n_sites + lock_si) & (server >= 0)
        # a compound is served from outside when its site lies in none of the zones it lies in
        comp_inside = np.zeros(len(self.compounds), bool)
        comp_inside[ci[inside]] = True
        candidates = np.unique(ci[server >= 0])
        outside = candidates[~comp_inside[candidates]]
        out = self.compounds.frame.iloc[outside].reset_index(drop=True)
        out = out.assign(zone_ids=_group_ids(czi, ci, z.ids, outside))
        return out.reindex(columns=cols)


def impact(project, at=None, zones=None) -> ImpactResult:
    """The impact for a project at ``at`` (default: the scenario's reference time).

    Parameters
    ----------
    project : Project
    at : str or Timestamp, optional
    zones : GeoDataFrame, optional
        Defaults to the project's lockdown_zones layer.
    """
    if at is None:
        at = project.reference_time
        if at is None:
            from heatgis.errors import HeatGISError

            raise HeatGISError(
                Text("the project has no reference time", "项目没有参考时间"),
                Text("give the time with --at 2022-02-18T08:00", "用 --at 2022-02-18T08:00 给出时间"),
                file=project.path,
            )
    zones = project.layer("lockdown_zones") if zones is None else zones
    return ImpactEngine(project).compute(zones, at)


# ---------------------------------------------------------------------- helpers


def _group_ids(zi, xi, zone_ids, order) -> list[list[str]]:
    """For each index in ``order``, the sorted zone ids paired with it (pairs ``zi[k], xi[k]``).

    Vectorized: the pairs are ranked and de-duplicated with numpy; only the final
    per-row lists are Python objects.
    """
    order = np.asarray(order, dtype=np.int64)
    if len(order) == 0:
        return []
    zi = np.asarray(zi, dtype=np.int64)
    xi = np.asarray(xi, dtype=np.int64)
    if len(xi) == 0:
        return [[] for _ in range(len(order))]
    pos = np.full(max(int(xi.max()), int(order.max())) + 1, -1, dtype=np.int64)
    pos[order] = np.arange(len(order))
    row = pos[xi]
    keep = row >= 0
    row, zi = row[keep], zi[keep]
    # each zone index -> the rank of its id among the distinct ids (equal ids share a rank)
    distinct, rank = np.unique(np.asarray([str(v) for v in zone_ids]), return_inverse=True)
    n = max(len(distinct), 1)
    key = np.sort(row * n + rank.reshape(-1)[zi])  # sorted by row, then by zone id
    if len(key):  # distinct pairs (np.unique hashes first: ten times slower on 200,000 keys)
        key = key[np.concatenate(([True], key[1:] != key[:-1]))]
    row, zr = np.divmod(key, n)
    labels = distinct[zr].tolist()
    bounds = np.searchsorted(row, np.arange(len(order) + 1)).tolist()
    # hundreds of thousands of new lists, none in a cycle: without the cyclic collector walking
    # them as they pile up (it would take twice as long as making them). Only in the main thread: the
    # collector is one for all threads, and a worker that turned it back on would undo the app's hold
    # on it (``heatgis.gui.workers``) while other workers run.
    collecting = gc.isenabled() and threading.current_thread() is threading.main_thread()
    if collecting:
        gc.disable()
    try:
        return list(map(labels.__getitem__, map(slice, bounds[:-1], bounds[1:])))
    finally:
        if collecting:
            gc.enable()


def _breakdown(sites: pd.DataFrame, by: str) -> pd.DataFrame:
    """Locked sites summed per value of ``by`` (numpy: this runs on every edit)."""
    keys = sites[by].astype(object).where(sites[by].notna(), "").astype(str)
    inv, names = pd.factorize(keys, sort=True)  # hashing, not an object sort
    names = np.asarray(names, dtype=object)
    st = (sites["kind"] == "station").to_numpy()
    n = len(names)
    return pd.DataFrame(
        {
            by: names,
            "stations": np.bincount(inv, weights=st, minlength=n).astype(int),
            "boiler_rooms": np.bincount(inv, weights=~st, minlength=n).astype(int),
            "heated_area_m2": np.bincount(inv, weights=sites["heated_area_m2"].to_numpy(float), minlength=n),
            "households": np.bincount(inv, weights=sites["households"].to_numpy(float), minlength=n).astype(np.int64),
        }
    )


def _network_totals(project, sites: pd.DataFrame) -> dict:
    st = sites["kind"] == "station"
    br = project.layer("boiler_rooms")
    hs = project.layer("heat_sources")
    kinds = hs["kind"].astype(str).value_counts().to_dict() if len(hs) else {}
    networks = hs.groupby(hs["kind"].astype(str))["network_id"].nunique().to_dict() if len(hs) else {}
    return {
        "stations": int(st.sum()),
        "boiler_rooms": int((~st).sum()),
        "boiler_rooms_by_fuel": {str(k): int(v) for k, v in br["fuel"].astype(str).value_counts().sort_index().items()}
        if len(br)
        else {},
        "heat_sources_by_kind": {k: int(kinds.get(k, 0)) for k in ("plant", "chp", "long_distance", "coal_boiler")},
        "networks_by_kind": {k: int(networks.get(k, 0)) for k in ("plant", "chp", "long_distance", "coal_boiler")},
        "heated_area_m2": _num(float(sites["heated_area_m2"].sum())),
        "households": int(sites["households"].sum()),
    }


def _crew_totals(project) -> dict:
    crews = project.layer("crews")
    if not len(crews):
        return {"crews": 0, "members": 0}
    return {"crews": int(len(crews)), "members": int(pd.to_numeric(crews["members"], errors="coerce").fillna(0).sum())}


def _num(v):
    v = float(v)
    return int(round(v)) if abs(v - round(v)) < 1e-6 else round(v, 2)


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as JSON-ready dicts: numpy scalars to Python, NaN/NA to None, whole floats to int.

    Column by column (numpy), so a table of hundreds of thousands of rows costs little more
    than building its dicts.
    """
    cols = [str(c) for c in frame.columns]
    values = [_json_column(frame[c]) for c in frame.columns]
    return [dict(zip(cols, row)) for row in zip(*values)]


def _json_column(col: pd.Series) -> list:
    kind = col.dtype.kind
    if kind == "b":
        return col.astype(bool).tolist()
    if kind in "iu":
        if col.hasnans:  # nullable Int64 with NA
            return [None if v is pd.NA else int(v) for v in col.tolist()]
        return col.astype(np.int64).tolist()
    if kind == "f":
        v = col.to_numpy(dtype=float)
        nan = ~np.isfinite(v)  # NaN, and ±inf (JSON has no infinity): null
        r = np.round(np.where(nan, 0.0, v))
        # whole numbers as integers, but only where a float holds them exactly (|x| < 2**53): a larger
        # one would overflow int64 and come out wrong; it stays a float
        whole = (np.abs(np.where(nan, 0.0, v) - r) < 1e-6) & (np.abs(r) < 2.0**53)
        ints = np.where(whole, r, 0.0).astype(np.int64).astype(object)
        out = np.where(whole, ints, np.round(v, 2).astype(object))
        out[nan] = None
        return out.tolist()
    # text, lists and the odd numpy scalar: missing -> None; numpy scalars are left to
    # ``json_default`` at encoding time instead of an isinstance test per value here
    if isinstance(col.dtype, pd.StringDtype):  # text only: missing straight to None, one pass
        return col.to_numpy(dtype=object, na_value=None).tolist()
    values = col.to_numpy(dtype=object, copy=True)
    values[col.isna().to_numpy()] = None
    return values.tolist()


def json_default(v):
    """``json.dumps(..., default=json_default)``: numpy scalars (in object columns) as Python."""
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return None if np.isnan(v) else _num(v)
    if isinstance(v, np.bool_):
        return bool(v)
    if isinstance(v, np.ndarray):
        return v.tolist()
    if isinstance(v, pd.Timestamp):
        return v.isoformat()
    raise TypeError(f"{type(v).__name__} is not JSON serializable")
