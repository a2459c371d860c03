"""Batch commands that bring data in: ``heatgis import`` and ``heatgis zones-from-notice``.

Registered by ``heatgis.cli.build_parser`` through :func:`add_parser`. Both read
everything and check it before the project file is touched; the project is then
saved atomically (``--dry-run`` only prints what would happen).
"""

from __future__ import annotations

from pathlib import Path

from heatgis.cli import DRY_RUN, add_force_arg, add_strict, check_quality, tell
from heatgis.errors import HeatGISError
from heatgis.model.vocab import level_arg
from heatgis.text import Text, join


def _mapping_written(file) -> Text:
    return Text("mapping written to {file}", "字段映射已写入 {file}", file=file)


def add_parser(sub) -> None:
    """Add the ``import`` and ``zones-from-notice`` subcommands to ``sub``."""
    s = sub.add_parser(
        "import",
        help="import a Shapefile/GeoPackage/GeoJSON/KML/CSV/XLSX/DXF/OSM into a layer",
        description="Read a foreign file into one layer of the project: field mapping (suggested "
        "from the headers, or --mapping), text encoding (detected, or --encoding), coordinate "
        "system (from the file, guessed, or --from-crs; gcj02/bd09 are converted), geometry "
        "repair. The project is saved only when the whole file is valid.",
    )
    s.add_argument("project", help="project GeoPackage (.gpkg); created if it does not exist")
    s.add_argument("file", help="the file to import")
    s.add_argument("--layer", required=True, help="contract layer: stations, compounds, roads, lockdown_zones ...")
    s.add_argument("--mapping", metavar="M.json", help="field mapping saved earlier")
    s.add_argument(
        "--from-crs",
        metavar="CRS",
        help="gcj02 (Amap/Tencent), bd09 (Baidu), wgs84 or EPSG:xxxx "
        "(default: the file's; lon/lat in China without one are tested against the project)",
    )
    s.add_argument("--encoding", help="text encoding of a Shapefile DBF or CSV (utf-8, gbk)")
    s.add_argument("--source-layer", help="layer or sheet inside the file")
    s.add_argument("--x", help="x / longitude column of a table")
    s.add_argument("--y", help="y / latitude column of a table")
    how = s.add_mutually_exclusive_group()
    how.add_argument("--append", action="store_true", help="add the file's rows to the layer's rows")
    how.add_argument("--replace", action="store_true", help="replace the layer's rows with the file's")
    s.add_argument(
        "--save-mapping",
        metavar="M.json",
        help="write the mapping used, to reuse it (also when "
        "required fields are missing: complete it and import with --mapping)",
    )
    s.add_argument("--dry-run", action="store_true", help="read and check only; do not change the project")
    add_force_arg(s)
    s.epilog = (
        "--append or --replace is required when the layer already has rows. "
        "example: heatgis import my.gpkg data/examples/stations.xlsx --layer stations --from-crs gcj02 --append"
    )
    add_strict(
        s,
        "do not save when the project would have errors after the import (e.g. pipes or staff "
        "pointing at replaced stations); without it a one-line warning is printed",
    )
    s.set_defaults(func=cmd_import)

    s = sub.add_parser(
        "zones-from-notice",
        help="lockdown zones from an announcement's list of compounds",
        description="Split a lockdown notice (.txt or .docx) into compound names, match them "
        "against the compounds layer (exact, suffix variants, fuzzy), and add one zone per "
        "matched compound. Names below --min-score or with two close candidates are listed "
        "for confirmation and not added; unmatched names are listed.",
    )
    s.add_argument("project", help="project GeoPackage (.gpkg)")
    s.add_argument("notice", help="the notice text (.txt in UTF-8 or GBK, or .docx)")
    s.add_argument("--start", help="start of the zones (default: the date in the notice)")
    s.add_argument("--end", help="end of the zones (default: open)")
    s.add_argument(
        "--level",
        type=level_arg,
        metavar="LEVEL",
        help="level of every zone: sealed/封控区, controlled/管控区 or precaution/防范区 "
        "(default: the notice's section, else sealed)",
    )
    s.add_argument("--min-score", type=float, default=85.0, help="auto-accept matches at or above (default 85)")
    s.add_argument("--accept-all", action="store_true", help="also accept the proposed candidate of names to confirm")
    s.add_argument("--encoding", help="encoding of a .txt notice (default: detected)")
    s.add_argument("--dry-run", action="store_true", help="list the matches only")
    add_force_arg(s)
    s.epilog = (
        "A compound whose zone (same name, level, start and outline) is already in the project is "
        "reported and not added again.\n"
        "example: heatgis zones-from-notice my.gpkg data/examples/notice.txt --level 管控区 --dry-run"
    )
    add_strict(s, "do not save when the project would have errors with the new zones")
    s.set_defaults(func=cmd_zones_from_notice)


