"""Projects on a real PostgreSQL + PostGIS server: push/pull, shared editing, conflicts, NOTIFY,
roles, audit, faults. The server is a throw-away cluster (tests/pg/conftest.py)."""

from __future__ import annotations

import subprocess
import sys
import threading

import numpy as np
import pandas as pd
import pytest

from heatgis.analysis.impact import impact
from heatgis.errors import HeatGISError
from heatgis.model.project import Project
from heatgis.model.store import open_project, save_project
from heatgis.model.store import postgis as pgs
from heatgis.model.store.pgpush import pull_project, push_project
from tests.conftest import DEMO, ROOT

ZONE = "Z-005"


@pytest.fixture(scope="module")
def demo_url(cluster, demo):
    """The whole demo, pushed once for the module (read-only tests)."""
    url = cluster.url("demo_full")
    push_project(demo, url)
    return url


def small(demo, url, cluster, editors=("alice", "bob"), viewers=("olga",)) -> str:
    """A project with the demo's districts, zones and stations in a fresh schema; planners granted."""
    p = Project(meta=dict(demo.meta), layers={n: demo.layers[n] for n in ("districts", "lockdown_zones", "stations")})
    push_project(p, url)
    schema = url.split("schema=")[1]
    for u in editors:
        cluster.sql(f"GRANT {schema}_editor TO {u}", db="heatgis")
    for u in viewers:
        cluster.sql(f"GRANT {schema}_viewer TO {u}", db="heatgis")
    return schema


def _set_level(project, zone, level):
    z = project.layers["lockdown_zones"].copy()
    z.loc[z["zone_id"] == zone, "level"] = level
    project.layers["lockdown_zones"] = z


def _level(project, zone):
    z = project.layers["lockdown_zones"]
    return z.loc[z["zone_id"] == zone, "level"].iloc[0]


def test_push_then_pull_keeps_layers_and_figures(pg, demo, demo_url, tmp_path):
    out = tmp_path / "pulled.gpkg"
    pull_project(demo_url, out)
    from_db = open_project(demo_url)
    pulled = open_project(out)
    assert pulled.meta == {**demo.meta, "crs": demo.crs}
    for name, frame in demo.layers.items():
        for other in (from_db, pulled):
            got = other.layers[name]
            assert list(got.columns) == list(frame.columns), name
            assert len(got) == len(frame), name
            plain = [c for c in frame.columns if c != "geometry"]
            pd.testing.assert_frame_equal(pd.DataFrame(got[plain]), pd.DataFrame(frame[plain]), check_dtype=True)
            if "geometry" in frame.columns:
                assert np.array_equal(got.geometry.to_wkb().to_numpy(), frame.geometry.to_wkb().to_numpy()), name
    ref = impact(demo, at=demo.reference_time).totals
    assert ref.heated_area_m2 == 5_159_000 and ref.households == 38_500
    for other in (from_db, pulled):
        t = impact(other, at=other.reference_time).totals
        assert (t.stations, t.boiler_rooms, t.heated_area_m2, t.households, t.staff_locked_in) == (
            ref.stations,
            ref.boiler_rooms,
            ref.heated_area_m2,
            ref.households,
            ref.staff_locked_in,
        )


def test_tables_are_typed_indexed_and_in_the_project_crs(pg, demo_url):
    import psycopg

    with psycopg.connect(host=str(pg.root), port=pg.port, user="postgres", dbname="heatgis") as con:
        kinds = dict(
            con.execute(
                "SELECT f_table_name, type || ':' || srid FROM geometry_columns WHERE f_table_schema = 'demo_full'"
            ).fetchall()
        )
        assert kinds["stations"] == "POINT:4546" and kinds["lockdown_zones"].endswith("POLYGON:4546")
        types = dict(
            con.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = 'demo_full' AND table_name = 'lockdown_zones'"
            ).fetchall()
        )
        assert types["start"].startswith("timestamp") and types["zone_id"] == "text"
        assert types["heatgis_version"] == "integer"
        gist = con.execute(
            "SELECT count(*) FROM pg_indexes WHERE schemaname = 'demo_full' AND indexdef ILIKE '%USING gist%'"
        ).fetchone()[0]
        assert gist == len(kinds)
        pks = con.execute(
            "SELECT count(*) FROM information_schema.table_constraints WHERE table_schema = 'demo_full' "
            "AND constraint_type = 'PRIMARY KEY'"
        ).fetchone()[0]
        assert pks >= len(kinds) + 1  # every layer, the metadata and the audit


