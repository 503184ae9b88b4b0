"""How a function becomes a tool: the description the agent reads, read-only, one compact answer, errors as tool errors.

``Tools`` registers a function as a tool: its docstring, unwrapped, is the
description; it is marked read-only; its answer is sent once, as compact
JSON text (``shape.encode``), not also as structured content, so an agent's
context holds one copy; a ``CairnError`` (an unknown name, a malformed diff,
an empty store) becomes a tool error carrying its message, never a crash.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Callable

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import ToolAnnotations

from cairn.api.mcp.shape import encode
from cairn.api.services.workspace import Workspace
from cairn.graph.cypher_policy import CypherLimits
from cairn.graph.errors import CairnError

READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False)


@dataclass
class Tools:
    """Registers tool functions on ``server``; ``ws`` is the workspace every tool reads, ``cypher_limits`` the
    limits of a client's Cypher (``None``: ``$CAIRN_CYPHER_*`` or the defaults)."""

    server: MCPServer
    ws: Workspace
    cypher_limits: CypherLimits | None = None

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
