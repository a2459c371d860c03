"""Save when another program changed the file: the dialog says what changed; "Reload and re-apply my
edits" keeps both edits and the undo history; Cancel saves nothing and keeps the edits."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6 import QtWidgets

from heatgis.model.commands import SetZoneAttributes
from heatgis.model.store import open_project, save_project
from tests.core.conftest import tiny_project  # noqa: F401  (fixture)


def answer(monkeypatch, which: str, seen: list):
    """Make every QMessageBox answer by clicking the button labelled ``which`` (or Cancel)."""

    def exec_(box):
        seen.append(box.text() + "\n" + box.informativeText())
        for b in box.buttons():
            if b.text() == which or (
                which == "Cancel" and box.standardButton(b) == QtWidgets.QMessageBox.StandardButton.Cancel
            ):
                b.click()
                return 0
        raise AssertionError(f"no button {which!r} in {[b.text() for b in box.buttons()]}")

    monkeypatch.setattr(QtWidgets.QMessageBox, "exec", exec_)


def names(path) -> dict:
    con = sqlite3.connect(path)
    try:
        return dict(con.execute("SELECT zone_id, name FROM lockdown_zones"))
    finally:
        con.close()


@pytest.fixture
def edited(window, tiny_project, tmp_path):
    """The window on a project where the planner renamed Z1, and another program then renamed Z3."""
    path = save_project(tiny_project, tmp_path / "p.gpkg")
    window.open_project(path, background=False)
    window.session.push(SetZoneAttributes("Z1", name="planner's edit"))
    other = open_project(path)
    z = other.layers["lockdown_zones"].copy()
    z.loc[z["zone_id"] == "Z3", "name"] = "edit made in QGIS"
    other.layers["lockdown_zones"] = z
    save_project(other)
    assert window.isWindowModified()
    return window, path


def test_reload_and_reapply_keeps_both_edits_and_the_undo_stack(edited, monkeypatch):
    win, path = edited
    seen: list = []
    answer(monkeypatch, "Reload and re-apply my edits", seen)
    assert win.save()
    assert "changed by another program" in seen[0] and "layer lockdown_zones: 1 row changed" in seen[0]
    got = names(path)
    assert got["Z1"] == "planner's edit" and got["Z3"] == "edit made in QGIS"
    assert not win.isWindowModified() and win._errors == []
    s = win.session
    assert s.stack.can_undo and s.stack.undo_text() == "change zone Z1"
    assert s.project.layer("lockdown_zones").set_index("zone_id").loc["Z3", "name"] == "edit made in QGIS"
    win.undo()  # the planner's edit is still undoable, on the reloaded project
    z = s.project.layer("lockdown_zones").set_index("zone_id")
    assert z.loc["Z1", "name"] == "一号封控区" and z.loc["Z3", "name"] == "edit made in QGIS"
    assert win.isWindowModified()
    assert win.save() and names(path)["Z1"] == "一号封控区"


def test_cancel_saves_nothing_and_keeps_the_edits(edited, monkeypatch):
    win, path = edited
    before = path.read_bytes()
    seen: list = []
    answer(monkeypatch, "Cancel", seen)
    assert not win.save()
    assert len(seen) == 1 and path.read_bytes() == before
    assert win.isWindowModified() and win.session.stack.undo_text() == "change zone Z1"
    assert names(path)["Z1"] == "一号封控区"
