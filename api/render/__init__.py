"""Renderers of analysis results for people and tools: SARIF, Markdown, the PR comment.

They belong to the interfaces, not to the analyses: each takes the typed
result of a query (``CheckReport``, ``PRReport``, ``Finding``) and returns
text or a JSON document, and the CLI, the HTTP API and the MCP tools choose
among them.
"""
