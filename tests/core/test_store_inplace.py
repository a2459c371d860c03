"""The project file belongs to the planner: a save keeps what HeatGIS does not own, never corrupts the
file (WAL writers, kills), never silently loses another writer's edit, keeps types, refuses read-only files."""

from __future__ import annotations

import os
import sqlite3
import stat
import time

import pandas as pd
import pyogrio
import pytest
import shapely

from heatgis.errors import HeatGISError
from heatgis.model.store import ConflictError, open_project, save_project
from heatgis.model.store.sqlgpkg import connect
from tests.core.store_fixtures import (
    ROOT,
    add_foreign_objects,
    edit,
    foreign_state,
    integrity,
    python,
    rtree_problems,
)

X0, Y0 = 500000.0, 4520000.0


@pytest.fixture
def project_file(tiny_project, tmp_path):
    """A saved tiny project with a planner's layer, QGIS styles, a QGIS project, a view and a trigger."""
    path = save_project(tiny_project, tmp_path / "p.gpkg")
    add_foreign_objects(path)
    return path


def zone_names(path) -> dict:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return dict(con.execute("SELECT zone_id, name FROM lockdown_zones"))
    finally:
        con.close()


# --------------------------------------------------------------------------- what is not ours stays


def test_save_keeps_foreign_layer_styles_qgis_project_byte_for_byte(project_file):
    before = foreign_state(project_file)
    assert before["qgis_projects"] and before["layer_styles"] and len(before["my_notes"]) == 2
    p = open_project(project_file)
    edit(p, "lockdown_zones", 1, name="二号管控区（扩大）", geometry=shapely.box(X0 + 50, Y0, X0 + 250, Y0 + 120))
    edit(p, "stations", 0, households=12)
    p.meta["notes"] = "after the 08:00 notice"
    save_project(p)
    assert foreign_state(project_file) == before
    assert integrity(project_file) == "ok"
    assert rtree_problems(project_file, "lockdown_zones") == [] and rtree_problems(project_file, "stations") == []
    again = open_project(project_file)
    z = again.layer("lockdown_zones").set_index("zone_id")
    assert z.loc["Z2", "name"] == "二号管控区（扩大）" and z.loc["Z2", "geometry"].bounds[2] == X0 + 250
    assert again.layer("stations")["households"].tolist()[0] == 12 and again.meta["notes"] == "after the 08:00 notice"
    # GDAL still reads the planner's layer, and finds the moved zone through the spatial index
    assert pyogrio.read_dataframe(project_file, layer="my_notes")["note"].tolist()[1] == "入口在北侧"
    hit = pyogrio.read_dataframe(project_file, layer="lockdown_zones", bbox=(X0 + 220, Y0 + 10, X0 + 240, Y0 + 20))
    assert hit["zone_id"].tolist() == ["Z2"]


def test_only_changed_rows_are_written(project_file):
    con = sqlite3.connect(project_file)
    con.execute("CREATE TABLE audit (t TEXT, fid INTEGER)")
    for op in ("INSERT", "UPDATE", "DELETE"):
        con.execute(
            f"CREATE TRIGGER audit_{op} AFTER {op} ON lockdown_zones BEGIN "
            f"INSERT INTO audit VALUES ('{op}', {'OLD' if op == 'DELETE' else 'NEW'}.fid); END"
        )
    con.commit()
    con.close()
    p = open_project(project_file)
    edit(p, "lockdown_zones", 2, level="sealed")
    save_project(p)
    save_project(p)  # nothing changed since: nothing written
    con = sqlite3.connect(project_file)
    assert con.execute("SELECT * FROM audit").fetchall() == [("UPDATE", 3)]
    con.close()


def test_edits_made_in_place_on_a_frame_are_saved(project_file):
    """Not the commands' way (they make new frames), but such an edit must not be missed."""
    p = open_project(project_file)
    p.layers["stations"].loc[0, "households"] = 999
    p.layers["lockdown_zones"].loc[2, "geometry"] = shapely.box(X0 + 300, Y0, X0 + 420, Y0 + 100)
    save_project(p)
    q = open_project(project_file)
    assert q.layer("stations")["households"].iloc[0] == 999
    assert q.layer("lockdown_zones").geometry.iloc[2].bounds[2] == X0 + 420
    p.layers["stations"].loc[1, "name"] = "again in place"
    save_project(p)
    assert open_project(project_file).layer("stations")["name"].iloc[1] == "again in place"


