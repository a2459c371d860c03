"""The tools a GIS user reaches for, wired into the main window (kept out of main_window.py).

- a search box in the tool bar (``gui/search.py``; Ctrl+K),
- the measure tool (``gui/tools/measure.py``; M), its live reading in the status bar,
- a hint line in the status bar for the tool in hand ("click to add, double-click to finish,
  Esc to cancel" while drawing a zone),
- Edit → Undo history (``gui/history.py``: the undo stack as a list, go back to any step),
- View → Bookmarks (``gui/bookmarks.py``, saved in the project),
- View → Basemap… (``render/basemap.py``: MBTiles or an XYZ folder, offline, GCJ-02 aware),
- icons on the tool bar actions and tooltips naming their shortcuts.
"""

from __future__ import annotations

from pathlib import Path

from PySide6 import QtCore, QtGui, QtWidgets

from heatgis.errors import HeatGISError
from heatgis.gui.bookmarks import BookmarksMenu
from heatgis.gui.history import HistoryMenu
from heatgis.gui.icons import icon, tooltip_with_shortcut
from heatgis.gui.search import SearchBox
from heatgis.gui.statusbar import HintLabel
from heatgis.gui.tools.measure import MeasureTool
from heatgis.model.basemap_choice import META_KEY, basemap_choice, basemap_value
from heatgis.model.commands import SetMeta

ICONS = {
    "pan": "pan",
    "identify": "identify",
    "select": "select",
    "draw_zone": "draw_zone",
    "edit_zone": "edit_zone",
    "dispatch": "dispatch",
    "measure": "measure",
}


