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
* ``load_yaml`` reads YAML with PyYAML's safe constructors and refuses
  aliases (``*name``): an alias is how a few hundred bytes expand into
  gigabytes ("billion laughs"), and nothing Cairn reads needs one. Nesting is
  capped as well, so a deep ``[[[[…]]]]`` is an error, not a RecursionError.
  Anything wrong is a ``yaml.YAMLError`` (``UnsafeYaml`` for the two refusals).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent

#: The default size cap for a repository file Cairn reads whole (configuration, not source code).
MAX_CHECKOUT_FILE_BYTES = 2_000_000
#: How deep YAML collections may nest.
MAX_YAML_DEPTH = 64


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


class UnsafeYaml(yaml.MarkedYAMLError):
    """YAML Cairn refuses to expand: an alias, or collections nested too deeply.

    ``problem`` says what, ``problem_mark`` where (as PyYAML's own errors do)."""

    def __init__(self, problem: str, mark=None):  # noqa: ANN001 - a yaml Mark
        super().__init__(problem=problem, problem_mark=mark)

    def __str__(self) -> str:
        return self.problem if self.problem_mark is None else f"{self.problem} (line {self.problem_mark.line + 1})"


class _NoAliasLoader(yaml.SafeLoader):
    """PyYAML's safe loader without aliases and with a nesting cap."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML's signature
        if self.check_event(AliasEvent):
            event = self.peek_event()
            raise UnsafeYaml(f"an alias (*{event.anchor}) is not allowed: Cairn does not expand YAML aliases", event.start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                raise UnsafeYaml(f"nested more than {MAX_YAML_DEPTH} levels deep", self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def load_yaml(text: str) -> Any:
    """One YAML document, safely: plain data only, no aliases, bounded nesting.

    Raises ``yaml.YAMLError`` (``UnsafeYaml`` for an alias or deep nesting).
    """
    loader = _NoAliasLoader(text)
    try:
        return loader.get_single_data()
    except RecursionError:
        raise UnsafeYaml(f"nested more than {MAX_YAML_DEPTH} levels deep") from None
    finally:
        loader.dispose()
