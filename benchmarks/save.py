"""Save time on the demo after one zone edit: the in-place save against the old full rewrite.

    python benchmarks/save.py [--repeat 3]

The project is a copy of the committed demo (24,750 roads, 3,000 staff, 2,020
compounds, ...). After it is opened, one lockdown zone is moved and renamed, and
the project is saved:

- in place (today's :func:`heatgis.model.store.save_project`): one SQLite
  transaction that checks the file against what was read (optimistic
  concurrency) and writes the one changed row;
- the baseline, the writer HeatGIS used before (kept below as it was): every
  layer written by GDAL into a new file beside the project, flushed, a ``.bak``
  copy of the old file, then a rename.

Each is timed ``--repeat`` times with a fresh edit each time (best of), in the
same run; the ratio is printed. A second in-place save with nothing changed is
timed too (what Ctrl+S costs when the planner saves twice).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from heatgis.model.schema import LAYERS, spec
from heatgis.model.store import open_project, save_project

DEMO = ROOT / "data" / "hohhot_demo.gpkg"


# --------------------------------------------------------------------------- the old writer (baseline)


def old_save_project(project, path) -> Path:
    """The full rewrite HeatGIS did before the in-place save (temporary file, .bak, rename)."""
    import pyogrio

    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".tmp.gpkg", dir=path.parent)
    os.close(fd)
    os.remove(tmp)
    try:
        meta = dict(project.meta, crs=project.crs)
        for name in LAYERS:
            if name in project.layers:
                _old_write_layer(tmp, name, project.layers[name], project.crs)
        table = pd.DataFrame({"key": list(meta), "value": [str(v) for v in meta.values()]})
        pyogrio.write_dataframe(table, tmp, layer="heatgis_meta", driver="GPKG")
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        if path.exists():
            shutil.copy2(path, path.with_name(path.name + ".bak"))
        os.replace(tmp, path)
    finally:
        for leftover in (tmp, tmp + "-journal"):
            if os.path.exists(leftover):
                os.remove(leftover)
    return path


def _old_write_layer(target, name, frame, crs):
    import pyogrio

    s = spec(name)
    out = frame.copy()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.Int64Dtype):
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


# --------------------------------------------------------------------------- timing


def edit_one_zone(project, k: int) -> None:
    z = project.layers["lockdown_zones"].copy()
    z.loc[3, "name"] = f"edited {k}"
    z.loc[3, "geometry"] = shapely.affinity.translate(z.geometry.iloc[3], 10.0, 0.0)
    project.layers["lockdown_zones"] = z


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "demo.gpkg"
        shutil.copyfile(DEMO, path)
        project = open_project(path)
        inplace, again, old = [], [], []
        for k in range(args.repeat):
            edit_one_zone(project, 2 * k)
            t = time.perf_counter()
            old_save_project(project, Path(d) / "old.gpkg")
            old.append(time.perf_counter() - t)
            edit_one_zone(project, 2 * k + 1)
            t = time.perf_counter()
            save_project(project)
            inplace.append(time.perf_counter() - t)
            t = time.perf_counter()
            save_project(project)
            again.append(time.perf_counter() - t)
        check = open_project(path).layer("lockdown_zones")
        assert check["name"].iloc[3] == f"edited {2 * args.repeat - 1}"
    print(f"demo ({DEMO.stat().st_size / 1e6:.1f} MB), one zone edited, best of {args.repeat}:")
    print(f"  old full rewrite (GDAL, new file, .bak, rename): {min(old) * 1000:8.0f} ms")
    print(f"  in-place save (one transaction, 1 row written):  {min(inplace) * 1000:8.0f} ms")
    print(f"  in-place save again, nothing changed:            {min(again) * 1000:8.0f} ms")
    print(f"  ratio old / in-place: {min(old) / min(inplace):.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