def test_new_layer_is_a_proper_geopackage_layer(tiny_project, tmp_path):
    f = tmp_path / "p.gpkg"
    pyogrio.write_dataframe(tiny_project.layer("stations"), f, layer="stations")
    add_foreign_objects(f)
    before = foreign_state(f)
    p = open_project(f)
    p.layers["lockdown_zones"] = tiny_project.layer("lockdown_zones")
    p.layers["crews"] = pd.DataFrame(
        {
            "crew_id": ["K1"],
            "name": ["一队"],
            "depot_id": ["D1"],
            "members": [12],
            "shift_start": ["08:00"],
            "shift_end": ["20:00"],
            "skills": ["weld"],
        }
    )
    save_project(p)
    assert foreign_state(f) == before
    assert integrity(f) == "ok" and rtree_problems(f, "lockdown_zones") == []
    info = pyogrio.read_info(f, layer="lockdown_zones")
    assert info["geometry_type"] == "Polygon" and info["crs"] == "EPSG:4546" and info["features"] == 4
    con = sqlite3.connect(f)
    assert con.execute(
        "SELECT data_type, srs_id FROM gpkg_contents WHERE table_name = 'lockdown_zones'"
    ).fetchone() == ("features", 4546)
    assert con.execute("SELECT min_x, max_x FROM gpkg_contents WHERE table_name = 'lockdown_zones'").fetchone() == (
        X0,
        X0 + 600,
    )
    assert con.execute("SELECT extension_name FROM gpkg_extensions WHERE table_name = 'lockdown_zones'").fetchall() == [
        ("gpkg_rtree_index",)
    ]
    assert con.execute("SELECT data_type FROM gpkg_contents WHERE table_name = 'crews'").fetchone() == ("attributes",)
    assert con.execute(
        "SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = 'lockdown_zones'"
    ).fetchone() == (4,)
    con.close()
    assert pyogrio.read_dataframe(f, layer="lockdown_zones", bbox=(X0 + 510, Y0 + 10, X0 + 520, Y0 + 20))[
        "zone_id"
    ].tolist() == ["Z4"]
    got = open_project(f)
    assert got.layer("crews")["members"].tolist() == [12]
    assert got.layer("lockdown_zones")["start"].tolist()[0] == pd.Timestamp("2022-02-16")


def test_types_are_kept_as_read(tiny_project, tmp_path):
    f = tmp_path / "p.gpkg"
    st = tiny_project.layer("stations").copy()
    st["households"] = ["10", "约20", "1,200", "80", "160", "320"]  # stored as TEXT by whoever made the file
    pyogrio.write_dataframe(st, f, layer="stations")
    p = open_project(f)
    assert p.layer("stations")["households"].tolist()[:3] == [10, pd.NA, pd.NA]
    edit(p, "stations", 1, name="站2（改名）")  # the row whose households cannot be read as a number
    edit(p, "stations", 3, households=85)
    save_project(p)
    con = sqlite3.connect(f)
    decl = {r[1]: r[2] for r in con.execute("PRAGMA table_info(stations)")}
    rows = con.execute("SELECT name, households, typeof(households) FROM stations ORDER BY fid").fetchall()
    con.close()
    assert decl["households"] == "TEXT"
    assert rows[1] == ("站2（改名）", "约20", "text") and rows[2][1] == "1,200"
    assert rows[3] == ("站4", "85", "text")


def test_save_as_onto_another_project_replaces_only_the_owned_layers(tiny_project, project_file, tmp_path):
    other = tmp_path / "other.gpkg"
    save_project(tiny_project, other)
    before = foreign_state(project_file)
    q = open_project(other)
    edit(q, "lockdown_zones", 0, name="from the other file")
    save_project(q, project_file)
    assert foreign_state(project_file) == before
    assert zone_names(project_file)["Z1"] == "from the other file" and q.path == project_file
    assert len(open_project(project_file).layer("lockdown_zones")) == 4
    edit(q, "lockdown_zones", 1, name="then saved again")
    save_project(q)  # the project now remembers the file it was saved to
    assert zone_names(project_file)["Z2"] == "then saved again"


