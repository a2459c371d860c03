"""``heatgis push`` and ``heatgis pull``: a project into a PostgreSQL/PostGIS schema and back into a file.

The URL names the database and the schema: ``postgresql://USER@HOST:PORT/DATABASE?schema=NAME``.
The password comes from ``PGPASSWORD``, ``~/.pgpass`` or a service file, never from the URL.
"""

from __future__ import annotations

from heatgis.cli import tell
from heatgis.text import Text

URL_HELP = "project in a database: postgresql://USER@HOST:PORT/DATABASE?schema=NAME (password: ~/.pgpass or PGPASSWORD)"


def add_parser(sub) -> None:
    s = sub.add_parser(
        "push",
        help="put a project into a PostgreSQL/PostGIS schema (shared by several planners)",
        description="Write the project's layers into a new schema of a PostgreSQL database with PostGIS: typed "
        "tables with a primary key, a GiST index and the project's CRS, row versions, an audit table filled "
        "by triggers, change notifications, and the roles SCHEMA_viewer (read only) and SCHEMA_editor. "
        "Every command then takes the URL where it takes a project file. postgresql:///DATABASE?schema=NAME is "
        "a local server as your login; elsewhere postgresql://USER@HOST:5432/DATABASE?schema=NAME.",
        epilog="example: heatgis push my.gpkg 'postgresql:///heat?schema=hohhot'",
    )
    s.add_argument("project", metavar="PROJECT.gpkg", help="the project file to push")
    s.add_argument("url", metavar="URL", help=URL_HELP)
    s.add_argument("--replace", action="store_true", help="replace a HeatGIS project already in that schema")
    s.set_defaults(func=cmd_push)

    s = sub.add_parser(
        "pull",
        help="copy a project from a PostgreSQL/PostGIS schema into a GeoPackage",
        description="Read the project from the database and write it into a new GeoPackage.",
        epilog="example: heatgis pull 'postgresql:///heat?schema=hohhot' copy.gpkg",
    )
    s.add_argument("url", metavar="URL", help=URL_HELP)
    s.add_argument("out", metavar="OUT.gpkg", help="the GeoPackage to write")
    s.add_argument("--replace", action="store_true", help="overwrite OUT.gpkg when it exists")
    s.set_defaults(func=cmd_pull)

    s = sub.add_parser(
        "history",
        help="who changed what in a project on PostgreSQL (the audit the database keeps)",
        description="List the latest edits of a project in the database, newest first: time (UTC), user, "
        "layer, row, what was done and the row's version; --row shows the values before and after.",
        epilog="example: heatgis history 'postgresql:///heat?schema=hohhot' --layer lockdown_zones",
    )
    s.add_argument("url", metavar="URL", help=URL_HELP)
    s.add_argument("--layer", help="only this layer")
    s.add_argument("--row", help="only this row id (e.g. Z-005); shows the changed values")
    s.add_argument("--limit", type=int, default=50, help="at most this many edits (default 50)")
    s.set_defaults(func=cmd_history)


def cmd_push(args) -> int:
    from heatgis.model.store import open_project
    from heatgis.model.store.pgconn import parse_url
    from heatgis.model.store.pgpush import push_project
    from heatgis.model.store.pgschema import role_names

    project = open_project(args.project)
    counts = push_project(project, args.url, replace=args.replace)
    viewer, editor = role_names(parse_url(args.url).schema)
    tell(
        Text(
            "pushed {rows} rows in {layers} layers into {url}",
            "已把 {layers} 个图层的 {rows} 行推送到 {url}",
            rows=sum(counts.values()),
            layers=len(counts),
            url=args.url,
        )
    )
    tell(
        Text(
            "roles: {viewer} (view only), {editor} (edit); GRANT one to each planner's login",
            "角色：{viewer}（只能查看）、{editor}（可编辑）；用 GRANT 授予每位规划人员的登录用户其中之一",
            viewer=viewer,
            editor=editor,
        )
    )
    return 0


def cmd_pull(args) -> int:
    from heatgis.model.store.pgpush import pull_project

    project = pull_project(args.url, args.out, replace=args.replace)
    rows = sum(len(f) for f in project.layers.values())
    tell(
        Text(
            "pulled {rows} rows in {layers} layers into {file}",
            "已把 {layers} 个图层的 {rows} 行拉取到 {file}",
            rows=rows,
            layers=len(project.layers),
            file=args.out,
        )
    )
    return 0


def cmd_history(args) -> int:
    from heatgis.model.store.pgfollow import audit_history

    hist = audit_history(args.url, layer=args.layer, row_id=args.row, limit=args.limit)
    if hist.empty:
        tell(Text("no edits recorded", "没有编辑记录"))
        return 0
    for _, h in hist.iterrows():
        line = f"{h['at']:%Y-%m-%d %H:%M:%S} UTC  {h['user']:<12} {h['op']:<6} {h['layer']} {h['row_id']}"
        print(line + (f" (version {h['version']})" if h["version"] is not None else ""))
        if args.row and h["op"] == "UPDATE":
            before, after = h["before"] or {}, h["after"] or {}
            for k in sorted(set(before) | set(after)):
                if k not in ("heatgis_version", "heatgis_changed_at", "heatgis_changed_by", "geom") and (
                    before.get(k) != after.get(k)
                ):
                    print(f"    {k}: {before.get(k)!r} -> {after.get(k)!r}")
            if before.get("geom") != after.get("geom"):
                tell(Text("    geometry changed", "    几何已修改"))
    return 0
