"""Where projects are kept: ``gpkg`` (the GeoPackage file). A PostGIS store will sit beside it.

``from heatgis.model.store import open_project, save_project`` is the API every
caller uses; see :mod:`heatgis.model.store.gpkg` for what a save guarantees.
"""

from __future__ import annotations

from heatgis.model.schema import DEFAULT_CRS
from heatgis.model.store.gpkg import open_project, prepare_layer, save_project
from heatgis.model.store.state import META_TABLE, ConflictError

__all__ = ["DEFAULT_CRS", "META_TABLE", "ConflictError", "open_project", "prepare_layer", "save_project"]
