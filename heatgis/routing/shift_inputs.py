"""The inputs of a crew shift: the sites, the duty list (from the staffing plan or the locked sites),
the shift window and the crews on it. Used by ``heatgis.routing.planner`` and ``dispatch``."""

from __future__ import annotations

import numpy as np
import pandas as pd

from heatgis.errors import HeatGISError
from heatgis.model.schema import feature_ids
from heatgis.text import Text

#: the crews' two shifts
SHIFTS = {"day": ("08:00", "20:00"), "night": ("20:00", "08:00")}


def site_points(project) -> pd.DataFrame:
    """All stations and boiler rooms: site_id, kind, name, address, geometry (object column)."""
    parts = []
    for layer, _idf, kind in (("stations", "station_id", "station"), ("boiler_rooms", "asset_id", "boiler_room")):
        if not project.has(layer):
            continue
        f = project.layer(layer)
        parts.append(
            pd.DataFrame(
                {
                    "site_id": feature_ids(f, layer),
                    "kind": kind,
                    "name": f["name"].astype(object).to_numpy() if "name" in f.columns else "",
                    "address": (
                        f["address"].astype(object).where(f["address"].notna(), "").to_numpy()
                        if "address" in f.columns
                        else ""
                    ),
                    "geometry": np.asarray(f.geometry.values, dtype=object),
                }
            )
        )
    if not parts:
        return pd.DataFrame(columns=["site_id", "kind", "name", "address", "geometry"])
    return pd.concat(parts, ignore_index=True)


def duty_list(project, at, zones=None, duty=None) -> tuple[pd.DataFrame, str]:
    """The visits of the shift and where the list came from.

    Returns
    -------
    (DataFrame, str)
        Columns site_id, kind, name, address, zone_ids, priority, service_min,
        window_start, window_end, geometry; and "staffing", "locked" or "given".
    """
    zones = project.layer("lockdown_zones") if zones is None else zones
    sites = site_points(project).set_index("site_id", drop=False)
    source = "given"
    if duty is None or (isinstance(duty, str) and duty == "auto"):
        duty, source = _staffing_duty(project, at, zones), "staffing"
    if isinstance(duty, str):
        if duty != "locked":
            raise HeatGISError(
                Text("unknown duty list {duty!r}", "无法识别的任务清单 {duty!r}", duty=duty),
                Text("use 'auto', 'locked' or give a table", "使用 'auto'、'locked' 或给出一张表"),
            )
        from heatgis.analysis.impact import ImpactEngine

        res = ImpactEngine(project).compute(zones, at)
        duty = pd.DataFrame({"site_id": res.sites["id"].astype(str), "zone_ids": res.sites["zone_ids"]})
        source = "locked"
    duty = pd.DataFrame(duty).copy()
    col = next((c for c in ("site_id", "id", "station_id", "asset_id") if c in duty.columns), None)
    if col is None:
        raise HeatGISError(
            Text("the duty list has no site_id column", "任务清单没有 site_id 列"),
            Text("give one site id per row", "每行给出一个站点编号"),
        )
    duty["site_id"] = duty[col].astype(str)
    duty = duty.drop_duplicates("site_id")
    unknown = ~duty["site_id"].isin(sites.index)
    if unknown.any():
        bad = duty["site_id"][unknown].iloc[0]
        raise HeatGISError(
            Text(
                "the duty list names the site '{site}', which is neither a station nor a boiler room of the project",
                "任务清单中的站点 '{site}' 既不是本项目的换热站，也不是锅炉房",
                site=bad,
            ),
            Text("correct the site id", "改正站点编号"),
            layer="stations",
            row=bad,
        )
    twice = sites.index[sites.index.duplicated()]
    if len(twice):
        raise HeatGISError(
            Text(
                "the site id '{site}' is used by {n} stations or boiler rooms ({ids} id(s) used more than once)",
                "站点编号 '{site}' 被 {n} 个换热站或锅炉房使用（共 {ids} 个编号重复）",
                site=twice[0],
                n=int((sites.index == twice[0]).sum()),
                ids=len(set(twice)),
            ),
            Text(
                "give each station and boiler room its own id ('heatgis validate' lists them all)",
                "为每个换热站和锅炉房设置各自的编号（'heatgis validate' 会全部列出）",
            ),
            file=None if project.path is None else str(project.path),
            layer="stations",
            row=twice[0],
            field="station_id",
        )
    s = sites.loc[duty["site_id"]]
    out = pd.DataFrame(
        {
            "site_id": duty["site_id"].to_numpy(),
            "kind": s["kind"].to_numpy(),
            "name": s["name"].to_numpy(),
            "address": s["address"].to_numpy(),
        }
    )
    out["zone_ids"] = duty["zone_ids"].to_numpy() if "zone_ids" in duty.columns else [[] for _ in range(len(out))]
    out["priority"] = (
        pd.to_numeric(duty["priority"], errors="coerce").fillna(0).astype(int).to_numpy()
        if "priority" in duty.columns
        else 0
    )
    for c in ("service_min", "window_start", "window_end"):
        out[c] = duty[c].to_numpy() if c in duty.columns else None
    out["geometry"] = s["geometry"].to_numpy()
    return out.reset_index(drop=True), source


