"""Reading a repository as it is at a commit, straight from git's objects.

The PR check reads the base and the head of a pull request without checking
anything out: ``git ls-tree`` lists the files with their blob ids (which are
also the parse cache's keys, so unchanged files are neither read nor parsed),
and one long-running ``git cat-file --batch`` process reads the blobs that are
needed. Every git command runs through ``cairn.ingest.git``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pathspec

from cairn.ingest.files import language_of, path_skip_reason
from cairn.ingest.git import GitError, GitProcess, git


class GitTreeError(Exception):
    """A ref that does not name a commit, or a directory that is not a git repository."""


@dataclass(frozen=True)
class TreeEntry:
    path: str
    blob: str
    size: int
    language: str | None


def resolve_commit(root: Path, ref: str) -> str:
    if not ref or ref.startswith("-"):
        raise GitTreeError(f"{ref!r} is not a git ref")
    try:
        proc = git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
        if proc.returncode != 0:
            if git(root, "rev-parse", "--git-dir").returncode != 0:
                raise GitTreeError(f"{root} is not a git repository")
            raise GitTreeError(f"unknown revision {ref!r} in {root}")
    except GitError as exc:
        raise GitTreeError(str(exc)) from None
    return proc.stdout.strip()


@dataclass
class GitTree:
    root: Path
    commit: str
    entries: dict[str, TreeEntry] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    _cat: GitProcess | None = field(default=None, repr=False)

    @classmethod
    def at(cls, root: Path, ref: str, *, exclude: list[str] | None = None, max_file_bytes: int = 1_000_000) -> "GitTree":
        commit = resolve_commit(root, ref)
        tree = cls(Path(root), commit)
        try:
            listed = git(root, "-c", "core.quotepath=off", "ls-tree", "-r", "-l", "-z", "--full-tree", commit, text=False, check=True)
        except GitError as exc:
            raise GitTreeError(str(exc)) from None
        out = listed.stdout.decode("utf-8", errors="surrogateescape")
        excluded = pathspec.PathSpec.from_lines("gitwildmatch", exclude or [])
        for record in out.split("\0"):
            if not record:
                continue
            meta, path = record.split("\t", 1)
            mode, kind, blob, size = meta.split()
            if kind != "blob":
                continue
            reason = "symlink" if mode == "120000" else path_skip_reason(path, excluded)
            if reason is None and not size.isdigit():
                reason = "unreadable"  # git prints a size of "BAD" for a blob missing from the object store
            if reason is None and int(size) > max_file_bytes:
                reason = "oversized"
            if reason:
                tree.skipped[reason] = tree.skipped.get(reason, 0) + 1
                continue
            tree.entries[path] = TreeEntry(path, blob, int(size), language_of(path))
        return tree

    @property
    def all_paths(self) -> frozenset[str]:
        return frozenset(self.entries)

    def read(self, path: str) -> bytes:
        entry = self.entries.get(path)
        if entry is None:
            raise FileNotFoundError(path)
        return self.read_blob(entry.blob)

    def read_blob(self, blob: str) -> bytes:
        if self._cat is None:
            self._cat = GitProcess(self.root, "cat-file", "--batch")
        assert self._cat.stdin and self._cat.stdout
        self._cat.stdin.write(blob.encode() + b"\n")
        self._cat.stdin.flush()
        header = self._cat.stdout.readline().split()
        if len(header) < 3 or header[1] == b"missing":
            raise FileNotFoundError(blob)
        data = self._cat.stdout.read(int(header[2]))
        self._cat.stdout.read(1)  # the newline after the contents
        return data

    def read_text(self, path: str, limit: int = 2_000_000) -> str | None:
        entry = self.entries.get(path)
        if entry is None or entry.size > limit:
            return None
        try:
            return self.read(path).decode("utf-8", errors="replace")
        except OSError:
            return None

    def close(self) -> None:
        if self._cat is not None:
            self._cat.close()
            self._cat = None

    def __enter__(self) -> "GitTree":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
