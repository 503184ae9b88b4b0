"""Whether a command left anything for its process's end to finish, seen in the process itself.

``cli.main`` ends the process at once (``os._exit``) when the command said it left nothing to finish
(``common.nothing_left_to_finish``); that skips what the interpreter's end would still do: wait for threads that are
not daemons, run exit handlers (``atexit``, ``weakref.finalize``'s, such as a temporary directory's removal), flush
and close files that were never closed. ``LooseEnds`` looks, once the command's work is done, for anything of the kind
it started: a thread besides the main one, a child process (running, or ended and not yet waited for), an exit
handler registered since it started, a file descriptor open for writing that was not open when it started. It
says there are none only where it can see all of them (Linux's ``/proc``); anywhere else it says there may be.
"""

from __future__ import annotations

import atexit
import errno
import os
import sys
import threading

#: Where a process's open file descriptors are listed (Linux).
_OPEN_FDS = "/proc/self/fd"
_FD_INFO = "/proc/self/fdinfo"


def _exit_handlers() -> int | None:
    counted = getattr(atexit, "_ncallbacks", None)  # (CPython's)
    return counted() if counted is not None else None


def _writable_fds() -> frozenset[tuple[int, int, int]] | None:
    """The file descriptors open for writing, each with the file it is open on (device, inode: a number closed and
    opened again on another file is another); None when they cannot be listed."""
    try:
        listed = os.listdir(_OPEN_FDS)
    except OSError:
        return None
    writable = set()
    for name in listed:
        fd = int(name)
        try:
            opened = os.fstat(fd)
            with open(f"{_FD_INFO}/{fd}", "rb") as info:  # (proc(5): "flags", octal, the access mode among them)
                flags = next((int(line.split()[1], 8) for line in info if line.startswith(b"flags:")), None)
        except OSError as exc:
            if exc.errno in (errno.EBADF, errno.ENOENT):  # closed since listed (the listing's own descriptor)
                continue
            return None
        if flags is None:
            return None
        if flags & os.O_ACCMODE != os.O_RDONLY:
            writable.add((fd, opened.st_dev, opened.st_ino))
    return frozenset(writable)


def _logging_ends_idle() -> bool:
    """Whether the exit handler ``logging`` registers when imported (``logging.shutdown``: it flushes and closes every
    handler made) has nothing to do that ending at once would skip: every handler writes to the standard streams,
    which are flushed before the process ends, and closing one leaves its stream open. (A library Cairn uses imports
    ``logging``, markdown-it-py reading decisions: its loggers have no handlers, only the module's last resort.)"""
    logging = sys.modules["logging"]
    handlers = getattr(logging, "_handlerList", None)
    if handlers is None:
        return False
    for ref in list(handlers):
        handler = ref()
        if handler is None:
            continue
        if type(handler) is logging.StreamHandler and handler.stream in (sys.stdout, sys.stderr):
            continue
        if type(handler) is getattr(logging, "_StderrHandler", None):  # (the last resort: always sys.stderr)
            continue
        return False
    return True


def _has_children() -> bool:
    """Whether the process has a child: running, or ended and not waited for (left waitable: ``WNOWAIT``)."""
    try:
        os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOHANG | os.WNOWAIT)
    except ChildProcessError:
        return False
    except (AttributeError, OSError):  # no waitid here: cannot tell
        return True
    return True


class LooseEnds:
    """What was open before a command ran (``before``), to tell later whether it left anything behind (``none``)."""

    def __init__(self, handlers: int | None, fds: frozenset[tuple[int, int, int]] | None, logging_imported: bool) -> None:
        self.handlers = handlers
        self.fds = fds
        self.logging_imported = logging_imported

    @classmethod
    def before(cls) -> "LooseEnds":
        return cls(_exit_handlers(), _writable_fds(), "logging" in sys.modules)

    def none(self) -> bool:
        """Whether nothing the command started is still there to finish: no thread but the main one, no child process,
        no exit handler added (but ``logging``'s, when it has nothing to do: ``_logging_ends_idle``), no file
        descriptor open for writing that was not open before it."""
        if threading.active_count() != 1 or _has_children():
            return False
        handlers = _exit_handlers()
        if "logging" in sys.modules:
            if not _logging_ends_idle():
                return False
            if not self.logging_imported:  # its import registered one
                handlers = handlers - 1 if handlers is not None else None
        if handlers is None or handlers != self.handlers:
            return False
        fds = _writable_fds()
        return fds is not None and self.fds is not None and fds <= self.fds
