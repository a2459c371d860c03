"""Hand overrides of the staffing plan (pins and removals), kept in the project file.

The planner's pins ("E-0203 runs ST-0355 on the early shift") and removals are part of the plan the
command meeting agreed, so they are saved with the project (``heatgis_meta`` key
``staffing_overrides``, JSON) and used again when the project opens: by the app, ``heatgis staff``
and ``heatgis report``. Zones move on, so a saved override that does not fit the moment being
planned (the person is no longer locked in, the site is no longer locked, the site is already
full) is left out of that solve with a note that says which and why; it stays saved.

A change of the overrides is a :class:`SetStaffingOverrides` command on the project's one undo
stack (``heatgis.model.commands``): the window counts it as an unsaved change, and Edit → Undo
takes it back in order with the zone edits.
"""

from __future__ import annotations

import json

import numpy as np

from heatgis.analysis.staffing.plan import pin_tuple, removal_tuple
from heatgis.errors import HeatGISError, Problem
from heatgis.model.commands import SetMeta
from heatgis.text import Text

META_KEY = "staffing_overrides"


def saved_overrides(project) -> tuple[tuple, tuple, list[Problem]]:
    """``(pins, removals, notes)`` saved in the project; empty when none.

    Never raises: saved text that cannot be read gives a warning note and no overrides (the
    text stays in the project until the overrides are next changed).
    """
    text = str(project.meta.get(META_KEY, "") or "")
    if not text.strip():
        return (), (), []
    try:
        doc = json.loads(text)
        pins = tuple(pin_tuple(p) for p in doc.get("pins", []))
        removals = tuple(removal_tuple(r) for r in doc.get("removals", []))
    except (ValueError, TypeError, AttributeError, HeatGISError) as exc:
        why = exc.problem.message if isinstance(exc, HeatGISError) else str(exc)
        note = Problem(
            Text(
                "the saved staffing overrides cannot be read ({why}); the plan is made without them",
                "已保存的驻守人工调整无法读取（{why}）；本次安排不使用它们",
                why=why,
            ),
            Text(
                "pin and remove again in the staffing panel, or clear the overrides there",
                "在驻守面板中重新指定和移除，或在那里清除人工调整",
            ),
            None if project.path is None else str(project.path),
            "heatgis_meta",
            META_KEY,
            None,
            "warning",
        )
        return (), (), [note]
    return pins, removals, []


def overrides_text(pins, removals) -> str | None:
    """The metadata text of ``pins`` and ``removals`` (None when there are none)."""
    if not (pins or removals):
        return None
    return json.dumps(
        {"pins": [list(pin_tuple(p)) for p in pins], "removals": [list(removal_tuple(r)) for r in removals]},
        ensure_ascii=False,
    )


def store_overrides(project, pins, removals) -> None:
    """Put ``pins`` and ``removals`` into the project's metadata (saved with the project), not undoable
    (the command line); the app pushes :class:`SetStaffingOverrides` instead."""
    SetStaffingOverrides(pins, removals).do(project)


class SetStaffingOverrides(SetMeta):
    """Replace the saved pins and removals as one undoable command (``staffing_overrides`` in the
    project's metadata).

    Parameters
    ----------
    pins : iterable of (staff_id, site_id, shift or None)
    removals : iterable of (staff_id, site_id or None)
    text : str, optional
        Shown in the Edit menu ("pin E0012", "remove E0040", ...).
    """

    def __init__(self, pins=(), removals=(), text: str = "staffing overrides"):
        self.pins = tuple(pin_tuple(p) for p in pins)
        self.removals = tuple(removal_tuple(r) for r in removals)
        super().__init__(META_KEY, overrides_text(self.pins, self.removals), text)


def applicable(problem, pins, removals) -> tuple[tuple, tuple, list[Problem]]:
    """The overrides that fit ``problem`` (one moment), and a note for each one that does not.

    Removals of people not in the staff layer, and pins that ``problem.solve`` would refuse (not
    locked in, site not locked at this time, no skill, pinned twice, more pins than places), are
    left out; everything else is kept in order.
    """
    notes: list[Problem] = []
    at = f"{problem.at:%Y-%m-%d %H:%M}"

    def skip(what, exc_or_text, row):
        why = exc_or_text.problem.message if isinstance(exc_or_text, HeatGISError) else exc_or_text
        notes.append(
            Problem(
                Text(
                    "the saved {what} is not used at {at}: {why}",
                    "已保存的{what} 在 {at} 未采用：{why}",
                    what=what,
                    at=at,
                    why=why,
                ),
                Text(
                    "it stays saved; remove it in the staffing panel if it no longer applies",
                    "它仍然保存着；如已不适用，请在驻守面板中删除",
                ),
                None,
                "staff",
                row,
                None,
                "warning",
            )
        )

    kept_removals = []
    for r in removals:
        sid, target = removal_tuple(r)
        if sid not in problem.all_staff:
            skip(
                Text("removal of {sid}", "人工移除 {sid}", sid=sid),
                Text("'{sid}' is not in the staff layer", "'{sid}' 不在员工图层中", sid=sid),
                sid,
            )
            continue
        kept_removals.append((sid, target))
    left = np.concatenate([problem.site_need, np.array([k for _, _, k in problem.calls], np.int64)])
    kept_pins, used = [], set[str]()
    for p in pins:
        sid, target, shift = pin_tuple(p)
        try:
            e = problem._pin_edge(sid, target, used)
        except HeatGISError as exc:
            skip(_pin_text(sid, target), exc, sid)
            continue
        d = problem.ed[e]
        if left[d] <= 0:
            skip(
                _pin_text(sid, target),
                Text("'{target}' already has all the people it needs", "'{target}' 的人员已满", target=target),
                sid,
            )
            continue
        left[d] -= 1
        used.add(sid)
        kept_pins.append((sid, target, shift))
    return tuple(kept_pins), tuple(kept_removals), notes


def _pin_text(sid, target) -> Text:
    return Text("pin {sid} → {target}", "人工指定 {sid} → {target}", sid=sid, target=target)


def merged(saved_pins, saved_removals, pins, removals) -> tuple[tuple, tuple]:
    """Saved overrides with the given ones on top: a person pinned or removed now drops that
    person's saved pin (a saved removal stays unless the person is pinned now)."""
    pins = tuple(pin_tuple(p) for p in pins)
    removals = tuple(removal_tuple(r) for r in removals)
    now = {p[0] for p in pins} | {r[0] for r in removals}
    pinned_now = {p[0] for p in pins}
    return (
        tuple(p for p in saved_pins if p[0] not in now) + pins,
        tuple(r for r in saved_removals if r[0] not in pinned_now) + removals,
    )
