"""PyInstaller runtime hook: what the app bundle leaves out, and the stand-ins that make it safe.

build.spec excludes the modules in ``LEFT_OUT`` to keep the bundle small (issue 8: under 450 MB).
None of them is used by HeatGIS, but two are *imported* by libraries we use:

* ``scipy.sparse.csgraph`` imports ``LinearOperator`` from ``scipy.sparse.linalg`` (only for
  ``csgraph.laplacian``, which HeatGIS never calls). ``scipy.sparse.linalg`` pulls in
  ``scipy.linalg`` and with it a 25 MB OpenBLAS, so the bundle has neither and this hook puts a
  stand-in module in its place.
* pyqtgraph (``PlotCurveItem``, ``Qt/OpenGLHelpers``) imports ``PySide6.QtOpenGL`` (9 MB) and
  ``PySide6.QtOpenGLWidgets`` at import time, for its OpenGL drawing path, which HeatGIS keeps
  off (``useOpenGL`` is never set). The stand-ins raise a clear error if anything ever uses them;
  ``QOpenGLWidget`` is a plain ``QWidget`` subclass so pyqtgraph can subclass it and its
  ``isinstance`` checks answer False.

The stand-ins are found *after* every real finder (the finder is appended to ``sys.meta_path``),
so when the real module is present it wins. ``tests/packaging/test_leaveout.py`` runs the app's
commands with ``LEFT_OUT`` blocked and this hook installed, so a new import of a left-out module
fails in the normal test run instead of on a planner's desk.

PROJ data: pyogrio's GDAL and pyproj each ship a ``proj.db`` (10 MB each). The bundle keeps only
pyogrio's (the newer database layout, which pyproj's older PROJ reads: PROJ accepts a database
whose layout minor version is at least its own) and points ``PROJ_DATA`` at it.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import os
import sys

#: module prefixes build.spec excludes; each is either unused or replaced by a stand-in below
LEFT_OUT = (
    # scipy: only scipy.sparse and scipy.sparse.csgraph are used (graphs, travel times)
    "scipy.linalg",
    "scipy.sparse.linalg",
    "scipy.special",
    "scipy.spatial",
    "scipy.fft",
    "scipy.stats",
    "scipy.optimize",
    "scipy.interpolate",
    "scipy.signal",
    "scipy.integrate",
    "scipy.ndimage",
    "scipy.io",
    "scipy.odr",
    "scipy.cluster",
    "scipy.datasets",
    "scipy.misc",
    "scipy.fftpack",
    "scipy.constants",
    "scipy.differentiate",
    # Qt OpenGL: pyqtgraph's OpenGL paths are off
    "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets",
    # Pillow: the deck only reads our own PNG; no AVIF/WebP codecs, fonts, colour management
    "PIL._avif",
    "PIL._webp",
    "PIL._imagingft",
    "PIL._imagingcms",
    "PIL._imagingmath",
    "PIL._imagingmorph",
    "PIL._imagingtk",
    # lxml: python-pptx and openpyxl use lxml.etree only
    "lxml.objectify",
    "lxml.html",
    "lxml.isoschematron",
    "lxml.sax",
    "lxml.builder",
    "lxml._difflib",
    # hashlib falls back to its built-in hashes. (``ssl`` stays in the bundle: psycopg's libpq
    # wrapper imports it at load to set up OpenSSL's callbacks, so without it no database opens.)
    "_hashlib",
    "readline",
)


def _linalg_stand_in(module) -> None:
    class LinearOperator:  # noqa: D401 - a stand-in, not scipy's class
        """Stand-in: scipy.sparse.linalg is not in the HeatGIS app bundle."""

        def __init__(self, *args, **kwargs):
            raise ImportError("scipy.sparse.linalg is not in the HeatGIS app bundle (see scripts/rthook_leaveout.py)")

    module.LinearOperator = LinearOperator


def _qtopengl_stand_in(module) -> None:
    def __getattr__(name):
        raise AttributeError(
            f"PySide6.QtOpenGL.{name}: Qt OpenGL is not in the HeatGIS app bundle (see scripts/rthook_leaveout.py)"
        )

    module.__getattr__ = __getattr__


def _qtopenglwidgets_stand_in(module) -> None:
    from PySide6.QtWidgets import QWidget

    class QOpenGLWidget(QWidget):
        """Stand-in: Qt OpenGL is not in the HeatGIS app bundle."""

        def __init__(self, *args, **kwargs):
            raise RuntimeError(
                "QOpenGLWidget: Qt OpenGL is not in the HeatGIS app bundle (see scripts/rthook_leaveout.py)"
            )

    module.QOpenGLWidget = QOpenGLWidget
    _qtopengl_stand_in(module)


STAND_INS = {
    "scipy.sparse.linalg": _linalg_stand_in,
    "PySide6.QtOpenGL": _qtopengl_stand_in,
    "PySide6.QtOpenGLWidgets": _qtopenglwidgets_stand_in,
}


class _StandInFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Last finder on ``sys.meta_path``: gives a stand-in only when no real module was found."""

    def find_spec(self, name, path=None, target=None):
        if name in STAND_INS:
            return importlib.util.spec_from_loader(name, self)
        return None

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        module.__doc__ = f"Stand-in for {module.__name__} (not in the HeatGIS app bundle)."
        STAND_INS[module.__name__](module)


def install(base: str | None = None) -> None:
    """Append the stand-in finder; point PROJ at pyogrio's ``proj_data`` when pyproj has none."""
    if not any(isinstance(f, _StandInFinder) for f in sys.meta_path):
        sys.meta_path.append(_StandInFinder())
    if base:
        proj_data = os.path.join(base, "pyogrio", "proj_data")
        own = os.path.join(base, "pyproj", "proj_dir", "share", "proj", "proj.db")
        if os.path.exists(os.path.join(proj_data, "proj.db")) and not os.path.exists(own):
            os.environ["PROJ_DATA"] = proj_data


if getattr(sys, "frozen", False):
    install(getattr(sys, "_MEIPASS", None))
