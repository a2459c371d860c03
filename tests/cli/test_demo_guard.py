"""The bundled demo as a new user meets it: read by every command without a path, never written
without --force; import modes, notices imported twice, times and Chinese zone levels; help texts."""

from __future__ import annotations

import hashlib
import io
import json
import shutil

import pytest

from heatgis.cli import build_parser, main
from heatgis.paths import DEMO_PATH, is_bundled_demo
from tests.conftest import ROOT

EXAMPLES = ROOT / "data" / "examples"


def run_cli(args, capsys):
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def digest():
    return hashlib.sha256(DEMO_PATH.read_bytes()).hexdigest()


@pytest.fixture()
def copy(tmp_path, demo_path):
    path = tmp_path / "my.gpkg"
    shutil.copy(demo_path, path)
    return path


def test_commands_without_a_project_read_the_bundled_demo(capsys):
    assert is_bundled_demo(DEMO_PATH) and is_bundled_demo(ROOT / "data" / ".." / "data" / "hohhot_demo.gpkg")
    code, out, err = run_cli(["impact", "--json"], capsys)
    assert code == 0, err
    t = json.loads(out)["locked"]
    assert (t["stations"], t["boiler_rooms"], t["heated_area_m2"], t["households"]) == (24, 3, 5159000, 38500)
    code, out, err = run_cli(["validate"], capsys)
    assert code == 0 and "0 error(s)" in out, err


@pytest.mark.parametrize(
    "args",
    [
        ["import", DEMO_PATH, EXAMPLES / "stations.xlsx", "--layer", "stations", "--from-crs", "gcj02", "--append"],
        ["zones-from-notice", DEMO_PATH, EXAMPLES / "notice.txt"],
        ["staff", "--pin", "E-0203,ST-0355", "--save"],
        ["demo"],
        ["demo", DEMO_PATH],
        ["tickets", "add", DEMO_PATH, "--site", "ST-0001"],
        ["heat", "--weather", EXAMPLES / "forecast.csv", "--save"],
        ["import", DEMO_PATH, EXAMPLES / "forecast.csv", "--layer", "weather", "--replace"],
    ],
)
def test_writing_into_the_bundled_demo_asks_for_force(args, capsys):
    before = digest()
    code, out, err = run_cli(args, capsys)
    assert code == 2, out + err
    assert "--force" in err and "heatgis demo my.gpkg" in err
    assert "Traceback" not in err
    assert digest() == before


def test_save_project_refuses_the_demo_unless_forced(demo_project, tmp_path):
    from heatgis.errors import HeatGISError
    from heatgis.model.project import Project
    from heatgis.model.store import save_project

    p = Project(dict(demo_project.layers), dict(demo_project.meta), path=DEMO_PATH)
    with pytest.raises(HeatGISError, match="bundled demo"):
        save_project(p)
    assert save_project(p, tmp_path / "copy.gpkg") == tmp_path / "copy.gpkg"


def test_demo_with_a_path_writes_a_fresh_copy_equal_to_the_bundled_one(tmp_path, capsys):
    code, out, err = run_cli(["demo", tmp_path / "my.gpkg"], capsys)
    assert code == 0, err
    assert "stations 812" in out
    assert (tmp_path / "my.gpkg").read_bytes() == DEMO_PATH.read_bytes()  # deterministic, byte-identical here


def test_import_into_a_layer_with_rows_needs_replace_or_append(copy, capsys):
    xlsx = EXAMPLES / "stations.xlsx"
    base = ["import", copy, xlsx, "--layer", "stations", "--from-crs", "gcj02"]
    before = copy.read_bytes()
    code, out, err = run_cli(base, capsys)
    assert code == 2 and "already has 812 rows" in err and "--append" in err and "--replace" in err
    assert copy.read_bytes() == before
    code, out, err = run_cli(base + ["--append"], capsys)
    assert code == 0 and "now has 817 rows" in out, err
    code, out, err = run_cli(base + ["--replace"], capsys)
    assert code == 0 and "now has 5 rows" in out, err
    with pytest.raises(SystemExit):  # both at once: argparse refuses
        build_parser().parse_args([str(a) for a in base + ["--append", "--replace"]])


def test_a_notice_imported_twice_adds_nothing_the_second_time(copy, capsys):
    notice = EXAMPLES / "notice.txt"
    code, out, err = run_cli(["zones-from-notice", copy, notice], capsys)
    assert code == 0 and "6 new zone(s)" in out and "106 zones in all" in out, err
    before = copy.read_bytes()
    code, out, err = run_cli(["zones-from-notice", copy, notice], capsys)
    assert code == 0, err
    assert "0 new zone(s) from the notice, 6 already in the project" in out
    assert out.count("already in the project as zone N20220226-") == 6
    assert "the project was not changed" in out and copy.read_bytes() == before
    # the same names at another start are new zones (a second lockdown of the same compounds)
    code, out, err = run_cli(["zones-from-notice", copy, notice, "--start", "2022-03-05T00:00", "--dry-run"], capsys)
    assert code == 0 and "6 new zone(s)" in out, err


