"""Whether a checkout is still what its stored graph was built from: the ingest's fingerprint.

An ingest reads a checkout's tracked files, its git history and a few files by
name, under a configuration. ``checkout_state`` looks at all of that cheaply
(a handful of git plumbing calls and ``lstat``; no repository file is opened
except the configuration, which the ingest reads anyway) and sums it up in a
fingerprint; the ingest stores the fingerprint on the Repository node, and a
later ingest whose fingerprint is the same can keep the stored graph as it is.

The fingerprint covers:

* the commit checked out (HEAD) and its branch and remote (both are stored),
  the checkout's place and the repository's name in the store;
* the tracked files: git is not told to look away from any of them
  (assume-unchanged, skip-worktree, unmerged), and they are HEAD's, or differ
  from HEAD where ``worktree.worktree_changes`` says (a checkout with changes
  not committed yet): then the index's entries that differ from HEAD (modes
  and blob ids) and the state of each of those files in the work tree (a
  SHA-256 of its content, or its stat data above ``DIRTY_HASH_BYTES``; a
  link's target; or that it is missing) are covered too, so an unchanged
  dirty checkout is still unchanged. Then every tracked file, code or not, is
  determined;
* that no *untracked* file sits where Cairn reads one by name: the
  configuration and rule files at the root, ``.mailmap``, CODEOWNERS, ADR
  folders and records, and ``.gitattributes`` in any directory that holds
  tracked files (git reads those whether tracked or not);
* the configuration as written (``cairn.toml``, ``[tool.cairn]`` or the file
  given with ``--config``: which one, and its table); it is validated only by
  an ingest that has something to do, so a rewording that means the same
  (a reordered table, a default spelled out) costs one ingest;
* what git itself adds to history and attributes: the shallow boundary,
  replacement refs, ``info/attributes`` and the user's attributes file;
* the code samples of past periods cached for trends (``trend-samples.json``
  in the cache directory, by size and modification time): a ``cairn trends``
  that extracted them makes the next ingest store them;
* Cairn itself: the size and modification time of its own source files, so a
  new version (or an edited checkout of Cairn) never keeps an old graph, and
  the Python it runs on (its standard library's module names are what
  ``stdlib`` means for Python imports).

The review records kept beside the graph are added by the service that applies
them (``fingerprint_with``). When any part cannot be known (not a git
repository, no commit yet, an unusual checkout), there is no fingerprint and
the ingest runs in full.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from cairn.ingest.build import cairn_build
from cairn.ingest.digest import digest, sha1, sha256
from cairn.ingest.git import GitError, GitTogether
from cairn.ingest.worktree import STAGED, WorktreeChanges, configured_filters, worktree_changes_of, worktree_commands

if TYPE_CHECKING:
    from cairn.ingest.config import ConfigSource

#: Bumped whenever what a fingerprint covers changes meaning.
FORMAT = 1
#: Where git keeps the replacement refs (``git replace``), which change the history Cairn reads.
REPLACE_REFS = "refs/replace/"
#: Files Cairn reads by name at the top of a checkout, tracked or not.
ROOT_INPUTS = ("cairn.toml", "pyproject.toml", "setup.cfg", ".importlinter", ".mailmap", ".adr-dir", ".log4brains.yml",
               ".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")
#: ``ingest.trend_samples.SAMPLES_FILE`` (not imported: that module is heavy)
TREND_SAMPLES_FILE = "trend-samples.json"
#: What the check asks git beside the work tree's changes, all at once (``GitTogether``): where the checkout's top
#: level and git's own files are, HEAD, the replacement refs (each one's object, then the same refs' names, in the
#: same order) and HEAD's branch, from one process; the tracked files.
_WHERE = ("rev-parse", "--show-toplevel", "--git-path", "shallow", "--git-path", "info/attributes", "--git-path",
          "info/grafts", "HEAD", f"--glob={REPLACE_REFS}*", "--symbolic-full-name", f"--glob={REPLACE_REFS}*",
          "--abbrev-ref", "HEAD")
_TRACKED = ("-c", "core.quotepath=off", "ls-files", "-z", "-v", "--cached")
#: The git configuration Cairn's reading depends on: the remote, the attributes file, filter drivers.
_SETTINGS = ("config", "-z", "--get-regexp", r"^(remote\.origin\.url|core\.attributesfile|filter\..*)$")
#: A changed tracked file up to this size is fingerprinted by its content, a larger one by its stat data.
DIRTY_HASH_BYTES = 4_000_000


class CheckoutState:
    """What ``checkout_state`` found (see the module docstring). (A plain class: every ingest makes this class, and a
    dataclass's takes 0.3 ms to make.)"""

    def __init__(self) -> None:
        self.head: str | None = None
        self.branch: str | None = None
        self.remote: str | None = None
        #: whether the tracked files are exactly HEAD's (None: cannot tell safely): the Repository node's ``dirty``
        self.matches_head: bool | None = None
        #: None when the checkout cannot be fingerprinted; why, in ``unknown``
        self.fingerprint: str | None = None
        self.unknown: str | None = None
        self.facts: dict[str, Any] = {}
        #: the tracked paths in the cache directory (repository-relative): what ``code.cache.tracked_cache_files``
        #: would ask git, read from the check's listing (None: not known)
        self.tracked_in_cache: list[str] | None = None
        #: the tracked paths, as the check listed them (None: not known); what ``files.list_files`` would ask git again
        self.tracked: set[str] | None = None

    def __repr__(self) -> str:
        return f"CheckoutState({vars(self)!r})"


class CheckoutQuestions:
    """The check's questions to git, asked now (``ask``) and answered by the time ``checkout_state`` reads them: an
    ingest imports what it needs meanwhile. ``cancel`` ends the commands when their answers are not read."""

    def __init__(self, root: Path, settings: dict[str, str], started: GitTogether | None,
                 changed: GitTogether | None = None) -> None:
        self.root = root
        self.settings = settings
        self._started = started  # _WHERE, _TRACKED and the index's changes (``worktree.STAGED``)
        self._changed = changed  # the work tree's changes (None: not asked, no filter driver could be blanked)

    @classmethod
    def ask(cls, root: Path) -> CheckoutQuestions:
        """Start the commands for the checkout at ``root`` (its top level, resolved: ``checkout.checkout_root``)."""
        # The configuration names the filter drivers that diff-files must not run: the questions that need none
        # named are started while git reads it, and diff-files once it answered.
        try:
            config = GitTogether.start(root, _SETTINGS)
        except GitError:
            return cls(root, {}, None)
        try:
            started = GitTogether.start(root, _WHERE, _TRACKED, STAGED)
        except BaseException as exc:
            config.cancel()
            if isinstance(exc, GitError):
                return cls(root, {}, None)
            raise
        settings = _settings_of(config.results()[0])
        commands = worktree_commands(configured_filters(root, settings))
        if commands is None:
            return cls(root, settings, started)
        try:
            changed = GitTogether.start(root, commands[1])
        except GitError:
            started.cancel()
            return cls(root, settings, None)
        return cls(root, settings, started, changed)

    def answers(self) -> list[subprocess.CompletedProcess]:
        """The finished commands (once only): ``_WHERE``'s, ``_TRACKED``'s, then ``worktree_commands``' when they were
        asked; ``GitError`` when git could not be started."""
        started, changed = self._started, self._changed
        self._started = self._changed = None
        if started is None:
            raise GitError("git could not be started")
        try:
            where, tracked, staged = started.results()
            return [where, tracked] if changed is None else [where, tracked, staged, *changed.results()]
        finally:
            if changed is not None:
                changed.cancel()

    def cancel(self) -> None:
        for started in (self._started, self._changed):
            if started is not None:
                started.cancel()
        self._started = self._changed = None


def checkout_state(root: Path, config: ConfigSource, *, repo: str, cache_dir: Path | None = None,
                   asked: CheckoutQuestions | None = None) -> CheckoutState:
    """The state of the git checkout at ``root`` (its top level), fingerprinted when it can be; ``config`` is the
    configuration as found (``read_config_source``), not validated: see ``ConfigSource``. ``asked``: the questions
    already put to git for ``root`` (``CheckoutQuestions.ask``), else they are asked now."""
    state = CheckoutState()
    if asked is None or asked.root != root:
        if asked is not None:
            asked.cancel()
        asked = CheckoutQuestions.ask(root)
    settings = asked.settings
    try:
        where, listed, *diffs = asked.answers()
    except GitError:
        state.unknown = "not a git repository with a commit checked out"
        return state
    found = _where(where)
    if found is None:
        state.unknown = "not a git repository with a commit checked out"
        return state
    top, shallow, info_attributes, grafts, state.head, state.branch, replaced = found
    if Path(top).resolve() != Path(root).resolve():
        state.unknown = "not the top of its git repository"
        return state
    state.remote = settings.get("remote.origin.url")
    changes = worktree_changes_of(*diffs) if diffs else None
    if changes is None:
        state.unknown = "cannot tell whether the files match HEAD"
        return state
    state.matches_head = not changes
    tracked = _tracked_paths(listed)
    if tracked is None:
        state.unknown = "git marks some files to be skipped or left unchecked"
        return state
    state.tracked = tracked
    if cache_dir is not None:
        state.tracked_in_cache = _tracked_in(root, Path(cache_dir), listed.stdout)
    untracked = _untracked_inputs(root, config, tracked)
    if untracked:
        state.unknown = f"an untracked file Cairn reads: {untracked}"
        return state
    attributes_file = settings.get("core.attributesfile") or _default_attributes_file()
    state.facts = {
        "format": FORMAT, "cairn": cairn_build(), "python": list(sys.version_info[:3]), "repo": repo, "path": str(root),
        "head": state.head,
        "branch": state.branch, "remote": state.remote, "config": config.identity(),
        "shallow": _digest_of(root, shallow), "grafts": _digest_of(root, grafts), "replaced": replaced,
        "info_attributes": _digest_of(root, info_attributes),
        "attributes_file": [attributes_file, _digest_of(root, attributes_file) if attributes_file else None],
        "trend_samples": _stat_of(Path(cache_dir) / TREND_SAMPLES_FILE) if cache_dir else None,
    }
    if changes:
        state.facts["changes"] = _changes_state(root, changes)
    state.fingerprint = digest(state.facts)
    return state


def fingerprint_with(fingerprint: str | None, review_records: Iterable[dict[str, Any]]) -> str | None:
    """``fingerprint`` and the review records applied to the graph, as one fingerprint (None stays None)."""
    if fingerprint is None:
        return None
    return digest({"checkout": fingerprint, "reviews": list(review_records)})


# -- the pieces ------------------------------------------------------------------------------


def _output_lines(proc: subprocess.CompletedProcess) -> list[str] | None:
    """The lines a finished git command (``CheckoutQuestions.answers``) wrote; None when it failed."""
    return proc.stdout.decode("utf-8", "replace").splitlines() if proc.returncode == 0 else None


def _where(proc: subprocess.CompletedProcess) -> tuple[str, str, str, str, str, str, list[str]] | None:
    """What ``_WHERE`` answered: the top level, the paths of ``shallow``, ``info/attributes`` and ``info/grafts``,
    HEAD, its branch, and each replacement ref as ``for-each-ref --format='%(refname) %(objectname)'`` writes it
    (the same refs, in the same order); None when git failed or answered something else."""
    lines = _output_lines(proc)
    if lines is None or len(lines) < 6 or (len(lines) - 6) % 2:
        return None
    top, shallow, info_attributes, grafts, head, *refs, branch = lines
    objects, names = refs[:len(refs) // 2], refs[len(refs) // 2:]
    if not all(name.startswith(REPLACE_REFS) for name in names):
        return None
    return top, shallow, info_attributes, grafts, head, branch, [f"{name} {sha}" for name, sha in zip(names, objects)]


def _settings_of(proc: subprocess.CompletedProcess) -> dict[str, str]:
    """What ``_SETTINGS`` answered (key -> value; none when git failed or none is set)."""
    out: dict[str, str] = {}
    for entry in proc.stdout.decode("utf-8", "replace").split("\0") if proc.returncode == 0 else ():
        key, _, value = entry.partition("\n")
        if key:
            out[key] = value  # git lists the files in the order it reads them: the last one wins, as for ``--get``
    return out


def _tracked_paths(proc: subprocess.CompletedProcess) -> set[str] | None:
    """The tracked paths ``_TRACKED`` listed; None when git is told not to compare one of them (assume-unchanged,
    skip-worktree) or one is unmerged."""
    if proc.returncode != 0:
        return None
    listed = proc.stdout.decode("utf-8", errors="surrogateescape")
    if not listed:
        return set()
    # each entry is "TAG path\0" and no path holds a NUL: every entry is tagged H when there are as many entries as
    # NULs that begin one with "H "; the paths are then what splitting at those leaves (no loop over the entries)
    entries = "\0" + listed[:-1] if listed.endswith("\0") else "\0" + listed
    if entries.count("\0H ") != entries.count("\0"):
        return None
    return set(entries.split("\0H ")[1:])


def _tracked_in(root: Path, directory: Path, listed: bytes) -> list[str]:
    """The tracked paths in ``directory`` (repository-relative), from ``_TRACKED``'s output: git lists the index in
    path order, so they are one run, found by searching the bytes rather than by looking at every path."""
    try:
        inside = directory.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return []  # outside the checkout: nothing there is tracked
    prefix = b"" if inside == "." else (inside + "/").encode("utf-8", "surrogateescape")
    entries, needle = b"\0" + listed, b"\0H " + prefix
    found: list[str] = []
    at = entries.find(needle)
    while at >= 0 and entries.startswith(needle, at):
        end = entries.find(b"\0", at + 1)
        found.append(entries[at + 3:end].decode("utf-8", errors="surrogateescape"))
        at = end
    return found


def _untracked_inputs(root: Path, config: ConfigSource, tracked: set[str]) -> str | None:
    """The first untracked file Cairn would read by name (None: there is none)."""
    from cairn.ingest.adrs.discovery import AdrPaths, adr_files, find_adr_folders

    for name in ROOT_INPUTS:
        if name not in tracked and os.path.lexists(root / name):
            return name
    folders, _ = find_adr_folders(root, AdrPaths(config.adr_paths()))
    for folder in folders:
        for path in adr_files(root, folder):
            if path not in tracked:
                return path
    directories = {""}
    for directory in {path.rpartition("/")[0] for path in tracked}:  # (the files' own directories first: few)
        while directory not in directories:
            directories.add(directory)
            directory = directory.rpartition("/")[0]
    top = str(root)
    for directory in directories:
        name = f"{directory}/.gitattributes" if directory else ".gitattributes"
        if name not in tracked and os.path.lexists(os.path.join(top, name)):
            return name
    return None


def _default_attributes_file() -> str | None:
    base = os.environ.get("XDG_CONFIG_HOME") or (os.path.join(os.environ["HOME"], ".config") if os.environ.get("HOME") else None)
    return os.path.join(base, "git", "attributes") if base else None


def _digest_of(root: Path, path: str) -> str | None:
    """The SHA-1 of a small file git keeps or names (relative paths are the checkout's); None when there is none."""
    full = Path(os.path.expanduser(path))
    if not full.is_absolute():
        full = root / full
    try:
        with open(full, "rb") as fh:
            return sha1(fh.read(4_000_000)).hexdigest()
    except OSError:
        return None


def _changes_state(root: Path, changes: WorktreeChanges) -> dict[str, Any]:
    """What the ingest would read of the tracked files that differ from HEAD: the index's differing entries, and
    each such file as it is in the work tree (never followed out of the checkout; time bounded by their size)."""
    files: dict[str, Any] = {}
    top = os.path.realpath(root)
    for path in changes.paths:
        full = os.path.join(root, path)
        try:
            info = os.lstat(full)
            target = os.readlink(full) if stat.S_ISLNK(info.st_mode) else None
        except OSError:  # gone (or replaced while looked at)
            files[path] = "missing"
            continue
        if target is not None:
            files[path] = ["link", target]
        elif os.path.commonpath([top, os.path.realpath(full)]) != top:
            files[path] = "outside"  # a directory on its path is a link out of the checkout: never read
        elif not stat.S_ISREG(info.st_mode) or info.st_size > DIRTY_HASH_BYTES:
            files[path] = _stat_data(info)
        else:
            files[path] = _content_digest(full, info)
    return {"staged": sha256(changes.staged).hexdigest(), "files": files}


def _stat_data(info: os.stat_result) -> list[int]:
    """What stands for a file's content when it is not read: its type, size, times and inode."""
    return [stat.S_IFMT(info.st_mode), info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]


def _content_digest(full: str, info: os.stat_result) -> Any:
    """The SHA-256 of a regular file's content; its stat data when it cannot be read (or is no longer regular)."""
    try:
        fd = os.open(full, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return _stat_data(info)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return _stat_data(info)
        hasher, left = sha256(), DIRTY_HASH_BYTES + 1
        while left > 0:
            chunk = os.read(fd, min(1 << 20, left))
            if not chunk:
                break
            hasher.update(chunk)
            left -= len(chunk)
        return hasher.hexdigest()
    finally:
        os.close(fd)


def _stat_of(path: Path) -> list[Any] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [str(path), st.st_size, st.st_mtime_ns, st.st_ino]
