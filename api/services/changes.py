"""The PR check as a service: on a checkout, on refs of a registered checkout, or on a diff; forge events.

Ingest builds the change (``ingest.change``), the analysis judges it
(``queries.pr_check.analyse``). The checkout of a registered repository is the
path recorded at its ingest, never one taken from a request.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from cairn.api.services.ingesting import graph_for_checkout
from cairn.api.services.workspace import Workspace
from cairn.graph.errors import CheckoutMissing, InvalidChange
from cairn.graph.store import RepositorySummary
from cairn.ingest.change import change_from_diff, change_from_refs, missing_commits
from cairn.queries.pr_check import PRReport, analyse


def pr_check_checkout(ws: Workspace, root: Path, base: str, head: str, *, description: str | None = None,
                      author: str | None = None) -> PRReport:
    """Check the change from ``base`` to ``head`` in the checkout at ``root``, ingesting it first if the store does not know it."""
    if not Path(root).is_dir():
        raise InvalidChange(f"{root}: not a directory")
    stored = graph_for_checkout(ws, root)
    change = change_from_refs(stored, Path(root), base, head, description=description, author=author, cache_dir=ws.cache_dir)
    return analyse(stored, change)


def pr_check_refs(ws: Workspace, repo: str | None, base: str, head: str, *, description: str | None = None,
                  author: str | None = None) -> PRReport:
    """Check refs of a registered repository's checkout."""
    summary = ws.repository(repo)
    stored = ws.graph_of(summary)
    change = change_from_refs(stored, checkout_of(summary), base, head, description=description, author=author,
                              cache_dir=ws.cache_dir)
    return analyse(stored, change)


def pr_check_diff(ws: Workspace, repo: str | None, diff: str, files: dict[str, str], *, description: str | None = None,
                  author: str | None = None) -> PRReport:
    """Check a unified diff (with the post-change contents of its files) against the stored repository."""
    stored = ws.graph(repo)
    change = change_from_diff(stored, diff, files, description=description, author=author, cache_dir=ws.cache_dir)
    return analyse(stored, change)


def checkout_of(summary: RepositorySummary) -> Path:
    """The checkout a repository was ingested from; ``CheckoutMissing`` when it is not a directory any more."""
    root = summary.props.get("path")
    if not root or not Path(root).is_dir():
        raise CheckoutMissing(
            f"the checkout of {summary.repo} recorded at its last ingest ({root or 'no path'}) is not a directory any more; "
            "ingest it again from its new place with `cairn ingest PATH --name NAME`",
            repository=summary.repo, path=root,
        )
    return Path(root)


def commits_missing(summary: RepositorySummary, commits: list[str]) -> list[str]:
    """The commits a registered checkout does not hold (nothing is fetched here; see ``posting.WebhookPosting.fetch``)."""
    return missing_commits(checkout_of(summary), commits)


# -- forge events ---------------------------------------------------------------------------


def remote_slug(url: str | None) -> str | None:
    """``owner/name`` of a GitHub remote in any of its spellings (https, ssh, scp-like), lower-cased."""
    if not url:
        return None
    text = url.strip().lower()
    text = re.sub(r"^(?:https?|ssh|git)://(?:[^@/]+@)?[^/]+/", "", text)
    text = re.sub(r"^[^@/]+@[^:/]+:", "", text)
    text = text.removesuffix("/").removesuffix(".git")
    return text if text.count("/") == 1 else None


def repository_for_event(ws: Workspace, event_repo: dict[str, Any]) -> RepositorySummary | None:
    """The stored repository a forge event's ``repository`` object is about: by its remote, else by name."""
    known = ws.store.repositories()
    wanted = {s for s in (remote_slug(event_repo.get("clone_url")), remote_slug(event_repo.get("ssh_url")),
                          remote_slug(event_repo.get("html_url")), str(event_repo.get("full_name") or "").lower() or None) if s}
    for r in known:
        if remote_slug(r.props.get("remote")) in wanted:
            return r
    name = event_repo.get("name")
    for r in known:
        if name and r.repo == name:
            return r
    return None
