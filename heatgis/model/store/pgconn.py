"""Connecting to a project on PostgreSQL: the URL, the connection, and what a failure means.

A project in the database is named by a libpq URL with one extra parameter, the schema
that holds its tables: ``postgresql://user@host:5432/db?schema=hohhot``. Every other
parameter is libpq's (``sslmode``, ``service``, ``host=/run/postgresql`` for a socket...).
The password is never part of the URL: libpq takes it from ``PGPASSWORD``, the password
file (``~/.pgpass``, ``%APPDATA%\\postgresql\\pgpass.conf`` or ``PGPASSFILE``) or a service
file, so it is neither in the shell history, nor in the project, nor in any message. A password
typed in the app's connection form is kept in this process's memory for that connection only
(:func:`set_session_password`).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit

from heatgis.errors import HeatGISError
from heatgis.paths import is_database_url as is_url  # noqa: F401  (re-exported)

#: LISTEN/NOTIFY channel of a project: one per schema
CHANNEL_PREFIX = "heatgis:"


@dataclass(frozen=True)
class PgTarget:
    """A parsed project URL: the libpq connection string and the schema."""

    conninfo: str
    schema: str
    display: str  # the URL as shown in messages (never holds a password)

    @property
    def channel(self) -> str:
        return (CHANNEL_PREFIX + self.schema)[:63]


def parse_url(url: str) -> PgTarget:
    """Split a project URL into the libpq connection string and the schema.

    Raises
    ------
    HeatGISError
        The URL holds a password, or names no schema.
    """
    text = str(url).strip()
    parts = urlsplit(text)
    query = parse_qsl(parts.query, keep_blank_values=True)
    if parts.password is not None or any(k == "password" for k, _ in query):
        raise HeatGISError(
            "the database URL holds a password; HeatGIS does not take passwords on the command line "
            "(they stay in the shell history and in the project)",
            "remove the password from the URL and put the password in ~/.pgpass "
            "(host:port:database:user:password, chmod 600) or in the PGPASSWORD environment variable",
        )
    try:
        import psycopg  # noqa: F401  (every use of a URL starts here: say once that the driver is missing)
    except ImportError as exc:
        raise HeatGISError(
            "the PostgreSQL driver (psycopg) is not installed",
            "pip install 'psycopg[binary]' (a project file needs no driver)",
        ) from exc
    schemas = [v for k, v in query if k == "schema"]
    rest = [(k, v) for k, v in query if k != "schema"]
    if not schemas or not schemas[-1].strip():
        raise HeatGISError(
            f"the database URL names no schema ({text})",
            "add the project's schema to the URL: postgresql://HOST/DATABASE?schema=NAME",
        )
    schema = schemas[-1].strip()
    if "application_name" not in dict(rest):
        rest.append(("application_name", "heatgis"))
    conninfo = f"{parts.scheme}://{parts.netloc}{parts.path}?{urlencode(rest)}"  # urlunsplit drops an empty host
    return PgTarget(conninfo, schema, text)


#: passwords a planner typed in the app, for this process only (never written anywhere), by connection
_session_passwords: dict[str, str] = {}


def set_session_password(url: str, password: str | None) -> None:
    """Use ``password`` for every connection to the server, database and user of ``url`` in this process
    (the app's connection form); None or empty forgets it (libpq's PGPASSWORD, pgpass... again)."""
    key = parse_url(url).conninfo
    if password:
        _session_passwords[key] = password
    else:
        _session_passwords.pop(key, None)


def connect(target: PgTarget, autocommit: bool = False, timeout: int = 10):
    """A psycopg connection to ``target``; a failure is a :class:`HeatGISError` naming the cause."""
    import psycopg

    conninfo = target.conninfo
    password = _session_passwords.get(conninfo)
    if password:  # typed in the app: merged into the connection string, in memory only
        conninfo = psycopg.conninfo.make_conninfo(conninfo, password=password)
    try:
        return psycopg.connect(conninfo, autocommit=autocommit, connect_timeout=timeout)
    except psycopg.Error as exc:
        raise connect_error(exc, target) from exc


def connect_error(exc, target: PgTarget) -> HeatGISError:
    """The planner's message for a failed connection."""
    text = str(exc).strip()
    low = text.lower()
    where = target.display
    if "password authentication failed" in low:
        return HeatGISError(
            "the database refused the password",
            "check the password in ~/.pgpass (or PGPASSWORD) for this user, host and database",
            file=where,
        )
    if "no password supplied" in low or "fe_sendauth" in low:
        return HeatGISError(
            "the database asks for a password and none was found",
            "put it in ~/.pgpass (host:port:database:user:password, chmod 600) or in PGPASSWORD",
            file=where,
        )
    if "does not exist" in low and "database" in low:
        return HeatGISError(
            "the database does not exist on this server",
            "check the database name in the URL (createdb NAME creates one)",
            file=where,
        )
    if "role" in low and "does not exist" in low:
        return HeatGISError(
            "the database knows no such user", "check the user name in the URL, or ask the administrator", file=where
        )
    if any(w in low for w in ("connection refused", "no such file or directory", "could not translate", "timeout")):
        return HeatGISError(
            "the database server cannot be reached (it is not running, or the host or port is wrong)",
            "check that the server runs and the host and port in the URL, then try again",
            file=where,
        )
    return HeatGISError(f"cannot connect to the database ({_first_line(text)})", "check the URL", file=where)


def lost_error(exc, target: PgTarget, doing: str) -> HeatGISError:
    """The message for a statement that failed: a lost connection, a refused right, or another error."""
    import psycopg

    text = _first_line(str(exc))
    if isinstance(exc, psycopg.errors.InsufficientPrivilege):
        return HeatGISError(
            f"the database refused: you may only view this project ({text}); nothing was saved",
            "ask the project's owner for the editor role (GRANT <schema>_editor TO you)",
            file=target.display,
        )
    if (
        isinstance(exc, psycopg.OperationalError)
        or getattr(exc, "sqlstate", "") in (None, "")
        or (str(getattr(exc, "sqlstate", "") or "").startswith(("08", "57P")))
    ):
        return HeatGISError(
            f"the connection to the database was lost while {doing} ({text}); the database rolled the "
            "unfinished transaction back, nothing was changed",
            "your edits are kept: try again when the server is back",
            file=target.display,
        )
    return HeatGISError(
        f"the database refused {doing} ({text}); nothing was changed", "see the message", file=target.display
    )


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else "no message"
