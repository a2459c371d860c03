"""A throw-away PostgreSQL + PostGIS cluster in a temporary folder (tests and benchmarks).

``initdb`` and ``pg_ctl`` from ``/usr/lib/postgresql/15/bin`` (or ``HEATGIS_PG_BIN``), a free
port, the unix socket in the cluster's folder, no TCP. As root the server runs as the
``postgres`` OS user (``runuser``), since PostgreSQL refuses to run as root. Local connections
as ``postgres`` are trusted; every other role logs in with a password (scram-sha-256).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

PG_BIN = Path(os.environ.get("HEATGIS_PG_BIN", "/usr/lib/postgresql/15/bin"))
POSTGIS_CONTROL = Path("/usr/share/postgresql/15/extension/postgis.control")


def missing() -> str | None:
    """Why a cluster cannot be started here (None when it can)."""
    if not (PG_BIN / "initdb").exists():
        return f"PostgreSQL server binaries not found in {PG_BIN} (apt-get install postgresql-15)"
    if not POSTGIS_CONTROL.exists() and "HEATGIS_PG_BIN" not in os.environ:
        return "PostGIS is not installed (apt-get install postgresql-15-postgis-3)"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "the driver psycopg is not installed (pip install 'psycopg[binary]')"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """One running server; ``url(schema, user)`` names a project in database ``heatgis``."""

    def __init__(self):
        self.root = Path(tempfile.mkdtemp(prefix="heatgis-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.as_root = os.geteuid() == 0
        self.stopped = True
        self.pgpass: Path | None = None
        os.chmod(self.root, 0o755)
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")
        self._run(
            [
                str(PG_BIN / "initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "--auth-local=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ]
        )
        hba = self.data / "pg_hba.conf"
        hba.write_text("local all postgres trust\nlocal all all scram-sha-256\n")
        self.start()
        self.sql("CREATE DATABASE heatgis")

    def _run(self, cmd, check=True):
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, check=check, capture_output=True, text=True, cwd=self.root)

    def start(self) -> None:
        opts = f"-p {self.port} -k {self.root} -c listen_addresses='' -c fsync=off"
        self._run(
            [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", opts, "-l", str(self.root / "log"), "-w", "start"]
        )
        self.stopped = False

    def stop(self, mode: str = "fast") -> None:
        self._run([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"], check=False)
        self.stopped = True

    def url(self, schema: str = "demo", user: str = "postgres", db: str = "heatgis") -> str:
        return f"postgresql://{user}@/{db}?host={self.root}&port={self.port}&schema={schema}"

    def sql(self, text: str, db: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(host=str(self.root), port=self.port, user="postgres", dbname=db, autocommit=True) as con:
            con.execute(text)

    def close(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)
