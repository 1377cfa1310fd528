"""Copy text into typographically finished text, by language.

Straight quotes become opening and closing quotes, ``'`` inside a word the
apostrophe, and no-break spaces keep a number with its unit or the word after
it, digit groups together, and short words with the word they belong to. The
rules per language are data (``typography.yaml`` beside this module). The
text given is copy before markup is read: ``**``/``*`` markers and the
private-use characters standing in for ``{placeholders}`` pass through, and
inserted values (names, web addresses) are never changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml

from packgen.errors import error

TABLES_FILE = Path(__file__).with_name("typography.yaml")
NBSP = "\u00a0"
_OPENERS = set("([{‘“„‚«‹–—-/*")  # after these (or a space) a straight quote opens
_SLOT_END = "\ue001"  # after an inserted value a quote closes, as after a word


@dataclass(frozen=True)
class Finish:
    """One language's finishing rules (see ``typography.yaml``)."""

    double: tuple[str, str]
    single: tuple[str, str]
    apostrophe: str
    no_break_after: tuple[str, ...]
    numbers: bool
    units: tuple[str, ...]
    before_numbers: tuple[str, ...]

    def __call__(self, text: str) -> str:
        return _finished(self, text)

    def quotes(self, text: str) -> str:
        out: list[str] = []
        for i, ch in enumerate(text):
            if ch not in "'\"":
                out.append(ch)
                continue
            before = text[i - 1] if i else ""
            after = text[i + 1] if i + 1 < len(text) else ""
            wordlike = before.isalnum() or before == _SLOT_END
            if ch == "'" and wordlike and after.isalpha():
                out.append(self.apostrophe)  # don't, i'r, baby's
                continue
            pair = self.double if ch == '"' else self.single
            opens = (not before or before.isspace() or before in _OPENERS) and (
                after != "" and not after.isspace()
            )
            if ch == "'" and not opens and wordlike:
                out.append(self.apostrophe)  # babies' (the apostrophe closes a word)
                continue
            out.append(pair[0] if opens else pair[1])
        return "".join(out)

    def spaces(self, text: str) -> str:
        for pattern, replacement in _space_rules(self):
            text = pattern.sub(replacement, text)
        return text


@lru_cache(maxsize=8192)
def _finished(finish: Finish, text: str) -> str:
    """``text`` finished by ``finish`` (each copy text is finished once per language)."""
    return finish.spaces(finish.quotes(text))


@cache
def _space_rules(finish: Finish) -> tuple[tuple[re.Pattern[str], str], ...]:
    """The no-break space rules of ``finish``, compiled once, in the order they apply."""
    rules: list[tuple[re.Pattern[str], str]] = []
    if finish.no_break_after:
        words = "|".join(re.escape(w) for w in finish.no_break_after)
        # twice: "a I" chains (each match consumes the space after it)
        pattern = re.compile(rf"(?<![\w\ue001])({words}) (?=[\w\ue000*‘“„«])", re.IGNORECASE)
        rules.append((pattern, rf"\1{NBSP}"))
    if finish.numbers:
        rules.append((re.compile(r"(?<=\d{3}) (?=\d{3})"), NBSP))  # 0800 123 4567
        if finish.units:
            units = "|".join(re.escape(u) for u in finish.units)
            pattern = re.compile(
                rf"(?<![\w.,])(\d(?:[\d,.]*\d)?) (?=(?:{units})(?!\w))", re.IGNORECASE
            )
            rules.append((pattern, rf"\1{NBSP}"))
    if finish.before_numbers:
        words = "|".join(re.escape(w) for w in finish.before_numbers)
        pattern = re.compile(rf"(?<![\w])({words}) (?=\d)", re.IGNORECASE)
        rules.append((pattern, rf"\1{NBSP}"))
    return tuple(rules)


def read_tables(text: str) -> Any:
    """The tables file's data: libyaml's loader (a third of PyYAML's time in a cold start),
    PyYAML's for any text libyaml refuses, so a broken file gets PyYAML's own message."""
    try:
        return yaml.load(text, Loader=yaml.CSafeLoader)
    except (AttributeError, yaml.YAMLError):  # AttributeError: a PyYAML without libyaml
        return yaml.safe_load(text)


@cache
def _tables() -> dict[str, Finish]:
    data = read_tables(TABLES_FILE.read_text(encoding="utf-8"))
    tables: dict[str, Finish] = {}
    for language, spec in data.items():
        try:
            tables[str(language)] = Finish(
                double=_pair(spec["quotes"]["double"]),
                single=_pair(spec["quotes"]["single"]),
                apostrophe=str(spec["apostrophe"]),
                no_break_after=tuple(str(w) for w in spec.get("no_break_after") or ()),
                numbers=bool(spec.get("numbers", False)),
                units=tuple(str(u) for u in spec.get("units") or ()),
                before_numbers=tuple(str(w) for w in spec.get("before_numbers") or ()),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise error(
                f"{TABLES_FILE.name}: language '{language}' is incomplete ({exc})",
                hint="each language gives quotes: {double: [open, close], single: [...]},"
                " apostrophe, no_break_after, numbers, units, before_numbers",
            ) from None
    if "default" not in tables:
        raise error(f"{TABLES_FILE.name}: no 'default' table")
    return tables


def _pair(value: object) -> tuple[str, str]:
    if not isinstance(value, list) or len(value) != 2:
        raise ValueError(f"a quote pair is [opening, closing], found {value!r}")
    return str(value[0]), str(value[1])


def finish_for(language: str) -> Finish:
    """The finishing rules for ``language`` (a BCP 47 tag), else the default ones."""
    tables = _tables()
    primary = language.replace("_", "-").split("-")[0].lower()
    return tables.get(primary, tables["default"])


def finished(text: str, language: str) -> str:
    """``text`` in ``language`` with typographic quotes and no-break spaces."""
    return finish_for(language)(text)
