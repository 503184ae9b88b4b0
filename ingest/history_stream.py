"""Running ``git log`` for history mining: the whole history (resuming past missing objects), or only new commits.

The log is read as a stream in chunks of ``-z`` output (memory grows with the
number of distinct paths and people, never with the size of the output), by a
thread that keeps git writing while the previous chunk is parsed::

    git log HEAD -M --name-status -z --use-mailmap --no-diff-merges --format=<compact>

and fed to a parser (``history.LogParser``: ``start_stream``, ``feed``,
``end_stream``, ``seen``).

Incomplete repositories. A mirror or a partial clone may lack objects: git
then stops in the middle of the log (``fatal: unable to read <id>``), usually
because rename detection needs the contents of a blob that is not there.
Instead of keeping only the commits read so far, ``read_log`` lists every
commit (``git rev-list HEAD``), continues with the ones not read yet
(``git log --no-walk=unsorted --stdin``), and reads a commit that fails on
its own with exact renames only (``-M100%``, which compares object ids and
needs no contents), then without rename detection, and skips it only when
even its trees are missing. ``LogStatus`` counts each of these.

``read_range`` reads only the commits of ``since..HEAD`` (an ingest that
remembers the history up to ``since``: ``ingest.history_state``);
``stream_order`` lists every commit in the order ``git log HEAD`` gives them,
for when new commits interleave with remembered ones.
"""

from __future__ import annotations

import codecs
import os
import queue
import re
import threading
from pathlib import Path
from typing import Any, Callable, Protocol

from cairn.graph.store import verifying_skips
from cairn.ingest.git import GitError, GitProcess, git, git_stream
from cairn.ingest.identities import MAILMAP_OPTIONS
from cairn.ingest.trailers import CO_AUTHOR_KEYS, REVIEW_KEYS, git_trailer_keys

_TRAILERS = git_trailer_keys(CO_AUTHOR_KEYS + REVIEW_KEYS)
# Fields: hash, parents, author name/e-mail/time, committer name/e-mail/time, subject, trailers, message.
LOG_FORMAT = (
    "%x1e%H%x1f%P%x1f%aN%x1f%aE%x1f%at%x1f%cN%x1f%cE%x1f%ct%x1f%s%x1f"
    f"%(trailers:{_TRAILERS},unfold,separator=%x1d,key_value_separator=%x1c)"
    "%x1f%B"
)
CHUNK_BYTES = 1 << 20
AHEAD_CHUNKS = 16  # at most this many chunks read ahead of the parser (memory stays bounded)
RENAME_LIMIT_WARNING = "rename detection was skipped"
SPOOL_POLL_SECONDS = 0.005  # how long the reader of a spooled log waits when it has caught up with git
#: From how many commits a spooled log is written by two gits at once (``SpooledLog``). Below it git is not what the
#: ingest waits for: its own parsing (code, then the log) is, and a second git only takes CPU from it (measured at
#: 10k files / 100k commits: no gain, 0.4 s more on a loaded machine); at 50k files / 300k commits git is (best of
#: two on a loaded machine: 39.9 against 43.7 s, and 45.1 against 54.7 s in another run).
SPLIT_COMMITS = 200_000
NEWER_SHARE = 0.4  # the share of the commits (the newest) the first of them writes

_MISSING_MARKERS = ("unable to read", "bad object", "missing blob", "missing tree", "missing commit",
                    "invalid object", "could not read", "does not point to a valid object", "bad tree object")
_OBJECT_ID = re.compile(r"\b[0-9a-f]{40}(?:[0-9a-f]{24})?\b")


class StreamParser(Protocol):
    seen: set[str]

    def start_stream(self) -> None: ...

    def feed(self, chunk: str) -> None: ...

    def end_stream(self) -> None: ...

    # optional: ``idle()``, called while the parser waits for git (work it would otherwise do at ``end_stream``)


