"""File → Open database…: the connection form, the remembered connections, test, open.

The form builds the project URL (``postgresql://user@host:port/db?schema=NAME``, a socket
folder as ``host=`` in the query). The password is used for this session only: it is kept in
memory for that server, database and user (``pgconn.set_session_password``: every connection of
the project, open, save, the follower, the history, passes it to libpq), never in the URL, the
environment, the settings or a file. The connections are remembered
(QSettings ``database/connections``) without it. Opening runs in a Worker with a progress bar
in the form; a failure (wrong password, server down, not a HeatGIS schema) is shown in the
form, which stays open to correct and try again.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

import shiboken6
from PySide6 import QtCore, QtWidgets

from heatgis.errors import HeatGISError
from heatgis.gui.i18n import error_text
from heatgis.gui.workers import Worker, load_project

SETTINGS_KEY = "database/connections"
MAX_REMEMBERED = 10


def build_url(host: str, port: str, db: str, user: str, schema: str, extra=()) -> str:
    """The project URL for the form's fields (never a password); ``extra``: other libpq parameters."""
    host, port = host.strip(), str(port).strip()
    query = []
    netloc = quote(user.strip(), safe="") + "@" if user.strip() else ""
    if host.startswith("/"):  # a unix socket folder
        query.append(("host", host))
        if port:
            query.append(("port", port))
    else:
        netloc += host + (f":{port}" if port else "")
    query.append(("schema", schema.strip()))
    query += [(k, v) for k, v in extra if k not in ("host", "port", "schema", "password")]
    return f"postgresql://{netloc}/{quote(db.strip(), safe='')}?{urlencode(query, safe='/', quote_via=quote)}"


def split_url(url: str) -> dict:
    """The form's fields of a project URL."""
    parts = urlsplit(url)
    q = dict(parse_qsl(parts.query))
    return {
        "host": q.get("host") or parts.hostname or "",
        "port": q.get("port") or (str(parts.port) if parts.port else ""),
        "db": unquote(parts.path.lstrip("/")),
        "user": unquote(parts.username or ""),
        "schema": q.get("schema", ""),
        "extra": [(k, v) for k, v in parse_qsl(parts.query) if k not in ("host", "port", "schema")],
    }


def remembered(settings) -> list[str]:
    v = settings.value(SETTINGS_KEY, [])
    return [v] if isinstance(v, str) else [str(u) for u in (v or [])]


def remember(settings, url: str) -> None:
    urls = [url] + [u for u in remembered(settings) if u != url]
    settings.setValue(SETTINGS_KEY, urls[:MAX_REMEMBERED])


def use_password(url: str, password: str) -> None:
    """The typed password for connections to ``url``'s server, database and user, in memory for this
    session (empty: libpq's own sources, ``PGPASSWORD``, ``~/.pgpass``, a service file)."""
    from heatgis.model.store.pgconn import set_session_password

    set_session_password(url, password)


def test_connection(url: str):
    """The work of "Test connection": connect, check the schema is a HeatGIS project, list its layers."""

    def work(feedback):
        from heatgis.model.store import pgconn
        from heatgis.model.store import postgis as pgs

        feedback.set_progress(20, "")
        target = pgconn.parse_url(url)
        con = pgconn.connect(target)
        try:
            layers = pgs.describe(con, target)
        finally:
            con.close()
        can_edit, user = pgs.edit_rights(url)
        feedback.set_progress(100, "")
        return sorted(layers), can_edit, user

    return work


