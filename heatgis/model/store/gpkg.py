"""The project file: one GeoPackage holding the contract's layers and a metadata table.

QGIS and ArcGIS open the file as plain layers; the scenario metadata lives in the
attribute table ``heatgis_meta`` (key, value). The file belongs to the planner:

- A save changes only the tables HeatGIS owns (the contract's layers and
  ``heatgis_meta``), in ONE SQLite transaction on the file itself, and of those
  only the rows the planner changed. Every other table, view, trigger, style
  (``layer_styles``), QGIS project (``qgis_projects``) and extension stays as it
  was, byte for byte; SQLite's journal (rollback or WAL) makes the commit atomic
  for every other reader and writer.
- A save refuses with :class:`~heatgis.model.store.state.ConflictError` when the
  owned tables changed since the project was read (optimistic concurrency).
- A file that does not exist yet is written whole and renamed into place
  (:mod:`heatgis.model.store.fresh`).
"""

from __future__ import annotations

import datetime as _dt
import os
import sqlite3
import stat
from pathlib import Path

import numpy as np
import pandas as pd

from heatgis.errors import HeatGISError, Problem
from heatgis.model.project import Project
from heatgis.model.schema import DEFAULT_CRS, LAYERS, spec
from heatgis.model.store import sqlgpkg as sg
from heatgis.model.store.check import DAMAGED, changes_by_value, read_prints, settle
from heatgis.model.store.diff import plan_changes, snapshot_copy
from heatgis.model.store.fresh import remove_stale_temporaries, write_new
from heatgis.model.store.layer_read import read_layer
from heatgis.model.store.prepare import prepare_frame
from heatgis.model.store.state import (
    META_TABLE,
    Changed,
    ConflictError,
    Origin,
    Snapshot,
    check_unchanged,
    file_version,
    fingerprint,
    owned_tables,
)
from heatgis.model.store.writer import (
    all_fids,
    geometry_type_for,
    meta_frame,
    new_columns,
    write_table,
)
from heatgis.paths import is_bundled_demo
from heatgis.text import Text, join

_READ_ATTEMPTS = 3

#: messages said in several places
READ_ONLY = Text("the project file is read-only; nothing was saved", "项目文件是只读的；未保存任何内容")
SAVE_AS = Text("save under another name with Save As", "请用“另存为”换个文件名保存")
GPKG_ONLY = Text("a project is saved as a GeoPackage", "项目保存为 GeoPackage 文件")
GPKG_ENDING = Text("give the file the .gpkg ending", "文件名请以 .gpkg 结尾")


def open_project(path, strict: bool = True, fields: dict | None = None) -> Project:
    """Read a project GeoPackage.

    Layers in another CRS are reprojected to the project CRS, invalid polygons are
    made valid; each repair is noted in ``project.notes``. The file is never
    written (a killed save's journal is rolled back by SQLite, as any reader
    does). The project remembers what the file held (``project.origin``) so that a
    save can tell the planner's edits from another program's.

    Parameters
    ----------
    path : path-like
    strict : bool
        When true, a layer that lacks required fields raises; when false it is
        loaded as it is (``validate`` then reports it).
    fields : dict of str to iterable of str, optional
        Read only these contract fields (and the geometry) of these layers, the others whole: a
        batch command's figures at province scale without the columns they never use (the
        stations' addresses ...). Such a project has ``project.partial`` set, no ``origin``, and
        cannot be saved; its data check (:func:`heatgis.analysis.quality.check_project`) covers
        the fields read.

    Raises
    ------
    HeatGISError
        The file is missing, not a GeoPackage, or (strict) a layer breaks the contract.
    """
    path = Path(path)
    if not path.exists():
        raise HeatGISError(
            Text("the file does not exist", "文件不存在"),
            Text(
                "check the path; 'heatgis demo my.gpkg' writes a copy of the demo project to start from",
                "请检查路径；“heatgis demo my.gpkg”可写出一份演示项目的副本作为起点",
            ),
            file=path,
        )
    if path.is_dir():
        raise HeatGISError(
            Text("this is a folder, not a project file", "这是文件夹，不是项目文件"),
            Text("name a .gpkg file", "请指定一个 .gpkg 文件"),
            file=path,
        )
    try:
        with open(path, "rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise HeatGISError(
            Text("the file cannot be read ({why})", "无法读取文件（{why}）", why=exc.strerror),
            Text("check its permissions", "请检查文件权限"),
            file=path,
        ) from exc
    if head != b"SQLite format 3\x00":
        raise HeatGISError(
            Text("the file is not a GeoPackage (no SQLite header)", "该文件不是 GeoPackage（没有 SQLite 文件头）"),
            Text(
                "open a .gpkg project, or bring this file in with 'heatgis import'",
                "请打开 .gpkg 项目，或用“heatgis import”导入该文件",
            ),
            file=path,
        )
    remove_stale_temporaries(path)
    _roll_back_killed_save(path)
    fields = {name: tuple(f) for name, f in (fields or {}).items()}
    for _ in range(_READ_ATTEMPTS):
        before = file_version(path)
        project, raw, meta_read, fids = _read_layers(path, strict, fields)
        if file_version(path) == before:
            break
    else:
        raise HeatGISError(
            Text("the file kept changing while it was read", "读取期间文件一直在变化"),
            Text("open it again when the other program has finished saving", "等其他程序保存完毕后再打开"),
            file=path,
        )
    if project.partial:  # for figures only: nothing to save, so no snapshot to save against
        return project
    project.origin = _origin_as_read(path, project, raw, meta_read, fids, before)
    return project