@pytest.mark.parametrize("text", ["Feb 25", "25.02.2022", "0022-02-25", "2202-02-25T08:00", "yesterday"])
def test_times_must_be_iso_like_with_a_plausible_year(text, capsys):
    code, out, err = run_cli(["impact", "--at", text], capsys)
    assert code == 2 and out == ""
    assert "2022-02-18T08:00" in err and "Traceback" not in err


@pytest.mark.parametrize("text", ["2022-02-25", "2022-02-25T08:00", "2022-02-25 08:00"])
def test_iso_like_times_are_read(text):
    import pandas as pd

    from heatgis.model.project import parse_time

    assert parse_time(text).floor("D") == pd.Timestamp("2022-02-25")


def test_chinese_zone_levels_are_read_everywhere(tmp_path, demo_project, capsys):
    import geopandas as gpd

    from heatgis.io.notice_zones import notice_to_zones
    from heatgis.io.zonefile import read_zones_file
    from heatgis.model.vocab import zone_level

    for word, level in (
        ("封控区", "sealed"),
        ("封控", "sealed"),
        ("管控区", "controlled"),
        ("管控", "controlled"),
        ("防范区", "precaution"),
        ("防范", "precaution"),
        (" Sealed ", "sealed"),
    ):
        assert zone_level(word) == level
    assert zone_level("封锁") is None
    # a zone file (and --zones)
    zones, _ = read_zones_file(EXAMPLES / "new_zones.geojson", demo_project.crs, "2022-02-25T08:00")
    assert list(zones["level"]) == ["sealed", "controlled"]
    # a zone file with a level that is not one
    bad = gpd.read_file(EXAMPLES / "new_zones.geojson")
    bad["level"] = ["封锁", "管控"]
    bad.to_file(tmp_path / "bad.geojson", driver="GeoJSON")
    code, out, err = run_cli(["impact", "--zones", tmp_path / "bad.geojson"], capsys)
    assert code == 2 and "'封锁' is not a zone level" in err and "封控区" in err
    # a notice forced to one level, written in Chinese
    text = (EXAMPLES / "notice.txt").read_text(encoding="utf-8")
    r = notice_to_zones(demo_project, text, level="防范")
    assert set(r.zones["level"]) == {"precaution"}
    code, out, err = run_cli(
        ["zones-from-notice", DEMO_PATH, EXAMPLES / "notice.txt", "--level", "管控区", "--dry-run"], capsys
    )
    assert code == 0 and "6 new zone(s)" in out, err
    with pytest.raises(SystemExit):
        build_parser().parse_args(["zones-from-notice", "x.gpkg", "n.txt", "--level", "封锁"])
    # the importer's mapping
    import pandas as pd

    from heatgis.io.importer import import_layer
    from heatgis.model.project import Project

    z = gpd.read_file(EXAMPLES / "new_zones.geojson")
    z["level"] = ["防范", "Sealed"]
    z.to_file(tmp_path / "z.geojson", driver="GeoJSON")
    r = import_layer(Project(), tmp_path / "z.geojson", "lockdown_zones")
    assert list(r.frame["level"]) == ["precaution", "sealed"]
    assert r.frame["start"].iloc[0] == pd.Timestamp("2022-02-24")


def test_help_describes_every_command_and_shows_the_project_form(capsys):
    parser = build_parser()
    assert parser.format_usage().startswith("usage: heatgis [PROJECT.gpkg]")
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    for name, p in sub.choices.items():
        assert p.description and len(p.description) > 60, name
        assert p.prog == f"heatgis {name}"
    demo_help = sub.choices["demo"].format_help()
    assert "site-packages" not in demo_help and str(DEMO_PATH) not in demo_help


def test_progress_lines_are_plain_when_stderr_is_not_a_terminal(monkeypatch):
    import sys

    from heatgis.cli.textfmt import plural, progress_line

    class Stream(io.StringIO):
        def __init__(self, tty):
            super().__init__()
            self.tty = tty

        def isatty(self):
            return self.tty

    pipe = Stream(False)
    monkeypatch.setattr(sys, "stderr", pipe)
    for f, msg in ((0.0, "reading"), (0.0, "reading"), (0.5, "solving"), (1.0, "done")):
        progress_line(f, msg)
    assert "\r" not in pipe.getvalue()
    assert pipe.getvalue().splitlines() == ["[  0%] reading", "[ 50%] solving", "[100%] done"]
    tty = Stream(True)
    monkeypatch.setattr(sys, "stderr", tty)
    progress_line(0.5, "solving")
    assert tty.getvalue().startswith("\r[ 50%] solving")
    assert (plural(1, "page"), plural(3, "page")) == ("1 page", "3 pages")
