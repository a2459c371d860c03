"""The import dialog: file, target layer, encoding, coordinate system, preview, field mapping.

Thin: it collects plain values and calls :func:`heatgis.io.importer.import_layer`
(the same function as ``heatgis import``); OK applies the result as one undoable
command. Errors are shown in the dialog; the project is untouched until OK succeeds.
"""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets
from PySide6.QtCore import QT_TRANSLATE_NOOP

from heatgis.errors import HeatGISError
from heatgis.gui.i18n import current_language, error_text, problem_text
from heatgis.io.mapping import FieldMapping, FieldRule, suggest_mapping
from heatgis.model.schema import LAYERS, spec
from heatgis.text import localize

#: (label, value); the labels are translated in the "ImportDialog" context
ENCODINGS = [
    (QT_TRANSLATE_NOOP("ImportDialog", "automatic"), None),
    ("UTF-8", "utf-8"),
    ("GBK / GB18030", "gbk"),
    ("Latin-1", "latin1"),
]
CRS_CHOICES = [
    (QT_TRANSLATE_NOOP("ImportDialog", "from the file (or guessed)"), None),
    (QT_TRANSLATE_NOOP("ImportDialog", "GCJ-02 (Amap, Tencent)"), "gcj02"),
    (QT_TRANSLATE_NOOP("ImportDialog", "BD-09 (Baidu)"), "bd09"),
    (QT_TRANSLATE_NOOP("ImportDialog", "WGS84 longitude/latitude"), "wgs84"),
    ("EPSG:4546 CGCS2000 CM 111E", "EPSG:4546"),
    (QT_TRANSLATE_NOOP("ImportDialog", "EPSG:4525 CGCS2000 zone 37"), "EPSG:4525"),
    (QT_TRANSLATE_NOOP("ImportDialog", "EPSG:4490 CGCS2000 longitude/latitude"), "EPSG:4490"),
]
#: the mapping table's first two choices (their data; the texts are translated)
NONE = "—"
CONSTANT = "= constant"
FILTER = QT_TRANSLATE_NOOP(
    "ImportDialog",
    "Shapefile, GeoPackage, GeoJSON, KML, CSV, Excel, DXF, OSM (*.shp *.gpkg *.geojson *.json *.kml *.kmz "
    "*.csv *.txt *.xlsx *.dxf *.osm *.pbf *.fgb);;All files (*)",
)


