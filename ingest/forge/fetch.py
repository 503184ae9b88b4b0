"""Fetching a GitHub pull request's commits into a registered checkout, for the webhook that posts.

``fetch_pull_request`` runs
``git fetch origin +refs/pull/N/head:refs/remotes/origin/pr/N`` (and the base
branch, when its name is a plain branch name) through ``cairn.ingest.git``,
with that checkout's own remote and credential configuration (the one git command Cairn lets reach a
remote: ``network=True``). A failure is a
``ForgeError``: GitHub (or the remote) did not give the commits.
"""

from __future__ import annotations

import re
from pathlib import Path

from cairn.graph.errors import ForgeError
from cairn.ingest.git import GitError, git, last_line

SAFE_BRANCH = re.compile(r"^(?!-)(?!.*\.\.)[A-Za-z0-9._/-]{1,250}$")


def fetch_pull_request(root: Path, number: int, base_ref: str | None = None) -> None:
    """Bring pull request ``number``'s head (and ``base_ref``) from ``origin`` into the checkout at ``root``."""
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        raise ForgeError("the pull_request event has no number to fetch")
    refspecs = [f"+refs/pull/{number}/head:refs/remotes/origin/pr/{number}"]
    if isinstance(base_ref, str) and SAFE_BRANCH.match(base_ref):
        refspecs.append(f"+refs/heads/{base_ref}:refs/remotes/origin/{base_ref}")
    try:
        proc = git(root, "fetch", "--quiet", "--no-tags", "origin", *refspecs, network=True)
    except GitError as exc:
        raise ForgeError(f"git fetch origin pull/{number}/head in {root}: {exc}") from None
    if proc.returncode != 0:
        raise ForgeError(f"git fetch origin pull/{number}/head in {root} failed: {last_line(proc.stderr)}")
