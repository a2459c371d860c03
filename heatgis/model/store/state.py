"""What the file held when the project was read: fingerprints, snapshots, conflicts.

Optimistic concurrency: a project remembers the file's version and snapshots of
its layers as read; before the first save the tables HeatGIS owns are
fingerprinted (row count and a digest of every stored byte, read through SQLite;
see :mod:`heatgis.model.store.check` for how that stays the state as read). A
save takes the file's write lock, fingerprints the same tables again and refuses
with :class:`ConflictError` when anything differs (another HeatGIS, QGIS, a
script). The snapshots tell the save which rows the planner changed, so only
those are written.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from heatgis.errors import HeatGISError
from heatgis.model.schema import LAYERS
from heatgis.model.store.sqlgpkg import quote, table_names
from heatgis.text import Text, join

META_TABLE = "heatgis_meta"
OWNED = tuple(LAYERS) + (META_TABLE,)


class ConflictError(HeatGISError):
    """The file changed since the project was read; nothing was saved.

    Attributes
    ----------
    changes : list of str
        One line per changed layer (rows added, removed, changed), each a :class:`~heatgis.text.Text`.
    """

    def __init__(self, changes: list[str], file=None):
        self.changes = list(changes)
        super().__init__(
            Text(
                "the project file was changed by another program since it was read ({changes}); nothing was saved",
                "项目文件在读取之后已被其他程序修改（{changes}）；未保存任何内容",
                changes=join(self.changes, SEMICOLON),
            ),
            Text(
                "reload the project from the file and apply your edits again (in the app: "
                "'Reload and re-apply my edits'; on the command line: run the command again)",
                "从文件重新载入项目，再重新应用您的修改（软件中：“重新载入并重新应用我的编辑”；命令行：重新运行该命令）",
            ),
            file=file,
        )


#: how the lines of a conflict are joined
SEMICOLON = Text("; ", "；")


def owned_tables(con) -> dict[str, str]:
    """Owned layer name -> the table's name in the file, for the owned tables the file holds."""
    names = table_names(con)
    return {n: names[n.lower()] for n in OWNED if n.lower() in names}


@dataclass(frozen=True)
class TablePrint:
    """One table's state: row count and a digest of every stored byte."""

    count: int
    digest: bytes


def fingerprint(con, tables: dict[str, str]) -> dict[str, TablePrint]:
    """Per owned table: a :class:`TablePrint` of its rows as stored (geometry bytes included)."""
    out = {}
    for name, actual in tables.items():
        digest = hashlib.blake2b(digest_size=20)
        count = 0
        cur = con.execute(f"SELECT rowid, * FROM {quote(actual)} ORDER BY rowid")
        while True:
            batch = cur.fetchmany(8192)
            if not batch:
                break
            digest.update(pickle.dumps(batch, 5))
            count += len(batch)
        out[name] = TablePrint(count, digest.digest())
    return out


@dataclass
class Snapshot:
    """One owned layer as read: the frame (values as conformed, geometry as stored) and row ids."""

    frame: pd.DataFrame
    fids: np.ndarray
    cache: dict = field(default_factory=dict, repr=False)  # row hashes (heatgis.model.store.diff)


@dataclass
class Origin:
    """The file a project was read from (or last saved to), and what it held then."""

    path: Path
    tables: dict | None = None  # name -> TablePrint; None until the first save
    layers: dict = field(default_factory=dict)  # name -> Snapshot (META_TABLE: key/value)
    version: tuple | None = None  # file_version() when read

    def same_file(self, path) -> bool:
        try:
            return os.path.samefile(self.path, path)
        except OSError:
            return Path(self.path).resolve() == Path(path).resolve()


def file_version(path) -> tuple:
    """A cheap token that changes with every commit to the file (rollback journal or WAL).

    The file change counter in the database header, and the WAL's header and size.
    Read with plain file reads: only call while this process holds no SQLite
    connection to the file.
    """
    p = Path(path)
    out = []
    for f, n in ((p, 100), (p.with_name(p.name + "-wal"), 32)):
        try:
            st = f.stat()
            with open(f, "rb") as fh:
                head = fh.read(n)
            out.append((head[24:28] if f is p else head, st.st_size))
        except OSError:
            out.append(None)  # type: ignore[arg-type]  # a missing file reads as None
    return tuple(out)


class Changed(Exception):
    """Raised inside the save's transaction when the owned tables differ from what was read."""

    def __init__(self, now: dict):
        self.now = now
        super().__init__("the owned tables changed")


def check_unchanged(origin: Origin, now: dict) -> None:
    """Raise :class:`Changed` when the owned tables differ from what was read."""
    if now != origin.tables:
        raise Changed(now)
