"""Files moved onto a path that already held another file: found in the few commits that may hold one.

``git log -M`` pairs a deleted path with an added one; a file moved onto a path
that existed (mitmproxy's d159897d9 moved ``mitmproxy/proxy2/server.py`` onto
``mitmproxy/proxy/server.py``) shows as ``D`` of its old path and ``M`` of the
existing one, so the moved file's history is lost and the replaced file's goes
on under its path. ``git log -B -M`` finds these moves (it breaks a rewritten
file into a deletion and an addition, then pairs the addition with a deleted
path: ``R098 proxy2/server.py proxy/server.py``), but breaking compares every
modified file of every commit, ten times the cost of the whole log.

So only the commits that may hold such a move are asked about again, with
``-B -M`` and limited to the paths that may: a commit that deletes a path and
modifies another of the same name or in the same directory (a directory moved
onto another, a file replaced by its sibling: 11 of the 13 commits of
mitmproxy that make such moves, 5 of 5 of prometheus's; the other two moved and
renamed a file at once), and that
modifies at most ``max_commit_files`` files (a larger one is a sweep, whose
modifications count for nobody, and where breaking costs most: vendor updates of
hundreds of files). The parser hands over the candidates of each chunk of the log
before it reads the chunk (``BreakRenames.ask``: one ``git log --no-walk --stdin``
per chunk, limited to their paths, which works while the chunk is read) and takes
the answer when it reaches the commit (``BreakRenames.moves``): 1–2% of the
commits; on mitmproxy (230 asked of 11,224) git works 0.4 s of CPU for them and
its history is read 7% slower (0.71 -> 0.76 s, best of 3; prometheus 13%, helix
0.04 s), where the whole commits asked one at a time made it 70% slower. A move
is taken only where the log said ``D old`` and ``M new`` and ``-B -M`` says
``R old new``; everything else of the commit is kept as the log gave it
(``rewritten``).

What a move means (``log_parser.LogParser`` applies it): the commit renames
``old`` to ``new`` (the moved file's history carries on under ``new``), and
deletes the file that was at ``new`` before, whose history ends there: the
changes of ``new`` in the commits before (older in the stream) are another
file's, recorded under ``replaced_path(new, commit)``, a name no git path can
have (it holds an empty path component) that keeps the directory and the file's
name (its language, its component). The file renamed away from a path that a
later file took is recorded under ``replaced_path(old, commit)`` of its rename
alike (``LogParser._settle_renames``); ``earlier_files`` finds both kinds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from cairn.ingest.git import GitError, GitProcess, git
from cairn.ingest.lazy_pattern import LazyPattern

_ARGS = ("--literal-pathspecs", "-c", "core.quotepath=off", "-c", "log.showSignature=false", "log", "--no-walk=unsorted",
         "--stdin", "-B", "-M", "--name-status", "-z", "--no-diff-merges", "--no-ext-diff", "--no-textconv", "--no-color",
         "--format=%x1e%H")


_REPLACED = LazyPattern(r"(?:(.*)/)?replaced-([0-9a-f]{12})//([^/]+)")


def replaced_path(path: str, commit: str) -> str:
    """The name the file at ``path`` is recorded under before ``commit`` moved another file onto it."""
    directory, _, name = path.rpartition("/")
    marker = f"replaced-{commit[:12]}/"
    return f"{directory}/{marker}/{name}" if directory else f"{marker}/{name}"


def replaced_paths(names: list[str]) -> set[str]:
    """The paths that ``names`` (logged paths) hold a ``replaced_path`` of."""
    return set(earlier_files(names))


def earlier_files(names: list[str]) -> dict[str, list[tuple[str, int]]]:
    """Per path, the ``replaced_path`` s of it among ``names`` (logged paths): the first 12 digits of the commit that
    ended that file there, and the name's index."""
    out: dict[str, list[tuple[str, int]]] = {}
    for at, name in enumerate(names):
        if "//" in name:
            found = _REPLACED.fullmatch(name)
            if found is not None:
                directory, commit, file = found.groups()
                out.setdefault(f"{directory}/{file}" if directory is not None else file, []).append((commit, at))
    return out


def _changes(tokens: list[str]) -> Iterator[list[str]]:
    """Each change of a commit's change tokens (``status path`` or ``Rnn old new``; the first status follows a line
    break): its status, without the line break, and its path or paths."""
    i, n = 0, len(tokens)
    while i < n:
        token = tokens[i].lstrip("\n")
        if not token:
            i += 1
            continue
        width = 3 if token[0] in "RC" else 2
        yield [token, *tokens[i + 1:i + width]]
        i += width


def deleted_and_modified(tokens: list[str]) -> tuple[list[str], list[str]]:
    """The paths a commit's change tokens delete and modify."""
    deleted: list[str] = []
    modified: list[str] = []
    for change in _changes(tokens):
        if len(change) > 1:
            if change[0] == "D":
                deleted.append(change[1])
            elif change[0] == "M":
                modified.append(change[1])
    return deleted, modified


def move_paths(deleted: list[str], modified: list[str], max_modified: int) -> list[str]:
    """The paths git is asked about for a commit that deletes ``deleted`` and modifies ``modified`` (module docstring):
    each deleted and modified path that has a modified or deleted one of the same name or in the same directory;
    none when the commit modifies more than ``max_modified`` files."""
    if not deleted or not modified or len(modified) > max_modified:
        return []
    def keys(paths: list[str]) -> tuple[set[str], set[str]]:
        names, directories = set(), set()
        for path in paths:
            directory, _, name = path.rpartition("/")
            names.add(name)
            directories.add(directory)
        return names, directories

    def matching(paths: list[str], others: list[str]) -> list[str]:
        names, directories = keys(others)
        return [path for path in paths if path.rpartition("/")[2] in names or path.rpartition("/")[0] in directories]

    onto = matching(modified, deleted)
    return onto + matching(deleted, modified) if onto else []