class LogStatus:
    """How much of the history git could give."""

    commits_total: int | None  # commits reachable from HEAD (None: git cannot even list them)
    exact_renames_only: int  # commits read with exact rename detection only (a blob was missing)
    without_renames: int  # commits read without rename detection
    unreadable: list[str]  # commits skipped: even their trees are missing
    missing_objects: set[str]  # object ids git reported missing
    failure: str | None  # a failure that is not about missing objects (the rest of the log is lost)
    stderr: str

    def __init__(self, commits_total: int | None = None, exact_renames_only: int = 0, without_renames: int = 0,
                 unreadable: list[str] | None = None, missing_objects: set[str] | None = None,
                 failure: str | None = None, stderr: str = "") -> None:
        self.commits_total = commits_total
        self.exact_renames_only = exact_renames_only
        self.without_renames = without_renames
        self.unreadable = [] if unreadable is None else unreadable
        self.missing_objects = set() if missing_objects is None else missing_objects
        self.failure = failure
        self.stderr = stderr

    @property
    def objects_missing(self) -> bool:
        return bool(self.missing_objects or self.exact_renames_only or self.without_renames or self.unreadable)


#: How much of the packs one ``git log`` keeps mapped, in windows of what size. By default git maps up to 8 GB in windows
#: of 1 GB and unmaps none: the pages of the packs it has read stay in its resident size, which counts in the ingest's
#: peak (a child's): a whole log at 50k files, 300,000 commits, grew git to 880 MB, 710 MB of them the pack's pages.
#: With these, 510 MB, in the same time (smaller windows cost seconds of the system's time, mapped again and again).
PACK_WINDOWS = ("-c", "core.packedGitLimit=256m", "-c", "core.packedGitWindowSize=64m")
#: Packs no larger than this (``core.packedGitLimit`` above) are left to git's defaults, which map each pack once,
#: whole: windows of 64 MB over packs git never needs to unmap overlap, and the pages they share count twice (a
#: 205 MB pack at 10k files, 100,000 commits, grew git from 339 to 371 MB with them).
PACK_LIMIT_BYTES = 256 << 20


def pack_windows(root: Path) -> tuple[str, ...]:
    """``PACK_WINDOWS`` for the repository checked out at ``root``, or none when its packs are known to be within
    ``PACK_LIMIT_BYTES`` (a ``.git`` directory that borrows no objects from elsewhere: only its packs' sizes are
    looked at)."""
    objects = root / ".git" / "objects"
    try:
        if (objects / "info" / "alternates").exists():
            return PACK_WINDOWS
        with os.scandir(objects / "pack") as entries:
            total = sum(entry.stat(follow_symlinks=False).st_size for entry in entries if entry.name.endswith(".pack"))
    except OSError:  # a linked worktree's .git file, a bare or unusual repository: bounded, as always
        return PACK_WINDOWS
    return PACK_WINDOWS if total > PACK_LIMIT_BYTES else ()


def _log_args(renames: str, windows: tuple[str, ...]) -> list[str]:
    """``git log``'s arguments for the history, with ``windows`` (``pack_windows``) for the packs."""
    return [*MAILMAP_OPTIONS, *windows, "-c", "log.showSignature=false", "log", renames, "--name-status", "-z", "--use-mailmap",
            "--no-diff-merges", "--no-color", "--no-ext-diff", "--no-textconv", f"--format={LOG_FORMAT}"]


def _run(root: Path, args: list[str], parser: StreamParser, stdin: str | None = None) -> tuple[int, str]:
    """Run one ``git log`` into ``parser``; (exit code, stderr)."""
    parser.start_stream()
    proc = GitProcess(root, *args, stdin=stdin is not None, keep_stderr=True)
    assert proc.stdout is not None
    if stdin is not None:
        assert proc.stdin is not None
        try:  # git log --stdin reads all revisions before it writes anything, so this cannot deadlock
            proc.stdin.write(stdin.encode())
            proc.stdin.close()
        except BrokenPipeError:
            pass
    fd = proc.stdout.fileno()
    _widen_pipe(fd)
    return _parse_output(lambda size: os.read(fd, size), parser, proc.close, proc.finish)


