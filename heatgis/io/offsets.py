"""Which of WGS84, GCJ-02 and BD-09 a file's longitudes/latitudes are in, tested against the project.

Phone and web data from China carry longitudes/latitudes without saying in which
system: GPS and OpenStreetMap give WGS84, Amap and Tencent GCJ-02, Baidu BD-09;
in Hohhot they lie 600 m (GCJ-02) and 1.2 km (BD-09) apart. The numbers cannot
tell them apart, the project can: each hypothesis is tried and compared with

- the named compounds: a station or boiler room named after a compound
  (``机械厂小区换热站`` → ``机械厂小区``) lies in that compound;
- the sites (features) already in the layer: the same id or name lies at the same place;
- the roads: a road layer lies on the project's roads (points only count when
  one hypothesis puts most of them on a road and the others do not).

A hypothesis is taken only when the evidence is clear (it fits most matched
features and the others at most a third as many) and no evidence points
elsewhere; otherwise :func:`choose_offset` refuses and asks for ``--from-crs``.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from heatgis.errors import HeatGISError, Problem
from heatgis.io.messages import FROM_CRS_IF_WRONG
from heatgis.model.schema import spec
from heatgis.text import Text, join

HYPOTHESES = ("gcj02", "wgs84", "bd09")
LABEL = {"wgs84": "WGS84", "gcj02": "GCJ-02", "bd09": "BD-09"}
#: what --from-crs takes for each hypothesis
FROM_CRS = {"wgs84": "EPSG:4326", "gcj02": "gcj02", "bd09": "bd09"}
SAME_PLACE_M = 30.0  # a feature is where the project has it when within this distance
ON_ROAD_M = 10.0
MAX_FEATURES = 2000  # evidence is taken on at most this many features (evenly spread)
MIN_MATCHED = 3
_SUFFIXES = ("换热首站", "换热站", "热力站", "供热站", "燃气锅炉房", "燃煤锅炉房", "锅炉房", "泵站", "站")
_NAME_WORDS = {
    "gcj02": ("amap", "gaode", "gcj", "高德", "腾讯", "tencent", "火星"),
    "bd09": ("baidu", "bd09", "bd-09", "百度"),
    "wgs84": ("wgs84", "wgs-84", "gps"),
}
#: the kinds of evidence, as the notes name them
KIND_WORDS = {
    "named compounds": Text("named compounds", "同名小区"),
    "same sites": Text("same sites", "相同站点"),
    "roads": Text("roads", "道路"),
}
_SEMICOLON = Text("; ", "；")


@dataclass
class Evidence:
    """One kind of evidence: how many matched features each hypothesis puts in place.

    Attributes
    ----------
    kind : str
        ``named compounds``, ``same sites`` or ``roads``.
    n : int
        Features that could be compared (0: this evidence is missing).
    hits : dict
        Hypothesis → features in place.
    median_m : dict
        Hypothesis → median distance (m) to the place the project has.
    what : str
        How a hit reads ("stations named after a compound fall in it"; a :class:`heatgis.text.Text`).
    missing : str
        Why there is none, when ``n`` is 0 (a ``Text``).
    landslide : bool
        Counts only when one hypothesis fits 70% and the others at most 20%
        (roads for points: sites stand beside roads, not on them).
    """

    kind: str
    n: int
    hits: dict = field(default_factory=dict)
    median_m: dict = field(default_factory=dict)
    what: str = ""
    missing: str = ""
    landslide: bool = False

    def best(self) -> str | None:
        """The hypothesis this evidence clearly points to, or None."""
        if self.n < MIN_MATCHED:
            return None
        order = sorted(self.hits, key=lambda h: -self.hits[h])
        top, second = self.hits[order[0]], self.hits[order[1]]
        if self.landslide:
            return order[0] if top >= 0.7 * self.n and second <= 0.2 * self.n else None
        if top >= max(MIN_MATCHED, 0.5 * self.n) and second * 3 <= top:
            return order[0]
        return None

    def describe(self) -> Text:
        kind = KIND_WORDS.get(self.kind, self.kind)
        if self.n == 0:
            return Text("{kind}: none ({missing})", "{kind}：无（{missing}）", kind=kind, missing=self.missing)
        order = sorted(self.hits, key=lambda h: -self.hits[h])
        parts = [
            Text(
                "{system} {hits} of {n}{median}",
                "{system} {n} 个中 {hits} 个{median}",
                system=LABEL[h],
                hits=self.hits[h],
                n=self.n,
                median=Text(" (median {m:,.0f} m)", "（中位距离 {m:,.0f} m）", m=self.median_m[h])
                if h in self.median_m
                else "",
            )
            for h in order
        ]
        verdict = self.best()
        tail = (
            Text(" → {system}", " → {system}", system=LABEL[verdict])
            if verdict
            else Text(" → not clear", " → 无法判断")
        )
        return Text(
            "{kind}: {what}: {parts}{tail}",
            "{kind}：{what}：{parts}{tail}",
            kind=kind,
            what=self.what,
            parts=join(parts),
            tail=tail,
        )


@dataclass
class OffsetDecision:
    """The hypothesis taken (None: refused) and the evidence behind it."""

    choice: str | None
    evidence: list
    separation_m: float
    conflict: bool = False

    def describe(self) -> Text:
        return join((e.describe() for e in self.evidence), _SEMICOLON)


def lonlat_in_china(frame) -> bool:
    """Whether every coordinate of ``frame`` is a longitude/latitude inside China's rectangle."""
    import shapely

    from heatgis.io.chinacrs import out_of_china

    xy = shapely.get_coordinates(np.asarray(frame.geometry.values))
    if len(xy) == 0 or not (np.all(np.abs(xy[:, 0]) <= 180) and np.all(np.abs(xy[:, 1]) <= 90)):
        return False
    return not bool(out_of_china(xy[:, 0], xy[:, 1]).any())


