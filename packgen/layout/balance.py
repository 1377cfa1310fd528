"""Line breaks that read well: balanced display lines, no word alone on a last line.

Three decisions on a wrapped paragraph, made in the layout stage:

- **ties that cost nothing**: the copy's no-break spaces hold unless they make
  the paragraph a line longer (:func:`keep_lines`);
- **no lone last word**: when a paragraph of several lines ends with one word
  alone, its last two words are joined by a no-break space, so the word before
  comes down with it; kept only when that adds no line and the pair fits;
- **balance**: a heading or display paragraph (``BALANCE_FROM`` and larger) of
  up to ``BALANCE_LINES`` lines is set at the narrowest width that keeps its
  number of lines, so its lines come out about equally long (as CSS
  ``text-wrap: balance``); the caller shifts it by :func:`shift` so it still
  sits where its alignment puts it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from packgen.layout.shaping import ShapedParagraph
from packgen.model.common import Align

NBSP = "\u00a0"
BALANCE_FROM = 18.0  # pt: text this size or larger is display text, balanced
BALANCE_LINES = 4  # ... when it takes this many lines or fewer
_STEPS = 8  # halvings of the width interval when balancing

Make = Callable[[str], Any]  # markup into an unwrapped paragraph


def line_words(paragraph: Any) -> list[int]:
    """How many words each line of a wrapped paragraph holds (as a reader counts them)."""
    if isinstance(paragraph, ShapedParagraph):
        return [len(line.logical.split()) for line in paragraph.lines]
    para = getattr(paragraph, "blPara", None)
    if para is None:
        return []
    counts: list[int] = []
    for line in para.lines:  # words joined by a no-break space count one by one
        if isinstance(line, tuple):
            counts.append(sum(1 + str(word).count(NBSP) for word in line[1]))
        else:
            tied = sum(str(getattr(frag, "text", "")).count(NBSP) for frag in line.words)
            counts.append(int(getattr(line, "wordCount", 0) or 0) + tied)
    return counts


def keep_lines(make: Make, markup: str, width: float) -> tuple[Any, str]:
    """The paragraph wrapped at ``width``, and its markup; no-break spaces cost no line.

    The copy's no-break spaces (see ``resolve.typography``) keep words together
    when they can; where they would make the paragraph a line longer than it is
    without them (a narrow column), it is set with plain spaces instead, so
    finishing never makes copy overflow its frame.
    """
    paragraph = make(markup)
    paragraph.wrap(width, 1e6)
    if NBSP not in markup:
        return paragraph, markup
    loose_markup = markup.replace(NBSP, " ")
    loose = make(loose_markup)
    loose.wrap(width, 1e6)
    indent = float(paragraph.style.leftIndent + paragraph.style.rightIndent)
    too_wide = paragraph.minWidth() > width - indent + 0.01  # a tied run wider than a line
    if too_wide or len(line_words(loose)) < len(line_words(paragraph)):
        return loose, loose_markup
    return paragraph, markup


def tie_last(markup: str) -> str | None:
    """``markup`` with its last space (outside tags, after the last break) made no-break."""
    depth = 0
    for i in range(len(markup) - 1, -1, -1):
        ch = markup[i]
        if ch == ">":
            depth += 1
            if markup[max(0, i - 4) : i + 1].endswith(("<br/>", "<br>")):
                return None  # the last line is a hard break's: as the copy wrote it
        elif ch == "<":
            depth -= 1
        elif depth == 0 and ch == " " and markup[:i].strip():
            return markup[:i] + NBSP + markup[i + 1 :]
    return None


def no_lone_word(paragraph: Any, markup: str, make: Make, width: float) -> Any:
    """The paragraph, re-made with its last two words tied when a word ends it alone."""
    counts = line_words(paragraph)
    if len(counts) < 2 or counts[-1] != 1:
        return paragraph
    tied = tie_last(markup)
    if tied is None:
        return paragraph
    candidate = make(tied)
    candidate.wrap(width, 1e6)
    indent = float(candidate.style.leftIndent + candidate.style.rightIndent)
    if len(line_words(candidate)) > len(counts) or candidate.minWidth() > width - indent + 0.01:
        paragraph.wrap(width, 1e6)
        return paragraph
    return candidate


def balanced_width(paragraph: Any, width: float) -> float:
    """The narrowest width (down to half of ``width``) that keeps the paragraph's lines.

    Leaves ``paragraph`` wrapped at the width returned.
    """
    lines = len(line_words(paragraph))
    if lines < 2 or lines > BALANCE_LINES:
        return width
    low = max(width / 2, float(paragraph.minWidth()))
    high = width
    for _ in range(_STEPS):
        middle = (low + high) / 2
        paragraph.wrap(middle, 1e6)
        if len(line_words(paragraph)) == lines:
            high = middle
        else:
            low = middle
    paragraph.wrap(high, 1e6)
    if len(line_words(paragraph)) != lines:  # cannot happen, but never leave it worse
        paragraph.wrap(width, 1e6)
        return width
    return high


def shift(align: Align, spare: float) -> float:
    """How far right to move a paragraph set ``spare`` points narrower than its frame."""
    if align is Align.CENTER:
        return spare / 2
    if align is Align.RIGHT:
        return spare
    return 0.0
