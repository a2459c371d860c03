"""The pages of a print layout, built from an ImpactResult (plain values for ``render.layout``).

``situation_page`` is the city (or one district, or a given extent) map with the
headline KPIs; ``atlas_pages`` is a map series, one page per active zone or per
district. ``map_renderer`` prepares the screen's renderer for a project with
the locked sites ringed and, when given, the staffing and crew plans drawn. The
figures are those of ``ImpactResult`` (one meaning everywhere: screen, CLI, PDF,
slides, spreadsheet); the words and units those of ``heatgis.model.vocab``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from heatgis.errors import HeatGISError
from heatgis.model.vocab import fmt_wan, label, level_label
from heatgis.text import Text


def kpi_tiles(totals: dict, lang: str = "zh") -> list[tuple[str, str, str]]:
    """(label, value, unit) tiles from plain totals.

    ``totals`` keys: stations, boiler_rooms, heated_area_m2, households, staff_locked_in,
    crews, members (the last three optional).
    """
    zh = lang == "zh"
    out = [
        ("锁闭换热站" if zh else "Locked stations", f"{int(totals['stations'])}", "座" if zh else ""),
        ("锁闭锅炉房" if zh else "Locked boiler rooms", f"{int(totals['boiler_rooms'])}", "座" if zh else ""),
        (
            "影响供热面积" if zh else "Heated area",
            fmt_wan(totals["heated_area_m2"]),
            "万㎡" if zh else "10k m²",
        ),
        ("影响户数" if zh else "Households", fmt_wan(totals["households"]), "万户" if zh else "10k"),
    ]
    if totals.get("staff_locked_in") is not None:
        out.append(
            ("居家封控员工" if zh else "Staff locked in", f"{int(totals['staff_locked_in'])}", "人" if zh else "")
        )
    if totals.get("crews") is not None:
        out.append(
            (
                "抢修队 / 队员" if zh else "Crews / members",
                f"{int(totals['crews'])}/{int(totals.get('members') or 0)}",
                "队/人" if zh else "",
            )
        )
    return out


def heat_rows(heat, n: int = 10) -> list[list[str]]:
    """The ``n`` tightest networks (lowest margin % first) at the coldest hour: network, capacity,
    demand, margin MW, margin %, hours in deficit; the figures of ``heatgis heat`` to 0.1 MW."""
    nets = heat.networks.sort_values(["margin_pct", "network_id"], kind="stable", na_position="last").head(n)

    def mw(v):
        return "-" if v != v else f"{v:,.1f}"

    return [
        [
            r.network_id,
            mw(r.capacity_mw),
            mw(r.demand_mw),
            mw(r.margin_mw),
            "-" if r.margin_pct != r.margin_pct else f"{r.margin_pct:.1f}",
            str(int(r.hours_in_deficit)),
        ]
        for r in nets.itertuples()
    ]


def heat_title(heat, lang: str = "zh") -> str:
    """The panel's title: the coldest hour and its temperature."""
    if lang == "zh":
        return f"供热平衡 · 最冷时刻 {heat.coldest_time:%m-%d %H:%M} {heat.coldest_c:.1f} °C"
    return f"Heat balance · coldest hour {heat.coldest_time:%m-%d %H:%M} {heat.coldest_c:.1f} °C"


def heat_source_text(heat, lang: str = "zh") -> str:
    """Where the temperatures come from: the project's weather series, or a constant."""
    if heat.temperature_source == "weather":
        return "气象序列" if lang == "zh" else "weather series"
    return f"恒定 {heat.coldest_c:g} °C" if lang == "zh" else f"constant {heat.coldest_c:g} °C"


def heat_city_row(heat, lang: str = "zh") -> list[str]:
    """The whole city at the coldest hour: capacity, demand, margin (MW, %), networks in deficit."""
    t = heat.totals()
    cap, dem = t["capacity_mw"], t["demand_mw"]
    pct = f"{(cap - dem) / cap * 100:.1f}" if cap else "-"
    return [
        "全网" if lang == "zh" else "city",
        f"{cap:,.1f}",
        f"{dem:,.1f}",
        f"{cap - dem:,.1f}",
        pct,
        f"{t['networks_in_deficit']}/{t['networks']}",
    ]


