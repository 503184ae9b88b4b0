"""Strings written as one blob, NUL-separated, made a slice at a time as they are written (``Joined``): the history
state's codec (``ingest.history_state``) writes them, and an analysis' memory hands its own to it (``knowledge``)."""

from __future__ import annotations

from typing import Iterator


class Joined:
    """Strings written as one blob, NUL-separated (no path, name or date holds a NUL), made a slice at a time while
    the file is written rather than held whole: the touch dates of 570,000 KNOWS edges at 50k files are 14 MB of
    bytes made for the save alone, at the peak of a cold ingest. Read back as the bytes (``kind`` "bytes") or the
    list of strings (``kind`` "texts", UTF-8 with surrogate escapes) the whole blob would be."""

    #: How many strings make one slice: what a slice holds while it is made, its strings joined and encoded (a few
    #: hundred KB; 65,536 paths were 12 MB at the peak of a cold ingest at 50k files, where the state is written)
    AT_ONCE = 4_096

    def __init__(self, texts: list[str], kind: str = "bytes", encoding: str = "ascii") -> None:
        self.texts, self.kind, self.encoding = texts, kind, encoding
        self.errors = "strict" if encoding == "ascii" else "surrogateescape"
        if encoding == "ascii":
            self.size = sum(map(len, texts)) + max(len(texts) - 1, 0)  # (a text that is not ASCII fails its write)
        else:
            self.size = sum(map(len, self.chunks()))

    def chunks(self) -> Iterator[bytes]:
        texts, at_once = self.texts, self.AT_ONCE
        for start in range(0, len(texts), at_once):
            if start:
                yield b"\0"  # (apart: not a copy of the slice with it in front)
            yield "\0".join(texts[start:start + at_once]).encode(self.encoding, self.errors)
