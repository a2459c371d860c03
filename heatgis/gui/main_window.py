"""The main window: map in the centre, panels in docks, menus from ``actions.py``."""

from __future__ import annotations

import gc
from pathlib import Path

from PySide6 import QtCore, QtWidgets

from heatgis.errors import Feedback, HeatGISError
from heatgis.gui import APP, ORG, i18n  # noqa: F401  (app.py and tests import them from here)
from heatgis.gui import tools as T
from heatgis.gui.actions import Actions
from heatgis.gui.conflict import ask_conflict_dialog
from heatgis.gui.database import add_database_actions
from heatgis.gui.docks import add_reset_action, make_docks
from heatgis.gui.docks import arrange as arrange_docks
from heatgis.gui.gistools import GisTools
from heatgis.gui.i18n import Retranslating, error_text
from heatgis.gui.import_menu import add_import_actions
from heatgis.gui.map_canvas import MapCanvas
from heatgis.gui.outputs_menu import add_output_actions
from heatgis.gui.panels.attributes import AttributeTable, IdentifyPanel
from heatgis.gui.panels.impact import ImpactPanel
from heatgis.gui.panels.layers import LayersPanel
from heatgis.gui.panels.timeline import TimelinePanel
from heatgis.gui.plans import PlanDocks
from heatgis.gui.session import ProjectSession
from heatgis.gui.startup import StartUp
from heatgis.gui.statusbar import CoordsLabel, ScaleBox
from heatgis.gui.workers import Worker, compute_timeline, load_project, stop_delivery
from heatgis.model.commands import AddZone, DeleteZone, SetZoneAttributes, new_zone_id
from heatgis.paths import is_bundled_demo

MAX_RECENT = 8


