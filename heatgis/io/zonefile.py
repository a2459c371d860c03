"""Read lockdown zones from a foreign file (GeoJSON, GeoPackage, Shapefile, KML ...).

Missing contract fields get defaults that are said out loud in the returned
notes: zone_id from the file name and row, level ``sealed``, start the given
default time, no end.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from heatgis.errors import HeatGISError, Problem
from heatgis.io.messages import CHECK_PATH, word
from heatgis.model.schema import conform, spec
from heatgis.model.store import prepare_layer
from heatgis.model.vocab import zone_level
from heatgis.text import Text

#: what a zone level that is not one is told
LEVEL_FIX = Text(
    "use sealed, controlled or precaution (封控区, 管控区, 防范区)",
    "请使用 sealed、controlled 或 precaution（封控区、管控区、防范区）",
)


def read_zones_file(path, crs: str, default_start, layer: str | None = None):
    """Zones from ``path``, conformed to the contract and reprojected to ``crs``.

    Returns
    -------
    (GeoDataFrame, list of Problem)
        The zones and the notes (defaults applied, repairs, reprojection).

    Raises
    ------
    HeatGISError
        Missing or unreadable file, no polygons, no CRS, unknown level values.
    """
    import pyogrio
    import shapely

    path = Path(path)
    if not path.exists():
        raise HeatGISError(Text("the zones file does not exist", "管控区文件不存在"), CHECK_PATH, file=path)
    try:
        frame = pyogrio.read_dataframe(path, layer=layer)
    except Exception as exc:
        raise HeatGISError(
            Text("the zones file cannot be read ({exc})", "无法读取管控区文件（{exc}）", exc=exc),
            Text(
                "give a GeoJSON, GeoPackage, Shapefile or KML file with polygons",
                "请提供含面要素的 GeoJSON、GeoPackage、Shapefile 或 KML 文件",
            ),
            file=path,
        ) from exc
    if len(frame) == 0:
        raise HeatGISError(
            Text("the zones file holds no features", "管控区文件中没有要素"),
            Text("draw or export the zones again", "请重新绘制或导出管控区"),
            file=path,
        )
    if frame.crs is None:
        raise HeatGISError(
            Text("the zones file has no coordinate system", "管控区文件没有坐标系"),
            Text(
                "save it with a CRS (GeoJSON is WGS84 by definition; add a .prj to a Shapefile)",
                "请带坐标系保存（GeoJSON 按规定为 WGS84；Shapefile 须附 .prj 文件）",
            ),
            file=path,
        )
    geoms = np.asarray(frame.geometry.values)
    kinds = shapely.get_type_id(geoms)
    bad = np.flatnonzero(~np.isin(kinds, (3, 6)))
    if len(bad):
        raise HeatGISError(
            Text(
                "row {row} is not a polygon ({kind})",
                "第 {row} 行不是面（{kind}）",
                row=bad[0] + 1,
                kind=shapely.get_type_id(geoms[bad[0]]),
            ),
            Text(
                "lockdown zones must be polygons: remove points and lines from the file",
                "管控区必须是面：请从文件中删除点和线",
            ),
            file=path,
            row=bad[0] + 1,
            problems=[
                Problem(Text("not a polygon", "不是面"), "", str(path), "lockdown_zones", str(i + 1), "geometry")
                for i in bad[1:20]
            ],
        )
    notes: list[Problem] = []
    n = len(frame)

    def default(col, values, why):
        nonlocal frame
        if col not in frame.columns or frame[col].isna().all():
            frame[col] = values
            notes.append(
                Problem(
                    Text("no '{col}' column; {why}", "没有 '{col}' 列；{why}", col=col, why=why),
                    Text("add a '{col}' column to set it", "添加 '{col}' 列即可指定", col=col),
                    str(path),
                    "lockdown_zones",
                    field=col,
                    severity="warning",
                )
            )

    default(
        "zone_id",
        [f"{path.stem}-{i + 1}" for i in range(n)],
        Text("ids {stem}-1 ... given", "已按 {stem}-1 ... 编号", stem=path.stem),
    )
    default("name", [f"{path.stem} {i + 1}" for i in range(n)], Text("names from the file name", "名称取自文件名"))
    default(
        "level",
        ["sealed"] * n,
        Text("every zone taken as {level}", "全部管控区按{level}处理", level=word("level", "sealed")),
    )
    default(
        "start",
        [pd.Timestamp(default_start)] * n,
        Text(
            "every zone taken to start at {t:%Y-%m-%d %H:%M}",
            "全部管控区的开始时间取 {t:%Y-%m-%d %H:%M}",
            t=pd.Timestamp(default_start),
        ),
    )
    if "end" not in frame.columns:
        frame["end"] = pd.NaT
    levels = pd.Series([zone_level(v) for v in frame["level"]], index=frame.index, dtype=object)
    wrong = np.flatnonzero(levels.isna().to_numpy())
    if len(wrong):
        i = wrong[0]
        raise HeatGISError(
            Text("'{value}' is not a zone level", "'{value}' 不是管控级别", value=frame["level"].iloc[i]),
            LEVEL_FIX,
            file=path,
            layer="lockdown_zones",
            row=frame["zone_id"].iloc[i],
            field="level",
        )
    frame["level"] = levels
    keep = [f.name for f in spec("lockdown_zones").fields if f.name in frame.columns] + ["geometry"]
    frame, more = prepare_layer("lockdown_zones", frame[keep], crs, str(path))
    return conform("lockdown_zones", frame), notes + more
