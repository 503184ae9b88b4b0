"""Cairn's queries as MCP tools, over stdio, for coding agents (``cairn mcp``).

An agent can ask before it writes: what it should know before changing some
files (``briefing``), who knows them (``who_knows``), which components exist
and how risky they are, what a component is for, which rules and decisions
apply, whether a diff it is about to propose crosses a boundary, how two
parts depend on each other, what to read first. Built on the official MCP
Python SDK (``mcp.server.mcpserver.MCPServer``); every tool calls the same
service as the CLI and the HTTP API and cuts the answer to fit a small
context (``shape``).

* ``server`` — the wiring: the server, its instructions, the tool groups;
* ``registry`` — how a function becomes a tool (description, one compact
  answer, errors as tool errors);
* ``shape`` — compact JSON, top-N lists, pages with a cursor;
* ``params`` — the parameters tools share;
* one module per tool group: ``briefing`` (briefing), ``explore``
  (repositories, components, cards, paths, search, reading list),
  ``knowledge`` (bus factor, who knows, people), ``governance`` (decisions, rules,
  the rule check, the PR check on a diff), ``changes`` (change coupling,
  hotspots, the agent inventory, trends), ``query`` (read-only Cypher on a
  Neo4j store, within the same limits as the HTTP API and the CLI).
"""

from cairn.api.mcp.server import build_server, run_stdio

__all__ = ["build_server", "run_stdio"]
