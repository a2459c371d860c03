"""A real throw-away PostgreSQL 15 + PostGIS cluster for the tests of projects in a database.

The cluster starts once per run in a temporary folder (``tests/pg/cluster.py``). Where the
server binaries, PostGIS or the driver are missing the tests FAIL with the reason (CI
installs them, see ``.ci/run``); ``HEATGIS_NO_PG=1`` skips them instead, saying why.
"""

from __future__ import annotations

import os

import pytest

from tests.pg.cluster import Cluster, missing

PASSWORDS = {"alice": "alice-secret", "bob": "bob-secret", "olga": "olga-secret"}


@pytest.fixture(scope="session")
def cluster(tmp_path_factory):
    why = missing()
    if why:
        if os.environ.get("HEATGIS_NO_PG") == "1":
            pytest.skip(f"HEATGIS_NO_PG=1: the PostgreSQL tests are skipped ({why})")
        pytest.fail(f"cannot start a PostgreSQL test cluster: {why}; set HEATGIS_NO_PG=1 to skip these tests")
    c = Cluster()
    for user, password in PASSWORDS.items():
        c.sql(f"CREATE ROLE {user} LOGIN PASSWORD '{password}'")
    pgpass = tmp_path_factory.mktemp("pgpass") / "pgpass"
    pgpass.write_text("".join(f"*:*:*:{u}:{p}\n" for u, p in PASSWORDS.items()))
    pgpass.chmod(0o600)
    c.pgpass = pgpass
    yield c
    c.close()


@pytest.fixture(scope="session")
def demo():
    """The bundled demo project, read once (tests never change it)."""
    from heatgis.model.store import open_project
    from tests.conftest import DEMO

    return open_project(DEMO)


@pytest.fixture
def pg(cluster, monkeypatch):
    """The cluster, with the planners' passwords in a password file (PGPASSFILE) and no PGPASSWORD."""
    monkeypatch.setenv("PGPASSFILE", str(cluster.pgpass))
    monkeypatch.delenv("PGPASSWORD", raising=False)
    if cluster.stopped:
        cluster.start()
    return cluster
