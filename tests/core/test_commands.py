"""Undoable zone edits on the tiny project: do, undo, redo, dirty state, errors."""

from __future__ import annotations

import pytest
import shapely

from heatgis.analysis.impact import ImpactEngine
from heatgis.errors import HeatGISError
from heatgis.model.commands import AddZone, DeleteZone, EditZoneGeometry, SetZoneAttributes, UndoStack, new_zone_id

from .conftest import box


def zone_ids(project):
    return list(project.layer("lockdown_zones")["zone_id"])


def locked(project):
    r = ImpactEngine(project).compute(project.layer("lockdown_zones"), project.reference_time)
    return sorted(r.sites["id"])


def test_add_undo_redo_changes_impact_and_emits(tiny_project):
    seen = []
    tiny_project.subscribe(seen.append)
    stack = UndoStack(tiny_project)
    before = locked(tiny_project)
    stack.push(AddZone("Z9", box(880, 880, 920, 920), name="新封控区", level="sealed", start="2022-02-20T00:00"))
    assert zone_ids(tiny_project)[-1] == "Z9"
    assert locked(tiny_project) == sorted(before + ["S6"])
    assert seen == ["lockdown_zones"] and not stack.is_clean
    stack.undo()
    assert "Z9" not in zone_ids(tiny_project) and locked(tiny_project) == before
    assert stack.is_clean
    stack.redo()
    assert locked(tiny_project) == sorted(before + ["S6"])
    row = tiny_project.layer("lockdown_zones").set_index("zone_id").loc["Z9"]
    assert row["name"] == "新封控区" and str(row["start"]) == "2022-02-20 00:00:00"


def test_delete_restores_same_row(tiny_project):
    stack = UndoStack(tiny_project)
    order = zone_ids(tiny_project)
    stack.push(DeleteZone("Z2"))
    assert zone_ids(tiny_project) == ["Z1", "Z3", "Z4"]
    assert "S3" not in locked(tiny_project)
    stack.undo()
    assert zone_ids(tiny_project) == order and "S3" in locked(tiny_project)


def test_edit_geometry_and_attributes(tiny_project):
    stack = UndoStack(tiny_project)
    original = tiny_project.layer("lockdown_zones").geometry.iloc[3]
    stack.push(EditZoneGeometry("Z4", box(500, 0, 1000, 1000)))  # now covers S6 too
    assert "S6" in locked(tiny_project)
    stack.push(SetZoneAttributes("Z4", level="precaution", name="改名"))
    assert "S5" not in locked(tiny_project) and "S6" not in locked(tiny_project)
    z = tiny_project.layer("lockdown_zones").set_index("zone_id")
    assert z.loc["Z4", "name"] == "改名"
    stack.undo()
    assert tiny_project.layer("lockdown_zones").set_index("zone_id").loc["Z4", "level"] == "sealed"
    stack.undo()
    assert tiny_project.layer("lockdown_zones").geometry.iloc[3].equals(original)
    assert not stack.can_undo and stack.can_redo
    stack.redo()
    stack.redo()
    assert not stack.can_redo


def test_clean_state_lost_when_redo_tail_dropped(tiny_project):
    stack = UndoStack(tiny_project)
    stack.push(DeleteZone("Z1"))
    stack.set_clean()
    stack.undo()
    assert not stack.is_clean
    stack.push(DeleteZone("Z3"))
    assert not stack.is_clean


def test_new_zone_id_is_unused(tiny_project):
    zid = new_zone_id(tiny_project)
    assert zid not in zone_ids(tiny_project)


def test_bad_edits_raise_clear_errors(tiny_project):
    with pytest.raises(HeatGISError, match="polygon"):
        AddZone("Z9", shapely.LineString([(0, 0), (1, 1)]), start="2022-02-20")
    with pytest.raises(HeatGISError, match="not a zone level"):
        AddZone("Z9", box(0, 0, 1, 1), level="lockdown", start="2022-02-20")
    with pytest.raises(HeatGISError, match="ends before it starts"):
        SetZoneAttributes("Z1", start="2022-02-20", end="2022-02-19")
    bowtie = shapely.Polygon([(0, 0), (10, 10), (10, 0), (0, 10)])
    with pytest.raises(HeatGISError, match="invalid") as exc:
        EditZoneGeometry("Z1", bowtie)
    assert "lockdown_zones" in str(exc.value)
    stack = UndoStack(tiny_project)
    with pytest.raises(HeatGISError, match="already used"):
        stack.push(AddZone("Z1", box(0, 0, 10, 10), start="2022-02-20"))
    with pytest.raises(HeatGISError, match="no zone 'Q'"):
        stack.push(DeleteZone("Q"))
    with pytest.raises(HeatGISError, match="ends before"):  # checked against the stored start
        stack.push(SetZoneAttributes("Z1", end="2022-02-01"))
    assert zone_ids(tiny_project) == ["Z1", "Z2", "Z3", "Z4"] and not stack.can_undo


def test_stack_keeps_at_most_its_limit(tiny_project):
    stack = UndoStack(tiny_project, limit=3)
    stack.set_clean()
    for k in range(5):
        stack.push(SetZoneAttributes("Z1", name=f"n{k}"))
    assert len(stack) == 3 and not stack.is_clean
    while stack.can_undo:
        stack.undo()
    # the two oldest edits were dropped: their effect stays, the save point cannot be reached
    assert tiny_project.layer("lockdown_zones").set_index("zone_id").at["Z1", "name"] == "n1"
    assert not stack.is_clean
    with pytest.raises(ValueError):
        UndoStack(tiny_project, limit=0)


def test_set_meta_and_staffing_overrides_are_commands(tiny_project):
    from heatgis.analysis.staffing.overrides import META_KEY, SetStaffingOverrides, saved_overrides
    from heatgis.model.commands import SetMeta

    stack = UndoStack(tiny_project)
    seen = []
    stack.subscribe(lambda cmd, action: seen.append((getattr(cmd, "key", None), action)))
    tiny_project.meta[META_KEY] = "not json"
    stack.push(SetStaffingOverrides([("E1", "S1")], [("E2", None)], "pin E1"))
    assert saved_overrides(tiny_project)[:2] == ((("E1", "S1", None),), (("E2", None),))
    assert stack.undo_text() == "pin E1" and not stack.is_clean and seen == [(META_KEY, "do")]
    stack.undo()
    assert tiny_project.meta[META_KEY] == "not json"  # the old text back, exactly
    stack.redo()
    stack.push(SetStaffingOverrides((), ()))
    assert META_KEY not in tiny_project.meta
    stack.push(SetMeta("notes", "城区"))
    assert tiny_project.meta["notes"] == "城区"
    stack.undo()
    assert tiny_project.meta["notes"] == ""


def test_appended_import_keeps_only_its_rows(tiny_project):
    from heatgis.io.commands import ImportLayer

    stack = UndoStack(tiny_project)
    old = tiny_project.layer("stations")
    new = old.iloc[:2].assign(station_id=["X1", "X2"])
    cmd = ImportLayer("stations", new, mode="append")
    stack.push(cmd)
    assert len(tiny_project.layer("stations")) == len(old) + 2
    assert cmd._old is None and cmd._old_len == len(old)  # no copy of the old layer kept
    stack.undo()
    assert list(tiny_project.layer("stations")["station_id"]) == list(old["station_id"])
    stack.redo()
    assert list(tiny_project.layer("stations")["station_id"])[-2:] == ["X1", "X2"]
