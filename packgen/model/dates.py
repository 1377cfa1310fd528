"""Dates into words of a language, from Unicode CLDR data (Babel).

``10–16 June 2024`` in English, ``10–16 Mehefin 2024`` in Welsh, ``10–16
czerwca 2024`` in Polish: month names, their grammatical case and the order of
day, month and year all come from CLDR, never from Python's locale.

A range once worded is kept in ``~/.cache/packgen/dates/`` under the installed
Babel (its file's size and modification time): a cold start then reads a few
bytes instead of importing Babel and merging its locale data (about 25 ms).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale

DASH = "\u2013"
VERSION = 1  # bump when the wording below changes, so kept ranges are worded again


def locale_of(language: str) -> Locale:
    """The CLDR locale of a BCP 47 tag (``en-GB``, ``cy``); English when CLDR lacks it."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en_GB")


def date_range(start: dt.date, end: dt.date, language: str) -> str:
    """The days from ``start`` to ``end`` as a reader of ``language`` writes them."""
    memo = _memo_file(f"{VERSION}|{start.isoformat()}|{end.isoformat()}|{language}")
    if memo is not None:
        try:
            kept = memo.read_text(encoding="utf-8")
        except (OSError, ValueError):  # none kept yet, or not text: worded again
            kept = ""
        if kept:
            return kept
    words = worded_range(start, end, language)
    if memo is not None:
        try:
            memo.parent.mkdir(parents=True, exist_ok=True)
            # one temporary file per process and thread; the rename is atomic, so a reader
            # sees the whole words or none (another build may be writing the same ones)
            temporary = memo.with_suffix(f".{os.getpid()}-{threading.get_ident()}.tmp")
            temporary.write_text(words, encoding="utf-8")
            os.replace(temporary, memo)
        except OSError:  # a read-only cache: worded again next time
            pass
    return words


def _memo_file(facts: str) -> Path | None:
    """Where the words for ``facts`` are kept under the installed Babel (None: no Babel file)."""
    spec = importlib.util.find_spec("babel")
    if spec is None or spec.origin is None:
        return None
    try:
        stat = os.stat(spec.origin)
    except OSError:
        return None
    key = f"{facts}|{spec.origin}|{stat.st_size}|{stat.st_mtime_ns}"
    try:
        home = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    except RuntimeError:  # no home folder to be found (a bare service account): nothing kept
        return None
    cache = Path(home) / "packgen" / "dates"
    return cache / f"{hashlib.sha256(key.encode()).hexdigest()[:20]}.txt"


def worded_range(start: dt.date, end: dt.date, language: str) -> str:
    """:func:`date_range` from CLDR itself (Babel), nothing kept."""
    from babel.dates import format_date, format_skeleton

    locale = locale_of(language)
    last = str(format_date(end, "long", locale=locale))
    day_first = str(locale.date_formats["long"].pattern).lstrip().startswith("d")
    if start == end:
        return last
    if not day_first:  # month-first or year-first languages: CLDR's own interval
        from babel.dates import format_interval

        return str(format_interval(start, end, "yMMMMd", locale=locale))
    if (start.year, start.month) == (end.year, end.month):
        return f"{format_date(start, 'd', locale=locale)}{DASH}{last}"
    if start.year == end.year:
        return f"{format_skeleton('MMMMd', start, locale=locale)} {DASH} {last}"
    return f"{format_date(start, 'long', locale=locale)} {DASH} {last}"
