"""The impact panel and presentation mode show the KPIs' change since 24 h earlier (较昨日), as
``analysis.change.change_since`` computes it, and the zones that began or ended."""

from __future__ import annotations

import pandas as pd
import pytest
from PySide6 import QtCore

from heatgis.analysis.change import change_since, signed
from heatgis.export.briefing import kpi_changes

#: the reference time (README) and a time with zones begun and lifted in the day before it
TIMES = ["2022-02-25 08:00", "2022-03-01 08:00"]
PANEL = {
    "stations": ("stations", "count"),
    "boiler_rooms": ("boiler_rooms", "count"),
    "area": ("heated_area_m2", "wan"),
    "households": ("households", "wan"),
    "staff": ("staff_locked_in", "count"),
}


def _expected(demo_window, at):
    s = demo_window.session
    return change_since(s.project, at, engine=s.engine, zones=s.project.layer("lockdown_zones"))


@pytest.mark.parametrize("at", TIMES)
def test_panel_shows_change_since(demo_window, qtbot, at):
    win = demo_window
    win.session.set_time(pd.Timestamp(at))
    ref = _expected(win, at)
    shown = win.session.change()
    assert shown.now == ref.now and shown.before == ref.before
    assert list(shown.new_zones["zone_id"]) == list(ref.new_zones["zone_id"])
    assert list(shown.lifted_zones["zone_id"]) == list(ref.lifted_zones["zone_id"])
    panel = win.impact
    for key, (k, kind) in PANEL.items():
        text = panel.deltas[key].text()
        assert text.startswith("vs day before " + signed(ref.delta(k), kind)), (key, text)
    tip = panel.zones_change.toolTip()
    for zid in list(ref.new_zones["zone_id"]) + list(ref.lifted_zones["zone_id"]):
        assert zid in tip
    if at == TIMES[1]:  # the demo: 4 more stations, 5 zones begun, 1 lifted
        assert ref.delta("stations") == 4 and len(ref.new_zones) == 5 and len(ref.lifted_zones) == 1
        assert panel.deltas["stations"].text() == "vs day before +4"
        assert "new zones 5" in panel.zones_change.text() and "lifted zones 1" in panel.zones_change.text()
    else:
        assert panel.zones_change.text() == "vs day before: no zone began or ended"
    win.set_language("zh")
    qtbot.wait(20)  # the LanguageChange events delivered
    assert panel.deltas["stations"].text() == f"较昨日 {signed(ref.delta('stations'))}"
    if at == TIMES[1]:
        assert panel.deltas["area"].text() == f"较昨日 {signed(ref.delta('heated_area_m2'), 'wan')} 万㎡"
        assert panel.zones_change.text().startswith("较昨日：新增管控区 5 个：")
    win.set_language("en")


def test_change_follows_time_steps_and_edits(demo_window, qtbot):
    """Cached per time and zone state: a step back gives the same object; a zone removed changes it."""
    from heatgis.model.commands import DeleteZone

    s = demo_window.session
    s.set_time(pd.Timestamp(TIMES[1]))
    first = s.change()
    s.set_time(pd.Timestamp(TIMES[0]))
    s.set_time(pd.Timestamp(TIMES[1]))
    assert s.change().now == first.now
    assert s.change() is s.change()
    zid = str(first.new_zones["zone_id"].iloc[0])
    assert demo_window.run_command(DeleteZone(zid))
    after = s.change()
    ref = _expected(demo_window, TIMES[1])
    assert zid not in set(after.new_zones["zone_id"]) and after.now == ref.now and after.before == ref.before
    assert demo_window.impact.deltas["stations"].text() == "vs day before " + signed(ref.delta("stations"))
    s.stack.undo()
    assert s.change().now == first.now


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_presentation_tiles_show_change(demo_window, qtbot, tmp_path, lang):
    from heatgis.gui.outputs_menu import add_output_actions

    win = demo_window
    win.set_language(lang)
    win.session.set_time(pd.Timestamp(TIMES[1]))
    acts = add_output_actions(win)
    pres = acts.start_presentation(full_screen=False)
    qtbot.addWidget(pres)
    pres.resize(1600, 900)
    qtbot.waitExposed(pres)
    ref = _expected(win, win.session.at)
    assert pres.changes() == kpi_changes(ref, lang)
    assert pres.changes()[0].endswith("+4")
    line = pres.zones_line()
    assert str(ref.new_zones["zone_id"].iloc[0]) in line
    assert line.startswith("较昨日：新增" if lang == "zh" else "vs day before: new")
    # one wording on every surface: the impact panel's, the presentation's, the deck's and the A3 page's
    day_before = "较昨日" if lang == "zh" else "vs day before"
    assert pres.changes()[0].startswith(day_before + " ") and ref.label(lang) == day_before
    assert win.impact.deltas["stations"].text().startswith(day_before + " ")
    img = pres.grab().toImage()
    # each change drawn right of its caption, never over it (measured in the fonts drawn)
    assert len(pres.change_boxes) == 5
    assert all(box.left() >= caption_end + 4 for caption_end, box in pres.change_boxes)
    assert img.save(str(tmp_path / f"presentation_{lang}.png"))
    qtbot.keyClick(pres, QtCore.Qt.Key.Key_Escape)
    win.set_language("en")


def test_earlier_figures_follow_edits_of_the_earlier_zones(demo_window, qtbot):
    """The figures 24 h earlier come from the zones as they now are: a zone moved to begin before
    then, one drawn then, one deleted; each time equal to ``change_since`` on the edited zones."""
    import shapely

    from heatgis.model.commands import AddZone, DeleteZone, SetZoneAttributes

    s = demo_window.session
    s.set_time(pd.Timestamp(TIMES[1]))
    first = s.change()
    zid = str(first.new_zones["zone_id"].iloc[0])
    edits = [
        SetZoneAttributes(zid, start=pd.Timestamp("2022-02-20 00:00")),  # in force then too: no longer new
        AddZone(
            "Z-EARLIER",
            shapely.box(*s.engine.sites.geoms[0].buffer(800).bounds),
            level="sealed",
            start="2022-02-27 00:00",
            end="2022-02-28 12:00",
        ),  # only then: lifted since
        DeleteZone(str(first.lifted_zones["zone_id"].iloc[0])),
    ]
    for cmd in edits:
        assert demo_window.run_command(cmd)
        got, ref = s.change(), _expected(demo_window, TIMES[1])
        assert got.before == ref.before and got.now == ref.now
        assert list(got.new_zones["zone_id"]) == list(ref.new_zones["zone_id"])
        assert list(got.lifted_zones["zone_id"]) == list(ref.lifted_zones["zone_id"])
    assert zid not in set(got.new_zones["zone_id"]) and "Z-EARLIER" in set(got.lifted_zones["zone_id"])
    assert got.before != first.before
    for _ in edits:
        s.stack.undo()
    assert s.change().before == first.before
