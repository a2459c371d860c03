"""Every example of the README's code blocks and of the commands' --help runs as written.

The examples run in order, as separate processes (``python -m heatgis``), in a temporary folder that
holds a copy of ``data/examples`` (the inputs they name), as on a fresh machine from the repository
folder. Commands without a project read the bundled demo, i.e. this checkout's
``data/hohhot_demo.gpkg``: afterwards its bytes and ``git status`` of the repository are unchanged.
"""

from __future__ import annotations

import hashlib
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "data" / "hohhot_demo.gpkg"

pytestmark = pytest.mark.slow


def readme_examples(text: str | None = None) -> list[str]:
    """The ``heatgis ...`` lines of the README's ``` blocks, comments removed, in order."""
    text = (ROOT / "README.md").read_text(encoding="utf-8") if text is None else text
    out = []
    for block in re.findall(r"^```[^\n]*\n(.*?)^```", text, re.S | re.M):
        for line in block.splitlines():
            line = re.split(r"\s#\s", line, maxsplit=1)[0].strip()
            if line.startswith("heatgis ") or line == "heatgis":
                out.append(line)
    return out


def help_examples() -> list[str]:
    """The ``example: heatgis ...`` commands of every subcommand's help (``a && b`` gives two)."""
    from heatgis.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    out = []
    for _name, p in sub.choices.items():
        texts = [p.description or "", p.epilog or ""] + [a.help or "" for a in p._actions]
        for t in texts:
            for m in re.finditer(r"example: (heatgis [^\n]+)", t):
                out += [c.strip() for c in m.group(1).split("&&")]
    # the project the examples edit is written first
    return sorted(dict.fromkeys(out), key=lambda c: not c.startswith("heatgis demo "))


def run(line: str, cwd: Path, pg: dict | None = None) -> subprocess.CompletedProcess:
    env = dict(
        os.environ,
        **(pg or {}),
        QT_QPA_PLATFORM="offscreen",
        PYTHONPATH=os.pathsep.join([str(ROOT)] + [p for p in [os.environ.get("PYTHONPATH")] if p]),
    )
    return subprocess.run(
        [sys.executable, "-m", "heatgis", *shlex.split(line)[1:]],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=900,
    )


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _git_status() -> str | None:
    if not (ROOT / ".git").exists() or shutil.which("git") is None:
        return None
    return subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=all"], capture_output=True, text=True
    ).stdout


@pytest.fixture(scope="module")
def cluster():
    """A throw-away PostgreSQL + PostGIS server for the database examples (tests/pg/cluster.py)."""
    from tests.pg.cluster import Cluster, missing

    why = missing()
    if why:
        if os.environ.get("HEATGIS_NO_PG") == "1":
            yield None
            return
        pytest.fail(f"cannot start a PostgreSQL server for the database examples: {why} (HEATGIS_NO_PG=1 skips them)")
    c = Cluster()
    yield c
    c.close()


@pytest.fixture()
def pg(cluster):
    """libpq's environment for the examples' ``postgresql:///heat?schema=...``: the test server, an empty
    database ``heat`` with PostGIS (what the README's set-up lines make on a real machine)."""
    if cluster is None:
        return None
    cluster.sql("DROP DATABASE IF EXISTS heat")
    cluster.sql("CREATE DATABASE heat")
    cluster.sql("CREATE EXTENSION postgis", db="heat")
    return {"PGHOST": str(cluster.root), "PGPORT": str(cluster.port), "PGUSER": "postgres"}


def _runnable(lines: list[str], pg) -> list[str]:
    return lines if pg is not None else [c for c in lines if "postgresql:" not in c]


@pytest.fixture()
def workdir(tmp_path):
    shutil.copytree(ROOT / "data" / "examples", tmp_path / "data" / "examples")
    return tmp_path


def test_readme_lists_the_examples():
    lines = readme_examples()
    assert "heatgis impact" in lines and "heatgis demo my.gpkg" in lines
    assert any("--pin E-0203,ST-0355" in c for c in lines)
    assert not any("E0012" in c or "E0031" in c for c in lines)
    # the examples that write name the copy, never the demo
    writers = [c for c in lines if re.search(r"--save\b|^heatgis (import|zones-from-notice)", c)]
    assert writers and all(" my.gpkg " in f"{c} " for c in writers)


def test_every_readme_example_runs_and_changes_nothing_in_the_repository(workdir, pg):
    before, status = _digest(DEMO), _git_status()
    lines = _runnable(readme_examples(), pg)
    for line in lines:
        r = run(line, workdir, pg)
        assert r.returncode == 0, f"{line}\n{r.stdout[-2000:]}\n{r.stderr[-3000:]}"
        if line == "heatgis impact":
            assert "stations 换热站 24, boiler rooms 锅炉房 3" in r.stdout
        if line.startswith("heatgis import") and "--layer stations" in line:
            assert "layer stations now has 817 rows" in r.stdout
        if line.startswith("heatgis zones-from-notice"):
            assert "6 new zone(s) from the notice" in r.stdout
        if line.startswith("heatgis impact 'postgresql:"):  # the demo pushed into the database
            assert "stations 换热站 24, boiler rooms 锅炉房 3" in r.stdout and "5,159,000 m²" in r.stdout
    # the outputs landed in the working folder, the edits in the copy
    assert (workdir / "plan.csv").exists() and (workdir / "routes.geojson").exists()
    assert (workdir / "out" / "map.pdf").exists() and (workdir / "my.gpkg").exists()
    # a notice imported again adds nothing
    again = [c for c in lines if c.startswith("heatgis zones-from-notice")][0]
    r = run(again, workdir)
    assert r.returncode == 0 and "0 new zone(s) from the notice, 6 already in the project" in r.stdout
    assert _digest(DEMO) == before, "a README example changed the bundled demo"
    assert _git_status() == status, "a README example changed the repository"


def test_every_help_example_runs(workdir, pg):
    before, status = _digest(DEMO), _git_status()
    examples = help_examples()
    assert examples[0].startswith("heatgis demo ") and len(examples) >= 5
    for line in _runnable(examples, pg):
        r = run(line, workdir, pg)
        assert r.returncode == 0, f"{line}\n{r.stdout[-2000:]}\n{r.stderr[-3000:]}"
    assert _digest(DEMO) == before and _git_status() == status


def test_the_pin_in_staff_help_is_the_one_its_example_runs():
    from heatgis.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    staff = sub.choices["staff"]
    pin = next(a for a in staff._actions if "--pin" in a.option_strings)
    ids = re.search(r"e\.g\. (\S+)\)?", pin.help).group(1).rstrip(")")
    assert re.fullmatch(r"E-\d{4},ST-\d{4}", ids)
    assert f"--pin {ids}" in staff.epilog