def _rep_points(geoms):
    import shapely

    types = shapely.get_type_id(geoms)
    out = np.array(geoms, dtype=object)
    lines = np.isin(types, (1, 2, 5))
    if lines.any():
        out[lines] = shapely.line_interpolate_point(geoms[lines], 0.5, normalized=True)
    other = ~lines & (types != 0)
    if other.any():
        out[other] = shapely.point_on_surface(geoms[other])
    return shapely.get_coordinates(out.astype(object))


_LOCAL = threading.local()


def _transformer(target):
    """WGS84 → ``target``, made once per thread (making one costs ~0.2 s; imports run in workers)."""
    from pyproj import Transformer

    cache = getattr(_LOCAL, "cache", None)
    if cache is None:
        cache = _LOCAL.cache = {}
    key = str(target)
    if key not in cache:
        cache[key] = Transformer.from_crs("EPSG:4326", target, always_xy=True)
    return cache[key]


def _project_xy(lon, lat, hypothesis, tr):
    from heatgis.io import chinacrs

    if hypothesis == "gcj02":
        lon, lat = chinacrs.gcj02_to_wgs84(lon, lat)
    elif hypothesis == "bd09":
        lon, lat = chinacrs.bd09_to_wgs84(lon, lat)
    return np.column_stack(tr.transform(lon, lat))


def _strip_name(name: str) -> str:
    n = re.sub(r"[（(【\[].*?[)）】\]]", "", str(name)).strip().replace(" ", "")
    for suf in _SUFFIXES:
        if n.endswith(suf) and len(n) > len(suf) + 1:
            return n[: -len(suf)]
    return n


def _compound_of(name, by_name: dict) -> str | None:
    """The compound a site is named after: its name without the suffix, or the longest compound name it starts with."""
    if name is None:
        return None
    n = _strip_name(name)
    if n in by_name:
        return n
    for k in range(len(n) - 1, 1, -1):
        if n[:k] in by_name:
            return n[:k]
    return None


def _layer(project, name):
    try:
        f = project.layer(name) if project is not None else None
    except KeyError:
        return None
    return f if f is not None and len(f) and "geometry" in f.columns else None


def _distances(points_by_h: dict, geoms) -> dict:
    import shapely

    return {h: shapely.distance(shapely.points(xy), geoms) for h, xy in points_by_h.items()}


