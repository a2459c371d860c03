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
from heatgis.text import Text, join

_ATTEMPTS = 3
DAMAGED = Text("the file may be damaged: open an earlier copy", "文件可能已损坏：请打开较早的副本")
_COMMA = Text(", ", "，")
#: rows added, removed, changed (a conflict's counts)
_ROWS = {
    "added": Text("{n} row{s} added", "新增 {n} 行"),
    "removed": Text("{n} row{s} removed", "删除 {n} 行"),
    "changed": Text("{n} row{s} changed", "修改 {n} 行"),
}


def row_count(what: str, n: int) -> Text:
    """'3 rows changed' (en), '修改 3 行' (zh); ``what`` is "added", "removed" or "changed"."""
    form = _ROWS[what]
    return Text(form.en_template, form.zh_template, n=n, s="s" if n != 1 else "")


def read_prints(path: Path) -> dict:
    """The fingerprint of every owned table, read through SQLite (rolls a killed save back)."""
    writable = os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
    try:
        con = sg.connect(path, write=writable)
    except sqlite3.Error as exc:
        raise HeatGISError(
            Text("the GeoPackage cannot be opened ({exc})", "无法打开该 GeoPackage（{exc}）", exc=exc),
            DAMAGED,
            file=path,
        ) from exc
    try:
        return fingerprint(con, owned_tables(con))
    except sqlite3.DatabaseError as exc:
        raise HeatGISError(
            Text("the GeoPackage cannot be read ({exc})", "无法读取该 GeoPackage（{exc}）", exc=exc),
            DAMAGED,
            file=path,
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
            Text(
                "the file kept changing while it was checked; nothing was saved",
                "检查期间文件一直在变化；未保存任何内容",
            ),
            Text("save again when the other program has finished saving", "等其他程序保存完毕后再保存"),
            file=path,
        )
    if before != origin.version:
        lines = changes_by_value(origin, path, set(prints))
        if lines:
            raise ConflictError(lines, file=path)
    origin.tables, origin.version = prints, before


def changes_by_value(origin: Origin, path: Path, owned_now: set) -> list[str]:
    """'layer x: n rows added, m removed, k changed' for each owned layer that differs from its snapshot."""
    lines: list[str] = []
    for name in sorted(set(origin.layers) | set(owned_now)):
        snap = origin.layers.get(name)
        if snap is None:
            lines.append(Text("layer {name} was added", "新增了图层 {name}", name=name))
            continue
        if name not in owned_now:
            lines.append(
                Text("layer {name} ({n} rows) was removed", "图层 {name}（{n} 行）被删除", name=name, n=len(snap.fids))
            )
            continue
        try:
            current = read_current(path, name)
        except Exception:  # noqa: BLE001 - GDAL's errors: a layer it cannot read counts as changed
            lines.append(Text("layer {name} can no longer be read", "图层 {name} 已无法读取", name=name))
            continue
        columns = data_columns(snap.frame)
        then = dict(zip(snap.fids.tolist(), row_keys(snap.frame, columns, wkb_of(snap.frame)).tolist()))
        now = dict(zip(current.index.tolist(), row_keys(current, columns, wkb_of(current)).tolist()))
        added, removed = len(now.keys() - then.keys()), len(then.keys() - now.keys())
        changed = sum(1 for k in now.keys() & then.keys() if now[k] != then[k])
        parts = [row_count(w, n) for w, n in (("added", added), ("removed", removed), ("changed", changed)) if n]
        if parts:
            lines.append(Text("layer {name}: {parts}", "图层 {name}：{parts}", name=name, parts=join(parts, _COMMA)))
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