# --------------------------------------------------------------------------- other writers


def test_conflict_names_the_layer_and_rows_and_saves_nothing(project_file):
    mine, theirs = open_project(project_file), open_project(project_file)
    edit(theirs, "lockdown_zones", 0, name="theirs")
    theirs.layers["lockdown_zones"] = pd.concat(
        [theirs.layers["lockdown_zones"], theirs.layers["lockdown_zones"].iloc[[2]].assign(zone_id="Z9")],
        ignore_index=True,
    )
    save_project(theirs)
    after_theirs = project_file.read_bytes()
    edit(mine, "lockdown_zones", 3, name="mine")
    with pytest.raises(ConflictError) as e:
        save_project(mine)
    text = str(e.value)
    assert "p.gpkg" in text and "layer lockdown_zones: 1 row added, 1 row changed" in text
    assert "reload the project" in text.lower() and isinstance(e.value, HeatGISError)
    assert project_file.read_bytes() == after_theirs
    save_project(theirs)  # the winner saves again: its remembered state was updated
    edit(theirs, "lockdown_zones", 1, name="theirs again")
    save_project(theirs)
    assert zone_names(project_file) == {
        "Z1": "theirs",
        "Z2": "theirs again",
        "Z3": "三号防范区",
        "Z4": "四号封控区",
        "Z9": "三号防范区",
    }


def test_edit_by_another_program_to_a_foreign_table_is_no_conflict(project_file):
    p = open_project(project_file)
    con = connect(project_file, write=True)  # like QGIS: with the functions GDAL's index triggers call
    con.execute("UPDATE my_notes SET note = 'moved', geom = (SELECT geom FROM my_notes WHERE fid = 2) WHERE fid = 1")
    con.close()
    edit(p, "lockdown_zones", 0, name="mine")
    save_project(p)
    assert pyogrio.read_dataframe(project_file, layer="my_notes")["note"].tolist()[0] == "moved"
    assert rtree_problems(project_file, "my_notes") == []
    assert zone_names(project_file)["Z1"] == "mine"


RACER = r"""
import pathlib, sys, time
from heatgis.errors import HeatGISError
from heatgis.model.store import open_project, save_project
path, who, row, flag = sys.argv[1], sys.argv[2], int(sys.argv[3]), pathlib.Path(sys.argv[4])
p = open_project(path)
z = p.layers["lockdown_zones"].copy()
z.loc[row, "name"] = who
p.layers["lockdown_zones"] = z
pathlib.Path(str(flag) + "." + who).touch()
while not flag.exists():
    time.sleep(0.01)
try:
    save_project(p)
except HeatGISError as exc:
    print(exc, file=sys.stderr)
    sys.exit(2)
print("saved")
"""


def test_two_processes_saving_at_once_one_wins_one_refuses(project_file, tmp_path):
    flag = tmp_path / "go"
    procs = [python("-c", RACER, project_file, who, row, flag) for who, row in (("alpha", 0), ("beta", 1))]
    deadline = time.time() + 60
    while not all((tmp_path / f"go.{w}").exists() for w in ("alpha", "beta")):
        assert time.time() < deadline and all(p.poll() is None for p in procs), [p.communicate() for p in procs]
        time.sleep(0.02)
    flag.touch()  # both have read the file and made their edit: now both save
    out = [p.communicate(timeout=60) for p in procs]
    codes = [p.returncode for p in procs]
    assert sorted(codes) == [0, 2], out
    loser = codes.index(2)
    assert "changed by another program" in out[loser][1] and "layer lockdown_zones: 1 row changed" in out[loser][1]
    assert "Traceback" not in out[loser][1]
    names = zone_names(project_file)
    winner = ("alpha", "beta")[1 - loser]
    assert winner in names.values() and ("alpha", "beta")[loser] not in names.values()
    assert integrity(project_file) == "ok"