def result_totals(result) -> dict:
    t = result.totals
    return {
        "stations": t.stations,
        "boiler_rooms": t.boiler_rooms,
        "heated_area_m2": t.heated_area_m2,
        "households": t.households,
        "staff_locked_in": t.staff_locked_in,
        "crews": result.crews.get("crews", 0),
        "members": result.crews.get("members", 0),
    }


def site_rows(sites: pd.DataFrame, lang: str = "zh") -> list[tuple]:
    """Rows of the locked-sites table, largest heated area first."""
    if sites is None or len(sites) == 0:
        return []
    s = sites.sort_values(["heated_area_m2", "id"], ascending=[False, True], kind="stable")
    return [
        (
            label("site_kind", r.kind, lang),
            r.name,
            "、".join(r.zone_ids),
            r.district or "",
            fmt_wan(r.heated_area_m2),
            f"{int(r.households):,}",
        )
        for r in s.itertuples()
    ]


def default_titles(project, result, lang: str = "zh") -> tuple[str, str]:
    """Title and subtitle from the scenario and the time of the figures."""
    name = (project.name or "HeatGIS").split(" ")[0] if lang == "zh" else (project.name or "HeatGIS")
    at = result.at
    t = result.totals
    if lang == "zh":
        return (
            f"{name} 疫情封控区供热影响图",
            f"{at:%Y年%m月%d日 %H:%M} · 生效管控区 {t.zones_active} 个（封控/管控 {t.zones_locking} 个）",
        )
    return (
        f"{name}: lockdown impact on heating",
        f"{at:%Y-%m-%d %H:%M} · {t.zones_active} active zones ({t.zones_locking} sealed/controlled)",
    )


def sources_text(project, result, lang: str = "zh") -> str:
    """Data sources: the project file and the notices of the active zones."""
    parts = [Path(str(project.path)).name if project.path else (project.name or "HeatGIS")]
    z = project.layer("lockdown_zones")
    if len(z) and "source" in z.columns:
        ids = set(result.zones["zone_id"]) if len(result.zones) else set()
        src = z.loc[z["zone_id"].isin(ids), "source"].dropna().astype(str)
        src = [s for s in pd.unique(src) if s.strip()]
        if src:
            zh = lang == "zh"
            more = (f" 等 {len(src)} 份通告" if zh else f" and more ({len(src)} notices)") if len(src) > 2 else ""
            parts.append(("管控区：" if zh else "zones: ") + ("；" if zh else "; ").join(src[:2]) + more)
    return ("；" if lang == "zh" else "; ").join(parts)


def locked_xy(project, result) -> np.ndarray:
    """Coordinates of the locked sites (for the rings on the map)."""
    from heatgis.analysis.sites import site_frame

    if len(result.sites) == 0:
        return np.zeros((0, 2))
    sites, geoms = site_frame(project)
    key = sites["kind"].astype(str) + "|" + sites["id"].astype(str)
    pos = dict(zip(key, range(len(key))))
    want = (result.sites["kind"].astype(str) + "|" + result.sites["id"].astype(str)).map(pos).dropna()
    g = np.asarray(geoms)[want.astype(int).to_numpy()]
    return np.column_stack([shapely.get_x(g), shapely.get_y(g)])


def map_renderer(project, result, style=None, lang: str = "zh", staffing=None, crew_plan=None):
    """The screen's renderer for ``project`` at the result's time, locked sites ringed.

    Parameters
    ----------
    project : Project
    result : ImpactResult
    style : MapStyle, optional
    lang : {"zh", "en"}
    staffing : StaffingPlan, optional
        Rings the locked sites by staffing status (``SiteStatusOverlay``).
    crew_plan : CrewPlan, optional
        Draws the crews' routes and numbered stops (``RoutesOverlay``).

    The plans become ``renderer.overlays``, so the printed map and its legend
    show them as the screen does.
    """
    from heatgis.render.mapdraw import MapRenderer, style_for

    r = MapRenderer(project, style or style_for(project, lang), result.at)
    r.highlight.set_locked(locked_xy(project, result))
    r.overlays = plan_overlays(project, staffing, crew_plan)
    return r


