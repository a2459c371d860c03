"""Test-wide set-up: Qt runs offscreen; paths to the bundled demo and the real data the tests read (tests/data)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "hohhot_demo.gpkg"
REAL = ROOT / "tests" / "data"  # OpenStreetMap extracts (ODbL, see tests/data/README.md)


@pytest.fixture(scope="session")
def demo_path() -> Path:
    assert DEMO.exists(), f"{DEMO} is missing: regenerate it with 'heatgis demo --force'"
    return DEMO


@pytest.fixture(scope="session")
def demo_project(demo_path):
    """The committed demo, opened once per session (treat as read-only)."""
    from heatgis.model.store import open_project

    return open_project(demo_path)


@pytest.fixture(scope="session", autouse=True)
def _one_qapplication(qapp):
    """A QApplication before any test runs: export code alone would make a QGuiApplication, and
    a widget test after it in the same session would abort ("Must construct a QApplication")."""
    return qapp
