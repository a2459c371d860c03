"""A save refused because the file changed since it was read: ask, reload, re-apply, save.

The planner's edits are commands on the one undo stack. "Reload and re-apply my
edits" reads the project again from its file (with the other program's
changes), does the unsaved commands again on it, keeps the whole undo history,
and saves. Cancel leaves everything as it was: the edits stay on the stack and
the window stays dirty.
"""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from heatgis.errors import HeatGISError
from heatgis.gui.i18n import current_language, translate
from heatgis.text import localize


def ask_conflict_dialog(parent, exc) -> str:
    """ "reload" or "cancel", asked in a message box that says what changed."""
    tr = QtCore.QCoreApplication
    box = QtWidgets.QMessageBox(parent)
    box.setIcon(QtWidgets.QMessageBox.Icon.Warning)
    box.setWindowTitle("HeatGIS")
    lang = current_language()  # the core's lines (layer and row counts, who and when) in the UI's language
    changes = [localize(c, lang) for c in getattr(exc, "changes", None) or [str(exc)]]
    if hasattr(exc, "rows"):  # a project in the database: rows another planner changed (RowConflictError)
        head = tr.translate(
            "Conflict", "Another planner changed rows you edited since you read them. Nothing was saved."
        )
        what = tr.translate("Conflict", "What the others changed:")
        ask = tr.translate(
            "Conflict",
            "Reload the project from the database and apply your edits again? Your edits stay on the undo stack.",
        )
    else:
        head = tr.translate(
            "Conflict", "The project file was changed by another program since you opened it. Nothing was saved."
        )
        what = tr.translate("Conflict", "What changed in the file:")
        ask = tr.translate(
            "Conflict",
            "Reload the project from the file and apply your edits again? Your edits stay on the undo stack.",
        )
    box.setText(head)
    box.setInformativeText(what + "\n" + "\n".join(f"• {c}" for c in changes) + "\n\n" + ask)
    reload = box.addButton(
        tr.translate("Conflict", "Reload and re-apply my edits"), QtWidgets.QMessageBox.ButtonRole.AcceptRole
    )
    box.addButton(QtWidgets.QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(reload)
    box.exec()
    return "reload" if box.clickedButton() is reload else "cancel"


def reload_and_reapply(window, path) -> bool:
    """Reload ``path``, do the unsaved commands again on it, adopt the history, save; True when saved."""
    from heatgis.model.store import open_project

    old = window.session
    commands = old.stack.unsaved()
    if commands is None:
        window.report_error(
            HeatGISError(
                translate(
                    "Conflict",
                    "Your edits include undoing edits that were saved: they cannot be re-applied automatically.",
                ),
                translate("Conflict", "Note your edits, reopen the project (File → Open) and make them again."),
                file=path,
            )
        )
        return False
    QtWidgets.QApplication.setOverrideCursor(QtCore.Qt.CursorShape.WaitCursor)
    try:
        project = open_project(path)
        for cmd in commands:
            cmd.do(project)
    except HeatGISError as exc:
        QtWidgets.QApplication.restoreOverrideCursor()
        window.report_error(
            HeatGISError(
                translate(
                    "Conflict",
                    "Your edits could not be re-applied to the file as it is now ({0}); nothing was changed.",
                ).format(exc.problem.message),
                translate("Conflict", "Reopen the project (File → Open) and make your edits again."),
                file=path,
            )
        )
        return False
    try:
        window.set_project(project)
        window.session.adopt_history(old)
    finally:
        QtWidgets.QApplication.restoreOverrideCursor()
    return window._save_to(path)
