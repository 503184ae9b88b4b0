"""A repository's own instructions to coding agents, read as data: AGENTS.md, CLAUDE.md, Cursor rules and friends.

Which files (any directory unless said otherwise; the directory a file sits
in, or that holds its tool folder, is its *location*):

==================================  =====================  =====================================
file                                kind                   location
==================================  =====================  =====================================
``AGENTS.md``                       ``AGENTS.md``          its directory
``CLAUDE.md``                       ``CLAUDE.md``          its directory (``.claude/``: the parent)
``GEMINI.md``                       ``GEMINI.md``          its directory
``.github/copilot-instructions.md`` ``copilot``            the directory holding ``.github``
``.github/instructions/*.instructions.md``  ``copilot``    same; front matter ``applyTo`` globs
``.cursor/rules/**`` (``.mdc``/``.md``)     ``cursor``     the directory holding ``.cursor``;
                                                           front matter ``globs`` (unless
                                                           ``alwaysApply: true``)
``.cursorrules``                    ``cursor``             its directory
``.windsurfrules``                  ``windsurf``           its directory
``.windsurf/rules/*.md``            ``windsurf``           the directory holding ``.windsurf``;
                                                           front matter ``globs``
==================================  =====================  =====================================

Every file is read through ``cairn.ingest.untrusted`` (a regular file inside
the checkout, at most ``MAX_BYTES``); its text is kept as *data*: control
characters dropped, cut at ``MAX_TEXT_CHARS``, never interpreted beyond the
front matter's globs (read with the safe YAML loader) and ``@path`` references
on a line of their own (Claude Code's and Gemini's imports, so a ``CLAUDE.md``
that only says ``@AGENTS.md`` is known to defer to it). Nothing in it is run.

Graph: an ``AgentInstructions`` node per file (``path``, ``kind``,
``directory``, ``scope``, ``globs``, ``size``, ``lines``, ``text``,
``truncated``, ``references``, ``same_as``: an earlier file with the same
text) and ``COVERS`` edges to the components it is
about (``how``):

* ``repository`` — a file at the top without globs covers every component;
* ``directory`` — a file elsewhere covers the components with source files
  under its directory, and the component whose own paths hold the file;
* ``globs`` — a file with globs covers the components with a source file
  matching one (globs are relative to the file's location).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pathspec

from cairn.graph.model import Label, Rel, RepoGraph
from cairn.ingest.components import ComponentDef
from cairn.ingest.untrusted import RefusedFile, read_checkout_text

#: A larger instructions file is not read at all (they are a few KB in practice).
MAX_BYTES = 256 * 1024
#: The text kept in the graph; the rest is counted (``size``, ``lines``) and marked ``truncated``.
MAX_TEXT_CHARS = 12_000
#: Instruction files read per repository (a generated tree of thousands is not instructions).
MAX_FILES = 200

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_REFERENCE = re.compile(r"^\s*@(?P<path>[\w./-]+\.(?:md|mdc|txt))\s*$", re.MULTILINE)


@dataclass(frozen=True)
class InstructionFile:
    """Where an instructions file is and what it is, before it is read."""

    path: str
    kind: str
    directory: str  # "" for the top of the repository


class AgentInstructions:
    """One instructions file as read (see the module docstring)."""

    path: str
    kind: str
    directory: str
    text: str
    size: int
    lines: int
    truncated: bool
    globs: list[str]
    references: list[str]
    same_as: str | None  # an earlier file with the very same text (a symbolic link, a copy)

    def __init__(self, path: str, kind: str, directory: str, text: str, size: int, lines: int, truncated: bool,
                 globs: list[str] | None = None, references: list[str] | None = None, same_as: str | None = None) -> None:
        self.path = path
        self.kind = kind
        self.directory = directory
        self.text = text
        self.size = size
        self.lines = lines
        self.truncated = truncated
        self.globs = [] if globs is None else globs
        self.references = [] if references is None else references
        self.same_as = same_as

    @property
    def scope(self) -> str:
        if self.globs:
            return "globs"
        return "repository" if self.directory == "" else "directory"


def classify(path: str) -> InstructionFile | None:
    """The instructions file ``path`` is, or None when it is none."""
    parts = path.split("/")
    name = parts[-1]
    lower = name.lower()
    directory = "/".join(parts[:-1])
    if lower == "agents.md":
        return InstructionFile(path, "AGENTS.md", directory)
    if lower in ("claude.md", "gemini.md"):
        if parts[-2:-1] == [".claude"] or parts[-2:-1] == [".gemini"]:
            directory = "/".join(parts[:-2])
        return InstructionFile(path, name.upper().replace(".MD", ".md"), directory)
    if name in (".cursorrules", ".windsurfrules"):
        return InstructionFile(path, "cursor" if name == ".cursorrules" else "windsurf", directory)
    for tool, kind, suffixes in ((".cursor", "cursor", (".mdc", ".md")), (".windsurf", "windsurf", (".md",))):
        if tool in parts[:-1] and lower.endswith(suffixes):
            at = parts.index(tool)
            if parts[at + 1:at + 2] == ["rules"]:
                return InstructionFile(path, kind, "/".join(parts[:at]))
    if ".github" in parts[:-1]:
        at = len(parts) - 1 - parts[::-1].index(".github")
        rest = parts[at + 1:]
        if rest == ["copilot-instructions.md"] or (len(rest) == 2 and rest[0] == "instructions" and lower.endswith(".instructions.md")):
            return InstructionFile(path, "copilot", "/".join(parts[:at]))
    return None


def find_instruction_files(paths: list[str]) -> list[InstructionFile]:
    """The instructions files among repository paths, top-level ones first."""
    found = [f for f in (classify(p) for p in paths) if f is not None]
    return sorted(found, key=lambda f: (f.directory.count("/") + bool(f.directory), f.path))


def _clean(text: str) -> str:
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _front_matter(text: str) -> dict:
    if not text.startswith("---\n"):
        return {}
    end = text.find("\n---", 4)
    if end < 0:
        return {}
    from cairn.ingest.untrusted_yaml import YAMLError, load_yaml  # here: most checkouts have no front matter to read

    try:
        data = load_yaml(text[4:end])
    except YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def _globs(kind: str, meta: dict) -> list[str]:
    if meta.get("alwaysApply") is True:
        return []
    raw = meta.get("applyTo") if kind == "copilot" else meta.get("globs")
    items = raw if isinstance(raw, list) else str(raw or "").split(",")
    globs = [str(g).strip().strip("\"'") for g in items if str(g).strip()]
    if any(g in ("**", "**/*", "*") for g in globs):
        return []  # everything: as good as no globs
    return globs[:50]


def read_instructions(root: Path, files: list[InstructionFile]) -> tuple[list[AgentInstructions], list[str]]:
    """Read each file as data (see the module docstring); notes say what was refused or left out."""
    notes: list[str] = []
    if len(files) > MAX_FILES:
        notes.append(f"{len(files)} agent-instruction files; only the first {MAX_FILES} (top-level first) were read")
        files = files[:MAX_FILES]
    out: list[AgentInstructions] = []
    first_with: dict[str, str] = {}
    for f in files:
        try:
            raw = read_checkout_text(root, f.path, limit=MAX_BYTES)
        except RefusedFile as exc:
            notes.append(f"agent instructions {exc}")
            continue
        if raw is None:
            continue
        text = _clean(raw)
        references = []
        for match in _REFERENCE.finditer(text):
            target = posixpath.normpath(posixpath.join(f.directory, match.group("path")))
            if not target.startswith("../") and target not in references:
                references.append(target)
        out.append(AgentInstructions(
            path=f.path, kind=f.kind, directory=f.directory, text=text[:MAX_TEXT_CHARS],
            size=len(raw.encode("utf-8", errors="replace")), lines=text.count("\n") + (0 if text.endswith("\n") or not text else 1),
            truncated=len(text) > MAX_TEXT_CHARS, globs=_globs(f.kind, _front_matter(text)), references=references[:20],
            same_as=first_with.get(text),
        ))
        first_with.setdefault(text, f.path)
    return out, notes


def covered_components(graph: RepoGraph, item: AgentInstructions) -> dict[str, str]:
    """Component name -> how ``item`` covers it (see the module docstring)."""
    components = graph.of_label(Label.COMPONENT)
    if item.scope == "repository":
        return {c.key: "repository" for c in components}
    files = [(f.key, f.get("component")) for f in graph.of_label(Label.FILE) if f.get("component")]
    base = item.directory + "/" if item.directory else ""
    covered: dict[str, str] = {}
    if item.globs:
        spec = pathspec.PathSpec.from_lines("gitwildmatch", item.globs)
        for path, comp in files:
            if comp not in covered and path.startswith(base) and spec.match_file(path[len(base):]):
                covered[comp] = "globs"
        return covered
    for path, comp in files:
        if comp not in covered and path.startswith(base):
            covered[comp] = "directory"
    best: tuple[int, str] | None = None
    for c in components:
        definition = ComponentDef(c.key, [str(p) for p in c.get("paths") or []])
        definition.compile()
        score = definition.match(item.path)
        if score is not None and (best is None or score > best[0]):
            best = (score, c.key)
    if best is not None:
        covered.setdefault(best[1], "directory")
    return covered


def add_agent_instructions(graph: RepoGraph, items: list[AgentInstructions]) -> None:
    """An ``AgentInstructions`` node per file and its ``COVERS`` edges (see the module docstring)."""
    for item in items:
        node = graph.add_node(
            Label.AGENT_INSTRUCTIONS, item.path, kind=item.kind, directory=item.directory, scope=item.scope,
            globs=item.globs, size=item.size, lines=item.lines, text=item.text, truncated=item.truncated,
            references=item.references, same_as=item.same_as, name=PurePosixPath(item.path).name,
        )
        for component, how in sorted(covered_components(graph, item).items()):
            graph.add_edge(Rel.COVERS, node, graph.node(Label.COMPONENT, component), how=how)
