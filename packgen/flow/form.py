"""Fill-in fields in copy: ``{field.NAME}`` marks where a field goes.

Fields are filled into the copy as private-use markers before the copy is
parsed, so markup around them (bold labels, line breaks) works as usual;
:func:`split_field` then cuts a parsed paragraph at its marker.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

PREFIX = "field."
_MARK = re.compile("\ue010([A-Za-z0-9_-]+)\ue011")
_NAMES = re.compile(r"\{field\.([A-Za-z0-9_-]+)\}")


def marker(name: str) -> str:
    return f"\ue010{name}\ue011"


def values(names: Iterable[str]) -> dict[str, str]:
    """Placeholder values that stand for the fields while copy is parsed."""
    return {f"{PREFIX}{name}": marker(name) for name in names}


def used(copy: str) -> list[str]:
    """Field names the copy uses, in order."""
    return _NAMES.findall(copy)


def split_field(markup: str) -> tuple[str, list[str], str]:
    """``(before, [names…], after)`` of a paragraph's markup; no names: no field."""
    names = _MARK.findall(markup)
    if not names:
        return markup, [], ""
    first = _MARK.search(markup)
    assert first is not None
    before, after = markup[: first.start()], markup[first.end() :]
    return before.rstrip(), names, _MARK.sub("", after).lstrip()
