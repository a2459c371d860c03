"""Read-only Qt tables: a model over a pandas DataFrame (attribute tables, per-zone impact), and a table
of texts already written (a plan's rows)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from PySide6 import QtCore, QtGui, QtWidgets

from heatgis.gui.i18n import current_language
from heatgis.text import Text

_DISPLAY = int(QtCore.Qt.ItemDataRole.DisplayRole)
_ALIGN = int(QtCore.Qt.ItemDataRole.TextAlignmentRole)
_SORT = int(QtCore.Qt.ItemDataRole.UserRole)
_RIGHT = int(QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter)


class FrameModel(QtCore.QAbstractTableModel):
    """Shows a DataFrame; ``headers`` maps column names to display titles.

    The DataFrame's row position is kept in ``Qt.UserRole`` of column 0 so a
    sorting proxy can map back to it. A view asks ``data`` for about seven roles of every
    visible cell on every paint (and the sizes for each): they answer from plain Python
    values kept by ``set_frame``, with no pandas call (a 10x city's zone table repainted on
    every timeline step spent ~10 ms in pandas' ``len`` and ``columns[i]``).
    """

    def __init__(self, frame: pd.DataFrame | None = None, parent=None):
        super().__init__(parent)
        self.frame = pd.DataFrame()
        self.headers: dict[str, str] = {}
        self.formats: dict[str, callable] = {}
        self._values = np.empty((0, 0), dtype=object)
        self._columns: list = []
        self._rows = 0
        self._lang = None
        if frame is not None:
            self.set_frame(frame)

    #: a frame of the same rows and columns as the one shown, of at most this many cells, is compared
    #: with it: only the rows that differ are signalled (a view repaints them if they are in sight)
    DIFF_MAX_CELLS = 50_000

    def set_frame(self, frame: pd.DataFrame, headers: dict | None = None, in_sight: tuple | None = None) -> None:
        """Show ``frame``. ``in_sight`` (first, last row), when the view shows the rows in the model's
        order: of a frame of the same shape, only the rows there that changed are signalled (a view
        repaints its whole viewport for a range of changed rows, seen or not)."""
        new = frame.drop(columns="geometry") if "geometry" in frame.columns else pd.DataFrame(frame, copy=False)
        if not new.index.equals(pd.RangeIndex(len(new))):
            new = new.reset_index(drop=True)
        values = new.to_numpy(dtype=object)
        if self._update_in_place(new, values, headers, in_sight):
            return
        self.beginResetModel()
        self._lang = current_language()
        self.frame = new
        if headers is not None:
            self.headers = headers
        self._values = values
        self._columns = list(self.frame.columns)
        self._rows = len(self.frame)
        self.endResetModel()

    def _update_in_place(self, new: pd.DataFrame, values: np.ndarray, headers, in_sight=None) -> bool:
        """The same shape and headers: keep the model, signal the rows that changed (a timeline step
        gives the impact panel a zone table whose rows in sight are mostly the same). False: reset."""
        old = self._values
        if (
            values.shape != old.shape
            or not values.size
            or values.size > self.DIFF_MAX_CELLS
            or list(new.columns) != self._columns
            or (headers is not None and headers != self.headers)
            or current_language() != self._lang  # the cells' Text in the other language: all of them again
        ):
            return False
        try:
            rows = np.flatnonzero(np.asarray(values != old, dtype=bool).any(axis=1))
        except (TypeError, ValueError):  # pd.NA and friends compare to NA: start again
            return False
        self.frame, self._values = new, values
        if in_sight is not None:
            rows = rows[(rows >= in_sight[0]) & (rows <= in_sight[1])]
        if len(rows):
            last = len(self._columns) - 1
            self.dataChanged.emit(self.index(int(rows[0]), 0), self.index(int(rows[-1]), last))
        return True

    def rowCount(self, parent=QtCore.QModelIndex()) -> int:
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent=QtCore.QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index, role=_DISPLAY):
        if role != _DISPLAY and role != _SORT and role != _ALIGN:  # the other roles first: most calls
            return None
        if not index.isValid():
            return None
        v = self._values[index.row(), index.column()]
        if role == _DISPLAY:
            fmt = self.formats.get(self._columns[index.column()]) if self.formats else None
            return fmt(v) if fmt is not None else _text(v)
        if role == _SORT:  # sort key
            if isinstance(v, (int, float, np.integer, np.floating)) and not pd.isna(v):
                return float(v)
            return _text(v)
        if isinstance(v, (int, float, np.number)):
            return _RIGHT
        return None

    def headerData(self, section, orientation, role=_DISPLAY):
        if role != _DISPLAY:
            return None
        if orientation == QtCore.Qt.Orientation.Horizontal:
            col = str(self._columns[section])
            return self.headers.get(col, col)
        return str(section + 1)


def _text(v) -> str:
    if isinstance(v, Text):  # a name or reason the core wrote in both languages
        return v.in_language(current_language())
    if v is None or v is pd.NA or v is pd.NaT:
        return ""
    if isinstance(v, float):
        if np.isnan(v):
            return ""
        return f"{v:,.2f}".rstrip("0").rstrip(".") if not v.is_integer() else f"{int(v):,}"
    if isinstance(v, pd.Timestamp):
        return v.strftime("%Y-%m-%d %H:%M")
    if isinstance(v, (bool, np.bool_)):
        return "✓" if v else ""
    return str(v)


def sorting_proxy(model, parent=None) -> QtCore.QSortFilterProxyModel:
    proxy = QtCore.QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(QtCore.Qt.ItemDataRole.UserRole)
    return proxy


class MaskProxy(QtCore.QSortFilterProxyModel):
    """A sorting proxy that shows the source rows where a boolean mask is set (None = all);
    the mask is computed vectorized in pandas, so filtering 100k rows costs no per-cell calls."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.mask: np.ndarray | None = None
        self.setSortRole(QtCore.Qt.ItemDataRole.UserRole)

    def set_mask(self, mask) -> None:
        self.beginFilterChange()
        self.mask = None if mask is None else np.asarray(mask, dtype=bool)
        self.endFilterChange(QtCore.QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row, parent) -> bool:
        return self.mask is None or (row < len(self.mask) and bool(self.mask[row]))


def text_mask(frame: pd.DataFrame, text: str, column: str | None = None) -> np.ndarray | None:
    """Rows of ``frame`` where ``column`` (or any column but geometry) contains ``text``,
    case-insensitive; None when ``text`` is empty (no filter)."""
    text = text.strip()
    if not text:
        return None
    cols = [column] if column else [c for c in frame.columns if c != "geometry"]
    mask = np.zeros(len(frame), dtype=bool)
    for c in cols:
        mask |= frame[c].astype(str).str.contains(text, case=False, regex=False, na=False).to_numpy()
    return mask


_FOREGROUND = int(QtCore.Qt.ItemDataRole.ForegroundRole)


class TextModel(QtCore.QAbstractTableModel):
    """Columns of texts already written (a plan's tables), with a colour per row or none.

    Filling it is one reset: a plan of 760 assignments took ~50 ms as 7,600 ``QTableWidgetItem``
    objects (made, set, deleted at the next plan), and the view now asks only for the rows in sight."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.titles: list[str] = []
        self._cols: list[list[str]] = []
        self._rows = 0
        self._brushes: list | None = None

    def set_texts(self, columns: list[list[str]], colours: list[str] | None = None) -> None:
        """Show ``columns`` (one list of texts each, of the same length); ``colours``: a colour name
        per row for its text."""
        self.beginResetModel()
        self._cols = columns
        self._rows = len(columns[0]) if columns else 0
        if colours is None:
            self._brushes = None
        else:
            brushes = {c: QtGui.QBrush(QtGui.QColor(c)) for c in set(colours)}
            self._brushes = [brushes[c] for c in colours]
        self.endResetModel()

    def set_titles(self, titles: list[str]) -> None:
        self.titles = list(titles)
        if titles:
            self.headerDataChanged.emit(QtCore.Qt.Orientation.Horizontal, 0, len(titles) - 1)

    def rowCount(self, parent=QtCore.QModelIndex()) -> int:
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent=QtCore.QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.titles)

    def text(self, row: int, column: int) -> str:
        return self._cols[column][row]

    def data(self, index, role=_DISPLAY):
        if role == _DISPLAY:
            return self._cols[index.column()][index.row()] if index.isValid() else None
        if role == _FOREGROUND and self._brushes is not None and index.isValid():
            return self._brushes[index.row()]
        return None

    def headerData(self, section, orientation, role=_DISPLAY):
        if role != _DISPLAY:
            return None
        if orientation == QtCore.Qt.Orientation.Horizontal:
            return self.titles[section] if section < len(self.titles) else None
        return str(section + 1)


class TextTable(QtWidgets.QTableView):
    """A read-only table of whole rows over a ``TextModel`` (the staffing plan's tables)."""

    def __init__(self, titles: list[str], resize_rows: int = 60, parent=None):
        super().__init__(parent)
        self._sized = False
        self.texts = TextModel(self)
        self.texts.set_titles(titles)
        self.setModel(self.texts)
        self.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setStretchLastSection(True)
        # column widths from the first rows, not from every one
        self.horizontalHeader().setResizeContentsPrecision(resize_rows)

    def set_texts(self, columns: list[list[str]], colours: list[str] | None = None) -> None:
        """Show the rows; the columns take their widths from the first rows shown (and again after
        the titles change), then keep them: measuring the texts was most of a fill's time, and
        columns that keep still are easier to read while the timeline moves. Without rows they
        fit their titles, and the first rows are measured when they come."""
        self.texts.set_texts(columns, colours)
        if not self._sized:
            self._sized = self.texts.rowCount() > 0
            self.resizeColumnsToContents()

    def set_titles(self, titles: list[str]) -> None:
        """New titles (another language): the columns fit them and the rows shown now, and are
        measured again with the next rows (the rows in the new language follow the titles: measured
        with the old ones' words, a column was cut short of the new ones)."""
        self.texts.set_titles(titles)
        self.resizeColumnsToContents()
        self._sized = False

    def rowCount(self) -> int:
        return self.texts.rowCount()

    def text(self, row: int, column: int) -> str:
        return self.texts.text(row, column)

    def title(self, column: int) -> str:
        return self.texts.titles[column]

    def selected_rows(self) -> list[int]:
        return sorted({i.row() for i in self.selectionModel().selectedIndexes()})
