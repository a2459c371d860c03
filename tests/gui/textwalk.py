"""Walk a window's widgets, menus, tabs and table headers for the texts a planner reads, and tell which
are in the other language (a test helper: ``visible_texts(window)``, ``foreign(text, lang)``)."""

from __future__ import annotations

import re

from PySide6 import QtCore, QtWidgets

#: Latin words that are the same in Chinese text: units, codes, file formats, product names, ids
ALLOWED = {
    "heatgis",
    "km",
    "min",
    "mw",
    "kw",
    "gj",
    "eta",
    "csv",
    "pdf",
    "png",
    "xlsx",
    "pptx",
    "gpkg",
    "mbtiles",
    "xyz",
    "gcj",
    "wgs",
    "cgcs",
    "epsg",
    "osm",
    "openstreetmap",
    "pinyin",
    "hry",
    "hhy",
    "dn",
    "id",
    "ctrl",
    "shift",
    "esc",
    "del",
    "delete",
    "backspace",
    "space",
    "alt",
    "tab",
    "enter",
    "home",
    "end",
    "pgup",
    "pgdown",
    "gbk",
    "utf",
    "geojson",
    "shp",
    "shapefile",
    "dxf",
    "kml",
    "sqlite",
    "postgis",
    "qt",
    "vrp",
    "or",
    "tools",
    "pyvrp",
    "amap",
    "tiles",
    "wps",
    "excel",
    "word",
    "powerpoint",
    "libreoffice",
    "f5",
    "geopackage",
    "english",  # the language menu names each language in itself
    "postgresql",  # names: the database menu
    "psycopg",
    "txt",  # file formats and their units: the dialogs (the notice's .txt/.docx, 300 dpi, Latin-1)
    "docx",
    "dpi",
    "latin",
    "sha",  # sha256: the data's digest in the published reports
    "url",  # the database dialog: a connection's URL, the server's Unix socket, libpq's password file
    "unix",
    "pgpass",
    "pgpassword",
}
PATH = re.compile(r"[/\\].*\.(gpkg|mbtiles|pdf|xlsx|pptx)$", re.I)  # recent files: the planner's own names
WORD = re.compile(r"[A-Za-z]{3,}")
HAN = re.compile(r"[\u4e00-\u9fff]+")


def foreign(text: str, lang: str) -> bool:
    """True when ``text`` is in the other language: English words in the Chinese UI, Chinese in the
    English UI (data values such as place names are not walked: only labels, titles, headers)."""
    if not text or PATH.search(text):
        return False
    if lang == "en":
        return bool(HAN.search(text)) and text != "中文"
    return any(w.lower() not in ALLOWED for w in WORD.findall(text))


def _actions(menu_or_bar, out, where):
    for a in menu_or_bar.actions():
        if a.isSeparator():
            continue
        text = a.text().replace("&", "")
        if text:
            out.append((where, text))
        if a.toolTip() and a.toolTip().replace("&", "") != text:
            out.append((where + ":tooltip", a.toolTip()))
        if a.menu() is not None:
            _actions(a.menu(), out, where + "/" + text)


def visible_texts(window: QtWidgets.QWidget) -> list[tuple[str, str]]:
    """(where, text) for every label, button, tab, dock title, menu, action, header, placeholder and
    tooltip under ``window`` (hidden ones too: they show on the next click)."""
    out: list[tuple[str, str]] = []
    if isinstance(window, QtWidgets.QMainWindow):
        _actions(window.menuBar(), out, "menu")
    for w in window.findChildren(QtWidgets.QWidget):
        name = type(w).__name__ + (f"#{w.objectName()}" if w.objectName() else "")
        if w.toolTip():
            out.append((name + ":tooltip", w.toolTip()))
        if isinstance(w, QtWidgets.QDockWidget):
            out.append((name, w.windowTitle()))
        elif isinstance(w, QtWidgets.QLabel) and w.text():
            out.append((name, re.sub(r"<[^>]+>", "", w.text())))
        elif isinstance(w, QtWidgets.QAbstractButton) and w.text():
            out.append((name, w.text().replace("&", "")))
        elif isinstance(w, QtWidgets.QTabBar):
            out += [(name, w.tabText(i)) for i in range(w.count())]
        elif isinstance(w, QtWidgets.QLineEdit) and w.placeholderText():
            out.append((name, w.placeholderText()))
        elif isinstance(w, QtWidgets.QGroupBox) and w.title():
            out.append((name, w.title()))
        elif isinstance(w, QtWidgets.QComboBox) and not w.isEditable():
            out += [(name, w.itemText(i)) for i in range(w.count())]
        elif isinstance(w, QtWidgets.QAbstractItemView) and w.model() is not None:
            m = w.model()
            try:
                n = m.columnCount(QtCore.QModelIndex())
            except TypeError:  # a list model: no header worth reading
                continue
            heads = [m.headerData(c, QtCore.Qt.Orientation.Horizontal) for c in range(n)]
            out += [(name + ":header", str(h)) for h in heads if h is not None and n > 1]
        if isinstance(w, QtWidgets.QMenu):
            _actions(w, out, name)
    return out


def cell_texts(window: QtWidgets.QWidget, rows: int = 300) -> list[tuple[str, str]]:
    """(where, text) for the cells (display text and tooltip) of every table, tree and list under
    ``window``, the first ``rows`` rows of each, the window title and the status bar: where the data is
    shown beside the words (a station's name beside its kind, a zone's name beside its level)."""
    out: list[tuple[str, str]] = [("window title", window.windowTitle())]
    if isinstance(window, QtWidgets.QMainWindow) and window.statusBar() is not None:
        out.append(("status bar", window.statusBar().currentMessage()))
    roles = (QtCore.Qt.ItemDataRole.DisplayRole, QtCore.Qt.ItemDataRole.ToolTipRole)
    for w in window.findChildren(QtWidgets.QAbstractItemView):
        m = w.model()
        if m is None or isinstance(w, QtWidgets.QHeaderView):  # (a header's model is its table's)
            continue
        name = type(w).__name__ + (f"#{w.objectName()}" if w.objectName() else "")
        root = QtCore.QModelIndex()
        try:
            n_rows, n_cols = m.rowCount(root), m.columnCount(root)
        except TypeError:
            continue
        for r in range(min(n_rows, rows)):
            for c in range(n_cols):
                idx = m.index(r, c, root)
                for role in roles:
                    v = m.data(idx, role)
                    if isinstance(v, str) and v.strip():
                        out.append((f"{name}[{r},{c}]", v))
    return [(w, t) for w, t in out if t]


def foreign_words(text: str, lang: str, scrub) -> list[str]:
    """The words of ``text`` in the other language once the data (``scrub``: the project's names and
    ids removed, ``tests.render.outputs_text.Scrubber``) is taken out; the UI's allowed Latin words
    (``ALLOWED``) stay allowed in Chinese."""
    if PATH.search(text):
        return []
    rest = scrub(text)
    if lang == "en":
        return [] if rest.strip() == "中文" else HAN.findall(rest)
    return [w for w in WORD.findall(rest) if w.lower() not in ALLOWED]
