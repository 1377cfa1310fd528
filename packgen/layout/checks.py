"""The legibility and press rules of the layout stage, for both layout modes.

One rulebook, applied while laying out, each broken rule an error at the
layout or copy line that causes it:

- text size: nothing under ``rules.min_text``; body text at least ``rules.min_body``;
- contrast against what lies behind the text: 4.5:1, or 3:1 for large text
  (18 pt, or 14 pt bold), as WCAG 2 AA asks;
- reversed text (lighter than what lies behind it, such as white on a tint):
  at least ``rules.reversed_min`` and bold (or ``rules.reversed_regular_min``
  in a regular weight), since thin light strokes fill in
  with ink spread on press and vanish on an office printer;
- press inks: body text (its bullets too) and any text under
  ``rules.press_one_ink_under`` prints in one ink; dark text of that kind in
  ``rules.press_body_colour`` (100% K), which :func:`press_style` swaps in.

Fixed pages check placed text (:func:`check_text_sizes`,
:func:`check_contrast`, :func:`check_press_inks`); a flowing story, which
cannot know where a paragraph will land, checks each style against every
background it may land on (:func:`size_problem`, :func:`contrast_problems`,
:func:`press_style`) before pagination.
The safe area and folds are checked where boxes are placed (``context``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from packgen.colour import Colour, contrast_ratio, luminance
from packgen.errors import Span
from packgen.layout.context import LayoutContext
from packgen.layout.placed import Placed, PlacedShape, PlacedText, TextInk
from packgen.model.common import ElementBase, Rules
from packgen.resolve.styles import ResolvedStyle
from packgen.units import PX

MIN_CONTRAST = 4.5  # WCAG 2 AA for text
MIN_CONTRAST_LARGE = 3.0  # ... for large text
LARGE = 18.0  # pt: large text
LARGE_BOLD = 14.0  # pt: large text when bold
DARK_TEXT = 0.1  # relative luminance under which text is "dark" and prints as 100% K
PAPER = Colour(cmyk=(0, 0, 0, 0), rgb="#FFFFFF")  # behind text where no background is set


def is_large(size: float, bold: bool) -> bool:
    """Large text in WCAG's sense, where 3:1 contrast is enough."""
    return size + 0.01 >= LARGE or (bold and size + 0.01 >= LARGE_BOLD)


def floor(rules: Rules, body: bool) -> float:
    """The smallest size text may have (pt)."""
    return float(rules.min_body if body else rules.min_text)


def contrast_needed(large: bool) -> float:
    return MIN_CONTRAST_LARGE if large else MIN_CONTRAST


def inks(colour: Colour) -> int:
    """How many of the four process inks a colour prints with."""
    return sum(1 for channel in colour.cmyk if channel > 0)


def one_ink_rule(style: ResolvedStyle, size: float, body: bool, rules: Rules) -> bool:
    """Whether press output must print this text in one ink: body text, or small text."""
    under = rules.press_one_ink_under
    return body or (under is not None and size + 0.01 < float(under))


def press_style(
    style: ResolvedStyle, size: float, body: bool, ctx: LayoutContext
) -> tuple[ResolvedStyle, str | None]:
    """The style as press output prints it, and a problem if it breaks the one-ink rule.

    Dark text held to one ink prints in ``rules.press_body_colour`` (100% K),
    so small type registers; light text keeps its colour and must use one ink
    (or none, as white does).
    """
    rules = ctx.rules
    if not ctx.profile.cmyk or not one_ink_rule(style, size, body, rules):
        return style, None
    ink = rules.press_body_colour
    if ink and luminance(style.colour.rgb_fraction) <= DARK_TEXT:
        colour = ctx.colour(ink, None, "rules.press_body_colour")
        if colour is not None:
            return replace(style, colour=colour, colour_name=ink), None
    if inks(style.colour) <= 1:
        return style, None
    kind = "body text" if body else f"text under {float(rules.press_one_ink_under or 0):g}pt"
    return style, (
        f"text style '{style.name}' ({style.colour_name}) prints in {inks(style.colour)} inks "
        f"on press output; {kind} must print in one ink"
    )


Problem = tuple[str, str]  # message, hint


def size_problem(style: ResolvedStyle, size: float, body: bool, rules: Rules) -> Problem | None:
    """A style too small for its kind of text."""
    smallest = floor(rules, body)
    if size + 0.01 >= smallest:
        return None
    kind = "body text style" if body else "text style"
    return (
        f"{kind} '{style.name}' is {size:g}pt; the minimum is {smallest:g}pt",
        "raise the style's size",
    )


def contrast_problems(
    style: ResolvedStyle, size: float, behind: Iterable[tuple[str, Colour]]
) -> list[Problem]:
    """A style against every ground it may land on (name, colour)."""
    problems: list[Problem] = []
    needed = contrast_needed(is_large(size, style.bold))
    for name, ground in behind:
        ratio = contrast_ratio(style.colour.rgb_fraction, ground.rgb_fraction)
        if ratio + 1e-6 < needed:
            problems.append(
                (
                    f"text style '{style.name}' ({style.colour_name}) on {name} has a "
                    f"contrast of {ratio:.1f}:1; at least {needed:g}:1 is needed",
                    "choose a darker text colour or a lighter background",
                )
            )
    return problems


def by_id(elements: Sequence[ElementBase]) -> dict[str, ElementBase]:
    """Every element by id, those inside groups and panels too."""
    found: dict[str, ElementBase] = {}
    for element in elements:
        found[element.id] = element
        # asked of the model's fields: a field it lacks costs pydantic's __getattr__ (µs)
        if "elements" in type(element).model_fields:
            found.update(by_id(list(element.elements)))  # type: ignore[attr-defined]
    return found


