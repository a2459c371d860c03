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
from heatgis.model.schema import conform, spec
from heatgis.model.store import prepare_layer
from heatgis.model.vocab import zone_level


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
        raise HeatGISError("the zones file does not exist", "check the path", file=path)
    try:
        frame = pyogrio.read_dataframe(path, layer=layer)
    except Exception as exc:
        raise HeatGISError(
            f"the zones file cannot be read ({exc})",
            "give a GeoJSON, GeoPackage, Shapefile or KML file with polygons",
            file=path,
        ) from exc
    if len(frame) == 0:
        raise HeatGISError("the zones file holds no features", "draw or export the zones again", file=path)
    if frame.crs is None:
        raise HeatGISError(
            "the zones file has no coordinate system",
            "save it with a CRS (GeoJSON is WGS84 by definition; add a .prj to a Shapefile)",
            file=path,
        )
    geoms = np.asarray(frame.geometry.values)
    kinds = shapely.get_type_id(geoms)
    bad = np.flatnonzero(~np.isin(kinds, (3, 6)))
    if len(bad):
        raise HeatGISError(
            f"row {bad[0] + 1} is not a polygon ({shapely.get_type_id(geoms[bad[0]])})",
            "lockdown zones must be polygons: remove points and lines from the file",
            file=path,
            row=bad[0] + 1,
            problems=[
                Problem("not a polygon", "", str(path), "lockdown_zones", str(i + 1), "geometry") for i in bad[1:20]
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
                    f"no '{col}' column; {why}",
                    f"add a '{col}' column to set it",
                    str(path),
                    "lockdown_zones",
                    field=col,
                    severity="warning",
                )
            )

    default("zone_id", [f"{path.stem}-{i + 1}" for i in range(n)], f"ids {path.stem}-1 ... given")
    default("name", [f"{path.stem} {i + 1}" for i in range(n)], "names from the file name")
    default("level", ["sealed"] * n, "every zone taken as sealed")
    default(
        "start",
        [pd.Timestamp(default_start)] * n,
        f"every zone taken to start at {pd.Timestamp(default_start):%Y-%m-%d %H:%M}",
    )
    if "end" not in frame.columns:
        frame["end"] = pd.NaT
    levels = pd.Series([zone_level(v) for v in frame["level"]], index=frame.index, dtype=object)
    wrong = np.flatnonzero(levels.isna().to_numpy())
    if len(wrong):
        i = wrong[0]
        raise HeatGISError(
            f"'{frame['level'].iloc[i]}' is not a zone level",
            "use sealed, controlled or precaution (封控区, 管控区, 防范区)",
            file=path,
            layer="lockdown_zones",
            row=frame["zone_id"].iloc[i],
            field="level",
        )
    frame["level"] = levels
    keep = [f.name for f in spec("lockdown_zones").fields if f.name in frame.columns] + ["geometry"]
    frame, more = prepare_layer("lockdown_zones", frame[keep], crs, str(path))
    return conform("lockdown_zones", frame), notes + more
