"""``heatgis published``: what each report told the meeting (the records ``heatgis report`` keeps).

Registered by ``heatgis.cli.build_parser`` through ``add_parser(sub)``.
"""

from __future__ import annotations

import json
import sys

from heatgis.cli import add_project_arg, project_path, tell
from heatgis.text import Text


def add_parser(subparsers):
    """Register the ``published`` subcommand."""
    s = subparsers.add_parser(
        "published",
        help="list the reports published from the project: their figures and data version",
        description="List what each report published (data time, figures, change, the project file's SHA-256, "
        "the files written), from the project's metadata and, with --out, the published.json of an output folder "
        "(the bundled demo's reports are recorded there only).",
    )
    add_project_arg(s)
    s.add_argument("--out", metavar="DIR", help="also read DIR/published.json (a report folder)")
    s.add_argument("--on", metavar="DATE", help="only the reports published on DATE or with figures of DATE")
    s.add_argument("--json", action="store_true", help="print the records as JSON")
    s.set_defaults(func=cmd_published)
    return s


def cmd_published(args) -> int:
    from heatgis.export.published import folder_records, project_records, record_lines, records_on
    from heatgis.model.project import parse_time
    from heatgis.model.store import open_project

    project = open_project(project_path(args))
    recs = project_records(project) + (folder_records(args.out) if args.out else [])
    seen, uniq = set(), []
    for r in recs:  # the same report in the project and in its folder
        key = (r.get("published"), r.get("out"))
        if key not in seen:
            seen.add(key)
            uniq.append(r)
    recs = records_on(sorted(uniq, key=lambda r: str(r.get("published"))), parse_time(args.on) if args.on else None)
    if args.json:
        json.dump(recs, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    if not recs:
        if args.on:
            tell(Text("no published reports on {day}", "{day} 没有发布的报告", day=args.on))
        else:
            tell(Text("no published reports", "没有发布的报告"))
        return 0
    for r in recs:
        print("\n".join(record_lines(r)))
    return 0
