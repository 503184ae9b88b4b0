"""The MCP server's wiring: one ``MCPServer``, the tool groups registered on it, errors as tool errors.

Each tool group (``explore``, ``knowledge``, ``governance``, ``briefing``, …)
is a module with ``register(tools)``; a new group is a new module added to
``TOOL_GROUPS``. ``Tools`` registers a function as a tool: its docstring,
unwrapped, is the description the agent reads; it is marked read-only; its
answer is sent once, as compact JSON text (``shape.encode``), not also as
structured content, so an agent's context holds one copy; a ``CairnError``
(an unknown name, a malformed diff, an empty store) becomes a tool error
carrying its message, never a crash.

Nothing goes to stdout except the protocol: logs go to stderr.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Callable

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import ToolAnnotations

from cairn.api.mcp import briefing, explore, governance, knowledge
from cairn.api.mcp.shape import encode
from cairn.api.services.workspace import Workspace
from cairn.graph.errors import CairnError

INSTRUCTIONS = (
    "Cairn knows this repository's components, their dependencies, the architecture decisions (ADRs) and boundary "
    "rules that govern them, who holds the knowledge of each part, and the repository's own instructions to agents. "
    "Before changing files, call briefing(paths=[...]) once: the components, rules and decisions that apply, whom to "
    "ask, what usually changes with those files, and the repository's agent instructions. For one component's details "
    "use component_card; for the people behind a file or directory, who_knows. Before proposing the change, run "
    "pr_check_diff on your diff; cite the decision or give a rationale when you cross a boundary. Answers are compact: "
    "lists are cut to `limit` rows (`omitted` says how many were left out) and long lists page with `cursor`."
)

READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False)

TOOL_GROUPS = (briefing, explore, knowledge, governance)


@dataclass
class Tools:
    """Registers tool functions on ``server``; ``ws`` is the workspace every tool reads."""

    server: MCPServer
    ws: Workspace

    def __call__(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def answer(*args: Any, **kwargs: Any) -> str:
            try:
                return encode(fn(*args, **kwargs))
            except CairnError as exc:
                raise ToolError(str(exc)) from None

        description = " ".join((fn.__doc__ or "").split())
        self.server.add_tool(answer, description=description, annotations=READ_ONLY, structured_output=False)
        return fn


def build_server(store_location: str, repo: str | None = None) -> MCPServer:
    """The MCP server over the store at ``store_location``; ``repo`` is the default repository."""
    ws = Workspace(store_location, naming_hint="pass repository", default_repo=repo)
    server = MCPServer(name="cairn", title="Cairn system-knowledge graph", instructions=INSTRUCTIONS, log_level="WARNING")
    tools = Tools(server, ws)
    for group in TOOL_GROUPS:
        group.register(tools)
    return server


def run_stdio(store_location: str, repo: str | None = None) -> None:
    build_server(store_location, repo).run("stdio")
