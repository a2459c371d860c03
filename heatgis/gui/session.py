"""The open project as the GUI sees it: undo stack, live impact, time, selection.

``ProjectSession`` owns one ``ImpactEngine``, one ``ImpactSession`` and the
project's one ``UndoStack``. Every zone command on the stack updates the live
session for the zones the command touched only (the incremental path of the core)
and emits ``impactChanged``; panels and the map bind to its signals. The session is
dirty exactly when the stack is not clean (any command: zones, imports, staffing
overrides).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import shapely
from PySide6 import QtCore

from heatgis.analysis.impact import ImpactEngine
from heatgis.model.commands import UndoStack
from heatgis.render.heat_overlay import HeatMarginOverlay
from heatgis.render.mapdraw import MapRenderer, style_for
from heatgis.render.overlays import DispatchOverlay, RoutesOverlay, SiteStatusOverlay
from heatgis.render.qpath import points_xy

ZONES = "lockdown_zones"


def start_time(project) -> pd.Timestamp:
    """The time a project opens at: its reference time, else the current hour (an unreadable one is
    named by the impact panel's data warning)."""
    at = project.readable_reference_time()
    return at if at is not None else pd.Timestamp.now().floor("h")


def live_session(project, engine):
    """The live impact session a :class:`ProjectSession` starts with (Qt-free work: made in the open's
    worker, so a project of 100,000 sites does not stall the window on it)."""
    return engine.session(project.layer(ZONES), start_time(project))


def warm_renderer(project, lang: str, at, view_px=None) -> MapRenderer:
    """The map renderer a :class:`ProjectSession` starts with, made in the open's worker: every
    layer's painter, and when ``view_px`` (width, height in device pixels) is given, the paths at the
    detail the whole city shows at there (the window's first map: ``MapCanvas.zoom_full``)."""
    renderer = MapRenderer(project, style_for(project, lang), at)
    renderer.bounds()  # every layer's painter (the canvas asks for the bounds of all)
    full = renderer.city_bounds()
    if full is None or not view_px or min(view_px) <= 0:
        return renderer
    pad = 1 + 2 * MapRenderer.FULL_PAD
    m_per_px = max((full[2] - full[0]) * pad / view_px[0], (full[3] - full[1]) * pad / view_px[1])
    for painter in renderer.painters.values():
        if painter is None:
            continue
        for batch in painter.batches():
            for m in {m_per_px * 0.9, m_per_px * 1.1}:  # the estimate, and its neighbour's level near an edge
                batch.prepare(m)
        if painter.has_labels() and m_per_px <= painter.style.label_scale:
            labels = painter.labels  # their anchors and tree: built on first use, here rather than in the first paint
            if labels is not None:
                labels.tree  # noqa: B018
    return renderer


def session_overlays() -> list:
    """The plan overlays a session's renderer starts with (empty, the heat margin hidden)."""
    return [HeatMarginOverlay(), SiteStatusOverlay(), RoutesOverlay(), DispatchOverlay()]


class ProjectSession(QtCore.QObject):
    """One open project.

    Parameters
    ----------
    project : Project
    engine : ImpactEngine, optional
        Built in a worker thread when the project was opened.
    lang : {"zh", "en"}
    """

    impactChanged = QtCore.Signal()
    layerChanged = QtCore.Signal(str)
    timeChanged = QtCore.Signal(object)
    dirtyChanged = QtCore.Signal(bool)
    selectionChanged = QtCore.Signal(str, object)  # layer, row positions (ndarray)
    zonesEdited = QtCore.Signal()
    overlaysChanged = QtCore.Signal()
    engineChanged = QtCore.Signal(object)  # a new ImpactEngine after an import changed sites/staff
    sketchChanged = QtCore.Signal()  # the zone being drawn (or a vertex dragged) moved: ``sketch_totals``

    #: layers the impact engine indexes: a whole-layer change (an import) rebuilds it
    ENGINE_LAYERS = ("stations", "boiler_rooms", "staff", "compounds", "heat_sources", "pipes", "districts", "crews")

    def __init__(
        self, project, engine: ImpactEngine | None = None, lang: str = "zh", parent=None, live=None, renderer=None
    ):
        super().__init__(parent)
        self.project = project
        self.engine = engine or ImpactEngine(project)
        self.stack = UndoStack(project)
        if live is not None and live.engine is self.engine:  # made in the open's worker (``live_session``)
            self.at, self.live = live.at, live
        else:
            self.at = start_time(project)
            self.live = self.engine.session(project.layer(ZONES), self.at)
        self._change: tuple | None = None
        self._change_rows: tuple = (None, {})  # (zone state, {zone set: its rows})
        if renderer is not None and renderer.project is project and renderer.style.lang == lang:
            self.renderer = renderer  # made in the open's worker (``warm_renderer``)
            self.renderer.set_time(self.at)
        else:
            self.renderer = MapRenderer(project, style_for(project, lang), self.at)
        self._trees: dict[str, shapely.STRtree] = {}
        self._site_xy: tuple | None = None  # (the engine's site geometries, their coordinates)
        self._zone_members: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._members_version = 0  # bumped whenever the zones or their members change
        self._zone_cache = None
        self._init_members()
        self.selection_layer = ""
        self.selection = np.empty(0, np.intp)
        self._dirty = False
        # the heat margin is hidden until View → stations by heat margin
        self.heat_overlay, self.staffing_overlay, self.routes_overlay, self.dispatch_overlay = session_overlays()
        self.renderer.overlays = [self.heat_overlay, self.staffing_overlay, self.routes_overlay, self.dispatch_overlay]
        self._site_points: dict | None = None
        #: the time each plan on the map was made for: name -> (start, end); shown only while the
        #: session's time is inside it (``plan_in_time``), hidden everywhere the renderer draws otherwise
        self.plan_spans: dict[str, tuple[pd.Timestamp, pd.Timestamp]] = {}
        #: the totals if the zone being drawn were added now (None when nothing is being drawn)
        self.sketch_totals = None
        project.subscribe(self._on_layer)
        self.stack.subscribe(self._on_command)

    # ---------------------------------------------------------------- zones / impact
    def _init_members(self) -> None:
        """Each zone's sites and staff homes: the live session's own (queried once, not again)."""
        self._members_version += 1
        self._zone_members.update(self.live.members())

    def _on_command(self, cmd, action) -> None:
        if cmd is not None and getattr(cmd, "mode", None) == "replace" and getattr(cmd, "layer", None) == ZONES:
            self.rebuild(engine=False)  # a whole zones layer imported: no zone-by-zone update
        elif cmd is not None and getattr(cmd, "layer", None) == ZONES:
            self.update_zones(cmd.zone_ids)
        self._set_dirty(not self.stack.is_clean)

    def update_zones(self, zone_ids) -> None:
        """Take the zones ``zone_ids`` as they now are in the project into the live impact (an undoable
        command did it, or another planner's change was reloaded from the database); ``impactChanged``."""
        z = self.project.layer(ZONES)
        ids = z["zone_id"].astype(str).to_numpy()
        self._members_version += 1
        for zid in zone_ids:
            hit = np.flatnonzero(ids == zid)
            if len(hit):
                r = z.iloc[int(hit[0])]
                end = r["end"] if not pd.isna(r["end"]) else None
                self.live.upsert_zone(zid, r.geometry, str(r["level"]), r["start"], end, str(r["name"] or ""))
                self._zone_members[zid] = (
                    self.engine.sites.query_one(r.geometry),
                    self.engine.staff.query_one(r.geometry),
                )
            else:
                self.live.remove_zone(zid)
                self._zone_members.pop(zid, None)
        self.zonesEdited.emit()
        self.impactChanged.emit()

    def _set_dirty(self, dirty: bool) -> None:
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirtyChanged.emit(dirty)

    @property
    def dirty(self) -> bool:
        return self._dirty

    def adopt_history(self, old: ProjectSession) -> None:
        """Keep ``old``'s undo history (the same edits, re-applied to this session's project)."""
        self.stack.adopt(old.stack)
        self._set_dirty(not self.stack.is_clean)

    def mark_saved(self) -> None:
        self.stack.set_clean()  # -> _on_command(None, "clean"): not dirty

    def push(self, cmd) -> None:
        """Run an undoable command (errors propagate as HeatGISError, nothing changed)."""
        self.stack.push(cmd)

    def totals(self):
        return self.live.totals()

    def sketch(self, geometry, level: str = "sealed", replace: str | None = None) -> None:
        """The zone being drawn (or zone ``replace`` with a vertex being dragged) is now ``geometry``:
        ``sketch_totals`` are the figures if it were in force now (``ImpactSession.preview``, nothing
        changed); ``None`` ends the sketch. ``sketchChanged`` either way."""
        if geometry is None or geometry.is_empty:
            if self.sketch_totals is None:
                return
            self.sketch_totals = None
        else:
            self.sketch_totals = self.live.preview(geometry, level, replace)
        self.sketchChanged.emit()

    def locked_mask(self) -> np.ndarray:
        return self.live.locked

    def locked_xy(self) -> np.ndarray:
        """The locked sites' coordinates (every site's read once per engine: a province's 100,000
        sites cost ~3 ms a time step read again)."""
        geoms = self.engine.sites.geoms
        cached = self._site_xy
        if cached is None or cached[0] is not geoms:
            cached = self._site_xy = (geoms, points_xy(geoms))
        return cached[1][self.live.locked]

    def zone_table(self) -> pd.DataFrame:
        """Per zone: level, active now, locked stations/boiler rooms, 万㎡, households, staff.

        What each zone holds does not change with time: it is summed once per state of the
        zones (``_zone_sums``); a time step only works out which zones are in force."""
        cols = [
            "zone_id",
            "name",
            "level",
            "active",
            "stations",
            "boiler_rooms",
            "heated_area_m2",
            "households",
            "staff_locked_in",
        ]
        z, sums = self._zone_sums()
        if len(z) == 0:
            return pd.DataFrame(columns=cols)
        active = z.active(self.at).astype(bool)
        locking = active & z.locking()
        # sealed/controlled zones in force first (they lock sites), the most households first; then
        # precaution, then the rest (sorted first, the frame built once: a timeline step's cost)
        order = np.lexsort((np.asarray(z.ids, dtype=str), -sums["households"], ~active, ~locking))
        return pd.DataFrame(
            {
                "zone_id": z.ids[order],
                "name": z.names[order],
                "level": z.levels[order],
                "active": active[order],
                "stations": sums["stations"][order],
                "boiler_rooms": sums["boiler_rooms"][order],
                "heated_area_m2": sums["heated_area_m2"][order],
                "households": sums["households"][order],
                "staff_locked_in": np.where(locking, sums["staff"], 0)[order],
            },
            columns=cols,
        )

    def _zone_sums(self):
        """The zones as arrays and, per zone, its stations, boiler rooms, area, households and staff
        (kept until the zones or their members change)."""
        from heatgis.analysis.zones import ZoneArrays

        frame = self.project.layer(ZONES)
        key = (id(frame), len(frame), self._members_version)
        if self._zone_cache is not None and self._zone_cache[0] == key:
            return self._zone_cache[1]
        z = ZoneArrays.from_frame(frame)
        e = self.engine
        n = len(z)
        sums = {
            "stations": np.zeros(n, np.int64),
            "boiler_rooms": np.zeros(n, np.int64),
            "heated_area_m2": np.zeros(n, float),
            "households": np.zeros(n, np.int64),
            "staff": np.zeros(n, np.int64),
        }
        none = (np.empty(0, int), np.empty(0, int))
        for k, zid in enumerate(z.ids):
            sites, staff = self._zone_members.get(str(zid), none)
            st = e.is_station[sites]
            sums["stations"][k] = int(st.sum())
            sums["boiler_rooms"][k] = int((~st).sum())
            sums["heated_area_m2"][k] = float(e.area[sites].sum())
            sums["households"][k] = int(e.households[sites].sum())
            sums["staff"][k] = len(staff)
        self._zone_cache = (key, (z, sums))
        return z, sums

    #: the KPIs' change is shown against this much earlier (较昨日, the reports' default)
    CHANGE_SPAN = pd.Timedelta(hours=24)

    def change(self):
        """The change of the KPIs since ``CHANGE_SPAN`` earlier, and the zones that began or ended.

        The same :class:`~heatgis.analysis.change.Change` as ``change_since(project, at)``: the
        figures now from the live session, those at the earlier time from the same session's zones
        (``ImpactSession.totals_at``: one activity mask and one count, no geometry query, no second
        session to keep up on every edit) and the per-zone sums; kept until the time or the zones
        change, so a repaint costs nothing.
        """
        from heatgis.analysis.change import change_of

        key = (self.at, self._members_version, id(self.live))
        if self._change is not None and self._change[0] == key:
            return self._change[1]
        since = self.at - self.CHANGE_SPAN
        z, sums = self._zone_sums()
        now_on, before_on = z.active(self.at), z.active(since)
        locking = z.locking()
        if self._change_rows[0] != key[1:]:
            self._change_rows = (key[1:], {})
        cache = self._change_rows[1]

        def rows(mask, locks):
            """The zones of ``mask``, most households first (kept per set of zones: most steps
            begin or lift none, and the same sets come back as the slider moves)."""
            k = (mask.tobytes(), (mask & locks).tobytes())
            if k not in cache:
                i = np.flatnonzero(mask)
                i = i[np.lexsort((z.ids[i].astype(str), -sums["households"][i]))]
                cache[k] = pd.DataFrame(
                    {
                        "zone_id": z.ids[i],
                        "name": z.names[i],
                        "level": z.levels[i],
                        "start": z.start[i],
                        "end": z.end[i],
                        "stations": sums["stations"][i],
                        "boiler_rooms": sums["boiler_rooms"][i],
                        "heated_area_m2": sums["heated_area_m2"][i],
                        "households": sums["households"][i],
                        "staff_locked_in": np.where(locks, sums["staff"], 0)[i],
                    }
                )
            return cache[k]

        change = change_of(
            self.at,
            since,
            self.live.totals(),
            self.live.totals_at(since),
            rows(now_on & ~before_on, now_on & locking),
            rows(before_on & ~now_on, before_on & locking),
            ordered=True,
        )
        self._change = (key, change)
        return change

    def close(self) -> None:
        """The session ends (another project is opened): every slot is cut from its signals. A slot
        is held by Qt, out of the collector's sight, and most of them reach back to the session (a
        panel's lambda -> the panel -> the project -> its listener, this session): kept connected,
        the old project could never be freed."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a signal nothing is connected to
            for name, value in vars(ProjectSession).items():
                if isinstance(value, QtCore.Signal):
                    try:
                        getattr(self, name).disconnect()
                    except (RuntimeError, TypeError):
                        pass
        self.setParent(None)  # the window owned it: freed once nothing else holds it

    def set_time(self, at) -> None:
        at = pd.Timestamp(at)
        if at == self.at:
            return
        self.at = at
        self.live.set_time(at)
        self.renderer.set_time(at)
        self._apply_plan_times()
        self.timeChanged.emit(at)
        self.impactChanged.emit()

    # ---------------------------------------------------------------- plans on the map
    #: how long a dispatch stays on the map after its ETA (the crew works at the site meanwhile)
    DISPATCH_HOLD = pd.Timedelta(hours=2)

    def plan_overlays(self) -> dict:
        """Plan name -> its overlay (the plans that belong to a time)."""
        return {"staffing": self.staffing_overlay, "routes": self.routes_overlay, "dispatch": self.dispatch_overlay}

    def plan_in_time(self, name: str, at=None) -> bool:
        """True when plan ``name`` was made for ``at`` (default the session's time): start <= at < end,
        or at == start for a plan of one moment (a staffing plan). A plan without a span is in time."""
        span = self.plan_spans.get(name)
        if span is None:
            return True
        at = self.at if at is None else pd.Timestamp(at)
        start, end = span
        return at == start or start <= at < end

    def hidden_plans(self) -> dict:
        """Plans on hand that are hidden because they were made for another time: name -> (start, end)."""
        return {n: sp for n, sp in self.plan_spans.items() if not self.plan_in_time(n)}

    def _set_plan_span(self, name: str, span) -> None:
        if span is None:
            self.plan_spans.pop(name, None)
        else:
            self.plan_spans[name] = (pd.Timestamp(span[0]), pd.Timestamp(span[1]))
        self._apply_plan_times()

    def _apply_plan_times(self) -> None:
        """Show each plan overlay only at the time its plan was made for (map, print, presentation)."""
        for name, ov in self.plan_overlays().items():
            ov.visible = self.plan_in_time(name)

    def site_points(self) -> dict:
        """Station / boiler room id → Point (for the crews' stop markers)."""
        if self._site_points is None:
            from heatgis.routing.planner import site_points

            sp = site_points(self.project)
            self._site_points = dict(zip(sp["site_id"], sp["geometry"]))
        return self._site_points

    def site_xy(self, site_id: str):
        g = self.site_points().get(str(site_id))
        return None if g is None else (g.x, g.y)

    def show_staffing(self, plan) -> None:
        """Style the locked sites by the staffing plan's status (None clears)."""
        self.staffing_overlay.set_plan(plan)
        at = getattr(plan, "at", None)
        self._set_plan_span("staffing", None if plan is None or at is None else (at, at))
        self.overlaysChanged.emit()

    def show_heat(self, result) -> None:
        """Colour the stations by their network's heat margin (a ``HeatResult``; None clears)."""
        self.heat_overlay.set_result(result, self.project.layer("stations") if result is not None else None)
        self.overlaysChanged.emit()

    def show_routes(self, plan) -> None:
        """Draw a CrewPlan's routes and numbered stops (None clears)."""
        self.routes_overlay.set_plan(plan, self.site_points() if plan is not None else None)
        self._set_plan_span("routes", None if plan is None else (plan.shift_start, plan.shift_end))
        self.overlaysChanged.emit()

    def show_ops(self, plan, routes, stops) -> None:
        """Draw an OpsPlan's vehicle routes and stops (``routes``, ``stops`` frames; plan None clears)."""
        self.routes_overlay.set_routes(routes, stops)
        self._set_plan_span("routes", None if plan is None else (plan.at, plan.end))
        self.overlaysChanged.emit()

    def show_dispatch(self, dispatch, colour: str = "#d73027") -> None:
        """Draw a Dispatch (the chosen crew's way and the fault site; None clears)."""
        if dispatch is None:
            self.dispatch_overlay.clear()
            self._set_plan_span("dispatch", None)
        else:
            end = max(dispatch.at, dispatch.eta if dispatch.eta is not None else dispatch.at) + self.DISPATCH_HOLD
            self._set_plan_span("dispatch", (dispatch.at, end))
            label = f"{dispatch.crew_id}  ETA {dispatch.eta:%H:%M}" if dispatch.crew_id else f"{dispatch.site_id}: —"
            self.dispatch_overlay.set_dispatch(dispatch.geometry, self.site_xy(dispatch.site_id), colour, label)
        self.overlaysChanged.emit()

    # ---------------------------------------------------------------- layers / selection
    def rebuild(self, engine: bool = True) -> None:
        """Index the project again (after an import replaced sites, staff ... or all zones)."""
        if engine:
            self.engine = ImpactEngine(self.project)
            self.engineChanged.emit(self.engine)
        self.live = self.engine.session(self.project.layer(ZONES), self.at)
        self._zone_members.clear()
        self._init_members()
        self.zonesEdited.emit()
        self.impactChanged.emit()

    def _on_layer(self, name: str) -> None:
        self._members_version += 1  # any layer: zones, sites or staff may hold other rows now
        if name in self.ENGINE_LAYERS:
            self.rebuild(engine=True)
        self._trees.pop(name, None)
        if name in ("stations", "boiler_rooms"):
            self._site_points = None
        self.renderer.invalidate(name)
        if name == self.selection_layer:
            self.select(name, np.empty(0, np.intp))
        self.layerChanged.emit(name)

    def tree(self, layer: str) -> shapely.STRtree | None:
        if layer not in self._trees:
            f = self.project.layer(layer)
            if not hasattr(f, "geometry") or not len(f):
                return None
            self._trees[layer] = shapely.STRtree(np.asarray(f.geometry.values))
        return self._trees[layer]

    def features_at(self, layer: str, geom, predicate: str = "intersects") -> np.ndarray:
        """Row positions of ``layer`` whose geometry meets ``geom``."""
        t = self.tree(layer)
        if t is None:
            return np.empty(0, np.intp)
        return np.sort(t.query(geom, predicate=predicate))

    def nearest(self, layer: str, x: float, y: float, tolerance: float) -> int | None:
        """The row nearest to (x, y) within ``tolerance`` metres (polygons: containing it)."""
        t = self.tree(layer)
        if t is None:
            return None
        p = shapely.Point(x, y)
        hits = t.query(p.buffer(tolerance))
        if len(hits) == 0:
            return None
        geoms = np.asarray(self.project.layer(layer).geometry.values)[hits]
        d = shapely.distance(geoms, p)
        k = int(np.argmin(d))
        return int(hits[k]) if d[k] <= tolerance else None

    def select(self, layer: str, rows) -> None:
        rows = np.asarray(rows, dtype=np.intp)
        self.selection_layer, self.selection = layer, rows
        geoms = []
        if layer and len(rows):
            geoms = np.asarray(self.project.layer(layer).geometry.values)[rows]
        self.renderer.highlight.set_selection(geoms)
        self.selectionChanged.emit(layer, rows)

    def selection_bounds(self):
        if not self.selection_layer or not len(self.selection):
            return None
        geoms = np.asarray(self.project.layer(self.selection_layer).geometry.values)[self.selection]
        return tuple(shapely.total_bounds(geoms))
