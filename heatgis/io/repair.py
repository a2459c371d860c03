"""Geometry repair on import, with a report.

Z values dropped; empty and missing geometries removed and listed; geometry
collections reduced to the layer's kind; closed lines (KML, CAD) become
polygons in polygon layers and polygons become their inner point in point
layers; invalid polygons made valid; single-part multi-geometries made single;
duplicate geometries reported. Every change is a :class:`Problem` (warning) naming
the row; nothing is changed silently.
"""

from __future__ import annotations

import numpy as np

from heatgis.errors import HeatGISError, Problem

_KIND = {"Point": (0, 4), "LineString": (1, 5), "Polygon": (3, 6)}
_MAX_LISTED = 20


def _rows(idx, ids, row_offset):
    return [str(ids[i]) if ids is not None else str(i + row_offset) for i in idx]


def repair_geometries(frame, geometry: str, file=None, layer=None, ids=None, row_offset: int = 1):
    """Repair the geometries of ``frame`` for a layer of kind ``geometry``.

    Parameters
    ----------
    frame : GeoDataFrame
        Not modified.
    geometry : {"Point", "LineString", "Polygon"}
    file, layer : str, optional
        Named in the notes.
    ids : sequence, optional
        Row labels for the notes (feature ids, turned into text only for the rows
        named); default: row numbers.
    row_offset : int
        Added to 0-based positions when there are no ids.

    Returns
    -------
    (GeoDataFrame, list of Problem)
        A new frame (rows without a usable geometry removed) and the report.

    Raises
    ------
    HeatGISError
        No row has a usable geometry of the layer's kind.
    """
    import geopandas as gpd
    import shapely

    notes: list[Problem] = []
    geoms = np.asarray(frame.geometry.values, dtype=object).copy()
    n = len(geoms)
    keep = np.ones(n, dtype=bool)
    file = None if file is None else str(file)

    def report(idx, message, fix, summary):
        idx = np.asarray(idx)
        if len(idx) == 0:
            return
        for r in _rows(idx[:_MAX_LISTED], ids, row_offset):
            notes.append(Problem(message, fix, file, layer, r, "geometry", "warning"))
        if len(idx) > _MAX_LISTED:
            notes.append(
                Problem(
                    f"{summary}: {len(idx)} rows in all ({len(idx) - _MAX_LISTED} more not listed)",
                    fix,
                    file,
                    layer,
                    field="geometry",
                    severity="warning",
                )
            )

    # 3D → 2D
    has_z = shapely.has_z(geoms)
    if has_z.any():
        geoms[has_z] = shapely.force_2d(geoms[has_z])
        notes.append(
            Problem(
                f"{int(has_z.sum())} geometries had heights (Z); dropped",
                "",
                file,
                layer,
                field="geometry",
                severity="warning",
            )
        )

    # missing / empty
    empty = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    report(
        np.flatnonzero(empty),
        "the geometry is empty; row skipped",
        "draw the feature or delete the row in the source",
        "empty geometries",
    )
    keep &= ~empty

    # collections → parts of the wanted kind
    types = shapely.get_type_id(geoms)
    coll = np.flatnonzero((types == 7) & keep)
    for i in coll:
        parts = [p for p in shapely.get_parts(geoms[i]) if shapely.get_type_id(p) in _KIND[geometry]]
        geoms[i] = (
            (
                shapely.union_all(parts)
                if geometry == "Polygon"
                else shapely.multipoints(parts)
                if geometry == "Point"
                else shapely.multilinestrings(parts)
            )
            if parts
            else None
        )
    if len(coll):
        notes.append(
            Problem(
                f"{len(coll)} geometry collections reduced to their {geometry} parts",
                "",
                file,
                layer,
                field="geometry",
                severity="warning",
            )
        )
        gone = coll[shapely.is_missing(geoms[coll]) | shapely.is_empty(geoms[coll])]
        keep[gone] = False

    # convert between kinds where the meaning is clear
    types = shapely.get_type_id(geoms)
    if geometry == "Polygon":
        lines = keep & np.isin(types, (1, 2))
        closed = np.zeros(n, dtype=bool)
        if lines.any():
            closed[lines] = shapely.is_closed(geoms[lines]) & (shapely.get_num_coordinates(geoms[lines]) >= 4)
        if closed.any():
            coords, part = shapely.get_coordinates(geoms[closed], return_index=True)
            geoms[closed] = shapely.polygons(shapely.linearrings(coords, indices=part))
            report(np.flatnonzero(closed), "a closed line was turned into a polygon", "", "closed lines")
    elif geometry == "Point":
        poly = keep & np.isin(types, (3, 6))
        if poly.any():
            geoms[poly] = shapely.point_on_surface(geoms[poly])
            report(
                np.flatnonzero(poly),
                "a polygon was replaced by a point inside it",
                "check the position; import points if you have them",
                "polygons made points",
            )
    types = shapely.get_type_id(geoms)
    wrong = keep & ~np.isin(types, _KIND[geometry])
    if wrong.any():
        names = {
            0: "point",
            1: "line",
            2: "ring",
            3: "polygon",
            4: "multipoint",
            5: "multiline",
            6: "multipolygon",
            7: "collection",
        }
        kinds = sorted({names.get(int(t), "?") for t in types[wrong]})
        report(
            np.flatnonzero(wrong),
            f"a {'/'.join(kinds)} cannot go into a {geometry} layer; row skipped",
            f"import only {geometry} features into '{layer}'",
            "features of another kind",
        )
        keep &= ~wrong

    # invalid polygons
    if geometry == "Polygon" and keep.any():
        idx = np.flatnonzero(keep)
        invalid = idx[~shapely.is_valid(geoms[idx])]
        for i in invalid[:_MAX_LISTED]:
            notes.append(
                Problem(
                    f"invalid polygon ({shapely.is_valid_reason(geoms[i])}) made valid",
                    "check its outline in the source",
                    file,
                    layer,
                    _rows([i], ids, row_offset)[0],
                    "geometry",
                    "warning",
                )
            )
        if len(invalid) > _MAX_LISTED:
            notes.append(
                Problem(
                    f"{len(invalid)} invalid polygons made valid in all",
                    "",
                    file,
                    layer,
                    field="geometry",
                    severity="warning",
                )
            )
        if len(invalid):
            geoms[invalid] = [_polygonal(g) for g in shapely.make_valid(geoms[invalid])]
        gone = invalid[shapely.is_empty(geoms[invalid])] if len(invalid) else invalid
        report(gone, "the polygon has no area after repair; row skipped", "redraw it", "collapsed polygons")
        keep[gone] = False

    # single-part multis → single; report real multiparts
    types = shapely.get_type_id(geoms)
    multi = keep & np.isin(types, (4, 5, 6))
    if multi.any():
        nparts = np.zeros(n, dtype=int)
        nparts[multi] = shapely.get_num_geometries(geoms[multi])
        single = multi & (nparts == 1)
        if single.any():
            geoms[single] = shapely.get_geometry(geoms[single], 0)
        many = np.flatnonzero(multi & (nparts > 1))
        if len(many):
            notes.append(
                Problem(
                    f"{len(many)} features have several parts; kept as multipart features",
                    "split them in the source if each part is its own feature",
                    file,
                    layer,
                    field="geometry",
                    severity="warning",
                )
            )

    # duplicates
    idx = np.flatnonzero(keep)
    if len(idx) > 1:
        dups = _duplicates(geoms[idx])
        dups = [(idx[k], idx[first]) for k, first in dups]
        for k, first in dups[:_MAX_LISTED]:
            notes.append(
                Problem(
                    f"the same geometry as row {_rows([first], ids, row_offset)[0]}",
                    "delete one of them in the source if it is a duplicate",
                    file,
                    layer,
                    _rows([k], ids, row_offset)[0],
                    "geometry",
                    "warning",
                )
            )
        if len(dups) > _MAX_LISTED:
            notes.append(
                Problem(
                    f"{len(dups)} duplicate geometries in all", "", file, layer, field="geometry", severity="warning"
                )
            )

    if not keep.any():
        raise HeatGISError(
            f"no feature has a usable {geometry} geometry",
            f"import a file with {geometry} features into '{layer}'",
            file=file,
            layer=layer,
            problems=notes[:_MAX_LISTED],
        )
    out = frame.drop(columns=frame.geometry.name)
    if not keep.all():
        out = out.iloc[np.flatnonzero(keep)]
    out = gpd.GeoDataFrame(out, geometry=gpd.array.from_shapely(geoms[keep], crs=frame.crs))
    return out.reset_index(drop=True), notes


