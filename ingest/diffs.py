"""Unified diffs: which files a patch adds, modifies, deletes and renames, and which lines it touches.

Input parsing for the PR check: a diff given with a request (``git diff``
or plain ``diff -u`` output), or the ``git diff -U0`` of two commits. File
headers give the status and paths (``diff --git``, ``---``/``+++``,
``new file mode``, ``deleted file mode``, ``rename from``/``rename to``,
``Binary files … differ``); hunk headers give the post-change line ranges,
and each hunk's ``+`` and ``-`` lines how many lines it adds and removes.
Hunks are checked for well-formedness (their line counts must add up), so a
truncated or garbled patch is refused with a message instead of half-understood.
Paths git quotes (``"a/tab\\there"``) are unquoted; a path that is absolute or
climbs out with ``..`` is refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from cairn.graph.change import ChangeStatus, FileChange, LineRange
from cairn.graph.errors import InvalidChange

_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
_GIT_HEADER = re.compile(r'^diff --git (?:"?a/(.+?)"?) (?:"?b/(.+?)"?)$')
_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\", '"': '"'}


class MalformedDiff(InvalidChange):
    """The text is not a unified diff Cairn can read; the message says where."""

    def __init__(self, reason: str):
        super().__init__(f"malformed diff: {reason}")
        self.reason = reason


@dataclass
class _Building:
    status: ChangeStatus
    path: str
    old_path: str | None = None
    binary: bool = False
    hunks: list[list[int]] = field(default_factory=list)  # [start, count, added, removed]

    def frozen(self) -> FileChange:
        return FileChange(self.status, self.path, self.old_path, self.binary, tuple(LineRange(*h) for h in self.hunks))


@dataclass(frozen=True)
class ParsedDiff:
    changes: tuple[FileChange, ...]

    @property
    def paths(self) -> set[str]:
        return {p for c in self.changes for p in c.paths}


def _unquote(path: str) -> str:
    """A path as git writes it, C-quoted when it holds special characters, back to the path."""
    if not (len(path) >= 2 and path.startswith('"') and path.endswith('"')):
        return path
    body, out, i = path[1:-1], bytearray(), 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            if nxt in "01234567" and i + 3 < len(body) + 1 and re.fullmatch(r"[0-7]{3}", body[i + 1:i + 4]):
                out.append(int(body[i + 1:i + 4], 8))
                i += 4
                continue
            out += _ESCAPES.get(nxt, nxt).encode()
            i += 2
            continue
        out += ch.encode()
        i += 1
    return out.decode("utf-8", errors="replace")


def _strip(path: str) -> str | None:
    path = path.rstrip("\n")
    if not path.startswith('"'):
        path = path.split("\t", 1)[0].strip()
    path = _unquote(path.strip())
    if path == "/dev/null":
        return None
    if path[:2] in ("a/", "b/"):
        path = path[2:]
    return path


def parse_unified_diff(text: str | Iterable[str]) -> ParsedDiff:
    """Parse a unified diff (text, or its lines) into file changes with their post-change hunks."""
    if isinstance(text, str):
        if not text.strip():
            raise MalformedDiff("the diff is empty")
        lines: Iterable[str] = text.splitlines()
    else:
        lines = text
    changes: list[_Building] = []
    current: _Building | None = None
    in_hunk = False
    remaining_old = remaining_new = 0
    pending_old: tuple[int, str] | None = None  # a '---' line waiting for its '+++'
    number = 0
    for number, line in enumerate(lines, 1):
        line = line.rstrip("\n").rstrip("\r") if line.endswith(("\n", "\r")) else line
        if pending_old is not None:
            if not line.startswith("+++ "):
                raise MalformedDiff(f"line {pending_old[0]}: '---' header without a following '+++' header")
            before, after = _strip(pending_old[1]), _strip(line[4:])
            if before is None and after is None:
                raise MalformedDiff(f"line {pending_old[0]}: both sides of a file header are /dev/null")
            if current is None or (current.path not in (before, after) and current.old_path not in (before, after)):
                current = _Building(ChangeStatus.MODIFIED, after or before or "")
                changes.append(current)
            if before is None:
                current.status, current.path = ChangeStatus.ADDED, after or current.path
            elif after is None:
                current.status, current.path = ChangeStatus.DELETED, before
            elif before != after:
                current.status, current.path, current.old_path = ChangeStatus.RENAMED, after, before
            pending_old, in_hunk = None, False
            continue
        if line.startswith("diff --git "):
            if in_hunk and (remaining_old > 0 or remaining_new > 0):
                raise MalformedDiff(f"line {number}: the hunk before ends early")
            m = _GIT_HEADER.match(line)
            if not m:
                raise MalformedDiff(f"line {number}: cannot read the file names in {line!r}")
            old, new = _unquote_header(m.group(1)), _unquote_header(m.group(2))
            current = _Building(ChangeStatus.MODIFIED, new)
            changes.append(current)
            in_hunk = False
            if old != new:
                current.status, current.old_path = ChangeStatus.RENAMED, old
        elif in_hunk and (remaining_old > 0 or remaining_new > 0) and line[:1] in (" ", "-", "+", "\\", ""):
            tag = line[:1]
            if tag in (" ", ""):
                remaining_old -= 1
                remaining_new -= 1
            elif tag == "-":
                remaining_old -= 1
                current.hunks[-1][3] += 1
            elif tag == "+":
                remaining_new -= 1
                current.hunks[-1][2] += 1
        elif in_hunk and line.startswith("\\"):
            continue  # "\ No newline at end of file" after the last line of a hunk
        elif line.startswith("--- "):
            pending_old = (number, line[4:])
        elif line.startswith("@@"):
            m = _HUNK.match(line)
            if not m or current is None:
                raise MalformedDiff(f"line {number}: hunk header {line!r} is malformed or comes before any file header")
            remaining_old = int(m.group(2)) if m.group(2) is not None else 1
            remaining_new = int(m.group(4)) if m.group(4) is not None else 1
            current.hunks.append([int(m.group(3)), remaining_new, 0, 0])
            in_hunk = True
        elif current is not None and line.startswith("new file mode"):
            current.status = ChangeStatus.ADDED
        elif current is not None and line.startswith("deleted file mode"):
            current.status = ChangeStatus.DELETED
        elif current is not None and line.startswith("rename from "):
            current.status, current.old_path = ChangeStatus.RENAMED, _unquote(line[len("rename from "):])
        elif current is not None and line.startswith("rename to "):
            current.path = _unquote(line[len("rename to "):])
        elif current is not None and line.startswith("Binary files "):
            current.binary = True
        elif in_hunk and (remaining_old > 0 or remaining_new > 0):
            raise MalformedDiff(f"line {number}: the hunk ends early (expected more context, '-' or '+' lines)")
    if pending_old is not None:
        raise MalformedDiff(f"line {pending_old[0]}: '---' header without a following '+++' header")
    if in_hunk and (remaining_old > 0 or remaining_new > 0):
        raise MalformedDiff("the last hunk is truncated")
    if not changes:
        if number == 0:
            raise MalformedDiff("the diff is empty")
        raise MalformedDiff("no file headers found ('diff --git' or '---'/'+++' lines)")
    for c in changes:
        if not c.path or c.path.startswith("/") or ".." in c.path.split("/") or (
                c.old_path is not None and (c.old_path.startswith("/") or ".." in c.old_path.split("/"))):
            raise MalformedDiff(f"unsafe or empty path {c.path!r} in the diff")
    return ParsedDiff(tuple(_merge_type_changes(changes)))


def _unquote_header(path: str) -> str:
    return _unquote(f'"{path}"') if "\\" in path else path


def _merge_type_changes(changes: list[_Building]) -> list[FileChange]:
    """git shows a file whose type changed (a symlink became a file) as a deletion and an addition: one modification."""
    out: list[FileChange] = []
    index: dict[str, int] = {}
    for c in changes:
        frozen = c.frozen()
        at = index.get(c.path)
        if at is not None and {out[at].status, frozen.status} == {ChangeStatus.DELETED, ChangeStatus.ADDED}:
            added = frozen if frozen.status is ChangeStatus.ADDED else out[at]
            out[at] = FileChange(ChangeStatus.MODIFIED, c.path, None, added.binary, added.hunks)
            continue
        index[c.path] = len(out)
        out.append(frozen)
    return out