def _matched_evidence(kind, what, rows, geoms, points_by_h, missing) -> Evidence:
    if len(rows) == 0:
        return Evidence(kind, 0, missing=missing)
    d = _distances({h: xy[rows] for h, xy in points_by_h.items()}, geoms)
    return Evidence(
        kind,
        len(rows),
        {h: int((v <= SAME_PLACE_M).sum()) for h, v in d.items()},
        {h: float(np.median(v)) for h, v in d.items()},
        what,
    )


def weigh_offsets(frame, layer: str, project) -> OffsetDecision:
    """Test WGS84, GCJ-02 and BD-09 for ``frame``'s longitudes/latitudes against ``project``.

    Parameters
    ----------
    frame : GeoDataFrame
        Mapped rows (contract field names) with longitude/latitude geometries; not modified.
    layer : str
        The contract layer they go into.
    project : Project
        Compounds, the layer's existing features and roads are the evidence; its CRS is used.

    Returns
    -------
    OffsetDecision
    """

    s = spec(layer)
    geoms = np.asarray(frame.geometry.values, dtype=object)
    idx = np.arange(len(geoms))
    if len(idx) > MAX_FEATURES:
        idx = np.unique(np.linspace(0, len(idx) - 1, MAX_FEATURES).round().astype(int))
    xy = _rep_points(geoms[idx])
    tr = _transformer(project.crs)
    pts = {h: _project_xy(xy[:, 0], xy[:, 1], h, tr) for h in HYPOTHESES}
    sep = float(np.median(np.hypot(*(pts["gcj02"] - pts["wgs84"]).T))) if len(xy) else 0.0
    names = frame["name"].to_numpy(dtype=object)[idx] if "name" in frame.columns else np.full(len(idx), None)
    noun = Text(s.title_en.lower(), s.title_zh)
    evidence = [
        _compound_evidence(project, layer, names, pts, noun),
        _same_site_evidence(project, layer, frame, idx, names, pts, noun),
        _road_evidence(project, s, pts, len(xy)),
    ]

    votes = {e.best() for e in evidence} - {None}
    if len(votes) == 1:
        return OffsetDecision(votes.pop(), evidence, sep)
    return OffsetDecision(None, evidence, sep, conflict=len(votes) > 1)


def _compound_evidence(project, layer: str, names, pts, noun: Text) -> Evidence:
    """Stations and boiler rooms named after a compound that fall in it, per hypothesis."""
    import shapely

    comp = _layer(project, "compounds") if layer in ("stations", "boiler_rooms") else None
    if comp is None:
        return Evidence(
            "named compounds",
            0,
            missing=Text("the project has no compounds", "项目中没有小区")
            if layer in ("stations", "boiler_rooms", "staff", "tickets")
            else Text("not used for {layer}", "不适用于 {layer}", layer=layer),
        )
    else:
        by_name: dict = {}
        for n, g in zip(comp["name"].to_numpy(dtype=object), comp.geometry.values):
            if n:
                by_name.setdefault(str(n), []).append(g)
        by_name = {k: (v[0] if len(v) == 1 else shapely.union_all(v)) for k, v in by_name.items()}
        hit = [(i, c) for i, c in enumerate(_compound_of(n, by_name) for n in names) if c is not None]
        rows = np.array([i for i, _ in hit], dtype=int)
        return _matched_evidence(
            "named compounds",
            Text(
                "{noun} named after a compound that fall in it (within {d:g} m)",
                "以小区命名且位于该小区内（{d:g} m 以内）的{noun}",
                noun=noun,
                d=SAME_PLACE_M,
            ),
            rows,
            np.array([by_name[c] for _, c in hit], dtype=object),
            pts,
            Text("no name matches a compound of the project", "没有名称与项目中的小区相符"),
        )