def _roll_back_killed_save(path: Path) -> None:
    """A killed save left its journal: let SQLite roll it back before GDAL (read-only) reads."""
    if path.with_name(path.name + "-journal").exists():
        try:
            read_prints(path)
        except HeatGISError:
            pass  # the read below names the damage


def _origin_as_read(path, project, raw, meta_read, fids, version) -> Origin:
    """Snapshots of the layers as read: conformed values, geometry as stored (before repairs)."""
    import geopandas as gpd

    layers = {}
    for name, frame in project.layers.items():
        if name not in fids or len(fids[name]) != len(frame):
            continue
        snap = snapshot_copy(frame)
        if name in raw and hasattr(snap, "geometry"):  # reprojected or repaired: keep the stored ones
            snap[snap.geometry.name] = gpd.GeoSeries(raw[name], index=snap.index, crs=frame.crs)
        layers[name] = Snapshot(snap, fids[name])
    if META_TABLE in fids and len(fids[META_TABLE]) == len(meta_read):
        layers[META_TABLE] = Snapshot(meta_read, fids[META_TABLE])
    return Origin(path, None, layers, version)


def _read_layers(path: Path, strict: bool, fields: dict | None = None):
    import pyogrio

    try:
        listed = pyogrio.list_layers(path)
    except Exception as exc:  # pyogrio.errors.DataSourceError and GDAL errors
        raise HeatGISError(
            Text("the GeoPackage cannot be opened ({exc})", "无法打开该 GeoPackage（{exc}）", exc=exc),
            DAMAGED,
            file=path,
        ) from exc
    names = {str(n) for n, _ in listed}
    meta, meta_frame_read, meta_fids = _read_meta(path, names)
    project = Project(meta=meta, path=path)
    crs = project.crs
    errors: list[Problem] = []
    raw = {}
    fids = {} if meta_fids is None else {META_TABLE: meta_fids}
    for name in LAYERS:
        if name not in names:
            continue
        wanted = (fields or {}).get(name)
        if wanted is not None:
            project.partial[name] = wanted
        try:
            frame = None if wanted is None else _read_fast(path, name, list(wanted))
            if frame is None:
                frame = read_layer(path, name, None if wanted is None else list(wanted))
        except Exception as exc:
            raise HeatGISError(
                Text("the layer cannot be read ({exc})", "无法读取该图层（{exc}）", exc=exc),
                DAMAGED,
                file=path,
                layer=name,
            ) from exc
        if not frame.index.is_monotonic_increasing:
            frame = frame.sort_index()
        fids[name] = frame.index.to_numpy(dtype=np.int64)
        frame = frame.reset_index(drop=True)
        stored = np.asarray(frame.geometry.values, dtype=object) if "geometry" in frame.columns else None
        frame, notes, moved = prepare_frame(name, frame, crs, str(path))
        if moved and stored is not None:  # the snapshot keeps the geometries as stored
            raw[name] = stored
        missing = [f for f in spec(name).required if f not in frame.columns and (wanted is None or f in wanted)]
        if missing:
            errors.append(
                Problem(
                    Text("required field(s) missing: {names}", "缺少必填字段：{names}", names=join(missing)),
                    Text(
                        "add the fields, or re-import the layer with a field mapping",
                        "添加这些字段，或用字段映射重新导入该图层",
                    ),
                    str(path),
                    name,
                    field=missing[0],
                )
            )
        project.notes += notes
        project.layers[name] = frame
    if errors and strict:
        raise HeatGISError(
            Text("the project does not follow the layer contract", "项目不符合图层规范"),
            Text("run 'heatgis validate' for every problem", "运行“heatgis validate”查看全部问题"),
            file=path,
            problems=errors,
        )
    return project, raw, meta_frame_read, fids


