"""Dates into words of a language, from Unicode CLDR data (Babel).

``10–16 June 2024`` in English, ``10–16 Mehefin 2024`` in Welsh, ``10–16
czerwca 2024`` in Polish: month names, their grammatical case and the order of
day, month and year all come from CLDR, never from Python's locale.
"""

from __future__ import annotations

import datetime as dt

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton

DASH = "\u2013"


def locale_of(language: str) -> Locale:
    """The CLDR locale of a BCP 47 tag (``en-GB``, ``cy``); English when CLDR lacks it."""
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en_GB")


def date_range(start: dt.date, end: dt.date, language: str) -> str:
    """The days from ``start`` to ``end`` as a reader of ``language`` writes them."""
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
