"""Copy in scripts that need shaping, or running right to left, into set lines of glyph runs.

ReportLab's paragraphs draw one glyph per character, left to right, which is
right for Latin text and unreadable for Arabic, Urdu or Hindi. Text that
needs more goes through here instead:

1. the paragraph markup is parsed into ReportLab fragments (font, size,
   colour per run of characters);
2. the Unicode bidirectional algorithm (UAX #9, python-bidi) gives every
   character its embedding level; hashtags, web addresses, e-mail addresses and
   phone numbers are isolated first so they stay left to right as one unit;
3. words are broken into lines in logical order, measured shaped;
4. each line is reordered for display (rule L2, on runs of one level and
   font), and each run is shaped by HarfBuzz (through ReportLab's TrueType
   support): joining, lam-alef and other ligatures, Indic reordering and
   conjuncts, kerning; runs at an odd level are set right to left, brackets
   mirrored.

The result, :class:`ShapedParagraph`, knows where every run goes; drawing it
places prepared glyph strings and decides nothing. It records, per line, the
logical text and the visual order, for the manifest and ``packgen check``.

Each run also knows its **pieces**: stretches of glyphs, cluster by cluster
(characters HarfBuzz set as a unit), and for a cluster whose glyphs do not
read as its characters in order (a Devanagari i-matra drawn before its
consonant, a conjunct) the characters it stands for, and for a glyph that
stands for nothing (an Arabic letter's dots drawn apart) an empty text. A
tagged document draws each left-to-right line (Devanagari) inside ``/Span
<</ActualText ...>> BDC … EMC`` with the line's logical text, and in
right-to-left lines each such piece in a span of its own, so readers that
honour ActualText (screen readers, copy and paste, ``pdftotext``) get the
copy's characters.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Protocol

import bidi
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapedStr, shapeStr
from reportlab.platypus.paraparser import ParaParser

# Characters of scripts whose letters join, reorder or run right to left.
_COMPLEX = re.compile(
    "[\u0590-\u08ff\u0900-\u0dff\u0e00-\u0fff\u1000-\u109f\u1780-\u17ff\ufb1d-\ufdff\ufe70-\ufeff]"
)
_RTL_CHARS = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_TAGS = re.compile(r"<[^>]*>")

# Runs that read left to right as one unit inside right-to-left text.
_LTR_UNITS = re.compile(
    r"(?:https?://|www\.)\S+[^\s.,;:!?،؛)»]"  # web addresses
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
    r"|#\w+"  # hashtags
    r"|\+?\d[\d \u00a0()\-]{5,}\d"  # phone numbers (digit groups with spaces)
    # Latin phrases (names, titles, dates such as "10–16 June 2024"), up to their last word;
    # an organisation's name keeps its last words together with no-break spaces
    r"|[A-Za-z0-9][A-Za-z0-9'&’.,:/()\-–]*(?:[ \u00a0·][A-Za-z0-9][A-Za-z0-9'&’.,:/()\-–]*)*"
)
_LATIN = re.compile("[A-Za-z]")
_SPACES = re.compile("[ \u00a0]")
_TRAILING = ".,:;"
_LRI, _PDI = "\u2066", "\u2069"
_LEVEL = re.compile(r"Level\(\s*(\d+),\s*\)")


class ActualText(Protocol):
    """How a tagged document draws shaped text with ActualText (``render/actualtext.py``)."""

    def begin(self, canvas: Any, text: str) -> None:
        """Open a span that reads as ``text``."""

    def end(self, canvas: Any) -> None:
        """Close the span."""

    def show(self, canvas: Any, x: float, y: float, run: Run) -> None:
        """Draw ``run`` at (x, y), each of its pieces with ActualText in a span of its own."""


def needs_shaping(markup: str) -> bool:
    """Whether the copy has characters ReportLab's one-glyph-per-character drawing gets wrong."""
    return _COMPLEX.search(_TAGS.sub("", markup)) is not None


def is_rtl_text(text: str) -> bool:
    return _RTL_CHARS.search(text) is not None


def _ltr_units(text: str) -> list[tuple[int, int]]:
    """Where hashtags, addresses, phone numbers and Latin phrases are in ``text``."""
    spans = []
    for match in _LTR_UNITS.finditer(text):
        start, end = match.span()
        unit = match.group(0)
        if unit[0].isdigit() and not _LATIN.search(unit) and not _SPACES.search(unit.strip()):
            continue  # a lone number: the algorithm keeps it left to right anyway
        while end > start and text[end - 1] in _TRAILING:
            end -= 1  # a sentence's full stop is the sentence's, not the name's
        spans.append((start, end))
    return spans


