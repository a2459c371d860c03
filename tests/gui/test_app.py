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


def test_smoke_test_flag_opens_the_demo_and_exits(tmp_path):
    """`heatgis --smoke-test PROJECT`: the start-up check the frozen app runs (offscreen)."""
    import os
    import subprocess
    import sys

    from tests.conftest import DEMO

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path))
    proc = subprocess.run([sys.executable, "-m", "heatgis", "--smoke-test", str(DEMO)], capture_output=True,
                          text=True, encoding="utf-8", env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    line = proc.stdout.strip()
    assert line.startswith("smoke ok: map of 呼和浩特演示城市")
    assert "locked 24 stations, 3 boiler rooms, 5,159,000 m2, 38,500 households" in line


def test_early_read_gives_the_project_or_its_error(tmp_path):
    """``run`` starts reading the project in a thread before the GUI imports; the window takes the result."""
    import pytest

    from heatgis.errors import HeatGISError
    from heatgis.gui.app import _read_early
    from tests.conftest import DEMO

    path, future = _read_early(DEMO, smoke=True)
    project, engine = future.result(timeout=120)
    assert path == str(DEMO) and len(project.layer("stations")) == 812 and engine is not None
    assert _read_early(tmp_path / "missing.gpkg", smoke=True) is None
    broken = tmp_path / "broken.gpkg"
    broken.write_bytes(b"not a geopackage")
    _, failed = _read_early(broken, smoke=True)
    with pytest.raises(HeatGISError, match="broken.gpkg"):
        failed.result(timeout=60)
