"""``heatgis heat``: the cold snap — heat demand at the forecast temperature against each network's capacity.

Registered by ``heatgis.cli.build_parser`` through ``add_parser(sub)``.
"""

from __future__ import annotations

import json
import math
import sys

from heatgis.cli import DRY_RUN, add_force_arg, add_project_arg, add_strict, check_quality, project_path, say, tell
from heatgis.errors import HeatGISError
from heatgis.model.vocab import label
from heatgis.text import Text

RULES_EXAMPLE = (
    '{"heat": {"design_outdoor_c": -17, "indoor_c": 18, "lockdown_uplift": 0.1, '
    '"boiler_room_w_m2": 45, "fit_min_points": 24, "fit_min_r2": 0.5, '
    '"patrol_interval_h": [[0, 12], [-10, 8], [-15, 4], [-20, 2]], '
    '"risk_weights": {"load": 0.4, "unstaffed": 0.3, "since_visit": 0.2, "households": 0.1}}}'
)


def add_parser(subparsers):
    """Register the ``heat`` subcommand."""
    s = subparsers.add_parser(
        "heat",
        help="cold snap: heat demand per network and boiler room against capacity, sites at risk",
        description="Each station's load at every hour of the forecast by the degree-hour method "
        "Q = Q_design x (T_in - T)/(T_in - T_design) (or its own line fitted to metered history), plus the "
        "lockdown uplift for households inside active sealed/controlled zones; the balance of each network "
        "(heat sources' capacity) and boiler room at the coldest hour, the hours in deficit, and the locked "
        "sites most at risk (load, staffed or not, time since the last crew visit, households).",
        epilog="Weather file (CSV/XLSX): a time column (time/时间) and a temperature column (outdoor_c/气温, °C), "
        "one row per hour; --weather FILE --save keeps it in the project. Metered file: station_id/换热站编号, "
        f"time/时间, heat_kw/热负荷. Rules file (JSON, every key optional): {RULES_EXAMPLE}",
    )
    add_project_arg(s)
    s.add_argument("--at", help="start of the forecast, e.g. 2022-02-25T08:00 (default: the reference time)")
    s.add_argument("--hours", type=int, default=72, help="hours of forecast (default 72)")
    s.add_argument("--temp", type=float, metavar="C", help="a constant outdoor temperature (°C) instead of the series")
    s.add_argument("--weather", metavar="FILE", help="read the hourly weather from a CSV/XLSX file")
    s.add_argument("--metered", metavar="FILE", help="read metered station heat (station, time, kW) from CSV/XLSX")
    s.add_argument("--save", action="store_true", help="keep the --weather/--metered tables in the project file")
    add_force_arg(s)
    s.add_argument("--rules", metavar="FILE", help="rules file (JSON) with a 'heat' section (see below)")
    s.add_argument(
        "--no-staffing",
        action="store_true",
        help="do not plan the staffing at the coldest hour (the risk score then takes every site as "
        "not known to be staffed)",
    )
    s.add_argument(
        "--crews",
        action="store_true",
        help="plan the crews' first 24 hours from the start (heatgis crews; time since the last visit "
        "in the risk score)",
    )
    s.add_argument("--time-limit", type=float, default=2.0, metavar="S", help="seconds of crew planning (default 2)")
    s.add_argument("--top", type=int, default=10, help="sites at risk listed (default 10)")
    s.add_argument("--json", action="store_true", help="print JSON instead of tables")
    s.add_argument("--csv", metavar="OUT", help="write the hourly table per network (CSV)")
    add_strict(s)
    s.set_defaults(func=cmd_heat)
    return s


