"""The app on a project in PostgreSQL: File → Open database…, others' edits live, edit history, read-only.

- File → Open database… asks for a connection (:mod:`heatgis.gui.dialogs.database_dialog`);
  the open project's unsaved edits are asked about first, as File → Open does.
- While a database project is open, a :class:`~heatgis.gui.workers.Worker` waits for the
  changes the others commit (``ChangeListener.wait`` in a loop, stopped when the project
  closes). A change to a row the planner has not edited is reloaded
  (``postgis.reload_rows``) and the impact follows (``ProjectSession.update_zones``); a change
  to a row the planner has an unsaved edit on keeps the edit and marks it as a conflict (the
  save is then refused and offers "reload and re-apply"). The status bar says who changed what.
- Edit → Edit history shows the database's audit rows (:mod:`heatgis.gui.panels.history`).
- A user the database grants no UPDATE on the zones gets the project read-only: the editing
  tools are disabled with a tooltip saying why; printing and export stay.

The follower holds the garbage collector off while it runs, like every Worker; a timer in the
GUI thread collects instead (a collection in a worker thread can deadlock against Qt).
"""

from __future__ import annotations

import gc
from datetime import datetime

import pandas as pd
import shiboken6
from PySide6 import QtCore, QtGui, QtWidgets

from heatgis.gui.i18n import error_text
from heatgis.gui.workers import Worker

#: seconds one wait for changes lasts (the follower stops within this after a project closes)
WAIT = 0.5
#: the actions a read-only project disables
EDIT_TOOLS = ("draw_zone", "edit_zone")


class Relay(QtCore.QObject):
    """Carries the follower thread's news to the GUI thread (queued signals)."""

    # each carries the follower's number first: news of a project closed meanwhile is dropped
    changes = QtCore.Signal(int, object)  # list of postgis.Change
    rights = QtCore.Signal(int, bool, str)  # may edit, database user
    lost = QtCore.Signal(int, object)  # HeatGISError
    resync = QtCore.Signal(int, object)  # postgis.row_versions after the connection came back


def follow(project, relay: Relay, n: int = 0):
    """The follower's work: say the user's rights, then pass on others' changes until cancelled."""

    def work(feedback):
        import time

        from heatgis.errors import HeatGISError
        from heatgis.model.store import postgis as pgs

        listener = None
        reported = False
        was_lost = False
        layers = list(project.origin.tables)
        while not feedback.is_canceled():
            try:
                if listener is None:
                    listener = pgs.ChangeListener(project)
                    if not reported:
                        relay.rights.emit(n, *pgs.edit_rights(project))
                        reported = True
                    if was_lost:  # what the others saved meanwhile was not heard: compare the versions
                        relay.resync.emit(n, pgs.row_versions(project, layers))
                        was_lost = False
                found = listener.wait(WAIT)
            except HeatGISError as exc:
                if listener is not None:
                    listener.close()
                    listener = None
                relay.lost.emit(n, exc)
                was_lost = True
                for _ in range(int(5 / 0.25)):  # try again in 5 s
                    if feedback.is_canceled():
                        break
                    time.sleep(0.25)
                continue
            if found:
                relay.changes.emit(n, found)
        if listener is not None:
            listener.close()

    return work


