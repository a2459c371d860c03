"""Test-wide set-up: Qt runs offscreen; paths to the bundled demo and the real data the tests read (tests/data).

``HEATGIS_NO_QT=1`` blocks PySide6, shiboken6 and pyqtgraph for the whole run: CI runs
``tests/core`` and ``tests/cli`` that way (with ``-p no:pytest-qt``) to prove the core is Qt-free.
Tests that need Qt live in ``tests/gui`` (widgets) and ``tests/render`` (QtGui: render, export)
or carry ``@pytest.mark.qt`` (a CLI command that prints); they get the session's one QApplication.
"""

from __future__ import annotations

import importlib.abc
import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# the command line's messages in English unless a test asks for Chinese (heatgis.text.language)
os.environ.setdefault("HEATGIS_LANG", "en")
import heatgis  # noqa: E402,F401  (before numpy: one BLAS thread per caller, as in the app)

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "hohhot_demo.gpkg"
REAL = ROOT / "tests" / "data"  # OpenStreetMap extracts (ODbL, see tests/data/README.md)

QT_MODULES = ("PySide6", "shiboken6", "pyqtgraph")


class QtBlocker(importlib.abc.MetaPathFinder):
    """Refuses every Qt import (the core must not need one)."""

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in QT_MODULES:
            raise ImportError(f"{name} is blocked (HEATGIS_NO_QT=1): the core and the CLI run without Qt")
        return None


if os.environ.get("HEATGIS_NO_QT"):
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in QT_MODULES)
    if loaded:
        raise RuntimeError(f"Qt was imported before the blocker ({', '.join(loaded[:3])}): run with -p no:pytest-qt")
    sys.meta_path.insert(0, QtBlocker())


QT_DIRS = ("gui", "render")


def pytest_collection_modifyitems(config, items):
    """Everything in tests/gui and tests/render needs Qt; with Qt blocked, Qt tests are skipped."""
    blocked = bool(os.environ.get("HEATGIS_NO_QT"))
    skip = pytest.mark.skip(reason="Qt is blocked (HEATGIS_NO_QT=1)")
    for item in items:
        parts = Path(str(item.fspath)).relative_to(ROOT).parts
        if len(parts) > 1 and parts[0] == "tests" and parts[1] in QT_DIRS:
            item.add_marker(pytest.mark.qt)
        if blocked and item.get_closest_marker("qt"):
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def _one_qapplication_first(request):
    """The QApplication made before any fixture runs when the session has a Qt test: a module
    fixture that writes a report (QtGui) would otherwise make a QGuiApplication before the first
    test's own fixtures, and a later widget test would abort the run (seen: test_report_cli's
    ``out`` run first, then tests/gui)."""
    if not os.environ.get("HEATGIS_NO_QT") and any(i.get_closest_marker("qt") for i in request.session.items):
        request.getfixturevalue("qapp")


@pytest.fixture(autouse=True)
def _qapplication_for_qt_tests(request):
    """The session's one QApplication for every test marked ``qt`` (made before export code would
    make a QGuiApplication of its own, after which no widget test could run)."""
    if request.node.get_closest_marker("qt") is not None:
        request.getfixturevalue("qapp")


@pytest.fixture(scope="session")
def demo_path() -> Path:
    assert DEMO.exists(), f"{DEMO} is missing: regenerate it with 'heatgis demo --force'"
    return DEMO


@pytest.fixture(scope="session")
def demo_project(demo_path):
    """The committed demo, opened once per session (treat as read-only)."""
    from heatgis.model.store import open_project

    return open_project(demo_path)
