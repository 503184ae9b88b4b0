"""Unified diffs: which files a patch adds, modifies, deletes and renames.

Only the file headers matter to Cairn (the post-change contents come with the
request); hunks are still checked for well-formedness so that a truncated or
garbled patch is refused with a message instead of half-understood.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@")
_GIT_HEADER = re.compile(r"^diff --git (?:\"?a/(.+?)\"?) (?:\"?b/(.+?)\"?)$")


class MalformedDiff(ValueError):
    pass


@dataclass
class FileChange:
    status: str  # added | modified | deleted | renamed
    path: str  # the path after the change (before, for a deletion)
    old_path: str | None = None
    binary: bool = False
    lines_changed: int = 0  # lines added plus lines removed (0 for binary files and pure renames)


@dataclass
class ParsedDiff:
    changes: list[FileChange] = field(default_factory=list)

    @property
    def paths(self) -> set[str]:
        out = set()
        for c in self.changes:
            out.add(c.path)
            if c.old_path:
                out.add(c.old_path)
        return out


def _strip(path: str) -> str | None:
    path = path.split("\t", 1)[0].strip()
    if path == "/dev/null":
        return None
    if path.startswith('"') and path.endswith('"'):
        path = path[1:-1]
    if path[:2] in ("a/", "b/"):
        path = path[2:]
    return path


def parse_unified_diff(text: str) -> ParsedDiff:
    """Parse a unified diff (``git diff`` or plain ``diff -u``) into file changes."""
    if not text or not text.strip():
        raise MalformedDiff("the diff is empty")
    lines = text.splitlines()
    result = ParsedDiff()
    current: FileChange | None = None
    old: str | None = None
    in_hunk = False
    remaining_old = remaining_new = 0
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("diff --git "):
            m = _GIT_HEADER.match(line)
            if not m:
                raise MalformedDiff(f"line {i + 1}: cannot read the file names in {line!r}")
            current = FileChange("modified", m.group(2), None)
            result.changes.append(current)
            in_hunk, old = False, m.group(1)
            if old != current.path:
                current.status, current.old_path = "renamed", old
        elif in_hunk and (remaining_old > 0 or remaining_new > 0) and line[:1] in (" ", "-", "+", "\\", ""):
            tag = line[:1]
            if tag in (" ", ""):
                remaining_old -= 1
                remaining_new -= 1
            elif tag == "-":
                remaining_old -= 1
                current.lines_changed += 1
            elif tag == "+":
                remaining_new -= 1
                current.lines_changed += 1
        elif line.startswith("--- "):
            if i + 1 >= len(lines) or not lines[i + 1].startswith("+++ "):
                raise MalformedDiff(f"line {i + 1}: '---' header without a following '+++' header")
            before, after = _strip(line[4:]), _strip(lines[i + 1][4:])
            if before is None and after is None:
                raise MalformedDiff(f"line {i + 1}: both sides of a file header are /dev/null")
            if current is None or (current.path not in (before, after) and current.old_path not in (before, after)):
                current = FileChange("modified", after or before or "")
                result.changes.append(current)
            if before is None:
                current.status, current.path = "added", after or current.path
            elif after is None:
                current.status, current.path = "deleted", before
            elif before != after:
                current.status, current.path, current.old_path = "renamed", after, before
            i += 1
            in_hunk = False
        elif line.startswith("@@"):
            m = _HUNK.match(line)
            if not m or current is None:
                raise MalformedDiff(f"line {i + 1}: hunk header {line!r} is malformed or comes before any file header")
            nums = re.findall(r"[-+](\d+)(?:,(\d+))?", line.split("@@")[1])
            remaining_old = int(nums[0][1]) if nums[0][1] != "" else 1
            remaining_new = int(nums[1][1]) if nums[1][1] != "" else 1
            in_hunk = True
        elif current is not None and line.startswith("new file mode"):
            current.status = "added"
        elif current is not None and line.startswith("deleted file mode"):
            current.status = "deleted"
        elif current is not None and line.startswith("rename from "):
            current.status, current.old_path = "renamed", line[len("rename from "):]
        elif current is not None and line.startswith("rename to "):
            current.path = line[len("rename to "):]
        elif current is not None and line.startswith("Binary files "):
            current.binary = True
        elif in_hunk and (remaining_old > 0 or remaining_new > 0):
            raise MalformedDiff(f"line {i + 1}: the hunk ends early (expected more context, '-' or '+' lines)")
        i += 1
    if in_hunk and (remaining_old > 0 or remaining_new > 0):
        raise MalformedDiff("the last hunk is truncated")
    if not result.changes:
        raise MalformedDiff("no file headers found ('diff --git' or '---'/'+++' lines)")
    for c in result.changes:
        if not c.path or c.path.startswith("/") or ".." in c.path.split("/"):
            raise MalformedDiff(f"unsafe or empty path {c.path!r} in the diff")
    return result