def _open_or_new(path):
    from heatgis.model.project import Project
    from heatgis.model.store import is_url, open_project

    if is_url(path):
        return open_project(path)
    p = Path(path)
    if p.exists():
        return open_project(p)
    if p.suffix.lower() != ".gpkg":
        raise HeatGISError(
            Text("a project is a GeoPackage", "项目是 GeoPackage 文件"),
            Text("give the project file the .gpkg ending", "项目文件名请以 .gpkg 结尾"),
            file=p,
        )
    return Project(path=p)


def _check_writable(args) -> None:
    """Refuse the bundled demo before any work is done (``save_project`` refuses it too)."""
    from heatgis.paths import is_bundled_demo

    if not args.dry_run and not args.force and is_bundled_demo(args.project):
        raise HeatGISError(
            Text(
                "this is the bundled demo project, which HeatGIS does not change by default",
                "这是自带的演示项目，HeatGIS 默认不修改它",
            ),
            Text(
                "work on a copy: 'heatgis demo my.gpkg', then import into my.gpkg (--force changes the demo itself)",
                "请在副本上工作：先运行“heatgis demo my.gpkg”，再导入到 my.gpkg（--force 会修改演示项目本身）",
            ),
            file=args.project,
        )


def _check_folder(args) -> None:
    """The project's folder can take the save (a clear error before any work otherwise)."""
    from heatgis.model.store import is_url

    if not args.dry_run and not is_url(args.project):
        from heatgis.export.files import check_writable

        check_writable(args.project)


def cmd_import(args) -> int:
    if args.layer in ("weather", "metered"):  # plain tables, read with their own checks (heatgis/io/weather.py)
        from heatgis.cli.heat import import_table

        _check_writable(args)
        mode = "append" if args.append else "replace" if args.replace else None
        return import_table(
            args.project, args.file, args.layer, args.encoding, dry_run=args.dry_run, mode=mode, force=args.force
        )
    from heatgis.io.importer import apply_import, import_layer
    from heatgis.model.store import save_project

    _check_folder(args)
    project = _open_or_new(args.project)
    _check_writable(args)
    rows = len(project.layer(args.layer)) if project.has(args.layer) else 0
    if rows and not (args.append or args.replace or args.dry_run):
        raise HeatGISError(
            Text("layer '{layer}' already has {n} rows", "图层“{layer}”中已有 {n} 行", layer=args.layer, n=rows),
            Text(
                "add --append to add the file's rows to them, or --replace to replace them",
                "加上 --append 把文件中的行添加进去，或加上 --replace 替换它们",
            ),
            file=args.project,
            layer=args.layer,
        )
    try:
        result = import_layer(
            project,
            args.file,
            args.layer,
            mapping=args.mapping,
            from_crs=args.from_crs,
            encoding=args.encoding,
            source_layer=args.source_layer,
            x=args.x,
            y=args.y,
        )
    except HeatGISError as exc:  # still write the mapping so far: the planner completes it by hand
        if args.save_mapping and getattr(exc, "mapping", None) is not None:
            exc.mapping.save(args.save_mapping, missing=exc.missing, columns=exc.columns)
            lack = join(f"{k} ({v})" for k, v in exc.missing.items())
            if lack:
                tell(
                    Text(
                        "mapping written to {file}; required fields without a column: {lack}. "
                        'Map them in its "fields" (the file\'s columns are listed under "columns") and run again '
                        "with --mapping {file}",
                        "字段映射已写入 {file}；没有对应列的必填字段：{lack}。"
                        '请在其 "fields" 中映射它们（文件的列列在 "columns" 下），然后用 --mapping {file} 重新运行',
                        file=args.save_mapping,
                        lack=lack,
                    )
                )
            else:
                tell(_mapping_written(args.save_mapping))
        raise
    tell(result.summary())  # in heatgis.text.language(), as the errors
    if args.save_mapping:
        result.mapping.save(args.save_mapping)
        tell(_mapping_written(args.save_mapping))
    if args.dry_run:
        tell(DRY_RUN)
        return 0
    apply_import(project, result, mode="append" if args.append else "replace")
    # the whole project after the change: replacing the stations can leave pipes, compounds and
    # staff pointing at ids that are gone (saved all the same, unless --strict)
    check_quality(project, args, storage=False)
    save_project(project, args.project, force=args.force)
    tell(
        Text(
            "saved {path}: layer {layer} now has {n} rows",
            "已保存 {path}：图层 {layer} 现有 {n} 行",
            path=args.project,
            layer=args.layer,
            n=len(project.layer(args.layer)),
        )
    )
    return 0