def _style_span(item: PlacedText, elements: dict[str, ElementBase]) -> Span | None:
    """Where the style of a placed text is chosen: its element's ``style`` (or caption's)."""
    owner, _, part = item.element_id.partition(".")
    element = elements.get(owner)
    if element is None:
        return None
    return element.field_span("caption_style" if part == "caption" else "style") or element.span


def check_text_sizes(
    items: Sequence[Placed], ctx: LayoutContext, elements: Sequence[ElementBase] = ()
) -> None:
    """No text under the minimum size; body text at least the body minimum."""
    known = by_id(elements)
    for item in items:
        if not isinstance(item, PlacedText) or not item.font_sizes:
            continue
        smallest = min(item.font_sizes)
        least = floor(ctx.rules, item.is_body)
        if smallest + 0.01 < least:
            kind = "body text" if item.is_body else "text"
            size, floor_size = _measure(smallest, ctx, ".1f"), _measure(least, ctx, "g")
            ctx.report(
                f"{kind} in '{item.element_id}' is {size}; the minimum is {floor_size}",
                _style_span(item, known),
                "raise the style's size or enlarge the frame",
            )


def _measure(points: float, ctx: LayoutContext, shape: str) -> str:
    """A text size in the unit its layout is written in: px on screen images, else pt."""
    if ctx.profile.screen:
        return f"{points / PX:.1f}px"
    return f"{points:{shape}}pt"


def text_inks(item: PlacedText) -> tuple[TextInk, ...]:
    """The inks of a placed text; for text that does not list them, its colours at its size."""
    if item.inks:
        return item.inks
    size = min(item.font_sizes, default=0.0)
    return tuple(TextInk(colour, size, False, item.is_body) for colour in item.colours)


def check_contrast(
    items: Sequence[Placed],
    behind_all: tuple[str, Colour],
    ctx: LayoutContext,
    elements: Sequence[ElementBase] = (),
) -> None:
    """Text against the filled shape under it (the last drawn before it), else the page."""
    shapes: list[PlacedShape] = []
    names = {colour.rgb: name for name, colour in ctx.palette.items()}
    known = by_id(elements)
    reported: set[tuple[str, ...]] = set()
    for item in items:
        if isinstance(item, PlacedShape) and item.fill is not None:
            shapes.append(item)
        if not isinstance(item, PlacedText):
            continue
        under = next((s.fill for s in reversed(shapes) if s.rect.contains(item.used, 0.5)), None)
        name, colour = (names.get(under.rgb, under.rgb), under) if under else behind_all
        for run in text_inks(item):
            ink = run.colour
            needed = contrast_needed(is_large(run.size, run.bold))
            ratio = contrast_ratio(ink.rgb_fraction, colour.rgb_fraction)
            once = (item.element_id, ink.rgb, colour.rgb)
            reversed_problem = reversed_text_problem(run, colour, ctx.rules)
            if reversed_problem and ("reversed", *once) not in reported:
                reported.add(("reversed", *once))
                ctx.report(
                    f"text '{item.element_id}' ({names.get(ink.rgb, ink.rgb)}) is reversed out "
                    f"of {name} at {run.size:.1f}pt{'' if run.bold else ' regular'}; "
                    f"{reversed_problem}",
                    _style_span(item, known),
                    "set it bold at that size or larger, or move it off the colour "
                    "(dark text on a light ground)",
                )
            if ratio + 1e-6 < needed and once not in reported:
                reported.add(once)
                ctx.report(
                    f"text '{item.element_id}' ({names.get(ink.rgb, ink.rgb)}) on {name} has a "
                    f"contrast of {ratio:.1f}:1; at least {needed:g}:1 is needed",
                    _style_span(item, known),
                    "choose a darker text colour or a lighter background",
                )


def reversed_text_problem(run: TextInk, ground: Colour, rules: Rules) -> str | None:
    """Why light text on a darker ground is too small or too thin, or None."""
    least = rules.reversed_min
    if least is None:
        return None
    if luminance(run.colour.rgb_fraction) <= luminance(ground.rgb_fraction):
        return None  # dark on light: not reversed
    regular = rules.reversed_regular_min
    if run.size + 0.01 >= float(least) and (
        run.bold or (regular is not None and run.size + 0.01 >= float(regular))
    ):
        return None
    rule = f"reversed text must be at least {float(least):g}pt and bold"
    if regular is not None:
        rule += f" (or {float(regular):g}pt regular)"
    return rule


def check_press_inks(
    items: Sequence[Placed], ctx: LayoutContext, elements: Sequence[ElementBase] = ()
) -> None:
    """Placed text that press output must print in one ink does (see :func:`press_style`)."""
    if not ctx.profile.cmyk:
        return
    known = by_id(elements)
    for item in items:
        if not isinstance(item, PlacedText):
            continue
        many = [
            run.colour
            for run in text_inks(item)
            if (run.body or one_ink_small(run.size, ctx.rules)) and inks(run.colour) > 1
        ]
        if many:
            names = {colour.rgb: name for name, colour in ctx.palette.items()}
            listing = ", ".join(dict.fromkeys(names.get(ink.rgb, ink.rgb) for ink in many))
            ctx.report(
                f"text '{item.element_id}' prints in several inks ({listing}) on press output; "
                "body text and small text must print in one ink",
                _style_span(item, known),
                "choose a dark colour (it prints in 100% K), a one-ink colour, or a larger size",
            )


def one_ink_small(size: float, rules: Rules) -> bool:
    under = rules.press_one_ink_under
    return under is not None and size + 0.01 < float(under)