def plan_overlays(project, staffing=None, crew_plan=None) -> list:
    """The overlays of the plans given (staffing status rings below the crew routes)."""
    from heatgis.render.overlays import RoutesOverlay, SiteStatusOverlay

    out = []
    if staffing is not None:
        ov = SiteStatusOverlay()
        ov.set_plan(staffing)
        out.append(ov)
    if crew_plan is not None:
        from heatgis.routing.planner import site_points

        sp = site_points(project)
        ov = RoutesOverlay()
        ov.set_plan(crew_plan, dict(zip(sp["site_id"], sp["geometry"])))
        out.append(ov)
    return out


#: the fix of an unknown atlas (``--atlas``)
ATLAS_FIX = Text("use --atlas zones or --atlas districts", "使用 --atlas zones 或 --atlas districts")


def atlas_unknown(by) -> Text:
    return Text("atlas '{by}' is not known", "图册类型 '{by}' 无法识别", by=by)


def city_extent(renderer) -> tuple:
    b = renderer.city_bounds()
    if b is None:
        raise HeatGISError(
            Text("the project has nothing to draw", "项目中没有可绘制的内容"),
            Text("add stations, compounds or zones to the project", "向项目中添加换热站、小区或管控区"),
        )
    return _pad(b, 0.02)


def _pad(b, frac: float, min_size: float = 0.0) -> tuple:
    x0, y0, x1, y1 = (float(v) for v in b)
    w, h = max(x1 - x0, min_size), max(y1 - y0, min_size)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    w, h = w * (1 + 2 * frac), h * (1 + 2 * frac)
    return (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def district_geometry(project, name: str):
    """The outline of district ``name`` (HeatGISError naming the known districts)."""
    d = project.layer("districts")
    if len(d) == 0:
        raise HeatGISError(
            Text(
                "district '{name}' cannot be shown: the project has no districts",
                "无法显示区 '{name}'：项目中没有行政区",
                name=name,
            ),
            Text("leave out --district, or add the districts layer", "去掉 --district，或添加行政区图层"),
            file=project.path,
            layer="districts",
        )
    hit = d[d["name"].astype(str) == str(name)]
    if len(hit) == 0:
        raise HeatGISError(
            Text("no district is named '{name}'", "没有名为 '{name}' 的区", name=name),
            Text("use one of: {names}", "可用的区：{names}", names=", ".join(d["name"].astype(str))),
            file=project.path,
            layer="districts",
            field="name",
        )
    return shapely.union_all(np.asarray(hit.geometry.values))


def situation_page(
    project,
    result,
    renderer,
    extent=None,
    district: str | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    lang: str = "zh",
    heat=None,
):
    """The situation map: the city (or a district, or ``extent``) with the city's KPIs and locked sites;
    with ``heat`` (a HeatResult) the tightest networks at the coldest hour (drawn on A3 pages)."""
    from heatgis.render.layout import MapPage

    t0, s0 = default_titles(project, result, lang)
    sites = result.sites
    focus = None
    highlight = ""
    if district:
        focus = district_geometry(project, district)
        city = shapely.box(*city_extent(renderer))
        area = focus.intersection(city) if focus.intersects(city) else focus
        extent = extent or _pad(area.bounds, 0.04)
        sites = sites[sites["district"].astype(str) == str(district)]
        highlight = (
            f"{district}：锁闭站点 {len(sites)} 处" if lang == "zh" else f"{district}: {len(sites)} locked sites"
        )
    extent = extent or city_extent(renderer)
    return MapPage(
        title=title or t0,
        subtitle=subtitle if subtitle is not None else s0,
        extent=tuple(extent),
        at=result.at,
        kpis=kpi_tiles(result_totals(result), lang),
        sites=site_rows(sites, lang),
        sources=sources_text(project, result, lang),
        crs=str(project.crs),
        overview_extent=city_extent(renderer),
        highlight=highlight,
        lang=lang,
        focus=focus,
        heat=[heat_city_row(heat, lang)] + heat_rows(heat, 6) if heat is not None else [],
        heat_title=heat_title(heat, lang) if heat is not None else "",
    )


def zones_with_impact(zones: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """The sealed and controlled zones that lock sites, most households first; and how many more
    lock only staff in (no site). Precaution zones lock nothing."""
    if len(zones) == 0:
        return zones, 0
    locks = zones["locks"].astype(bool) if "locks" in zones.columns else zones["level"].isin(("sealed", "controlled"))
    sites = (zones["stations"] + zones["boiler_rooms"]) > 0
    z = zones[locks & sites].sort_values(["households", "zone_id"], ascending=[False, True], kind="stable")
    return z, int((locks & ~sites & (zones["staff_locked_in"] > 0)).sum())


def atlas_pages(
    project, result, renderer, by: str = "zones", title: str | None = None, lang: str = "zh", all_zones: bool = False
):
    """A map series: one page per active zone (``by="zones"``) or per district.

    Each page's KPI tiles are that zone's (or district's) figures; the subtitle
    keeps the city totals. Zone pages: only the zones with impact (locked sites or staff locked
    in; ``all_zones`` for every active zone), most households first, each zoomed to its zone.
    """
    from heatgis.render.layout import MapPage

    if by not in ("zones", "districts"):
        raise HeatGISError(atlas_unknown(by), ATLAS_FIX)
    t0, _ = default_titles(project, result, lang)
    t = result.totals
    city = (
        f"全市：锁闭换热站 {t.stations} 座、锅炉房 {t.boiler_rooms} 座，{fmt_wan(t.heated_area_m2)} 万㎡，"
        f"{fmt_wan(t.households)} 万户"
        if lang == "zh"
        else f"City: {t.stations} stations, {t.boiler_rooms} boiler rooms locked, "
        f"{fmt_wan(t.heated_area_m2)} x10k m², {fmt_wan(t.households)} x10k households"
    )
    common = dict(
        at=result.at,
        sources=sources_text(project, result, lang),
        crs=str(project.crs),
        overview_extent=city_extent(renderer),
        lang=lang,
    )
    pages = []
    if by == "zones":
        zones = project.layer("lockdown_zones").set_index("zone_id")
        shown = zones_with_impact(result.zones)[0] if not all_zones else result.zones
        shown = shown.sort_values(["households", "zone_id"], ascending=[False, True], kind="stable")
        for z in shown.itertuples():
            geom = zones.loc[z.zone_id].geometry
            sites = result.sites[result.sites["zone_ids"].map(lambda ids, zid=z.zone_id: zid in ids)]
            level = level_label(z.level, lang)
            end = z.end or ("未解除" if lang == "zh" else "open")
            hl = f"{z.zone_id} {z.name}（{level}） {str(z.start).replace('T', ' ')} — {str(end).replace('T', ' ')}"
            totals = {
                "stations": z.stations,
                "boiler_rooms": z.boiler_rooms,
                "heated_area_m2": z.heated_area_m2,
                "households": z.households,
                "staff_locked_in": z.staff_locked_in,
            }
            pages.append(
                MapPage(
                    title=title or t0,
                    subtitle=city,
                    extent=_pad(geom.bounds, 0.35, 1500.0),
                    kpis=kpi_tiles(totals, lang),
                    sites=site_rows(sites, lang),
                    highlight=hl,
                    focus=geom,
                    **common,
                )
            )
        return pages
    d = project.layer("districts")
    if len(d) == 0:
        raise HeatGISError(
            Text("the project has no districts for a district atlas", "项目中没有行政区，无法按区制作图册"),
            Text("use --atlas zones", "使用 --atlas zones"),
            file=project.path,
            layer="districts",
        )
    by_d = result.by_district.set_index("district") if len(result.by_district) else None
    cityb = shapely.box(*city_extent(renderer))
    for row in d.itertuples():
        name = str(row.name)
        geom = row.geometry
        sites = result.sites[result.sites["district"].astype(str) == name]
        r = by_d.loc[name] if by_d is not None and name in by_d.index else None
        totals = {
            "stations": int(r["stations"]) if r is not None else 0,
            "boiler_rooms": int(r["boiler_rooms"]) if r is not None else 0,
            "heated_area_m2": float(r["heated_area_m2"]) if r is not None else 0.0,
            "households": int(r["households"]) if r is not None else 0,
        }
        area = geom.intersection(cityb) if geom.intersects(cityb) and not geom.intersection(cityb).is_empty else geom
        pages.append(
            MapPage(
                title=title or t0,
                subtitle=city,
                extent=_pad(area.bounds, 0.04, 1500.0),
                kpis=kpi_tiles(totals, lang),
                sites=site_rows(sites, lang),
                highlight=f"{name}（{row.adcode}）",
                focus=geom,
                **common,
            )
        )
    return pages
