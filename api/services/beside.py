"""Running one computation whose result is JSON in a forked child while the ingesting process goes on with
other work (``Beside``): the answers (``answers.AnswersBeside``), the trends' factors and the history state's save.

The forking, the pipe, the fall-back to computing in the parent and the cancelling are ``graph.forked.Forked``'s;
here the result travels as JSON text (numbers and strings the computation made; nothing is unpickled), decoded one
copy at a time (the answers of 50k files send 30 MB).
"""

from __future__ import annotations

import json
from typing import Any, Iterable

from cairn.graph import forked
from cairn.graph.forked import Forked

#: Whether ``start`` may fork (tests turn it off to compare the two paths, apart from ``graph.forked.ENABLED``).
ENABLED = forked.ENABLED


class Beside(Forked):
    """One computation whose result is JSON, run in a forked child when possible (see ``graph.forked``)."""

    def _may_fork(self) -> bool:
        return ENABLED

    def _encode(self, result: Any) -> Iterable[Any]:
        yield json.dumps(result, separators=(",", ":")).encode("ascii")

    def _decode(self, received: list[bytearray]) -> tuple[bool, Any]:
        try:  # one copy of the text at a time: the bytes go before it is read
            text = received.pop().decode("ascii")
            return True, json.loads(text)
        except ValueError:  # a UnicodeDecodeError too
            return False, None