def test_cli_impact_on_a_url_prints_the_reference_figures(pg, demo_url):
    run = subprocess.run(
        [sys.executable, "-m", "heatgis", "impact", demo_url], capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    assert run.returncode == 0, run.stderr
    assert "stations 换热站 24, boiler rooms 锅炉房 3" in run.stdout
    assert "5,159,000 m²" in run.stdout and "38,500" in run.stdout


def test_cli_push_and_pull(pg, tmp_path):
    url = pg.url("cli_push")
    run = subprocess.run(
        [sys.executable, "-m", "heatgis", "push", str(DEMO), url], capture_output=True, text=True, cwd=ROOT
    )
    assert run.returncode == 0, run.stderr
    assert "cli_push_viewer" in run.stdout
    again = subprocess.run(
        [sys.executable, "-m", "heatgis", "push", str(DEMO), url], capture_output=True, text=True, cwd=ROOT
    )
    assert again.returncode == 2 and "already holds a HeatGIS project" in again.stderr
    out = tmp_path / "back.gpkg"
    run = subprocess.run([sys.executable, "-m", "heatgis", "validate", url], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    run = subprocess.run(
        [sys.executable, "-m", "heatgis", "pull", url, str(out)], capture_output=True, text=True, cwd=ROOT
    )
    assert run.returncode == 0, run.stderr
    assert len(open_project(out).layers["stations"]) == 812


def test_two_planners_edit_the_same_zone(pg, demo):
    schema = small(demo, pg.url("two"), pg)
    alice = open_project(pg.url(schema, "alice"))
    bob = open_project(pg.url(schema, "bob"))
    _set_level(alice, ZONE, "precaution")
    _set_level(bob, ZONE, "controlled")
    save_project(alice)
    with pytest.raises(pgs.RowConflictError) as err:
        save_project(bob)
    msg = str(err.value)
    assert "lockdown_zones" in msg and ZONE in msg and "alice" in msg and "UTC" in msg and "nothing was saved" in msg
    assert err.value.rows[0].user == "alice" and err.value.rows[0].row_id == ZONE
    zh = err.value.text("zh")  # the same refusal in Chinese: the row, who, and the fix
    assert f"另一位规划人员修改了数据库中的项目（lockdown_zones 第 {ZONE} 行已被 alice 于 " in zh
    assert "修改）；未保存任何内容 解决办法：重新载入这些行" in zh
    assert _level(open_project(pg.url(schema)), ZONE) == "precaution"  # alice's kept
    assert _level(bob, ZONE) == "controlled"  # bob's edit is still in his project
    # bob reloads the row and applies his edit again: saved on top of alice's
    pgs.reload_rows(bob, "lockdown_zones", [ZONE])
    assert _level(bob, ZONE) == "precaution"
    _set_level(bob, ZONE, "controlled")
    save_project(bob)
    assert _level(open_project(pg.url(schema)), ZONE) == "controlled"
    # the database wrote both edits into the audit, with who and before/after
    hist = pgs.audit_history(pg.url(schema), layer="lockdown_zones", row_id=ZONE)
    edits = hist[hist["op"] == "UPDATE"]
    assert list(edits["user"]) == ["bob", "alice"]
    assert [(e["before"]["level"], e["after"]["level"]) for _, e in edits.iterrows()] == [
        ("precaution", "controlled"),
        ("sealed", "precaution"),
    ]
    assert list(edits["version"]) == [3, 2]


def test_a_deleted_row_is_named_too(pg, demo):
    schema = small(demo, pg.url("gone"), pg)
    alice = open_project(pg.url(schema, "alice"))
    bob = open_project(pg.url(schema, "bob"))
    z = alice.layers["lockdown_zones"]
    alice.layers["lockdown_zones"] = z[z["zone_id"] != ZONE].reset_index(drop=True)
    save_project(alice)
    _set_level(bob, ZONE, "controlled")
    with pytest.raises(pgs.RowConflictError, match=f"{ZONE} was deleted by alice"):
        save_project(bob)


def test_a_change_reaches_the_other_planner_by_notify(pg, demo):
    schema = small(demo, pg.url("notify"), pg)
    alice = open_project(pg.url(schema, "alice"))
    got = []
    with pgs.ChangeListener(pg.url(schema, "bob")) as listener:
        assert listener.wait(0.1) == []

        def watch():
            got.extend(listener.wait(10))

        t = threading.Thread(target=watch)
        t.start()
        _set_level(alice, ZONE, "precaution")
        save_project(alice)
        t.join(15)
    assert len(got) == 1
    c = got[0]
    assert (c.layer, c.op, c.row_id, c.user, c.version) == ("lockdown_zones", "UPDATE", ZONE, "alice", 2)
    assert c.pid == alice.origin.last_pid
    assert "alice changed lockdown_zones Z-005" in c.describe()


def test_the_viewer_role_cannot_edit(pg, demo):
    import psycopg

    schema = small(demo, pg.url("view"), pg)
    olga = open_project(pg.url(schema, "olga"))  # she can read the project
    assert len(olga.layers["lockdown_zones"]) == len(demo.layers["lockdown_zones"])
    _set_level(olga, ZONE, "lifted")
    with pytest.raises(HeatGISError, match="you may only view this project") as err:
        save_project(olga)
    assert "数据库拒绝：您对该项目只有查看权限" in err.value.text("zh")
    with (
        psycopg.connect(host=str(pg.root), port=pg.port, user="olga", dbname="heatgis") as con,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        con.execute(f"UPDATE {schema}.lockdown_zones SET level = 'lifted'")
    assert _level(open_project(pg.url(schema)), ZONE) == "sealed"


def test_server_killed_in_the_middle_of_a_save(pg, demo, monkeypatch):
    schema = small(demo, pg.url("killed"), pg)
    url = pg.url(schema, "alice")
    alice = open_project(url)
    _set_level(alice, ZONE, "precaution")
    st = alice.layers["stations"].copy()
    st["households"] = st["households"] + 1
    alice.layers["stations"] = st
    killed = []

    def kill(layer):
        if not killed:  # lockdown_zones written; the stations not yet, nothing committed
            killed.append(layer)
            pg.stop("immediate")

    monkeypatch.setattr(pgs, "_after_table", kill)
    with pytest.raises(HeatGISError, match="connection to the database was lost") as err:
        save_project(alice)
    assert "nothing was changed" in str(err.value)
    assert "保存时与数据库的连接断开" in err.value.text("zh") and "服务器恢复后请重试" in err.value.text("zh")
    assert killed == ["lockdown_zones"]
    monkeypatch.setattr(pgs, "_after_table", None)
    pg.start()
    now = open_project(url)
    assert _level(now, ZONE) == "sealed"
    assert now.layers["stations"]["households"].equals(demo.layers["stations"]["households"])
    # the planner's edits are kept: saving again once the server is back writes them
    save_project(alice)
    again = open_project(url)
    assert _level(again, ZONE) == "precaution"
    assert again.layers["stations"]["households"].equals(st["households"])


def test_faults_have_clear_messages(pg, demo, monkeypatch):
    schema = small(demo, pg.url("faults"), pg)
    monkeypatch.setenv("PGPASSWORD", "wrong")
    with pytest.raises(HeatGISError, match="refused the password") as err:
        open_project(pg.url(schema, "alice"))
    assert "wrong" not in str(err.value)
    assert "数据库拒绝了该密码 解决办法：请检查 ~/.pgpass" in err.value.text("zh")
    monkeypatch.delenv("PGPASSWORD")
    down = pg.url(schema, "alice").replace(f"port={pg.port}", "port=1")
    with pytest.raises(HeatGISError, match="cannot be reached") as err:
        open_project(down)
    assert "无法连接数据库服务器（服务器未运行，或主机、端口有误）" in err.value.text("zh")
    with pytest.raises(HeatGISError, match="holds a password"):
        open_project(pg.url(schema, "alice:alice-secret"))
    with pytest.raises(HeatGISError, match="names no schema"):
        open_project(pg.url(schema).split("&schema=")[0])
    pg.sql("CREATE SCHEMA other", db="heatgis")
    with pytest.raises(HeatGISError, match="'other' is not a HeatGIS project"):
        open_project(pg.url("other"))
    with pytest.raises(HeatGISError, match="no schema 'absent'"):
        open_project(pg.url("absent"))
    pg.sql(f"ALTER TABLE {schema}.lockdown_zones DROP COLUMN level", db="heatgis")
    with pytest.raises(HeatGISError, match="does not follow the layer contract") as err:
        open_project(pg.url(schema))
    assert "数据库中的项目不符合图层规范" in err.value.text("zh") and "表中缺少必填列：level" in err.value.text("zh")
    assert err.value.problems[0].field == "level" and err.value.problems[0].layer == "lockdown_zones"
    loose = open_project(pg.url(schema), strict=False)  # validate reads it as it is
    assert "level" not in loose.layers["lockdown_zones"].columns


def test_only_changed_rows_are_written(pg, demo):
    schema = small(demo, pg.url("rows"), pg)
    alice = open_project(pg.url(schema, "alice"))
    before = len(pgs.audit_history(pg.url(schema), limit=10_000))
    _set_level(alice, ZONE, "precaution")
    save_project(alice)
    save_project(alice)  # nothing new: nothing written
    hist = pgs.audit_history(pg.url(schema), limit=10_000)
    assert len(hist) == before + 1


def test_urls_without_a_host_keep_libpq_defaults():
    from heatgis.model.store.pgconn import parse_url

    t = parse_url("postgresql:///heat?schema=hohhot")
    assert t.conninfo == "postgresql:///heat?application_name=heatgis" and t.schema == "hohhot"
    t = parse_url("postgres://anna@db.example:5433/heat?sslmode=require&schema=x")
    assert t.conninfo == "postgres://anna@db.example:5433/heat?sslmode=require&application_name=heatgis"
    assert t.channel == "heatgis:x"
    for bad in ("postgresql://anna:pw@db/heat?schema=x", "postgresql://anna@db/heat?password=pw&schema=x"):
        with pytest.raises(HeatGISError, match="holds a password") as err:
            parse_url(bad)
        assert "pw" not in str(err.value)


def test_commands_that_save_write_into_the_database(pg, demo):
    url = pg.url("cli_edit")
    push_project(demo, url)
    notice = ROOT / "data" / "examples" / "notice.txt"
    run = subprocess.run(
        [sys.executable, "-m", "heatgis", "zones-from-notice", url, str(notice), "--level", "管控区"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert "6 new zone(s) from the notice" in run.stdout
    assert len(open_project(url).layers["lockdown_zones"]) == len(demo.layers["lockdown_zones"]) + 6
    hist = pgs.audit_history(url, layer="lockdown_zones")
    assert list(hist["op"]) == ["INSERT"] * 6 and set(hist["user"]) == {"postgres"}


def test_the_same_new_zone_added_by_two_planners_is_a_conflict_not_a_duplicate(pg, demo):
    schema = small(demo, pg.url("added"), pg)
    alice = open_project(pg.url(schema, "alice"))
    bob = open_project(pg.url(schema, "bob"))
    for p in (alice, bob):
        z = p.layers["lockdown_zones"]
        new = z.iloc[[0]].copy()
        new["zone_id"] = "Z-900"
        p.layers["lockdown_zones"] = pd.concat([z, new], ignore_index=True)
    save_project(alice)
    with pytest.raises(pgs.RowConflictError, match="lockdown_zones row Z-900 was added by alice"):
        save_project(bob)
    zones = open_project(pg.url(schema)).layers["lockdown_zones"]
    assert (zones["zone_id"] == "Z-900").sum() == 1


def test_cli_history_lists_who_changed_what(pg, demo):
    schema = small(demo, pg.url("hist"), pg)
    alice = open_project(pg.url(schema, "alice"))
    _set_level(alice, ZONE, "precaution")
    save_project(alice)
    run = subprocess.run(
        [sys.executable, "-m", "heatgis", "history", pg.url(schema), "--row", ZONE],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr
    assert f"alice        UPDATE lockdown_zones {ZONE} (version 2)" in run.stdout
    assert "level: 'sealed' -> 'precaution'" in run.stdout
