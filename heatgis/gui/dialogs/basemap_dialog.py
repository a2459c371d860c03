"""View → Basemap…: an MBTiles file or an XYZ tile folder behind the data, offline.

Collects plain values (path, GCJ-02, opacity, shown) and hands them to
``GisTools.set_basemap``, which builds a ``heatgis.render.basemap.Basemap``.
"""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets


class BasemapDialog(QtWidgets.QDialog):
    """Choose the basemap's tiles.

    Parameters
    ----------
    path : str
        The current (or last used) file or folder.
    gcj02 : bool
    opacity : float
    shown : bool
    """

    def __init__(self, path: str = "", gcj02: bool = False, opacity: float = 1.0, shown: bool = True, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Basemap"))
        self.shown = QtWidgets.QCheckBox(self.tr("Show a basemap behind the data"))
        self.shown.setChecked(shown)
        self.path = QtWidgets.QLineEdit(path)
        self.path.setPlaceholderText(self.tr("An .mbtiles file or a folder of z/x/y.png tiles"))
        file_btn = QtWidgets.QPushButton(self.tr("File…"))
        folder_btn = QtWidgets.QPushButton(self.tr("Folder…"))
        file_btn.clicked.connect(self._pick_file)
        folder_btn.clicked.connect(self._pick_folder)
        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(file_btn)
        row.addWidget(folder_btn)
        self.gcj02 = QtWidgets.QCheckBox(self.tr("Tiles are in GCJ-02 (Amap, Tencent): shift them onto WGS84"))
        self.gcj02.setChecked(gcj02)
        self.opacity = QtWidgets.QSpinBox()
        self.opacity.setRange(10, 100)
        self.opacity.setSuffix(" %")
        self.opacity.setValue(int(round(opacity * 100)))
        note = QtWidgets.QLabel(
            self.tr(
                "Nothing is downloaded: the tiles come from the file or folder. "
                "They are reprojected to the project's coordinate system and kept "
                "in a cache on disk."
            )
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        form = QtWidgets.QFormLayout()
        form.addRow(self.shown)
        form.addRow(self.tr("Tiles"), row)
        form.addRow("", self.gcj02)
        form.addRow(self.tr("Opacity"), self.opacity)
        form.addRow(note)
        buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.StandardButton.Ok | QtWidgets.QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QtWidgets.QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(buttons)
        self.resize(560, 0)

    def values(self) -> dict:
        return {
            "path": self.path.text().strip(),
            "gcj02": self.gcj02.isChecked(),
            "opacity": self.opacity.value() / 100.0,
            "shown": self.shown.isChecked(),
        }

    def _pick_file(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(
            self, self.tr("Basemap tiles"), self.path.text(), self.tr("MBTiles (*.mbtiles);;All files (*)")
        )
        if path:
            self.path.setText(path)

    def _pick_folder(self) -> None:
        path = QtWidgets.QFileDialog.getExistingDirectory(self, self.tr("Tile folder (z/x/y.png)"), self.path.text())
        if path:
            self.path.setText(path)


def cache_folder() -> str:
    """Where warped tiles are kept: the user's cache folder (…/HeatGIS/tiles)."""
    base = QtCore.QStandardPaths.writableLocation(QtCore.QStandardPaths.StandardLocation.CacheLocation)
    return str(QtCore.QDir(base or QtCore.QDir.tempPath()).filePath("tiles"))
