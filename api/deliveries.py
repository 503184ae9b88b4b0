"""Webhook deliveries already handled, by their ``X-GitHub-Delivery`` id, so each runs once.

GitHub retries and people press "Redeliver"; an attacker who captured a signed
delivery can replay it. A delivery is claimed when its handling starts; when
the handling succeeds it is kept as done, when it fails it is released, so
a redelivery after the cause is fixed (commits fetched, say) runs again. The
log lives in memory, holds the newest ``capacity`` ids, and is per server.
"""

from __future__ import annotations

import threading
from collections import OrderedDict


class DeliveryLog:
    def __init__(self, capacity: int = 10_000):
        self.capacity = capacity
        self._done: OrderedDict[str, None] = OrderedDict()
        self._running: set[str] = set()
        self._lock = threading.Lock()

    def claim(self, delivery: str) -> str | None:
        """Start handling ``delivery``: None when it is new, else ``"running"`` or ``"handled"`` (do not handle it again)."""
        with self._lock:
            if delivery in self._running:
                return "running"
            if delivery in self._done:
                return "handled"
            self._running.add(delivery)
            return None

    def finish(self, delivery: str, *, handled: bool) -> None:
        """End handling ``delivery``: kept as handled, or released for a redelivery."""
        with self._lock:
            self._running.discard(delivery)
            if handled:
                self._done[delivery] = None
                while len(self._done) > self.capacity:
                    self._done.popitem(last=False)
