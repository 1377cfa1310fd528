"""Preflight of shaped and right-to-left text: what the PDF reads as, against what was meant.

For every text run the layout placed (the manifest's ``text_runs``), the text
inside the run's frame is extracted from the PDF (pypdfium2, each character
where its box is on the page: lines from the top, left to right) and
compared with what the layout set:

- shaped runs must extract as the layout's visual order exactly (joined and
  reordered glyphs, with their ToUnicode meanings);
- a run in a script that needs shaping but was not shaped, or whose glyphs
  come out in logical order (letters laid left to right), is unreadable;
- characters missing or changed are an error.

Whitespace and invisible characters are ignored (readers differ in both).
"""

from __future__ import annotations

import ctypes
import re
import unicodedata
from collections import Counter
from difflib import SequenceMatcher
from pathlib import Path

import pypdfium2 as pdfium

from packgen.render.manifest import FileEntry, TextRunExpect

_COMPLEX = re.compile("[\u0590-\u08ff\u0900-\u0dff\u0e00-\u0fff\ufb1d-\ufdff\ufe70-\ufeff]")
# a bracket and its mirror compare equal: readers differ in mirroring right-to-left text
_PAIRS = str.maketrans({")": "(", "]": "[", "}": "{", "»": "«", "›": "‹", ">": "<"})
_INVISIBLE = re.compile("[\\s\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")


def normal(text: str) -> str:
    """Text as compared: compatibility forms folded (NFKC), no whitespace, controls or marks.

    Marks (vowel signs set over or under a letter) sit where the letter is, so
    their place among the letters is not a fact of the page; they are counted.
    """
    folded = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text)).translate(_PAIRS)
    return "".join(ch for ch in folded if unicodedata.category(ch) != "Mn")


def marks(text: str) -> Counter[str]:
    return Counter(
        ch for ch in unicodedata.normalize("NFKC", text) if unicodedata.category(ch) == "Mn"
    )


def needs_check(run: TextRunExpect) -> bool:
    return run.shaped or run.direction == "rtl" or _COMPLEX.search(run.logical) is not None


def run_problem(run: TextRunExpect, extracted: str) -> str | None:
    """Why ``extracted`` (from the PDF) is not what ``run`` meant, or None."""
    got = normal(extracted)
    logical = normal(run.logical)
    label = f"text '{run.element}' ({run.language or 'no language'}, {run.direction})"
    sample = run.logical.replace("\n", " ")[:40]
    if not run.shaped:
        return f"{label} needs shaping but was set one glyph per character: «{sample}»"
    visual = normal(run.visual)
    if got == visual:
        if marks(extracted) != marks(run.logical):
            lost = "".join((marks(run.logical) - marks(extracted)).elements())
            return f"{label} has lost vowel marks «{lost}» in «{sample}»"
        return None
    if Counter(got) != Counter(visual) and Counter(got) != Counter(logical):
        lost = "".join(sorted((Counter(visual) - Counter(got)).elements()))
        extra = "".join(sorted((Counter(got) - Counter(visual)).elements()))
        return (
            f"{label} reads differently from its copy: missing «{lost}», unexpected «{extra}»"
            f" in «{sample}»"
        )
    if visual != logical and got == logical:
        return f"{label} is drawn in logical order (letters left to right, unshaped): «{sample}»"
    if got == visual[::-1]:
        return f"{label} is drawn reversed: «{sample}»"
    # a glyph set with an offset (a letter under a vowel mark) can be placed a little
    # apart by the reader: close to the visual order, and closer to it than to logical order
    near = SequenceMatcher(None, got, visual, autojunk=False).ratio()
    if near >= 0.9 and near > SequenceMatcher(None, got, logical, autojunk=False).ratio():
        return None
    return f"{label} has its glyphs in the wrong order: «{sample}»"


def _line_end_hyphen(text: pdfium.PdfTextPage, index: int) -> bool:
    """A '-' drawn at the end of a line, which pdfium reports as U+FFFE (a soft hyphen).

    It is a glyph on the page and part of the text (a web address broken after
    one of its hyphens), not a hyphen pdfium may drop when it joins the lines.
    """
    raw = pdfium.raw
    return bool(raw.FPDFText_IsHyphen(text.raw, index)) and not raw.FPDFText_IsGenerated(
        text.raw, index
    )


def extract(path: Path, page_index: int, rect: tuple[float, float, float, float]) -> str:
    """The characters drawn inside ``rect`` (x, y, w, h in points), as they appear on the page.

    Each character is placed by its box (pypdfium2, through the ToUnicode
    maps): lines from the top, characters from left to right. That is the
    visual order, whatever order the reader would put right-to-left text in.
    """
    document = pdfium.PdfDocument(path)
    try:
        page = document[page_index]
        text = page.get_textpage()
        x, y, w, h = rect
        pad = 1.0
        chars: list[tuple[float, float, float, str]] = []  # baseline, centre x, size, char
        for index in range(text.count_chars()):
            char = text.get_text_range(index, 1)
            if _line_end_hyphen(text, index):
                char = "-"
            if not char or _INVISIBLE.fullmatch(char):
                continue
            left, bottom, right, top = text.get_charbox(index, loose=True)
            ox, oy = ctypes.c_double(), ctypes.c_double()
            pdfium.raw.FPDFText_GetCharOrigin(text.raw, index, ox, oy)
            size = float(pdfium.raw.FPDFText_GetFontSize(text.raw, index)) or (top - bottom)
            cx = (left + right) / 2
            if x - pad <= cx <= x + w + pad and y - pad <= oy.value <= y + h + pad:
                chars.append((oy.value, cx, size, char))
    finally:
        document.close()
    chars.sort(key=lambda c: -c[0])
    lines: list[list[tuple[float, float, float, str]]] = []
    for char in chars:  # marks may sit a little above or below their letter's baseline
        if lines and abs(lines[-1][0][0] - char[0]) < 0.35 * max(char[2], lines[-1][0][2]):
            lines[-1].append(char)
        else:
            lines.append([char])
    return "\n".join("".join(c[3] for c in sorted(line, key=lambda c: c[1])) for line in lines)


def problems(path: Path, expect: FileEntry) -> list[tuple[int, str]]:
    """(page number, message) for every run that does not read as it should."""
    found: list[tuple[int, str]] = []
    for number, page in enumerate(expect.page_expect, start=1):
        for run in page.text_runs:
            if not needs_check(run):
                continue
            message = run_problem(run, extract(path, number - 1, run.rect))
            if message is not None:
                found.append((number, message))
    return found
