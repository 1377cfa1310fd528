"""PDF resource dictionaries and content streams into colour, transparency and overprint facts.

Walks a page's resources and the form XObjects, patterns and annotation
appearance streams inside them (bounded in depth, each object once) and
classifies every colour space (RGB, CMYK, grey, spot), every graphics state
that makes the page transparent, and white painted with overprint on.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, StreamObject

MAX_DEPTH = 8
MAX_VISITS = 5000  # resource dictionaries per page: more is a hostile file, not a poster
PROCESS = {"/Cyan", "/Magenta", "/Yellow", "/Black"}
NOT_SPOT = {"/All", "/None"}  # registration and "no ink" separations are not spot colours


def resolve(value: object) -> object:
    return value.get_object() if isinstance(value, IndirectObject) else value


@dataclass
class Space:
    kind: str  # "rgb", "cmyk", "gray", "spot" or "other"
    spots: tuple[str, ...] = ()


def classify(space: object, depth: int = 0) -> Space:
    """What a colour space paints with."""
    space = resolve(space)
    if depth > 4 or space is None:
        return Space("other")
    if isinstance(space, NameObject | str):
        return Space(
            {
                "/DeviceRGB": "rgb",
                "/CalRGB": "rgb",
                "/DeviceCMYK": "cmyk",
                "/DeviceGray": "gray",
                "/CalGray": "gray",
                "/RGB": "rgb",
                "/CMYK": "cmyk",
                "/G": "gray",
            }.get(str(space), "other")
        )
    if isinstance(space, ArrayObject) and space:
        head = str(resolve(space[0]))
        if head == "/ICCBased" and len(space) > 1:
            stream = resolve(space[1])
            n = int(stream.get("/N", 0)) if isinstance(stream, DictionaryObject) else 0
            return Space({1: "gray", 3: "rgb", 4: "cmyk"}.get(n, "other"))
        if head in ("/CalRGB", "/CalGray"):
            return classify(NameObject(head), depth + 1)
        if head in ("/Indexed", "/I", "/Pattern") and len(space) > 1:
            return classify(space[1], depth + 1)
        if head == "/Separation" and len(space) > 1:
            name = str(resolve(space[1]))
            return Space("other") if name in NOT_SPOT else Space("spot", (name.lstrip("/"),))
        if head == "/DeviceN" and len(space) > 1:
            listed = resolve(space[1])
            names = [str(resolve(n)) for n in listed] if isinstance(listed, ArrayObject) else []
            spots = tuple(n.lstrip("/") for n in names if n not in PROCESS | NOT_SPOT)
            return Space("spot", spots) if spots else Space("cmyk")
    return Space("other")


@dataclass
class ResourceFacts:
    rgb: list[str] = field(default_factory=list)  # what is RGB, in words
    spots: set[str] = field(default_factory=set)
    transparency: list[str] = field(default_factory=list)
    overprint: dict[str, tuple[bool, bool]] = field(default_factory=dict)  # gs: (fill, stroke)
    spaces: dict[str, Space] = field(default_factory=dict)  # named colour spaces
    streams: list[bytes] = field(default_factory=list)  # form XObject content


def _dict(value: object) -> DictionaryObject:
    value = resolve(value)
    return value if isinstance(value, DictionaryObject) else DictionaryObject()


def _note_space(facts: ResourceFacts, what: str, space: Space) -> None:
    if space.kind == "rgb":
        facts.rgb.append(what)
    facts.spots.update(space.spots)


def _graphics_state(facts: ResourceFacts, name: str, state: DictionaryObject) -> None:
    for key in ("/CA", "/ca"):
        try:
            alpha = float(state.get(key, 1))
        except (TypeError, ValueError):
            continue
        if 0.001 < alpha < 0.999:  # 0 draws nothing; below 1 must be flattened
            facts.transparency.append(f"see-through colour ({alpha:.0%} opacity)")
    mask = resolve(state.get("/SMask"))
    if mask is not None and str(mask) != "/None":
        facts.transparency.append("a soft mask")
    blend = resolve(state.get("/BM"))
    modes = [str(resolve(m)) for m in blend] if isinstance(blend, ArrayObject) else [str(blend)]
    if blend is not None and not any(m in ("/Normal", "/Compatible") for m in modes):
        facts.transparency.append(f"blend mode {modes[0].lstrip('/')}")
    stroke = state.get("/OP")
    if stroke is not None or "/op" in state:
        fill = state.get("/op", stroke)
        # pypdf's BooleanObject(False) is truthy: read its value
        facts.overprint[name] = (_flag(fill), _flag(stroke))


def _flag(value: object) -> bool:
    return bool(getattr(value, "value", value))


def walk(resources: object) -> ResourceFacts:
    """Everything the colour rules need from one page's resources, nested ones included."""
    facts = ResourceFacts()
    seen: set[int] = set()

    def visit(resources: object, depth: int) -> None:
        resources = _dict(resources)
        if depth > MAX_DEPTH or id(resources) in seen or len(seen) > MAX_VISITS:
            return
        seen.add(id(resources))
        for name, space in _dict(resources.get("/ColorSpace")).items():
            kind = classify(space)
            facts.spaces[str(name)] = kind
            _note_space(facts, f"colour space {str(name).lstrip('/')}", kind)
        for name, state in _dict(resources.get("/ExtGState")).items():
            _graphics_state(facts, str(name), _dict(state))
        for shading in _dict(resources.get("/Shading")).values():
            _note_space(facts, "a colour gradient", classify(_dict(shading).get("/ColorSpace")))
        for pattern in _dict(resources.get("/Pattern")).values():
            pattern = _dict(pattern)
            shading = _dict(pattern.get("/Shading"))
            if shading:
                _note_space(facts, "a colour gradient", classify(shading.get("/ColorSpace")))
            if "/Resources" in pattern:
                visit(pattern.get("/Resources"), depth + 1)
        for name, xobject in _dict(resources.get("/XObject")).items():
            xobject = resolve(xobject)
            if not isinstance(xobject, StreamObject):
                continue
            subtype = xobject.get("/Subtype")
            if subtype == "/Image":
                label = f"image {str(name).lstrip('/')}"
                if not xobject.get("/ImageMask"):
                    _note_space(facts, label, classify(xobject.get("/ColorSpace")))
                if "/SMask" in xobject:
                    facts.transparency.append(f"{label} with a transparent background")
            elif subtype == "/Form":
                if id(xobject) not in seen:
                    with contextlib.suppress(Exception):  # undecodable: nothing to scan
                        facts.streams.append(xobject.get_data())
                visit(xobject.get("/Resources"), depth + 1)

    visit(resources, 0)
    return facts


