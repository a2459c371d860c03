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
from heatgis.io.messages import GEOMETRY_WORDS
from heatgis.text import Text, join

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
        kind = GEOMETRY_WORDS.get(geometry, geometry)
        raise HeatGISError(
            Text("no feature has a usable {kind} geometry", "没有任何要素具有可用的{kind}几何", kind=kind),
            Text(
                "import a file with {kind} features into '{layer}'",
                "请将含{kind}要素的文件导入 '{layer}'",
                kind=kind,
                layer=layer,
            ),
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
        self.kind = GEOMETRY_WORDS.get(geometry, geometry)  # the layer's kind, in words

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
            self.note(
                Text(
                    "{summary}: {n} rows in all ({more} more not listed)",
                    "{summary}：共 {n} 行（另有 {more} 行未列出）",
                    summary=summary,
                    n=len(idx),
                    more=len(idx) - _MAX_LISTED,
                ),
                fix,
            )

    def drop_z(self) -> None:
        """3D → 2D."""
        import shapely

        has_z = shapely.has_z(self.geoms)
        if has_z.any():
            self.geoms[has_z] = shapely.force_2d(self.geoms[has_z])
            self.note(
                Text("{n} geometries had heights (Z); dropped", "{n} 个几何带有高程（Z）；已去掉", n=int(has_z.sum()))
            )

    def drop_empty(self) -> None:
        import shapely

        empty = shapely.is_missing(self.geoms) | shapely.is_empty(self.geoms)
        self.report(
            np.flatnonzero(empty),
            Text("the geometry is empty; row skipped", "几何为空；已跳过该行"),
            Text("draw the feature or delete the row in the source", "请在源数据中绘制该要素或删除该行"),
            Text("empty geometries", "空几何"),
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
            self.note(
                Text(
                    "{n} geometry collections reduced to their {kind} parts",
                    "{n} 个几何集合已简化为其中的{kind}部分",
                    n=len(coll),
                    kind=self.kind,
                )
            )
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
                self.report(
                    np.flatnonzero(closed),
                    Text("a closed line was turned into a polygon", "闭合线已转为面"),
                    "",
                    Text("closed lines", "闭合线"),
                )
        elif self.geometry == "Point":
            poly = keep & np.isin(types, (3, 6))
            if poly.any():
                geoms[poly] = shapely.point_on_surface(geoms[poly])
                self.report(
                    np.flatnonzero(poly),
                    Text("a polygon was replaced by a point inside it", "面已替换为其内部的一个点"),
                    Text("check the position; import points if you have them", "请核对位置；如有点数据，请导入点数据"),
                    Text("polygons made points", "面转为点"),
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
                Text(
                    "a {kinds} cannot go into a {kind} layer; row skipped",
                    "{kinds}不能放入{kind}图层；已跳过该行",
                    kinds=join((_TYPE_WORDS.get(k, k) for k in kinds), "/"),
                    kind=self.kind,
                ),
                Text(
                    "import only {kind} features into '{layer}'",
                    "只将{kind}要素导入 '{layer}'",
                    kind=self.kind,
                    layer=self.layer,
                ),
                Text("features of another kind", "其他类型的要素"),
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
                Text(
                    "invalid polygon ({reason}) made valid",
                    "无效的面（{reason}）已修复",
                    reason=shapely.is_valid_reason(geoms[i]),
                ),
                Text("check its outline in the source", "请在源数据中核对其边界"),
                self.row(i),
            )
        if len(invalid) > _MAX_LISTED:
            self.note(Text("{n} invalid polygons made valid in all", "共修复 {n} 个无效的面", n=len(invalid)))
        if len(invalid):
            geoms[invalid] = [_polygonal(g) for g in shapely.make_valid(geoms[invalid])]
        gone = invalid[shapely.is_empty(geoms[invalid])] if len(invalid) else invalid
        self.report(
            gone,
            Text("the polygon has no area after repair; row skipped", "面修复后没有面积；已跳过该行"),
            Text("redraw it", "请重新绘制"),
            Text("collapsed polygons", "退化的面"),
        )
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
                Text(
                    "{n} features have several parts; kept as multipart features",
                    "{n} 个要素包含多个部分；保留为多部分要素",
                    n=len(many),
                ),
                Text(
                    "split them in the source if each part is its own feature",
                    "如果每个部分是独立的要素，请在源数据中拆分",
                ),
            )

    def report_duplicates(self) -> None:
        idx = np.flatnonzero(self.keep)
        if len(idx) <= 1:
            return
        dups = [(idx[k], idx[first]) for k, first in _duplicates(self.geoms[idx])]
        for k, first in dups[:_MAX_LISTED]:
            self.note(
                Text("the same geometry as row {row}", "与第 {row} 行的几何相同", row=self.row(first)),
                Text(
                    "delete one of them in the source if it is a duplicate", "如果是重复要素，请在源数据中删除其中一个"
                ),
                self.row(k),
            )
        if len(dups) > _MAX_LISTED:
            self.note(Text("{n} duplicate geometries in all", "共 {n} 个重复几何", n=len(dups)))


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
_TYPE_WORDS = {
    "point": Text("point", "点"),
    "line": Text("line", "线"),
    "ring": Text("ring", "环"),
    "polygon": Text("polygon", "面"),
    "multipoint": Text("multipoint", "多点"),
    "multiline": Text("multiline", "多线"),
    "multipolygon": Text("multipolygon", "多面"),
    "collection": Text("collection", "几何集合"),
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
