"""The parameters many tools share, with the one-line description the agent reads in the tool's schema."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

Repository = Annotated[str | None, Field(description="Repository name; omit when the store holds only one")]
Limit = Annotated[int, Field(ge=1, le=200, description="Rows per list; raise it when `omitted` says rows were left out")]
Cursor = Annotated[str | None, Field(description="The `next_cursor` of the previous answer, for the next page")]
Component = Annotated[str, Field(description="A component name, as list_components gives it")]
OptionalComponent = Annotated[str | None, Field(description="A component name; omit for the whole repository")]
