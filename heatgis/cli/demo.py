"""``heatgis demo``: write the demo city (deterministic) to a new project file."""

from __future__ import annotations

from pathlib import Path

from heatgis.cli import add_force_arg, tell
from heatgis.errors import HeatGISError
from heatgis.paths import DEMO_PATH
from heatgis.text import Text, join


def add_parser(sub) -> None:
    s = sub.add_parser(
        "demo",
        help="write the Hohhot demo city into a project file, to work on a copy",
        description="Generate the Hohhot demo city (deterministic: the same file as the bundled demo) into "
        "PATH, e.g. 'heatgis demo my.gpkg', then edit my.gpkg. The bundled demo itself is only regenerated "
        "with --force (without PATH, or PATH naming it).",
        epilog="example: heatgis demo my.gpkg && heatgis impact my.gpkg",
    )
    s.add_argument("path", nargs="?", metavar="PATH.gpkg", help="the project file to write")
    add_force_arg(s)
    s.set_defaults(func=cmd_demo)


def cmd_demo(args) -> int:
    from heatgis.export.files import check_writable
    from heatgis.sample import generate_demo

    if args.path is None and not args.force:
        raise HeatGISError(
            Text("no output file given", "没有给出输出文件"),
            Text(
                "write e.g. 'heatgis demo my.gpkg' (a copy of the demo to "
                "work on); 'heatgis demo --force' regenerates the bundled demo itself",
                "请写成如“heatgis demo my.gpkg”（得到一份可以修改的演示项目副本）；"
                "“heatgis demo --force”会重新生成自带的演示项目本身",
            ),
        )
    path = args.path or str(DEMO_PATH)
    if Path(path).is_dir():
        raise HeatGISError(
            Text("this is a folder, not a project file", "这是文件夹，不是项目文件"),
            Text("give a .gpkg file name inside it", "请给出该文件夹中的一个 .gpkg 文件名"),
            file=path,
        )
    check_writable(path)
    project = generate_demo(path=path, force=args.force)
    layers = join(f"{k} {len(v)}" for k, v in project.layers.items())
    tell(Text("wrote {path}: {layers}", "已写出 {path}：{layers}", path=path, layers=layers))
    return 0