def levels(text: str, rtl: bool) -> list[int]:
    """The UAX #9 embedding level of each character of ``text`` (one paragraph).

    Hashtags, addresses, phone numbers and Latin names are isolated (LRI…PDI)
    in right-to-left text, so their parts are not reordered among themselves.
    """
    if not text:
        return []
    marked: list[str] = []
    origin: list[int] = []  # index in ``text`` of each character of ``marked`` (-1: a control)
    last = 0
    spans = _ltr_units(text) if rtl else []
    for start, end in spans:
        for i in range(last, start):
            marked.append(text[i])
            origin.append(i)
        marked.append(_LRI)
        origin.append(-1)
        for i in range(start, end):
            marked.append(text[i])
            origin.append(i)
        marked.append(_PDI)
        origin.append(-1)
        last = end
    for i in range(last, len(text)):
        marked.append(text[i])
        origin.append(i)
    joined = "".join(marked)
    info = str(bidi.get_display(joined, base_dir="R" if rtl else "L", debug=True))
    per_byte = [int(v) for v in _LEVEL.findall(info.split("levels:", 1)[1].split("paragraphs:")[0])]
    result = [0] * len(text)
    offset = 0
    for char, index in zip(joined, origin, strict=True):
        if index >= 0:
            result[index] = per_byte[offset]
        offset += len(char.encode("utf-8"))
    return result