def test_two_cli_imports_at_once_never_lose_an_edit_silently(project_file, tmp_path):
    from heatgis.model.store import open_project as op

    zones = op(project_file).layer("lockdown_zones")
    for who in ("a", "b"):
        z = zones.iloc[[0]].assign(zone_id=f"NEW-{who}", name=f"zone {who}").to_crs("EPSG:4326")
        pyogrio.write_dataframe(z, tmp_path / f"{who}.geojson")
    for _ in range(2):
        procs = [
            python(
                "-m",
                "heatgis",
                "import",
                project_file,
                tmp_path / f"{w}.geojson",
                "--layer",
                "lockdown_zones",
                "--append",
            )
            for w in ("a", "b")
        ]
        out = [p.communicate(timeout=120) for p in procs]
        ids = set(zone_names(project_file))
        for (o, e), p, w in zip(out, procs, ("a", "b")):
            assert "Traceback" not in e, e
            if p.returncode == 0:
                assert "saved" in o and f"NEW-{w}" in ids  # a writer that says "saved" has its edit kept
            else:
                assert "changed by another program" in e or "locked" in e, e
        assert integrity(project_file) == "ok"
        con = sqlite3.connect(project_file)
        con.execute("DELETE FROM lockdown_zones WHERE zone_id LIKE 'NEW-%'")  # next round starts clean
        con.commit()
        con.close()


# --------------------------------------------------------------------------- WAL

WAL_WRITER = r"""
import sqlite3, sys
con = sqlite3.connect(sys.argv[1], isolation_level=None)
for f in ("ST_IsEmpty", "ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY"):
    con.create_function(f, 1, lambda b: 0)
assert con.execute("PRAGMA journal_mode=WAL").fetchone()[0] == "wal"
con.execute("PRAGMA wal_autocheckpoint=0")
print("wal", flush=True)
for line in sys.stdin:
    if line.strip() == "close":
        break
    con.execute(line)
    print("done", flush=True)
con.close()
"""


@pytest.fixture
def wal_writer(project_file):
    proc = python("-c", WAL_WRITER, project_file, stdin=__import__("subprocess").PIPE)
    assert proc.stdout.readline().strip() == "wal"

    def run(sql):
        proc.stdin.write(sql + "\n")
        proc.stdin.flush()
        if sql == "close":
            assert proc.wait(timeout=30) == 0, proc.stderr.read()
            return
        assert proc.stdout.readline().strip() == "done", proc.stderr.read()

    yield run
    if proc.poll() is None:
        proc.stdin.write("close\n")
        proc.stdin.flush()
        proc.wait(timeout=30)


def test_wal_writer_edit_elsewhere_and_our_save_both_kept(project_file, wal_writer):
    p = open_project(project_file)
    wal_writer("UPDATE my_notes SET note = 'QGIS edit, not checkpointed' WHERE fid = 2")
    assert (project_file.parent / "p.gpkg-wal").stat().st_size > 0
    edit(p, "lockdown_zones", 0, name="HeatGIS edit")
    save_project(p)
    assert integrity(project_file) == "ok"  # while the editor still holds the file
    assert pyogrio.read_dataframe(project_file, layer="my_notes")["note"].tolist()[1] == "QGIS edit, not checkpointed"
    assert zone_names(project_file)["Z1"] == "HeatGIS edit"
    wal_writer("UPDATE my_notes SET note = 'second QGIS edit' WHERE fid = 1")
    edit(p, "lockdown_zones", 1, name="second HeatGIS edit")
    save_project(p)
    wal_writer("close")
    time.sleep(0.2)
    assert integrity(project_file) == "ok"
    assert pyogrio.read_dataframe(project_file, layer="my_notes")["note"].tolist() == [
        "second QGIS edit",
        "QGIS edit, not checkpointed",
    ]
    assert zone_names(project_file)["Z2"] == "second HeatGIS edit"