class ImportDialog(QtWidgets.QDialog):
    """Import a foreign file into one layer of ``project``.

    Parameters
    ----------
    project : Project
    stack : UndoStack, optional
        The import is pushed on it (undoable); without one it is applied directly.
    parent : QWidget, optional
    """

    PREVIEW_ROWS = 20

    def __init__(self, project, stack=None, parent=None):
        super().__init__(parent)
        self.project, self.stack = project, stack
        self.result = None
        self.source = None
        #: ``ask_mode(layer, rows) -> "replace" | "append" | None`` (None = cancel); a message box
        #: by default, replaced in tests
        self.ask_mode = self._ask_mode_dialog
        self.setWindowTitle(self.tr("Import data"))
        self.resize(900, 680)

        self.file_edit = QtWidgets.QLineEdit()
        browse = QtWidgets.QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        self.layer_combo = QtWidgets.QComboBox()
        zh = current_language() == "zh"
        for name, s in LAYERS.items():
            self.layer_combo.addItem(f"{s.title_zh} ({name})" if zh else s.title_en, name)
        self.source_layer_combo = QtWidgets.QComboBox()
        self.encoding_combo = QtWidgets.QComboBox()
        for label, v in ENCODINGS:
            self.encoding_combo.addItem(self.tr(label), v)
        self.crs_combo = QtWidgets.QComboBox()
        self.crs_combo.setEditable(True)
        for label, v in CRS_CHOICES:
            self.crs_combo.addItem(self.tr(label), v)
        self.mode_combo = QtWidgets.QComboBox()
        self.mode_combo.addItem(self.tr("ask when the layer has rows"), "ask")
        self.mode_combo.addItem(self.tr("replace the layer"), "replace")
        self.mode_combo.addItem(self.tr("append to it"), "append")

        form = QtWidgets.QFormLayout()
        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.file_edit)
        row.addWidget(browse)
        form.addRow(self.tr("File"), row)
        form.addRow(self.tr("Layer"), self.layer_combo)
        form.addRow(self.tr("Source layer or sheet"), self.source_layer_combo)
        form.addRow(self.tr("Encoding"), self.encoding_combo)
        form.addRow(self.tr("Coordinates"), self.crs_combo)
        form.addRow(self.tr("Mode"), self.mode_combo)

        self.preview = QtWidgets.QTableWidget()
        self.preview.setEditTriggers(QtWidgets.QAbstractItemView.NoEditTriggers)
        self.mapping_table = QtWidgets.QTableWidget(0, 4, objectName="mapping")
        self.mapping_table.setHorizontalHeaderLabels(
            [self.tr("Field"), self.tr("Meaning"), self.tr("Source column"), self.tr("Factor or value")]
        )
        self.mapping_table.horizontalHeader().setStretchLastSection(True)
        self.notes = QtWidgets.QPlainTextEdit()
        self.notes.setReadOnly(True)
        self.notes.setMaximumHeight(140)

        tabs = QtWidgets.QTabWidget()
        tabs.addTab(self.preview, self.tr("Preview"))
        tabs.addTab(self.mapping_table, self.tr("Field mapping"))

        load_m = QtWidgets.QPushButton(self.tr("Load mapping…"))
        save_m = QtWidgets.QPushButton(self.tr("Save mapping…"))
        check = QtWidgets.QPushButton(self.tr("Check"))
        load_m.clicked.connect(self._load_mapping)
        save_m.clicked.connect(self._save_mapping)
        check.clicked.connect(lambda: self.start(apply=False))
        self.check_button = check
        self.buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.Ok | QtWidgets.QDialogButtonBox.Cancel)
        self.buttons.button(QtWidgets.QDialogButtonBox.Ok).setText(self.tr("Import"))
        self.buttons.accepted.connect(lambda: self.start(apply=True))
        self.buttons.rejected.connect(self._cancel_or_reject)
        self.progress = QtWidgets.QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setVisible(False)
        self.worker = None
        bar = QtWidgets.QHBoxLayout()
        for b in (load_m, save_m, check):
            bar.addWidget(b)
        bar.addWidget(self.progress, 1)
        bar.addStretch(1)
        bar.addWidget(self.buttons)

        lay = QtWidgets.QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(tabs, 1)
        lay.addWidget(self.notes)
        lay.addLayout(bar)

        self.file_edit.editingFinished.connect(lambda: self.set_file(self.file_edit.text()))
        self.layer_combo.currentIndexChanged.connect(lambda _: self._refresh_mapping())
        self.source_layer_combo.activated.connect(lambda _: self._reload())
        self.encoding_combo.currentIndexChanged.connect(lambda _: self._reload())

    # ------------------------------------------------------------ values
    def layer(self) -> str:
        return self.layer_combo.currentData()

    def set_layer(self, name: str) -> None:
        self.layer_combo.setCurrentIndex(self.layer_combo.findData(name))

    def set_mode(self, mode: str) -> None:
        """``ask`` (default), ``replace`` or ``append``."""
        self.mode_combo.setCurrentIndex(self.mode_combo.findData(mode))

    def import_mode(self) -> str | None:
        """How the rows go into the layer: the mode chosen, or asked when the layer already has rows
        (None when the planner cancels)."""
        mode = self.mode_combo.currentData()
        if mode != "ask":
            return mode
        layer = self.layer()
        rows = len(self.project.layer(layer)) if self.project.has(layer) else 0
        return "replace" if rows == 0 else self.ask_mode(layer, rows)

    def _ask_mode_dialog(self, layer: str, rows: int) -> str | None:
        box = QtWidgets.QMessageBox(self)
        box.setWindowTitle(self.tr("Import data"))
        box.setText(self.tr("The layer {0} already has {1} rows.").format(layer, rows))
        append = box.addButton(self.tr("Append"), QtWidgets.QMessageBox.ButtonRole.AcceptRole)
        replace = box.addButton(self.tr("Replace"), QtWidgets.QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QtWidgets.QMessageBox.StandardButton.Cancel)
        box.exec()
        return {append: "append", replace: "replace"}.get(box.clickedButton())

    def encoding(self):
        return self.encoding_combo.currentData()

    def set_encoding(self, value) -> None:
        self.encoding_combo.setCurrentIndex(max(0, self.encoding_combo.findData(value)))

    def from_crs(self):
        i = self.crs_combo.currentIndex()
        text = self.crs_combo.currentText()
        if i >= 0 and self.crs_combo.itemText(i) == text:
            return self.crs_combo.itemData(i)
        return text.strip() or None

    def set_from_crs(self, value) -> None:
        i = self.crs_combo.findData(value)
        if i >= 0:
            self.crs_combo.setCurrentIndex(i)
        else:
            self.crs_combo.setEditText(str(value))

    def source_layer(self):
        return self.source_layer_combo.currentText() or None

    # ------------------------------------------------------------ file
    def _browse(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(self, self.tr("Import"), "", self.tr(FILTER))
        if path:
            self.set_file(path)

    def set_file(self, path) -> None:
        """Choose the file: list its layers, show a preview, suggest the mapping."""
        from heatgis.io.readers import list_source_layers

        self.file_edit.setText(str(path))
        self.source_layer_combo.blockSignals(True)
        self.source_layer_combo.clear()
        try:
            layers = list_source_layers(path)
        except HeatGISError as exc:
            self._show_error(exc)
            self.source_layer_combo.blockSignals(False)
            return
        if len(layers) > 1:
            self.source_layer_combo.addItems(layers)
            guess = self.layer() if self.layer() in layers else None
            if guess:
                self.source_layer_combo.setCurrentText(guess)
        self.source_layer_combo.blockSignals(False)
        self._reload()

    def _reload(self) -> None:
        from heatgis.io.readers import read_source

        path = self.file_edit.text()
        if not path:
            return
        try:
            self.source = read_source(
                path,
                source_layer=self.source_layer(),
                encoding=self.encoding(),
                geometry=spec(self.layer()).geometry,
                max_rows=self.PREVIEW_ROWS,
            )
        except HeatGISError as exc:
            self.source = None
            self._show_error(exc)
            return
        frame = self.source.frame
        cols = [c for c in frame.columns if c != "geometry"]
        self.preview.setColumnCount(len(cols))
        self.preview.setHorizontalHeaderLabels([str(c) for c in cols])
        self.preview.setRowCount(min(len(frame), self.PREVIEW_ROWS))
        for r in range(self.preview.rowCount()):
            for c, col in enumerate(cols):
                v = frame[col].iloc[r]
                self.preview.setItem(r, c, QtWidgets.QTableWidgetItem("" if v is None else str(v)))
        enc = self.source.encoding
        parts = [self.source.format, self.tr("{0} rows previewed").format(len(frame))]
        if enc:
            parts.append(self.tr("text {0} ({1})").format(enc.encoding, localize(enc.reason, current_language())))
        parts.append(
            self.tr("CRS {0}").format(frame.crs.to_string()) if frame.crs is not None else self.tr("no CRS in the file")
        )
        self.notes.setPlainText(self.tr("; ").join(parts))
        self._refresh_mapping()

    # ------------------------------------------------------------ mapping
    def _refresh_mapping(self, mapping: FieldMapping | None = None) -> None:
        cols = [] if self.source is None else [str(c) for c in self.source.frame.columns if c != "geometry"]
        mapping = mapping or suggest_mapping(self.layer(), cols)
        s = spec(self.layer())
        zh = current_language() == "zh"
        self.mapping_table.setRowCount(len(s.fields))
        for r, f in enumerate(s.fields):
            item = QtWidgets.QTableWidgetItem(f.name + ("" if f.required else self.tr(" (optional)")))
            item.setFlags(item.flags() & ~QtCore.Qt.ItemIsEditable)
            self.mapping_table.setItem(r, 0, item)
            # the contract's words (as Chinese files head their columns); in English the field's own words
            meaning = f.label_zh if zh else f.name.replace("_", " ")
            label = QtWidgets.QTableWidgetItem(meaning)
            label.setFlags(label.flags() & ~QtCore.Qt.ItemIsEditable)
            self.mapping_table.setItem(r, 1, label)
            combo = QtWidgets.QComboBox()
            combo.addItem(NONE, NONE)
            combo.addItem(self.tr("= constant value"), CONSTANT)
            for c in cols:
                combo.addItem(c, c)
            rule = mapping.fields.get(f.name)
            if rule is not None and rule.source in cols:
                combo.setCurrentIndex(combo.findData(rule.source))
            elif rule is not None and rule.source is None:
                combo.setCurrentIndex(1)
            self.mapping_table.setCellWidget(r, 2, combo)
            extra = ""
            if rule is not None:
                extra = (
                    str(rule.value)
                    if rule.source is None
                    else (f"{rule.factor:g}" if rule.factor not in (None, 1, 1.0) else "")
                )
            self.mapping_table.setItem(r, 3, QtWidgets.QTableWidgetItem(extra))

    def mapping(self) -> FieldMapping | None:
        """The mapping as the table shows it (None before a file could be previewed)."""
        s = spec(self.layer())
        if self.mapping_table.rowCount() < len(s.fields) or self.mapping_table.cellWidget(0, 2) is None:
            return None
        m = FieldMapping(self.layer(), encoding=self.encoding(), source_layer=self.source_layer(), complete=True)
        crs = self.from_crs()
        if crs in ("gcj02", "bd09"):
            m.from_crs = crs
        for r, f in enumerate(s.fields):
            choice = self.mapping_table.cellWidget(r, 2).currentData()
            extra_item = self.mapping_table.item(r, 3)
            extra = extra_item.text().strip() if extra_item else ""
            if choice == NONE:
                continue
            if choice == CONSTANT:
                value = extra
                if f.dtype in ("int", "float"):
                    try:
                        value = float(extra)
                    except ValueError:
                        value = None
                m.fields[f.name] = FieldRule(value=value)
                continue
            factor = None
            if extra:
                try:
                    factor = float(extra)
                except ValueError:
                    factor = None
            m.fields[f.name] = FieldRule(source=choice, factor=factor)
        return m

    def set_mapping_cell(self, field: str, source: str | None = None, extra: str | None = None) -> None:
        """Set one row of the mapping table (as a planner would with the combo box): ``source`` is a
        column of the file, :data:`NONE` (not mapped) or :data:`CONSTANT` (the value in ``extra``)."""
        r = [f.name for f in spec(self.layer()).fields].index(field)
        if source is not None:
            combo = self.mapping_table.cellWidget(r, 2)
            combo.setCurrentIndex(combo.findData(source))
        if extra is not None:
            self.mapping_table.setItem(r, 3, QtWidgets.QTableWidgetItem(extra))

    def _load_mapping(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(self, self.tr("Load mapping"), "", self.tr("Mapping (*.json)"))
        if path:
            self.load_mapping(path)

    def load_mapping(self, path) -> None:
        try:
            m = FieldMapping.load(path)
        except HeatGISError as exc:
            self._show_error(exc)
            return
        self.set_layer(m.layer)
        if m.encoding:
            self.set_encoding(m.encoding)
        if m.from_crs:
            self.set_from_crs(m.from_crs)
        self._refresh_mapping(m)

    def _save_mapping(self) -> None:
        path, _ = QtWidgets.QFileDialog.getSaveFileName(
            self, self.tr("Save mapping"), "mapping.json", self.tr("Mapping (*.json)")
        )
        if path:
            self.mapping().save(path)

    # ------------------------------------------------------------ run
    def summary_text(self, result) -> str:
        """``result.summary()`` (what came in, what was converted and repaired) in the UI's language;
        the mapping rules and the notes' messages are the core's words."""
        head = self.tr("{0}: {1} of {2} rows → layer {3}").format(
            result.file, result.n_imported, result.n_read, result.layer
        )
        fmt = result.format + (self.tr(", text {0}").format(result.encoding) if result.encoding else "")
        lines = [f"{head} ({fmt})"]
        if result.source_crs:
            lines.append(self.tr("coordinates taken as {0}").format(result.source_crs))
        if result.converted:
            lines.append(self.tr("converted: {0}").format("; ".join(result.converted)))
        for fname, rule in result.mapping.fields.items() if result.mapping else ():
            lines.append(f"  {fname} {rule.describe()}")
        lines += [problem_text(n) for n in result.notes]
        return "\n".join(lines)

    def _show_error(self, exc: HeatGISError) -> None:
        self.notes.setPlainText(error_text(exc))

    def check(self):
        """Run the import without applying it; show the summary or the problems. Returns the result or None."""
        from heatgis.io.importer import import_layer

        path = self.file_edit.text()
        if not path:
            self.notes.setPlainText(self.tr("Choose a file first."))
            return None
        try:
            self.result = import_layer(
                self.project,
                path,
                self.layer(),
                mapping=self.mapping(),
                from_crs=self.from_crs(),
                encoding=self.encoding(),
                source_layer=self.source_layer(),
            )
        except HeatGISError as exc:
            self.result = None
            self._show_error(exc)
            return None
        self.notes.setPlainText(self.summary_text(self.result))
        return self.result

    # ------------------------------------------------------------ the same, off the GUI thread
    def start(self, apply: bool) -> None:
        """Check (and, with ``apply``, import) in a worker thread with a progress bar.

        What the buttons do: a 100k-feature file takes a second or two, which must not freeze
        the window. ``check()`` / ``accept()`` are the same steps run directly.
        """
        from heatgis.gui.workers import Worker
        from heatgis.io.importer import import_layer

        path = self.file_edit.text()
        if not path:
            self.notes.setPlainText(self.tr("Choose a file first."))
            return
        if self.worker is not None:
            return
        args = dict(
            mapping=self.mapping(), from_crs=self.from_crs(), encoding=self.encoding(), source_layer=self.source_layer()
        )
        project, layer = self.project, self.layer()
        self.worker = w = Worker(
            lambda feedback: import_layer(project, path, layer, feedback=feedback, **args), self, bar=self.progress
        )
        w.done.connect(lambda result: self._finished(result, apply))
        w.failed.connect(self._failed)
        w.cancelled.connect(self._cancelled)
        w.finished.connect(self._worker_ended)
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.check_button.setEnabled(False)
        self.buttons.button(QtWidgets.QDialogButtonBox.Ok).setEnabled(False)
        self.notes.setPlainText(self.tr("Reading…"))
        w.start()

    def _finished(self, result, apply: bool) -> None:
        self.result = result
        self.notes.setPlainText(self.summary_text(result))
        if apply:
            self._apply(result)

    def _failed(self, exc, trace: str) -> None:
        self.result = None
        if isinstance(exc, HeatGISError):
            self._show_error(exc)
        else:
            self.notes.setPlainText(self.tr("The import failed unexpectedly: {0}").format(exc) + f"\n\n{trace}")

    def _cancelled(self) -> None:
        self.result = None
        self.notes.setPlainText(self.tr("Cancelled: nothing was imported."))

    def _worker_ended(self) -> None:
        self.worker = None
        self.progress.setVisible(False)
        self.check_button.setEnabled(True)
        self.buttons.button(QtWidgets.QDialogButtonBox.Ok).setEnabled(True)

    def _cancel_or_reject(self) -> None:
        if self.worker is not None:  # Cancel first stops the running import
            self.worker.cancel()
            return
        self.reject()

    def wait(self, ms: int = 60000) -> None:
        if self.worker is not None:
            self.worker.wait(ms)

    def accept(self) -> None:
        result = self.check()
        if result is None:
            return  # stay open: the problems are shown
        self._apply(result)

    def _apply(self, result) -> None:
        """Put the checked result into the project (one command on the stack) and close; or say why not."""
        from heatgis.io.importer import apply_import

        mode = self.import_mode()
        if mode is None:
            self.notes.setPlainText(
                self.summary_text(result) + "\n\n" + self.tr("Not imported: choose replace or append.")
            )
            return
        try:
            apply_import(self.project, result, mode=mode, stack=self.stack)
        except HeatGISError as exc:
            self._show_error(exc)
            return
        super().accept()
