"""The connection to a Neo4j server: URI and credentials, sessions, and errors as one line.

``parse_uri`` reads ``bolt://[user[:password]@]host:port`` (or ``neo4j://``…) into
the URI the driver gets, the credentials, and the location shown to people (with
the user, never the password). ``Connection`` owns the driver: sessions in read or
write access mode on the configured database, one-query reads and writes, and
``errors``, which turns the driver's exceptions into one-line ``StoreError``s
naming the server.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
from typing import Any, Iterator
from urllib.parse import unquote, urlsplit, urlunsplit

import neo4j
from neo4j import exceptions as neo4j_errors

from cairn.graph.errors import Neo4jUnavailable, StoreError

USER_ENV = "CAIRN_NEO4J_USER"
PASSWORD_ENV = "CAIRN_NEO4J_PASSWORD"
DATABASE_ENV = "CAIRN_NEO4J_DATABASE"
DEFAULT_DATABASE = "neo4j"

# The driver logs every retried transaction (a deadlock between our two writers, say)
# as a warning; without a handler Python would print those to stderr of the CLI.
logging.getLogger("neo4j").addHandler(logging.NullHandler())


def parse_uri(uri: str) -> tuple[str, tuple[str, str] | None, str]:
    """(URI without credentials, auth or None, location to show) of ``uri``.

    Credentials in the URI win; else ``$CAIRN_NEO4J_USER``/``$CAIRN_NEO4J_PASSWORD``;
    else none (a server with authentication disabled).
    """
    try:
        parts = urlsplit(uri)
        host = parts.hostname or ""
        port = parts.port
    except ValueError as exc:
        without_credentials = re.sub(r"//[^@/]*@", "//", uri)
        raise StoreError(f"invalid Neo4j URI {without_credentials}: {exc}") from exc
    user = unquote(parts.username) if parts.username else os.environ.get(USER_ENV)
    if parts.password is not None:
        password = unquote(parts.password)
    else:
        password = os.environ.get(PASSWORD_ENV, "")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host + (f":{port}" if port is not None else "")
    plain = urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))
    shown = urlunsplit((parts.scheme, (f"{user}@" if user else "") + netloc, parts.path, parts.query, ""))
    if not host:
        raise StoreError(f"invalid Neo4j URI {shown}: no host")
    return plain, ((user, password) if user else None), shown


def reason(exc: BaseException) -> str:
    """The first line of what the driver or server said, without a stack of causes."""
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return " ".join(str(message).split())[:300]


class Connection:
    """The driver of one server and database, opened and checked (``Neo4jUnavailable`` if unreachable)."""

    def __init__(
        self,
        uri: str,
        auth: tuple[str, str] | None,
        database: str | None,
        location: str,
        connection_timeout: float,
        retry_time: float,
    ):
        self.location = location
        self.database = database or os.environ.get(DATABASE_ENV) or DEFAULT_DATABASE
        try:
            self.driver = neo4j.GraphDatabase.driver(
                uri,
                auth=auth,
                connection_timeout=connection_timeout,
                max_transaction_retry_time=retry_time,
                notifications_min_severity="OFF",
            )
        except (neo4j_errors.ConfigurationError, ValueError) as exc:
            raise StoreError(f"invalid Neo4j URI {location}: {exc}") from exc
        try:
            with self.errors("connect to"):
                self.driver.verify_connectivity()
        except BaseException:
            self.driver.close()
            raise

    def close(self) -> None:
        self.driver.close()

    @contextlib.contextmanager
    def errors(self, doing: str) -> Iterator[None]:
        """Turn the driver's exceptions into one-line ``StoreError``s naming the server."""
        try:
            yield
        except neo4j_errors.AuthError as exc:
            raise Neo4jUnavailable(f"Neo4j at {self.location} refused the credentials ({reason(exc)})") from exc
        except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired, neo4j_errors.IncompleteCommit) as exc:
            raise Neo4jUnavailable(f"cannot {doing} Neo4j at {self.location}: {reason(exc)}") from exc
        except neo4j_errors.Neo4jError as exc:
            raise StoreError(f"Neo4j at {self.location} failed to {doing} it: {reason(exc)}") from exc
        except neo4j_errors.DriverError as exc:
            raise StoreError(f"cannot {doing} Neo4j at {self.location}: {reason(exc)}") from exc
        except OSError as exc:
            raise Neo4jUnavailable(f"cannot {doing} Neo4j at {self.location}: {exc}") from exc

    def session(self, read: bool = False) -> neo4j.Session:
        mode = neo4j.READ_ACCESS if read else neo4j.WRITE_ACCESS
        return self.driver.session(database=self.database, default_access_mode=mode)

    def write(self, query: str, **params: Any) -> list[dict[str, Any]]:
        """The rows of one write query, in a transaction of its own (retried on transient errors)."""
        with self.session() as session:
            return session.execute_write(lambda tx: tx.run(query, params).data())

    def read(self, query: str, **params: Any) -> list[dict[str, Any]]:
        """The rows of one read query, in a transaction of its own."""
        with self.session(read=True) as session:
            return session.execute_read(lambda tx: tx.run(query, params).data())