def test_wal_writer_edit_of_our_layer_makes_the_save_refuse(project_file, wal_writer):
    p = open_project(project_file)
    wal_writer("UPDATE lockdown_zones SET name = 'QGIS edit' WHERE zone_id = 'Z3'")
    seen = open_project(project_file)  # a read sees the editor's committed, un-checkpointed edit
    assert seen.layer("lockdown_zones").set_index("zone_id").loc["Z3", "name"] == "QGIS edit"
    edit(p, "lockdown_zones", 0, name="HeatGIS edit")
    with pytest.raises(ConflictError, match="layer lockdown_zones: 1 row changed"):
        save_project(p)
    assert integrity(project_file) == "ok"
    names = zone_names(project_file)
    assert names["Z3"] == "QGIS edit" and names["Z1"] == "一号封控区"
    edit(seen, "lockdown_zones", 0, name="HeatGIS edit")  # reloaded and re-applied: saves
    save_project(seen)
    wal_writer("close")
    assert integrity(project_file) == "ok" and zone_names(project_file)["Z1"] == "HeatGIS edit"


# --------------------------------------------------------------------------- read-only, leftovers


def test_read_only_project_is_not_modified(project_file, capsys):
    from heatgis.cli import main

    p = open_project(project_file)
    edit(p, "lockdown_zones", 0, name="mine")
    before = project_file.read_bytes()
    os.chmod(project_file, 0o444)
    try:
        with pytest.raises(HeatGISError, match="read-only") as e:
            save_project(p)
        assert "p.gpkg" in str(e.value) and "Fix:" in str(e.value)
        assert main(["staff", str(project_file), "--pin", "E1,S1", "--save"]) == 2
        assert "read-only" in capsys.readouterr().err
        assert project_file.read_bytes() == before
    finally:
        os.chmod(project_file, 0o644)


def test_read_only_folder_is_a_clear_error(project_file):
    p = open_project(project_file)
    edit(p, "lockdown_zones", 0, name="mine")
    before = project_file.read_bytes()
    folder = project_file.parent
    mode = folder.stat().st_mode
    os.chmod(folder, 0o555)
    try:
        with pytest.raises(HeatGISError, match="folder of the project is read-only"):
            save_project(p)
        with pytest.raises(HeatGISError, match="read-only"):
            save_project(p, folder / "new.gpkg")
    finally:
        os.chmod(folder, stat.S_IMODE(mode))
    assert project_file.read_bytes() == before and sorted(os.listdir(folder)) == ["p.gpkg"]


def test_a_read_only_backup_from_an_older_version_does_not_block_a_save(project_file):
    bak = project_file.with_name("p.gpkg.bak")
    bak.write_bytes(b"old backup")
    os.chmod(bak, 0o444)
    p = open_project(project_file)
    edit(p, "lockdown_zones", 0, name="mine")
    save_project(p)
    assert zone_names(project_file)["Z1"] == "mine" and bak.read_bytes() == b"old backup"


def test_stale_temporaries_are_removed_live_ones_kept(project_file):
    folder = project_file.parent
    old = time.time() - 600
    dead = 2**22 + 12345  # above the default pid_max: no such process
    stale = [
        ".p-abc123.tmp.gpkg",
        ".p-abc123.tmp.gpkg-journal",
        f".p-p{dead}-x1.tmp.gpkg",
        f".save-as-p{dead}-x3.tmp.gpkg-journal",
    ]  # a killed Save As to another name
    live = [f".p-p{os.getpid()}-x2.tmp.gpkg", ".p-fresh99.tmp.gpkg", ".other-abc.tmp.gpkg"]
    for name in stale + live:
        (folder / name).write_bytes(b"x" * 100)
    for name in stale[:2] + [live[2]]:
        os.utime(folder / name, (old, old))
    open_project(project_file)
    left = sorted(os.listdir(folder))
    assert not set(stale) & set(left) and set(live) <= set(left)


@pytest.mark.slow
def test_crash_kill_loop_leaves_old_or_new_state_and_no_files(tmp_path):
    proc = python(ROOT / "scripts" / "crash_kill.py", "--kills", "6", "--seed", "7", "--dir", tmp_path)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, out + err
    assert "6 kills, 0 broken" in out
