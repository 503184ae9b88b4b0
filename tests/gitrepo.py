"""Real git repositories for tests: files, commits by several authors, renames, merges, trailers.

Every commit is made with the ``git`` CLI in a temporary directory, with
author and committer identities and dates set through git's environment, so
history ingest sees exactly what it would see in a real repository.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

DEFAULT_AUTHOR = ("Ada Lovelace", "ada@example.com")


class GitRepo:
    def __init__(self, root: Path, *, init: bool = True):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self._tick = 0
        if init:
            self.git("init", "-q", "-b", "main")
            self.git("config", "user.name", DEFAULT_AUTHOR[0])
            self.git("config", "user.email", DEFAULT_AUTHOR[1])
            self.git("config", "commit.gpgsign", "false")

    def git(self, *args: str, env: dict[str, str] | None = None) -> str:
        full_env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(self.root), **(env or {})}
        proc = subprocess.run(["git", "-C", str(self.root), *args], capture_output=True, env=full_env, check=False)
        if proc.returncode != 0:
            raise RuntimeError(f"git {' '.join(args)} failed: {proc.stderr.decode(errors='replace')}")
        return proc.stdout.decode(errors="replace").strip()

    def write(self, files: dict[str, str | bytes]) -> None:
        for path, content in files.items():
            full = self.root / path
            full.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                full.write_bytes(content)
            else:
                full.write_text(content, encoding="utf-8")

    def commit(
        self,
        files: dict[str, str | bytes] | None = None,
        *,
        message: str = "change",
        author: tuple[str, str] = DEFAULT_AUTHOR,
        committer: tuple[str, str] | None = None,
        date: str | None = None,
        delete: list[str] | None = None,
        trailers: list[str] | None = None,
    ) -> str:
        """Write ``files``, delete ``delete``, stage everything and commit; returns the new sha."""
        if files:
            self.write(files)
        for path in delete or []:
            self.git("rm", "-q", path)
        self.git("add", "-A")
        self._tick += 1
        when = date or f"2024-01-01T00:{self._tick // 60:02d}:{self._tick % 60:02d}+00:00"
        committer = committer or author
        env = {
            "GIT_AUTHOR_NAME": author[0], "GIT_AUTHOR_EMAIL": author[1], "GIT_AUTHOR_DATE": when,
            "GIT_COMMITTER_NAME": committer[0], "GIT_COMMITTER_EMAIL": committer[1], "GIT_COMMITTER_DATE": when,
        }
        body = message + ("\n\n" + "\n".join(trailers) if trailers else "")
        self.git("commit", "-q", "--allow-empty", "-m", body, env=env)
        return self.head()

    def rename(self, old: str, new: str, **commit_args) -> str:
        (self.root / new).parent.mkdir(parents=True, exist_ok=True)
        self.git("mv", old, new)
        return self.commit(**commit_args)

    def head(self) -> str:
        return self.git("rev-parse", "HEAD")
