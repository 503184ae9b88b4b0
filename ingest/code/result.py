"""What extraction produces for a repository: modules, the file each belongs to, resolved imports."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from cairn.ingest.code.base import ResolvedImport


@dataclass
class CodeResult:
    """One extraction's result.

    ``modules`` maps a module name to (the path that represents it, its
    language, its files); ``imports`` maps a module name to its resolved
    imports, each carrying the file it is written in.
    """

    modules: dict[str, tuple[str, str, list[str]]] = field(default_factory=dict)  # name -> (path, language, files)
    file_module: dict[str, str] = field(default_factory=dict)  # file path -> module name
    imports: dict[str, list[ResolvedImport]] = field(default_factory=dict)  # module name -> imports
    languages: Counter = field(default_factory=Counter)
    syntax_errors: dict[str, int] = field(default_factory=dict)
    skipped_content: dict[str, str] = field(default_factory=dict)  # path -> binary / generated
    lines: dict[str, int] = field(default_factory=dict)  # file path -> lines (every parsed or cached file)
    parsed: int = 0
    cached: int = 0
    notes: list[str] = field(default_factory=list)
    #: identifies this result among those the parse cache keeps (``ParseCache.recall_result``); None when not kept
    fingerprint: str | None = None
