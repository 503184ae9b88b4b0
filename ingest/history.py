"""Knowledge from git history: one streaming ``git log`` read into a ``knowledge.History``.

The log is read as a stream (memory grows with the number of distinct paths
and people, never with the number of commits), in chunks of ``-z`` output::

    git log HEAD -M --name-status -z --use-mailmap --no-diff-merges --format=<compact>

What is recorded, following Avelino et al.'s reference implementation
(aserg-ufmg/Truck-Factor, ``DOACalculator``), for every path as it was named
in each commit and every identity: ``A`` (the path was added: first
authorship), ``M`` and ``R`` (a delivery; a rename counts as one, as in the
reference), the newest touch, and review credit. ``D`` and type changes are
ignored, as in the reference. Merge commits carry no file changes and give no
authorship.

Renames. The history of a path present at HEAD is the records of that path
plus, transitively, those of every path renamed into it (``R old new`` links
``old`` to ``new``), which handles rename chains (a -> b -> c) and is
independent of commit order. This is exactly the reference's expansion; its
known imprecision is kept: a path re-used after its file was renamed away
also passes the new file's records to the renamed one.

Who gets what:

* human authors: first authorship and deliveries (the paper's knowledge);
* bots and agents: their changes are recorded (they are changes "by others"
  for everybody else, the paper's AC), but they never become authors;
* review credit (``reviews``: one per touched file and commit) goes to
  ``Reviewed-by`` trailers, to ``Co-authored-by`` / ``Co-developed-by``
  trailers (the paper counts only the author; a co-author worked on the
  change, so Cairn gives them review credit, which the paper's truck factor
  ignores), and to the committer of a commit authored by an agent. Only
  humans keep it. A commit with more than ``thresholds.max_coauthors``
  co-authors (a squash of a long-lived branch is not review) gives its
  co-authors none.

GitHub logins. "Merge pull request #N from LOGIN/branch" names the login of
the branch's author (``LogParser.pull_request_authors``; who gets it is
``identities.logins_from_pull_requests``).

Incomplete repositories. A mirror or a partial clone may lack objects: git
then stops in the middle of the log (``fatal: unable to read <id>``), usually
because rename detection needs the contents of a blob that is not there.
Instead of keeping only the commits read so far, ``read_log`` lists every
commit (``git rev-list HEAD``), continues with the ones not read yet
(``git log --no-walk=unsorted --stdin``), and reads a commit that fails on
its own with exact renames only (``-M100%``, which compares object ids and
needs no contents), then without rename detection, and skips it only when
even its trees are missing. ``LogStatus`` counts each of these and
``History.completeness`` says how complete the history is.

Agent markers. A commit message line that names an agent ("Generated with
[Claude Code]", "Coded with Claude", a Codex or Devin task link…; see
``ingest.agent_markers``) counts as a ``Co-authored-by`` trailer naming that
agent.

Observers. ``mine_history(..., observer=f)`` calls ``f`` with a
``CommitRecord`` for every commit read (merges included, with no changes), in
stream order (commits read again past missing objects come last): what the
change analyses (``ingest.cochange``) build on, from this same single pass.
Identities in a record are raw indexes; ``History.identity_person`` maps them
to people once the pass is over.

Every git process goes through ``cairn.ingest.git``. Degree of authorship,
the ``History`` record and the graph facts are ``knowledge``'s business.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from cairn.graph.people import fold_email, noreply_login
from cairn.ingest.agent_markers import MarkerMatcher
from cairn.ingest.commits import CommitObserver, CommitRecord
from cairn.ingest.config import IdentitySettings
from cairn.ingest.git import GitError, GitProcess, git, git_stream
from cairn.ingest.identities import (
    AGENT, HUMAN, MAILMAP_OPTIONS, Classifier, DeclaredPerson, Identities, Mailmap, check_mailmap, is_valid_email,
    logins_from_pull_requests, parse_contact, read_mailmap, resolve_identities,
)
from cairn.ingest.knowledge import ADDS, DELIVERIES, LAST, REVIEWS, History, PersonHistory

__all__ = ["CommitObserver", "CommitRecord", "HistoryProgress", "LogParser", "LogStatus", "mine_history", "read_log"]

#: ``progress(commits_read, total_commits)``
HistoryProgress = Callable[[int, int], None]

CO_AUTHOR_KEYS = ("co-authored-by", "co-developed-by")
REVIEW_KEYS = ("reviewed-by",)
_TRAILERS = ",".join(f"key={k.capitalize()}" for k in CO_AUTHOR_KEYS + REVIEW_KEYS)
# Fields: hash, parents, author name/e-mail/time, committer name/e-mail/time, subject, trailers, message.
LOG_FORMAT = (
    "%x1e%H%x1f%P%x1f%aN%x1f%aE%x1f%at%x1f%cN%x1f%cE%x1f%ct%x1f%s%x1f"
    f"%(trailers:{_TRAILERS},unfold,separator=%x1d,key_value_separator=%x1c)"
    "%x1f%B"
)
CHUNK_CHARS = 1 << 20

_MISSING_MARKERS = ("unable to read", "bad object", "missing blob", "missing tree", "missing commit",
                    "invalid object", "could not read", "does not point to a valid object", "bad tree object")
_PULL_REQUEST = re.compile(r"^Merge pull request #\d+ from ([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)/")
_TRAILER_PREFIX = re.compile(r"^(?:[A-Za-z]+-)+by:\s*", re.IGNORECASE)
_OBJECT_ID = re.compile(r"\b[0-9a-f]{40}(?:[0-9a-f]{24})?\b")


@dataclass
class LogParser:
    """The state of reading one repository's log, fed with chunks of ``git log -z`` output.

    ``max_coauthors``: a commit with more ``Co-authored-by`` trailers than this
    (a squash of a long-lived branch) gives its co-authors no review credit.
    """

    ids: Identities
    max_coauthors: int = 5
    progress: Callable[[int], None] | None = None
    #: finds agents named in commit messages (``ingest.agent_markers``); None: messages are not searched
    markers: MarkerMatcher | None = None
    #: called with every commit's ``CommitRecord`` (see the module docstring)
    observer: CommitObserver | None = None
    records: dict[str, dict[int, list[int]]] = field(default_factory=dict)
    renames: set[tuple[str, str]] = field(default_factory=set)
    committer_seen: dict[tuple[str, str], int] = field(default_factory=dict)
    last_active: dict[int, int] = field(default_factory=dict)
    commits_by: dict[int, int] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)
    #: commit -> (parents, author identity), and ("login", second parent) of "Merge pull request #N from login/…"
    graph: dict[str, tuple[str, int]] = field(default_factory=dict)
    pull_requests: list[tuple[str, str]] = field(default_factory=list)
    newest: int = 0
    commits: int = 0
    merges: int = 0
    agent_commits: int = 0
    bot_commits: int = 0
    bad_email: int = 0
    squashes_without_credit: int = 0
    # the position inside the stream, carried from one chunk to the next
    _author: int = 0
    _when: int = 0
    _credit: bool = False
    _reviewers: list[int] = field(default_factory=list)
    _pending: int = 0
    _status: str = ""
    _old_path: str = ""
    _rest: str = ""
    _record: CommitRecord | None = None

    def start_stream(self) -> None:
        """A new git process: nothing of the previous one's position carries over."""
        self._credit, self._pending, self._rest, self._reviewers = False, 0, "", []

    def end_stream(self) -> None:
        """The git process is over: its last commit goes to the observer."""
        if self._record is not None and self.observer is not None:
            self.observer(self._record)
        self._record = None

    def feed(self, chunk: str) -> None:
        records, renames, seen = self.records, self.renames, self.seen
        intern, kinds, weights = self.ids.intern, self.ids.kinds, self.ids.weights
        last_active, commits_by, committer_seen = self.last_active, self.commits_by, self.committer_seen
        author, when, credit, reviewers = self._author, self._when, self._credit, self._reviewers
        pending, status, old_path = self._pending, self._status, self._old_path
        observer, record = self.observer, self._record
        tokens = (self._rest + chunk).split("\0")
        self._rest = tokens.pop()
        for tok in tokens:
            if pending:
                if pending == 2:
                    old_path = tok
                    pending = 1
                    continue
                pending = 0
                if not credit:
                    continue
                if record is not None:
                    record.changes.append((status, tok, old_path if status in "RC" else None))
                if status == "R":
                    renames.add((old_path, tok))
                    slot = DELIVERIES
                elif status == "M":
                    slot = DELIVERIES
                elif status == "A":
                    slot = ADDS
                else:  # D, T, C…: not part of the reference's record
                    continue
                per_path = records.get(tok)
                if per_path is None:
                    per_path = records[tok] = {}
                rec = per_path.get(author)
                if rec is None:
                    per_path[author] = rec = [0, 0, when, 0]
                rec[slot] += 1
                if when > rec[LAST]:
                    rec[LAST] = when
                for r in reviewers:
                    rec = per_path.get(r)
                    if rec is None:
                        per_path[r] = rec = [0, 0, when, 0]
                    rec[REVIEWS] += 1
                    if when > rec[LAST]:
                        rec[LAST] = when
                continue
            if not tok:
                continue
            first = tok[0]
            if first == "\x1e":
                fields = tok[1:].split("\x1f", 10)
                if len(fields) < 10:
                    credit = False
                    continue
                sha, parents, a_name, a_email, a_time, c_name, c_email, c_time, subject, trailers = fields[:10]
                message = fields[10] if len(fields) > 10 else ""
                seen.add(sha)
                self.commits += 1
                author = intern(a_name, a_email)
                weights[author] += 1
                when = int(a_time or 0)
                committed = int(c_time or 0)
                if committed > self.newest:
                    self.newest = committed
                if when > self.newest:
                    self.newest = when
                if when > last_active.get(author, -1):
                    last_active[author] = when
                if (c_name, c_email) != (a_name, a_email):
                    key = (c_name, c_email)
                    if committed > committer_seen.get(key, -1):
                        committer_seen[key] = committed
                self.graph[sha] = (parents, author)
                if observer is not None:
                    if record is not None:
                        observer(record)
                    record = CommitRecord(sha, parents.split(), author, when, committed, [])
                if " " in parents:
                    self.merges += 1
                    credit = False
                    if subject.startswith("Merge pull request #"):
                        match = _PULL_REQUEST.match(subject)
                        if match:
                            self.pull_requests.append((match.group(1).lower(), parents.split(" ")[1]))
                    continue
                credit = True
                commits_by[author] = commits_by.get(author, 0) + 1
                if "@" not in a_email:
                    self.bad_email += 1
                kind = kinds[author]
                reviewers = []
                if kind != HUMAN:
                    if kind == AGENT:
                        self.agent_commits += 1
                        if (c_name, c_email) != (a_name, a_email):
                            reviewers.append(intern(c_name, c_email))
                    else:
                        self.bot_commits += 1
                if trailers:
                    reviewers = self._trailer_credit(trailers, author, committed, reviewers)
                if message and self.markers is not None:
                    for name, email in self.markers.agents_in(message):
                        person = intern(name, email, trailer=True)
                        if person != author and person not in reviewers:
                            reviewers.append(person)
                            weights[person] += 1
                            if committed > last_active.get(person, -1):
                                last_active[person] = committed
                if record is not None:
                    record.credited = reviewers
                if self.progress is not None and self.commits % 1000 == 0:
                    self.progress(self.commits)
            else:
                if first == "\n":
                    tok = tok[1:]
                    if not tok:
                        continue
                    first = tok[0]
                status = first
                pending = 2 if first in "RC" else 1
        self._author, self._when, self._credit, self._reviewers = author, when, credit, reviewers
        self._pending, self._status, self._old_path = pending, status, old_path
        self._record = record

    def pull_request_authors(self, head: str, max_commits: int = 100) -> list[tuple[str, list[int]]]:
        """For each GitHub pull-request merge, the login it came from and the authors of its branch's commits.

        The branch is walked from the merge's second parent along first parents until the main line (the
        first-parent chain from ``head``) is reached.
        """
        graph = self.graph
        mainline: set[str] = set()
        commit = head
        while commit in graph and commit not in mainline:
            mainline.add(commit)
            commit = graph[commit][0].split(" ")[0]
        out = []
        for login, tip in self.pull_requests:
            authors, commit, steps = [], tip, 0
            while commit in graph and commit not in mainline and steps < max_commits:
                parents, author = graph[commit]
                if " " not in parents:
                    authors.append(author)
                commit, steps = parents.split(" ")[0], steps + 1
            if authors and commit in mainline:  # a branch that never meets the main line says nothing sure
                out.append((login, authors))
        return out

    def _trailer_credit(self, trailers: str, author: int, committed: int, reviewers: list[int]) -> list[int]:
        """Who gets review credit from a commit's trailers (co-authors of a squash excepted)."""
        parsed = []
        co_authors = 0
        for trailer in trailers.split("\x1d"):
            key, _, value = trailer.partition("\x1c")
            contact = parse_contact(value)
            if contact is None:
                continue
            if _TRAILER_PREFIX.match(contact[0]):  # "Co-authored-by: Signed-off-by: Jane <…>", a pasting slip
                contact = (_TRAILER_PREFIX.sub("", contact[0]), contact[1])
            is_co_author = key.strip().lower() in CO_AUTHOR_KEYS
            co_authors += is_co_author
            parsed.append((contact, is_co_author))
        squash = co_authors > self.max_coauthors
        if squash:
            self.squashes_without_credit += 1
        for (name, email), is_co_author in parsed:
            person = self.ids.intern(name, email, trailer=True)
            if person == author or person in reviewers:
                continue
            self.ids.weights[person] += 1
            if committed > self.last_active.get(person, -1):
                self.last_active[person] = committed
            if not (squash and is_co_author):
                reviewers.append(person)
        return reviewers


