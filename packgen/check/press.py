"""Press rules: PDF/X identification and output intent, QR and mark inks, black overprint, booklets.

Each rule turns one PDF into findings, like ``rules``. They read the file the
facts were read from (pikepdf, ``check.content``): the catalog's output intent
and metadata, and each page's content stream, parsed once for every rule,
through a small interpreter that follows the fill and stroke colour, the
overprint state (ExtGState ``op``/``OP``/``OPM``) and q/Q.

For packgen's own press files (a manifest entry says ``press``) a missing
PDF/X key is a failure; for any other PDF it is a warning in plain words, since
the file may be meant for a printer that does not ask for PDF/X.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary

from packgen.check.content import (
    FOLLOWED,
    PAINT,
    TEXT,
    Content,
    Instructions,
    Operands,
    count,
    string,
)
from packgen.check.content import numbers as _numbers
from packgen.check.finding import Finding, Level, Subject
from packgen.check.resources import flag as _flag
from packgen.check.rules import Rule

PDFX_VERSIONS = ("PDF/X-4", "PDF/X-4p", "PDF/X-3:2003", "PDF/X-1a:2003", "PDF/X-1a:2001")
PDFX_ADVICE = "Ask for a PDF/X export (PDF/X-4) made with the print shop's CMYK profile."
QR_MIN_RECTS = 40  # a fill of this many rectangles at once is taken for QR (or bar) modules
BLACK = (0.0, 0.0, 0.0, 1.0)
_PAINTING = frozenset([*PAINT, "n"])  # ends a path
_PATH = frozenset(["re", "m", "l"])  # what a path is made of


def _level(subject: Subject) -> Level:
    """Missing press features fail packgen's press files; other PDFs are warned."""
    return Level.FAIL if subject.expect is not None and subject.press else Level.WARN


def _content(subject: Subject) -> Content:
    """The file the facts were read from, opened once (objects already read stay read)."""
    if subject.facts.content is None:
        subject.facts.content = Content.open(subject.facts.path)
    return subject.facts.content


def _text(value: Any) -> str:
    return str(value) if value is not None else ""


def _dict(value: Any) -> Dictionary:
    return value if isinstance(value, Dictionary) else Dictionary()


def _xmp(pdf: pikepdf.Pdf) -> str | None:
    metadata = pdf.Root.get("/Metadata")
    if not isinstance(metadata, pikepdf.Stream):
        return None
    try:
        return bytes(metadata.read_bytes()).decode("utf-8", "replace")
    except Exception:  # an unreadable stream is as good as none
        return None


def _xmp_value(xmp: str, prefix: str, name: str) -> str | None:
    """A simple XMP property, as an element or an attribute (either form is legal)."""
    element = re.search(rf"<{prefix}:{name}>\s*(.*?)\s*</{prefix}:{name}>", xmp, re.S)
    if element:
        inner = re.search(r"<rdf:li[^>]*>(.*?)</rdf:li>", element.group(1), re.S)
        return (inner.group(1) if inner else element.group(1)).strip()
    attribute = re.search(rf'{prefix}:{name}="([^"]*)"', xmp)
    return attribute.group(1) if attribute else None


def _icc_header(raw: bytes, profile: pikepdf.Stream) -> bytes:
    """The first 128 bytes of an output intent's ICC profile (all of it when shorter), the
    profile decoded once per distinct stream: every press file of a build embeds the same."""
    key = (raw, repr(profile.get("/Filter")), repr(profile.get("/DecodeParms")))
    found = _HEADERS.get(key)
    if found is None:
        found = bytes(profile.read_bytes())[:128]
        if len(_HEADERS) > 8:
            _HEADERS.clear()
        _HEADERS[key] = found
    return found


_HEADERS: dict[tuple[bytes, str, str], bytes] = {}