def cmd_heat(args) -> int:
    from heatgis.analysis.heat_risk import heat_outlook
    from heatgis.analysis.staffing.rules import StaffingRules
    from heatgis.model.store import open_project, save_project

    rules = StaffingRules.load(args.rules) if args.rules else StaffingRules()
    if args.top < 0:
        raise HeatGISError(
            Text("--top {n} is negative", "--top {n} 是负数", n=args.top),
            Text("give a number of sites, e.g. --top 10", "请给出站点数，如 --top 10"),
        )
    args.project = project_path(args)
    project = open_project(args.project)
    notes = list(project.notes)
    if args.weather or args.metered:
        from heatgis.io.weather import read_metered, read_weather

        if args.weather:
            weather, more = read_weather(args.weather)
            notes += more
            project.set_layer("weather", weather)
            say(
                Text(
                    "read {n} hours of weather from {file} ({first:%Y-%m-%d %H:%M} to {last:%Y-%m-%d %H:%M})",
                    "从 {file} 读取了 {n} 小时的气象数据（{first:%Y-%m-%d %H:%M} 至 {last:%Y-%m-%d %H:%M}）",
                    n=len(weather),
                    file=args.weather,
                    first=weather["time"].min(),
                    last=weather["time"].max(),
                )
            )
        if args.metered:
            metered, more = read_metered(args.metered)
            notes += more
            project.set_layer("metered", metered)
            say(
                Text(
                    "read {n} metered readings of {k} stations from {file}",
                    "从 {file} 读取了 {k} 个换热站的 {n} 条实测读数",
                    n=len(metered),
                    k=metered["station_id"].nunique(),
                    file=args.metered,
                )
            )
    elif args.save:
        raise HeatGISError(
            Text("--save keeps what --weather or --metered read", "--save 保存的是 --weather 或 --metered 读入的数据"),
            Text("add --weather FILE or --metered FILE", "请加上 --weather FILE 或 --metered FILE"),
        )
    # the file's stored values describe the layers as read: not asked once a layer was replaced
    quality = check_quality(project, args, storage=not (args.weather or args.metered))
    if args.csv:
        from heatgis.export.files import check_writable

        check_writable(args.csv)
    if args.save:
        save_project(project, force=args.force)
        say(Text("saved into {path}", "已保存到 {path}", path=args.project))
    crew_plan = None
    if args.crews:  # the crews' plan from the start of the horizon (routing sits above analysis)
        from heatgis.routing.planner import crews_view

        crew_plan = crews_view(project, at=args.at, hours=min(args.hours, 24), time_limit=args.time_limit)
    result = heat_outlook(
        project,
        at=args.at,
        hours=args.hours,
        temp=args.temp,
        rules=rules,
        staffing=not args.no_staffing,
        crew_plan=crew_plan,
    )
    notes += result.notes
    if args.csv:
        write_hourly_csv(result, args.csv)
        say(
            Text(
                "wrote {n} rows (hours x networks) to {file}",
                "已把 {n} 行（小时 × 管网）写入 {file}",
                n=len(result.hourly),
                file=args.csv,
            )
        )
    if args.json:
        doc = result.to_dict(top=args.top)
        doc["notes"] = [str(n) for n in notes]
        doc["data_problems"] = quality.to_dict()
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    for n in notes:
        say(n)
    print(format_heat(result, args.top))
    return 0


