"""The desktop app on a project in the database: open a URL, save with Ctrl+S into the database, and
the existing 'reload and re-apply my edits' answer to a conflict works against row versions."""

from __future__ import annotations

import pytest

from heatgis.model.store import open_project, save_project
from heatgis.model.store import postgis as pgs
from tests.pg.test_postgis import ZONE, _level, _set_level, small

pytestmark = pytest.mark.qt


@pytest.fixture
def window(qtbot, tmp_path, qapp):
    from PySide6 import QtCore

    from heatgis.gui.main_window import MainWindow

    settings = QtCore.QSettings(str(tmp_path / "heatgis.ini"), QtCore.QSettings.Format.IniFormat)
    win = MainWindow(settings=settings, lang="en")
    win._errors = []
    win.error_sink = win._errors.append
    win.ask_unsaved = lambda: "discard"
    qtbot.addWidget(win)
    win.show()
    yield win
    win.db.stop()  # the follower of a database project runs until the project closes
    win.wait_for_workers()
    from heatgis.gui.workers import wait_all

    wait_all()
    if win.session is not None:
        win.session.stack.set_clean()


def test_the_app_opens_saves_and_reapplies_on_a_database_project(pg, demo, window):
    from heatgis.model.commands import SetZoneAttributes

    schema = small(demo, pg.url("app"), pg)
    url = pg.url(schema, "alice")
    window.open_project(url, background=False)
    assert window.session is not None and len(window.session.project.layers["lockdown_zones"]) == 100
    assert window.run_command(SetZoneAttributes(ZONE, level="precaution"))
    assert window.save() and not window._errors
    assert _level(open_project(pg.url(schema)), ZONE) == "precaution"
    # bob changes the same zone meanwhile; alice's next save is refused, reloaded and re-applied
    bob = open_project(pg.url(schema, "bob"))
    _set_level(bob, ZONE, "controlled")
    save_project(bob)
    assert window.run_command(SetZoneAttributes(ZONE, name="renamed by alice"))
    asked = []
    window.ask_conflict = lambda exc: asked.append(exc) or "reload"
    assert window.save(), window._errors
    assert isinstance(asked[0], pgs.RowConflictError) and "bob" in str(asked[0])
    now = open_project(pg.url(schema)).layers["lockdown_zones"]
    row = now[now["zone_id"] == ZONE].iloc[0]
    assert (row["name"], row["level"]) == ("renamed by alice", "controlled")
    users = list(pgs.audit_history(pg.url(schema), layer="lockdown_zones", row_id=ZONE)["user"])
    assert users == ["alice", "bob", "alice"]
