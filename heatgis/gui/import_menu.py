"""File → Import layer… and File → Zones from a notice…: the import dialogs on the open project.

Both dialogs push undoable commands onto the session's one undo stack, so Ctrl+Z takes an
import back like any zone edit; the session re-indexes what the import replaced.
"""

from __future__ import annotations

from PySide6 import QtCore, QtGui


class ImportActions(QtCore.QObject):
    """The actions and their slots (kept on ``window.import_actions``)."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        A = QtGui.QAction
        self.import_layer = A(window, shortcut=QtGui.QKeySequence("Ctrl+I"), triggered=self.open_import)
        self.notice = A(window, shortcut=QtGui.QKeySequence("Ctrl+Shift+N"), triggered=self.open_notice)
        menu = window.acts.file_menu
        anchor = window.acts.quit
        menu.insertAction(anchor, self.import_layer)
        menu.insertAction(anchor, self.notice)
        menu.insertSeparator(anchor)
        self.dialog = None
        self.retranslate()
        self._enable(window.session is not None)
        window.projectLoaded.connect(lambda: self._enable(True))

    def retranslate(self) -> None:
        self.import_layer.setText(self.tr("&Import layer…"))
        self.import_layer.setToolTip(
            self.tr(
                "Bring a Shapefile, GeoPackage, GeoJSON, KML, CSV/XLSX, DXF or "
                "OpenStreetMap file into a layer, with a field mapping"
            )
        )
        self.notice.setText(self.tr("Zones from a lockdown &notice…"))
        self.notice.setToolTip(self.tr("Paste or load an announcement; its compound names become zones"))

    def _enable(self, on: bool) -> None:
        self.import_layer.setEnabled(on)
        self.notice.setEnabled(on)

    def open_import(self, modal: bool = True):
        from heatgis.gui.dialogs.import_dialog import ImportDialog

        return self._open(ImportDialog, modal)

    def open_notice(self, modal: bool = True):
        from heatgis.gui.dialogs.notice_dialog import NoticeDialog

        return self._open(NoticeDialog, modal)

    def _open(self, cls, modal: bool):
        s = self.window.session
        if s is None:
            return None
        self.dialog = cls(s.project, s.stack, parent=self.window)
        if modal:
            self.dialog.exec()
        else:
            self.dialog.show()
        return self.dialog


def add_import_actions(window) -> ImportActions:
    window.import_actions = ImportActions(window)
    return window.import_actions
