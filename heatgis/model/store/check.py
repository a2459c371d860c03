"""Did another program change what HeatGIS owns since the project was read?

Reading a project records the file's version (:func:`~heatgis.model.store.state.file_version`,
cheap) and snapshots of the layers. The stored-bytes fingerprint a save compares
inside its transaction is taken lazily, at the first save, by :func:`settle`:
when the file's version is still the one read, the fingerprint is the state as
read; when it moved (QGIS saved a style, another HeatGIS saved, a checkpoint),
the owned layers are read again and compared by value with the snapshots, and
the save is refused only when they differ. The same comparison words the
refusal: which layers, how many rows added, removed, changed.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pandas as pd

from heatgis.errors import HeatGISError
from heatgis.model.schema import conform, spec
from heatgis.model.store import sqlgpkg as sg
from heatgis.model.store.diff import data_columns, row_keys, wkb_of
from heatgis.model.store.state import (
    META_TABLE,
    ConflictError,
    Origin,
    file_version,
    fingerprint,
    owned_tables,
)

_ATTEMPTS = 3


def read_prints(path: Path) -> dict:
    """The fingerprint of every owned table, read through SQLite (rolls a killed save back)."""
    writable = os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
    try:
        con = sg.connect(path, write=writable)
    except sqlite3.Error as exc:
        raise HeatGISError(
            f"the GeoPackage cannot be opened ({exc})", "the file may be damaged: open an earlier copy", file=path
        ) from exc
    try:
        return fingerprint(con, owned_tables(con))
    except sqlite3.DatabaseError as exc:
        raise HeatGISError(
            f"the GeoPackage cannot be read ({exc})", "the file may be damaged: open an earlier copy", file=path
        ) from exc
    finally:
        con.close()


def settle(origin: Origin, path: Path) -> None:
    """Give ``origin`` the fingerprint of the file as read, or refuse when HeatGIS's layers changed.

    Raises
    ------
    ConflictError
        The owned layers differ in value from the snapshots taken when read.
    """
    for _ in range(_ATTEMPTS):
        before = file_version(path)
        prints = read_prints(path)
        if file_version(path) == before:
            break
    else:
        raise HeatGISError(
            "the file kept changing while it was checked; nothing was saved",
            "save again when the other program has finished saving",
            file=path,
        )
    if before != origin.version:
        lines = changes_by_value(origin, path, set(prints))
        if lines:
            raise ConflictError(lines, file=path)
    origin.tables, origin.version = prints, before


def changes_by_value(origin: Origin, path: Path, owned_now: set) -> list[str]:
    """'layer x: n rows added, m removed, k changed' for each owned layer that differs from its snapshot."""
    lines = []
    for name in sorted(set(origin.layers) | set(owned_now)):
        snap = origin.layers.get(name)
        if snap is None:
            lines.append(f"layer {name} was added")
            continue
        if name not in owned_now:
            lines.append(f"layer {name} ({len(snap.fids)} rows) was removed")
            continue
        try:
            current = read_current(path, name)
        except Exception:  # noqa: BLE001 - GDAL's errors: a layer it cannot read counts as changed
            lines.append(f"layer {name} can no longer be read")
            continue
        columns = data_columns(snap.frame)
        then = dict(zip(snap.fids.tolist(), row_keys(snap.frame, columns, wkb_of(snap.frame)).tolist()))
        now = dict(zip(current.index.tolist(), row_keys(current, columns, wkb_of(current)).tolist()))
        added, removed = len(now.keys() - then.keys()), len(then.keys() - now.keys())
        changed = sum(1 for k in now.keys() & then.keys() if now[k] != then[k])
        parts = [
            f"{n} row{'s' if n != 1 else ''} {what}"
            for n, what in ((added, "added"), (removed, "removed"), (changed, "changed"))
            if n
        ]
        if parts:
            lines.append(f"layer {name}: " + ", ".join(parts))
    return lines


def read_current(path: Path, name: str):
    """An owned layer as the file holds it now, conformed like a read, indexed by row id."""
    import pyogrio

    if name == META_TABLE:
        df = pyogrio.read_dataframe(path, layer=name, read_geometry=False, fid_as_index=True)
        return pd.DataFrame({"key": df["key"].astype(str), "value": df["value"].fillna("").astype(str)}, index=df.index)
    frame = pyogrio.read_dataframe(path, layer=name, fid_as_index=True)
    if spec(name).geometry is None:
        frame = pd.DataFrame(frame.drop(columns="geometry", errors="ignore"))
    return conform(name, frame)
