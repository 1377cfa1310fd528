"""A bounded memo of measurements, kept per thread, for the layout stage.

Setting the same copy in the same style at the same width gives the same
lines, whichever document asks: the co-brand check and the build set the
same slots with the same values, press and office set most frames alike, and
the next organisation's pack sets the same copy again. A :class:`Memo` keeps
such results under a key that holds everything they depend on (the text, the
style, the width, the fonts registered), so a different input is a different
key, never a stale answer.

What is kept may be a ReportLab paragraph, which is mutable while it is drawn
(``drawOn`` sets its canvas), so each thread has a table of its own; the
oldest entries go first when a table is full.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class Memo(Generic[V]):
    """Results by key, at most ``size`` per thread, least recently used dropped first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._local = threading.local()

    def _table(self) -> OrderedDict[Hashable, V]:
        table: OrderedDict[Hashable, V] | None = getattr(self._local, "table", None)
        if table is None:
            table = self._local.table = OrderedDict()
        return table

    def get(self, key: Hashable, make: Callable[[], V]) -> V:
        """The result kept under ``key``, else ``make()``'s (then kept)."""
        table = self._table()
        try:
            value = table[key]
        except KeyError:
            value = table[key] = make()
            if len(table) > self.size:
                table.popitem(last=False)
            return value
        table.move_to_end(key)
        return value

    def __len__(self) -> int:
        return len(self._table())

    def clear(self) -> None:
        self._table().clear()