def pdfx(subject: Subject) -> list[Finding]:
    """PDF/X identification and output intent: present, and consistent with each other."""
    if not subject.press:
        return []
    pdf = _content(subject).pdf
    level = _level(subject)
    root = pdf.Root
    info = _dict(pdf.trailer.get("/Info"))
    found: list[Finding] = []

    def problem(message: str) -> None:
        found.append(Finding("pdfx", level, message, advice=PDFX_ADVICE))

    listed = root.get("/OutputIntents")
    intents = [i for i in listed if isinstance(i, Dictionary)] if isinstance(listed, Array) else []
    pdfx_intents = [i for i in intents if _text(i.get("/S")) == "/GTS_PDFX"]
    condition = ""
    if not pdfx_intents:
        problem(
            "no output intent: the file does not say which printing condition (such as"
            " FOGRA39) its CMYK colours were made for, so the print shop has to guess;"
            " export it as PDF/X with your printer's profile"
        )
    else:
        intent = pdfx_intents[0]
        condition = _text(intent.get("/OutputConditionIdentifier"))
        if not condition:
            problem("the output intent has no OutputConditionIdentifier (the printing condition)")
        profile = intent.get("/DestOutputProfile")
        if not isinstance(profile, pikepdf.Stream):
            if not _text(intent.get("/RegistryName")):
                problem(
                    f"the output intent '{condition}' embeds no ICC profile and names no"
                    " registry, so nobody can tell what it means"
                )
        else:
            data = _icc_header(bytes(profile.read_raw_bytes()), profile)
            if len(data) < 128 or data[36:40] != b"acsp":
                problem("the output intent's profile is not an ICC profile")
            else:
                if data[12:16] != b"prtr":
                    problem(
                        f"the output intent's profile is a '{data[12:16].decode('latin-1')}'"
                        " profile, not a printer (output) profile"
                    )
                space = data[16:20].decode("latin-1").strip()
                if space != "CMYK" or int(profile.get("/N", 0)) != 4:
                    problem(
                        f"the output intent's profile is for {space}, but the press file's"
                        " colours are CMYK"
                    )
    version = _text(info.get("/GTS_PDFXVersion"))
    xmp = _xmp(pdf)
    xmp_version = _xmp_value(xmp, "pdfxid", "GTS_PDFXVersion") if xmp else None
    if level is Level.WARN and not pdfx_intents and not version and not xmp_version:
        return found  # a file that does not claim PDF/X: the missing intent says it all
    if not version and not xmp_version:
        problem("no PDF/X identification (GTS_PDFXVersion in the Info dictionary or XMP)")
    else:
        if version and version not in PDFX_VERSIONS:
            problem(f"GTS_PDFXVersion '{version}' is not a PDF/X version packgen knows")
        if xmp is None:
            problem(f"{version}: no XMP metadata stream in the catalog")
        elif version and xmp_version != version:
            problem(
                f"the Info dictionary says {version} but the XMP says {xmp_version or 'nothing'}"
            )
        if xmp is not None:
            for key, prefix, name in (("/Title", "dc", "title"), ("/Producer", "pdf", "Producer")):
                if key in info and _xmp_value(xmp, prefix, name) != _text(info[key]):
                    problem(f"the XMP {prefix}:{name} differs from the Info {key[1:]}")
    trapped = _text(info.get("/Trapped"))
    if trapped not in ("/True", "/False"):
        problem(f"Trapped is {trapped or 'missing'}; PDF/X needs True or False")
    if "/ID" not in pdf.trailer:
        problem("no document ID (/ID in the trailer)")
    if not found:
        return [Finding("pdfx", Level.PASS, f"{version or xmp_version}, output intent {condition}")]
    return found


@dataclass
class _PageInks:
    qr_fills: list[tuple[float, ...] | str] = field(default_factory=list)
    outside_strokes: list[tuple[float, ...] | str] = field(default_factory=list)
    black_text: int = 0
    black_text_knocked_out: int = 0


def _spaces(resources: Dictionary) -> dict[str, str]:
    """Colour space resource names → a readable kind (e.g. 'Separation /All')."""
    found: dict[str, str] = {}
    for name, space in _dict(resources.get("/ColorSpace")).items():
        if isinstance(space, Array) and len(space):
            kind = str(space[0])
            found[str(name)] = f"{kind} {space[1]}" if kind == "/Separation" else kind
        else:
            found[str(name)] = str(space)
    return found


