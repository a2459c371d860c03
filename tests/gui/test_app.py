"""``heatgis`` without a display says so in one line and returns 2."""
from __future__ import annotations

import sys

import pytest

from heatgis.gui import app


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="display detection is for X11/Wayland")
def test_no_display_one_line_exit_2(monkeypatch, capsys):
    for var in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(var, raising=False)
    assert app.run("data/hohhot_demo.gpkg") == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "heatgis impact" in err
