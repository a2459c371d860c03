"""The app with others on a project in the database: their commits appear live (impact updated, a
note naming who), an unsaved edit on the same row is kept and marked, the viewer role opens it
read-only, File → Open database… connects (errors, retry, remembered without the password) and
Edit → Edit history lists the audit rows. Against the real server (tests/pg/conftest.py)."""

from __future__ import annotations

import os
import time

import pytest

from heatgis.model.store import open_project, save_project
from tests.pg.test_postgis import ZONE, _level, _set_level, small
from tests.pg.test_postgis_window import window  # noqa: F401  (the fixture)

pytestmark = pytest.mark.qt

#: seconds from another client's commit to the window showing it (printed by -s runs)
LATENCY: list[float] = []


@pytest.fixture(autouse=True)
def _no_typed_passwords(monkeypatch):
    """Each test starts with no password typed in a connection form (they live for the process)."""
    from heatgis.model.store import pgconn

    monkeypatch.setattr(pgconn, "_session_passwords", {})


def _open(window, url, qtbot):  # noqa: F811
    window.open_project(url, background=False)
    assert window.session is not None and not window._errors, window._errors
    qtbot.waitUntil(lambda: window.db.db_user != "", timeout=5000)  # the follower is listening


def _zone(window, zone=ZONE):
    z = window.session.project.layers["lockdown_zones"]
    return z[z["zone_id"] == zone].iloc[0]


def test_a_commit_by_another_planner_appears_in_the_running_window(pg, demo, window, qtbot):  # noqa: F811
    schema = small(demo, pg.url("gui_live"), pg)
    _open(window, pg.url(schema, "alice"), qtbot)
    assert not window.db.read_only and "read-only" not in window.windowTitle()
    before = window.session.totals()
    assert _zone(window)["level"] != "precaution"
    shown = window.impact.figures["stations"].text()
    assert shown == str(before.stations)
    bob = open_project(pg.url(schema, "bob"))
    _set_level(bob, ZONE, "precaution")
    save_project(bob)
    t0 = time.perf_counter()
    qtbot.waitUntil(lambda: _zone(window)["level"] == "precaution", timeout=2500)  # ~0.2 s here (0.5 s waits)
    LATENCY.append(time.perf_counter() - t0)
    after = window.session.totals()
    assert after.stations < before.stations  # a sealed zone became precaution: its stations are free again
    assert window.impact.figures["stations"].text() == str(after.stations)  # the panel follows
    table = window.impact.model.frame
    assert table.loc[table["zone_id"] == ZONE, "level"].iloc[0] == "precaution"
    note = window.db.note_label.text()
    assert note.startswith(f"bob changed Lockdown zones {ZONE} (") and not window.session.dirty
    # alice's own save is not taken for someone else's change; it saves on top of bob's version
    from heatgis.model.commands import SetZoneAttributes

    assert window.run_command(SetZoneAttributes("Z-001", name="alice was here"))
    assert window.save() and not window._errors
    qtbot.wait(800)
    assert not window.db.conflicts and "alice" not in window.db.note_label.text()
    assert _level(open_project(pg.url(schema)), ZONE) == "precaution"


def test_an_unsaved_edit_on_the_changed_row_is_kept_and_marked(pg, demo, window, qtbot, monkeypatch):  # noqa: F811
    from heatgis.model.commands import SetZoneAttributes

    schema = small(demo, pg.url("gui_live_conflict"), pg)
    _open(window, pg.url(schema, "alice"), qtbot)
    assert window.run_command(SetZoneAttributes(ZONE, name="alice's name"))
    bob = open_project(pg.url(schema, "bob"))
    _set_level(bob, ZONE, "precaution")
    save_project(bob)
    qtbot.waitUntil(lambda: ("lockdown_zones", ZONE) in window.db.conflicts, timeout=3000)
    row = _zone(window)
    assert row["name"] == "alice's name" and row["level"] != "precaution"  # her edit is kept
    assert window.db.conflict_label.isVisible() and "bob" in window.db.conflict_label.toolTip()
    assert "bob changed" in window.db.note_label.text() and "unsaved edit" in window.db.note_label.toolTip()
    from heatgis.gui.conflict import ask_conflict_dialog
    from tests.gui.test_save_conflict import answer

    seen: list = []
    answer(monkeypatch, "Reload and re-apply my edits", seen)
    window.ask_conflict = lambda exc: ask_conflict_dialog(window, exc)
    assert window.save(), window._errors  # refused, reloaded, re-applied, saved
    assert seen[0].startswith("Another planner changed rows you edited") and f"{ZONE}" in seen[0] and "bob" in seen[0]
    row = _zone(window)
    assert (row["name"], row["level"]) == ("alice's name", "precaution") and not window.db.conflicts


