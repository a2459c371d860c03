"""Menus and actions of the main window (kept out of main_window.py)."""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

TOOLS = ("pan", "identify", "select", "draw_zone", "edit_zone", "dispatch")


class Actions(QtCore.QObject):
    """Creates the actions, menus and tool bar of ``window`` and retranslates them."""

    def __init__(self, window):
        super().__init__(window)
        w = self.window = window
        A = QtGui.QAction
        K = QtGui.QKeySequence
        self.open = A(w, shortcut=K.StandardKey.Open, triggered=w.open_dialog)
        self.save = A(w, shortcut=K.StandardKey.Save, triggered=w.save)
        self.save_as = A(w, shortcut=K("Ctrl+Shift+S"), triggered=w.save_as)
        self.quit = A(w, shortcut=K.StandardKey.Quit, triggered=w.close)
        self.undo = A(w, shortcut=K("Ctrl+Z"), triggered=w.undo)
        self.redo = A(w, shortcut=K("Ctrl+Y"), triggered=w.redo)
        self.delete_zone = A(w, triggered=w.delete_selected_zone)
        self.zoom_full = A(w, shortcut=K("Ctrl+0"), triggered=lambda: w.canvas.zoom_full())
        self.zoom_layer = A(w, triggered=lambda: w.canvas.zoom_to_layer(w.layers.current_layer()))
        self.zoom_selection = A(w, shortcut=K("Ctrl+J"), triggered=lambda: w.canvas.zoom_to_selection())
        self.heat_margin = A(w, checkable=True, toggled=w.show_heat_margin)
        self.lang_zh = A("中文", w, checkable=True, triggered=lambda: w.set_language("zh"))
        self.lang_en = A("English", w, checkable=True, triggered=lambda: w.set_language("en"))
        group = QtGui.QActionGroup(w)
        group.addAction(self.lang_zh)
        group.addAction(self.lang_en)
        self.tools: dict[str, QtGui.QAction] = {}
        tgroup = self.tool_group = QtGui.QActionGroup(w)
        keys = {"pan": "P", "identify": "I", "select": "S", "draw_zone": "D", "edit_zone": "E", "dispatch": "N"}
        for name in TOOLS:
            a = A(w, checkable=True, shortcut=K(keys[name]))
            a.triggered.connect(lambda checked=False, n=name: w.set_tool(n))
            tgroup.addAction(a)
            self.tools[name] = a
        self.tools["pan"].setChecked(True)

        mb = w.menuBar()
        self.file_menu = mb.addMenu("")
        self.recent_menu = QtWidgets.QMenu(w)
        for a in (self.open,):
            self.file_menu.addAction(a)
        self.file_menu.addMenu(self.recent_menu)
        self.file_menu.addSeparator()
        self.file_menu.addActions([self.save, self.save_as])
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit)
        self.edit_menu = mb.addMenu("")
        self.edit_menu.addActions([self.undo, self.redo])
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(self.delete_zone)
        self.view_menu = mb.addMenu("")
        self.view_menu.addActions([self.zoom_full, self.zoom_layer, self.zoom_selection])
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.heat_margin)
        self.docks_menu = self.view_menu.addMenu("")
        self.lang_menu = self.view_menu.addMenu("")
        self.lang_menu.addActions([self.lang_zh, self.lang_en])
        self.tools_menu = mb.addMenu("")
        self.tools_menu.addActions(list(self.tools.values()))
        self.toolbar = w.addToolBar("tools")
        self.toolbar.setObjectName("tools")
        self.toolbar.addActions([self.open, self.save, self.undo, self.redo])
        self.toolbar.addSeparator()
        self.toolbar.addActions(list(self.tools.values()))
        self.toolbar.addSeparator()
        self.toolbar.addActions([self.zoom_full, self.zoom_selection])

    def retranslate(self) -> None:
        self.file_menu.setTitle(self.tr("&File"))
        self.edit_menu.setTitle(self.tr("&Edit"))
        self.view_menu.setTitle(self.tr("&View"))
        self.tools_menu.setTitle(self.tr("&Tools"))
        self.recent_menu.setTitle(self.tr("Open &recent"))
        self.docks_menu.setTitle(self.tr("Panels"))
        self.lang_menu.setTitle(self.tr("Language"))
        self.heat_margin.setText(self.tr("Stations by heat margin at the coldest hour"))
        self.open.setText(self.tr("&Open project…"))
        self.save.setText(self.tr("&Save"))
        self.save_as.setText(self.tr("Save &as…"))
        self.quit.setText(self.tr("&Quit"))
        self.undo.setText(self.tr("&Undo"))
        self.redo.setText(self.tr("&Redo"))
        self.delete_zone.setText(self.tr("&Delete selected zone"))
        self.zoom_full.setText(self.tr("Zoom to full extent"))
        self.zoom_layer.setText(self.tr("Zoom to layer"))
        self.zoom_selection.setText(self.tr("Zoom to selection"))
        names = {
            "pan": self.tr("Pan"),
            "identify": self.tr("Identify"),
            "select": self.tr("Select"),
            "draw_zone": self.tr("Draw zone"),
            "edit_zone": self.tr("Edit zone"),
            "dispatch": self.tr("Dispatch crew"),
        }
        for k, a in self.tools.items():
            if k in names:  # tools added elsewhere (gistools: measure) name themselves
                a.setText(names[k])
        self.update_undo()

    def update_undo(self) -> None:
        """Enable Undo/Redo and name the step they take ("Undo draw zone Z-101")."""
        from heatgis.gui.command_text import command_text

        s = self.window.session
        self.undo.setEnabled(bool(s and s.stack.can_undo))
        self.redo.setEnabled(bool(s and s.stack.can_redo))

        def title(code):
            st = s.renderer.style.get(code) if s is not None else None
            return st.title(s.renderer.style.lang) if st is not None else code

        u = command_text(s.stack.undo_text(), title) if s is not None and s.stack.can_undo else ""
        r = command_text(s.stack.redo_text(), title) if s is not None and s.stack.can_redo else ""
        self.undo.setText(self.tr("&Undo {0}").format(u).strip() if u else self.tr("&Undo"))
        self.redo.setText(self.tr("&Redo {0}").format(r).strip() if r else self.tr("&Redo"))

    def set_recent(self, paths) -> None:
        self.recent_menu.clear()
        for p in paths:
            self.recent_menu.addAction(p, lambda p=p: self.window.open_project(p))
        self.recent_menu.setEnabled(bool(paths))
