"""The frozen app (PyInstaller onedir bundle) builds from a clean venv and runs offline.

Building takes a few minutes, so it runs when HEATGIS_BUILD_SMOKE=1 is set (CI sets it in .ci/run);
by hand: ``python scripts/build_app.py --smoke``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(
    not os.environ.get("HEATGIS_BUILD_SMOKE"), reason="building the frozen app takes minutes: set HEATGIS_BUILD_SMOKE=1"
)
def test_frozen_app_builds_and_passes_its_smoke_test():
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_app.py"), "--smoke"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=3600,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-6000:]
    assert "frozen heatgis-cli impact: exit 0" in out
    assert "locked: {'stations': 24, 'boiler_rooms': 3, 'heated_area_m2': 5159000, 'households': 38500}" in out
    for command in ("staff", "routes", "report"):
        assert f"frozen heatgis-cli {command}: exit 0" in out
    assert "smoke ok: map of 呼和浩特演示城市" in out
    assert "(Qt dialogs: loaded)" in out  # qtbase_zh_CN.qm is in the bundle (build.spec keeps *_zh_CN.qm)
    # the size target (450 MB unpacked) holds: a new dependency or a lost exclude shows up here
    assert "(target under 450 MB: met)" in out, out[out.index("bundle ") : out.index("bundle ") + 400]
    print(out[out.index("bundle ") :])  # size, what dominates, start-up time: in the CI log
