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

    fix = _Repair(frame, geometry, None if file is None else str(file), layer, ids, row_offset)
    fix.drop_z()
    fix.drop_empty()
    fix.reduce_collections()
    fix.convert_kinds()
    fix.drop_other_kinds()
    if geometry == "Polygon" and fix.keep.any():
        fix.make_valid()
    fix.single_parts()
    fix.report_duplicates()
    keep, geoms, notes = fix.keep, fix.geoms, fix.notes
    if not keep.any():
        raise HeatGISError(
            f"no feature has a usable {geometry} geometry",
            f"import a file with {geometry} features into '{layer}'",
            file=fix.file,
            layer=layer,
            problems=notes[:_MAX_LISTED],
        )
    out = frame.drop(columns=frame.geometry.name)
    if not keep.all():
        out = out.iloc[np.flatnonzero(keep)]
    out = gpd.GeoDataFrame(out, geometry=gpd.array.from_shapely(geoms[keep], crs=frame.crs))
    return out.reset_index(drop=True), notes


class _Repair:
    """The steps of ``repair_geometries`` over one array of geometries: each changes ``geoms``
    and ``keep`` (rows still usable) and adds its notes."""

    def __init__(self, frame, geometry, file, layer, ids, row_offset):
        self.geoms = np.asarray(frame.geometry.values, dtype=object).copy()
        self.keep = np.ones(len(self.geoms), dtype=bool)
        self.notes: list[Problem] = []
        self.geometry, self.file, self.layer, self.ids, self.row_offset = geometry, file, layer, ids, row_offset

    def row(self, i) -> str:
        return _rows([i], self.ids, self.row_offset)[0]

    def note(self, message, fix="", row=None) -> None:
        """One warning on the geometry field (of the row ``row``, or of the layer)."""
        self.notes.append(Problem(message, fix, self.file, self.layer, row, "geometry", "warning"))

    def report(self, idx, message, fix, summary) -> None:
        """One note per row for the first rows of ``idx``, one summary for the rest."""
        idx = np.asarray(idx)
        if len(idx) == 0:
            return
        for r in _rows(idx[:_MAX_LISTED], self.ids, self.row_offset):
            self.note(message, fix, r)
        if len(idx) > _MAX_LISTED:
            self.note(f"{summary}: {len(idx)} rows in all ({len(idx) - _MAX_LISTED} more not listed)", fix)

    def drop_z(self) -> None:
        """3D → 2D."""
        import shapely

        has_z = shapely.has_z(self.geoms)
        if has_z.any():
            self.geoms[has_z] = shapely.force_2d(self.geoms[has_z])
            self.note(f"{int(has_z.sum())} geometries had heights (Z); dropped")

    def drop_empty(self) -> None:
        import shapely

        empty = shapely.is_missing(self.geoms) | shapely.is_empty(self.geoms)
        self.report(
            np.flatnonzero(empty),
            "the geometry is empty; row skipped",
            "draw the feature or delete the row in the source",
            "empty geometries",
        )
        self.keep &= ~empty

    def reduce_collections(self) -> None:
        """Geometry collections → their parts of the layer's kind."""
        import shapely

        geoms, geometry = self.geoms, self.geometry
        coll = np.flatnonzero((shapely.get_type_id(geoms) == 7) & self.keep)
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
            self.note(f"{len(coll)} geometry collections reduced to their {geometry} parts")
            gone = coll[shapely.is_missing(geoms[coll]) | shapely.is_empty(geoms[coll])]
            self.keep[gone] = False

    def convert_kinds(self) -> None:
        """Between kinds where the meaning is clear: closed lines → polygons, polygons → points."""
        import shapely

        geoms, keep = self.geoms, self.keep
        types = shapely.get_type_id(geoms)
        if self.geometry == "Polygon":
            lines = keep & np.isin(types, (1, 2))
            closed = np.zeros(len(geoms), dtype=bool)
            if lines.any():
                closed[lines] = shapely.is_closed(geoms[lines]) & (shapely.get_num_coordinates(geoms[lines]) >= 4)
            if closed.any():
                coords, part = shapely.get_coordinates(geoms[closed], return_index=True)
                geoms[closed] = shapely.polygons(shapely.linearrings(coords, indices=part))
                self.report(np.flatnonzero(closed), "a closed line was turned into a polygon", "", "closed lines")
        elif self.geometry == "Point":
            poly = keep & np.isin(types, (3, 6))
            if poly.any():
                geoms[poly] = shapely.point_on_surface(geoms[poly])
                self.report(
                    np.flatnonzero(poly),
                    "a polygon was replaced by a point inside it",
                    "check the position; import points if you have them",
                    "polygons made points",
                )

    def drop_other_kinds(self) -> None:
        import shapely

        geometry = self.geometry
        types = shapely.get_type_id(self.geoms)
        wrong = self.keep & ~np.isin(types, _KIND[geometry])
        if wrong.any():
            kinds = sorted({_TYPE_NAMES.get(int(t), "?") for t in types[wrong]})
            self.report(
                np.flatnonzero(wrong),
                f"a {'/'.join(kinds)} cannot go into a {geometry} layer; row skipped",
                f"import only {geometry} features into '{self.layer}'",
                "features of another kind",
            )
            self.keep &= ~wrong

    def make_valid(self) -> None:
        """Invalid polygons made valid; those with no area left dropped."""
        import shapely

        geoms = self.geoms
        idx = np.flatnonzero(self.keep)
        invalid = idx[~shapely.is_valid(geoms[idx])]
        for i in invalid[:_MAX_LISTED]:
            self.note(
                f"invalid polygon ({shapely.is_valid_reason(geoms[i])}) made valid",
                "check its outline in the source",
                self.row(i),
            )
        if len(invalid) > _MAX_LISTED:
            self.note(f"{len(invalid)} invalid polygons made valid in all")
        if len(invalid):
            geoms[invalid] = [_polygonal(g) for g in shapely.make_valid(geoms[invalid])]
        gone = invalid[shapely.is_empty(geoms[invalid])] if len(invalid) else invalid
        self.report(gone, "the polygon has no area after repair; row skipped", "redraw it", "collapsed polygons")
        self.keep[gone] = False

    def single_parts(self) -> None:
        """Single-part multi-geometries made single; real multiparts reported."""
        import shapely

        geoms = self.geoms
        multi = self.keep & np.isin(shapely.get_type_id(geoms), (4, 5, 6))
        if not multi.any():
            return
        nparts = np.zeros(len(geoms), dtype=int)
        nparts[multi] = shapely.get_num_geometries(geoms[multi])
        single = multi & (nparts == 1)
        if single.any():
            geoms[single] = shapely.get_geometry(geoms[single], 0)
        many = np.flatnonzero(multi & (nparts > 1))
        if len(many):
            self.note(
                f"{len(many)} features have several parts; kept as multipart features",
                "split them in the source if each part is its own feature",
            )

    def report_duplicates(self) -> None:
        idx = np.flatnonzero(self.keep)
        if len(idx) <= 1:
            return
        dups = [(idx[k], idx[first]) for k, first in _duplicates(self.geoms[idx])]
        for k, first in dups[:_MAX_LISTED]:
            self.note(
                f"the same geometry as row {self.row(first)}",
                "delete one of them in the source if it is a duplicate",
                self.row(k),
            )
        if len(dups) > _MAX_LISTED:
            self.note(f"{len(dups)} duplicate geometries in all")


_TYPE_NAMES = {
    0: "point",
    1: "line",
    2: "ring",
    3: "polygon",
    4: "multipoint",
    5: "multiline",
    6: "multipolygon",
    7: "collection",
}


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
