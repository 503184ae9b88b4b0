"""The pull/merge requests a history merged with merge commits, and the files each brought in: ``read_merges``.

On a repository that merges pull requests with merge commits, the merger (the
merge commit's author: whoever pressed merge) approved what they merged, the
only review record such a history keeps. One streaming ``git log`` lists them::

    git log <revisions> --first-parent --merges --diff-merges=first-parent --no-renames --name-status -z --use-mailmap

Which merges: those on the first-parent chain of the revisions read (HEAD's, or
``since..HEAD``'s) whose message says they merge a request: GitHub's subject
"Merge pull request #N from …" or GitLab's line "See merge request
group/project!N". Other merges ("Merge branch 'main' into feature", a sync)
are left out: they would credit a branch's author with everything merged from
main.

What each brought in: the files its diff against its first parent adds or
modifies, as named at the merge (``--no-renames``: a file renamed on the branch
is an addition of its new name, and no blob is read, so a repository missing
blobs lists them all the same; deletions and type changes are left out, as in
the history's records). A merge that brings in more than ``max_commit_files``
files is a sweep (a release branch merged back, a vendored update): it brings
nothing in (``PullRequestMerge.sweep``).

Who gets credit for them (a human merger, not one who merged their own
branch) is the history's business: this module only reads, never decides.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from cairn.ingest.git import GitError, GitProcess
from cairn.ingest.identities import MAILMAP_OPTIONS

#: hash, parents, merger's name, e-mail, author time, message (mailmapped, as the history pass reads them)
MERGE_FORMAT = "%x1e%H%x1f%P%x1f%aN%x1f%aE%x1f%at%x1f%B"
_GITHUB = re.compile(r"Merge pull request #\d+ from \S")
_GITLAB = re.compile(r"^See merge request \S+!\d+\s*$", re.MULTILINE)
_BROUGHT_IN = frozenset("AM")
_CHUNK = 1 << 20


@dataclass(slots=True)
class PullRequestMerge:
    """One merge of a pull/merge request on the first-parent chain (see the module docstring)."""

    sha: str
    tip: str  # the second parent: the request's last commit
    merger: tuple[str, str]  # (name, e-mail), mailmapped
    when: int  # author time, epoch seconds
    #: the files it brought in, as named at the merge (empty for a sweep)
    paths: list[str] = field(default_factory=list)
    sweep: bool = False


def is_request_merge(message: str) -> bool:
    """Whether a merge commit's message says it merges a pull request (GitHub) or a merge request (GitLab)."""
    return message.startswith("Merge pull request #") and _GITHUB.match(message) is not None or (
        "See merge request " in message and _GITLAB.search(message) is not None)


def merge_log_args(revisions: list[str]) -> list[str]:
    """``git log``'s arguments for the merges of ``revisions`` (``["HEAD"]``, ``["since..HEAD"]``)."""
    return [*MAILMAP_OPTIONS, "-c", "log.showSignature=false", "log", "--first-parent", "--merges",
            "--diff-merges=first-parent", "--no-renames", "--name-status", "-z", "--use-mailmap", "--no-color",
            "--no-ext-diff", "--no-textconv", f"--format={MERGE_FORMAT}",
            # (git picks the request merges by their message before it diffs them: the synthetic 10k repository's
            # 314 merges of branches cost 0.17 s of diffs, of nothing; ``is_request_merge`` still decides)
            "--fixed-strings", "--grep=Merge pull request #", "--grep=See merge request ", *revisions, "--"]


def read_merges(root: Path, revisions: list[str], max_commit_files: int = 100) -> Iterator[PullRequestMerge]:
    """The request merges of ``revisions``' first-parent chain, newest first; raises ``GitError`` when git fails."""
    proc = GitProcess(root, *merge_log_args(revisions), stdin=False, keep_stderr=True)
    assert proc.stdout is not None
    decode = codecs.getincrementaldecoder("utf-8")(errors="surrogateescape").decode
    rest = ""
    finished = False
    try:
        while True:
            data = proc.stdout.read(_CHUNK)
            text = rest + decode(data, not data)
            commits = text.split("\0\x1e")
            rest = commits.pop() if data else ""
            for commit in commits:
                merge = _merge_of(commit, max_commit_files)
                if merge is not None:
                    yield merge
            if not data:
                break
        code, stderr = proc.finish()
        finished = True
    finally:
        if not finished:
            proc.close()
    if code != 0:
        raise GitError(f"git log --merges failed: {stderr.strip()}", returncode=code, stderr=stderr)


def _merge_of(text: str, max_commit_files: int) -> PullRequestMerge | None:
    """One commit's output (header, then NUL-separated status and path tokens), if it merges a request."""
    head, _, changes = text.lstrip("\x1e").partition("\0")
    fields = head.split("\x1f", 5)
    if len(fields) < 6:
        return None
    sha, parents, name, email, when, message = fields
    parents_listed = parents.split()
    if len(parents_listed) < 2 or not is_request_merge(message):
        return None
    tokens = changes.split("\0")
    paths = [path for status, path in zip(tokens[0::2], tokens[1::2]) if status.lstrip("\n")[:1] in _BROUGHT_IN]
    sweep = len(paths) > max_commit_files
    return PullRequestMerge(sha, parents_listed[1], (name, email), int(when or 0), [] if sweep else paths, sweep)
