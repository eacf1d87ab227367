"""A project on PostgreSQL (issue 19): the schema (:mod:`.schema`), the dialect layer the
store's SQL runs through (:mod:`.connection`) and what opening and transactions do there
(:mod:`.engine`); :mod:`kwali.store.transfer` moves a whole project between the engines.

This module itself imports no driver: it only reads connection strings, so ``kwali --help``
and every command on a ``.kwali`` file never load psycopg. psycopg is imported by
:mod:`.connection` and :mod:`kwali.store.transfer`, and only when a ``postgresql://`` address
is used.

A connection string is handed to libpq as it is, so libpq's service file (``service=``),
password file (``~/.pgpass``, ``passfile=``), ``PG*`` environment variables and TLS settings
(``sslmode=``, ``sslrootcert=`` ...) work as everywhere else. kwali never stores one, and shows
one only without its password and parameters (:func:`shown`).
"""

from __future__ import annotations

from urllib.parse import parse_qs, unquote

SCHEMES = ("postgresql://", "postgres://")


def is_postgres_url(text: str) -> bool:
    """Whether ``text`` names a PostgreSQL database (libpq's URL form) rather than a file."""
    return text.lower().startswith(SCHEMES)


def _split(url: str) -> tuple[str, str, str, str]:
    """``(scheme://, user info, hosts and database, query)`` as libpq reads a URL: user info
    is what comes before an ``@`` that precedes the first ``/``."""
    scheme, sep, rest = url.partition("://")
    cut = min((i for i in (rest.find("@"), rest.find("/")) if i >= 0), default=-1)
    user_info = ""
    if cut >= 0 and rest[cut] == "@":
        user_info, rest = rest[:cut], rest[cut + 1 :]
    place, _mark, query = rest.partition("?")
    return scheme + sep, user_info, place, query


def shown(url: str) -> str:
    """The address as kwali names it in messages: user, hosts, ports and database only, never
    a password or a parameter (a parameter may be ``password=``).

    >>> shown("postgresql://anna:geheim@db.example.nl:5433/studie?sslmode=require")
    'postgresql://anna@db.example.nl:5433/studie'
    >>> shown("postgresql:///studie?host=/run/postgresql&password=geheim")
    'postgresql:///studie'
    >>> shown("postgres://anna:x@[::1]:5432,db2:5433/studie")
    'postgres://anna@[::1]:5432,db2:5433/studie'

    An address libpq cannot read as meant (an ``@`` left over) is not shown beyond its scheme:

    >>> shown("postgresql://anna:ge/heim@db/studie"), shown("postgresql://db?password=a@b")
    ('postgresql://…', 'postgresql://…')
    """
    scheme, user_info, place, _query = _split(url)
    user = user_info.split(":", 1)[0]
    if "@" in user or "@" in place or "?" in user:
        return f"{scheme}…"
    return f"{scheme}{user}{'@' if user else ''}{place}"


def has_password(url: str) -> bool:
    """Whether the address itself holds a password (it then stays in the shell's history).

    >>> has_password("postgresql://anna@db/studie"), has_password("postgresql://anna:x@db/s")
    (False, True)
    >>> has_password("postgresql://db/studie?password=x")
    True
    """
    _scheme, user_info, place, query = _split(url)
    # an address libpq cannot read as meant may hold one too
    malformed = "?" in user_info or "@" in place
    return ":" in user_info or malformed or "password" in parse_qs(query)


def without_password(text: str, url: str) -> str:
    """``text`` (a message of libpq's about ``url``) with any password in ``url`` hidden: libpq
    quotes a value it cannot read, and that value may be the password.

    >>> without_password('invalid token: "ge%zzheim"', "postgresql://a:ge%zzheim@db/s")
    'invalid token: "…"'
    """
    _scheme, user_info, _place, query = _split(url)
    secrets = [user_info.split(":", 1)[1]] if ":" in user_info else []
    secrets += [v for k, _eq, v in (p.partition("=") for p in query.split("&")) if k == "password"]
    for secret in sorted({*secrets, *map(unquote, secrets)} - {""}, key=len, reverse=True):
        text = text.replace(secret, "…")
    return text


class ServerAddress(str):
    """A project on a PostgreSQL server, as a command was given it (``-p postgresql://…``).

    It stands where a project file's :class:`~pathlib.Path` stands: in messages (``str``,
    ``format``) it shows as :func:`shown`, so no password or parameter is ever printed; the
    whole address is :attr:`url`, for libpq only."""

    __slots__ = ()

    @property
    def url(self) -> str:
        return str.__str__(self)

    def __str__(self) -> str:
        return shown(self.url)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __repr__(self) -> str:
        return repr(str(self))

    @property
    def name(self) -> str:
        """The database's name, as a file's name is shown (``studie``)."""
        _scheme, _user, place, _query = _split(self.url)
        return unquote(place.rpartition("/")[2]) or "postgresql"

    @property
    def stem(self) -> str:
        return self.name

    def exists(self) -> bool:
        """A server project is made by research IT, never by an import: it always exists."""
        return True

    def is_file(self) -> bool:
        return False
