"""The Cypher policy on its own: which query texts pass, which are refused and with what message; limits from the environment."""

from __future__ import annotations

import pytest

from cairn.graph.cypher_policy import CypherLimits, CypherRefused, check_parameters, check_read_only, tokenize

READS = [
    "MATCH (n) RETURN n",
    "OPTIONAL MATCH (n:Component) RETURN n.name AS name ORDER BY name SKIP 1 LIMIT 5;",
    "UNWIND range(1, 10) AS x WITH x WHERE x > 2 RETURN x",
    "MATCH (a) RETURN a.name AS n UNION MATCH (b) RETURN b.name AS n",
    "CALL { MATCH (n) RETURN n } RETURN count(n) AS c",
    "MATCH (m) CALL (m) { MATCH (m)-->(x) RETURN count(x) AS out } RETURN m, out",
    "CALL db.labels() YIELD label RETURN label",
    "CALL db.schema.visualization()",
    "MATCH (n) WHERE EXISTS { MATCH (n)-->() } AND COUNT { (n)<--() } > 1 RETURN n",
    "RETURN date.truncate('month', date()) AS m, duration.between(date('2020-01-01'), date()) AS d",
    # Words that are also clause keywords, where they are names.
    "MATCH (n:Set {set: 1, create: 2}) WHERE n.delete = 'DELETE' AND n.`merge` IS NULL RETURN n.load AS `LOAD`",
    "MATCH (`create`:Person) RETURN `create`",  # a variable named like a clause, in backticks
    "RETURN 'LOAD CSV FROM \"file:///etc/passwd\"' AS text, \"it's\" AS q, 'a\\'b CREATE' AS escaped",
    "MATCH (n) // CREATE (m)\nRETURN n /* SET n.x = 1 */",
    "MATCH (`weird``name`) RETURN `weird``name`",
    "RETURN $create AS p",
]

REFUSED = [
    ("CREATE (n:Hack) RETURN n", "CREATE", True),
    ("MERGE (n:Hack)", "MERGE", True),
    ("MATCH (n) SET n.x = 1", "SET", True),
    ("MATCH (n) DETACH DELETE n", "DETACH DELETE", True),
    ("MATCH (n) DELETE n", "DELETE", True),
    ("MATCH (n) REMOVE n:Component", "REMOVE", True),
    ("MATCH (n) FOREACH (x IN [1] | CREATE (m))", "FOREACH", True),
    ("MATCH (n) CALL { CREATE (m) } RETURN n", "CREATE", True),
    ("LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line", "LOAD CSV", False),
    ("WITH 1 AS x LOAD /* hidden */ CSV FROM 'http://10.0.0.1/' AS l RETURN l", "LOAD CSV", False),
    ("SHOW SETTINGS", "SHOW", False),
    ("SHOW TRANSACTIONS YIELD * RETURN *", "SHOW", False),
    ("TERMINATE TRANSACTIONS 'neo4j-transaction-1'", "TERMINATE", False),
    ("MATCH (n) RETURN n UNION SHOW USERS", "SHOW", False),
    ("USE system MATCH (n) RETURN n", "USE", False),
    ("MATCH (n) CALL { USE other MATCH (m) RETURN m } RETURN n", "USE", False),
    ("DROP INDEX cairn_node_repo", "DROP", False),
    ("GRANT ROLE admin TO mallory", "GRANT", False),
    ("EXPLAIN MATCH (n) RETURN n", "EXPLAIN", False),
    ("CALL dbms.listConfig()", "CALL dbms.listConfig", False),
    ("CALL db.createLabel('Hack')", "CALL db.createLabel", False),
    ("CALL `dbms`.`killQueries`(['x'])", "CALL dbms.killQueries", False),
    ("CALL apoc.load.json('http://169.254.169.254/')", "CALL apoc.load.json", False),
    ("RETURN apoc.cypher.runFirstColumnSingle('CREATE (n)', {}) AS r", "apoc.cypher.runFirstColumnSingle()", False),
    ("MATCH (n) RETURN n; MATCH (m) DETACH DELETE m", ";", False),
]


@pytest.mark.parametrize("query", READS)
def test_reads_pass(query):
    check_read_only(query)


@pytest.mark.parametrize("query, clause, writes", REFUSED)
def test_refused_clauses_are_named(query, clause, writes):
    with pytest.raises(CypherRefused) as refused:
        check_read_only(query)
    assert refused.value.clause == clause
    assert refused.value.writes is writes
    message = str(refused.value)
    assert clause.split()[-1].rstrip("()").split(".")[-1] in message and "\n" not in message


@pytest.mark.parametrize("query, fragment", [
    ("", "empty"), ("// nothing\n", "empty"), ("RETURN 'open", "never ends"), ("MATCH (n) /* open", "never ends"),
    ("MATCH (`open) RETURN 1", "never ends"),
])
def test_unfinished_text_is_refused(query, fragment):
    with pytest.raises(CypherRefused, match=fragment):
        check_read_only(query)


def test_tokens_keep_strings_names_and_parameters_apart():
    tokens = tokenize("MATCH (n {name: 'a // b', `x``y`: $p}) // tail\nRETURN n")
    assert [(t.kind, t.text) for t in tokens if t.kind != "punct"] == [
        ("word", "MATCH"), ("word", "n"), ("word", "name"), ("string", "a // b"), ("quoted", "x`y"), ("param", "p"),
        ("word", "RETURN"), ("word", "n")]


def test_parameters_neo4j_cannot_hold_are_refused():
    check_parameters({"a": 2**63 - 1, "b": [-(2**63)], "c": {"d": "x", "e": None, "f": 1.5}})
    for params, fragment in [({"big": 2**70}, "$big"), ({"l": [1, {"deep": -(2**64)}]}, "$l[1].deep"), ({"o": object()}, "object"),
                             ({"n": _nested(40)}, "nested")]:
        with pytest.raises(CypherRefused, match=fragment.replace("[", r"\[").replace("$", r"\$")):
            check_parameters(params)


def _nested(depth: int) -> list:
    value: list = []
    for _ in range(depth):
        value = [value]
    return value


def test_limits_come_from_options_then_environment_then_defaults():
    assert CypherLimits.from_env({}) == CypherLimits()
    env = {"CAIRN_CYPHER_TIMEOUT": "2.5", "CAIRN_CYPHER_MAX_ROWS": "1_000", "CAIRN_CYPHER_MAX_BYTES": "50000"}
    assert CypherLimits.from_env(env) == CypherLimits(timeout_seconds=2.5, max_rows=1000, max_bytes=50_000)
    assert CypherLimits.from_env(env, max_rows=7).max_rows == 7
    for bad in ({"CAIRN_CYPHER_MAX_ROWS": "many"}, {"CAIRN_CYPHER_TIMEOUT": "nan"}, {"CAIRN_CYPHER_MAX_ROWS": "99999999999999999999"},
                {"CAIRN_CYPHER_TIMEOUT": "0"}):
        with pytest.raises(ValueError, match="CAIRN_CYPHER|Cypher limit"):
            CypherLimits.from_env(bad)
