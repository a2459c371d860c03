"""The impact as text for the terminal (bilingual labels: planners read Chinese)."""

from __future__ import annotations

from heatgis.analysis.impact import ImpactResult
from heatgis.cli.textfmt import table
from heatgis.model.vocab import area, bilingual, fmt_wan, households, label


def format_impact(r: ImpactResult, max_rows: int | None = 200) -> str:
    """The impact as text: totals, zones, districts, then the first ``max_rows`` rows of each
    table (``None``: all rows). Totals always count every site."""
    limit = len(r.sites) + len(r.zones) + len(r.downstream) + len(r.served_inside) if max_rows is None else max_rows
    lines = _impact_header(r)
    for part in (_zone_lines, _district_lines, _locked_site_lines, _downstream_lines, _served_inside_lines):
        lines += part(r, limit)
    return "\n".join(lines)


def _impact_header(r: ImpactResult) -> list[str]:
    """The network, the locked totals, the heat sources inside zones."""
    t, n = r.totals, r.network
    hs = n["heat_sources_by_kind"]
    nets = n["networks_by_kind"]
    fuels = ", ".join(f"{k} {v}" for k, v in n["boiler_rooms_by_fuel"].items()) or "-"
    lines = [
        f"{r.scenario or 'HeatGIS'} — {t.at:%Y-%m-%d %H:%M}",
        "",
        "Network 供热管网",
        f"  stations 换热站 {n['stations']}, boiler rooms 锅炉房 {n['boiler_rooms']} ({fuels})",
        f"  heat sources 热源: plants 热源厂 {hs['plant']}, CHP 热电联产 {hs['chp']} "
        f"({nets['chp']} networks), long-distance 长输 {hs['long_distance']} "
        f"({nets['long_distance']} network), coal boilers 燃煤锅炉 {hs['coal_boiler']}",
        f"  heated area 供热面积 {area(n['heated_area_m2'])}, households 户数 {households(n['households'])}",
        "",
        "Locked 封控锁闭 (sites in active sealed/controlled zones)",
        f"  stations 换热站 {t.stations}, boiler rooms 锅炉房 {t.boiler_rooms}",
        f"  heated area 供热面积 {area(t.heated_area_m2)}",
        f"  households 户数 {households(t.households)}",
        f"  staff locked in at home 居家封控员工 {t.staff_locked_in}",
        f"  crews 抢修队 {r.crews.get('crews', 0)} with {r.crews.get('members', 0)} members 人",
        f"  zones active 生效管控区 {t.zones_active} ({t.zones_locking} sealed/controlled)",
    ]
    if len(r.heat_sources):
        lines.append(
            "  heat sources inside zones 管控区内热源: "
            + ", ".join(f"{a} {b}" for a, b in zip(r.heat_sources["source_id"], r.heat_sources["name"]))
        )
    return lines


def _zone_lines(r: ImpactResult, limit: int) -> list[str]:
    """The active zones, most locking first."""
    lines: list[str] = []
    if len(r.zones):
        z = r.zones.sort_values(["locks", "stations", "zone_id"], ascending=[False, False, True])
        rows = [
            [
                zz.zone_id,
                zz.name,
                bilingual("level", zz.level),
                zz.start,
                zz.end or "-",
                zz.stations,
                zz.boiler_rooms,
                fmt_wan(zz.heated_area_m2),
                zz.households,
                zz.staff_locked_in,
            ]
            for zz in z.head(limit).itertuples()
        ]
        lines += [
            "",
            f"Active zones 生效管控区 ({len(r.zones)}; a site in two zones shows in both rows, "
            "the totals above count it once)",
            table(
                ["zone", "名称 name", "level 级别", "start 开始", "end 解除", "站", "锅炉房", "万㎡", "户", "员工"],
                rows,
                numeric={5, 6, 7, 8, 9},
            ),
        ]
        lines += _more(len(z), limit)
    return lines


def _district_lines(r: ImpactResult, limit: int) -> list[str]:
    """The locked sites by district."""
    lines: list[str] = []
    if len(r.sites):
        d = r.by_district.sort_values(["households", "district"], ascending=[False, True])
        rows = [
            [x.district or "-", x.stations, x.boiler_rooms, fmt_wan(x.heated_area_m2), x.households]
            for x in d.head(limit).itertuples()
        ]
        lines += [
            "",
            f"By district 分区 ({len(d)})",
            table(["区 district", "站", "锅炉房", "万㎡", "户"], rows, numeric={1, 2, 3, 4}),
        ]
        lines += _more(len(d), limit)
    return lines


def _locked_site_lines(r: ImpactResult, limit: int) -> list[str]:
    """The locked sites."""
    lines: list[str] = []
    if len(r.sites):
        rows = [
            [
                label("site_kind", s.kind),
                s.id,
                s.name,
                ";".join(s.zone_ids),
                s.district,
                s.network_id,
                f"{s.heated_area_m2:,.0f}",
                s.households,
            ]
            for s in r.sites.head(limit).itertuples()
        ]
        lines += [
            "",
            f"Locked sites 锁闭站点 ({len(r.sites)})",
            table(["类型", "id", "名称 name", "zones", "区 district", "network", "m²", "户"], rows, numeric={6, 7}),
        ]
        lines += _more(len(r.sites), limit, "--all")
    return lines


def _downstream_lines(r: ImpactResult, limit: int) -> list[str]:
    """Stations downstream of a locked heat source or boiler room (beside the totals)."""
    lines: list[str] = []
    if len(r.downstream):
        d = r.downstream
        rows = [
            [
                x.upstream_id,
                x.id,
                x.name,
                x.network_id,
                f"{x.heated_area_m2:,.0f}",
                x.households,
                "yes" if x.locked else "no",
            ]
            for x in d.head(limit).itertuples()
        ]
        lines += [
            "",
            "Downstream of a locked heat source or boiler room 锁闭热源/锅炉房下游换热站 "
            "(beside the totals, not added)",
            table(["upstream", "station", "名称 name", "network", "m²", "户", "locked"], rows, numeric={4, 5}),
        ]
        lines += _more(len(d), limit)
    return lines


def _served_inside_lines(r: ImpactResult, limit: int) -> list[str]:
    """Compounds inside zones heated from outside (beside the totals)."""
    lines: list[str] = []
    if len(r.served_inside):
        s = r.served_inside
        lines += [
            "",
            f"Compounds inside zones heated from outside 管控区内由区外站点供热的小区: {len(s)}, "
            f"{int(s['households'].sum()):,} households 户 (beside the totals, not added)",
        ]
        rows = [
            [c.compound_id, c.name, c.district, c.served_by, ";".join(c.zone_ids), c.households]
            for c in s.head(limit).itertuples()
        ]
        lines.append(table(["compound", "名称 name", "区", "served by 供热站点", "zones", "户"], rows, numeric={5}))
        lines += _more(len(s), limit)
    return lines


def _more(n: int, limit: int, how: str = "--all") -> list[str]:
    return [f"  ... {n - limit:,} more (give {how} or --limit N to see them)"] if n > limit else []