@dataclass
class LogStatus:
    """How much of the history git could give."""

    commits_total: int | None = None  # commits reachable from HEAD (None: git cannot even list them)
    exact_renames_only: int = 0  # commits read with exact rename detection only (a blob was missing)
    without_renames: int = 0  # commits read without rename detection
    unreadable: list[str] = field(default_factory=list)  # commits skipped: even their trees are missing
    missing_objects: set[str] = field(default_factory=set)  # object ids git reported missing
    failure: str | None = None  # a failure that is not about missing objects (the rest of the log is lost)
    stderr: str = ""

    @property
    def objects_missing(self) -> bool:
        return bool(self.missing_objects or self.exact_renames_only or self.without_renames or self.unreadable)


def _log_args(renames: str) -> list[str]:
    return [*MAILMAP_OPTIONS, "-c", "log.showSignature=false", "log", renames, "--name-status", "-z", "--use-mailmap",
            "--no-diff-merges", "--no-color", "--no-ext-diff", "--no-textconv", f"--format={LOG_FORMAT}"]


def _run(root: Path, args: list[str], parser: LogParser, stdin: str | None = None) -> tuple[int, str]:
    """Run one ``git log`` into ``parser``, read in chunks; (exit code, stderr)."""
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
    stream = io.TextIOWrapper(proc.stdout, encoding="utf-8", errors="surrogateescape", newline="")
    try:
        while True:
            chunk = stream.read(CHUNK_CHARS)
            if not chunk:
                break
            parser.feed(chunk)
        parser.feed("\0")  # the last token
        parser.end_stream()
    finally:
        stream.close()
        code, stderr = proc.finish()
    return code, stderr


