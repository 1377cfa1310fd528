"""A per-client limit on new builds: a token bucket per address, in bounded memory.

Each client (by address) may start ``burst`` new builds at once and then one
more every ``per / burst`` seconds. Only builds count: a cached pack, or one
already under way, costs nothing. At most ``clients`` addresses are
remembered, the least recently seen forgotten first (a forgotten client
starts again with a full bucket, so memory stays bounded whatever arrives).
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict


class RateLimit:
    def __init__(self, burst: int = 10, per: float = 600.0, clients: int = 4096) -> None:
        self.burst, self.per, self.clients = burst, per, clients
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # tokens, when
        self._lock = threading.Lock()

    @property
    def rate(self) -> float:
        """Tokens regained per second."""
        return self.burst / self.per if self.per > 0 else math.inf

    def _tokens(self, client: str, now: float) -> float:
        tokens, when = self._buckets.get(client, (float(self.burst), now))
        return min(float(self.burst), tokens + (now - when) * self.rate)

    def allow(self, client: str, now: float | None = None) -> bool:
        """Take one build for ``client`` if it has one left."""
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens = self._tokens(client, now)
            allowed = tokens >= 1
            self._buckets[client] = (tokens - 1 if allowed else tokens, now)
            self._buckets.move_to_end(client)
            while len(self._buckets) > self.clients:
                self._buckets.popitem(last=False)
            return allowed

    def wait(self, client: str, now: float | None = None) -> int:
        """Seconds until ``client`` may start a build again (at least 1)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            missing = 1 - self._tokens(client, now)
        return max(1, math.ceil(missing / self.rate)) if self.rate else 1

    def __len__(self) -> int:
        return len(self._buckets)