def cmd_zones_from_notice(args) -> int:
    from heatgis.io.commands import AddZones
    from heatgis.io.notice import read_notice
    from heatgis.io.notice_zones import notice_to_zones, rebuild_zones
    from heatgis.model.project import parse_time
    from heatgis.model.store import open_project, save_project

    _check_folder(args)
    project = open_project(args.project)
    _check_writable(args)
    text = read_notice(args.notice, args.encoding)
    start = parse_time(args.start, "start time") if args.start else None
    result = notice_to_zones(
        project, text, start=start, level=args.level, min_score=args.min_score, source=Path(args.notice).name
    )
    if args.accept_all:
        for m in result.to_confirm:
            m.confirm()
    if args.end or args.accept_all:
        rebuild_zones(project, result, level=args.level)
        if args.end:
            end = parse_time(args.end, "end time")
            result.zones["end"] = end
            from heatgis.model.schema import conform

            result.zones = conform("lockdown_zones", result.zones)
    n = result.notice
    tell(
        Text(
            "{title}\nstart: {start:%Y-%m-%d %H:%M}; {k} names in the notice",
            "{title}\n开始：{start:%Y-%m-%d %H:%M}；通告中有 {k} 个名称",
            title=n.title,
            start=result.start,
            k=len(n.names),
        )
    )
    for m in result.matches:
        c = m.chosen
        if m.accepted:
            print(f"  ✓ {m.query.text} → {c.name} ({c.compound_id}, {c.method} {c.score:g})")
    to_confirm = [m for m in result.matches if m.status == "confirm" and not m.accepted]
    if to_confirm:
        tell(
            Text(
                "to confirm (not added; rerun with --accept-all or confirm in the notice dialog):",
                "待确认（未添加；加上 --accept-all 重新运行，或在通告对话框中确认）：",
            )
        )
        for m in to_confirm:
            print(
                f"  ? {m.query.text} → "
                + ", ".join(f"{c.name} ({c.compound_id}, {c.score:g})" for c in m.candidates[:3])
            )
    if result.unmatched:
        tell(Text("unmatched (draw these zones by hand):", "未匹配（请手工绘制这些管控区）："))
        for m in result.unmatched:
            print(f"  ✗ {m.query.text}")
    for name, zone_id in result.already:
        tell(
            Text(
                "  = {name}: already in the project as zone {id} (not added again)",
                "  = {name}：项目中已有，为管控区 {id}（不再添加）",
                name=name,
                id=zone_id,
            )
        )
    new = Text("{n} new zone(s) from the notice", "通告中有 {n} 个新管控区", n=len(result.zones))
    if result.already:
        new = Text("{new}, {k} already in the project", "{new}，{k} 个项目中已有", new=new, k=len(result.already))
    tell(new)
    if args.dry_run or len(result.zones) == 0:
        tell(Text("the project was not changed", "项目未改变"))
        return 0
    AddZones(result.zones, source=Path(args.notice).name).do(project)
    check_quality(project, args, storage=False)
    save_project(project, args.project, force=args.force)
    tell(
        Text(
            "saved {path}: {n} zones in all",
            "已保存 {path}：共 {n} 个管控区",
            path=args.project,
            n=len(project.layer("lockdown_zones")),
        )
    )
    return 0
