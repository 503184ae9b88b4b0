"""Whether the analysed repository tracks Cairn's own files: a cache directory inside the checkout (the default
``.cairn/``) whose files a pull request could commit. A tracked file of Cairn's is never read as Cairn's (what a
stranger committed there could say anything), so each cache asks this before it trusts its file.

``tracked_among`` answers from the tracked paths the check for changes already listed in the cache directory
(``freshness.CheckoutState.tracked_in_cache``) when the caller has them, else asks git (``ls-files`` with literal
pathspecs); ``CAIRN_VERIFY_SKIPS=1`` asks git too and compares.
"""

from __future__ import annotations

from pathlib import Path

from cairn.graph.store import verifying_skips
from cairn.ingest.git import GitError, git


def tracked_among(root: Path, wanted: list[str], known: list[str] | None = None) -> list[str]:
    """The tracked paths among ``wanted`` (repository-relative: a file, or a directory and what is below it), sorted;
    ``known``: the tracked paths of the cache directory they are in, when listed already (git is not asked then)."""
    if known is None:
        return _asked(root, wanted)
    found = sorted(p for p in known if any(p == path or p.startswith(path + "/") for path in wanted))
    if verifying_skips() and found != (asked := _asked(root, wanted)):
        raise AssertionError(f"the tracked files among {wanted}: the check's listing says {found}, "
                             f"git says otherwise (git lists {asked})")
    return found


def tracks(root: Path, path: Path, known: list[str] | None = None) -> bool:
    """Whether the repository at ``root`` tracks ``path`` (a file of a cache directory; False outside the checkout)."""
    try:
        inside = Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return False
    return bool(tracked_among(root, [inside], known))


def _asked(root: Path, wanted: list[str]) -> list[str]:
    try:
        listed = git(root, "ls-files", "-z", "--", *(f":(literal){path}" for path in wanted))
    except GitError:
        return []
    return sorted(p for p in listed.stdout.split("\0") if p) if listed.returncode == 0 else []
