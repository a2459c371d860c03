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
    proc = subprocess.run(
        [sys.executable, "-m", "heatgis", "--smoke-test", str(DEMO)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=300,
    )
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


def test_smoke_test_of_a_missing_project_fails_at_once(tmp_path):
    """No 120 s wait blaming the drawing: the missing file is named and the exit code is 1."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path))
    proc = subprocess.run(
        [sys.executable, "-m", "heatgis", "--smoke-test", str(tmp_path / "nope.gpkg")],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
    )
    assert proc.returncode == 1
    assert "nope.gpkg does not exist" in proc.stderr


def test_smoke_test_without_a_project_opens_the_bundled_demo_in_chinese(tmp_path):
    import os
    import subprocess
    import sys

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path), LANG="zh_CN.UTF-8", LANGUAGE="zh_CN")
    env.pop("LC_ALL", None)
    proc = subprocess.run(
        [sys.executable, "-m", "heatgis", "--smoke-test"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=tmp_path,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert "smoke ok: map of 呼和浩特演示城市" in proc.stdout
    assert "language zh (translations loaded) (Qt dialogs: loaded)" in proc.stdout