def test_the_viewer_role_opens_the_project_read_only(pg, demo, window, qtbot):  # noqa: F811
    schema = small(demo, pg.url("gui_live_viewer"), pg)
    _open(window, pg.url(schema, "olga"), qtbot)
    assert window.db.read_only and window.windowTitle().count("read-only") == 1
    for name in ("draw_zone", "edit_zone"):
        a = window.acts.tools[name]
        assert not a.isEnabled() and "olga" in a.toolTip() and "not edit" in a.toolTip()
    assert not window.acts.delete_zone.isEnabled() and not window.acts.save.isEnabled()
    assert window.output_actions.print_layout.isEnabled() and window.output_actions.export_report.isEnabled()
    from heatgis.model.commands import SetZoneAttributes

    assert not window.run_command(SetZoneAttributes(ZONE, level="precaution"))
    assert _zone(window)["level"] != "precaution"
    # a report she writes keeps its record beside the outputs only (she cannot save the project)
    from types import SimpleNamespace

    window.statusBar().clearMessage()
    window.output_actions.keep_record(SimpleNamespace(record={"published": "2022-02-25T09:00:00"}))
    assert not window.session.dirty and "Read-only" not in window.statusBar().currentMessage()
    # a project she may edit afterwards: the tools come back
    _open(window, pg.url(schema, "alice"), qtbot)
    assert not window.db.read_only and window.acts.tools["draw_zone"].isEnabled()
    assert "read-only" not in window.windowTitle()


def test_open_database_form_errors_retry_and_remembers_without_password(pg, demo, window, qtbot, monkeypatch):  # noqa: F811
    from heatgis.gui.dialogs.database_dialog import SETTINGS_KEY

    schema = small(demo, pg.url("gui_form"), pg)
    monkeypatch.setenv("PGPASSFILE", str(pg.root / "no-such-pgpass"))
    monkeypatch.setenv("PGPASSWORD", "")
    d = window.db.open_dialog(modal=False)
    qtbot.addWidget(d)
    d.host.setText(str(pg.root))
    d.port.setText(str(pg.port))
    d.db.setText("heatgis")
    d.user.setText("alice")
    d.schema.setText(schema)
    d.password.setText("wrong")
    d.test()
    d.wait()
    assert d.message.text().startswith("The database refused the password of alice.") and d.isVisible()
    d.password.setText("alice-secret")
    d.test()
    d.wait()
    assert d.message.text().startswith("Connected as alice: a HeatGIS project with 3 layers"), d.message.text()
    from tests.pg.cluster import _free_port

    d.port.setText(str(_free_port()))  # no server there
    d.test()
    d.wait()
    assert d.message.text().startswith("No database server answers at") and "try again" in d.message.text()
    d.port.setText(str(pg.port))
    d.schema.setText("nothing_here")
    d.open_project()
    d.wait()
    assert d.message.text().startswith("The database has no schema nothing_here.") and window.session is None
    d.schema.setText(schema)  # corrected: try again
    with qtbot.waitSignal(window.projectLoaded, timeout=20000):
        d.open_project()
    assert window.session.project.origin.target.schema == schema and not d.isVisible()
    assert os.environ.get("PGPASSWORD", "") == ""  # the typed password is in memory, not in the environment
    saved = window.settings.value(SETTINGS_KEY)
    saved = [saved] if isinstance(saved, str) else list(saved)
    assert saved[0] == pg.url(schema, "alice")  # the URL as the form builds it: no password
    window.settings.sync()
    text = open(window.settings.fileName(), encoding="utf-8").read()
    assert "alice-secret" not in text and schema in text
    # the form offers the remembered connection next time, without the password
    d2 = window.db.open_dialog(modal=False)
    qtbot.addWidget(d2)
    assert d2.schema.text() == schema and d2.user.text() == "alice" and d2.password.text() == ""
    d2.reject()


def test_edit_history_lists_the_audit_rows(pg, demo, window, qtbot):  # noqa: F811
    from heatgis.model.commands import SetZoneAttributes

    schema = small(demo, pg.url("gui_hist"), pg)
    _open(window, pg.url(schema, "alice"), qtbot)
    assert window.run_command(SetZoneAttributes(ZONE, level="precaution"))
    assert window.save()
    h = window.db.show_history()
    h.wait()
    assert len(h.frame) > 1 and h.row.text() == ""  # nothing selected: everything
    h.close()
    zones = window.session.project.layers["lockdown_zones"]
    window.session.select("lockdown_zones", [int((zones["zone_id"] == ZONE).to_numpy().argmax())])
    h = window.db.show_history()  # one zone selected: its history
    h.wait()
    assert h.row.text() == ZONE and h.layer.currentData() == "lockdown_zones" and len(h.frame) == 1
    m = h.model
    first = [m.data(m.index(0, c)) for c in range(m.columnCount())]
    assert first[1:5] == ["alice", "Lockdown zones", ZONE, "changed"]
    assert "level:" in first[5] and "→ precaution" in first[5]
    h.close()


