"""``heatgis validate``: every problem of a project against the layer contract."""

from __future__ import annotations

import json
import sys

from heatgis.cli import add_project_arg, project_path
from heatgis.text import Text, join, localize


def add_parser(sub) -> None:
    s = sub.add_parser(
        "validate",
        help="check a project against the layer contract, print every problem",
        description="Read every layer of the project and check it against the layer contract (required "
        "fields, types, allowed values, unique ids, geometry, references between layers). Prints every "
        "problem with its layer, row and field, and the fix; exit code 1 when there are errors.",
        epilog="example: heatgis validate my.gpkg --json",
    )
    add_project_arg(s)
    s.add_argument("--json", action="store_true", help="print the problems as JSON")
    s.set_defaults(func=cmd_validate)


def cmd_validate(args) -> int:
    from heatgis.analysis.quality import check_project
    from heatgis.model.store import open_project

    args.project = project_path(args)
    project = open_project(args.project, strict=False)
    quality = check_project(project)  # the same check as every command's warning line
    problems = [n for n in project.notes if n.severity not in ("error", "warning")] + list(quality.problems)
    if args.json:
        json.dump([p.to_dict() for p in problems], sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        for p in problems:
            print(p.text())  # in heatgis.text.language(): HEATGIS_LANG, else the system's
        layers = join(f"{k} {len(v)}" for k, v in project.layers.items())
        summary = Text(
            "{file}: {errors} error(s), {warnings} warning(s); layers: {layers}",
            "{file}：{errors} 个错误，{warnings} 个警告；图层：{layers}",
            file=args.project,
            errors=quality.errors,
            warnings=quality.total - quality.errors,
            layers=layers,
        )
        print(localize(summary))
    return 1 if quality.errors else 0