def import_table(
    project_path, file, layer: str, encoding=None, dry_run: bool = False, mode: str | None = None, force: bool = False
) -> int:
    """``heatgis import PROJECT FILE --layer weather|metered``: read the table, report, save into the project.

    ``mode`` is "replace" or "append" (new readings win where the times, and stations, are the same);
    required when the table already has rows."""
    from heatgis.io.weather import read_metered, read_weather
    from heatgis.model.store import open_project, save_project

    project = open_project(project_path)
    frame, notes = (read_weather if layer == "weather" else read_metered)(file, encoding=encoding)
    for n in notes:
        say(n)
    old = len(project.layer(layer)) if project.has(layer) else 0
    if old and mode is None and not dry_run:
        raise HeatGISError(
            Text("the {layer} table already has {n} rows", "{layer} 表中已有 {n} 行", layer=layer, n=old),
            Text(
                "add --replace to replace them with the file's, or --append to add the file's "
                "(its rows win at the same time)",
                "加上 --replace 用文件中的行替换它们，或加上 --append 添加文件中的行（同一时刻以文件为准）",
            ),
            file=project_path,
            layer=layer,
        )
    if old and mode == "append":
        import pandas as pd

        keys = ["time"] if layer == "weather" else ["station_id", "time"]
        frame = (
            pd.concat([project.layer(layer), frame], ignore_index=True)
            .drop_duplicates(keys, keep="last")
            .sort_values(keys)
            .reset_index(drop=True)
        )
    if not old:
        rows = Text(
            "{layer}: {n} rows from {file}", "{layer}：来自 {file} 的 {n} 行", layer=layer, n=len(frame), file=file
        )
    elif mode != "append":
        rows = Text(
            "{layer}: {n} rows from {file} (replacing {old})",
            "{layer}：来自 {file} 的 {n} 行（替换原有的 {old} 行）",
            layer=layer,
            n=len(frame),
            file=file,
            old=old,
        )
    else:
        rows = Text(
            "{layer}: {n} rows from {file} (with the {old} there)",
            "{layer}：来自 {file} 的 {n} 行（含原有的 {old} 行）",
            layer=layer,
            n=len(frame),
            file=file,
            old=old,
        )
    if len(frame):
        rows = Text(
            "{rows}, {first:%Y-%m-%d %H:%M} to {last:%Y-%m-%d %H:%M}",
            "{rows}，{first:%Y-%m-%d %H:%M} 至 {last:%Y-%m-%d %H:%M}",
            rows=rows,
            first=frame["time"].min(),
            last=frame["time"].max(),
        )
    tell(rows)
    if dry_run:
        tell(DRY_RUN)
        return 0
    project.set_layer(layer, frame)
    save_project(project, force=force)
    tell(Text("saved into {path}", "已保存到 {path}", path=project_path))
    return 0


def write_hourly_csv(result, path) -> None:
    """The hourly table (time, network, outdoor °C, demand, capacity, margin MW, deficit), UTF-8 with BOM."""
    from pathlib import Path

    from heatgis.model.cells import safe_frame

    out = safe_frame(result.hourly.assign(time=result.hourly["time"].dt.strftime("%Y-%m-%dT%H:%M")))
    try:
        out.to_csv(Path(path), index=False, encoding="utf-8-sig")
    except OSError as exc:
        raise HeatGISError(
            Text("the CSV could not be written ({why})", "无法写出 CSV（{why}）", why=exc.strerror),
            Text("choose another file", "请选择其他文件"),
            file=path,
        ) from exc


def _mw(v) -> str:
    return "-" if _missing(v) else f"{v:,.1f}"


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def format_heat(result, top: int = 10) -> str:
    """The heat balance as bilingual terminal tables."""
    lines = _heat_header(result) + _network_lines(result) + _boiler_room_lines(result) + _risk_lines(result, top)
    return "\n".join(lines)


def _heat_header(result) -> list[str]:
    """The coldest hour, demand against capacity, the deficits, the rules."""
    from heatgis.analysis.staffing.rules import patrol_interval_h

    t = result.totals()
    r = result.rules
    br = result.boiler_rooms
    return [
        f"{result.scenario or 'HeatGIS'} — heat balance 供热平衡 — {result.at:%Y-%m-%d %H:%M} + {len(result.hours)} h",
        "",
        (
            f"  coldest hour 最冷时刻 {result.coldest_time:%Y-%m-%d %H:%M}: {result.coldest_c:.1f} °C "
            f"({result.temperature_source}); patrol locked sites every {patrol_interval_h(r, result.coldest_c):.1f} h"
        ),
        f"  demand 需求 {_mw(t['demand_mw'])} MW vs capacity 供热能力 {_mw(t['capacity_mw'])} MW at the coldest hour",
        (
            f"  networks in deficit 缺口管网 {t['networks_in_deficit']}/{t['networks']}, boiler rooms in deficit "
            f"缺口锅炉房 {t['boiler_rooms_in_deficit']}/{len(br)} (any hour of the forecast)"
        ),
        (
            f"  rules 规则: T_design {r.design_outdoor_c:g} °C, T_in {r.indoor_c:g} °C, lockdown uplift "
            f"+{r.lockdown_uplift * 100:g} %, boiler rooms {r.boiler_room_w_m2:g} W/m²; stations on a metered fit "
            f"{t['stations_fitted']}"
        ),
    ]


