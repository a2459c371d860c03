"""``heatgis demo``: regenerate the demo city (deterministic)."""
from __future__ import annotations

from heatgis.cli.paths import DEMO_PATH


def add_parser(sub) -> None:
    s = sub.add_parser("demo", help="regenerate the Hohhot demo city (deterministic)")
    s.add_argument("path", nargs="?", default=str(DEMO_PATH), help=f"output .gpkg (default {DEMO_PATH})")
    s.set_defaults(func=cmd_demo)


def cmd_demo(args) -> int:
    from heatgis.sample import generate_demo

    project = generate_demo(path=args.path)
    print(f"wrote {args.path}: " + ", ".join(f"{k} {len(v)}" for k, v in project.layers.items()))
    return 0
