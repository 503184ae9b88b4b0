"""The one way Cairn runs git: read-only plumbing that a checkout cannot hijack.

A repository Cairn reads may be a stranger's. Its ``.git/config`` can name
commands that ordinary git runs on its own: ``core.fsmonitor`` (run by
``ls-files``, ``status`` …), hooks, clean/smudge filters and textconv drivers,
an external diff, a pager. Every git process Cairn starts goes through this
module, which switches all of them off:

* ``-c core.fsmonitor=false -c core.hooksPath=/dev/null`` and no system config
  (``GIT_CONFIG_NOSYSTEM=1``);
* ``--no-optional-locks``, no pager, no terminal prompts, no external diff or
  textconv (``--no-ext-diff --no-textconv`` where a command diffs);
* no transport at all (``protocol.allow=never``, and each protocol by name, which a
  checkout's own ``protocol.<name>.allow`` would otherwise override) and no lazy fetch
  (``GIT_NO_LAZY_FETCH=1``, git 2.44 on): a partial clone fetches an object it lacks
  from its promisor remote on any read, through the transport its configuration
  names — for ssh, the checkout's ``core.sshCommand``. A missing object is missing,
  as in any damaged store. Only ``git(…, network=True)`` (the forge's fetch into a
  checkout an operator registered) reaches a remote;
* only plumbing and ``log``/``diff`` with explicit formats; never the porcelain
  ``status``, which applies clean filters to the work tree.

``git(root, *args)`` runs a command to completion; ``git_together(root, *commands)``
runs several at once (their start-up and work overlap; a check that asks git
five things waits for the slowest, not for the sum), ``GitTogether`` the same
in two steps (started now, answers read later); ``git_stream(root, *args)``
yields its standard output line by line for commands whose output is large
(``rev-list`` of a long history); ``GitProcess`` keeps a long-running command
such as ``cat-file --batch`` open, or reads one in chunks (``log -z``).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from cairn.graph.errors import CairnError

#: Prepended to every git command line: nothing configured in the repository runs.
SAFE_OPTIONS = (
    "-c", "core.fsmonitor=false",
    "-c", "core.hooksPath=/dev/null",
    "-c", "core.untrackedCache=false",
    "-c", "diff.external=",
    "-c", "core.pager=cat",
    "--no-optional-locks",
    "--no-pager",
)
#: Also prepended, except for a command that is meant to reach a remote: no transport runs, whatever the checkout allows.
NO_NETWORK = (
    "-c", "protocol.allow=never",
    *(option for name in ("file", "git", "ssh", "http", "https", "ext") for option in ("-c", f"protocol.{name}.allow=never")),
)


class GitError(CairnError):
    """git failed; ``stderr`` holds its last words."""

    def __init__(self, message: str, *, returncode: int = 1, stderr: str = ""):
        super().__init__(message)
        self.returncode = returncode
        self.stderr = stderr


def git_env(*, network: bool = False) -> dict[str, str]:
    """The environment for git: no system config, no prompts, no pager, C locale, no lazy fetch (unless ``network``)."""
    env = dict(os.environ)
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_EXTERNAL_DIFF", "GIT_PAGER", "GIT_EDITOR"):
        env.pop(name, None)
    env.update(
        GIT_CONFIG_NOSYSTEM="1",
        GIT_TERMINAL_PROMPT="0",
        GIT_OPTIONAL_LOCKS="0",
        GIT_PAGER="cat",
        PAGER="cat",
        LC_ALL="C",
        GIT_ATTR_NOSYSTEM="1",
    )
    if not network:
        env["GIT_NO_LAZY_FETCH"] = "1"
    return env


def command(root: str | Path, *args: str, network: bool = False) -> list[str]:
    """The full argument vector for ``git args`` in ``root``, with the safety options."""
    return [executable(), "-C", str(root), *SAFE_OPTIONS, *(() if network else NO_NETWORK), *args]


#: ``executable``'s answers, by the ``PATH`` they were found on.
_FOUND: dict[str, str] = {}


def executable() -> str:
    """The git that running ``git`` runs: the first executable file of that name in a directory of ``PATH``, looked up
    once per ``PATH``. Starting a bare name makes the new process try each directory in turn, and Python waits for
    every try before it goes on (up to a dozen of them per command, five commands in a check for changes). ``git``
    when there is none (starting it then fails as before) or when ``PATH`` names a relative directory (which one
    that is depends on the working directory at the time)."""
    path = os.environ.get("PATH", os.defpath)
    found = _FOUND.get(path)
    if found is None:
        found = "git"
        for directory in path.split(os.pathsep):
            if not os.path.isabs(directory):
                break
            candidate = os.path.join(directory, "git")
            if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
                found = candidate
                break
        _FOUND[path] = found
    return found


def _name(args: tuple[str, ...]) -> str:
    """The git command ``args`` run (``log`` of ``-c diff.renames=1 log …``), for messages."""
    rest = list(args)
    while len(rest) > 1 and rest[0] == "-c":
        del rest[:2]
    return rest[0] if rest else ""


def git(root: str | Path, *args: str, text: bool = True, input: bytes | str | None = None,
        check: bool = False, network: bool = False) -> subprocess.CompletedProcess:
    """Run ``git args`` in ``root`` to completion and return the finished process.

    With ``check=True`` a non-zero exit raises ``GitError`` carrying git's stderr. ``network`` lets the command
    reach a remote (the module docstring says why nothing else may).
    """
    try:
        proc = subprocess.run(
            command(root, *args, network=network), capture_output=True, input=input, env=git_env(network=network),
            check=False,
            text=text, **({"errors": "replace"} if text else {}),
        )
    except FileNotFoundError as exc:  # no git on PATH
        raise GitError("git is not installed or not on PATH") from exc
    if check and proc.returncode != 0:
        stderr = proc.stderr if text else proc.stderr.decode("utf-8", "replace")
        raise GitError(f"git {_name(args)} failed: {last_line(stderr)}", returncode=proc.returncode, stderr=stderr)
    return proc


def git_together(root: str | Path, *commands: tuple[str, ...]) -> list[subprocess.CompletedProcess]:
    """Run each of ``commands`` (the arguments of one ``git`` each) in ``root``, all at once, and return the finished
    processes in the same order, their output as bytes. For commands whose output is small; none is checked (see
    each ``returncode``). Raises ``GitError`` when git cannot be started."""
    return GitTogether.start(root, *commands).results()


class GitTogether:
    """``git_together`` in two steps: the commands started (``start``), the caller free to do something else while git
    works, and their finished processes collected (``results``) or the commands ended unread (``cancel``)."""

    def __init__(self, started: list[subprocess.Popen]) -> None:
        self._started = started

    @classmethod
    def start(cls, root: str | Path, *commands: tuple[str, ...]) -> GitTogether:
        """Start ``commands`` in ``root``; ``GitError`` when git cannot be started (none is left running then)."""
        started: list[subprocess.Popen] = []
        env = git_env()
        try:
            for args in commands:
                started.append(subprocess.Popen(command(root, *args), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                                stderr=subprocess.PIPE, env=env))
        except FileNotFoundError as exc:  # no git on PATH
            cls(started).cancel()
            raise GitError("git is not installed or not on PATH") from exc
        except BaseException:
            cls(started).cancel()
            raise
        return cls(started)

    def results(self) -> list[subprocess.CompletedProcess]:
        """The finished processes, in the order started, once each has ended (their output read whole)."""
        try:
            done = []
            for proc in self._started:
                stdout, stderr = proc.communicate()
                done.append(subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr))
            return done
        finally:
            self.cancel()

    def cancel(self) -> None:
        """End the commands still running (after ``results``: none) and forget them."""
        started, self._started = self._started, []
        for proc in started:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            for pipe in (proc.stdout, proc.stderr):  # (read or not: closed now rather than when collected)
                if pipe is not None:
                    pipe.close()


def git_stream(root: str | Path, *args: str) -> Iterator[bytes]:
    """Yield the raw lines (with their newline) of ``git args``; raises ``GitError`` if it fails."""
    try:
        proc = subprocess.Popen(command(root, *args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=git_env())
    except FileNotFoundError as exc:
        raise GitError("git is not installed or not on PATH") from exc
    assert proc.stdout is not None and proc.stderr is not None
    try:
        yield from proc.stdout
        stderr = proc.stderr.read().decode("utf-8", "replace")
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
    if proc.returncode != 0:
        raise GitError(f"git {_name(args)} failed: {last_line(stderr)}", returncode=proc.returncode, stderr=stderr)


class GitProcess:
    """A long-running git command with pipes to talk to it.

    ``cat-file --batch`` is talked to through ``stdin``/``stdout``. A command
    whose output is read in large chunks (``log -z`` of a long history, which
    has no line breaks to stream by) is started with ``stdin=False,
    keep_stderr=True``, read from ``stdout`` and ended with ``finish()``,
    which returns its exit status and what it said on stderr (kept in a
    temporary file, so a chatty git never blocks on a full pipe). ``stdout``, a
    file, takes git's output instead of a pipe.
    """

    def __init__(self, root: str | Path, *args: str, stdin: bool = True, keep_stderr: bool = False,
                 stdout: IO[bytes] | None = None):
        if keep_stderr:
            import tempfile  # (only a long read keeps git's stderr aside)

            self._errors = tempfile.TemporaryFile()
        else:
            self._errors = None
        try:
            self.proc = subprocess.Popen(command(root, *args), stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                                         stdout=subprocess.PIPE if stdout is None else stdout,
                                         stderr=self._errors or subprocess.DEVNULL, env=git_env())
        except FileNotFoundError as exc:
            if self._errors is not None:
                self._errors.close()
            raise GitError("git is not installed or not on PATH") from exc

    def finish(self) -> tuple[int, str]:
        """Wait for git to end (after its output was read) and return (exit status, stderr)."""
        if self.proc.stdout:
            self.proc.stdout.close()
        code = self.proc.wait()
        stderr = ""
        if self._errors is not None:
            self._errors.seek(0)
            stderr = self._errors.read().decode("utf-8", errors="replace")
            self._errors.close()
            self._errors = None
        return code, stderr

    @property
    def stdin(self):
        return self.proc.stdin

    @property
    def stdout(self):
        return self.proc.stdout

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                if self.proc.stdin:
                    self.proc.stdin.close()
            except OSError:
                pass
            self.proc.kill()
        self.proc.wait()
        if self._errors is not None:
            self._errors.close()
            self._errors = None


def last_line(stderr: str) -> str:
    lines = [line.strip() for line in (stderr or "").strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no message"
