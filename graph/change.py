"""A change: what a pull request (or a proposed diff) does, as ingest hands it to the PR check.

* ``FileChange`` — one changed file: ``status`` (added, modified, deleted,
  renamed), its ``path`` after the change (before, for a deletion), the
  ``old_path`` of a rename, whether git saw it as ``binary``, the post-change
  line ranges it touches with the lines each adds and removes (``hunks``),
  the component each side belongs to
  (by the stored component definitions, so a file outside any module still
  counts for its component), and whether the truck factor counts it
  (``counted``: code or markup, as ``ingest.linguist`` judges; not a manifest,
  a lock file or documentation);
* ``Identity`` — someone involved in the change: ``name``, ``email``, the
  ``role`` they played (author, committer, co-author, reviewer, the PR's
  author on the forge) and what they are (``kind``: human, bot or agent),
  classified by the repository's identity patterns when the change was built;
* ``AgentMark`` — a line of one of the change's commit messages, or of its
  description, that names a coding agent as the history's message markers do
  ("Assisted-by: Cursor (Claude Opus 5)", "Generated with Claude Code";
  ``ingest.agent_markers``): the agent, as the identity the history gives it,
  the line, and where it is (``commit <sha>`` or ``description``);
* ``ChangeSet`` — the whole change: its files, identities and agent marks, the PR
  description, the ``base`` commit (the merge base) and the ``head`` commit
  (None for a diff not yet committed), the baseline of known violations at the
  base, and the code graphs before (``base_graph``) and after
  (``head_graph``) — model objects carrying the stored rules and decisions, so
  the change is judged by what the team ingested, not by what it proposes.
  ``changed_modules`` names the modules whose imports may differ (None:
  compare every module).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from cairn.graph.baseline import Baseline
from cairn.graph.model import RepoGraph


class ChangeStatus(str, Enum):
    ADDED = "added"
    MODIFIED = "modified"
    DELETED = "deleted"
    RENAMED = "renamed"


@dataclass(frozen=True)
class LineRange:
    """One hunk: lines ``start`` … ``start + count - 1`` after the change (``count`` 0 is a deletion just after
    ``start``), and how many lines it ``added`` and ``removed``."""

    start: int
    count: int
    added: int = 0
    removed: int = 0


@dataclass(frozen=True)
class FileChange:
    """One changed file (see the module docstring)."""

    status: ChangeStatus
    path: str
    old_path: str | None = None
    binary: bool = False
    hunks: tuple[LineRange, ...] = ()
    component: str | None = None
    old_component: str | None = None
    #: the truck factor counts the file (see the module docstring): a change of none of a component's counted files
    #: (a version bumped in its package.json, a link fixed in its README) changes none of the knowledge it measures
    counted: bool = True

    @property
    def paths(self) -> tuple[str, ...]:
        return (self.path, self.old_path) if self.old_path else (self.path,)

    @property
    def lines_changed(self) -> int:
        """Lines added plus lines removed (0 for a binary file or a pure rename)."""
        return sum(h.added + h.removed for h in self.hunks)

    @property
    def first_line(self) -> int | None:
        """The first post-change line the change touches, for pointing at it."""
        lines = [h.start for h in self.hunks if h.count > 0]
        return min(lines) if lines else None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"path": self.path, "status": self.status.value}
        if self.old_path:
            data["old_path"] = self.old_path
        return data


class IdentityRole(str, Enum):
    AUTHOR = "author"
    COMMITTER = "committer"
    CO_AUTHOR = "co-author"
    #: named by a ``Co-developed-by`` trailer: a declaration that the commit was written together (the Linux kernel's),
    #: which no forge writes, unlike a ``Co-authored-by`` (``queries.reviewers.writers_and_co_authors``)
    CO_DEVELOPER = "co-developer"
    REVIEWER = "reviewer"
    PR_AUTHOR = "pr-author"
    #: named as co-author by a commit of review suggestions GitHub made itself (committer noreply@github.com, GitHub's
    #: subject for one), or only under such a commit squashed into a squash merge (``ingest.suggestions``): a reviewer's
    #: suggestion applied — GitHub credits its author so — not one who wrote the change
    SUGGESTER = "suggester"

    @property
    def wrote_it(self) -> bool:
        """Whether this role made the change (and so should not review it)."""
        return self not in (IdentityRole.REVIEWER, IdentityRole.SUGGESTER)


class IdentityKind(str, Enum):
    HUMAN = "human"
    BOT = "bot"
    AGENT = "agent"


@dataclass(frozen=True)
class Identity:
    """Someone involved in a change, with their role and what they are."""

    name: str
    email: str
    role: IdentityRole
    kind: IdentityKind = IdentityKind.HUMAN

    @property
    def contact(self) -> str:
        return f"{self.name} <{self.email}>" if self.email else self.name


@dataclass(frozen=True)
class AgentMark:
    """A line that names a coding agent (see the module docstring)."""

    agent: str
    line: str
    where: str


@dataclass(frozen=True)
class ChangeSet:
    """A change ready to be judged (see the module docstring)."""

    files: tuple[FileChange, ...]
    base_graph: RepoGraph
    head_graph: RepoGraph
    identities: tuple[Identity, ...] = ()
    description: str | None = None
    base: str | None = None
    head: str | None = None
    baseline: Baseline | None = None
    changed_modules: frozenset[str] | None = field(default=None)
    agent_marks: tuple[AgentMark, ...] = ()
    #: the messages of the change's commits, oldest first (none for a diff): what argues for it when no description
    #: is given, as a local check of a branch has none
    messages: tuple[str, ...] = ()

    @property
    def paths(self) -> frozenset[str]:
        """Every path the change touches, before and after."""
        return frozenset(p for f in self.files for p in f.paths)