def _same_site_evidence(project, layer: str, frame, idx, names, pts, noun: Text) -> Evidence:
    """Features with the id or name of one already in the layer, at its place, per hypothesis."""
    s = spec(layer)
    have = _layer(project, layer)
    if have is None:
        return Evidence(
            "same sites",
            0,
            missing=Text("the project's layer {layer} is empty", "项目的图层 {layer} 是空的", layer=layer),
        )
    else:
        where = {}
        if "name" in have.columns:
            counts = have["name"].value_counts().to_dict()
            for n, g in zip(have["name"].to_numpy(dtype=object), have.geometry.values):
                if n is not None and counts.get(n, 0) == 1:
                    where[("name", str(n))] = g
        if s.id_field and s.id_field in have.columns:
            for i, g in zip(have[s.id_field].to_numpy(dtype=object), have.geometry.values):
                where[("id", str(i))] = g
        ids = frame[s.id_field].to_numpy(dtype=object)[idx] if s.id_field in frame.columns else [None] * len(idx)
        same: list[int] = []
        gs = []
        for k, (i, n) in enumerate(zip(ids, names)):
            g = where.get(("id", str(i))) if i is not None else None
            g = g if g is not None else (where.get(("name", str(n))) if n is not None else None)
            if g is not None:
                same.append(k)
                gs.append(g)
        return _matched_evidence(
            "same sites",
            Text(
                "{noun} with the id or name of one in the project, at its place (within {d:g} m)",
                "编号或名称与项目中相同、且位于原处（{d:g} m 以内）的{noun}",
                noun=noun,
                d=SAME_PLACE_M,
            ),
            np.array(same, dtype=int),
            np.array(gs, dtype=object),
            pts,
            Text(
                "no id or name matches one in the project's {layer}",
                "没有编号或名称与项目的 {layer} 相符",
                layer=layer,
            ),
        )


def _road_evidence(project, s, pts, n: int) -> Evidence:
    """Features within ``ON_ROAD_M`` of a road, per hypothesis."""
    import shapely

    roads = _layer(project, "roads")
    if roads is None:
        return Evidence("roads", 0, missing=Text("the project has no roads", "项目中没有道路"))
    else:
        tree = shapely.STRtree(np.asarray(roads.geometry.values))
        hits, med = {}, {}
        for h, p in pts.items():
            _, d = tree.query_nearest(shapely.points(p), return_distance=True, all_matches=False)
            hits[h] = int((d <= ON_ROAD_M).sum())
            med[h] = float(np.median(d))
        # points and polygons sit beside roads, not on them: for them only a landslide counts
        point_like = s.geometry != "LineString"
        return Evidence(
            "roads",
            n,
            hits,
            med,
            Text(
                "within {d:g} m of a road{beside}",
                "距道路 {d:g} m 以内{beside}",
                d=ON_ROAD_M,
                beside=Text(
                    " (sites stand beside roads: counts only if one system puts 70% there and the others 20%)",
                    "（站点位于路边而非路上：只有一种坐标系使 70% 落在路上、其他不超过 20% 时才计入）",
                )
                if point_like
                else "",
            ),
            landslide=point_like,
        )


def name_hint(path) -> str | None:
    """'gcj02' / 'bd09' when the file name names Amap/Tencent or Baidu."""
    name = Path(path).name.lower()
    for h, words in _NAME_WORDS.items():
        if any(w in name for w in words):
            return h
    return None


