"""Named text styles with ``parent:`` inheritance into flat resolved styles.

A resolved style also carries the language and direction of the copy set in
it (the layout context sets them from the copy; see ``for_copy``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from packgen.colour import Colour, unknown_colour_hint
from packgen.errors import Diagnostic, Span, allowed_hint
from packgen.model.common import Align, Direction, Style, Weight
from packgen.source.load import span_at


@dataclass(frozen=True)
class ResolvedStyle:
    name: str
    font: str
    size: float  # pt at the design's base size
    leading: float  # ratio of size
    colour: Colour
    colour_name: str
    align: Align  # start and end follow ``direction``
    bold: bool
    italic: bool
    space_before: float
    space_after: float
    indent: float  # from the start edge
    bullet: str
    language: str = ""  # BCP 47 tag of the copy set in this style
    direction: Direction = Direction.LTR

    def for_copy(self, language: str, direction: Direction) -> ResolvedStyle:
        """This style setting copy in ``language``, running in ``direction``."""
        if language == self.language and direction is self.direction:
            return self
        return replace(self, language=language, direction=direction)


_DEFAULTS = {
    "leading": 1.25,
    "align": Align.START,
    "weight": Weight.REGULAR,
    "italic": False,
    "space_before": 0.0,
    "space_after": 0.0,
    "indent": 0.0,
    "bullet": "\u2022",
}


def resolve_styles(
    styles: dict[str, Style],
    palette: dict[str, Colour],
    fonts: set[str],
    spans: dict[str, Span],
    diagnostics: list[Diagnostic],
    raw: Any = None,
) -> dict[str, ResolvedStyle]:
    """Flatten every style along its parent chain; problems go to ``diagnostics``.

    ``spans`` places each style; ``raw`` (the loaded ``styles:`` mapping) places
    each of its fields, so a message points at the very value that is wrong.
    """

    def at(name: str, field: str) -> Span | None:
        return span_at(raw, (name, field)) if raw is not None else spans.get(name)

    reported: set[tuple[str, str]] = set()  # (style, field): a parent's mistake once

    resolved: dict[str, ResolvedStyle] = {}
    for name in styles:
        chain: list[Style] = []
        current: str | None = name
        seen: list[str] = []
        broken = False
        while current is not None:
            if current in seen:
                diagnostics.append(
                    Diagnostic(
                        f"style inheritance loops: {' → '.join([*seen, current])}",
                        at(name, "parent"),
                        field=f"styles.{name}.parent",
                    )
                )
                broken = True
                break
            if current not in styles:
                diagnostics.append(
                    Diagnostic(
                        f"unknown parent style '{current}'",
                        at(seen[-1], "parent") if seen else spans.get(name),
                        allowed_hint(current, list(styles), "styles"),
                        field=f"styles.{seen[-1] if seen else name}.parent",
                    )
                )
                broken = True
                break
            seen.append(current)
            chain.append(styles[current])
            current = styles[current].parent
        if broken:
            continue
        merged: dict[str, object] = dict(_DEFAULTS)
        for style in reversed(chain):
            merged.update(style.model_dump(exclude_none=True, exclude={"parent"}))
        missing = [key for key in ("font", "size", "colour") if key not in merged]
        if missing:
            diagnostics.append(
                Diagnostic(
                    f"style '{name}' has no {', '.join(missing)} (set it here or on a parent)",
                    spans.get(name),
                    field=f"styles.{name}",
                )
            )
            continue
        colour_name = str(merged["colour"])
        font = str(merged["font"])
        known = {
            "colour": (colour_name, list(palette), "colours"),
            "font": (font, sorted(fonts), "fonts"),
        }
        unknown = False
        for field, (value, allowed, noun) in known.items():
            if value in allowed:
                continue
            unknown = True
            owner = _setter(seen, chain, field)
            if (owner, field) not in reported:
                reported.add((owner, field))
                diagnostics.append(
                    Diagnostic(
                        f"unknown {field} '{value}'",
                        at(owner, field),
                        unknown_colour_hint(value, palette)
                        if field == "colour"
                        else allowed_hint(value, allowed, noun),
                        field=f"styles.{owner}.{field}",
                    )
                )
            break  # as before: a style with an unknown colour is not checked for its font
        if unknown:
            continue
        resolved[name] = ResolvedStyle(
            name=name,
            font=font,
            size=_points(merged["size"]),
            leading=float(str(merged["leading"])),
            colour=palette[colour_name],
            colour_name=colour_name,
            align=Align(merged["align"]),
            bold=Weight(merged["weight"]) is Weight.BOLD,
            italic=bool(merged["italic"]),
            space_before=_points(merged["space_before"]),
            space_after=_points(merged["space_after"]),
            indent=_points(merged["indent"]),
            bullet=str(merged["bullet"]),
        )
    return resolved


def _setter(names: list[str], chain: list[Style], field: str) -> str:
    """The nearest style of the chain that sets ``field`` (whose value is in use)."""
    for name, style in zip(names, chain, strict=True):
        if getattr(style, field) is not None:
            return name
    return names[0]


def _points(value: object) -> float:
    if isinstance(value, str) and value.endswith("pt"):
        return float(value[:-2])
    return float(str(value))
