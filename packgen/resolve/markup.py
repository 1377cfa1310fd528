"""Copy text into blocks of safe ReportLab paragraph markup.

Copy files use a small, designer-friendly subset of Markdown:

- a blank line separates paragraphs;
- ``# text`` is a heading, ``- text`` a bullet item;
- ``**bold**`` and ``*italic*`` inline; a line ending in ``\\`` breaks the line;
- ``{name}`` inserts a value (campaign, organisation or link data).

Everything else is literal: ``&``, ``<`` and ``>`` are escaped, and inserted
values are escaped *after* markup is interpreted, so an organisation called
``Tom & Jerry's <Hub> *Best*`` prints exactly as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum

from packgen.xmltext import escape


class BlockKind(str, Enum):
    PARAGRAPH = "paragraph"
    HEADING = "heading"
    BULLET = "bullet"


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    markup: str  # ReportLab paragraph XML, already escaped


class MissingValue(KeyError):
    """A ``{name}`` placeholder with no value; carries the name."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_.]*)\}")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])")
# Private-use characters stand in for placeholders while markup is parsed.
_SLOT = "\ue000{}\ue001"
_SLOT_RE = re.compile("\ue000(\\d+)\ue001")


def placeholders(text: str) -> list[str]:
    return _PLACEHOLDER.findall(text)


def _inline(text: str, values: list[str]) -> str:
    html = escape(text)
    html = _BOLD.sub(r"<b>\1</b>", html)
    html = _ITALIC.sub(r"<i>\1</i>", html)
    return _SLOT_RE.sub(lambda m: escape(values[int(m.group(1))]), html)


Finisher = Callable[[str], str]  # copy text into typographically finished text


def to_blocks(text: str, data: Mapping[str, str], finish: Finisher | None = None) -> list[Block]:
    """Parse copy into blocks, filling ``{name}`` from ``data``.

    ``finish`` (see ``typography``) sets the copy's quotes and no-break spaces;
    inserted values are left as they are. Raises :class:`MissingValue` for a
    placeholder that ``data`` lacks.
    """
    values: list[str] = []

    def slot(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in data:
            raise MissingValue(name)
        values.append(data[name])
        return _SLOT.format(len(values) - 1)

    text = _PLACEHOLDER.sub(slot, text)
    if finish is not None:
        text = finish(text)
    blocks: list[Block] = []
    lines: list[str] = []

    def flush() -> None:
        if lines:
            joined = " ".join(lines)
            html = _inline(joined, values).replace("\\ ", "<br/>")
            blocks.append(Block(BlockKind.PARAGRAPH, html.rstrip("\\")))
            lines.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("# "):
            flush()
            blocks.append(Block(BlockKind.HEADING, _inline(line[2:].strip(), values)))
        elif line.startswith("- "):
            flush()
            blocks.append(Block(BlockKind.BULLET, _inline(line[2:].strip(), values)))
        else:
            lines.append(line)
    flush()
    return blocks


def plain(text: str, data: Mapping[str, str], finish: Finisher | None = None) -> str:
    """Copy as plain text (for PDF metadata): placeholders filled, markup dropped."""
    values: list[str] = []

    def slot(match: re.Match[str]) -> str:
        values.append(data.get(match.group(1), match.group(0)))
        return _SLOT.format(len(values) - 1)

    text = _PLACEHOLDER.sub(slot, text)
    if finish is not None:
        text = finish(text).replace("\u00a0", " ")  # metadata breaks nowhere
    filled = _SLOT_RE.sub(lambda m: values[int(m.group(1))], text)
    filled = _BOLD.sub(r"\1", filled)
    return " ".join(filled.replace("# ", "").replace("\\", "").split())