def duty_from_staffing(plan) -> pd.DataFrame:
    """The crews' duty list of a StaffingPlan, priorities as the planner reads them (higher = sooner).

    The staffing plan ranks 1 = nobody inside (most urgent); ``plan_routes`` serves higher
    priorities first. The routes panel and ``duty="auto"`` both use this one conversion.
    """
    duty = pd.DataFrame(plan.duty_list).copy()
    if "priority" in duty.columns and len(duty):
        p = pd.to_numeric(duty["priority"], errors="coerce").fillna(0)
        duty["priority"] = (p.max() + 1 - p).astype(int)
    return duty


def _staffing_duty(project, at, zones):
    """The staffing plan's sites left to crews; its priority 1 (nobody inside) is the most urgent."""
    from heatgis.analysis.staffing import plan_staffing

    return duty_from_staffing(plan_staffing(project, at, zones=zones))


def shift_window(at: pd.Timestamp, shift: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The day (08:00–20:00) or night (20:00–08:00) shift that holds ``at`` or comes next."""
    if shift not in SHIFTS:
        raise HeatGISError(
            Text("unknown shift {shift!r}", "无法识别的班次 {shift!r}", shift=shift),
            Text("use --shift day or --shift night", "使用 --shift day（白班）或 --shift night（夜班）"),
        )
    day = at.normalize()
    if shift == "day":
        start = day + pd.Timedelta(hours=8)
        if at >= day + pd.Timedelta(hours=20):
            start += pd.Timedelta(days=1)
        return start, start + pd.Timedelta(hours=12)
    start = day + pd.Timedelta(hours=20)
    if at < day + pd.Timedelta(hours=8):
        start -= pd.Timedelta(days=1)
    return start, start + pd.Timedelta(hours=12)


def crews_on_shift(project, shift_start: pd.Timestamp, shift: str) -> pd.DataFrame:
    """Crews of the shift (by their shift_start) with their own shift window and depot point."""
    crews = project.layer("crews")
    if len(crews) == 0:
        raise HeatGISError(
            Text("the project has no crews", "项目中没有抢修队"),
            Text("add the emergency crews to the 'crews' table", "在 'crews' 表中添加抢修队"),
            file=project.path,
            layer="crews",
        )
    depots = project.layer("depots")
    dep = {str(d): (g, n) for d, g, n in zip(depots["depot_id"], depots.geometry, depots["name"])}
    rows = []
    for _i, c in enumerate(crews.itertuples(index=False)):
        cid = str(c.crew_id)
        h0, m0, h1, m1 = crew_clock(project, c)
        is_day = 4 <= h0 < 16
        if is_day != (shift == "day"):
            continue
        check_crew_depot(project, c, dep)
        s = shift_start.normalize() + pd.Timedelta(hours=h0, minutes=m0)
        if abs((s - shift_start).total_seconds()) > 12 * 3600:
            s += pd.Timedelta(days=1) if s < shift_start else -pd.Timedelta(days=1)
        e = s.normalize() + pd.Timedelta(hours=h1, minutes=m1)
        if e <= s:
            e += pd.Timedelta(days=1)
        g, dname = dep[str(c.depot_id)]
        rows.append(
            {
                "crew_id": cid,
                "name": str(c.name),
                "depot_id": str(c.depot_id),
                "depot_name": str(dname),
                "members": int(c.members) if pd.notna(c.members) else 0,
                "shift_start": s,
                "shift_end": e,
                "geometry": g,
            }
        )
    if not rows:
        raise HeatGISError(
            Text(
                "no crew works the {shift} shift",
                "没有抢修队上{shift_zh}",
                shift=shift,
                shift_zh={"day": "白班", "night": "夜班"}.get(shift, shift),
            ),
            Text(
                "check the crews' shift_start, or plan the other shift",
                "检查抢修队的 shift_start，或为另一班次编排计划",
            ),
            file=project.path,
            layer="crews",
        )
    return pd.DataFrame(rows)


def crew_clock(project, crew) -> tuple[int, int, int, int]:
    """(start hour, start minute, end hour, end minute) of a crew's ``shift_start``/``shift_end``
    (HH:MM), or a HeatGISError naming the crew's row."""
    try:
        h0, m0 = (int(x) for x in str(crew.shift_start).split(":")[:2])
        h1, m1 = (int(x) for x in str(crew.shift_end).split(":")[:2])
    except ValueError:
        raise HeatGISError(
            Text(
                "the shift '{start}'-'{end}' is not HH:MM",
                "班次 '{start}'-'{end}' 不是 HH:MM 格式",
                start=crew.shift_start,
                end=crew.shift_end,
            ),
            Text("write shift_start and shift_end as 08:00 / 20:00", "将 shift_start 和 shift_end 写成 08:00 / 20:00"),
            file=project.path,
            layer="crews",
            row=str(crew.crew_id),
            field="shift_start",
        ) from None
    return h0, m0, h1, m1


def check_crew_depot(project, crew, depots: dict) -> None:
    """A HeatGISError naming the crew's row when its ``depot_id`` is not among ``depots`` (ids)."""
    if str(crew.depot_id) not in depots:
        raise HeatGISError(
            Text(
                "the crew's depot '{depot}' is not in the depots layer",
                "抢修队的驻地 '{depot}' 不在 depots 图层中",
                depot=crew.depot_id,
            ),
            Text("correct depot_id or add the depot", "改正 depot_id 或添加该驻地"),
            file=project.path,
            layer="crews",
            row=str(crew.crew_id),
            field="depot_id",
        )
