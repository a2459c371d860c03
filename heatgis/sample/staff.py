"""Staff homes of the demo city, placed so the locked-in figures hold at the reference time."""

from __future__ import annotations

import numpy as np
import shapely

from heatgis.model.schema import DEFAULT_CRS
from heatgis.sample import names as N
from heatgis.sample import people as PP
from heatgis.sample import zones as Z
from heatgis.sample.city import points_inside

N_STAFF, LOCKED_STAFF = 3000, 436


def build_staff(rng, city, sites, zones, demand, dxy, depot_ids):
    """The staff layer (GeoDataFrame): ``LOCKED_STAFF`` homes inside active locking zones.

    ``city``, ``sites``, ``zones``, ``demand``: the demo's steps (``sample.demo.City`` ...);
    ``dxy`` and ``depot_ids``: the depots' coordinates and ids, in the same order.
    """
    import geopandas as gpd

    plan, zgeom, zframe, ref, nos = sites.plan, zones.geom, zones.frame, zones.ref, zones.nos
    ctree, cpoly, hh = city.ctree, city.cpoly, demand.hh
    st_comp, br_comp, site_ids, site_xy = sites.st_comp, sites.br_comp, sites.ids, sites.xy
    locked_hosts, br_locked, no_op = plan.locked_hosts, sites.br_locked, sites.no_op

    nC = len(cpoly)
    n_st = len(st_comp)
    active = Z.active_locking(zframe, ref)
    touched = np.zeros(nC, bool)
    touched[np.unique(ctree.query(zgeom[active], predicate="intersects")[1])] = True
    no_staff = set(no_op) | {br_locked[1]}
    locked_pool = set(np.concatenate(plan.clusters).tolist()) | set(plan.singles.tolist()) | set(nos.tolist())
    locked_pool = np.array(sorted(locked_pool - no_staff))
    site_of = {int(c): i for i, c in enumerate(np.concatenate([st_comp, br_comp]))}

    home, role, assigned = [], [], []
    for c in sorted(set(locked_hosts.tolist()) - no_staff):
        i = site_of[c]
        if i < n_st:
            k, rl = int(rng.integers(1, 4)), "operator"
        elif c in (br_locked[0], br_locked[2]):
            k, rl = int(rng.integers(1, 3)), "boiler_operator"
        else:
            continue
        home += [c] * k
        role += [rl] * k
        assigned += [i] * k
    n_fill = LOCKED_STAFF - len(home)
    w = hh[locked_pool].astype(float)
    home += list(rng.choice(locked_pool, size=n_fill, p=w / w.sum()))
    unlocked_pool = np.flatnonzero(~touched)
    w = hh[unlocked_pool].astype(float)
    home += list(rng.choice(unlocked_pool, size=N_STAFF - LOCKED_STAFF, p=w / w.sum()))
    n_free = N_STAFF - len(role)
    role += list(np.array(PP.ROLES)[rng.choice(len(PP.ROLES), size=n_free, p=PP.ROLE_P)])
    assigned += [-1] * n_free
    home = np.array(home)
    role = np.array(role, dtype=object)
    assigned = np.array(assigned)

    pts = points_inside(rng, cpoly[home], spread=0.8)
    xy = shapely.get_coordinates(pts)
    free = assigned < 0
    op = free & (role == "operator")
    assigned[op] = PP.nearest(xy[op], site_xy[:n_st])
    bo = free & (role == "boiler_operator")
    assigned[bo] = n_st + PP.nearest(xy[bo], site_xy[n_st:])
    where = np.where(assigned[:, None] >= 0, site_xy[np.maximum(assigned, 0)], xy)
    depot = depot_ids[PP.nearest(where, dxy)]
    skills = PP.skills_for(rng, role)
    order = rng.permutation(N_STAFF)
    names = N.person_names(rng, N_STAFF)
    phones = PP.phones(rng, N_STAFF)
    site = np.where(assigned >= 0, site_ids[np.maximum(assigned, 0)], None)
    return gpd.GeoDataFrame(
        {
            "staff_id": [f"E-{k + 1:04d}" for k in range(N_STAFF)],
            "name": names,
            "role": role[order],
            "skills": np.array(skills, dtype=object)[order],
            "depot_id": depot[order],
            "assigned_site": site[order],
            "phone": phones,
        },
        geometry=gpd.GeoSeries(pts[order], crs=DEFAULT_CRS),
        crs=DEFAULT_CRS,
    )
