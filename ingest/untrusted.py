"""Reading what a repository supplies, as the untrusted input it is.

A checkout may be a stranger's pull request. Two rules hold for every
repository file Cairn reads itself (configuration, CODEOWNERS, ``.mailmap``,
``tsconfig.json``, ``go.mod``, ``package.json``, ADR configuration …):

* ``read_checkout_file`` reads a file only if it really is a regular file
  inside the checkout: a symbolic link that leads outside it (``CODEOWNERS ->
  /etc/passwd``), a link or name that is a directory, a device or a FIFO, and
  a file larger than the limit are *refused*: ``RefusedFile`` says which file
  and why, in one line that never quotes the content. A missing file is
  ``None``.
* YAML is read only by ``ingest.untrusted_yaml.load_yaml`` (kept apart, so
  that reading a file does not import PyYAML).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

#: The default size cap for a repository file Cairn reads whole (configuration, not source code).
MAX_CHECKOUT_FILE_BYTES = 2_000_000
#: ``[ingest] max_file_bytes``: files larger than this are listed as oversized and not read (``ingest.files``); a
#: configuration may set up to ``MAX_FILE_BYTES`` (beyond it a value is a mistake; the thresholds' bounds are in
#: graph.thresholds).
DEFAULT_MAX_FILE_BYTES = 1_000_000
MAX_FILE_BYTES = 1 << 30


class RefusedFile(Exception):
    """A repository file that exists but is not read; the message names the file and the reason."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}; not read")
        self.path = path
        self.reason = reason


def read_checkout_file(root: Path, path: str, *, limit: int = MAX_CHECKOUT_FILE_BYTES,
                       follow_symlinks: bool = True) -> bytes | None:
    """The bytes of ``path`` (repository-relative, POSIX) in the checkout at ``root``.

    ``None`` if there is no such file. Raises ``RefusedFile`` when the path
    leaves the checkout (``..``, an absolute path, a symbolic link whose target
    is outside ``root``), is not a regular file, or is larger than ``limit``
    bytes. ``follow_symlinks=False`` refuses every symbolic link, as git does
    for an in-tree ``.mailmap`` or ``.gitattributes``.
    """
    parts = path.split("/")
    if not path or path.startswith("/") or ".." in parts or "\\" in path:
        raise RefusedFile(path, "a path outside the checkout")
    full = Path(root) / path
    try:
        link = os.lstat(full)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        raise RefusedFile(path, f"cannot be read ({exc.strerror or type(exc).__name__})") from None
    top = os.path.realpath(root)
    real = os.path.realpath(full)
    if os.path.commonpath([top, real]) != top:
        raise RefusedFile(path, "a symbolic link (or a link in its path) that leads outside the checkout")
    if stat.S_ISLNK(link.st_mode) and not follow_symlinks:
        raise RefusedFile(path, "a symbolic link")
    try:
        fd = os.open(real, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        return None  # a dangling link
    except OSError as exc:
        raise RefusedFile(path, f"cannot be read ({exc.strerror or type(exc).__name__})") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise RefusedFile(path, "a directory, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise RefusedFile(path, "not a regular file")
        if info.st_size > limit:
            raise RefusedFile(path, f"larger than {limit:,} bytes")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:  # grew while being read
            raise RefusedFile(path, f"larger than {limit:,} bytes")
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_checkout_text(root: Path, path: str, *, limit: int = MAX_CHECKOUT_FILE_BYTES,
                       follow_symlinks: bool = True) -> str | None:
    """``read_checkout_file`` decoded as UTF-8 (undecodable bytes replaced)."""
    data = read_checkout_file(root, path, limit=limit, follow_symlinks=follow_symlinks)
    return None if data is None else data.decode("utf-8", errors="replace")
