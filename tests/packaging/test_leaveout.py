"""What the app bundle leaves out (scripts/rthook_leaveout.py) is really not needed.

The app's commands run in a fresh interpreter in which every module of ``LEFT_OUT`` is blocked, the
stand-ins of the runtime hook are installed and pyproj reads pyogrio's ``proj.db``: exactly the
situation inside the frozen bundle, without the minutes of building it. A new import of a left-out
module (say ``scipy.spatial``) fails here, in every test run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "data" / "hohhot_demo.gpkg"

PRELUDE = textwrap.dedent(f"""
    import importlib.abc, os, sys
    sys.path.insert(0, {str(ROOT / "scripts")!r})
    import rthook_leaveout as hook

    class Blocker(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name in hook.STAND_INS:
                return hook._StandInFinder().find_spec(name)
            if any(name == p or name.startswith(p + ".") for p in hook.LEFT_OUT):
                raise ModuleNotFoundError(f"{{name}} is left out of the app bundle", name=name)
            return None

    sys.meta_path.insert(0, Blocker())
    hook.install()
    import pyogrio, pyproj.datadir
    pyproj.datadir.set_data_dir(os.path.join(os.path.dirname(pyogrio.__file__), "proj_data"))
""")


def run_blocked(body: str, tmp_path: Path, timeout: int = 600) -> subprocess.CompletedProcess:
    script = tmp_path / "blocked.py"
    script.write_text(PRELUDE + textwrap.dedent(body), encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, str(script)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=timeout,
    )


def test_every_module_imports_without_the_left_out_parts(tmp_path):
    proc = run_blocked(
        """
        import importlib, pkgutil, heatgis
        names = [m.name for m in pkgutil.walk_packages(heatgis.__path__, "heatgis.")
                 if not m.name.endswith("__main__")]
        for name in names:
            importlib.import_module(name)
        import pyqtgraph  # imports PySide6.QtOpenGL through PlotCurveItem
        loaded = sorted(k for k in sys.modules if k in hook.STAND_INS)
        print("imported", len(names), "stand-ins", loaded)
    """,
        tmp_path,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert "stand-ins ['PySide6.QtOpenGL', 'PySide6.QtOpenGLWidgets', 'scipy.sparse.linalg']" in proc.stdout


def test_batch_commands_run_without_the_left_out_parts(tmp_path):
    out = tmp_path / "out"
    zones = tmp_path / "zones.geojson"
    project = tmp_path / "imported.gpkg"
    proc = run_blocked(
        f"""
        import json, io, contextlib
        import geopandas as gpd
        from heatgis.cli import main
        demo = {str(DEMO)!r}
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            assert main(["impact", demo, "--json"]) == 0
        locked = json.loads(buf.getvalue())["locked"]
        print("locked", locked["stations"], locked["boiler_rooms"], locked["households"])
        assert main(["staff", demo, "--json"]) == 0
        assert main(["routes", demo, "--time-limit", "1", "--json"]) == 0
        assert main(["routes", demo, "--duty", "locked", "--time-limit", "1", "--json"]) == 0  # PyVRP
        assert main(["crews", demo, "--hours", "8", "--time-limit", "0.5", "--json"]) == 0
        assert main(["report", demo, "--out", {str(out)!r}, "--time-limit", "1"]) == 0
        # import: a WGS84 GeoJSON of zones, reprojected through PROJ (pyogrio's proj.db)
        gpd.read_file(demo, layer="lockdown_zones").head(5).to_crs(4326).to_file({str(zones)!r})
        assert main(["import", {str(project)!r}, {str(zones)!r}, "--layer", "lockdown_zones"]) == 0
        print("imported", len(gpd.read_file({str(project)!r}, layer="lockdown_zones")))
    """,
        tmp_path,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert "locked 24 3 38500" in proc.stdout
    assert "imported 5" in proc.stdout
    written = sorted(p.name for p in out.iterdir())
    for name in ("map.pdf", "map.png", "report.xlsx", "briefing.pptx"):
        assert name in written


def test_gui_smoke_runs_without_the_left_out_parts(tmp_path):
    proc = run_blocked(
        f"""
        from heatgis.cli import main
        sys.exit(main(["--smoke-test", {str(DEMO)!r}]))
    """,
        tmp_path,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert "smoke ok" in proc.stdout + proc.stderr
