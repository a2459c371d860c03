"""Operations depots, emergency crews and staff homes of the demo city."""

from __future__ import annotations

import numpy as np

from heatgis.sample import names as N
from heatgis.sample.city import largest_remainder

ROLES = ("operator", "boiler_operator", "electrician", "welder", "engineer", "dispatcher", "service")
ROLE_P = np.array([0.58, 0.08, 0.10, 0.08, 0.07, 0.03, 0.06])
DISTRICT_SHORT = {"新城区": "新城", "回民区": "回民", "玉泉区": "玉泉", "赛罕区": "赛罕"}
CREW_SKILLS = [
    "operator;electrician;welder",
    "operator;welder",
    "operator;electrician",
    "operator;boiler_operator;electrician",
    "welder;electrician;operator",
]


def kmeans(rng, xy, k, iters=40):
    """Plain deterministic k-means (Lloyd) with a seeded start; returns (centres, labels)."""
    cen = xy[np.sort(rng.choice(len(xy), size=k, replace=False))].copy()
    for _ in range(iters):
        lab = nearest(xy, cen)
        for j in range(k):
            if np.any(lab == j):
                cen[j] = xy[lab == j].mean(axis=0)
    return np.round(cen, 1), nearest(xy, cen)


def nearest(xy, targets):
    d = np.hypot(xy[:, None, 0] - targets[None, :, 0], xy[:, None, 1] - targets[None, :, 1])
    return np.argmin(d, axis=1)


def depot_rows(centres, districts_of):
    """Depot ids D-01.., names like 新城第一运营所, ordered west to east."""
    order = np.lexsort((centres[:, 1], centres[:, 0]))
    count: dict[str, int] = {}
    rows = []
    for n, j in enumerate(order):
        dist = districts_of[j]
        count[dist] = count.get(dist, 0) + 1
        rows.append(
            {
                "idx": int(j),
                "depot_id": f"D-{n + 1:02d}",
                "name": f"{DISTRICT_SHORT.get(dist, dist[:2])}第{N.cn_number(count[dist])}运营所",
                "district": dist,
            }
        )
    return rows


def crew_rows(rng, depot_ids, n=15, members=248):
    """15 crews round the clock: a day crew per depot, night crews at the busiest depots."""
    m = largest_remainder(members, rng.uniform(0.85, 1.15, n), minimum=10)
    rows = []
    nd = len(depot_ids)
    n_day = n - n * 2 // 5  # 9 day crews, 6 night crews for 15
    for k in range(n):
        night = k >= n_day
        depot = depot_ids[k % nd]
        rows.append(
            {
                "crew_id": f"CR-{k + 1:02d}",
                "name": f"抢修{N.cn_number(k + 1)}队",
                "depot_id": depot,
                "members": int(m[k]),
                "shift_start": "20:00" if night else "08:00",
                "shift_end": "08:00" if night else "20:00",
                "skills": CREW_SKILLS[k % len(CREW_SKILLS)],
            }
        )
    return rows


def skills_for(rng, roles):
    extra = {
        "operator": ["", ";electrician", ";welder"],
        "boiler_operator": ["", ";operator"],
        "electrician": ["", ";operator"],
        "welder": ["", ";operator"],
        "engineer": [";operator", ";operator;electrician"],
        "dispatcher": [""],
        "service": [""],
    }
    out = []
    for r in roles:
        opts = extra[r]
        p = [0.7] + [0.3 / (len(opts) - 1)] * (len(opts) - 1) if len(opts) > 1 else [1.0]
        out.append(r + opts[int(rng.choice(len(opts), p=p))])
    return out


def phones(rng, n):
    pre = ["138", "139", "150", "151", "158", "186", "187", "135", "136", "177"]
    a = rng.integers(len(pre), size=n)
    b = rng.integers(0, 10000, size=n)
    return [f"{pre[i]}****{j:04d}" for i, j in zip(a, b)]


#: members per crew with each skill of the crew, before the rest are filled with operators
CREW_QUOTA = {"boiler_operator": 5, "electrician": 4, "welder": 3}


def crew_members(seed, staff, crews, zone_geoms):
    """``crew_id`` (and the crew's depot) for the crews' members among the staff; others None.

    Members are staff whose home lies in no lockdown zone at all (so no zone ever locks a
    crew member in at home) and whose skills all belong to their crew's skills; each crew
    gets ``CREW_QUOTA`` people of each of its special skills, then operators, up to its
    ``members``. Draws from its own generator (``seed``, 12), so the rest of the demo is as
    it was.
    """
    import shapely

    rng = np.random.default_rng([int(seed), 12])
    pts = np.asarray(staff.geometry.values)
    tree = shapely.STRtree(np.asarray(zone_geoms, dtype=object))
    inside = np.zeros(len(pts), bool)
    inside[np.unique(tree.query(pts, predicate="intersects")[0])] = True
    qual = [set(str(s).split(";")) | {r} for s, r in zip(staff["skills"], staff["role"])]
    role = staff["role"].to_numpy()
    taken = inside.copy()
    crew_of = np.full(len(staff), None, dtype=object)
    depot = staff["depot_id"].to_numpy().copy()
    site = staff["assigned_site"].to_numpy().copy()
    for c in crews:
        skills = set(c["skills"].split(";"))
        ok = np.array([q <= skills for q in qual]) & ~taken
        chosen: list[int] = []
        for sk, k in CREW_QUOTA.items():
            if sk in skills:
                pool = np.flatnonzero(ok & (role == sk))
                pick = rng.choice(pool, size=min(k, len(pool)), replace=False).tolist() if len(pool) else []
                chosen += pick
                ok[pick] = False
        pool = np.flatnonzero(ok & (role == "operator"))
        rest = int(c["members"]) - len(chosen)
        chosen += rng.choice(pool, size=rest, replace=False).tolist()
        idx = np.array(sorted(chosen))
        taken[idx] = True
        crew_of[idx] = c["crew_id"]
        depot[idx] = c["depot_id"]
        site[idx] = None
    return crew_of, depot, site