def rewritten(tokens: list[str], moves: dict[str, str], commit: str) -> list[str]:
    """A commit's change tokens with each move (``moves``: new path -> old path) as a rename of the old path and a
    deletion of the replaced file (``replaced_path``) in place of the new path's ``M``, and the old path's ``D``
    left out."""
    moved_from = set(moves.values())
    out: list[str] = []
    for change in _changes(tokens):
        token = change[0]
        if token == "D" and change[1] in moved_from:
            continue
        if token == "M" and change[1] in moves:
            path = change[1]
            out += ["R", moves[path], path, "D", replaced_path(path, commit)]
            continue
        out += change
    if out:
        out[0] = "\n" + out[0]
    return out


class BreakRenames:
    """Asks git which of a commit's deletions and modifications are moves onto an existing path (module docstring).

    The candidates of a stretch of the log (a chunk the parser is about to read: ``ask``) are asked about at once,
    by one ``git log --no-walk=unsorted --stdin -B -M`` limited to their candidate paths (breaking compares only
    those, not every modified file of the commit), which works while the stretch is parsed; ``moves`` reads the
    answer for one commit (asking on its own about one not asked yet). ``close`` ends what is under way."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.asked = 0  # commits asked about
        self.found = 0  # commits with a move
        self._pending: list[tuple[set[str], GitProcess]] = []  # the batches under way: their commits, their git
        self._answers: dict[str, list[str]] = {}  # commit -> its change tokens under -B -M (read, not used yet)

    def ask(self, candidates: list[tuple[str, list[str]]]) -> None:
        """Start asking about ``candidates``: (commit, the paths that may hold a move: ``move_paths``) each."""
        candidates = [(sha, paths) for sha, paths in candidates if sha not in self._answers
                      and not any("\n" in path for path in paths)]  # (a path is a line of git's input)
        if not candidates:
            return
        paths = sorted({path for _, paths in candidates for path in paths})
        text = "".join(f"{sha}\n" for sha, _ in candidates) + "--\n" + "".join(f"{path}\n" for path in paths)
        try:
            process = GitProcess(self.root, *_ARGS)
            assert process.proc.stdin is not None
            process.proc.stdin.write(text.encode("utf-8", "surrogateescape"))  # (git reads it all before it writes)
            process.proc.stdin.close()
        except (GitError, OSError):
            return
        self.asked += len(candidates)
        self._pending.append(({sha for sha, _ in candidates}, process))

    def copied(self, commit: str, path: str, source: str) -> bool:
        """Whether git sees ``path``, made by ``commit``, as a copy of ``source`` (``-C -C``, the two paths alone):
        flask moved ``src/flask/app.py`` to ``sansio/app.py`` and made ``app.py`` again the next day from it (C064),
        a file whose history ``git log --follow`` goes on with; False when git cannot tell."""
        if "\n" in path or "\n" in source:
            return False
        try:
            proc = git(self.root, "--literal-pathspecs", "-c", "core.quotepath=off", "diff-tree", "-r", "-z",
                       "--no-commit-id", "--name-status", "-C", "-C", "--no-ext-diff", "--no-textconv", commit, "--",
                       source, path, text=False)
        except (GitError, OSError):
            return False
        if proc.returncode != 0:
            return False
        tokens = proc.stdout.decode("utf-8", "surrogateescape").split("\0")
        return any(tokens[i].startswith("C") and tokens[i + 1:i + 3] == [source, path] for i in range(len(tokens) - 2))

    def moves(self, commit: str, deleted: list[str], modified: list[str]) -> dict[str, str]:
        """The moves of ``commit`` (new path -> old path) among the paths the log says it ``deleted`` and
        ``modified``; empty when there is none or git cannot tell (a missing blob: the log's changes stand)."""
        if commit not in self._answers and not any(commit in shas for shas, _ in self._pending):
            paths = move_paths(deleted, modified, len(modified))
            if not paths:
                return {}
            self.ask([(commit, paths)])
        while commit not in self._answers and self._pending:
            self._read_batch()
        changes = self._answers.pop(commit, [])
        deleted_set, modified_set = set(deleted), set(modified)
        found = {}
        j, n = 0, len(changes)
        while j < n:
            status = changes[j]
            if status[:1] in ("R", "C"):
                if status[0] == "R" and j + 2 < n and changes[j + 1] in deleted_set and changes[j + 2] in modified_set:
                    found[changes[j + 2]] = changes[j + 1]
                j += 3
            else:
                j += 2
        if found:
            self.found += 1
        return found

    def _read_batch(self) -> None:
        """Read the answers of the oldest batch under way (a commit git could not read, and those after it, get none;
        a commit whose changes lie outside the paths asked about is not in git's output: none either)."""
        shas, process = self._pending.pop(0)
        assert process.proc.stdout is not None
        try:
            out = process.proc.stdout.read()
        except (OSError, ValueError):
            out = b""
        code = process.proc.wait()
        process.close()
        commits = out.decode("utf-8", "surrogateescape").split("\x1e")[1:]
        if code != 0 and commits:
            commits.pop()  # (perhaps cut short)
        for commit in commits:
            sha, _, body = commit.partition("\0")
            sha = sha.strip()
            if sha in shas:
                self._answers[sha] = body.lstrip("\n").split("\0")[:-1]
        # (answers read and never used: a commit the parser did not read after all)
        for sha in shas:
            self._answers.setdefault(sha, [])

    def close(self) -> None:
        for _, process in self._pending:
            process.close()
        self._pending.clear()
        self._answers.clear()
