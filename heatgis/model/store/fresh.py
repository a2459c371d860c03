"""A brand-new project file, and the temporary files a killed save leaves behind.

A file that does not exist yet (Save As to a new name, ``import`` into a new
project, the demo generator) is written by GDAL to a temporary file in the same
folder, flushed, then renamed onto its name: readers see no file or a whole one.
The temporary file's name carries the writer's process id; a kill leaves it
behind, and the next open or save of a project in that folder removes it once its
writer is gone (names without a process id, from older versions: after a minute).
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from heatgis.errors import HeatGISError
from heatgis.model.schema import LAYERS, spec
from heatgis.text import Text

META_TABLE = "heatgis_meta"
STALE_AFTER_S = 60.0  # a temporary file without a live writer is stale after this long


def write_new(project, path: Path, timestamp: str | None) -> None:
    """Write every layer and the metadata into a new file at ``path`` (atomic rename)."""
    import pyogrio

    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-p{os.getpid()}-", suffix=".tmp.gpkg", dir=path.parent)
    os.close(fd)
    os.remove(tmp)  # GDAL must create the file itself
    options: dict[str, str | None] = {"OGR_CURRENT_DATE": timestamp} if timestamp else {}
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
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except HeatGISError:
        raise
    except Exception as exc:
        raise HeatGISError(
            Text("the project could not be saved ({exc})", "项目无法保存（{exc}）", exc=exc),
            Text(
                "check free disk space and write permission; the previous file is unchanged",
                "请检查磁盘剩余空间和写入权限；原来的文件未改变",
            ),
            file=path,
        ) from exc
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": old})
        for leftover in (tmp, tmp + "-journal", tmp + "-wal", tmp + "-shm"):
            if os.path.exists(leftover):
                os.remove(leftover)


def _write_layer(target: str, name: str, frame, crs: str) -> None:
    import pyogrio
    import shapely

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
    types = set(shapely.get_type_id(np.asarray(out.geometry.values)).tolist())
    if types & {4, 5, 6}:
        geometry_type = "Multi" + geometry_type
    pyogrio.write_dataframe(
        out,
        target,
        layer=name,
        driver="GPKG",
        geometry_type=geometry_type,
        promote_to_multi=geometry_type.startswith("Multi"),
    )


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


def _alive(pid: int) -> bool:
    if os.name == "nt":
        return True  # no cheap check: the age decides
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def remove_stale_temporaries(path: Path) -> list[Path]:
    """Remove the temporary files killed saves left beside ``path``; return what was removed.

    Ours carry the writer's process id (``.<name>-p<pid>-*.tmp.gpkg``, with their
    ``-journal``/``-wal``/``-shm``): removed, whatever project they were for, once
    that process is gone (or after an hour). Older versions' ``.<stem>-*.tmp.gpkg``
    next to this project: removed after a minute. Never a project's own journal.
    Errors are ignored.
    """
    removed: list = []
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return removed
    now = time.time()
    ours = re.compile(r"^\..+-p(?P<pid>\d+)-[^-]*\.tmp\.gpkg(?:-journal|-wal|-shm)?$")
    older = re.compile(r"^\." + re.escape(path.stem) + r"-[^-]*\.tmp\.gpkg(?:-journal|-wal|-shm)?$")
    for e in entries:
        m = ours.match(e.name)
        if not m and not older.match(e.name):
            continue
        try:
            age = now - e.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        stale = (not _alive(int(m.group("pid"))) or age > 3600) if m else age > STALE_AFTER_S
        if stale:
            try:
                os.remove(e.path)
                removed.append(Path(e.path))
            except OSError:
                pass
    return removed
