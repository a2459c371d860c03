"""From a matched notice to lockdown zones: the zones of the matched compounds, the result the dialog
and ``heatgis zones-from-notice`` show, rebuilding with another level, and zones already in the project.
Reading and matching the notice is ``heatgis.io.notice``."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from heatgis.errors import HeatGISError, Problem
from heatgis.io.notice import (
    Notice,
    match_names,
    parse_notice,
)
from heatgis.model.vocab import zone_level
from heatgis.text import Text, join


def zones_from_matches(
    matches,
    compounds,
    start,
    level: str | None = None,
    end=None,
    source: str = "notice",
    buffer_m: float = 3.0,
    existing_ids=(),
    prefix: str | None = None,
):
    """One zone per accepted match, from the compound's polygon.

    Parameters
    ----------
    matches : list of NameMatch
        Only ``accepted`` ones make zones; a compound named twice makes one zone.
    compounds : GeoDataFrame
        In the project CRS (metres).
    start : Timestamp or str
        The zones' start (the notice's date).
    level : str, optional
        Forces the level; default: the notice section's level, else ``sealed``.
    end : optional
        None = still active.
    source : str
        Written into ``source``.
    buffer_m : float
        The polygon is grown by this many metres (sites on the fence count).
    existing_ids : iterable of str
        Zone ids already used.
    prefix : str, optional
        Zone id prefix; default ``N<yyyymmdd>``.

    Returns
    -------
    GeoDataFrame
        Conformed to the ``lockdown_zones`` contract.
    """
    import geopandas as gpd

    from heatgis.model.project import parse_time
    from heatgis.model.schema import ZONE_LEVELS, conform

    if start is None:
        raise HeatGISError(
            Text("the notice gives no date I can read", "通告中没有可识别的日期"),
            Text("give the start with --start 2022-02-25T08:00", "请用 --start 2022-02-25T08:00 指定开始时间"),
        )
    start = parse_time(start, Text("start time", "开始时间"))
    if level is not None and zone_level(level) is None:
        raise HeatGISError(
            Text("'{level}' is not a zone level", "'{level}' 不是管控级别", level=level),
            Text("use one of: {levels}", "请使用其中之一：{levels}", levels=join(ZONE_LEVELS)),
        )
    level = zone_level(level) if level is not None else None
    prefix = prefix or f"N{start:%Y%m%d}"
    used = {str(z) for z in existing_ids}
    by_id = {str(c): i for i, c in enumerate(compounds["compound_id"].astype(str))}
    geoms = np.asarray(compounds.geometry.values)
    rows, shapes, done = [], [], set()
    k = 0
    for m in matches:
        if not m.accepted or m.chosen is None or m.chosen.compound_id in done:
            continue
        done.add(m.chosen.compound_id)
        k += 1
        while f"{prefix}-{k:03d}" in used:
            k += 1
        zid = f"{prefix}-{k:03d}"
        used.add(zid)
        how = f"notice name '{m.query.text}' ({m.chosen.method} {m.chosen.score:g})"
        if m.query.detail:
            how += f"; notice adds: {m.query.detail}"
        rows.append(
            dict(
                zone_id=zid,
                name=m.chosen.name,
                level=level or m.query.level or "sealed",
                start=start,
                end=end,
                source=source,
                notes=how,
            )
        )
        shapes.append(
            geoms[by_id[m.chosen.compound_id]].buffer(buffer_m) if buffer_m else geoms[by_id[m.chosen.compound_id]]
        )
    frame = gpd.GeoDataFrame(
        pd.DataFrame(rows, columns=["zone_id", "name", "level", "start", "end", "source", "notes"]),
        geometry=gpd.GeoSeries(shapes, crs=compounds.crs),
        crs=compounds.crs,
    )
    return conform("lockdown_zones", frame)


@dataclass
class NoticeResult:
    """A notice read and matched; ``zones`` holds the accepted matches' zones."""

    notice: Notice
    matches: list
    zones: object
    start: pd.Timestamp | None
    notes: list = field(default_factory=list)
    #: (compound name, zone id) of the zones the project already holds (same name, level, start and
    #: outline: the notice, or this part of it, was imported before); they are not in ``zones``
    already: list = field(default_factory=list)

    @property
    def matched(self):
        return [m for m in self.matches if m.accepted]

    @property
    def to_confirm(self):
        return [m for m in self.matches if m.status == "confirm" and not m.accepted]

    @property
    def unmatched(self):
        return [m for m in self.matches if m.status == "unmatched"]