class DatabaseActions(QtCore.QObject):
    """File → Open database…, Edit → Edit history, the follower and read-only (``window.db``)."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.read_only = False
        self.db_user = ""
        self._tips: dict[int, str] = {}  # the tooltips the read-only note replaced
        self.follower: Worker | None = None
        self.relay = Relay(self)
        self._n = 0  # the current follower's number
        self.relay.changes.connect(lambda n, x: n == self._n and self.on_changes(x))
        self.relay.rights.connect(lambda n, ok, user: n == self._n and self.set_rights(ok, user))
        self.relay.lost.connect(lambda n, x: n == self._n and self._lost(x))
        self.relay.resync.connect(lambda n, x: n == self._n and self.on_resync(x))
        #: (layer, row id) -> Change: others' changes to rows the planner has unsaved edits on
        self.conflicts: dict[tuple[str, str], object] = {}
        self.history = None
        self._gc_ticks = 0
        self._gc_timer = QtCore.QTimer(self, interval=5000, timeout=self._collect)
        A = QtGui.QAction
        self.open_db = A(window, triggered=self.open_dialog)
        self.history_action = A(window, triggered=self.show_history)
        acts = window.acts
        acts.file_menu.insertAction(acts.recent_menu.menuAction(), self.open_db)
        acts.edit_menu.addSeparator()
        acts.edit_menu.addAction(self.history_action)
        self.conflict_label = QtWidgets.QLabel()
        self.conflict_label.setVisible(False)
        window.statusBar().insertPermanentWidget(0, self.conflict_label)
        #: the latest note on others' changes (permanent: the workers' own messages replace temporary ones)
        self.note_label = QtWidgets.QLabel()
        window.statusBar().insertPermanentWidget(0, self.note_label)
        self._note_timer = QtCore.QTimer(self, singleShot=True, interval=60000, timeout=self.note_label.clear)
        window.projectLoaded.connect(self._project_loaded)
        self.dialog = None
        self.modal = True  # the forms wait for their answer (tests show them without waiting)
        self.retranslate()
        self.history_action.setEnabled(False)

    def retranslate(self) -> None:
        self.open_db.setText(self.tr("Open &database…"))
        self.open_db.setToolTip(self.tr("Open a project shared on a PostgreSQL/PostGIS server"))
        self.history_action.setText(self.tr("Edit &history…"))
        self.history_action.setToolTip(self.tr("Who changed what in the shared project, and when"))
        self._show_conflicts()
        self._apply_read_only()

    # ------------------------------------------------------------ opening
    def open_dialog(self, modal: bool = True):
        """Ask for a connection and open the project there (the current one's unsaved edits asked first)."""
        if not self.window.maybe_save():
            return None
        from heatgis.gui.dialogs.database_dialog import DatabaseDialog

        self.dialog = DatabaseDialog(self.window.settings, self.window)
        self.dialog.opened.connect(lambda res: self.window.set_project(*res))
        if modal:
            self.dialog.exec()
        else:
            self.dialog.show()
        return self.dialog

    def retry(self, url: str, exc):
        """Opening ``url`` failed (``heatgis URL``, Open recent): the connection form with the URL and the
        error, to correct it or type the password and try again."""
        from heatgis.gui.dialogs.database_dialog import DatabaseDialog

        self.dialog = DatabaseDialog(self.window.settings, self.window, url=url)
        self.dialog._failed(exc)
        self.dialog.opened.connect(lambda res: self.window.set_project(*res))
        if self.modal:
            self.dialog.exec()
        else:
            self.dialog.show()
        return self.dialog

    def is_database(self) -> bool:
        from heatgis.model.store import is_database_project

        s = self.window.session
        return s is not None and is_database_project(s.project)

    def _project_loaded(self) -> None:
        self.stop()
        self.conflicts.clear()
        self._show_conflicts()
        self.note_label.clear()
        self.read_only = False
        self.db_user = ""
        self._apply_read_only()
        on = self.is_database()
        self.history_action.setEnabled(on)
        if self.history is not None and shiboken6.isValid(self.history):
            self.history.close()
            self.history = None
        if on:
            self.start()

    # ------------------------------------------------------------ following the others
    def start(self) -> None:
        s = self.window.session
        self._n += 1
        self.follower = Worker(follow(s.project, self.relay, self._n), self)
        self.follower.finished.connect(self.follower.deleteLater)
        self.follower.start()
        self._gc_timer.start()

    def stop(self, ms: int = 5000) -> None:
        """Stop following (a project closes or another opens); waits for the thread to end."""
        w, self.follower = self.follower, None
        self._n += 1  # what it still sends is dropped
        self._gc_timer.stop()
        if w is not None and shiboken6.isValid(w):
            w.cancel()
            w.wait(ms)

    def _collect(self) -> None:
        """The collector's work while the follower holds it off, in the GUI thread: the young objects
        every 5 s (~1 ms on the demo), everything every 2 min (~90 ms)."""
        self._gc_ticks += 1
        gc.collect(2 if self._gc_ticks % 24 == 0 else 1)

    def _lost(self, exc) -> None:
        self._note(
            [self.tr("Not following the others' edits: {0} (trying again)").format(error_text(exc).splitlines()[0])]
        )

    def on_changes(self, changes) -> None:
        """Take the others' committed changes into the open project (the GUI thread)."""
        from heatgis.model.schema import spec

        s = self.window.session
        if s is None or not self.is_database():
            return
        project = s.project
        origin = project.origin
        mine = origin.last_pid
        by_layer: dict[str, list] = {}
        for c in changes:
            if c.pid is not None and c.pid == mine:
                continue  # our own save
            if c.layer not in origin.tables or not spec(c.layer).id_field:
                continue
            known = origin.versions.get(c.layer, {}).get(c.fid)
            if c.op != "DELETE" and known is not None and c.version is not None and known >= c.version:
                continue  # already read (the save or a reload was newer)
            by_layer.setdefault(c.layer, []).append(c)
        self._take({layer: {c.row_id: c for c in cs} for layer, cs in by_layer.items()})
        # short on the bar (the conflict label beside it warns); the tooltip says which ones conflict
        changes = [c for cs in by_layer.values() for c in cs]
        self._note(
            [self.describe(c) for c in changes],
            [self.describe(c, (c.layer, c.row_id) in self.conflicts) for c in changes],
        )

    def on_resync(self, versions) -> None:
        """The connection came back: reload the rows whose versions changed meanwhile."""
        from heatgis.model.store import postgis as pgs

        if not self.is_database():
            return
        stale = pgs.stale_rows(self.window.session.project, versions)
        n = sum(len(ids) for ids in stale.values())
        if not n:
            self._note([self.tr("Following the others' edits again")])
            return
        who = self.tr("another planner")
        self._take(
            {
                layer: {r: pgs.Change(layer, "UPDATE", r, None, who, "", None, None) for r in ids}
                for layer, ids in stale.items()
            }
        )
        self._note([self.tr("Following the others' edits again: {0} row(s) they changed meanwhile taken in").format(n)])

    def _take(self, by_layer: dict) -> None:
        """Reload the rows ``{layer: {row id: Change}}`` the planner has not edited; mark the others."""
        from heatgis.errors import HeatGISError
        from heatgis.model.store import postgis as pgs

        s = self.window.session
        for layer, changes in by_layer.items():
            ids = list(changes)
            edited = locally_edited(s.project, layer, ids)
            for r in edited:
                self.conflicts[(layer, r)] = changes[r]
            clean = [r for r in ids if r not in edited]
            if clean:
                try:
                    pgs.reload_rows(s.project, layer, clean)
                except HeatGISError as exc:
                    self.window.show_message(error_text(exc).splitlines()[0])
                    continue
                if layer == "lockdown_zones":
                    s.update_zones(clean)
                    self.window.canvas.viewport().update()
        self._show_conflicts()

    def _note(self, notes: list[str], details: list[str] | None = None) -> None:
        if notes:
            self.note_label.setText("; ".join(notes[-2:]))
            self.note_label.setToolTip("\n".join(details or notes))
            self._note_timer.start()

    def describe(self, change, conflict: bool = False) -> str:
        """ "alice changed lockdown_zones Z-005 (13:02)" in the UI's language."""
        text = {
            "INSERT": self.tr("{0} added {1} {2} ({3})"),
            "DELETE": self.tr("{0} deleted {1} {2} ({3})"),
        }.get(change.op, self.tr("{0} changed {1} {2} ({3})"))
        text = text.format(change.user, layer_title(self.window, change.layer), change.row_id, local_time(change.at))
        if conflict:
            text += self.tr(" — you have an unsaved edit on it: saving will offer to reload and re-apply")
        return text

    def _show_conflicts(self) -> None:
        n = len(self.conflicts)
        self.conflict_label.setVisible(n > 0)
        if n:
            self.conflict_label.setText(self.tr("⚠ {0} of your edits conflict").format(n))
            self.conflict_label.setToolTip(
                "\n".join(self.describe(c) for c in self.conflicts.values())
                + "\n"
                + self.tr("Save to reload those rows and apply your edits again.")
            )

    def saved(self) -> None:
        """After a save (the conflicts were reloaded and re-applied, or there were none)."""
        self.conflicts.clear()
        self._show_conflicts()

    # ------------------------------------------------------------ read-only
    def set_rights(self, can_edit: bool, user: str) -> None:
        self.read_only = not can_edit
        self.db_user = user
        self._apply_read_only()
        self.window._update_title()

    def _apply_read_only(self) -> None:
        w = self.window
        ro = self.read_only
        why = (
            self.tr("Read-only: the database lets {0} view and print this project, not edit it").format(self.db_user)
            if ro
            else ""
        )
        actions = [w.acts.tools[t] for t in EDIT_TOOLS] + [w.acts.delete_zone, w.acts.save]
        if hasattr(w, "import_actions"):
            actions += [w.import_actions.import_layer, w.import_actions.notice]
        for a in actions:
            if ro:
                self._tips.setdefault(id(a), a.toolTip() if a.toolTip() != a.text().replace("&", "") else "")
                a.setEnabled(False)
                a.setToolTip(why)
            elif id(a) in self._tips:
                a.setToolTip(self._tips.pop(id(a)))
                a.setEnabled(True)  # read-only comes only with an open project
        if ro and w.canvas.tool is not None and w.canvas.tool.name in EDIT_TOOLS:
            w.set_tool("pan")

    def refuse_edit(self) -> bool:
        """True (and a note) when the project is read-only: the window does not run the edit."""
        if self.read_only:
            self.window.show_message(
                self.tr("Read-only: the database lets {0} view and print this project, not edit it").format(
                    self.db_user
                )
            )
        return self.read_only

    # ------------------------------------------------------------ history
    def show_history(self):
        """Edit → Edit history: the audit rows of the open database project (a non-modal dialog)."""
        if not self.is_database():
            return None
        from heatgis.gui.panels.history import HistoryDialog
        from heatgis.model.schema import spec

        s = self.window.session
        if self.history is None or not shiboken6.isValid(self.history):
            self.history = HistoryDialog(s.project, self.window)
        self.history.show()
        self.history.raise_()
        layer, row = "", ""
        id_field = spec(s.selection_layer).id_field if s.selection_layer else None
        if id_field and len(s.selection) == 1:  # one feature selected: its history
            layer = s.selection_layer
            row = str(s.project.layer(layer)[id_field].iloc[int(s.selection[0])])
        self.history.filter(layer, row)
        return self.history


def locally_edited(project, layer: str, ids) -> set[str]:
    """The row ids among ``ids`` the planner changed since they were read (unsaved)."""
    import shapely

    from heatgis.model.schema import spec

    id_field = spec(layer).id_field
    now = project.layers.get(layer)
    read = project.origin.layers[layer].frame
    if now is None:
        return set(ids)
    out = set()
    now_ids = now[id_field].astype(str)
    read_ids = read[id_field].astype(str)
    for r in ids:
        a, b = now[(now_ids == r).to_numpy()], read[(read_ids == r).to_numpy()]
        if len(a) != len(b):
            out.add(r)
            continue
        if not len(a):
            continue
        x, y = a.iloc[0], b.iloc[0]
        for col in a.columns:
            u, v = x.get(col), y.get(col)
            if isinstance(u, shapely.Geometry) or isinstance(v, shapely.Geometry):
                same = isinstance(u, shapely.Geometry) and isinstance(v, shapely.Geometry) and u.equals_exact(v, 0)
            elif pd.isna(u) if not hasattr(u, "__len__") or isinstance(u, str) else False:
                same = v is None or (not hasattr(v, "__len__") and pd.isna(v))
            else:
                try:
                    same = bool(u == v)
                except (TypeError, ValueError):
                    same = str(u) == str(v)
            if not same:
                out.add(r)
                break
    return out


def layer_title(window, layer: str) -> str:
    """The layer's name as the map's legend shows it in the UI's language (its table name otherwise)."""
    from heatgis.gui.i18n import current_language

    s = window.session
    style = s.renderer.style.get(layer) if s is not None else None
    return style.title(current_language()) if style is not None else layer


def local_time(at: str) -> str:
    """An ISO time of the server as HH:MM on this computer's clock."""
    try:
        t = pd.Timestamp(at)
    except (ValueError, TypeError):
        return str(at)[11:16]
    if t.tzinfo is not None:
        t = t.tz_convert(datetime.now().astimezone().tzinfo)
    return f"{t:%H:%M}"


def add_database_actions(window) -> DatabaseActions:
    window.db = DatabaseActions(window)
    return window.db