def _parse_output(read: Callable[[int], bytes], parser: StreamParser, abort: Callable[[], None],
                  finish: Callable[[], tuple[int, str]]) -> tuple[int, str]:
    """Feed git's output (``read(size)`` gives the next bytes, b"" at the end) to ``parser``; (exit code, stderr).

    A thread drains the output into a bounded queue while this one parses, so git never waits on a
    full pipe while a chunk is parsed (reading and parsing overlap instead of taking turns); at most
    ``AHEAD_CHUNKS`` chunks are held unparsed. When parsing fails, ``abort`` stops git and the error goes on.
    """
    chunks: queue.Queue[bytes | None] = queue.Queue(AHEAD_CHUNKS)
    stop = threading.Event()
    reader = threading.Thread(target=_drain, args=(read, chunks, stop), name="git-log-reader", daemon=True)
    reader.start()
    decode = codecs.getincrementaldecoder("utf-8")(errors="surrogateescape").decode
    idle = getattr(parser, "idle", None)
    done = False
    try:
        while True:
            if idle is not None and chunks.empty():
                idle()  # git has not written the next chunk yet: work the parser can do now rather than at the end
            data = chunks.get()
            if data is None:
                break
            parser.feed(decode(data))
        parser.feed(decode(b"", True) + "\0")  # the last token
        parser.end_stream()
        done = True
    finally:
        if not done:  # parsing failed: stop the reader and git, then let the error through
            stop.set()
            abort()
            while reader.is_alive():
                try:
                    chunks.get(timeout=0.05)
                except queue.Empty:
                    pass
        reader.join()
    return finish() if done else (-1, "")


def _drain(read: Callable[[int], bytes], chunks: "queue.Queue[bytes | None]", stop: threading.Event) -> None:
    """Read git's output (``read``) into ``chunks`` of about CHUNK_BYTES until it ends; None marks the end."""
    pending: list[bytes] = []
    size = 0
    try:
        while not stop.is_set():
            try:
                data = read(CHUNK_BYTES)
            except (OSError, ValueError):  # closed under us: parsing failed and git was stopped
                break
            if not data:
                break
            pending.append(data)
            size += len(data)
            if size >= CHUNK_BYTES:
                chunks.put(b"".join(pending))
                pending, size = [], 0
        if pending and not stop.is_set():
            chunks.put(b"".join(pending))
    finally:
        if not stop.is_set():
            chunks.put(None)


def _widen_pipe(fd: int) -> None:
    """Let git write a whole chunk ahead of the reader (Linux; elsewhere the default pipe size stays)."""
    try:
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, CHUNK_BYTES)
    except (ImportError, AttributeError, OSError):
        pass


def _missing(stderr: str) -> bool:
    lowered = stderr.lower()
    return any(marker in lowered for marker in _MISSING_MARKERS)


class CommitCount:
    """``git rev-list --count HEAD`` (or ``rev``), run beside the log (a thread waits for it) instead of before it."""

    def __init__(self, root: Path, rev: str = "HEAD") -> None:
        self.total: int | None = None
        self._thread = threading.Thread(target=self._count, args=(root, rev), name="git-rev-list-count", daemon=True)
        self._thread.start()

    def _count(self, root: Path, rev: str) -> None:
        try:
            counted = git(root, "rev-list", "--count", rev)
        except GitError:
            return
        if counted.returncode == 0 and counted.stdout.strip().isdigit():
            self.total = int(counted.stdout.strip())

    def result(self) -> int | None:
        """The count (None: git could not count), once git gave it."""
        self._thread.join()
        return self.total


class _SpoolPart:
    """One ``git log`` of a spooled log, writing into an unlinked temporary file that its reader reads as it grows."""

    def __init__(self, root: Path, head: str, limits: list[str]) -> None:
        import tempfile  # here: only a log read whole is spooled (it imports shutil and random)

        self.file = tempfile.TemporaryFile(prefix="cairn-log-")
        self.offset = 0
        self.exited = False
        try:
            self.git = GitProcess(root, *_log_args("-M", pack_windows(root)), *limits, head, "--", stdin=False, keep_stderr=True,
                                  stdout=self.file)
        except GitError:
            self.file.close()
            raise

    def close(self) -> None:
        self.git.close()
        self.file.close()


