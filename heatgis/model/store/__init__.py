"""Where projects are kept: a GeoPackage file (``gpkg``) or a schema on PostgreSQL/PostGIS (``postgis``).

``from heatgis.model.store import open_project, save_project`` is the API every
caller uses: both take a file path or a ``postgresql://...?schema=NAME`` URL and
dispatch on it (the database store is only imported for a URL, so the app and the
commands need no database driver for a file). See :mod:`heatgis.model.store.gpkg` and
:mod:`heatgis.model.store.postgis` for what a save guarantees.
"""

from __future__ import annotations

from heatgis.model.schema import DEFAULT_CRS
from heatgis.model.store import gpkg
from heatgis.model.store.pgconn import is_url
from heatgis.model.store.prepare import prepare_layer
from heatgis.model.store.state import META_TABLE, ConflictError


def open_project(path_or_url, strict: bool = True, fields: dict | None = None):
    """Read a project from a GeoPackage path or a ``postgresql://`` URL (see the stores' own docs).

    ``fields`` (a file only; a database is read whole): layer name -> the contract fields to read
    of that layer, for a command that only computes figures (see :func:`heatgis.model.store.gpkg.open_project`).
    """
    if is_url(path_or_url):
        from heatgis.model.store import postgis

        return postgis.open_project(path_or_url, strict=strict)
    return gpkg.open_project(path_or_url, strict=strict, fields=fields)


def save_project(project, path=None, timestamp: str | None = None, replace: bool = False, force: bool = False):
    """Save a project into its file or database (``path``: a file path or a URL; default where it was read).

    Returns the path (a file) or the URL (a database). ``timestamp``, ``replace`` and
    ``force`` are the file store's (see :func:`heatgis.model.store.gpkg.save_project`).
    """
    if is_url(path) and getattr(project, "partial", None):
        return gpkg.save_project(project, path)  # refuses: read in part
    if is_url(path) or (path is None and is_database_project(project)):
        from heatgis.model.store import postgis

        return postgis.save_project(project, path)
    return gpkg.save_project(project, path, timestamp=timestamp, replace=replace, force=force)


def is_database_project(project) -> bool:
    """True when ``project`` was read from (or saved into) a database."""
    return type(getattr(project, "origin", None)).__name__ == "PgOrigin"


def project_location(project) -> str:
    """Where the project is kept, for titles and messages: the file path or the URL (no password)."""
    if is_database_project(project):
        return project.origin.target.display
    return str(project.path) if project.path else ""


__all__ = [
    "DEFAULT_CRS",
    "META_TABLE",
    "ConflictError",
    "is_database_project",
    "is_url",
    "open_project",
    "prepare_layer",
    "project_location",
    "save_project",
]
