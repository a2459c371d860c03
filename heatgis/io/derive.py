"""Required fields an import can take from the project when the file has no column for them.

A station list from the customer office rarely says which network or which depot
a station belongs to; the project knows: the network is the one of the nearest
pipe, the depot the one of the district the site lies in (the nearest of them
when the district has several). Every derived field is a note saying how many
rows got it which way and how far the farthest match was.
"""

from __future__ import annotations

import numpy as np

from heatgis.errors import Problem
from heatgis.io.messages import word
from heatgis.text import Text, join

#: layer → fields that can be derived, and the project layers each needs
DERIVABLE: dict[str, dict[str, tuple[str, ...]]] = {
    "stations": {"network_id": ("pipes",), "depot_id": ("districts", "depots")},
    "boiler_rooms": {"depot_id": ("districts", "depots")},
}
FAR_FROM_PIPE_M = 200.0  # a station farther than this from every pipe gets its network with a warning


def _has(project, name) -> bool:
    try:
        f = project.layer(name) if project is not None else None
    except KeyError:
        return False
    return f is not None and len(f) > 0


def derivable(layer: str, project) -> frozenset:
    """The fields of ``layer`` the project can fill (its pipes, districts and depots exist)."""
    return frozenset(f for f, needs in DERIVABLE.get(layer, {}).items() if all(_has(project, n) for n in needs))


def derive_fields(frame, layer: str, project, fields, file=None):
    """Fill ``fields`` of ``frame`` (points in the project's CRS) from the project.

    Parameters
    ----------
    frame : GeoDataFrame
        Not modified.
    layer : str
    project : Project
    fields : iterable of str
        Fields to derive (from :func:`derivable`).
    file : str, optional
        Named in the notes.

    Returns
    -------
    (GeoDataFrame, list of Problem)
    """
    out = frame.copy()
    notes: list[Problem] = []
    pts = np.asarray(out.geometry.values, dtype=object)
    what = {
        "stations": Text("stations", word("site_kind", "station").zh),
        "boiler_rooms": Text("boiler rooms", word("site_kind", "boiler_room").zh),
    }.get(layer, Text("rows", "行"))
    if "network_id" in fields:
        out["network_id"], note = _network(pts, project.layer("pipes"), what, file, layer)
        notes.append(note)
    if "depot_id" in fields:
        out["depot_id"], note = _depot(pts, project.layer("districts"), project.layer("depots"), what, file, layer)
        notes.append(note)
    return out, notes


def _network(pts, pipes, what, file, layer):
    import shapely

    tree = shapely.STRtree(np.asarray(pipes.geometry.values))
    (_, j), d = tree.query_nearest(pts, return_distance=True, all_matches=False)
    ids = pipes["network_id"].to_numpy(dtype=object)[j]
    nets = sorted({str(v) for v in ids})
    far = int((d > FAR_FROM_PIPE_M).sum())
    msg = Text(
        "no network column; network_id taken from the nearest pipe for all {n} {what} "
        "(median distance {median:,.0f} m, farthest {farthest:,.0f} m; networks {nets}{more}){far}",
        "没有管网列；全部 {n} 个{what}的 network_id 取自最近的管道"
        "（中位距离 {median:,.0f} m，最远 {farthest:,.0f} m；管网 {nets}{more}）{far}",
        n=len(pts),
        what=what,
        median=np.median(d),
        farthest=d.max(),
        nets=join(nets[:8]),
        more=" …" if len(nets) > 8 else "",
        far=Text(
            "; {far} lie more than {m:g} m from every pipe: check them",
            "；其中 {far} 个距所有管道都超过 {m:g} m：请核对",
            far=far,
            m=FAR_FROM_PIPE_M,
        )
        if far
        else "",
    )
    return list(ids), Problem(
        msg,
        Text("map a network column to use the real networks", "映射管网列可使用实际管网"),
        file,
        layer,
        field="network_id",
        severity="warning",
    )


def _depot(pts, districts, depots, what, file, layer):
    import shapely

    dtree = shapely.STRtree(np.asarray(districts.geometry.values))
    site, k = dtree.query(pts, predicate="within")
    district = np.full(len(pts), None, dtype=object)
    district[site] = districts["name"].to_numpy(dtype=object)[k]
    dep_geom = np.asarray(depots.geometry.values, dtype=object)
    dep_id = depots["depot_id"].to_numpy(dtype=object)
    dep_district = depots["district"].to_numpy(dtype=object)
    out = np.full(len(pts), None, dtype=object)
    only = several = outside = 0
    for i, (p, name) in enumerate(zip(pts, district)):
        cand = np.flatnonzero(dep_district == name) if name is not None else np.array([], dtype=int)
        if len(cand) == 0:
            cand = np.arange(len(dep_id))
            outside += 1
        elif len(cand) == 1:
            only += 1
        else:
            several += 1
        out[i] = dep_id[cand[np.argmin(shapely.distance(p, dep_geom[cand]))]]
    msg = Text(
        "no depot column; depot_id taken from the district each of the {n} {what} lies in: "
        "{only} from the district's only depot, {several} the nearest of the district's depots{outside}",
        "没有运营所列；{n} 个{what}的 depot_id 按所在行政区取："
        "{only} 个取该区唯一的运营所，{several} 个取该区最近的运营所{outside}",
        n=len(pts),
        what=what,
        only=only,
        several=several,
        outside=Text(
            ", {n} in no district with a depot: the nearest depot (check them)",
            "，{n} 个不在有运营所的行政区内：取最近的运营所（请核对）",
            n=outside,
        )
        if outside
        else "",
    )
    return list(out), Problem(
        msg,
        Text("map a depot column (运营所) to use the real depots", "映射运营所列可使用实际的运营所"),
        file,
        layer,
        field="depot_id",
        severity="warning",
    )
