"""What Cypher a client may run through Cairn: read clauses only, bounded answers.

Pure (no driver, no I/O): the Neo4j adapter calls ``check_read_only`` and
``check_parameters`` before it sends anything, and enforces ``CypherLimits``
while it streams the answer. Every interface (``POST /api/v1/query``,
``cairn query``, the MCP ``cypher`` tool) goes through that adapter, so the
policy is the same everywhere.

The query is tokenised the way Cypher's lexer does it: string literals (with
backslash escapes), backtick-quoted names (a doubled backtick inside),
``//`` and ``/* */`` comments, ``$parameters``. A keyword hidden in a
string, a comment or backticks is not a keyword; one split by a comment
(``LOAD/**/CSV``) still is. Then:

* the query must start with MATCH, OPTIONAL MATCH, WITH, UNWIND, RETURN or
  CALL and hold one statement, so administration (GRANT, ALTER, START
  DATABASE, EXPLAIN …) never runs;
* no clause that writes, reads outside the graph, looks at other clients or
  switches database may appear anywhere, subqueries included: CREATE, MERGE,
  SET, DELETE, DETACH, REMOVE, FOREACH, INSERT, DROP, LOAD CSV, SHOW,
  TERMINATE, USE. A name that happens to be such a word is still usable in
  backticks (```set```), as a property (``n.set``), a label (``:Set``) or a
  map key (``{set: 1}``);
* ``CALL`` is a subquery (``CALL { … }``, ``CALL (x) { … }``) or one of the
  read-only procedures in ``ALLOWED_PROCEDURES`` (``db.labels`` …); every
  other procedure (``dbms.*``, ``db.*``, plug-ins such as APOC) is refused;
* namespaced functions are allowed only in the built-in namespaces
  (``date.truncate``, ``point.distance``, ``duration.between`` …), so a
  plug-in function cannot run nested Cypher or read files.

The Neo4j adapter also asks the server for the plan (``EXPLAIN``) and refuses
what this lexical check might miss (``query_type`` other than read, a
``LoadCSV`` operator, a procedure not allowed); the server's READ access mode
refuses writes a third time.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from typing import Any, Iterator, Mapping

#: Clause keywords a query may start with.
STARTING_CLAUSES = ("MATCH", "OPTIONAL", "WITH", "UNWIND", "RETURN", "CALL")

#: Clauses that write to the graph: refused, and named as writes.
WRITE_CLAUSES = frozenset({"CREATE", "MERGE", "SET", "DELETE", "DETACH", "NODETACH", "REMOVE", "FOREACH", "INSERT"})

#: Clauses refused wherever they appear (subqueries included): writes, schema, files and URLs, other
#: databases, other clients' transactions. Administration commands (GRANT, ALTER, START DATABASE …)
#: can only start a statement, which the starting-clause rule already refuses.
REFUSED_CLAUSES = WRITE_CLAUSES | frozenset({"DROP", "LOAD", "SHOW", "TERMINATE", "USE"})

#: Procedures that only describe the schema of the graph.
ALLOWED_PROCEDURES = frozenset({
    "db.labels", "db.relationshipTypes", "db.propertyKeys",
    "db.schema.visualization", "db.schema.nodeTypeProperties", "db.schema.relTypeProperties",
})

#: Namespaces of Neo4j's built-in functions; namespaced functions elsewhere come from plug-ins.
ALLOWED_FUNCTION_NAMESPACES = frozenset({
    "date", "datetime", "localdatetime", "time", "localtime", "duration", "point", "vector.similarity",
})
ALLOWED_NAMESPACED_FUNCTIONS = frozenset({"db.nameFromElementId"})

_INT64 = (-(2**63), 2**63 - 1)
MAX_PARAMETER_DEPTH = 32


class CypherRefused(ValueError):
    """The query is not one Cairn runs; the message names what was refused and why."""

    def __init__(self, message: str, *, clause: str | None = None, writes: bool = False):
        super().__init__(message)
        self.clause = clause
        self.writes = writes


@dataclass(frozen=True)
class Token:
    kind: str  # word, quoted (backticks), string, param, number, punct
    text: str  # a word as written, a quoted name without its backticks
    pos: int


_WORD = re.compile(r"[^\W\d]\w*")
_NUMBER = re.compile(r"\d\w*(?:\.\d\w*)?")
_SPACE = re.compile(r"\s+")


def tokenize(query: str) -> list[Token]:
    """The tokens of ``query``, comments and whitespace dropped; ``CypherRefused`` if a quote or comment never ends."""
    return list(_tokens(query))


def _tokens(text: str) -> Iterator[Token]:
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i = _SPACE.match(text, i).end()
        elif text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end + 1
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                raise CypherRefused(f"the comment opened at character {i + 1} never ends")
            i = end + 2
        elif ch in "'\"":
            j = i + 1
            while j < n and text[j] != ch:
                j += 2 if text[j] == "\\" else 1
            if j >= n:
                raise CypherRefused(f"the string opened at character {i + 1} never ends")
            yield Token("string", text[i + 1 : j], i)
            i = j + 1
        elif ch == "`":
            name, j = _backticked(text, i)
            yield Token("quoted", name, i)
            i = j
        elif ch == "$":
            j = i + 1
            if j < n and text[j] == "`":
                name, j = _backticked(text, j)
            else:
                m = _WORD.match(text, j) or re.compile(r"\d+").match(text, j)
                name, j = (m.group(), m.end()) if m else ("", j)
            yield Token("param", name, i)
            i = j
        elif ch.isdigit():
            m = _NUMBER.match(text, i)
            yield Token("number", m.group(), i)
            i = m.end()
        elif (m := _WORD.match(text, i)) is not None:
            yield Token("word", m.group(), i)
            i = m.end()
        else:
            yield Token("punct", ch, i)
            i += 1


def _backticked(text: str, start: int) -> tuple[str, int]:
    parts, j = [], start + 1
    while True:
        end = text.find("`", j)
        if end < 0:
            raise CypherRefused(f"the backtick-quoted name opened at character {start + 1} never ends")
        parts.append(text[j:end])
        if text.startswith("``", end):
            parts.append("`")
            j = end + 2
            continue
        return "".join(parts), end + 1


def _is(token: Token | None, kind: str, text: str | None = None) -> bool:
    return token is not None and token.kind == kind and (text is None or token.text == text)


def _dotted_name(tokens: list[Token], i: int) -> tuple[str, int]:
    """The name ``a.b.c`` starting at ``tokens[i]`` (words or quoted names), and the index after it."""
    parts = [tokens[i].text]
    i += 1
    while i + 1 < len(tokens) and _is(tokens[i], "punct", ".") and tokens[i + 1].kind in ("word", "quoted"):
        parts.append(tokens[i + 1].text)
        i += 2
    return ".".join(parts), i


def check_read_only(query: str) -> None:
    """Raise ``CypherRefused`` unless ``query`` is one statement of read clauses (see the module docstring)."""
    tokens = tokenize(query)
    if not tokens:
        raise CypherRefused("the query is empty")
    if tokens[-1].kind == "punct" and tokens[-1].text == ";":
        tokens = tokens[:-1]
    first = tokens[0] if tokens else None
    if first is not None and first.kind == "word" and first.text.upper() in REFUSED_CLAUSES:
        _refuse_clause(first)
    if first is None or first.kind != "word" or first.text.upper() not in STARTING_CLAUSES:
        word = first.text.upper() if first is not None and first.kind == "word" else (first.text if first else ";")
        raise CypherRefused(
            f"{word} is not allowed: a read-only query starts with MATCH, OPTIONAL MATCH, WITH, UNWIND, RETURN or CALL",
            clause=word,
        )
    for i, token in enumerate(tokens):
        before = tokens[i - 1] if i else None
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        if token.kind == "punct" and token.text == ";":
            raise CypherRefused("one statement per query: remove the ';' in the middle", clause=";")
        if token.kind != "word":
            continue
        if _is(before, "punct", ".") or _is(before, "punct", ":") or _is(after, "punct", ":"):
            continue  # a property, a namespace part, a label or type, a map key, a variable with a label
        upper = token.text.upper()
        if upper in REFUSED_CLAUSES:
            _refuse_clause(token)
        if upper == "CALL":
            _check_call(tokens, i)
        elif after is not None and after.kind == "punct" and after.text == "." and not _is(before, "punct", "."):
            name, end = _dotted_name(tokens, i)
            if _is(tokens[end] if end < len(tokens) else None, "punct", "(") and not _preceded_by_call(tokens, i):
                _check_function(name)


def _refuse_clause(token: Token) -> None:
    upper = token.text.upper()
    clause = {"LOAD": "LOAD CSV", "DETACH": "DETACH DELETE", "NODETACH": "NODETACH DELETE"}.get(upper, upper)
    what = "writes to the graph" if upper in WRITE_CLAUSES else "reaches beyond reading the graph"
    raise CypherRefused(
        f"{clause} is not allowed: it {what}, and Cypher queries here are read-only "
        f"(a name spelled {token.text!r} can be quoted in backticks)",
        clause=clause, writes=upper in WRITE_CLAUSES,
    )


def _preceded_by_call(tokens: list[Token], i: int) -> bool:
    return i > 0 and tokens[i - 1].kind == "word" and tokens[i - 1].text.upper() == "CALL"


def _check_call(tokens: list[Token], i: int) -> None:
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if nxt is None:
        raise CypherRefused("CALL needs a { subquery } or a procedure", clause="CALL")
    if _is(nxt, "punct", "{") or _is(nxt, "punct", "("):
        return  # CALL { subquery } or CALL (variables) { subquery }: its clauses are checked like the rest
    if nxt.kind in ("word", "quoted"):
        name, _ = _dotted_name(tokens, i + 1)
        if name in ALLOWED_PROCEDURES:
            return
        raise CypherRefused(
            f"procedure {name} is not allowed: the only procedures allowed are {', '.join(sorted(ALLOWED_PROCEDURES))}",
            clause=f"CALL {name}",
        )
    raise CypherRefused("CALL needs a { subquery } or a procedure", clause="CALL")


def _check_function(name: str) -> None:
    namespace = name.rpartition(".")[0]
    if name in ALLOWED_NAMESPACED_FUNCTIONS or namespace in ALLOWED_FUNCTION_NAMESPACES:
        return
    raise CypherRefused(
        f"function {name}() is not allowed: namespaced functions are allowed only from Neo4j's built-in namespaces "
        f"({', '.join(sorted(ALLOWED_FUNCTION_NAMESPACES))})",
        clause=f"{name}()",
    )


def check_parameters(params: Mapping[str, Any] | None) -> None:
    """Raise ``CypherRefused`` for parameter values Neo4j cannot take (integers beyond 64 bits, odd types, deep nesting)."""
    for name, value in (params or {}).items():
        if not isinstance(name, str):
            raise CypherRefused(f"parameter names are text, not {type(name).__name__}")
        _check_value(f"${name}", value, 0)


def _check_value(where: str, value: Any, depth: int) -> None:
    if depth > MAX_PARAMETER_DEPTH:
        raise CypherRefused(f"parameter {where} is nested more than {MAX_PARAMETER_DEPTH} levels deep")
    if value is None or isinstance(value, (bool, str, float)):
        return
    if isinstance(value, int):
        if not _INT64[0] <= value <= _INT64[1]:
            raise CypherRefused(f"parameter {where}: {value} does not fit in a 64-bit integer, the largest Neo4j stores")
        return
    if isinstance(value, (list, tuple)):
        for k, item in enumerate(value):
            _check_value(f"{where}[{k}]", item, depth + 1)
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise CypherRefused(f"parameter {where}: map keys are text")
            _check_value(f"{where}.{key}", item, depth + 1)
        return
    raise CypherRefused(f"parameter {where}: a {type(value).__name__} cannot be sent to Neo4j")


# -- limits --------------------------------------------------------------------------

TIMEOUT_ENV = "CAIRN_CYPHER_TIMEOUT"
MAX_ROWS_ENV = "CAIRN_CYPHER_MAX_ROWS"
MAX_BYTES_ENV = "CAIRN_CYPHER_MAX_BYTES"

_BOUNDS = {
    "timeout_seconds": (0.1, 3600.0),
    "max_rows": (1, 10_000_000),
    "max_bytes": (1_000, 1 << 30),
}


@dataclass(frozen=True)
class CypherLimits:
    """How long a query may run and how big its answer may be; the adapter stops it at the first one reached."""

    timeout_seconds: float = 30.0
    max_rows: int = 10_000
    max_bytes: int = 16 * 1024 * 1024  # of the answer as compact JSON

    def __post_init__(self) -> None:
        for name, (low, high) in _BOUNDS.items():
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or not low <= value <= high:
                raise ValueError(f"Cypher limit {name} must be a number from {low:g} to {high:g}, not {value!r}")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: float | int | None) -> "CypherLimits":
        """The defaults, overridden by ``$CAIRN_CYPHER_TIMEOUT`` / ``_MAX_ROWS`` / ``_MAX_BYTES``, then by ``overrides`` (None = unset)."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for name, env, kind in (("timeout_seconds", TIMEOUT_ENV, float), ("max_rows", MAX_ROWS_ENV, int), ("max_bytes", MAX_BYTES_ENV, int)):
            raw = environ.get(env)
            if raw not in (None, ""):
                try:
                    values[name] = kind(raw.replace("_", ""))
                except ValueError:
                    raise ValueError(f"${env} must be a number, not {raw!r}") from None
            if overrides.get(name) is not None:
                values[name] = overrides[name]
        return cls(**values)
