"""`heatgis impact` reads and checks the fields its figures and tables use, and says so."""

from __future__ import annotations

import json

import pytest

from heatgis.cli import main
from heatgis.cli.impact import IMPACT_FIELDS
from heatgis.errors import HeatGISError
from heatgis.model.store import open_project, save_project
from tests.core.bad_projects import copy_demo, sql

AT = ["--at", "2022-02-25T08:00"]


def run(args, capsys):
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_problem_in_a_field_the_figures_use_is_flagged_and_the_line_says_what_was_checked(tmp_path, capsys):
    path = copy_demo(tmp_path)
    sql(path, "UPDATE stations SET heated_area_m2 = -5000 WHERE station_id = 'ST-0062'")
    code, out, err = run(["impact", path, *AT], capsys)
    line = next(x for x in err.splitlines() if x.startswith("warning: the project has"))
    assert code == 0 and "figures may be wrong" in line and f"run 'heatgis validate {path}'" in line
    assert "(checked: the fields these figures use; not read: " in line
    assert all(f in line for f in ("stations.design_load_kw", "stations.address", "lockdown_zones.notes"))
    code, out, err = run(["impact", path, *AT, "--json"], capsys)
    assert json.loads(out)["data_problems"]["errors"] == 1


def test_a_problem_only_in_a_field_impact_does_not_read_is_left_to_validate(tmp_path, capsys):
    """Behaviour: a station's design load is no part of the impact; validate still reports it."""
    path = copy_demo(tmp_path)
    sql(path, "UPDATE stations SET design_load_kw = -5 WHERE station_id = 'ST-0062'")
    code, out, err = run(["impact", path, *AT, "--strict"], capsys)
    assert code == 0 and "Locked 封控锁闭" in out and "warning" not in err
    code, out, _ = run(["validate", path], capsys)
    assert code == 1 and "-5.0 is below the minimum 0" in out


def test_a_project_read_in_part_is_not_saved(tmp_path):
    path = copy_demo(tmp_path)
    project = open_project(path, fields=IMPACT_FIELDS)
    assert "address" not in project.layer("stations").columns and "design_load_kw" not in project.layer("stations")
    assert len(project.layer("staff").columns) > 3  # the other layers whole
    assert project.origin is None and project.partial["stations"] == IMPACT_FIELDS["stations"]
    before = path.read_bytes()
    with pytest.raises(HeatGISError, match="read in part"):
        save_project(project)
    with pytest.raises(HeatGISError, match="read in part"):
        save_project(project, tmp_path / "other.gpkg")
    assert path.read_bytes() == before and not (tmp_path / "other.gpkg").exists()
