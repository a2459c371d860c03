"""The lockdown scenario: which compounds are sealed when, built so the reference figures hold."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely

from heatgis.sample import zones as Z

N_CLUSTERS = 4
CLUSTER_HOSTS = (3, 3, 3, 2)  # sites inside each controlled cluster active at the reference time
N_SINGLE = 16  # single sealed compounds with a site, active at the reference time
N_NO_STATION = 8  # sealed compounds without a site of their own
N_EARLY = 6  # zones lifted before the reference time
N_FUTURE_SEALED, N_FUTURE_CLUSTERS, N_FUTURE_PRECAUTION = 33, 8, 9


@dataclass
class LockPlan:
    clusters: list  # arrays of compound indices
    cluster_hosts: list  # arrays of compound indices (sites inside clusters)
    singles: np.ndarray  # compound indices of single sealed compounds with a site
    touched: np.ndarray  # bool per compound: touches an active locking zone
    zones: list = field(default_factory=list)  # zone dicts (geometry, level, ...)

    @property
    def locked_hosts(self) -> np.ndarray:
        return np.concatenate([self.singles] + list(self.cluster_hosts))


def plan_locked(rng, cpoly, cen, tree) -> LockPlan:
    """Choose the controlled clusters and sealed compounds that hold the 27 locked sites."""
    n = len(cpoly)
    r = Z.radius(cen)
    allowed = np.ones(n, bool)
    clusters: list[np.ndarray] = []
    taken: list[np.ndarray] = []
    for s in rng.permutation(np.flatnonzero(r < 6000)):
        if any(np.hypot(*(cen[s] - q)) < 1500 for q in taken):
            continue
        m = Z.grow_cluster(rng, cpoly, tree, s, int(rng.integers(5, 8)), allowed)
        if len(m) < 5:
            continue
        clusters.append(m)
        taken.append(cen[s])
        allowed[m] = False
        if len(clusters) == N_CLUSTERS:
            break
    hosts = [np.sort(rng.choice(m, size=h, replace=False)) for m, h in zip(clusters, CLUSTER_HOSTS)]
    touched = np.zeros(n, bool)
    for m in clusters:
        touched[tree.query(Z.cluster_zone(cpoly[m]), predicate="intersects")] = True
    cand = np.flatnonzero(~touched & (r < 8500))
    singles = Z.pick_spread(rng, cand, cen, N_SINGLE, 700.0, blocked_xy=taken)
    touched[tree.query(Z.seal(cpoly[singles]), predicate="intersects")[1]] = True
    return LockPlan(clusters, hosts, singles, touched)


def _zone(geom, level, start, end, name, notes="", tag=""):
    return {
        "geometry": geom,
        "level": level,
        "start": start,
        "end": end,
        "name": name,
        "notes": Z.NOTES[level] + notes,
        "tag": tag,
    }


def build_zones(rng, plan: LockPlan, cpoly, cen, cname, tree, host_mask, served_locked):
    """All ~100 zones. ``host_mask``: compound holds a site; ``served_locked``: its site is locked.

    Returns (zones, the sealed compounds without a site, the compounds lifted early); the steps
    draw from ``rng`` in this order: the zones active at the reference time, sealed compounds
    without a site, zones lifted early, zones appearing after the reference time.
    """
    r = Z.radius(cen)
    zones = _reference_zones(rng, plan, cpoly, cname)
    # sealed compounds without a site of their own: served from outside
    touched = plan.touched.copy()
    cand = np.flatnonzero(~touched & ~host_mask & ~served_locked & (r < 8000))
    nos = Z.pick_spread(rng, cand, cen, N_NO_STATION, 400.0, blocked_xy=list(cen[plan.singles]))
    st, en = Z.when(rng, 0, 8, len(nos)), _late(rng, len(nos))
    for j, k in enumerate(nos):
        zones.append(_zone(Z.seal(cpoly[k]), "sealed", st[j], en[j], f"{cname[k]}封控区", tag="nostation"))
    for z in zones:
        if z["level"] != "precaution":
            touched[tree.query(z["geometry"], predicate="intersects")] = True
    early = Z.pick_spread(rng, np.flatnonzero(~touched & host_mask & (r < 9000)), cen, N_EARLY, 500.0)
    zones += _early_zones(rng, cpoly, cname, early)
    used = touched.copy()
    used[early] = True
    zones += _future_zones(rng, cpoly, cen, cname, tree, used)
    return zones, nos, early


def _late(rng, k):
    return Z.when(rng, 13, 41, k)  # lifted 1-29 March


def _reference_zones(rng, plan: LockPlan, cpoly, cname) -> list:
    """The zones of the reference time: controlled clusters with their precaution rings (and a sealed
    compound inside two of them), the single sealed compounds, precaution rings round ten of them."""
    zones = []
    cst = Z.when(rng, 1, 7, len(plan.clusters))
    cen_ = _late(rng, len(plan.clusters))
    for c, m in enumerate(plan.clusters):
        g = Z.cluster_zone(cpoly[m])
        zones.append(_zone(g, "controlled", cst[c], cen_[c], f"{cname[m[0]]}片区管控区", tag="cluster"))
        zones.append(
            _zone(
                Z.precaution_zone(g, 250.0),
                "precaution",
                cst[c],
                cen_[c] - pd.Timedelta(days=3),
                f"{cname[m[0]]}周边防范区",
                tag="precaution",
            )
        )
    for c in (1, 2):
        k = plan.cluster_hosts[c][0]
        zones.append(
            _zone(
                Z.seal(cpoly[k]),
                "sealed",
                max(cst[c] - pd.Timedelta(days=1), Z.DAY0),
                cen_[c] + pd.Timedelta(days=1),
                f"{cname[k]}封控区",
                "；位于管控区内",
                tag="overlap",
            )
        )
    sst, sen = Z.when(rng, 0, 8, len(plan.singles)), _late(rng, len(plan.singles))
    for j, k in enumerate(plan.singles):
        zones.append(_zone(Z.seal(cpoly[k]), "sealed", sst[j], sen[j], f"{cname[k]}封控区", tag="single"))
    # precaution areas around some sealed compounds
    for j in range(10):
        k = plan.singles[j + 6]
        zones.append(
            _zone(
                Z.precaution_zone(cpoly[k], 300.0),
                "precaution",
                sst[j + 6],
                sen[j + 6] - pd.Timedelta(days=2),
                f"{cname[k]}周边防范区",
                tag="precaution",
            )
        )
    return zones


def _early_zones(rng, cpoly, cname, early) -> list:
    """Sealed compounds with a site, lifted early in February (before the reference time)."""
    zones = []
    st = Z.when(rng, 0, 1, len(early))
    for j, k in enumerate(early):
        end = st[j] + pd.Timedelta(days=int(rng.integers(4, 7)), hours=int(rng.integers(0, 10)))
        end = min(end, pd.Timestamp("2022-02-24T20:00"))
        zones.append(
            _zone(
                Z.seal(cpoly[k]),
                "sealed",
                st[j],
                end,
                f"{cname[k]}封控区",
                f"；{end.month}月{end.day}日提前解封",
                tag="early",
            )
        )
    return zones


def _future_zones(rng, cpoly, cen, cname, tree, used) -> list:
    """Zones appearing after the reference time, on compounds not ``used`` yet (``used`` is updated):
    sealed compounds, controlled clusters with precaution rings, precaution rings round sealed ones."""
    r = Z.radius(cen)
    zones = []
    fut = Z.pick_spread(rng, np.flatnonzero(~used & (r < 9500)), cen, N_FUTURE_SEALED, 350.0)
    used[fut] = True
    st = Z.when(rng, 10, 22, len(fut))
    for j, k in enumerate(fut):
        end = min(st[j] + pd.Timedelta(days=int(rng.integers(6, 19))), pd.Timestamp("2022-03-30T20:00"))
        zones.append(_zone(Z.seal(cpoly[k]), "sealed", st[j], end, f"{cname[k]}封控区", tag="future"))
    fclusters = []
    for s in rng.permutation(np.flatnonzero(~used & (r < 8000))):
        if used[s]:
            continue
        m = Z.grow_cluster(rng, cpoly, tree, s, int(rng.integers(4, 7)), ~used)
        if len(m) < 4:
            continue
        used[m] = True
        fclusters.append(m)
        if len(fclusters) == N_FUTURE_CLUSTERS:
            break
    st = Z.when(rng, 10, 20, len(fclusters))
    for j, m in enumerate(fclusters):
        end = min(st[j] + pd.Timedelta(days=int(rng.integers(8, 19))), pd.Timestamp("2022-03-30T20:00"))
        g = Z.cluster_zone(cpoly[m])
        zones.append(_zone(g, "controlled", st[j], end, f"{cname[m[0]]}片区管控区", tag="future"))
        if j < N_FUTURE_PRECAUTION:
            zones.append(
                _zone(
                    Z.precaution_zone(g, 300.0),
                    "precaution",
                    st[j],
                    end - pd.Timedelta(days=2),
                    f"{cname[m[0]]}周边防范区",
                    tag="future",
                )
            )
    k = N_FUTURE_PRECAUTION - min(N_FUTURE_PRECAUTION, len(fclusters))
    for j in range(k):
        c = fut[j]
        zones.append(
            _zone(
                Z.precaution_zone(cpoly[c], 350.0),
                "precaution",
                Z.when(rng, 12, 16, 1)[0],
                pd.Timestamp("2022-03-20T08:00"),
                f"{cname[c]}周边防范区",
                tag="future",
            )
        )
    return zones


def zone_frame_rows(zones):
    """Sort zones by start and give them ids Z-001.., names unique, notice numbers."""
    order = sorted(range(len(zones)), key=lambda i: (zones[i]["start"], i))
    rows, seen = [], {}
    for n, i in enumerate(order):
        z = dict(zones[i])
        nm = z["name"]
        seen[nm] = seen.get(nm, 0) + 1
        if seen[nm] > 1:
            nm = f"{nm}（{seen[nm]}）"
        z.update(zone_id=f"Z-{n + 1:03d}", name=nm, source=Z.notice(z["start"]))
        rows.append(z)
    return rows


def locked_sites(site_pts, zone_geoms, zone_active) -> np.ndarray:
    """Bool per site: intersects an active sealed/controlled zone."""
    geoms = np.asarray(zone_geoms, dtype=object)[zone_active]
    out = np.zeros(len(site_pts), bool)
    if len(geoms):
        idx = shapely.STRtree(geoms).query(site_pts, predicate="intersects")[0]
        out[np.unique(idx)] = True
    return out
