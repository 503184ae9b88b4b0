"""The MCP server's wiring: one ``MCPServer`` with its instructions, and the tool groups registered on it.

Each tool group (``briefing``, ``explore``, ``knowledge``, ``governance``, ``changes``, ``query``)
is a module with ``register(tools)`` (``registry.Tools``); a new group is a
new module added to ``TOOL_GROUPS``.

Nothing goes to stdout except the protocol: logs go to stderr.
"""

from __future__ import annotations

from mcp.server.mcpserver import MCPServer

from cairn.api.mcp import briefing, changes, explore, governance, knowledge, query
from cairn.api.mcp.registry import Tools
from cairn.api.services.workspace import Workspace
from cairn.graph.cypher_policy import CypherLimits

INSTRUCTIONS = (
    "Cairn knows this repository's components, their dependencies, the architecture decisions (ADRs) and boundary "
    "rules that govern them, who holds the knowledge of each part, and the repository's own instructions to agents. "
    "Before changing files, call briefing(paths=[...]) once: the components, rules and decisions that apply, whom to "
    "ask, what usually changes with those files, and the repository's agent instructions. For one component's details "
    "use component_card; for the people behind a file or directory, who_knows. Before proposing the change, run "
    "pr_check_diff on your diff; cite the decision or give a rationale when you cross a boundary. Answers are compact: "
    "lists are cut to `limit` rows (`omitted` says how many were left out) and long lists page with `cursor`."
)

TOOL_GROUPS = (briefing, explore, knowledge, governance, changes, query)


def build_server(store_location: str, repo: str | None = None, cypher_limits: CypherLimits | None = None) -> MCPServer:
    """The MCP server over the store at ``store_location``; ``repo`` is the default repository; ``cypher_limits``
    bound the ``cypher`` tool as they bound ``POST /api/v1/query`` and ``cairn query``."""
    ws = Workspace(store_location, naming_hint="pass repository", default_repo=repo)
    server = MCPServer(name="cairn", title="Cairn system-knowledge graph", instructions=INSTRUCTIONS, log_level="WARNING")
    tools = Tools(server, ws, cypher_limits)
    for group in TOOL_GROUPS:
        group.register(tools)
    return server


def run_stdio(store_location: str, repo: str | None = None, cypher_limits: CypherLimits | None = None) -> None:
    build_server(store_location, repo, cypher_limits).run("stdio")
