"""SVG art that follows the palette: ``data-palette`` references into painted SVG bytes.

The convention (documented in docs/layouts.md): an SVG element names the
palette entries it is painted with in a ``data-palette`` attribute, and keeps
an ordinary ``fill``/``stroke`` value, so the file stays valid SVG that every
browser and drawing tool shows in the colours it was drawn with::

    <path d="…" fill="#0E7C7B" data-palette="teal"/>
    <path d="…" fill="none" stroke="#1F2A44" data-palette="stroke: ink"/>
    <rect … fill="#F4B63F" stroke="#1F2A44" data-palette="fill: sun; stroke: ink"/>
    <stop offset="0" stop-color="#F9D8CC" data-palette="stop-color: blush"/>

A bare name means ``fill``. At build time each named property is set to the
current palette's sRGB value (in the attribute and in any ``style``), so a
palette change recolours the art; press output then maps those exact values
to the palette's CMYK inks, as for any SVG colour. (CSS custom properties and
``<style>`` classes would say the same, but svglib, which draws SVG for
ReportLab, does not read custom properties.)

:func:`tag` writes the attributes into an SVG drawn with exact palette values.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from packgen.colour import Colour
from packgen.errors import Diagnostic, PackgenError, Span, allowed_hint

ATTRIBUTE = "data-palette"
PAINTS = ("fill", "stroke", "stop-color")

_TAG = re.compile(r"<[A-Za-z][^<>]*?\sdata-palette\s*=\s*(\"[^\"]*\"|'[^']*')[^<>]*>")
_PAINTED = re.compile(r"<[A-Za-z][^<>]*>")


def references(value: str) -> list[tuple[str, str]]:
    """``"teal"`` → ``[("fill", "teal")]``; ``"fill: sun; stroke: ink"`` → two pairs."""
    pairs: list[tuple[str, str]] = []
    for part in value.split(";"):
        part = part.strip()
        if not part:
            continue
        paint, _, name = part.rpartition(":")
        pairs.append(((paint.strip() or "fill"), name.strip()))
    return pairs


def _set(tag: str, paint: str, value: str) -> str:
    """``tag`` (a start tag's text) with ``paint`` set to ``value``, in style too."""
    attribute = re.compile(rf"(\s{re.escape(paint)}\s*=\s*)(\"[^\"]*\"|'[^']*')")
    if attribute.search(tag):
        tag = attribute.sub(lambda m: f'{m.group(1)}"{value}"', tag, count=1)
    else:
        end = len(tag) - (2 if tag.endswith("/>") else 1)
        tag = f'{tag[:end].rstrip()} {paint}="{value}"{tag[end:]}'
    style = re.compile(r"(\sstyle\s*=\s*)(\"[^\"]*\"|'[^']*')")
    found = style.search(tag)
    if found:
        quoted = found.group(2)
        inner = re.sub(
            rf"(?<![-\w]){re.escape(paint)}\s*:\s*[^;\"']*", f"{paint}:{value}", quoted[1:-1]
        )
        tag = tag[: found.start(2)] + quoted[0] + inner + quoted[-1] + tag[found.end(2) :]
    return tag


@lru_cache(maxsize=128)
def _painted(
    path: Path, mtime_ns: int, palette: tuple[tuple[str, str], ...], shown: str
) -> bytes | None:
    text = path.read_text(encoding="utf-8-sig")
    if ATTRIBUTE not in text:
        return None
    colours = dict(palette)
    problems: list[Diagnostic] = []

    def paint(match: re.Match[str]) -> str:
        tag = match.group(0)
        line = text.count("\n", 0, match.start()) + 1
        for prop, name in references(match.group(1)[1:-1]):
            if prop not in PAINTS:
                problems.append(
                    Diagnostic(
                        f"{ATTRIBUTE} paints '{prop}', which is not a colour property",
                        Span(shown, line),
                        allowed_hint(prop, list(PAINTS), "properties"),
                    )
                )
            elif name not in colours:
                problems.append(
                    Diagnostic(
                        f"{ATTRIBUTE} names colour '{name}', which is not in the palette",
                        Span(shown, line),
                        allowed_hint(name, list(colours), "colours"),
                    )
                )
            else:
                tag = _set(tag, prop, colours[name])
        return tag

    painted = _TAG.sub(paint, text)
    if problems:
        raise PackgenError(problems)
    return painted.encode("utf-8")


def painted_svg(path: Path, palette: dict[str, Colour], shown: str) -> bytes | None:
    """The SVG at ``path`` painted from ``palette``; None when it names no palette colour.

    ``shown`` is the path as messages show it. Unknown names raise, every one
    with its line in the SVG.
    """
    key = tuple((name, colour.rgb) for name, colour in palette.items())
    return _painted(path, path.stat().st_mtime_ns, key, shown)


def tag(text: str, palette: dict[str, Colour]) -> str:
    """``text`` (an SVG) with ``data-palette`` on every element painted in an exact
    palette value (the first palette name of a value wins); existing tags are kept."""
    names: dict[str, str] = {}
    for name, colour in palette.items():
        names.setdefault(colour.rgb.upper(), name)

    def mark(match: re.Match[str]) -> str:
        start = match.group(0)
        if ATTRIBUTE in start or start.startswith(("</", "<?", "<!")):
            return start
        found: list[str] = []
        for paint in PAINTS:
            value = re.search(rf"\s{re.escape(paint)}\s*=\s*[\"']\s*(#[0-9A-Fa-f]{{6}})", start)
            if value and value.group(1).upper() in names:
                found.append(f"{paint}: {names[value.group(1).upper()]}")
        if not found:
            return start
        if found == [f"fill: {found[0].split(': ')[1]}"]:
            found = [found[0].split(": ")[1]]
        end = len(start) - (2 if start.endswith("/>") else 1)
        return f'{start[:end].rstrip()} {ATTRIBUTE}="{"; ".join(found)}"{start[end:]}'

    return _PAINTED.sub(mark, text)
