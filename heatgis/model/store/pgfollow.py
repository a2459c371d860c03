"""Following the other planners of a project on PostgreSQL: notifications, history, reloads.

- :class:`ChangeListener` holds one LISTEN connection; :meth:`ChangeListener.wait` waits up to a
  given time and returns the :class:`Change` s others committed (the app polls it in a worker).
- :func:`audit_history` lists the audit rows (who, when, layer, row, before/after).
- :func:`reload_rows` takes the database's current rows into an open project.
- :func:`row_versions` and :func:`stale_rows`: what changed while a listener was not listening.
- :func:`edit_rights` says whether the connected user may edit (the app opens read-only when not).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pandas as pd

from heatgis.errors import HeatGISError
from heatgis.model.schema import spec
from heatgis.model.store import pgschema as ps
from heatgis.model.store.diff import snapshot_copy
from heatgis.model.store.pgconn import PgTarget, connect, lost_error, parse_url
from heatgis.model.store.state import Snapshot
from heatgis.text import Text


@dataclass(frozen=True)
class Change:
    """One committed row change announced by the database."""

    layer: str
    op: str  # 'INSERT', 'UPDATE' or 'DELETE'
    row_id: str
    fid: int | None
    user: str
    at: str  # ISO time of the change (server clock)
    version: int | None
    pid: int | None  # the server process of the session that made it

    def describe(self) -> str:
        verb = _VERBS.get(self.op, self.op.lower())
        return Text(
            "{user} {verb} {layer} {row} at {at}",
            "{user} 于 {at} {verb}了 {layer} {row}",
            user=self.user,
            verb=verb,
            layer=self.layer,
            row=self.row_id,
            at=self.at[11:19],
        )


#: what another planner did to a row
_VERBS = {"INSERT": Text("added", "新增"), "UPDATE": Text("changed", "修改"), "DELETE": Text("deleted", "删除")}


def _target(url_or_project) -> PgTarget:
    origin = getattr(url_or_project, "origin", None)
    if origin is not None and hasattr(origin, "target"):
        return origin.target
    if isinstance(url_or_project, PgTarget):
        return url_or_project
    if isinstance(url_or_project, str):
        return parse_url(url_or_project)
    raise HeatGISError(
        Text("the project was not read from a database", "该项目不是从数据库读取的"),
        Text("open it from its postgresql:// URL", "请从它的 postgresql:// 地址打开"),
    )


class ChangeListener:
    """Waits for the changes others commit to a project (LISTEN on the project's channel).

    Parameters
    ----------
    url_or_project : str or Project
        A project URL, or a project read from the database.

    Examples
    --------
    >>> with ChangeListener(url) as listener:            # doctest: +SKIP
    ...     for change in listener.wait(1.0):
    ...         print(change.describe())
    """

    def __init__(self, url_or_project):
        self.target = _target(url_or_project)  # first: says when the driver is missing
        from psycopg import sql

        self.con = connect(self.target, autocommit=True)
        self.con.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self.target.channel)))

    def wait(self, timeout: float = 1.0, settle: float = 0.05) -> list[Change]:
        """Wait up to ``timeout`` seconds for a change; return it and any that follow within ``settle`` s.

        Returns an empty list when nothing changed. Raises :class:`HeatGISError` when the
        connection is lost (make a new listener when the server is back).
        """
        import psycopg

        out: list[Change] = []
        try:
            for n in self.con.notifies(timeout=timeout, stop_after=1):
                out.append(_change(n.payload))
            if out:
                for n in self.con.notifies(timeout=settle):
                    out.append(_change(n.payload))
        except psycopg.Error as exc:
            raise lost_error(exc, self.target, Text("waiting for changes", "等待他人修改")) from exc
        return out

    def close(self) -> None:
        self.con.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _change(payload: str) -> Change:
    d = json.loads(payload)
    return Change(
        str(d.get("layer") or ""),
        str(d.get("op") or ""),
        str(d.get("id") if d.get("id") is not None else f"#{d.get('fid')}"),
        d.get("fid"),
        str(d.get("user") or ""),
        str(d.get("at") or ""),
        d.get("version"),
        d.get("pid"),
    )


def audit_history(url_or_project, layer: str | None = None, row_id: str | None = None, limit: int = 200):
    """The latest audit rows, newest first.

    Returns
    -------
    DataFrame
        Columns ``at`` (UTC), ``user``, ``layer``, ``row_id``, ``op``, ``version``, ``before``,
        ``after`` (dicts of the row's columns; geometry as GeoJSON).
    """
    target = _target(url_or_project)  # first: says when the driver is missing
    import psycopg
    from psycopg import sql

    where, params = [sql.SQL("true")], []
    if layer:
        where.append(sql.SQL("layer = %s"))
        params.append(layer)
    if row_id is not None:
        where.append(sql.SQL("row_id = %s"))
        params.append(str(row_id))
    q = sql.SQL(
        "SELECT at, username, layer, row_id, op, version, before, after FROM {} WHERE {} "
        "ORDER BY audit_id DESC LIMIT %s"
    ).format(sql.Identifier(target.schema, ps.AUDIT_TABLE), sql.SQL(" AND ").join(where))
    con = connect(target)
    try:
        rows = con.execute(q, [*params, int(limit)]).fetchall()
    except psycopg.Error as exc:
        raise lost_error(exc, target, Text("reading the edit history", "读取编辑历史")) from exc
    finally:
        con.close()
    frame = pd.DataFrame(rows, columns=["at", "user", "layer", "row_id", "op", "version", "before", "after"])
    frame["at"] = pd.to_datetime(frame["at"], utc=True)
    return frame


def row_versions(url_or_project, layers) -> dict:
    """Every row's version in the database: ``{layer: [(fid, version, row id as text), ...]}``.

    What an app that lost its LISTEN connection compares with the versions it read, to reload
    the rows the others changed meanwhile (their notifications were not heard).
    """
    target = _target(url_or_project)  # first: says when the driver is missing
    import psycopg
    from psycopg import sql

    out = {}
    con = connect(target)
    try:
        for layer in layers:
            id_field = spec(layer).id_field
            if not id_field:
                continue
            q = sql.SQL("SELECT {}, {}, {}::text FROM {}").format(
                sql.Identifier(ps.FID),
                sql.Identifier(ps.VERSION),
                sql.Identifier(id_field),
                sql.Identifier(target.schema, layer),
            )
            out[layer] = [(int(f), int(v), str(r)) for f, v, r in con.execute(q).fetchall()]
    except psycopg.Error as exc:
        raise lost_error(exc, target, Text("reading the row versions", "读取行版本")) from exc
    finally:
        con.close()
    return out


def stale_rows(project, versions: dict) -> dict[str, list[str]]:
    """The row ids whose version in the database (:func:`row_versions`) differs from the one read,
    added since, or deleted since, by layer."""
    origin = project.origin
    out: dict[str, list[str]] = {}
    for layer, rows in versions.items():
        known = origin.versions.get(layer, {})
        ids = [r for f, v, r in rows if known.get(f) != v]
        present = {f for f, _, _ in rows}
        snap = origin.layers.get(layer)
        id_field = spec(layer).id_field
        if snap is not None and id_field in snap.frame.columns:
            for f, r in zip(snap.fids.tolist(), snap.frame[id_field].astype(str).tolist()):
                if f not in present:
                    ids.append(r)
        if ids:
            out[layer] = list(dict.fromkeys(ids))
    return out


def edit_rights(url_or_project, layer: str = "lockdown_zones") -> tuple[bool, str]:
    """Whether the connected user may change ``layer`` (the database's grants), and who that user is.

    Returns
    -------
    (bool, str)
        True when the role holds UPDATE on the layer's table; the database user name.
    """
    target = _target(url_or_project)  # first: says when the driver is missing
    import psycopg

    con = connect(target)
    try:
        row = con.execute(
            "SELECT current_user, coalesce((SELECT has_table_privilege(c.oid, 'UPDATE') FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relname = %s), false)",
            (target.schema, layer),
        ).fetchone()
    except psycopg.Error as exc:
        raise lost_error(exc, target, Text("checking your rights", "检查您的权限")) from exc
    finally:
        con.close()
    return bool(row[1]), str(row[0])


def reload_rows(project, layer: str, row_ids) -> int:
    """Replace the project's rows ``row_ids`` of ``layer`` by the database's current ones.

    The rows as read are replaced too (with their new versions), so edits re-applied on
    top save against the current state. A row deleted in the database leaves the project.

    Returns
    -------
    int
        The number of rows now in the project for those ids.
    """
    import psycopg
    from psycopg import sql

    from heatgis.model.store.prepare import prepare_layer

    origin = project.origin
    target = _target(project)
    if layer not in origin.tables:
        raise HeatGISError(
            Text("the database has no layer {layer!r}", "数据库中没有图层 {layer!r}", layer=layer),
            Text("reload the whole project", "请重新载入整个项目"),
            file=target.display,
        )
    from heatgis.model.store.postgis import read_rows

    id_field = spec(layer).id_field or ps.FID
    ids = [str(r) for r in row_ids]
    con = connect(target)
    try:
        frame, fids, versions, _ = read_rows(
            con,
            target,
            layer,
            origin.tables[layer],
            sql.SQL("{}::text = ANY(%s)").format(sql.Identifier(id_field)),
            (ids,),
        )
    except psycopg.Error as exc:
        raise lost_error(exc, target, Text("reloading rows", "重新载入行")) from exc
    finally:
        con.close()
    fresh, _ = prepare_layer(layer, frame, project.crs, target.display)
    current = project.layers[layer]
    keep = ~current[id_field].astype(str).isin(ids).to_numpy()
    snap = origin.layers[layer]
    keep_s = ~snap.frame[id_field].astype(str).isin(ids).to_numpy()
    project.layers[layer] = _concat(current[keep], fresh)
    snap_frame = _concat(snap.frame[keep_s], fresh)
    snap_fids = np.concatenate([snap.fids[keep_s], fids])
    origin.layers[layer] = Snapshot(snapshot_copy(snap_frame), snap_fids)
    vers = dict(origin.versions[layer])
    vers.update(zip(fids.tolist(), versions.tolist()))
    origin.versions[layer] = vers
    project.emit(layer)
    return len(fresh)


def _concat(a, b):
    out = pd.concat([a, b.astype(a.dtypes.to_dict(), errors="ignore") if len(b) else b], ignore_index=True)
    if hasattr(a, "geometry"):
        import geopandas as gpd

        out = gpd.GeoDataFrame(out, geometry=a.geometry.name, crs=a.crs)
    return out
