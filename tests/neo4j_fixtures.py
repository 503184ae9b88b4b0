"""Pytest fixtures for a real Neo4j, started with ``tests/neo4j/server.sh``.

Loaded from ``tests/conftest.py`` as the plugin ``neo4j_fixtures``.

* ``neo4j_uri`` (session): the Bolt URI of a Neo4j Community 5.26 started once per
  pytest process - so once per pytest-xdist worker, each with its own server and
  data directory, which keeps workers from wiping each other's data - and stopped
  at the end of the session. The server starts only when a test asks for it. With
  ``CAIRN_TEST_NEO4J_URI`` set, that server is used instead and never stopped; as
  several workers may share it, its tests then take a file lock one at a time.
  Under ``CI`` a server that cannot start FAILS the tests; elsewhere the tests are
  skipped, with the reason, only when java or mvn is missing.
* ``neo4j_store``: a ``Neo4jStore`` on that server, the database emptied first.
* ``any_store``: parametrised over ``embedded`` (in ``tmp_path``) and ``neo4j``,
  for tests that must give the same answers on both stores.
* ``neo4j_private_server``: a server of the test's own (own data directory), which
  the test may kill and restart; slower, for crash tests only.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Iterator

import pytest

from cairn.graph.neo4j_store import Neo4jStore
from cairn.graph.sqlite_store import SqliteStore
from cairn.graph.store import GraphStore

SERVER_SCRIPT = Path(__file__).resolve().parent / "neo4j" / "server.sh"
EXTERNAL_URI_ENV = "CAIRN_TEST_NEO4J_URI"

# Test servers hold little data: keep two of them (two xdist workers) light.
_TEST_SERVER_ENV = {"NEO4J_TEST_HEAP": "1g", "NEO4J_TEST_PAGECACHE": "256"}


class Neo4jServer:
    """One Neo4j started by server.sh from a data directory of its own."""

    def __init__(self, home: Path):
        self.home = Path(home)
        self.uri: str | None = None

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        for key, value in _TEST_SERVER_ENV.items():
            env.setdefault(key, value)
        env["NEO4J_TEST_HOME"] = str(self.home)
        return env

    def start(self) -> str:
        out = subprocess.run(
            ["bash", str(SERVER_SCRIPT), "start"], env=self._env(), capture_output=True, text=True, timeout=900
        )
        lines = out.stdout.strip().splitlines()
        if out.returncode != 0 or not lines or not lines[-1].startswith("bolt://"):
            raise RuntimeError(
                f"tests/neo4j/server.sh start failed (exit {out.returncode}):\n{out.stdout}\n{out.stderr}".strip()
            )
        self.uri = lines[-1]
        return self.uri

    def stop(self) -> None:
        subprocess.run(["bash", str(SERVER_SCRIPT), "stop"], env=self._env(), capture_output=True, text=True, timeout=120)
        self.uri = None

    def kill(self) -> None:
        """SIGKILL the server, as a crash or power loss would: no shutdown, no checkpoint."""
        pid = int((self.home / "neo4j.pid").read_text())
        os.kill(pid, signal.SIGKILL)
        for _ in range(200):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        self.uri = None

    def restart(self) -> str:
        return self.start()


def _missing_tools() -> list[str]:
    return [tool for tool in ("java", "mvn") if shutil.which(tool) is None]


def _cannot_run(reason: str) -> None:
    """Never skip silently in CI: a Neo4j test that cannot run there is a failure."""
    if os.environ.get("CI"):
        pytest.fail(f"Neo4j tests must run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def neo4j_uri(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    external = os.environ.get(EXTERNAL_URI_ENV)
    if external:
        yield external
        return
    missing = _missing_tools()
    if missing:
        _cannot_run(f"{' and '.join(missing)} not on PATH: tests/neo4j/server.sh needs Java 17 and Maven")
    server = Neo4jServer(tmp_path_factory.mktemp("neo4j-server"))
    try:
        uri = server.start()
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        server.stop()
        pytest.fail(f"could not start the test Neo4j: {exc}", pytrace=False)
    try:
        yield uri
    finally:
        server.stop()


@contextlib.contextmanager
def _exclusive(uri: str) -> Iterator[None]:
    """One test at a time on a server that other pytest processes may share."""
    name = hashlib.sha1(uri.encode()).hexdigest()[:12]
    with open(Path(tempfile.gettempdir()) / f"cairn-neo4j-test-{name}.lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def wipe(store: Neo4jStore) -> None:
    """Empty the database (constraints and indexes stay)."""
    with store._driver.session(database=store.database) as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS").consume()


@pytest.fixture
def neo4j_store(neo4j_uri: str) -> Iterator[Neo4jStore]:
    shared = bool(os.environ.get(EXTERNAL_URI_ENV))
    with _exclusive(neo4j_uri) if shared else contextlib.nullcontext():
        store = Neo4jStore.from_uri(neo4j_uri)
        try:
            wipe(store)
            yield store
        finally:
            store.close()


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    if request.param == "embedded":
        store: GraphStore = SqliteStore(tmp_path / "store")
        try:
            yield store
        finally:
            store.close()
    else:
        yield request.getfixturevalue("neo4j_store")


@pytest.fixture
def neo4j_private_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Neo4jServer]:
    missing = _missing_tools()
    if missing:
        _cannot_run(f"{' and '.join(missing)} not on PATH: tests/neo4j/server.sh needs Java 17 and Maven")
    server = Neo4jServer(tmp_path_factory.mktemp("neo4j-private"))
    try:
        server.start()
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        server.stop()
        pytest.fail(f"could not start a private test Neo4j: {exc}", pytrace=False)
    try:
        yield server
    finally:
        server.stop()