def choose_offset(frame, layer: str, project, path) -> tuple[str, list[Problem]]:
    """The ``from_crs`` for a file without a CRS whose longitudes/latitudes lie in China.

    Returns
    -------
    (str, list of Problem)
        ``EPSG:4326``, ``gcj02`` or ``bd09``, and a note giving the evidence.

    Raises
    ------
    HeatGISError
        The evidence is weak or contradictory, and the file name does not say:
        the planner must give ``--from-crs``.
    """
    d = weigh_offsets(frame, layer, project)
    hint = name_hint(path)
    lines = _lines(d)
    head = Text(
        "the file has no coordinate system; its longitudes/latitudes lie in China, where WGS84 (GPS, "
        "OpenStreetMap), GCJ-02 (Amap, Tencent) and BD-09 (Baidu) differ by about {m:,.0f} m "
        "(WGS84 to GCJ-02)",
        "文件没有坐标系；其经纬度位于中国境内，在中国 WGS84（GPS、OpenStreetMap）、GCJ-02（高德、腾讯）"
        "和 BD-09（百度）相差约 {m:,.0f} m（WGS84 与 GCJ-02 之间）",
        m=d.separation_m,
    )
    fix = Text(
        "give the system with --from-crs wgs84, gcj02 or bd09 (or choose it in the import dialog)",
        "请用 --from-crs wgs84、gcj02 或 bd09 指定坐标系（或在导入对话框中选择）",
    )
    if d.choice is not None:
        notes = [
            Problem(
                Text(
                    "{head}. Tested against the project: taken as {system}{converted}:\n{lines}",
                    "{head}。经与项目数据比对：按 {system} 读取{converted}：\n{lines}",
                    head=head,
                    system=LABEL[d.choice],
                    converted=Text(" and converted", "并已转换") if d.choice != "wgs84" else "",
                    lines=lines,
                ),
                FROM_CRS_IF_WRONG,
                str(path),
                layer,
                severity="info",
            )
        ]
        if hint is not None and hint != d.choice:
            notes.append(
                Problem(
                    Text(
                        "the file name suggests {hint}, but the project says {system}; taken as {system}",
                        "文件名表明是 {hint}，但与项目数据比对的结果是 {system}；按 {system} 读取",
                        hint=LABEL[hint],
                        system=LABEL[d.choice],
                    ),
                    fix,
                    str(path),
                    layer,
                    severity="warning",
                )
            )
        return FROM_CRS[d.choice], notes
    why = (
        Text("the evidence points to different systems", "各项证据指向不同的坐标系")
        if d.conflict
        else Text("the evidence is too weak to choose", "证据不足，无法选择")
    )
    if hint is not None and not d.conflict:
        return FROM_CRS[hint], [
            Problem(
                Text(
                    "{head}. Tested against the project, {why}:\n{lines}\n"
                    "taken as {hint} because the file name says so",
                    "{head}。经与项目数据比对，{why}：\n{lines}\n因文件名如此表明，按 {hint} 读取",
                    head=head,
                    why=why,
                    lines=lines,
                    hint=LABEL[hint],
                ),
                Text("{fix} if that is wrong", "如有误，{fix}", fix=fix),
                str(path),
                layer,
                severity="warning",
            )
        ]
    raise HeatGISError(
        Text(
            "{head}; tested against the project, {why}:\n{lines}",
            "{head}；经与项目数据比对，{why}：\n{lines}",
            head=head,
            why=why,
            lines=lines,
        ),
        fix,
        file=path,
        layer=layer,
    )


def _lines(d: OffsetDecision) -> Text:
    """The evidence, one indented line each."""
    return join((Text("  {e}", "  {e}", e=e.describe()) for e in d.evidence), "\n")


def check_declared(frame, layer: str, project, path) -> list[Problem]:
    """A warning when a file that declares WGS84/CGCS2000 longitudes/latitudes fits GCJ-02 or BD-09 clearly.

    Amap and Baidu exports (and GeoJSON, which always says WGS84) often declare
    WGS84 for offset coordinates. The declared system is kept; the planner is
    told what the project says and how to convert.
    """
    d = weigh_offsets(frame, layer, project)
    if d.choice in (None, "wgs84"):
        return []
    return [
        Problem(
            Text(
                "the file says {crs}, but tested against the project its coordinates fit "
                "{system} (about {m:,.0f} m off as they are):\n{lines}",
                "文件注明的坐标系是 {crs}，但与项目数据比对，"
                "其坐标符合 {system}（按原样会偏差约 {m:,.0f} m）：\n{lines}",
                crs=frame.crs.to_string(),
                system=LABEL[d.choice],
                m=d.separation_m,
                lines=_lines(d),
            ),
            Text(
                "import it again with --from-crs {choice} if it came from {source}",
                "如果数据来自{source}，请用 --from-crs {choice} 重新导入",
                choice=d.choice,
                source=Text("Amap or Tencent", "高德或腾讯") if d.choice == "gcj02" else Text("Baidu", "百度"),
            ),
            str(path),
            layer,
            severity="warning",
        )
    ]