class SpooledLog:
    """The whole ``git log`` of one commit, started before anything reads it.

    A cold ingest starts it as soon as it knows HEAD, so that git walks the history while the code is parsed.
    git writes into an unlinked temporary file (what it wrote ahead waits on disk, not in memory: 300–450 bytes
    a commit on real repositories); ``read_log(..., spooled=)`` reads that file as git extends it and gets
    exactly what the pipe would have given. ``close`` stops git and drops the file (whether it was read or not).

    A long history (``SPLIT_COMMITS`` or more, counted beside the git started first, which then stops: ``git
    rev-list --count`` takes a fraction of a second even then) is written by two gits at once when there are two
    cores: ``git log --max-count=K`` and
    ``git log --skip=K`` of the same commit, whose outputs one after the other are byte for byte the whole log
    (the same walk; ``--skip`` only leaves out the output, and the diffs, of the first K commits). git is most
    of a cold ingest's work on a long history, and one git alone leaves the other core to the parse workers and
    the ingest, which wait for the log. K is ``NEWER_SHARE`` of the commits: a newer commit costs git more
    (larger trees). The second part is read once the first has ended well; when the first fails (a missing
    object), the reader stops there as with one git, and ``read_log`` goes on past the commits read.
    """

    def __init__(self, root: Path, head: str) -> None:
        self.head = head
        self._at = 0  # the part being read
        self._closed = threading.Event()
        self._lock = threading.Lock()
        self._parts = [_SpoolPart(root, head, [])]  # the whole log, started at once
        self._git, self._file = self._parts[0].git, self._parts[0].file  # the first part's
        self.count = CommitCount(root, head)
        self._decided = threading.Thread(target=self._split, args=(root,), name="git-log-split", daemon=True)
        self._decided.start()

    def _split(self, root: Path) -> None:
        """Once the commits are counted: a long history is written by two gits instead of the one started (which is
        stopped; a fraction of a second of its work is lost). When either cannot start, the one goes on."""
        limits = self._limits(self.count.result())
        if len(limits) == 1:
            return
        parts: list[_SpoolPart] = []
        try:
            for more in limits:
                parts.append(_SpoolPart(root, self.head, more))
        except (GitError, OSError):
            for part in parts:
                part.close()
            return
        with self._lock:
            if self._closed.is_set():  # closed meanwhile
                whole = parts
            else:
                whole, self._parts = self._parts, parts
                self._git, self._file = parts[0].git, parts[0].file
        for part in whole:
            part.close()

    @staticmethod
    def _limits(total: int | None) -> list[list[str]]:
        """The range options of each part: one part, or the newest commits and the others."""
        if total is None or total < SPLIT_COMMITS or (os.cpu_count() or 1) < 2:
            return [[]]
        newer = max(1, int(total * NEWER_SHARE))
        return [[f"--max-count={newer}"], [f"--skip={newer}"]]

    @classmethod
    def start(cls, root: Path, head: str) -> "SpooledLog | None":
        """The log of ``head`` under way, or None when it cannot be spooled here (the caller reads it as usual).

        The whole history is read then: from here on the process maps its large blocks apart
        (``freed_memory.large_blocks_apart``: a cold ingest at 50k files peaked 30 MB lower). Not for a read of a few
        new commits: there the fresh pages cost 3% of the ingest after a commit at 10k files, for no lower peak."""
        if not hasattr(os, "pread"):
            return None
        try:
            spooled = cls(root, head)
        except (GitError, OSError):
            return None
        from cairn.ingest.freed_memory import large_blocks_apart

        large_blocks_apart()
        return spooled

    def replay(self, parser: StreamParser) -> tuple[int, str]:
        """Feed the whole log to ``parser`` as ``_run`` would; (exit code, stderr)."""
        parser.start_stream()
        self._decided.join()  # one git or two: the parts are what they will be
        try:
            return _parse_output(self._read, parser, self.close, self._finish)
        finally:
            self.close()

    def _read(self, size: int) -> bytes:
        # pread: git's writes move the file's shared offset; this reader keeps its own.
        while True:
            part = self._parts[self._at]
            data = os.pread(part.file.fileno(), size, part.offset)
            if data:
                part.offset += len(data)
                return data
            if self._closed.is_set():
                return b""
            if part.exited:  # read to its end: the next part, when this one's git ended well
                if part.git.proc.returncode != 0 or self._at + 1 == len(self._parts):
                    return b""
                self._at += 1
            elif part.git.proc.poll() is not None:
                part.exited = True  # everything git wrote is in the file: read on to its end once more
            else:
                self._closed.wait(SPOOL_POLL_SECONDS)

    def _finish(self) -> tuple[int, str]:
        """(exit status, stderr) of the parts read: the first failure's status, else 0."""
        said = []
        for part in self._parts[:self._at + 1]:
            code, stderr = part.git.finish()
            said.append(stderr)
            if code != 0:
                return code, "".join(said)
        return 0, "".join(said)

    def close(self) -> None:
        with self._lock:
            if self._closed.is_set():
                return
            self._closed.set()
            parts = list(self._parts)
        for part in parts:
            part.close()

    def __enter__(self) -> "SpooledLog":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_log(root: Path, parser: StreamParser, commits_total: int | CommitCount | None = None,
             spooled: SpooledLog | None = None) -> LogStatus:
    """Read the history of HEAD at ``root`` into ``parser``, resuming past missing objects (module docstring).

    ``commits_total``: ``git rev-list --count HEAD``, or the ``CommitCount`` that counts it, when the caller counts
    already (else it is counted here, beside the log). ``spooled``: the log of HEAD, already started.
    """
    count = CommitCount(root) if commits_total is None else commits_total
    windows = pack_windows(root)
    if spooled is not None:
        code, stderr = spooled.replay(parser)
    else:
        code, stderr = _run(root, [*_log_args("-M", windows), "HEAD", "--"], parser)
    status = LogStatus(commits_total=count.result() if isinstance(count, CommitCount) else count)
    status.stderr = stderr
    if code == 0:
        return status
    if not _missing(stderr):
        status.failure = next((line.strip() for line in stderr.splitlines() if line.strip()), f"exit status {code}")
        return status
    status.missing_objects.update(_OBJECT_ID.findall(stderr))
    try:
        listed = [line.decode("ascii", "replace").strip() for line in git_stream(root, "rev-list", "HEAD")]
    except GitError as exc:  # commits themselves are missing: what was read is all there is
        status.missing_objects.update(_OBJECT_ID.findall(exc.stderr))
        status.failure = "commit objects are missing, so the rest of the history cannot even be listed"
        return status
    seen = parser.seen  # (asked once a read: ``LogParser`` makes it)
    remaining = [c for c in listed if c and c not in seen]
    while remaining:
        code, stderr = _run(root, [*_log_args("-M", windows), "--no-walk=unsorted", "--stdin"], parser, stdin="\n".join(remaining) + "\n")
        if code == 0:
            break
        status.missing_objects.update(_OBJECT_ID.findall(stderr))
        seen = parser.seen
        remaining = [c for c in remaining if c not in seen]
        if not remaining:
            break
        failing, remaining = remaining[0], remaining[1:]
        for renames in ("-M100%", "--no-renames"):
            code, stderr = _run(root, [*_log_args(renames, windows), "--no-walk", failing, "--"], parser)
            if code == 0 and failing in parser.seen:
                if renames == "-M100%":
                    status.exact_renames_only += 1
                else:
                    status.without_renames += 1
                break
            status.missing_objects.update(_OBJECT_ID.findall(stderr))
        else:
            status.unreadable.append(failing)
    return status