def _inks(page: pikepdf.Page, instructions: Instructions | None) -> _PageInks:
    """One page's inks; ``instructions`` are its content stream parsed once (``check.content``)."""
    resources = _dict(page.obj.get("/Resources"))
    states = {str(k): _dict(v) for k, v in _dict(resources.get("/ExtGState")).items()}
    spaces = _spaces(resources)
    box = page.obj.get("/BleedBox")
    bleed = [float(v) for v in (box if isinstance(box, Array) else page.mediabox)]
    x0, y0, x1, y1 = (
        min(bleed[0], bleed[2]),
        min(bleed[1], bleed[3]),
        max(bleed[0], bleed[2]),
        max(bleed[1], bleed[3]),
    )
    inks = _PageInks()
    if instructions is None:
        return inks
    operators, operands = instructions.operators, instructions.operands
    # the graphics state, saved by q as a tuple: fill and stroke (CMYK/gray values, or a
    # colour space name), fill overprint, overprint mode, whether a non-identity cm is in effect
    fill: tuple[float, ...] | str = (0.0,)
    stroke: tuple[float, ...] | str = (0.0,)
    overprint, opm, moved = False, 0, False
    stack: list[tuple[Any, Any, bool, int, bool]] = []
    rects, start = 0, 0  # the current path's rectangles, and where it starts
    for index, op in enumerate(operators):  # the branches in the order they are met most
        if op == "re":
            rects += 1
        elif op == "q":
            stack.append((fill, stroke, overprint, opm, moved))
        elif op == "Q":
            if stack:
                fill, stroke, overprint, opm, moved = stack.pop()
        elif op in _PAINTING:
            if op != "n" and op not in ("S", "s") and rects >= QR_MIN_RECTS:
                inks.qr_fills.append(fill)
            if op in ("S", "s") and not moved:  # the path's points, read only for a stroke
                points = _points(operators[start:index], operands[start:index])
                if points and all(not (x0 <= x <= x1 and y0 <= y <= y1) for x, y in points):
                    inks.outside_strokes.append(stroke)
            rects, start = 0, index + 1
        elif op in ("m", "l"):
            continue
        elif op == "cm":
            moved = moved or _numbers(operands[index]) != [1, 0, 0, 1, 0, 0]
        elif op == "k":
            fill = tuple(_numbers(operands[index]))
        elif op == "K":
            stroke = tuple(_numbers(operands[index]))
        elif op in ("g", "rg"):
            fill = op
        elif op in ("G", "RG"):
            stroke = op
        elif op == "cs":
            fill = spaces.get(name := string(operands[index], 0), name)
        elif op == "CS":
            stroke = spaces.get(name := string(operands[index], 0), name)
        elif op == "gs":
            ext = states.get(string(operands[index], 0)) if count(operands[index]) else None
            if ext is None:
                continue
            if "/OP" in ext:  # sets the fill's overprint too, unless /op says otherwise
                overprint = _flag(ext["/OP"])
            if "/op" in ext:
                overprint = _flag(ext["/op"])
            if "/OPM" in ext:
                opm = int(ext["/OPM"])
        elif op in TEXT and fill == BLACK:
            inks.black_text += 1
            if not (overprint and opm == 1):
                inks.black_text_knocked_out += 1
    return inks


def _points(operators: list[str], operands: list[Operands]) -> list[tuple[float, float]]:
    """The corners of a path's rectangles (``re``) and its ``m``/``l`` points."""
    points: list[tuple[float, float]] = []
    for op, text in zip(operators, operands, strict=True):
        if op not in _PATH:
            continue
        values = _numbers(text)
        if op == "re" and len(values) == 4:
            x, y, w, h = values
            points += [(x, y), (x + w, y + h)]
        elif op != "re" and len(values) == 2:
            points.append((values[0], values[1]))
    return points