def appearance_streams(annotation: DictionaryObject) -> Iterator[StreamObject]:
    """The appearance streams of one annotation (normal, rollover, down; each state)."""
    appearances = _dict(annotation.get("/AP"))
    for key in ("/N", "/R", "/D"):
        entry = resolve(appearances.get(key))
        if isinstance(entry, StreamObject):
            yield entry
        elif isinstance(entry, DictionaryObject):
            for state in entry.values():
                state = resolve(state)
                if isinstance(state, StreamObject):
                    yield state


# Content streams: strings and comments out, then a flat token scan.
_STRING = re.compile(rb"\((?:\\.|[^\\()])*\)|<[0-9A-Fa-f\s]*>|%[^\r\n]*", re.S)
# tokens as (operand, b"") or (b"", operator): names, numbers, operators; one findall
_TOKENS = re.compile(rb"(/[^\s/\[\]()<>{}%]+|[-+]?(?:\d+\.?\d*|\.\d+))|([A-Za-z'\"*]+)")
_NUMERIC = {b"k", b"K", b"g", b"G", b"rg", b"RG", b"sc", b"scn", b"SC", b"SCN"}
_PAINT_FILL = {b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"Tj", b"TJ", b"'", b'"'}
_PAINT_STROKE = {b"S", b"s", b"B", b"B*", b"b", b"b*"}


_SCANNED = _NUMERIC | _PAINT_FILL | _PAINT_STROKE | {b"q", b"Q", b"gs", b"cs", b"CS"}


def _numbers(operands: list[bytes]) -> list[float]:
    numbers = []
    for t in operands:
        with contextlib.suppress(ValueError):
            numbers.append(float(t))
    return numbers


@dataclass
class Painted:
    white_overprints: int = 0  # white painted while overprint is on (it vanishes in print)
    max_ink: float = 0.0  # highest C+M+Y+K set through ``sc``/``scn`` in a CMYK space, percent


def needs_scan(resources: ResourceFacts) -> bool:
    """Whether a page has what only the token scan sees (overprint, named CMYK spaces)."""
    overprint = any(fill or stroke for fill, stroke in resources.overprint.values())
    return overprint or any(space.kind == "cmyk" for space in resources.spaces.values())


def scan(content: bytes, resources: ResourceFacts, limit: int = 2_000_000) -> Painted:
    """White overprints and ``scn`` ink of one content stream (its first ``limit`` bytes)."""
    painted = Painted()
    if not needs_scan(resources):
        return painted
    content = _STRING.sub(b" ", content[:limit])
    # state: fill overprint, stroke overprint, fill white, stroke white, fill space, stroke space
    state: list[Any] = [False, False, False, False, "gray", "gray"]
    stack: list[list[Any]] = []
    operands: list[bytes] = []
    for operand, token in _TOKENS.findall(content):
        if operand:
            operands.append(operand)
            continue
        if token not in _SCANNED:  # changes nothing this scan follows: skip its operands
            operands = []
            continue
        numbers = _numbers(operands) if token in _NUMERIC else []
        if token == b"q":
            stack.append(list(state))
        elif token == b"Q" and stack:
            state = stack.pop()
        elif token == b"gs" and operands:
            name = operands[-1].decode("latin-1")
            if name in resources.overprint:
                state[0], state[1] = resources.overprint[name]
        elif token in (b"k", b"K") and len(numbers) >= 4:
            state[2 if token == b"k" else 3] = all(v == 0 for v in numbers[-4:])
        elif token in (b"g", b"G") and numbers:
            state[2 if token == b"g" else 3] = numbers[-1] >= 1
        elif token in (b"rg", b"RG") and len(numbers) >= 3:
            state[2 if token == b"rg" else 3] = all(v >= 1 for v in numbers[-3:])
        elif token in (b"cs", b"CS") and operands:
            name = operands[-1].decode("latin-1")
            kind = resources.spaces.get(name, classify(NameObject(name))).kind
            state[4 if token == b"cs" else 5] = kind
        elif token in (b"sc", b"scn", b"SC", b"SCN") and numbers:
            kind = state[4 if token.islower() else 5]
            if kind == "cmyk" and len(numbers) >= 4:
                painted.max_ink = max(painted.max_ink, sum(numbers[-4:]) * 100)
            white = (kind in ("cmyk", "spot") and all(v == 0 for v in numbers)) or (
                kind in ("gray", "rgb") and all(v >= 1 for v in numbers)
            )
            state[2 if token.islower() else 3] = white
        elif (token in _PAINT_FILL and state[0] and state[2]) or (
            token in _PAINT_STROKE and state[1] and state[3]
        ):
            painted.white_overprints += 1
        operands = []
    return painted
