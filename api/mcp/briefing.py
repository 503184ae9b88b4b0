"""The briefing tool: what to know before changing some files or a component, in one compact answer."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from cairn.api.mcp.params import Limit, Repository
from cairn.api.mcp.registry import Tools
from cairn.api.mcp.shape import more_hint
from cairn.api.services import reads


def register(tool: Tools) -> None:
    ws = tool.ws

    @tool
    def briefing(paths: Annotated[list[str] | None, Field(
                     description="The files or directories you are about to change (repository-relative; new files too)")] = None,
                 component: Annotated[str | None, Field(description="A component instead of paths")] = None,
                 limit: Limit = 5,
                 full_text: Annotated[bool, Field(
                     description="The whole text of the repository's agent instructions instead of an excerpt")] = False,
                 repository: Repository = None) -> dict[str, Any]:
        """Call this before changing files: what you should know first, for the `paths` you will touch (or one
        `component`). Returns the components they belong to (purpose, truck factor, dependencies), the boundary
        rules that apply with the decision (ADR title, status) behind each, the decisions governing them (in force first,
        and among them the ones naming a path nearest to yours first: `near`, or a module your files import: `uses`), whom to ask and the
        CODEOWNERS, what usually changes together with these files, recent agent and human activity there, and the repository's own agent instructions (AGENTS.md, CLAUDE.md, Cursor/Copilot rules) quoted as
        repository-supplied text. Lists show `limit` rows (`omitted` counts the rest); `full_text=true` quotes the
        instructions whole."""
        data = reads.briefing(ws, repository, paths=paths or [], component=component, limit=limit, full_text=full_text)
        return more_hint(data, "pass a larger limit" + ("" if full_text else "; full_text=true for whole instructions"))
