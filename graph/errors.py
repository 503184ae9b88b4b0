"""Every error Cairn raises on purpose, rooted in one base class.

A ``CairnError`` is an error a person can act on: its message is one line
that says what is wrong and, where it can, how to fix it. The interfaces map
the base class once — the CLI prints the message and exits 2, the HTTP API
answers an RFC 9457 problem, the MCP server returns a tool error — and may
look at the subclass to choose an HTTP status. Anything that is not a
``CairnError`` is a bug and is reported as one.

The subclasses carry the facts behind their message as fields, so a caller can
act on them without parsing text (grimp's ``exceptions.py`` is the model).
"""

from __future__ import annotations

from collections.abc import Iterable


class CairnError(Exception):
    """An error for a person: ``str(error)`` is one line saying what is wrong and how to fix it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


# -- stores ---------------------------------------------------------------------------


class StoreError(CairnError):
    """A store cannot be opened, read or written (an unreadable file, an unreachable server)."""


class UnknownRepository(StoreError):
    """A repository is named that the store does not hold."""

    def __init__(self, message: str, *, repository: str | None = None, known: Iterable[str] = ()):
        super().__init__(message)
        self.repository = repository
        self.known = tuple(sorted(known))


class RepositoryRequired(CairnError):
    """The store holds several repositories and the request names none of them."""

    def __init__(self, message: str, *, known: Iterable[str] = ()):
        super().__init__(message)
        self.known = tuple(sorted(known))


class CypherNotSupported(StoreError):
    """A Cypher query was sent to a store that is not Neo4j."""


class Neo4jUnavailable(StoreError):
    """The Neo4j server cannot be reached, or refused the credentials."""


class CypherQueryError(CairnError):
    """A Cypher query is invalid or failed on the server: the query's author has to fix it."""


class CypherNotAllowed(CypherQueryError):
    """A client's Cypher does more than read the graph (``graph.cypher_policy`` or the server's plan says so); nothing ran."""


class CypherWriteRefused(CypherNotAllowed):
    """A read-only Cypher query tries to write: refused before it ran, or by the server (READ access mode)."""


class CypherLimitExceeded(CypherQueryError):
    """A client's Cypher ran past its time limit, or its answer past the row or byte cap, and was stopped."""


# -- reading a repository -------------------------------------------------------------


class ConfigError(CairnError):
    """The configuration (``cairn.toml``, a rule in an ADR, an import-linter contract) cannot be used."""


class IngestError(CairnError):
    """A repository cannot be ingested at all (a missing path, not a directory)."""


class CheckoutMissing(CairnError):
    """The checkout a repository was ingested from is not there any more."""

    def __init__(self, message: str, *, repository: str, path: str | None):
        super().__init__(message)
        self.repository = repository
        self.path = path


# -- analyses ---------------------------------------------------------------------------


class BaselineError(CairnError):
    """The baseline of known violations cannot be located, read or written."""

    def __init__(self, message: str, *, path: str | None = None):
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        self.reason = message


class InvalidChange(CairnError):
    """The change given to a PR check cannot be used: an unknown ref, a malformed diff, missing contents."""


class UnknownName(CairnError):
    """A component, module, person or decision that the graph does not hold."""

    def __init__(self, message: str, *, kind: str, name: str, suggestions: Iterable[str] = ()):
        super().__init__(message)
        self.kind = kind
        self.name = name
        self.suggestions = tuple(suggestions)


class AmbiguousName(CairnError):
    """A name that matches several people (or things) where one is needed."""

    def __init__(self, message: str, *, name: str, matches: Iterable[str] = ()):
        super().__init__(message)
        self.name = name
        self.matches = tuple(matches)


class InvalidQuery(CairnError):
    """A query's parameters cannot be used (an empty search, a limit below one)."""


class NoChangeHistory(CairnError):
    """The repository was ingested without the git history a change-over-time analysis (coupling, hotspots,
    the agent inventory, trends) reads."""


# -- forges -------------------------------------------------------------------------------


class ForgeError(CairnError):
    """GitHub or GitLab could not be reached, refused a request, or is not configured to be posted on.

    The message never holds a token; ``status`` is the forge's HTTP status when it answered.
    """

    def __init__(self, message: str, *, status: int | None = None):
        super().__init__(" ".join(message.split()))
        self.status = status