class MainWindow(Retranslating, StartUp, QtWidgets.QMainWindow):
    """HeatGIS desktop.

    Parameters
    ----------
    settings : QSettings, optional
        Where geometry, last project, recent files and language are kept.
    lang : {"zh", "en"}, optional
        Default: the saved choice, else the system language.

    The prompts are attributes so tests can replace them: ``ask_zone(defaults)``
    -> dict or None, ``ask_unsaved()`` -> "save" | "discard" | "cancel",
    ``ask_save_path()`` -> str, ``ask_conflict(exc)`` -> "reload" | "cancel" (a save refused
    because the file changed since it was read), ``error_sink(exc)``.
    """

    projectLoaded = QtCore.Signal()
    timelineReady = QtCore.Signal()

    def __init__(self, settings: QtCore.QSettings | None = None, lang: str | None = None):
        super().__init__()
        self.settings = settings or QtCore.QSettings(ORG, APP)
        self.session: ProjectSession | None = None
        self._map_shown = False  # the open project's first map has been painted (``after_first_map``)
        self._after_map: list = []  # what waits for it, in order
        self.lang = lang or self.settings.value("language", "") or i18n.system_language()
        self._workers: list[Worker] = []
        self._open_worker: Worker | None = None  # File → Open's, while it runs (``_opened``)
        self.canvas = MapCanvas(self)
        self.setCentralWidget(self.canvas)
        self.layers = LayersPanel()
        self.impact = ImpactPanel()
        self.timeline = TimelinePanel()
        self.attributes = AttributeTable()
        self.identify = IdentifyPanel()
        self.plans = PlanDocks(self)  # staffing and routes panels, made when a project loads
        self.docks = make_docks(
            self,
            {
                "layers": self.layers,
                "impact": self.impact,
                "staffing": self.plans.placeholder("staffing"),
                "identify": self.identify,
                "timeline": self.timeline,
                "routes": self.plans.placeholder("routes"),
                "crewops": self.plans.placeholder("crewops"),
                "attributes": self.attributes,
            },
        )
        self.acts = Actions(self)
        for dock in self.docks.values():
            self.acts.docks_menu.addAction(dock.toggleViewAction())
        self.reset_layout_action = add_reset_action(self, self.acts.docks_menu)
        self.tools = {
            "pan": T.PanTool(self.canvas, self),
            "identify": T.IdentifyTool(self.canvas, self),
            "select": T.SelectTool(self.canvas, self),
            "draw_zone": T.DrawZoneTool(self.canvas, self),
            "edit_zone": T.EditZoneTool(self.canvas, self),
            "dispatch": T.DispatchTool(self.canvas, self),
        }
        self.coords = CoordsLabel()
        self.scale = ScaleBox(self)
        self.progress = QtWidgets.QProgressBar()
        self.progress.setMaximumWidth(180)
        self.progress.setVisible(False)
        self.cancel_button = QtWidgets.QToolButton()
        self.cancel_button.setText("✕")
        self.cancel_button.setVisible(False)
        sb = self.statusBar()
        sb.addPermanentWidget(self.progress)
        sb.addPermanentWidget(self.cancel_button)
        sb.addPermanentWidget(self.scale)
        sb.addPermanentWidget(self.coords)
        self.canvas.cursorMoved.connect(self._cursor)
        self.canvas.scaleChanged.connect(self._scale)
        self.layers.styleChanged.connect(self._style_changed)
        self.attributes.rowsSelected.connect(lambda layer, rows: self.session and self.session.select(layer, rows))
        self.attributes.zoomRequested.connect(self._zoom_row)
        self.impact.zoneActivated.connect(self._zoom_zone)
        self.timeline.timeSelected.connect(lambda at: self.session and self.session.set_time(at))
        self.timeline.timeSelected.connect(lambda at: self.acts.heat_margin.isChecked() and self.show_heat_margin(True))
        self.projectLoaded.connect(lambda *a: self.acts.heat_margin.setChecked(False))
        self._timeline_timer = QtCore.QTimer(self, singleShot=True, interval=400, timeout=self.refresh_timeline)
        self.ask_zone = self._ask_zone_dialog
        self.ask_unsaved = self._ask_unsaved_dialog
        self.ask_save_path = self._ask_save_path_dialog
        self.ask_conflict = lambda exc: ask_conflict_dialog(self, exc)
        self.error_sink = None
        self.set_tool("pan")
        self.resize(1400, 900)
        geom = self.settings.value("geometry")
        if geom is not None:
            self.restoreGeometry(geom)
        state = self.settings.value("window_state")
        #: the docks still need their first layout (none restored): done when the window is first shown
        self._layout_pending = state is None or not self.restoreState(state)
        self.acts.set_recent(self.recent())
        add_import_actions(self)
        add_output_actions(self)
        add_database_actions(self)  # File → Open database…, others' edits live, history, read-only
        self.gis_tools = GisTools(self)  # search, measure, hints, bookmarks, basemap, icons
        self.set_language(self.lang)

    # ------------------------------------------------------------ language
    def set_language(self, lang: str) -> None:
        app = QtWidgets.QApplication.instance()
        #: True when the UI is in ``lang`` (English, or the translations of ``lang`` loaded)
        self.translated = i18n.set_language(app, lang)
        if not self.translated:
            self.statusBar().showMessage(self.tr("The translation for {0} was not found").format(lang), 5000)
        self.lang = lang
        if getattr(self.plans, "crewops", None) is not None:
            self.plans.crewops.set_language(lang)
        self.settings.setValue("language", lang)
        self.acts.lang_zh.setChecked(lang == "zh")
        self.acts.lang_en.setChecked(lang == "en")
        if self.session is not None:
            self.session.renderer.style.lang = lang
            self.layers.refresh()
            self.attributes.refresh_layers()
            self.canvas.restyle()
        self.retranslate()

    def showEvent(self, ev) -> None:
        stop_delivery(self, False)  # shown again after a close: its workers deliver again
        if self._layout_pending:  # laid out for the size the window is shown at (docks.py)
            self._layout_pending = False
            arrange_docks(self, self.docks)
        super().showEvent(ev)
        QtCore.QTimer.singleShot(0, self._hide_stray_tab_bars)

    def _hide_stray_tab_bars(self) -> None:
        """Qt 6.11 leaves a stale, visible tab bar behind when two dock groups are tabified before
        the window is shown (it covered the legend title); hide bars that belong to no dock."""
        docks = [d.geometry() for d in self.docks.values() if d.isVisible() and not d.isFloating()]
        for bar in self.findChildren(QtWidgets.QTabBar, options=QtCore.Qt.FindChildOption.FindDirectChildrenOnly):
            g = bar.geometry()
            if bar.isVisible() and not any(
                abs(d.bottom() - g.top()) <= 4 and abs(d.left() - g.left()) <= 4 for d in docks
            ):
                bar.hide()

    def retranslate(self) -> None:
        self.acts.retranslate()
        self.cancel_button.setToolTip(self.tr("Cancel the work in progress"))
        for extra in ("import_actions", "output_actions", "gis_tools", "db"):
            if hasattr(self, extra):
                getattr(self, extra).retranslate()
        titles = {
            "layers": self.tr("Layers"),
            "impact": self.tr("Lockdown impact"),
            "identify": self.tr("Feature attributes"),
            "timeline": self.tr("Timeline"),
            "attributes": self.tr("Attribute table"),
            "staffing": self.tr("Staffing plan"),
            "routes": self.tr("Crew routes"),
            "crewops": self.tr("Crew operations"),
        }
        for k, d in self.docks.items():
            d.setWindowTitle(titles[k])
        self.reset_layout_action.setText(self.tr("Reset layout"))
        self.plans.retranslate()
        self._update_title()
        self._scale(self.canvas.m_per_px())

    def _update_title(self) -> None:
        from heatgis.model.store import is_database_project

        name = self.session.project.name if self.session else ""
        path = self.session.project.path if self.session else None
        if self.session is not None and is_database_project(self.session.project):
            path = self.session.project.origin.target.schema
        ro = ""
        if getattr(self, "db", None) is not None and self.db.read_only:
            ro = " — " + self.tr("read-only")
        self.setWindowTitle(
            f"HeatGIS — {name or self.tr('no project')}" + (f" ({Path(path).name})" if path else "") + ro + "[*]"
        )
        self.setWindowModified(bool(self.session and self.session.dirty))

    # ------------------------------------------------------------ project
    def open_project(self, path, background: bool = True, preloaded=None) -> None:
        """Open a project GeoPackage (in a worker thread; ``projectLoaded`` when shown).

        ``preloaded``: a Future already reading it (``app.run`` starts one before the GUI imports).
        """
        if not self.maybe_save():
            return
        path = str(path)
        vp = self.canvas.viewport()
        work = load_project(path, self.lang, (vp.width(), vp.height()), preloaded, vp.devicePixelRatioF())
        if not background:
            self.set_project(*work(Feedback()))
            return
        from heatgis.paths import is_database_url

        retry = self.db.retry if is_database_url(path) else None  # a database: the connection form, to retry
        self._supersede_open()
        self._open_worker = w = self._run(
            work,
            lambda res: self._opened(w, res),
            self.tr("Opening {0}").format(path),
            on_failed=None if retry is None else (lambda exc: retry(path, exc)),
        )

    def set_project(self, project, engine=None, live=None, renderer=None, first_map=None) -> None:
        """Show ``project``; ``engine``, ``live``, ``renderer`` and ``first_map``: made by the open's
        worker (``load_project``)."""
        self._supersede_open()  # an open still running (a database project or a reload came first)
        switched = self.session is not None
        if switched:
            self.plans.close()
            # it held the whole old project: each open kept the one before alive (hundreds of MB on
            # the 10x city), through the window owning it and the slots of its signals
            self.session.close()
        self.db.stop()  # the old project's follower
        gc.unfreeze()  # the old project's objects: the collector's again, once they are garbage
        self.session = ProjectSession(project, engine, self.lang, self, live=live, renderer=renderer)
        s = self.session
        s.dirtyChanged.connect(lambda d: self._update_title())
        s.stack.subscribe(lambda _cmd, _action: self.acts.update_undo())  # every step, any command
        s.zonesEdited.connect(self._timeline_timer.start)
        s.timeChanged.connect(self.timeline.set_time)
        s.layerChanged.connect(lambda n: n == "lockdown_zones" and self.canvas.viewport().update())
        self.impact.set_session(s, check=False)  # its data check: after the first map (``_show_map``)
        self.attributes.set_session(s)
        # the panels' new minimum sizes (the impact figures' widths) laid out now: the first map is
        # drawn at the size it keeps, not drawn again a few pixels narrower
        for _ in range(3):  # a dock's request reaches the window's layout in the next round
            QtWidgets.QApplication.sendPostedEvents(None, QtCore.QEvent.Type.LayoutRequest)
        self.set_tool(self.canvas.tool.name if self.canvas.tool else "pan")
        if project.path:
            self._remember(str(project.path))
        self._update_title()
        self.acts.update_undo()
        vp = self.canvas.viewport()
        size = (vp.width(), vp.height(), vp.devicePixelRatioF())
        if first_map is not None and first_map.size != size and first_map.renderer is s.renderer:
            # the panels took some of the map's room (wider figures): the first map again, for the
            # room it has, in a worker too (the 10x city: ~0.13 s of the GUI thread otherwise)
            self.canvas.set_session(None)
            self._draw_first_map(s, size, switched)
            return
        self._show_map(s, first_map, switched)

    def refresh_timeline(self, background: bool = True) -> None:
        s = self.session
        if s is None:
            return
        work = compute_timeline(s.project, s.project.layer("lockdown_zones"), s.engine)

        def show(frame):
            if self.session is s:
                self.timeline.set_timeline(frame, s.at)
                self.timelineReady.emit()

        if not background:
            show(work(Feedback()))
        else:
            self._run(work, show, self.tr("Timeline"))

    def _run(self, work, on_done, message: str, on_failed=None) -> Worker:
        w = Worker(work, self, bar=self.progress, cancel_button=self.cancel_button)
        self._workers.append(w)
        self.progress.setVisible(True)
        self.cancel_button.setVisible(True)
        self.progress.setValue(0)
        self.statusBar().showMessage(message)
        w.status_text = message
        w.done.connect(on_done)
        w.cancelled.connect(
            lambda: getattr(w, "superseded", False) or self.show_message(self.tr("Cancelled: nothing was changed"))
        )
        w.failed.connect(lambda exc, tb: (on_failed or self.report_error)(exc))
        w.finished.connect(lambda: self._worker_finished(w))
        w.start()
        return w

    def _worker_finished(self, w) -> None:
        if w in self._workers:
            self._workers.remove(w)
        if w is self._open_worker:  # failed or cancelled: nothing of it to supersede any more
            self._open_worker = None
        if not self._workers:
            self.progress.setVisible(False)
            self.cancel_button.setVisible(False)
            # clear only the worker's own "Writing…" line: keep "Cancelled" or what its result showed
            if self.statusBar().currentMessage() == getattr(w, "status_text", None):
                self.statusBar().clearMessage()
        w.deleteLater()

    def wait_for_workers(self, ms: int = 30000) -> None:
        for w in list(self._workers):
            w.wait(ms)
        self.plans.wait(ms)
        self.impact.wait_quality(ms)

    def save(self) -> bool:
        if self.session is None:
            return False
        from heatgis.model.store import is_database_project, project_location

        if is_database_project(self.session.project):  # back into the database it was read from
            return self._save_to(project_location(self.session.project))
        path = self.session.project.path
        if path is None or is_bundled_demo(path):  # the bundled demo is never overwritten: Save As
            return self.save_as()
        return self._save_to(path)

    def save_as(self, path=None) -> bool:
        if self.session is None:
            return False
        path = path or self.ask_save_path()
        if not path:
            return False
        if not str(path).lower().endswith(".gpkg"):
            path = f"{path}.gpkg"
        if is_bundled_demo(path):
            self.show_message(self.tr("The bundled demo is kept as it is: save the project under another name"))
            return False
        return self._save_to(path)

    def _save_to(self, path) -> bool:
        from heatgis.gui.conflict import reload_and_reapply
        from heatgis.model.store import ConflictError, save_project

        try:
            save_project(self.session.project, path)
        except ConflictError as exc:  # the file changed since it was read: ask, never overwrite
            if self.ask_conflict(exc) == "reload":
                return reload_and_reapply(self, path)
            self.show_message(error_text(exc).splitlines()[0])
            return False
        except HeatGISError as exc:
            self.report_error(exc)
            return False
        self.session.mark_saved()
        self.db.saved()
        self.impact.check_quality()  # the file now holds what was saved
        self._remember(str(path))
        self._update_title()
        self.statusBar().showMessage(self.tr("Saved {0}").format(path), 5000)
        return True

    def maybe_save(self) -> bool:
        """True when it is fine to drop the current project (saved, discarded or clean)."""
        if self.session is None or not self.session.dirty:
            return True
        answer = self.ask_unsaved()
        if answer == "save":
            return self.save()
        return answer == "discard"

    def closeEvent(self, ev) -> None:
        if not self.maybe_save():
            ev.ignore()
            return
        stop_delivery(self)  # from here no worker of this window reaches a slot (results already queued too)
        self._after_map.clear()  # nor the work still waiting for the first map
        self.db.stop()
        for w in list(self._workers):
            w.cancel()
            w.wait(5000)
        self.impact.wait_quality(5000)
        self.plans.close()
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("window_state", self.saveState())
        if self.session is not None and self.session.project.path:
            self.settings.setValue("last_project", str(self.session.project.path))
        ev.accept()

    def recent(self) -> list[str]:
        v = self.settings.value("recent", [])
        return [v] if isinstance(v, str) else list(v or [])

    def _remember(self, path: str) -> None:
        paths = [path] + [p for p in self.recent() if p != path]
        self.settings.setValue("recent", paths[:MAX_RECENT])
        self.settings.setValue("last_project", path)
        self.acts.set_recent(paths[:MAX_RECENT])

    def open_dialog(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(
            self, self.tr("Open project"), "", self.tr("HeatGIS project (*.gpkg)")
        )
        if path:
            self.open_project(path)

    # ------------------------------------------------------------ editing
    def run_command(self, cmd) -> bool:
        if self.db.refuse_edit():
            return False
        try:
            self.session.push(cmd)
        except HeatGISError as exc:
            self.report_error(exc)
            return False
        self.acts.update_undo()
        return True

    def undo(self) -> None:
        """Undo the last edit: a zone edit or a staffing override (one history for both)."""
        if self.session is not None:
            try:
                self.session.stack.undo()
            except HeatGISError as exc:
                self.report_error(exc)
            self.acts.update_undo()

    def redo(self) -> None:
        if self.session is not None:
            try:
                self.session.stack.redo()
            except HeatGISError as exc:
                self.report_error(exc)
            self.acts.update_undo()

    def dispatch_to(self, site_id: str) -> None:
        """Send the nearest free crew to a fault at ``site_id`` (shown in the routes dock and on the map)."""
        self.plans.dispatch(site_id)

    def create_zone(self, polygon) -> bool:
        """Ask for the new zone's attributes and add it (an undoable command)."""
        zid = new_zone_id(self.session.project)
        values = self.ask_zone({"name": zid, "level": "sealed", "start": self.session.at, "end": None})
        if not values:
            return False
        return self.run_command(
            AddZone(
                zid,
                polygon,
                name=values.get("name") or zid,
                level=values["level"],
                start=values["start"],
                end=values.get("end"),
            )
        )

    def edit_zone_attributes(self, zone_id: str) -> bool:
        z = self.session.project.layer("lockdown_zones").set_index("zone_id").loc[zone_id]
        values = self.ask_zone({"name": z["name"], "level": z["level"], "start": z["start"], "end": z["end"]})
        if not values:
            return False
        return self.run_command(SetZoneAttributes(zone_id, **values))

    def delete_selected_zone(self) -> None:
        tool = self.tools["edit_zone"]
        if tool.zone_id:
            tool.key(QtCore.Qt.Key.Key_Delete)
        elif self.session and self.session.selection_layer == "lockdown_zones" and len(self.session.selection):
            zid = self.session.project.layer("lockdown_zones")["zone_id"].iloc[int(self.session.selection[0])]
            self.run_command(DeleteZone(str(zid)))

    def _ask_zone_dialog(self, defaults: dict):
        from heatgis.gui.dialogs.zone_dialog import ZoneDialog

        d = ZoneDialog(
            defaults.get("name", ""), defaults.get("level", "sealed"), defaults.get("start"), defaults.get("end"), self
        )
        return d.values() if d.exec() == QtWidgets.QDialog.DialogCode.Accepted else None

    def _ask_unsaved_dialog(self) -> str:
        B = QtWidgets.QMessageBox.StandardButton
        box = QtWidgets.QMessageBox(
            QtWidgets.QMessageBox.Icon.Question,
            "HeatGIS",
            self.tr("The project has unsaved changes. Save them?"),
            B.Save | B.Discard | B.Cancel,
            self,
        )
        box.setDefaultButton(B.Save)
        box.exec()
        clicked = box.clickedButton()
        r = box.standardButton(clicked) if clicked is not None else B.Cancel
        return {B.Save: "save", B.Discard: "discard"}.get(r, "cancel")

    def _ask_save_path_dialog(self) -> str:
        path, _ = QtWidgets.QFileDialog.getSaveFileName(
            self, self.tr("Save project as"), "", self.tr("HeatGIS project (*.gpkg)")
        )
        return path

    # ------------------------------------------------------------ host services for tools
    def set_tool(self, name: str) -> None:
        self.canvas.set_tool(self.tools[name])
        self.acts.tools[name].setChecked(True)
        if hasattr(self, "gis_tools"):
            self.gis_tools.show_hint(self.tools[name])

    def current_layer(self) -> str:
        return self.layers.current_layer() or "stations"

    def show_identify(self, layer, row) -> None:
        from heatgis.gui.identify_status import site_status

        status = site_status(self, layer, row) if layer is not None and self.session is not None else ()
        self.identify.show_feature(self.session.project if self.session else None, layer, row, self.lang, status)
        if layer is not None:
            self.docks["identify"].raise_()

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 6000)

    def report_error(self, exc) -> None:
        if self.error_sink is not None:
            self.error_sink(exc)
            return
        text = error_text(exc)
        self.show_message(text.splitlines()[0])
        QtWidgets.QMessageBox.warning(self, "HeatGIS", text)

    def show_heat_margin(self, on: bool) -> None:
        """View → stations by heat margin: the 72 h from the session's time (``heatgis heat``'s balance,
        ~20 ms on the demo, so in the GUI thread); the coldest hour's margin of each station's network."""
        s = self.session
        if s is None:
            return
        result = None
        if on:
            from heatgis.analysis.heat import heat_balance
            from heatgis.errors import HeatGISError

            try:
                result = heat_balance(s.project, at=s.at, engine=s.engine, zones=s.live.zones_frame())
            except HeatGISError as exc:
                self.report_error(exc)
                self.acts.heat_margin.setChecked(False)
                return
            t = result.totals()
            self.show_message(
                self.tr("Heat balance at the coldest hour {0} ({1:.1f} °C): {2} of {3} networks in deficit").format(
                    f"{result.coldest_time:%m-%d %H:%M}", result.coldest_c, t["networks_in_deficit"], t["networks"]
                )
            )
        s.show_heat(result)

    # ------------------------------------------------------------ small slots
    def _cursor(self, x, y) -> None:
        self.coords.show_xy(x, y, "EPSG:4546" if self.session is None else str(self.session.project.crs))

    def _scale(self, m_per_px: float) -> None:
        self.scale.show_scale(m_per_px)

    def _style_changed(self) -> None:
        self.canvas.restyle()
        self.attributes.refresh_layers()

    def _zoom_row(self, layer, row) -> None:
        self.session.select(layer, [row])
        self.canvas.zoom_to_selection()

    def _zoom_zone(self, zone_id: str) -> None:
        ids = list(self.session.project.layer("lockdown_zones")["zone_id"].astype(str))
        if zone_id in ids:
            self._zoom_row("lockdown_zones", ids.index(zone_id))