def read_range(root: Path, parser: StreamParser, since: str, head: str, on_top: bool = False) -> tuple[bool, str]:
    """Read the commits of ``since..head`` into ``parser``: (whole, stderr); not whole: use a full read.

    ``on_top``: ``since`` is ``head``'s only parent (``parents_of``), so the range is ``head`` alone, read as
    ``-1 head``. Git walks a range until no commit left in its queue is newer than the newest one it excludes: a
    commit dated before its parent (a skewed clock, a history rewritten elsewhere) had it walk every commit (0.4 s
    at 100,000 commits) for one. Checked against the range under ``CAIRN_VERIFY_SKIPS``."""
    if on_top and verifying_skips():
        walked = git(root, "rev-list", f"{since}..{head}", "--").stdout.split()
        if walked != [head]:
            raise AssertionError(f"{since}..{head} is {len(walked)} commits, not {head} alone")
    code, stderr = _run(root, [*_log_args("-M", pack_windows(root)), *(["-1", head] if on_top else [f"{since}..{head}"]), "--"], parser)
    return code == 0, stderr


def parents_of(root: Path, commit: str) -> list[str] | None:
    """The parents of ``commit`` (None: git cannot tell)."""
    try:
        proc = git(root, "rev-parse", f"{commit}^@")
    except GitError:
        return None
    return proc.stdout.split() if proc.returncode == 0 else None