def _missing(stderr: str) -> bool:
    lowered = stderr.lower()
    return any(marker in lowered for marker in _MISSING_MARKERS)


def read_log(root: Path, parser: LogParser) -> LogStatus:
    """Read the history of HEAD at ``root`` into ``parser``, resuming past missing objects (module docstring)."""
    status = LogStatus()
    counted = git(root, "rev-list", "--count", "HEAD")
    if counted.returncode == 0 and counted.stdout.strip().isdigit():
        status.commits_total = int(counted.stdout.strip())
    code, stderr = _run(root, [*_log_args("-M"), "HEAD", "--"], parser)
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
    remaining = [c for c in listed if c and c not in parser.seen]
    while remaining:
        code, stderr = _run(root, [*_log_args("-M"), "--no-walk=unsorted", "--stdin"], parser, stdin="\n".join(remaining) + "\n")
        if code == 0:
            break
        status.missing_objects.update(_OBJECT_ID.findall(stderr))
        remaining = [c for c in remaining if c not in parser.seen]
        if not remaining:
            break
        failing, remaining = remaining[0], remaining[1:]
        for renames in ("-M100%", "--no-renames"):
            code, stderr = _run(root, [*_log_args(renames), "--no-walk", failing, "--"], parser)
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


def mine_history(
    root: Path, identities: IdentitySettings | None = None, progress: HistoryProgress | None = None, *,
    people: Iterable[object] = (), max_coauthors: int = 5, markers: MarkerMatcher | None = None,
    observer: CommitObserver | None = None,
) -> History:
    """Read the whole history of HEAD at ``root`` (see the module docstring).

    ``people`` are the ``[[people]]`` entries of cairn.toml (anything with
    ``name`` and ``aliases``); ``max_coauthors`` is ``thresholds.max_coauthors``;
    ``markers`` finds agents named in messages (default: the built-in markers);
    ``observer`` is called with every commit's ``CommitRecord``.
    Never raises for repository problems (not a repository, no commits,
    missing objects, a failing ``git``): they become notes and warnings on the
    returned ``History``, and ``History.completeness`` says how much was read.
    """
    root = Path(root)
    settings = identities or IdentitySettings()
    history = History(identity_patterns={"agents": list(settings.agents), "bots": list(settings.bots),
                                         "humans": list(settings.humans)})
    try:
        inside = git(root, "rev-parse", "--is-inside-work-tree")
    except GitError as exc:
        history.notes.append(f"git is not available ({exc}): no history read")
        return history
    if inside.returncode != 0:
        history.notes.append(f"{root} is not a git repository: no history read")
        return history
    if git(root, "rev-parse", "--verify", "-q", "HEAD").returncode != 0:
        history.notes.append("the repository has no commits yet: no history, no knowledge")
        return history
    history.shallow = git(root, "rev-parse", "--is-shallow-repository").stdout.strip() == "true"
    mailmap = read_mailmap(root)
    history.notes.extend(mailmap.problems)

    markers = markers or MarkerMatcher.build()
    classifier_settings = settings.model_copy(update={"agents": list(settings.agents) + markers.identity_patterns})
    ids = Identities(Classifier.from_settings(classifier_settings))
    parser = LogParser(ids, max_coauthors=max_coauthors, markers=markers, observer=observer)
    if progress is not None:
        counted = git(root, "rev-list", "--count", "HEAD")
        total = int(counted.stdout.strip()) if counted.returncode == 0 and counted.stdout.strip().isdigit() else 0
        progress(0, total)
        parser.progress = lambda done: progress(done, max(total, done))
    status = read_log(root, parser)
    _record_completeness(history, status, parser)
    if "rename detection was skipped" in status.stderr:
        history.notes.append(
            "git skipped rename detection in some large commits (diff.renameLimit): files renamed there start a new history"
        )
    if parser.bad_email:
        history.notes.append(f"{parser.bad_email} commit(s) with an empty or malformed author e-mail: those authors are matched by name only")
    if parser.squashes_without_credit:
        history.notes.append(
            f"{parser.squashes_without_credit} commit(s) with more than {max_coauthors} co-authors (squashes): "
            "their co-authors got no review credit (thresholds.max_coauthors)"
        )
    if progress is not None:
        progress(parser.commits, max(status.commits_total or 0, parser.commits))

    declared = [DeclaredPerson(str(getattr(p, "name")), tuple(getattr(p, "aliases", ()) or ())) for p in people]
    _finish(root, history, ids, parser, mailmap, declared)
    history.commits = parser.commits
    history.merges = parser.merges
    history.agent_commits = parser.agent_commits
    history.bot_commits = parser.bot_commits
    history.newest_commit_at = parser.newest or None
    replaced = sum(1 for name, email in ids.raw if "\ufffd" in name or "\ufffd" in email)
    if replaced:
        history.notes.append(f"{replaced} identit(y/ies) with non-UTF-8 names: shown with replacement characters")
    return history