def _network_lines(result) -> list[str]:
    """Each network at the coldest hour."""
    from heatgis.cli.textfmt import table

    n = result.networks
    lines: list[str] = []
    rows = [
        [
            x.network_id,
            x.kind,
            x.stations,
            _mw(x.capacity_mw),
            _mw(x.demand_mw),
            _mw(x.margin_mw),
            "-" if _missing(x.margin_pct) else f"{x.margin_pct:.1f}",
            _mw(x.peak_demand_mw),
            x.hours_in_deficit,
            x.first_deficit or "-",
        ]
        for x in n.itertuples()
    ]
    lines += [
        "",
        f"Networks at the coldest hour 最冷时刻各管网 ({len(n)})",
        table(
            [
                "network 管网",
                "kind 类型",
                "stations 站",
                "capacity MW",
                "demand MW",
                "margin MW",
                "margin %",
                "peak MW",
                "h deficit 缺口小时",
                "first deficit",
            ],
            rows,
            numeric={2, 3, 4, 5, 6, 7, 8},
        ),
    ]
    return lines


def _boiler_room_lines(result) -> list[str]:
    """The boiler rooms in deficit at any hour of the forecast."""
    from heatgis.cli.textfmt import table

    br = result.boiler_rooms
    lines: list[str] = []
    bad = br[br["hours_in_deficit"] > 0]
    if len(bad):
        rows = [
            [
                x.asset_id,
                x.name,
                _mw(x.capacity_mw),
                _mw(x.own_mw),
                _mw(x.fed_mw),
                _mw(x.demand_mw),
                _mw(x.margin_mw),
                x.hours_in_deficit,
                x.first_deficit or "-",
            ]
            for x in bad.itertuples()
        ]
        lines += [
            "",
            f"Boiler rooms in deficit 缺口锅炉房 ({len(bad)})",
            table(
                [
                    "boiler room 锅炉房",
                    "名称 name",
                    "capacity MW",
                    "own MW",
                    "feeds MW",
                    "demand MW",
                    "margin MW",
                    "h deficit",
                    "first deficit",
                ],
                rows,
                numeric={2, 3, 4, 5, 6, 7},
            ),
        ]
    else:
        lines += ["", "Boiler rooms in deficit 缺口锅炉房: none 无"]
    return lines


def _risk_lines(result, top: int) -> list[str]:
    """The ``top`` locked sites most at risk."""
    from heatgis.cli.textfmt import table

    lines: list[str] = []
    k = result.risk.head(top)
    if len(k):
        rows = [
            [
                x.rank,
                label("site_kind", x.site_kind),
                x.site_id,
                x.name,
                f"{x.load_kw / 1000:,.2f}",
                f"{x.households:,}",
                x.staffed,
                "-" if _missing(x.hours_since_visit) else f"{x.hours_since_visit:g}",
                f"{x.score:.1f}",
            ]
            for x in k.itertuples()
        ]
        lines += [
            "",
            (
                f"Locked sites most at risk 风险最高的锁闭站点 (top {len(k)} of {len(result.risk)}; "
                "score 0-100 = weighted load, unstaffed, time since crew visit, households)"
            ),
            table(
                [
                    "#",
                    "类型",
                    "site 站点",
                    "名称 name",
                    "load MW",
                    "households 户",
                    "staffed 驻守",
                    "h since crew",
                    "score",
                ],
                rows,
                numeric={0, 4, 5, 7, 8},
            ),
        ]
    else:
        lines += ["", "No site is locked at the coldest hour 最冷时刻无锁闭站点"]
    return lines