def reorder(levels_: list[int]) -> list[int]:
    """Rule L2: the visual order (indices into ``levels_``) of items at those levels."""
    order = list(range(len(levels_)))
    if not levels_:
        return order
    highest = max(levels_)
    lowest_odd = min((lv for lv in levels_ if lv % 2), default=highest + 1)
    for level in range(highest, lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if levels_[order[i]] >= level:
                j = i
                while j < len(order) and levels_[order[j]] >= level:
                    j += 1
                order[i:j] = reversed(order[i:j])
                i = j
            else:
                i += 1
    return order


@dataclass(frozen=True)
class Piece:
    """Glyphs ``start:end`` of a run; ``actual``: what they stand for, when they do not read so."""

    start: int
    end: int
    actual: str | None = None


@dataclass
class Run:
    """Characters of one fragment (font, size, colour) at one embedding level."""

    text: str  # logical order
    frag: Any
    level: int
    width: float = 0.0
    glyphs: str = ""  # ShapedStr in visual order, ready to draw
    pieces: list[Piece] = field(default_factory=list)  # the glyphs cluster by cluster

    def reads(self, actual_text: bool) -> str:
        """What a reader extracts from the run's glyphs, left to right; with ``actual_text``,
        each piece that carries ActualText reads as its characters."""
        if not self.glyphs.strip():
            return self.glyphs
        font = self.frag.fontName
        glyphs = str(self.glyphs)
        pieces = self.pieces or [Piece(0, len(glyphs))]
        return "".join(
            p.actual
            if actual_text and p.actual is not None
            else extracted(font, glyphs[p.start : p.end])
            for p in pieces
        )


@dataclass
class SetLine:
    runs: list[Run]  # visual order, left to right
    width: float
    logical: str  # the line's text in reading order
    # tagged output: the line is drawn in one span with its logical text as ActualText
    # (a left-to-right line; see ``ShapedParagraph.drawOn``)
    whole: bool = False

    def visual(self, actual_text: bool = False) -> str:
        """What a reader extracts from the drawn glyphs, left to right (for ``packgen check``):
        with ``actual_text`` (tagged output), what carries ActualText as its characters."""
        if actual_text and self.whole:
            return self.logical
        return "".join(run.reads(actual_text) for run in self.runs)


def _shape(run: Run) -> None:
    font, size = run.frag.fontName, run.frag.fontSize
    text = run.text
    if run.level % 2 and not is_rtl_text(text):
        # HarfBuzz would set neutral-only runs left to right: mirror and reverse them here
        text = "".join(bidi_mirror(ch) for ch in reversed(text))
    if text.strip() == "":
        run.glyphs = text
        run.width = pdfmetrics.stringWidth(text, font, size)
        return
    shaped = record_clusters(font, text, shapeStr(text, font, size, force=True))
    run.glyphs = shaped
    run.pieces = pieces(font, text, shaped, rtl=bool(run.level % 2))
    data = getattr(shaped, "__shapeData__", None)
    if data:
        run.width = sum(d.x_advance for d in data) * size / 1000
    else:
        run.width = pdfmetrics.stringWidth(shaped, font, size)


_MIRROR = {"(": ")", ")": "(", "[": "]", "]": "[", "{": "}", "}": "{", "<": ">", ">": "<",
           "«": "»", "»": "«", "‹": "›", "›": "‹"}  # fmt: skip


def bidi_mirror(ch: str) -> str:
    return _MIRROR.get(ch, ch) if unicodedata.mirrored(ch) else ch


# What each shaped glyph that has no character of its own (a ligature, a
# conjunct, a contextual form: ReportLab gives it a private-use code) stands
# for, by font face: the PDF's ToUnicode maps take it from here, so text
# extracted from the PDF is the copy's text.
clusters: dict[str, dict[str, str]] = {}


def _private(ch: str) -> bool:
    return 0xE000 <= ord(ch) <= 0xF8FF


def face_key(font: str) -> str:
    name = pdfmetrics.getFont(font).face.name
    return name.decode("latin-1") if isinstance(name, bytes) else str(name)


def record_clusters(font: str, text: str, shaped: str) -> str:
    """``shaped`` with each glyph coded so that it extracts as the characters it stands for.

    Within one cluster (characters HarfBuzz set as a unit), a glyph drawn for
    a character of the cluster keeps that character's code; every other glyph
    (a ligature, a conjunct, a contextual form, a dotless base and its dots)
    gets a private-use code of its own for its meaning here: the widest such
    glyph stands for the rest of the cluster's characters, the others for
    nothing. The meanings go to the ToUnicode maps (``render/tounicode.py``).
    """
    data = getattr(shaped, "__shapeData__", None)
    if not data:
        return shaped
    ttf = pdfmetrics.getFont(font)
    face = ttf.face
    table = clusters.setdefault(face_key(font), {})
    starts = sorted({d.cluster for d in data})
    ends = {s: (starts[i + 1] if i + 1 < len(starts) else len(text)) for i, s in enumerate(starts)}
    glyphs = list(str(shaped))
    by_cluster: dict[int, list[int]] = {}
    for index, d in enumerate(data[: len(glyphs)]):
        by_cluster.setdefault(d.cluster, []).append(index)
    for cluster, indices in by_cluster.items():
        rest = list(text[cluster : ends[cluster]])
        kept: set[int] = set()
        for index in indices:
            glyph = glyphs[index]
            plain = unicodedata.normalize("NFKC", glyph)
            if not _private(glyph) and plain in rest:
                rest.remove(plain)
                kept.add(index)
        # the rest goes to the widest glyph (the base letter, not a dot or mark set over it)
        others = sorted((i for i in indices if i not in kept), key=lambda i: -data[i].x_advance)
        for index in others:
            meaning, rest = "".join(rest), []
            gid = face.charToGlyph[ord(glyphs[index])]
            width = face.charWidths.get(ord(glyphs[index]), 0)
            code = chr(ttf.hbAddPrivate(f"packgen:{gid}:{meaning}", gid, width))
            table[code] = meaning
            glyphs[index] = code
    coded: str = ShapedStr("".join(glyphs), shapeData=data)
    return coded


def _meaning(table: dict[str, str], glyph: str) -> str:
    return table.get(glyph, unicodedata.normalize("NFKC", glyph))


def pieces(font: str, text: str, shaped: str, rtl: bool) -> list[Piece]:
    """``shaped`` (glyphs of ``text``) in pieces: each cluster whose glyphs do not read as its
    characters is a piece with its characters; each glyph that stands for nothing (it
    would read as a zero-width space) a piece with an empty text; the stretches between,
    pieces without.

    Glyphs read as a cluster's characters when, taken in the run's direction
    (right to left at an odd level), their meanings give the characters in order.
    """
    data = getattr(shaped, "__shapeData__", None)
    glyphs = str(shaped)
    if not data or not glyphs:
        return [Piece(0, len(glyphs))]
    table = clusters.get(face_key(font), {})
    starts = sorted({d.cluster for d in data})
    ends = {s: (starts[i + 1] if i + 1 < len(starts) else len(text)) for i, s in enumerate(starts)}
    result: list[Piece] = []
    i = 0
    while i < len(glyphs):
        cluster = data[i].cluster
        j = i
        while j < len(glyphs) and data[j].cluster == cluster:
            j += 1
        chars = text[cluster : ends[cluster]]
        meanings = [_meaning(table, g) for g in glyphs[i:j]]
        in_order = "".join(reversed(meanings) if rtl else meanings)
        if in_order != chars:  # reordered: the cluster reads as its characters
            result.append(Piece(i, j, chars))
        else:  # in order: a glyph that stands for nothing (a letter's dots) reads as nothing
            for k, meaning in enumerate(meanings, start=i):
                actual = None if meaning else ""
                if actual is None and result and result[-1].actual is None:
                    result[-1] = Piece(result[-1].start, k + 1)
                else:
                    result.append(Piece(k, k + 1, actual))
        i = j
    return result


def extracted(font: str, glyphs: str) -> str:
    """What a PDF reader extracts for ``glyphs`` drawn in ``font`` (with our ToUnicode maps)."""
    table = clusters.get(face_key(font), {})
    return "".join(table.get(g, unicodedata.normalize("NFKC", g)) for g in str(glyphs))


def _frags(markup: str, style: ParagraphStyle) -> list[Any]:
    parser = ParaParser()
    parsed = parser.parse(markup, style)
    if parsed[1] is None:
        raise ValueError(f"cannot parse paragraph markup {markup!r}")
    return list(parsed[1])


def _hard_lines(frags: list[Any]) -> list[list[tuple[Any, str]]]:
    lines: list[list[tuple[Any, str]]] = [[]]
    for frag in frags:
        if getattr(frag, "lineBreak", False):
            lines.append([])
            continue
        text = frag.text.replace("\n", " ")
        if text:
            lines[-1].append((frag, text))
    return lines


def _words(pieces: list[tuple[Any, str]], rtl: bool) -> tuple[str, list[list[Run]]]:
    """A hard line's text and its words, each a list of runs (one frag, one level).

    Each word but the last is followed by its space, as a run of its own level.
    """
    text = "".join(t for _, t in pieces)
    owner = [f for f, t in pieces for _ in t]
    lv = levels(text, rtl)
    words: list[list[Run]] = []
    current: list[Run] = []
    for i, ch in enumerate(text):
        if ch == " ":
            if current:
                space = Run(" ", owner[i], lv[i])
                words.append([*current, space])
                current = []
            continue
        if current and current[-1].frag is owner[i] and current[-1].level == lv[i]:
            current[-1].text += ch
        else:
            current.append(Run(ch, owner[i], lv[i]))
    if current:
        words.append(current)
    return text, words


def _width(word: list[Run]) -> float:
    """A word's width without the space that follows it."""
    return sum(r.width for r in word if r.text != " ")


class ShapedParagraph:
    """A paragraph set line by line with shaped, reordered runs; drawn with ``drawOn``."""

    def __init__(
        self, markup: str, style: ParagraphStyle, rtl: bool, bullet: str | None = None
    ) -> None:
        self.style = style
        self.rtl = rtl
        self.markup = markup
        self.bullet = bullet
        self.lines: list[SetLine] = []
        self.width = 0.0
        self.height = 0.0
        self._min_width = 0.0
        self._paragraphs = [_words(p, rtl) for p in _hard_lines(_frags(markup, style)) if p]
        for _, words in self._paragraphs:
            for word in words:
                for run in word:
                    _shape(run)
                self._min_width = max(self._min_width, _width(word))

    # the parts of the Flowable protocol the layout uses
    def wrap(self, width: float, height: float) -> tuple[float, float]:
        style = self.style
        indent = style.leftIndent + style.rightIndent
        available = width - indent
        self.lines = []
        for _, words in self._paragraphs:
            line: list[list[Run]] = []
            used = 0.0
            for word in words:
                w = _width(word)
                gap = line[-1][-1].width if line and line[-1][-1].text == " " else 0.0
                if line and used + gap + w > available + 0.01:
                    self.lines.append(self._set(line))
                    line, used = [], 0.0
                    gap = 0.0
                used += gap + w
                line.append(word)
            if line:
                self.lines.append(self._set(line))
        self.width = width
        self.height = len(self.lines) * style.leading
        return width, self.height

    def _set(self, words: list[list[Run]]) -> SetLine:
        runs = [run for word in words for run in word]
        while runs and runs[-1].text == " ":
            runs.pop()  # a line's trailing space is not set (rule L1)
        logical = "".join(r.text for r in runs)
        order = reorder([r.level for r in runs])
        visual = [runs[i] for i in order]
        # every left-to-right line: besides reordered clusters, a vowel sign set with an
        # offset is read by position, apart from its letter (onto a line of its own)
        return SetLine(visual, sum(r.width for r in visual), logical, whole=not self.rtl)

    def minWidth(self) -> float:
        return self._min_width + float(self.style.leftIndent + self.style.rightIndent)

    def getSpaceBefore(self) -> float:
        return float(self.style.spaceBefore)

    def getSpaceAfter(self) -> float:
        return float(self.style.spaceAfter)

    def line_widths(self) -> list[float]:
        return [line.width for line in self.lines]

    def drawOn(
        self, canvas: Any, x: float, y: float, _sW: float = 0, actual: ActualText | None = None
    ) -> None:
        """Draw the set lines; with ``actual`` (tagged output), each left-to-right line
        inside a span whose ActualText is the line's logical text (and the
        space that ends a wrapped line). Right-to-left lines are drawn run by run with
        ``actual.show``, each piece that needs it in a span of its own: the readers we
        test with (poppler, pdfium) lay ActualText out left to right and then reverse it
        as right-to-left text, so a span over a whole line or word would read backwards;
        clusters stay in visual order for them to reorder by position.
        """
        style = self.style
        left = x + style.leftIndent
        available = self.width - style.leftIndent - style.rightIndent
        baseline = y + self.height - style.fontSize
        for number, line in enumerate(self.lines):
            slack = available - line.width
            if style.alignment == TA_RIGHT or (style.alignment == TA_JUSTIFY and self.rtl):
                cursor = left + slack
            elif style.alignment == TA_CENTER:
                cursor = left + slack / 2
            else:
                cursor = left
            if number == 0 and self.bullet:
                self._draw_bullet(canvas, x, baseline)
            wrapped = bool(line.runs) and number < len(self.lines) - 1
            whole = actual is not None and line.whole
            if whole:
                assert actual is not None
                actual.begin(canvas, line.logical + (" " if wrapped else ""))
            for run in line.runs:
                # spaces too: they draw nothing, but readers of the text see the words apart
                canvas.setFont(run.frag.fontName, run.frag.fontSize)
                canvas.setFillColor(run.frag.textColor)
                rise = baseline + getattr(run.frag, "rise", 0)
                if actual is None or whole:
                    canvas.drawString(cursor, rise, run.glyphs)
                else:
                    actual.show(canvas, cursor, rise, run)
                cursor += run.width
            if wrapped:
                # a wrapped line ends in a space (after its last glyph drawn), so its
                # last word is not read as one with the next line's first
                canvas.drawString(cursor, baseline, " ")
            if whole:
                assert actual is not None
                actual.end(canvas)
            baseline -= style.leading

    def _draw_bullet(self, canvas: Any, x: float, baseline: float) -> None:
        style = self.style
        assert self.bullet is not None
        canvas.setFont(style.bulletFontName, style.bulletFontSize)
        canvas.setFillColor(style.bulletColor)
        if self.rtl:  # the bullet hangs in the indent at the right
            width = pdfmetrics.stringWidth(self.bullet, style.bulletFontName, style.bulletFontSize)
            canvas.drawString(x + self.width - style.bulletIndent - width, baseline, self.bullet)
        else:
            canvas.drawString(x + style.bulletIndent, baseline, self.bullet)

    def visual_lines(self, actual_text: bool = False) -> list[tuple[str, str]]:
        """(logical text, visual characters) of each set line (``actual_text``: as drawn in a
        tagged document, where clusters that need it carry ActualText).

        A bullet is drawn with the first line, so it is part of that line: before
        its text in reading order, and at the line's start edge on the page (on
        the right, after the text left to right, in right-to-left paragraphs).
        """
        lines = [(line.logical, line.visual(actual_text)) for line in self.lines]
        if self.bullet and lines:
            logical, visual = lines[0]
            shown = f"{visual} {self.bullet}" if self.rtl else f"{self.bullet} {visual}"
            lines[0] = (f"{self.bullet} {logical}", shown)
        return lines