def _record_completeness(history: History, status: LogStatus, parser: LogParser) -> None:
    """``History.completeness`` and the warnings that go with it."""
    read = parser.commits
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


def _finish(root: Path, history: History, ids: Identities, parser: LogParser, mailmap: Mailmap,
            declared: list[DeclaredPerson]) -> None:
    """Resolve raw identities into people and re-key every record by person."""
    # Trailers bypass --use-mailmap: map them now, as authors were.
    trailer_only = [i for i, flag in enumerate(ids.from_trailer) if flag]
    if trailer_only:
        contacts = {i: f"{ids.raw[i][0]} <{ids.raw[i][1]}>" for i in trailer_only}
        mapped = check_mailmap(root, contacts.values())
        for i, contact in contacts.items():
            target = parse_contact(mapped.get(contact, contact))
            if target is not None and target != ids.raw[i]:
                ids.raw[i] = target
                ids.kinds[i] = ids.classifier.kind(*target)

    # Committers only matter for people seen otherwise (an agent's committer was interned already).
    by_email: dict[str, int] = {}
    for i, (_, raw_email) in enumerate(ids.raw):
        by_email.setdefault(fold_email(raw_email), i)
    committer_time: dict[int, int] = {}
    for (name, email), when in parser.committer_seen.items():
        idx = ids.index.get((name, email))
        if idx is None:
            address = fold_email(email)
            idx = by_email.get(address) if is_valid_email(address) else None
        if idx is not None and when > committer_time.get(idx, -1):
            committer_time[idx] = when
    people, person_of = resolve_identities(ids.raw, ids.kinds, ids.weights, declared, notes=history.notes)
    for p in people:  # old identities .mailmap folded into this person are aliases too (for --leaving)
        extra = set().union(*(mailmap.old_identities.get(e, set()) for e in p.emails)) if p.emails else set()
        if extra:
            p.aliases = sorted(set(p.aliases) | extra)
            logins = {noreply_login(parse_contact(old)[1] if parse_contact(old) else old) for old in extra} - {None}
            if logins - set(p.logins):  # a noreply address mailmapped away still names the GitHub user
                p.logins = sorted(set(p.logins) | logins)
                p.github = p.github or p.logins[0]
    if parser.pull_requests:  # "Merge pull request #N from login/…": the login of the branch's author
        head = git(root, "rev-parse", "HEAD").stdout.strip()
        held = {login: i for i, p in enumerate(people) for login in p.logins}
        for index, logins in logins_from_pull_requests(parser.pull_request_authors(head), person_of, people).items():
            mine = {login for login in logins if held.get(login, index) == index}
            if mine - set(people[index].logins):
                people[index].logins = sorted(set(people[index].logins) | mine)
                people[index].github = people[index].github or people[index].logins[0]
    history.people = [PersonHistory(p) for p in people]
    history.identity_person = list(person_of)
    for raw_idx, person_idx in enumerate(person_of):
        ph = history.people[person_idx]
        ph.commits += parser.commits_by.get(raw_idx, 0)
        for when in (parser.last_active.get(raw_idx), committer_time.get(raw_idx)):
            if when is not None and (ph.last_active is None or when > ph.last_active):
                ph.last_active = when

    history.keep_records(parser.records, person_of, parser.renames)