def notice_to_zones(
    project, text: str, start=None, level: str | None = None, min_score: float = 85.0, source: str | None = None
) -> NoticeResult:
    """Read a notice, match its names against the project's compounds and make the zones.

    The project is not changed: add ``result.zones`` with
    :class:`heatgis.io.commands.AddZones`.
    """
    notice = parse_notice(text)
    if not notice.names:
        raise HeatGISError(
            Text("no compound names found in the notice", "通告中没有找到小区名称"),
            Text(
                "paste the list of compounds (names separated by 、 or one per line)",
                "请粘贴小区名单（名称用、分隔，或每行一个）",
            ),
        )
    compounds = project.layer("compounds")
    matches = match_names(notice.names, compounds, min_score=min_score)
    start = start if start is not None else notice.date
    zones = zones_from_matches(
        matches,
        compounds,
        start,
        level=level,
        source=source or (notice.title[:80] or "notice"),
        existing_ids=project.layer("lockdown_zones")["zone_id"].astype(str),
    )
    notes = [
        Problem(
            Text("'{name}' matched no compound", "'{name}' 没有匹配到小区", name=m.query.text),
            Text("draw this zone by hand, or check the name", "请手工绘制该管控区，或核对名称"),
            layer="compounds",
            row=str(m.query.line),
            severity="warning",
        )
        for m in matches
        if m.status == "unmatched"
    ]
    zones, already = split_already_added(project.layer("lockdown_zones"), zones)
    notes += [
        Problem(
            Text(
                "'{name}' is already in the project as zone {zid} (same level, start and outline)",
                "'{name}' 已是项目中的管控区 {zid}（级别、开始时间和边界相同）",
                name=name,
                zid=zid,
            ),
            Text("nothing to do: it is not added twice", "无需处理：不会重复添加"),
            layer="lockdown_zones",
            row=zid,
            severity="info",
        )
        for name, zid in already
    ]
    return NoticeResult(notice, matches, zones, pd.Timestamp(start) if start is not None else None, notes, already)


def rebuild_zones(project, result: NoticeResult, level: str | None = None) -> object:
    """The zones again after confirmations changed which matches are accepted."""
    compounds = project.layer("compounds")
    result.zones = zones_from_matches(
        result.matches,
        compounds,
        result.start,
        level=level,
        source=result.notice.title[:80] or "notice",
        existing_ids=project.layer("lockdown_zones")["zone_id"].astype(str),
    )
    result.zones, result.already = split_already_added(project.layer("lockdown_zones"), result.zones)
    return result.zones


def split_already_added(existing, zones, tolerance_m2: float = 1.0):
    """Split new zones into those to add and those the project already holds.

    A zone is already there when an existing zone has the same name, level and start and the same
    outline (symmetric difference below ``tolerance_m2``): importing a notice twice adds nothing.

    Returns
    -------
    (GeoDataFrame, list of (name, existing zone_id))
        The zones to add (a filtered copy; ``zones`` is not changed) and the duplicates.
    """
    if len(zones) == 0 or existing is None or len(existing) == 0:
        return zones, []
    ex = existing.reset_index(drop=True)
    key: dict[tuple, list[int]] = {}
    for i, (name, level, start) in enumerate(zip(ex["name"].astype(str), ex["level"].astype(str), ex["start"])):
        key.setdefault((name, level, pd.Timestamp(start) if not pd.isna(start) else None), []).append(i)
    keep, already = [], []
    for j, z in enumerate(zones.itertuples(index=False)):
        start = pd.Timestamp(z.start) if not pd.isna(z.start) else None
        same = None
        for i in key.get((str(z.name), str(z.level), start), ()):
            g = ex.geometry.iloc[i]
            if g is not None and z.geometry is not None and g.symmetric_difference(z.geometry).area < tolerance_m2:
                same = str(ex["zone_id"].iloc[i])
                break
        if same is None:
            keep.append(j)
        else:
            already.append((str(z.name), same))
    return zones.iloc[keep].reset_index(drop=True), already