def test_form_fields_and_url_round_trip():
    from heatgis.gui.dialogs.database_dialog import build_url, split_url
    from heatgis.gui.panels.history import changed_fields

    for fields in (
        {"host": "db.heat.local", "port": "5432", "db": "heatgis", "user": "olga", "schema": "hohhot", "extra": []},
        {"host": "/tmp/sock dir", "port": "6543", "db": "heat gis", "user": "a.b", "schema": "s1", "extra": []},
        {"host": "h", "port": "", "db": "d", "user": "", "schema": "s", "extra": [("sslmode", "require")]},
    ):
        url = build_url(*(fields[k] for k in ("host", "port", "db", "user", "schema", "extra")))
        assert split_url(url) == fields and "password" not in url
    assert build_url("h", "", "d", "", "s") == "postgresql://h/d?schema=s"
    before = {"fid": 1, "level": "sealed", "name": "A", "geom": {"type": "Polygon"}, "heatgis_version": 1}
    after = {"fid": 1, "level": "controlled", "name": "A", "geom": {"type": "Polygon", "x": 1}, "heatgis_version": 2}
    assert changed_fields(before, after, "geometry") == "level: sealed → controlled; geometry"
    assert changed_fields(None, {"fid": 3, "level": "sealed"}) == "level: sealed"


def test_open_database_asks_about_unsaved_edits_first(pg, demo, window, qtbot):  # noqa: F811
    from heatgis.model.commands import SetZoneAttributes

    schema = small(demo, pg.url("gui_ask"), pg)
    _open(window, pg.url(schema, "alice"), qtbot)
    assert window.run_command(SetZoneAttributes(ZONE, name="not saved yet"))
    asked = []
    window.ask_unsaved = lambda: asked.append(1) or "cancel"
    assert window.db.open_dialog(modal=False) is None and asked == [1]
    assert window.session.dirty and _zone(window)["name"] == "not saved yet"


def test_a_lost_listener_connection_comes_back_and_takes_in_what_it_missed(pg, demo, window, qtbot):  # noqa: F811
    schema = small(demo, pg.url("gui_lost"), pg)
    _open(window, pg.url(schema, "alice"), qtbot)
    # the server drops the app's LISTEN connection; bob saves while the app is not listening
    pg.sql(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'alice' AND query LIKE 'LISTEN%'",
        db="heatgis",
    )
    qtbot.waitUntil(lambda: "Not following the others' edits" in window.db.note_label.text(), timeout=3000)
    bob = open_project(pg.url(schema, "bob"))
    _set_level(bob, ZONE, "precaution")
    save_project(bob)
    qtbot.waitUntil(lambda: _zone(window)["level"] == "precaution", timeout=10000)  # retried after 5 s
    assert "1 row(s) they changed meanwhile" in window.db.note_label.text() and not window.session.dirty


def test_a_report_on_a_database_project_records_its_audit_version(pg, demo):
    from heatgis.export import published as P

    schema = small(demo, pg.url("gui_published"), pg)
    alice = open_project(pg.url(schema, "alice"))
    data = P.data_version(alice, unsaved=True)
    assert data["audit_id"] == alice.origin.data_version > 0 and data["sha256"] is None
    assert data["database"] == pg.url(schema, "alice") and data["zones_sha256"] == P.zones_sha256(alice)
    rec = {"published": "2022-02-25T09:00:00", "at": "2022-02-25T08:00", "figures": {}, "data": data}
    zh, en = "\n".join(P.record_lines(rec, "zh")), "\n".join(P.record_lines(rec, "en"))
    assert f"审计版本 {data['audit_id']}" in zh and "含未保存的修改" in zh
    assert f"audit version {data['audit_id']} zones" in en


def test_a_database_url_that_fails_to_open_offers_the_form_to_retry(pg, demo, window, qtbot, monkeypatch):  # noqa: F811
    schema = small(demo, pg.url("gui_retry"), pg)
    monkeypatch.setenv("PGPASSFILE", str(pg.root / "no-such-pgpass"))
    monkeypatch.delenv("PGPASSWORD", raising=False)
    window.db.modal = False
    window.open_project(pg.url(schema, "alice"))  # as `heatgis URL` does: in a worker
    qtbot.waitUntil(lambda: window.db.dialog is not None and window.db.dialog.isVisible(), timeout=10000)
    d = window.db.dialog
    qtbot.addWidget(d)
    assert d.message.text().startswith("The database asks for a password") and window.session is None
    assert (d.user.text(), d.schema.text(), d.port.text()) == ("alice", schema, str(pg.port))
    d.password.setText("alice-secret")
    with qtbot.waitSignal(window.projectLoaded, timeout=20000):
        d.open_project()
    assert window.session.project.origin.target.schema == schema
