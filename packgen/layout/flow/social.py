"""Social media post text: copy into the plain text people paste, and its length.

Platforms count differently. ``plain`` counts every character (as Facebook,
LinkedIn and Instagram do). ``x`` follows X's rule for the parts a pack uses:
every web address counts as 23 characters however long it is, written with
or without ``https://``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from packgen.resolve.markup import MissingValue

X_URL_LENGTH = 23  # what X counts for any web address (t.co wrapping)

_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_.]*)\}")
_URL = re.compile(
    r"(?:https?://)?(?:[a-z0-9-]+\.)+(?:[a-z]{2,})(?:/[^\s]*)?(?<![.,;:!?)])",
    re.IGNORECASE,
)


def post_text(copy: str, data: Mapping[str, str]) -> str:
    """Copy as the text of a post: values filled, lines of a paragraph joined,
    paragraphs separated by one blank line. Raises MissingValue."""

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in data:
            raise MissingValue(name)
        return data[name]

    filled = _PLACEHOLDER.sub(fill, copy)
    paragraphs = [" ".join(part.split()) for part in re.split(r"\n\s*\n", filled.strip())]
    return "\n\n".join(p for p in paragraphs if p)


def count(text: str, counting: str) -> int:
    """Characters of ``text`` as the platform counts them."""
    if counting == "x":
        total = 0
        last = 0
        for match in _URL.finditer(text):
            total += len(text[last : match.start()]) + X_URL_LENGTH
            last = match.end()
        return total + len(text[last:])
    return len(text)
