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
from heatgis.text import Text

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
            Text(
                "the database URL holds a password; HeatGIS does not take passwords on the command line "
                "(they stay in the shell history and in the project)",
                "数据库地址中含有密码；HeatGIS 不在命令行中接收密码（密码会留在 shell 历史和项目中）",
            ),
            Text(
                "remove the password from the URL and put the password in ~/.pgpass "
                "(host:port:database:user:password, chmod 600) or in the PGPASSWORD environment variable",
                "请从地址中删去密码，把密码写入 ~/.pgpass（host:port:database:user:password，chmod 600）"
                "或环境变量 PGPASSWORD",
            ),
        )
    try:
        import psycopg  # noqa: F401  (every use of a URL starts here: say once that the driver is missing)
    except ImportError as exc:
        raise HeatGISError(
            Text("the PostgreSQL driver (psycopg) is not installed", "未安装 PostgreSQL 驱动（psycopg）"),
            Text(
                "pip install 'psycopg[binary]' (a project file needs no driver)",
                "pip install 'psycopg[binary]'（项目文件不需要驱动）",
            ),
        ) from exc
    schemas = [v for k, v in query if k == "schema"]
    rest = [(k, v) for k, v in query if k != "schema"]
    if not schemas or not schemas[-1].strip():
        raise HeatGISError(
            Text("the database URL names no schema ({url})", "数据库地址中没有指定 schema（{url}）", url=text),
            Text(
                "add the project's schema to the URL: postgresql://HOST/DATABASE?schema=NAME",
                "请在地址中加上项目的 schema：postgresql://HOST/DATABASE?schema=NAME",
            ),
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
            Text("the database refused the password", "数据库拒绝了该密码"),
            Text(
                "check the password in ~/.pgpass (or PGPASSWORD) for this user, host and database",
                "请检查 ~/.pgpass（或 PGPASSWORD）中该用户、主机和数据库的密码",
            ),
            file=where,
        )
    if "no password supplied" in low or "fe_sendauth" in low:
        return HeatGISError(
            Text("the database asks for a password and none was found", "数据库需要密码，但没有找到"),
            Text(
                "put it in ~/.pgpass (host:port:database:user:password, chmod 600) or in PGPASSWORD",
                "请把密码写入 ~/.pgpass（host:port:database:user:password，chmod 600）或 PGPASSWORD",
            ),
            file=where,
        )
    if "does not exist" in low and "database" in low:
        return HeatGISError(
            Text("the database does not exist on this server", "该服务器上没有这个数据库"),
            Text(
                "check the database name in the URL (createdb NAME creates one)",
                "请检查地址中的数据库名（createdb NAME 可新建一个）",
            ),
            file=where,
        )
    if "role" in low and "does not exist" in low:
        return HeatGISError(
            Text("the database knows no such user", "数据库中没有这个用户"),
            Text("check the user name in the URL, or ask the administrator", "请检查地址中的用户名，或询问管理员"),
            file=where,
        )
    if any(w in low for w in ("connection refused", "no such file or directory", "could not translate", "timeout")):
        return HeatGISError(
            Text(
                "the database server cannot be reached (it is not running, or the host or port is wrong)",
                "无法连接数据库服务器（服务器未运行，或主机、端口有误）",
            ),
            Text(
                "check that the server runs and the host and port in the URL, then try again",
                "请确认服务器在运行，并检查地址中的主机和端口，然后重试",
            ),
            file=where,
        )
    return HeatGISError(
        Text("cannot connect to the database ({why})", "无法连接数据库（{why}）", why=_first_line(text)),
        Text("check the URL", "请检查地址"),
        file=where,
    )


def lost_error(exc, target: PgTarget, doing: str) -> HeatGISError:
    """The message for a statement that failed: a lost connection, a refused right, or another error.

    ``doing`` (what was being done, "saving") is a :class:`~heatgis.text.Text`, or English only.
    """
    import psycopg

    text = _first_line(str(exc))
    if isinstance(exc, psycopg.errors.InsufficientPrivilege):
        return HeatGISError(
            Text(
                "the database refused: you may only view this project ({why}); nothing was saved",
                "数据库拒绝：您对该项目只有查看权限（{why}）；未保存任何内容",
                why=text,
            ),
            Text(
                "ask the project's owner for the editor role (GRANT <schema>_editor TO you)",
                "请向项目负责人申请编辑角色（GRANT <schema>_editor TO 您的用户）",
            ),
            file=target.display,
        )
    if (
        isinstance(exc, psycopg.OperationalError)
        or getattr(exc, "sqlstate", "") in (None, "")
        or (str(getattr(exc, "sqlstate", "") or "").startswith(("08", "57P")))
    ):
        return HeatGISError(
            Text(
                "the connection to the database was lost while {doing} ({why}); the database rolled the "
                "unfinished transaction back, nothing was changed",
                "{doing}时与数据库的连接断开（{why}）；数据库已回滚未完成的事务，没有任何改动",
                doing=doing,
                why=text,
            ),
            Text("your edits are kept: try again when the server is back", "您的修改仍保留：服务器恢复后请重试"),
            file=target.display,
        )
    return HeatGISError(
        Text(
            "the database refused {doing} ({why}); nothing was changed",
            "数据库拒绝{doing}（{why}）；没有任何改动",
            doing=doing,
            why=text,
        ),
        Text("see the message", "请看括号中的说明"),
        file=target.display,
    )


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else "no message"