def _pages_inks(subject: Subject) -> Iterator[tuple[int, _PageInks]]:
    cache = getattr(subject, "_press_inks", None)
    if cache is None:
        content = _content(subject)
        cache = [
            (number, _inks(page, content.page(number - 1, FOLLOWED["press inks"])))
            for number, page in enumerate(content.pages, 1)
        ]
        subject._press_inks = cache  # type: ignore[attr-defined]
    yield from cache


def qr_ink(subject: Subject) -> list[Finding]:
    """QR (and other many-module) codes print in 100% K alone on press."""
    if not subject.press:
        return []
    found: list[Finding] = []
    codes = 0
    for number, inks in _pages_inks(subject):
        for fill in inks.qr_fills:
            codes += 1
            if fill != BLACK:
                shown = fill if isinstance(fill, str) else "/".join(f"{v * 100:g}" for v in fill)
                found.append(
                    Finding(
                        "qr-ink",
                        _level(subject),
                        f"a QR code prints in {shown} (C/M/Y/K %), not 100% K alone:"
                        " any misregistration between plates blurs its modules",
                        number,
                    )
                )
    if not found and codes:
        found.append(Finding("qr-ink", Level.PASS, f"{codes} codes in 100% K"))
    return found


def marks_ink(subject: Subject) -> list[Finding]:
    """Crop and fold marks (lines outside the bleed) in registration colour, on every plate."""
    if not subject.press:
        return []
    found: list[Finding] = []
    marks = 0
    for number, inks in _pages_inks(subject):
        wrong = [s for s in inks.outside_strokes if s != "/Separation /All"]
        marks += len(inks.outside_strokes)
        if wrong:
            found.append(
                Finding(
                    "marks",
                    _level(subject),
                    f"{len(wrong)} crop or fold mark(s) are not in registration colour"
                    " (the /All separation), so they do not print on every plate",
                    number,
                )
            )
    if not found and marks:
        found.append(Finding("marks", Level.PASS, f"{marks} marks in registration colour"))
    return found


def black_overprint(subject: Subject) -> list[Finding]:
    """100% K text overprints (op true, OPM 1), so it does not knock out of the tints behind.

    (White set to overprint, which vanishes, is the ``overprint`` rule's.)
    """
    if not subject.press:
        return []
    found: list[Finding] = []
    black = 0
    for number, inks in _pages_inks(subject):
        black += inks.black_text
        if inks.black_text_knocked_out:
            found.append(
                Finding(
                    "k-overprint",
                    _level(subject),
                    f"{inks.black_text_knocked_out} run(s) of 100% K text knock out of what"
                    " is behind them: set black text to overprint",
                    number,
                    advice="Ask for black text set to overprint (most export presets do this).",
                )
            )
    if not found and black:
        found.append(Finding("k-overprint", Level.PASS, f"{black} runs of 100% K text overprint"))
    return found


def booklet(subject: Subject) -> list[Finding]:
    """A multi-page press file saddle-stitches only in multiples of 4 pages."""
    count = len(subject.facts.pages)
    if not subject.press or count < 3:
        return []
    if count % 4:
        more = 4 - count % 4
        return [
            Finding(
                "booklet",
                Level.WARN,
                f"{count} pages: a saddle-stitched booklet needs a multiple of 4"
                f" ({count + more}, with {more} more page{'s' * (more != 1)})",
            )
        ]
    return [Finding("booklet", Level.PASS, f"{count} pages, a multiple of 4 for saddle stitching")]


def _shop_only(rule: Rule) -> Rule:
    """A print-shop rule: whatever it finds is fine for an office printer."""

    def judged(subject: Subject) -> list[Finding]:
        return [f if f.office is not None else replace(f, office=Level.PASS) for f in rule(subject)]

    judged.__name__ = rule.__name__
    return judged


PRESS: list[Rule] = [_shop_only(r) for r in (pdfx, qr_ink, marks_ink, black_overprint, booklet)]