def is_ancestor(root: Path, commit: str, head: str) -> bool | None:
    """Whether ``commit`` is an ancestor of ``head`` (None: git cannot tell, e.g. the commit is gone)."""
    try:
        proc = git(root, "merge-base", "--is-ancestor", commit, head)
    except GitError:
        return None
    return True if proc.returncode == 0 else False if proc.returncode == 1 else None


def all_missing(root: Path, object_ids: list[str]) -> bool | None:
    """Whether none of ``object_ids`` is in the repository (None: git cannot tell)."""
    if not object_ids:
        return True
    try:
        proc = git(root, "cat-file", "--batch-check", input="".join(f"{oid}\n" for oid in object_ids).encode("ascii"),
                   text=False)
    except GitError:
        return None
    if proc.returncode != 0:
        return None
    lines = proc.stdout.decode("ascii", "replace").splitlines()
    return len(lines) == len(object_ids) and all(line.endswith(" missing") for line in lines)


def stream_order(root: Path, head: str) -> list[str] | None:
    """Every commit of ``head``'s history, newest first, in the order ``git log`` walks them (None: git failed)."""
    try:
        return [line.decode("ascii", "replace").strip() for line in git_stream(root, "rev-list", head) if line.strip()]
    except GitError:
        return None


def record_completeness(history: Any, status: LogStatus, read: int) -> None:
    """``History.completeness`` (how many of the commits were read) and the warnings that go with it."""
    total = status.commits_total
    complete = not history.shallow and not status.objects_missing and status.failure is None and (total is None or read >= total)
    history.completeness = {
        "complete": complete, "commits_total": total, "commits_read": read,
        "exact_renames_only": status.exact_renames_only, "without_renames": status.without_renames,
        "unreadable_commits": len(status.unreadable), "missing_objects": len(status.missing_objects),
        "shallow": history.shallow,
    }
    if history.shallow:
        history.warnings.append(
            f"shallow clone: only {read} commit(s) of the history are here, so first authorship and knowledge are "
            "missing for older work and truck factors are underestimated (run `git fetch --unshallow`)"
        )
    if status.objects_missing:
        parts = [f"{len(status.missing_objects)} object(s) are missing from the repository"]
        if status.exact_renames_only:
            parts.append(f"{status.exact_renames_only} commit(s) read with exact rename detection only")
        if status.without_renames:
            parts.append(f"{status.without_renames} commit(s) read without rename detection")
        if status.unreadable:
            parts.append(f"{len(status.unreadable)} commit(s) unreadable and skipped (e.g. {status.unreadable[0][:12]})")
        history.warnings.append(f"history incomplete: {'; '.join(parts)}; {read} of {total if total is not None else '?'} commits read")
    if status.failure is not None:
        history.warnings.append(
            f"history incomplete: git log failed ({status.failure}); {read} of {total if total is not None else '?'} commits read"
        )
