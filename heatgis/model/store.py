"""The project file: one GeoPackage holding the contract's layers and a metadata table.

QGIS and ArcGIS open the file as plain layers; the scenario metadata lives in the
attribute table ``heatgis_meta`` (key, value). Saving is atomic: the project is
written to a temporary file beside the target, flushed to disk, the previous file
is kept as ``<name>.gpkg.bak`` and the new one replaces it in one rename.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from heatgis.errors import HeatGISError, Problem
from heatgis.model.project import Project
from heatgis.model.schema import DEFAULT_CRS, LAYERS, conform, spec

META_TABLE = "heatgis_meta"


def open_project(path, strict: bool = True) -> Project:
    """Read a project GeoPackage.

    Layers in another CRS are reprojected to the project CRS, invalid polygons are
    made valid; each repair is noted in ``project.notes``. The file is never written.

    Parameters
    ----------
    path : path-like
    strict : bool
        When true, a layer that lacks required fields raises; when false it is
        loaded as it is (``validate`` then reports it).

    Raises
    ------
    HeatGISError
        The file is missing, not a GeoPackage, or (strict) a layer breaks the contract.
    """
    import pyogrio

    path = Path(path)
    if not path.exists():
        raise HeatGISError("the file does not exist", "check the path, or create the demo with "
                           "'heatgis demo data/hohhot_demo.gpkg'", file=path)
    if path.is_dir():
        raise HeatGISError("this is a folder, not a project file", "name a .gpkg file", file=path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise HeatGISError(f"the file cannot be read ({exc.strerror})", "check its permissions",
                           file=path) from exc
    if head != b"SQLite format 3\x00":
        raise HeatGISError("the file is not a GeoPackage (no SQLite header)",
                           "open a .gpkg project, or bring this file in with 'heatgis import'",
                           file=path)
    try:
        listed = pyogrio.list_layers(path)
    except Exception as exc:  # pyogrio.errors.DataSourceError and GDAL errors
        raise HeatGISError(f"the GeoPackage cannot be opened ({exc})",
                           "the file may be damaged: restore the .bak copy beside it", file=path) from exc

    names = {str(n) for n, _ in listed}
    meta = _read_meta(path, names)
    project = Project(meta=meta, path=path)
    crs = project.crs
    errors: list[Problem] = []
    for name in LAYERS:
        if name not in names:
            continue
        try:
            frame = pyogrio.read_dataframe(path, layer=name)
        except Exception as exc:
            raise HeatGISError(f"the layer cannot be read ({exc})",
                               "the file may be damaged: restore the .bak copy beside it",
                               file=path, layer=name) from exc
        frame, notes = prepare_layer(name, frame, crs, str(path))
        missing = [f for f in spec(name).required if f not in frame.columns]
        if missing:
            errors.append(Problem("required field(s) missing: " + ", ".join(missing),
                                  "add the fields, or re-import the layer with a field mapping",
                                  str(path), name, field=missing[0]))
        project.notes += notes
        project.layers[name] = frame
    if errors and strict:
        raise HeatGISError("the project does not follow the layer contract",
                           "run 'heatgis validate' for every problem", file=path, problems=errors)
    return project


def _read_meta(path: Path, names: set[str]) -> dict:
    import pyogrio

    if META_TABLE not in names:
        return {}
    df = pyogrio.read_dataframe(path, layer=META_TABLE, read_geometry=False)
    if not {"key", "value"} <= set(df.columns):
        return {}
    return {str(k): ("" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v))
            for k, v in zip(df["key"], df["value"])}


def prepare_layer(name: str, frame, crs: str, file: str):
    """Conform types, reproject and repair geometry; return (frame, notes)."""
    import geopandas as gpd
    import shapely

    notes: list[Problem] = []
    s = spec(name)
    if s.geometry is None:
        frame = pd.DataFrame(frame.drop(columns="geometry", errors="ignore"))
        return conform(name, frame), notes
    if frame.crs is None:
        frame = frame.set_crs(crs)
        notes.append(Problem(f"the layer has no CRS; taken as the project's {crs}",
                             "set the layer's CRS in the source and re-import if that is wrong",
                             file, name, severity="warning"))
    elif not frame.crs.equals(crs):
        src = frame.crs.to_string()
        frame = frame.to_crs(crs)
        notes.append(Problem(f"the layer was in {src}; reprojected to {crs}",
                             "save the project to store it in the project CRS", file, name,
                             severity="warning"))
    if s.geometry == "Polygon":
        geoms = np.asarray(frame.geometry.values)
        bad = ~shapely.is_valid(geoms) & ~shapely.is_missing(geoms)
        if bad.any():
            ids = frame[s.id_field].astype(str).tolist() if s.id_field in frame.columns else None
            fixed = geoms.copy()
            fixed[bad] = [_polygonal(shapely.make_valid(g)) for g in geoms[bad]]
            for i in np.flatnonzero(bad):
                notes.append(Problem(f"invalid polygon ({shapely.is_valid_reason(geoms[i])}) repaired",
                                     "check its outline; save to keep the repair", file, name,
                                     ids[i] if ids else f"#{i + 1}", "geometry", "warning"))
            frame = frame.copy()
            frame.geometry = gpd.GeoSeries(fixed, index=frame.index, crs=frame.crs)
    return conform(name, frame), notes


def _polygonal(geom):
    import shapely

    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def save_project(project: Project, path=None, timestamp: str | None = None) -> Path:
    """Write the project atomically and keep one backup of the previous file.

    Parameters
    ----------
    project : Project
    path : path-like, optional
        Defaults to ``project.path``; the project's path is set to it.
    timestamp : str, optional
        Fixed ``last_change`` written into the GeoPackage (reproducible files,
        e.g. the demo); default: now.

    Returns
    -------
    Path
    """
    import pyogrio

    path = Path(path or project.path or "")
    if not path.name:
        raise HeatGISError("the project has no file yet", "use Save As and choose a .gpkg file")
    if path.suffix.lower() != ".gpkg":
        raise HeatGISError("a project is saved as a GeoPackage", "give the file the .gpkg ending",
                           file=path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".tmp.gpkg", dir=path.parent)
    os.close(fd)
    os.remove(tmp)  # GDAL must create the file itself
    options = {"OGR_CURRENT_DATE": timestamp} if timestamp else {}
    old = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    try:
        pyogrio.set_gdal_config_options(options or {"OGR_CURRENT_DATE": None})
        meta = dict(project.meta, crs=project.crs)
        for name in LAYERS:
            if name in project.layers:
                _write_layer(tmp, name, project.layers[name], project.crs)
        table = pd.DataFrame({"key": list(meta), "value": [str(v) for v in meta.values()]})
        pyogrio.write_dataframe(table, tmp, layer=META_TABLE, driver="GPKG")
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        if path.exists():
            shutil.copy2(path, path.with_name(path.name + ".bak"))
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except HeatGISError:
        raise
    except Exception as exc:
        raise HeatGISError(f"the project could not be saved ({exc})",
                           "check free disk space and write permission; the previous file is unchanged",
                           file=path) from exc
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": old})
        for leftover in (tmp, tmp + "-journal", tmp + "-wal", tmp + "-shm"):
            if os.path.exists(leftover):
                os.remove(leftover)
    project.path = path
    return path


def _write_layer(target: str, name: str, frame, crs: str) -> None:
    import pyogrio

    s = spec(name)
    out = frame.copy()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.Int64Dtype):
            # GDAL has no nullable int: write int64 when complete, else float
            out[col] = out[col].astype("int64") if out[col].notna().all() else out[col].astype("float64")
    if s.geometry is None:
        out = pd.DataFrame(out.drop(columns="geometry", errors="ignore"))
        pyogrio.write_dataframe(out, target, layer=name, driver="GPKG")
        return
    if out.crs is None or not out.crs.equals(crs):
        out = out.set_crs(crs, allow_override=True) if out.crs is None else out.to_crs(crs)
    geometry_type = {"Point": "Point", "LineString": "LineString", "Polygon": "Polygon"}[s.geometry]
    import shapely

    types = set(shapely.get_type_id(np.asarray(out.geometry.values)).tolist())
    if types & {4, 5, 6}:
        geometry_type = "Multi" + geometry_type
    pyogrio.write_dataframe(out, target, layer=name, driver="GPKG", geometry_type=geometry_type,
                            promote_to_multi=geometry_type.startswith("Multi"))


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


__all__ = ["open_project", "save_project", "prepare_layer", "META_TABLE", "DEFAULT_CRS"]