class DatabaseDialog(QtWidgets.QDialog):
    """The connection form; ``opened(object)`` carries (project, engine) once the project is read."""

    opened = QtCore.Signal(object)

    def __init__(self, settings, parent=None, url: str | None = None):
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle(self.tr("Open a project in a database"))
        self.worker: Worker | None = None
        self.extra: list = []  # the URL's other libpq parameters
        self.saved_list = QtWidgets.QListWidget()
        self.saved_list.currentTextChanged.connect(self.fill)
        self.forget_button = QtWidgets.QPushButton(self.tr("Forget"))
        self.forget_button.setToolTip(self.tr("Remove the selected connection from the list"))
        self.forget_button.clicked.connect(self.forget)
        self.host = QtWidgets.QLineEdit("localhost")
        self.host.setToolTip(self.tr("Server name or address, or the folder of its unix socket"))
        self.port = QtWidgets.QLineEdit("5432")
        self.db = QtWidgets.QLineEdit()
        self.user = QtWidgets.QLineEdit()
        self.schema = QtWidgets.QLineEdit()
        self.schema.setToolTip(self.tr("The schema that holds the project (heatgis push PROJECT.gpkg URL makes one)"))
        self.password = QtWidgets.QLineEdit()
        self.password.setEchoMode(QtWidgets.QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("empty: from ~/.pgpass or PGPASSWORD"))
        self.password.setToolTip(self.tr("Used for this session only; never saved"))
        self.message = QtWidgets.QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.bar = QtWidgets.QProgressBar()
        self.bar.setVisible(False)
        self.test_button = QtWidgets.QPushButton(self.tr("Test connection"))
        self.test_button.clicked.connect(self.test)
        self.buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.StandardButton.Open | QtWidgets.QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.addButton(self.test_button, QtWidgets.QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.accepted.connect(self.open_project)
        self.buttons.rejected.connect(self.reject)

        left = QtWidgets.QVBoxLayout()
        left.addWidget(QtWidgets.QLabel(self.tr("Remembered connections")))
        left.addWidget(self.saved_list)
        left.addWidget(self.forget_button)
        form = QtWidgets.QFormLayout()
        form.addRow(self.tr("Host"), self.host)
        form.addRow(self.tr("Port"), self.port)
        form.addRow(self.tr("Database"), self.db)
        form.addRow(self.tr("User"), self.user)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("Schema (project)"), self.schema)
        top = QtWidgets.QHBoxLayout()
        top.addLayout(left, 2)
        top.addLayout(form, 3)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.bar)
        layout.addWidget(self.buttons)
        self.saved_list.addItems(remembered(settings))
        if url:
            self.fill(url)
        elif self.saved_list.count():
            self.saved_list.setCurrentRow(0)
        self.resize(720, 340)

    # ------------------------------------------------------------ fields
    def url(self) -> str:
        return build_url(
            self.host.text(), self.port.text(), self.db.text(), self.user.text(), self.schema.text(), self.extra
        )

    def fill(self, url: str) -> None:
        if not url:
            return
        f = split_url(url)
        for name in ("host", "port", "db", "user", "schema"):
            getattr(self, name).setText(f[name])
        self.extra = f["extra"]  # sslmode, service...: kept as they were
        self.password.clear()
        self.message.clear()

    def forget(self) -> None:
        row = self.saved_list.currentRow()
        if row < 0:
            return
        self.saved_list.takeItem(row)
        self.settings.setValue(SETTINGS_KEY, [self.saved_list.item(i).text() for i in range(self.saved_list.count())])

    def _missing(self) -> bool:
        for widget, label in (
            (self.db, self.tr("Database")),
            (self.schema, self.tr("Schema (project)")),
        ):
            if not widget.text().strip():
                self._say(self.tr("Fill in the field: {0}").format(label), error=True)
                widget.setFocus()
                return True
        return False

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet("color: #b2182b;" if error else "color: #1a7837;")
        self.message.setText(text)

    # ------------------------------------------------------------ work
    def _run(self, work, on_done) -> None:
        try:
            use_password(self.url(), self.password.text())
        except HeatGISError as exc:  # the URL cannot be read (no driver, no schema)
            self._failed(exc)
            return
        self._busy(True)
        self.worker = w = Worker(work, self, bar=self.bar)
        w.done.connect(on_done)
        w.failed.connect(lambda exc, tb: self._failed(exc))
        w.finished.connect(lambda: self._busy(False))
        w.finished.connect(w.deleteLater)
        w.start()

    def _busy(self, on: bool) -> None:
        if not shiboken6.isValid(self):
            return
        self.bar.setVisible(on)
        self.bar.setValue(0)
        for widget in (self.test_button, self.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Open)):
            widget.setEnabled(not on)
        if on:
            self._say(self.tr("Connecting to {0}…").format(self.url()))

    def _failed(self, exc) -> None:
        head = self.headline(str(getattr(getattr(exc, "problem", None), "message", "") or exc))
        text = (head + "\n" if head else "") + error_text(exc)
        self._say(text + "\n" + self.tr("Correct the connection and try again."), error=True)

    def headline(self, message: str) -> str:
        """The common failures in the UI's language (the core's message follows as detail)."""
        host = self.host.text().strip() + (f":{self.port.text().strip()}" if self.port.text().strip() else "")
        cases = (
            ("refused the password", self.tr("The database refused the password of {0}.").format(self.user.text())),
            ("asks for a password", self.tr("The database asks for a password: type it above.")),
            (
                "cannot be reached",
                self.tr("No database server answers at {0} (not running, or a wrong host or port).").format(host),
            ),
            ("has no schema", self.tr("The database has no schema {0}.").format(self.schema.text())),
            (
                "is not a HeatGIS project",
                self.tr("The schema {0} holds no HeatGIS project.").format(self.schema.text()),
            ),
            (
                "does not exist on this server",
                self.tr("There is no database {0} on this server.").format(self.db.text()),
            ),
            ("knows no such user", self.tr("The database knows no user {0}.").format(self.user.text())),
        )
        return next((text for key, text in cases if key in message), "")

    def test(self) -> None:
        if self._missing():
            return

        def done(res):
            layers, can_edit, user = res
            text = self.tr("Connected as {0}: a HeatGIS project with {1} layers.").format(user, len(layers))
            if not can_edit:
                text += " " + self.tr("This user may only view it (read-only).")
            self._say(text)

        self._run(test_connection(self.url()), done)

    def open_project(self) -> None:
        """Read the project (in a Worker); on success remember the connection and close."""
        if self._missing():
            return
        url = self.url()

        def done(res):
            remember(self.settings, url)
            self.opened.emit(res)
            self.accept()

        self._run(load_project(url), done)

    def wait(self, ms: int = 30000) -> None:
        w = self.worker
        if w is not None and shiboken6.isValid(w):
            w.wait(ms)
        QtCore.QCoreApplication.processEvents()

    def reject(self) -> None:
        w = self.worker
        if w is not None and shiboken6.isValid(w) and w.isRunning():
            w.cancel()
            w.wait(15000)
        super().reject()