def _duplicates(geoms) -> list[tuple[int, int]]:
    """(position, position of its first copy) of every geometry equal to an earlier one.

    Equal means the same WKB (same kind, same coordinates in the same order). Equal
    geometries have equal bounds, so a hash of the bounds is compared first, over
    whole arrays; only rows whose hash occurs twice are compared by WKB.
    """
    import pandas as pd
    import shapely

    bounds = shapely.bounds(geoms)
    h = pd.util.hash_array(bounds.ravel()).reshape(-1, 4)
    with np.errstate(over="ignore"):
        key = (
            h[:, 0]
            ^ (h[:, 1] * np.uint64(0x9E3779B97F4A7C15))
            ^ (h[:, 2] * np.uint64(0xC2B2AE3D27D4EB4F))
            ^ (h[:, 3] * np.uint64(0x165667B19E3779F9))
        )
    candidates = np.flatnonzero(pd.Series(key).duplicated(keep=False).to_numpy())
    if len(candidates) == 0:
        return []
    codes, _ = pd.factorize(shapely.to_wkb(geoms[candidates]))
    _, first_of_code = np.unique(codes, return_index=True)
    firsts = candidates[first_of_code[codes]]
    dup = candidates != firsts
    return [(int(k), int(f)) for k, f in zip(candidates[dup], firsts[dup])]


def _polygonal(geom):
    import shapely

    parts = [p for p in shapely.get_parts(geom) if shapely.get_type_id(p) in (3, 6)]
    if not parts:
        return shapely.Polygon()
    return parts[0] if len(parts) == 1 else shapely.union_all(parts)
