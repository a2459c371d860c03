"""The basemap a project is shown with, kept in the project (``heatgis_meta`` key ``basemap``, JSON).

``{"path": "tiles/city.mbtiles", "gcj02": true, "opacity": 0.8}``: the tiles (an .mbtiles file or a
z/x/y folder; relative to the project file's folder when they sit under it, so the pair can be
copied together; else absolute, and found beside the project by name when moved there), whether
they are GCJ-02 shifted, their opacity. No key: no basemap (the synthetic demo's default).
Changing it is a ``SetMeta`` command on the project's one undo stack.

Qt-free.
"""

from __future__ import annotations

import json
from pathlib import Path

META_KEY = "basemap"


def basemap_choice(project) -> dict | None:
    """The project's basemap as ``{"path": absolute str, "gcj02": bool, "opacity": float}``, or None."""
    text = str((project.meta or {}).get(META_KEY) or "").strip()
    if not text:
        return None
    try:
        doc = json.loads(text)
        path = Path(str(doc["path"]))
    except (ValueError, KeyError, TypeError):
        return None
    if project.path is not None:
        base = Path(project.path).resolve().parent
        if not path.is_absolute():
            path = base / path
        elif not path.exists() and (base / path.name).exists():  # the tiles copied beside the project
            path = base / path.name
    try:
        opacity = min(1.0, max(0.0, float(doc.get("opacity", 1.0))))
    except (TypeError, ValueError):
        opacity = 1.0
    return {"path": str(path), "gcj02": bool(doc.get("gcj02", False)), "opacity": opacity}


def basemap_value(project, path: str | None, gcj02: bool = False, opacity: float = 1.0) -> str | None:
    """The metadata value for this choice (None: no basemap); the path relative to the project's folder
    when the tiles sit under it."""
    if not path:
        return None
    p = Path(path)
    if project.path is not None:
        base = Path(project.path).resolve().parent
        try:
            p = p.resolve().relative_to(base)
        except ValueError:
            pass
    return json.dumps({"path": p.as_posix(), "gcj02": bool(gcj02), "opacity": round(float(opacity), 3)})
