"""PDF resource dictionaries and content streams into colour, transparency and overprint facts.

Walks a page's resources and the form XObjects, patterns and annotation
appearance streams inside them (bounded in depth, each object once) and
classifies every colour space (RGB, CMYK, grey, spot), every graphics state
that makes the page transparent, and white painted with overprint on.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pikepdf import Array, Dictionary, Name, Object, Stream

from packgen.check.content import Instructions, count, numbers, string

MAX_DEPTH = 8
MAX_VISITS = 5000  # resource dictionaries per page: more is a hostile file, not a poster
PROCESS = {"/Cyan", "/Magenta", "/Yellow", "/Black"}
NOT_SPOT = {"/All", "/None"}  # registration and "no ink" separations are not spot colours


@dataclass
class Space:
    kind: str  # "rgb", "cmyk", "gray", "spot" or "other"
    spots: tuple[str, ...] = ()


def classify(space: object, depth: int = 0) -> Space:
    """What a colour space paints with."""
    if depth > 4 or space is None:
        return Space("other")
    if isinstance(space, Name | str):
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
    if isinstance(space, Array) and len(space):
        head = str(space[0])
        if head == "/ICCBased" and len(space) > 1:
            stream = space[1]
            n = int(stream.get("/N", 0)) if isinstance(stream, Stream | Dictionary) else 0
            return Space({1: "gray", 3: "rgb", 4: "cmyk"}.get(n, "other"))
        if head in ("/CalRGB", "/CalGray"):
            return classify(head, depth + 1)
        if head in ("/Indexed", "/I", "/Pattern") and len(space) > 1:
            return classify(space[1], depth + 1)
        if head == "/Separation" and len(space) > 1:
            name = str(space[1])
            return Space("other") if name in NOT_SPOT else Space("spot", (name.lstrip("/"),))
        if head == "/DeviceN" and len(space) > 1:
            listed = space[1]
            names = [str(n) for n in listed] if isinstance(listed, Array) else []
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
    forms: list[Object] = field(default_factory=list)  # form XObjects (their content is scanned)


def _dict(value: object) -> Dictionary | Stream:
    """A dictionary (a stream's own dictionary too), or an empty one."""
    return value if isinstance(value, Dictionary | Stream) else Dictionary()


def key_of(value: object, owner: tuple[Any, ...]) -> tuple[Any, ...]:
    """What identifies a resource dictionary while walking: its object number when it is
    indirect, else where it was reached from (pikepdf makes a new wrapper per access)."""
    objgen = getattr(value, "objgen", (0, 0))
    return ("object", *objgen) if objgen != (0, 0) else owner


def _note_space(facts: ResourceFacts, what: str, space: Space) -> None:
    if space.kind == "rgb":
        facts.rgb.append(what)
    facts.spots.update(space.spots)


def _graphics_state(facts: ResourceFacts, name: str, state: Dictionary | Stream) -> None:
    for key in ("/CA", "/ca"):
        try:
            alpha = float(state.get(key, 1))
        except (TypeError, ValueError):
            continue
        if 0.001 < alpha < 0.999:  # 0 draws nothing; below 1 must be flattened
            facts.transparency.append(f"see-through colour ({alpha:.0%} opacity)")
    mask = state.get("/SMask")
    if mask is not None and str(mask) != "/None":
        facts.transparency.append("a soft mask")
    blend = state.get("/BM")
    modes = [str(m) for m in blend] if isinstance(blend, Array) else [str(blend)]
    if blend is not None and not any(m in ("/Normal", "/Compatible") for m in modes):
        facts.transparency.append(f"blend mode {modes[0].lstrip('/')}")
    stroke = state.get("/OP")
    if stroke is not None or "/op" in state:
        fill = state.get("/op", stroke)
        facts.overprint[name] = (flag(fill), flag(stroke))


def flag(value: object) -> bool:
    """A PDF boolean (pikepdf gives Python's); anything else that is set counts as true."""
    return bool(value) if isinstance(value, bool | int | Decimal) else value is not None


def walk(resources: object) -> ResourceFacts:
    """Everything the colour rules need from one page's resources, nested ones included."""
    facts = ResourceFacts()
    seen: set[tuple[Any, ...]] = set()

    def visit(resources: object, depth: int, owner: tuple[Any, ...]) -> None:
        key = key_of(resources, owner)
        resources = _dict(resources)
        if depth > MAX_DEPTH or key in seen or len(seen) > MAX_VISITS:
            return
        seen.add(key)
        for name, space in _dict(resources.get("/ColorSpace")).items():
            kind = classify(space)
            facts.spaces[str(name)] = kind
            _note_space(facts, f"colour space {str(name).lstrip('/')}", kind)
        for name, state in _dict(resources.get("/ExtGState")).items():
            _graphics_state(facts, str(name), _dict(state))
        for shading in _dict(resources.get("/Shading")).values():
            _note_space(facts, "a colour gradient", classify(_dict(shading).get("/ColorSpace")))
        for name, pattern in _dict(resources.get("/Pattern")).items():
            where = (*key, "pattern", name)
            pattern = _dict(pattern)
            shading = _dict(pattern.get("/Shading"))
            if len(shading):
                _note_space(facts, "a colour gradient", classify(shading.get("/ColorSpace")))
            if "/Resources" in pattern:
                visit(pattern.get("/Resources"), depth + 1, (*key_of(pattern, where), "r"))
        for name, xobject in _dict(resources.get("/XObject")).items():
            if not isinstance(xobject, Stream):
                continue
            subtype = xobject.get("/Subtype")
            if subtype == "/Image":
                label = f"image {str(name).lstrip('/')}"
                if not xobject.get("/ImageMask"):
                    _note_space(facts, label, classify(xobject.get("/ColorSpace")))
                if "/SMask" in xobject:
                    facts.transparency.append(f"{label} with a transparent background")
            elif subtype == "/Form":
                facts.forms.append(xobject)
                where = (*key_of(xobject, (*key, "form", name)), "r")
                visit(xobject.get("/Resources"), depth + 1, where)

    visit(resources, 0, ("page",))
    return facts


def appearance_streams(annotation: Dictionary) -> Iterator[Stream]:
    """The appearance streams of one annotation (normal, rollover, down; each state)."""
    appearances = _dict(annotation.get("/AP"))
    for key in ("/N", "/R", "/D"):
        entry = appearances.get(key)
        if isinstance(entry, Stream):
            yield entry
        elif isinstance(entry, Dictionary):
            for state in entry.values():
                if isinstance(state, Stream):
                    yield state


# What the scan follows: colour setting, painting, the graphics state
_NUMERIC = {"k", "K", "g", "G", "rg", "RG", "sc", "scn", "SC", "SCN"}
_PAINT_FILL = {"f", "F", "f*", "B", "B*", "b", "b*", "Tj", "TJ", "'", '"'}
_PAINT_STROKE = {"S", "s", "B", "B*", "b", "b*"}
_SCANNED = _NUMERIC | _PAINT_FILL | _PAINT_STROKE | {"q", "Q", "gs", "cs", "CS"}


@dataclass
class Painted:
    white_overprints: int = 0  # white painted while overprint is on (it vanishes in print)
    max_ink: float = 0.0  # highest C+M+Y+K set through ``sc``/``scn`` in a CMYK space, percent


def needs_scan(resources: ResourceFacts) -> bool:
    """Whether a page has what only the operator scan sees (overprint, named CMYK spaces)."""
    overprint = any(fill or stroke for fill, stroke in resources.overprint.values())
    return overprint or any(space.kind == "cmyk" for space in resources.spaces.values())


def scan(instructions: Instructions, resources: ResourceFacts) -> Painted:
    """White overprints and ``scn`` ink of one content stream's parsed instructions."""
    painted = Painted()
    if not needs_scan(resources):
        return painted
    # state: fill overprint, stroke overprint, fill white, stroke white, fill space, stroke space
    state: list[Any] = [False, False, False, False, "gray", "gray"]
    stack: list[list[Any]] = []
    for token, operands in instructions:
        if token not in _SCANNED:  # changes nothing this scan follows
            continue
        values = numbers(operands) if token in _NUMERIC else []
        if token == "q":
            stack.append(list(state))
        elif token == "Q" and stack:
            state = stack.pop()
        elif token == "gs" and count(operands):
            name = string(operands, -1)
            if name in resources.overprint:
                state[0], state[1] = resources.overprint[name]
        elif token in ("k", "K") and len(values) >= 4:
            state[2 if token == "k" else 3] = all(v == 0 for v in values[-4:])
        elif token in ("g", "G") and values:
            state[2 if token == "g" else 3] = values[-1] >= 1
        elif token in ("rg", "RG") and len(values) >= 3:
            state[2 if token == "rg" else 3] = all(v >= 1 for v in values[-3:])
        elif token in ("cs", "CS") and count(operands):
            name = string(operands, -1)
            kind = resources.spaces.get(name, classify(name)).kind
            state[4 if token == "cs" else 5] = kind
        elif token in ("sc", "scn", "SC", "SCN") and values:
            kind = state[4 if token.islower() else 5]
            if kind == "cmyk" and len(values) >= 4:
                painted.max_ink = max(painted.max_ink, sum(values[-4:]) * 100)
            white = (kind in ("cmyk", "spot") and all(v == 0 for v in values)) or (
                kind in ("gray", "rgb") and all(v >= 1 for v in values)
            )
            state[2 if token.islower() else 3] = white
        elif (token in _PAINT_FILL and state[0] and state[2]) or (
            token in _PAINT_STROKE and state[1] and state[3]
        ):
            painted.white_overprints += 1
    return painted