class GisTools(QtCore.QObject):
    """Adds search, measure, hints, bookmarks, basemap, icons and tooltips to ``window``."""

    def __init__(self, window):
        super().__init__(window)
        w = self.window = window
        acts = w.acts
        # the measure tool, in the tools' action group
        w.tools["measure"] = MeasureTool(w.canvas, w)
        a = QtGui.QAction(w, checkable=True, shortcut=QtGui.QKeySequence("M"))
        a.triggered.connect(lambda checked=False: w.set_tool("measure"))
        group = getattr(acts, "tool_group", None)
        if group is not None:
            group.addAction(a)
        acts.tools["measure"] = a
        acts.tools_menu.addAction(a)
        tb = acts.toolbar
        dispatch = acts.tools.get("dispatch")
        after = tb.actions()
        if dispatch in after and after.index(dispatch) + 1 < len(after):
            tb.insertAction(after[after.index(dispatch) + 1], a)
        else:
            tb.addAction(a)
        # status bar: the hint / measure reading on the left
        self.hint = HintLabel()
        w.statusBar().addWidget(self.hint, 1)
        # search box at the end of the tool bar
        tb.addSeparator()
        self.search = SearchBox(w)
        self.search.addAction(icon("search"), QtWidgets.QLineEdit.ActionPosition.LeadingPosition)
        tb.addWidget(self.search)
        # Edit → Undo history: the undo stack as a list
        self.history = HistoryMenu(w, acts.edit_menu)
        # View menu: bookmarks, basemap
        acts.view_menu.addSeparator()
        self.bookmarks = BookmarksMenu(w, acts.view_menu)
        self.basemap_action = QtGui.QAction(w, triggered=self.open_basemap_dialog)
        acts.view_menu.addAction(self.basemap_action)
        # the plans' legend over the map (it may be switched off to see the map under it)
        self.legend_action = QtGui.QAction(w, checkable=True, checked=True)
        self.legend_action.toggled.connect(self._show_legend)
        acts.view_menu.addAction(self.legend_action)
        self.basemap_path = str(w.settings.value("basemap/path", "") or "")
        self.basemap_gcj02 = str(w.settings.value("basemap/gcj02", "false")).lower() == "true"
        self.basemap_opacity = 1.0
        self.ask_basemap = self._ask_basemap_dialog
        # icons
        for name, act in acts.tools.items():
            act.setIcon(icon(ICONS.get(name, name)))
        for name in ("open", "save", "undo", "redo", "zoom_full", "zoom_selection"):
            getattr(acts, name).setIcon(icon(name))
        self.bookmarks.add.setIcon(icon("bookmark"))
        self.basemap_action.setIcon(icon("basemap"))
        w.projectLoaded.connect(self._project_loaded)

    # ------------------------------------------------------------------ text
    def retranslate(self) -> None:
        acts = self.window.acts
        acts.tools["measure"].setText(self.tr("Measure distance and area"))
        self.basemap_action.setText(self.tr("Basemap…"))
        self.legend_action.setText(self.tr("Plan legend on the map"))
        self.search.retranslate()
        self.bookmarks.retranslate()
        self.history.retranslate()
        self.window.scale.retranslate() if hasattr(self.window.scale, "retranslate") else None
        for a in acts.toolbar.actions():
            if a.text():
                a.setToolTip(tooltip_with_shortcut(a))
        self.show_hint()

    def _show_legend(self, on: bool) -> None:
        self.window.canvas.show_overlay_legend = bool(on)
        self.window.canvas.viewport().update()

    # ------------------------------------------------------------------ hints
    def hints(self) -> dict:
        return {
            "pan": self.tr("Drag to pan, wheel to zoom"),
            "identify": self.tr("Click a feature to see its attributes"),
            "select": self.tr("Click a feature or drag a box to select"),
            "draw_zone": self.tr(
                "Click to add a vertex, double-click to finish, Backspace removes the last, Esc to cancel"
            ),
            "edit_zone": self.tr(
                "Click a zone, drag its vertices; Delete removes it, double-click edits it, Esc to cancel"
            ),
            "dispatch": self.tr("Click a station or boiler room to send the nearest free crew"),
            "measure": self.tr(
                "Click to add a point, double-click to finish, Backspace removes the last, Esc to cancel"
            ),
        }

    def show_hint(self, tool=None) -> None:
        """Show what the tool in hand expects (``tool`` default: the canvas's)."""
        tool = tool or self.window.canvas.tool
        self.hint.setText(self.hints().get(getattr(tool, "name", ""), ""))

    def show_measure(self, text: str) -> None:
        """The measure tool's live reading (empty: back to the hint)."""
        if text:
            self.hint.setText(text)
        else:
            self.show_hint()

    # ------------------------------------------------------------------ basemap
    def _project_loaded(self) -> None:
        """The project's own basemap (saved in it), or none; undo/redo of a basemap change re-applies it."""
        self.bookmarks.rebuild()
        s = self.window.session
        if s is None:
            return
        s.stack.subscribe(lambda cmd, action: self._basemap_command(s, cmd, action))
        self.apply_project_basemap(quiet=True)
        # the search index is built (in a worker) when the planner first goes to the search box: right
        # after the open it would compete with the first plans for the GUI thread's time

    def _basemap_command(self, s, cmd, action) -> None:
        if self.window.session is s and action in ("undo", "redo") and getattr(cmd, "key", None) == META_KEY:
            self.apply_project_basemap()

    def apply_project_basemap(self, quiet: bool = False) -> bool:
        """Show the basemap the project names (none when it names none); ``quiet``: a missing tile file
        is a status-bar message, not a dialog (a project opened on another machine)."""
        s = self.window.session
        choice = basemap_choice(s.project) if s is not None else None
        if choice is None:
            return self.set_basemap(None, record=False)
        if quiet and not Path(choice["path"]).exists():
            self.window.show_message(
                self.tr("The project's basemap {0} was not found: shown without it").format(choice["path"])
            )
            return self.set_basemap(None, record=False)
        return self.set_basemap(choice["path"], choice["gcj02"], choice["opacity"], record=False)

    def set_basemap(
        self, path: str | None, gcj02: bool = False, opacity: float = 1.0, cache_dir=None, record: bool = True
    ) -> bool:
        """Draw the tiles of ``path`` (an .mbtiles file or a z/x/y folder) behind the data; None: none.

        ``record``: keep the choice in the project (a ``SetMeta`` command on its undo stack, saved with it)."""
        from heatgis.render.basemap import Basemap

        s = self.window.session
        bm = None
        if path:
            if cache_dir is None:
                from heatgis.gui.dialogs.basemap_dialog import cache_folder

                cache_dir = cache_folder()
            crs = s.project.crs if s is not None else "EPSG:4546"
            try:
                bm = Basemap(path, crs, gcj02=gcj02, cache_dir=cache_dir, opacity=opacity)
            except HeatGISError as exc:
                self.window.report_error(exc)
                return False
            self.basemap_path, self.basemap_gcj02, self.basemap_opacity = str(path), bool(gcj02), float(opacity)
            self.window.settings.setValue("basemap/path", str(path))
            self.window.settings.setValue("basemap/gcj02", "true" if gcj02 else "false")
        self._basemap = bm
        if s is not None:
            if record:
                value = basemap_value(s.project, path, gcj02, opacity)
                if value != s.project.meta.get(META_KEY):
                    self.window.run_command(SetMeta(META_KEY, value, "change basemap"))
            none = bm is None and s.renderer.basemap is None  # none before either: nothing to draw again
            s.renderer.set_basemap(bm)
            if not none:  # (an open: the first map the open's worker rendered stays good)
                self.window.canvas.restyle()
        return True

    def open_basemap_dialog(self) -> None:
        v = self.ask_basemap()
        if v is None:
            return
        self.set_basemap(v["path"] if v["shown"] else None, v["gcj02"], v["opacity"])

    def _ask_basemap_dialog(self):
        from heatgis.gui.dialogs.basemap_dialog import BasemapDialog

        shown = getattr(self, "_basemap", None) is not None
        d = BasemapDialog(
            self.basemap_path, self.basemap_gcj02, self.basemap_opacity, shown or not self.basemap_path, self.window
        )
        return d.values() if d.exec() == QtWidgets.QDialog.DialogCode.Accepted else None
