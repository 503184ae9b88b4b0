"""Which directory an ingest reads: a checkout git knows, at its top, and the name it is stored under.

Kept apart from ``ingest.pipeline`` so that a caller can check and name a checkout (the ingest service does
before it knows whether anything changed) without importing every step of an ingest.
"""

from __future__ import annotations

from pathlib import Path

from cairn.graph.errors import IngestError
from cairn.ingest.git import GitError, git


def git_output(root: Path, *args: str) -> str | None:
    """What git prints for ``args`` in ``root``, stripped; None when it fails."""
    try:
        proc = git(root, *args)
    except GitError:
        return None
    return proc.stdout.strip() if proc.returncode == 0 else None


def git_directory_problem(root: Path) -> str | None:
    """Why ``root`` cannot be ingested although git knows it: a bare repository, or a ``.git`` directory."""
    if (root / ".git").exists() or not ((root / "HEAD").is_file() and (root / "objects").is_dir() and (root / "refs").is_dir()):
        return None
    if git_output(root, "rev-parse", "--is-bare-repository") == "true":
        return f"{root} is a bare git repository (no checked-out files): ingest a clone or a worktree of it"
    if git_output(root, "rev-parse", "--is-inside-git-dir") == "true":
        return f"{root} is a git directory, not a checkout: ingest the directory that holds it"
    return None


def default_repo_name(root: Path) -> str:
    return root.resolve().name


def checkout_root(root: Path) -> Path:
    """``root`` resolved, once it is known to be a directory that can be ingested; ``IngestError`` says why not."""
    root = Path(root)
    if not root.exists():
        raise IngestError(f"{root}: no such directory")
    if not root.is_dir():
        raise IngestError(f"{root}: not a directory")
    root = root.resolve()
    problem = git_directory_problem(root)
    if problem:
        raise IngestError(problem)
    return root