def _read_fast(path: Path, name: str, columns: list[str]):
    """The layer read through GDAL's Arrow stream (:mod:`heatgis.model.store.arrowread`, a batch
    command's figures at province scale), or None: then ``pyogrio.read_dataframe`` reads it, and
    says what is wrong if the layer cannot be read at all."""
    from heatgis.model.store.arrowread import read_frame

    try:
        return read_frame(path, name, columns)
    except Exception:  # noqa: BLE001 - any failure of the fast path: the usual read decides
        return None


def _read_meta(path: Path, names: set[str]):
    import pyogrio

    if META_TABLE not in names:
        return {}, meta_frame({}), None
    df = pyogrio.read_dataframe(path, layer=META_TABLE, read_geometry=False, fid_as_index=True).sort_index()
    if not {"key", "value"} <= set(df.columns):
        return {}, meta_frame({}), None
    keys = ["" if k is None or (isinstance(k, float) and np.isnan(k)) else str(k) for k in df["key"]]
    values = ["" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v) for v in df["value"]]
    return (dict(zip(keys, values)), pd.DataFrame({"key": keys, "value": values}), df.index.to_numpy(dtype=np.int64))


# --------------------------------------------------------------------------- save


def save_project(
    project: Project, path=None, timestamp: str | None = None, replace: bool = False, force: bool = False
) -> Path:
    """Save the project into its GeoPackage, in place, changing only what HeatGIS owns.

    Parameters
    ----------
    project : Project
    path : path-like, optional
        Defaults to ``project.path``; the project's path is set to it.
    timestamp : str, optional
        Fixed ``last_change`` written into the GeoPackage (reproducible files,
        e.g. the demo); default: now.
    replace : bool
        Write a new file replacing whatever is at ``path`` (the demo generator);
        default: save in place when the file exists.
    force : bool
        Allow writing into the bundled demo project (``heatgis.paths.DEMO_PATH``): refused
        by default, so no command or Save changes it by accident.

    Returns
    -------
    Path

    Raises
    ------
    ConflictError
        The file's owned tables changed since the project was read; nothing was saved.
    HeatGISError
        The file or its folder is read-only, locked by another writer for too
        long, not a GeoPackage, or the disk is full; the file is unchanged.
    """
    if getattr(project, "partial", None):
        raise HeatGISError(
            Text(
                "the project was read in part (the fields of a command's figures) and cannot be saved",
                "项目只读取了部分字段（某个命令计算数字所用的字段），不能保存",
            ),
            Text("open it whole (without fields=) to change it", "请完整打开项目（不带 fields=）后再修改"),
            file=project.path,
        )
    path = Path(path or project.path or "")
    if not path.name:
        raise HeatGISError(
            Text("the project has no file yet", "项目还没有文件"),
            Text("use Save As and choose a .gpkg file", "请用“另存为”选择一个 .gpkg 文件"),
        )
    if path.suffix.lower() != ".gpkg":
        raise HeatGISError(GPKG_ONLY, GPKG_ENDING, file=path)
    if not force and is_bundled_demo(path):
        raise HeatGISError(
            Text(
                "this is the bundled demo project, which HeatGIS does not change by default",
                "这是自带的演示项目，HeatGIS 默认不修改它",
            ),
            Text(
                "work on a copy: 'heatgis demo my.gpkg' writes one (in the app: File > Save as); "
                "--force changes the demo itself",
                "请在副本上工作：“heatgis demo my.gpkg”可写出一份（软件中：文件 > 另存为）；--force 会修改演示项目本身",
            ),
            file=path,
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise HeatGISError(
            Text("the folder cannot be created ({why})", "无法创建文件夹（{why}）", why=exc.strerror),
            Text("choose a folder you can write to", "请选择一个可写入的文件夹"),
            file=path,
        ) from exc
    _check_writable(path)
    remove_stale_temporaries(path)
    if replace or not path.exists():
        write_new(project, path, timestamp)
        project.path = path
        project.origin = _origin_of_new_file(project, path)
        return path
    origin = getattr(project, "origin", None)
    origin = origin if origin is not None and origin.same_file(path) else None
    project.origin = _save_in_place(project, path, origin, timestamp)
    project.path = path
    return path


def _check_writable(path: Path) -> None:
    folder = path.parent
    if path.exists():
        st = path.stat()
        if not (st.st_mode & stat.S_IWUSR) or not os.access(path, os.W_OK):
            raise HeatGISError(
                READ_ONLY,
                Text(
                    "make the file writable (Properties, or 'chmod u+w'), or save under "
                    "another name with Save As / another path",
                    "把文件设为可写（属性，或“chmod u+w”），或用“另存为”换个文件名或路径保存",
                ),
                file=path,
            )
    fst = folder.stat()
    if not (fst.st_mode & stat.S_IWUSR) or not os.access(folder, os.W_OK):
        raise HeatGISError(
            Text(
                "the folder of the project is read-only (SQLite writes its journal beside the file); nothing was saved",
                "项目所在的文件夹是只读的（SQLite 要在文件旁写日志文件）；未保存任何内容",
            ),
            Text(
                "make the folder writable, or save the project into another folder",
                "把文件夹设为可写，或把项目保存到其他文件夹",
            ),
            file=path,
        )


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _save_in_place(project: Project, path: Path, origin: Origin | None, timestamp: str | None) -> Origin:
    """Check the file against ``origin`` and write the changed rows, in one transaction."""
    ts = timestamp or _now()
    for _ in range(2):
        if origin is not None and origin.tables is None:
            settle(origin, path)  # the fingerprint of the file as read, or ConflictError
        result = _transaction(project, path, origin, ts)
        if not isinstance(result, Changed):
            return result
        # described after the connection is closed: GDAL reads the file now
        assert origin is not None  # only a file read before can have changed since
        lines = changes_by_value(origin, path, set(result.now))
        if lines:
            raise ConflictError(lines, file=path)
        origin.tables = origin.version = None  # rewritten with the same values: settle again, retry
    raise ConflictError(
        [
            Text(
                "the layers HeatGIS owns keep being rewritten by another program",
                "HeatGIS 管理的图层一直被其他程序改写",
            )
        ],
        file=path,
    )


def _transaction(project: Project, path: Path, origin: Origin | None, ts: str):
    """One write transaction; the new :class:`Origin`, or :class:`Changed` when the file moved."""
    try:
        con = sg.connect(path, write=True)
    except sqlite3.Error as exc:
        raise _sql_error(exc, path) from exc
    try:
        try:
            con.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise _sql_error(exc, path) from exc
        try:
            origin = _write_all(con, project, path, origin, ts)
            con.execute("COMMIT")
        except BaseException:
            if con.in_transaction:
                con.execute("ROLLBACK")
            raise
    except Changed as changed:
        return changed
    except (HeatGISError, KeyboardInterrupt):
        raise
    except sqlite3.Error as exc:
        raise _sql_error(exc, path) from exc
    except Exception as exc:
        raise HeatGISError(
            Text("the project could not be saved ({exc})", "项目无法保存（{exc}）", exc=exc),
            Text(
                "the file is unchanged; check free disk space, then save again",
                "文件未改变；请检查磁盘剩余空间后再保存",
            ),
            file=path,
        ) from exc
    finally:
        con.close()
    return origin


def _sql_error(exc: sqlite3.Error, path: Path) -> HeatGISError:
    text = str(exc)
    if "locked" in text or "busy" in text:
        return HeatGISError(
            Text(
                "another program is writing the project file (it stayed locked); nothing was saved",
                "其他程序正在写入项目文件（文件一直被锁定）；未保存任何内容",
            ),
            Text(
                "wait until the other program has saved (QGIS: save or stop editing), then save again",
                "等其他程序保存完毕（QGIS：保存或停止编辑）后再保存",
            ),
            file=path,
        )
    if "readonly" in text or "read-only" in text:
        return HeatGISError(
            READ_ONLY,
            Text(
                "make the file and its folder writable, or save under another name",
                "把文件及其文件夹设为可写，或换个文件名保存",
            ),
            file=path,
        )
    if "not a database" in text or "malformed" in text:
        return HeatGISError(
            Text(
                "the file is not a readable GeoPackage ({text}); nothing was saved",
                "该文件不是可读的 GeoPackage（{text}）；未保存任何内容",
                text=text,
            ),
            SAVE_AS,
            file=path,
        )
    return HeatGISError(
        Text("the project could not be saved ({text})", "项目无法保存（{text}）", text=text),
        Text(
            "the file is unchanged; check free disk space and permissions, then save again",
            "文件未改变；请检查磁盘剩余空间和权限后再保存",
        ),
        file=path,
    )


def _write_all(con, project: Project, path: Path, origin: Origin | None, ts: str) -> Origin:
    if not sg.has_table(con, "gpkg_contents"):
        raise HeatGISError(
            Text(
                "the file is not a GeoPackage (no gpkg_contents table); nothing was saved",
                "该文件不是 GeoPackage（没有 gpkg_contents 表）；未保存任何内容",
            ),
            SAVE_AS,
            file=path,
        )
    tables = owned_tables(con)
    now = fingerprint(con, tables)
    if origin is not None:
        check_unchanged(origin, now)
    srs = sg.srs_id_for(con, project.crs)
    snaps: dict = {}
    changed: dict[str, str] = {}
    todo = [(n, _in_crs(project.layers[n], project.crs)) for n in LAYERS if n in project.layers]
    todo.append((META_TABLE, meta_frame(dict(project.meta, crs=project.crs))))
    for name, frame in todo:
        kind = spec(name).geometry if name in LAYERS else None
        snap = origin.layers.get(name) if origin is not None else None
        if name in tables:
            info = sg.TableInfo(con, tables[name])
            reproject = bool(info.geometry) and info.srs_id != srs
            if snap is None:
                plan = plan_changes(None, all_fids(con, info), frame, None)
            else:
                id_field = "key" if name == META_TABLE else spec(name).id_field
                plan = plan_changes(snap.frame, snap.fids, frame, id_field, all_geometry=reproject, cache=snap.cache)
        else:
            gtype = geometry_type_for(frame, kind) if kind else None
            info = sg.create_layer(con, name, new_columns(frame), gtype, srs if gtype else None, ts)
            tables[name] = info.name
            reproject = False
            plan = plan_changes(None, [], frame, None)
            changed[name] = info.name
        if not plan.empty or reproject:
            bounds = write_table(con, info, frame, plan, srs if info.geometry else None)
            if reproject:
                con.execute(
                    "UPDATE gpkg_geometry_columns SET srs_id = ? WHERE lower(table_name) = lower(?)", (srs, info.name)
                )
            sg.touch_contents(con, info.name, ts, bounds, srs if reproject else None)
            changed[name] = info.name
        if snap is not None and plan.empty and not reproject and name not in changed:
            snaps[name] = snap  # untouched: the snapshot as it was (its row hashes kept)
        else:
            snaps[name] = Snapshot(snapshot_copy(frame), np.asarray(plan.fids, dtype=np.int64), {"keys": plan.keys})
    if changed:
        now.update(fingerprint(con, changed))
    for name in tables:  # owned layers the project does not hold keep their snapshot
        if name not in snaps and origin is not None and name in origin.layers:
            snaps[name] = origin.layers[name]
    return Origin(path, now, snaps)


def _in_crs(frame, crs: str):
    crs_of = getattr(frame, "crs", None)
    if crs_of is None or not hasattr(frame, "geometry"):
        return frame
    return frame if crs_of.equals(crs) else frame.to_crs(crs)


def _origin_of_new_file(project: Project, path: Path) -> Origin:
    """What a file just written whole holds: the project's frames, rows in order (GDAL numbers a new
    table's rows 1, 2, ...)."""
    prints = read_prints(path)
    snaps = {}
    frames = {n: project.layers[n] for n in LAYERS if n in project.layers}
    frames[META_TABLE] = meta_frame(dict(project.meta, crs=project.crs))
    for name, frame in frames.items():
        if name in prints and prints[name].count == len(frame):
            fids = np.arange(1, len(frame) + 1, dtype=np.int64)
            snaps[name] = Snapshot(snapshot_copy(_in_crs(frame, project.crs)), fids)
    return Origin(path, prints, snaps)


__all__ = ["DEFAULT_CRS", "META_TABLE", "ConflictError", "open_project", "save_project"]
