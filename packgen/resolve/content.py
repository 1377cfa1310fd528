"""Copy lookup and the values copy can insert (``{campaign.hashtag}``, …).

The copy's language (its folder under ``copy/``, a BCP 47 tag such as
``en-GB``) also gives the direction its text runs in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from packgen.colour import Colour
from packgen.errors import Diagnostic, PackgenError, Span, error, suggest
from packgen.model.campaign import Campaign, Link
from packgen.model.common import Direction
from packgen.resolve.markup import Block, MissingValue, plain, to_blocks
from packgen.resolve.scripts import script_problem
from packgen.resolve.typography import Finish, finish_for
from packgen.source.load import SourceDict

if TYPE_CHECKING:
    from packgen.resolve.assets import Asset

# Languages written right to left (by primary subtag), and scripts that decide either way
# when the tag names one (``az-Arab``, ``ku-Latn``): Unicode CLDR's character order.
_RTL_LANGUAGES = frozenset(
    {"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "nqo", "ps", "sd", "syr", "ug", "ur", "yi"}
)
_RTL_SCRIPTS = frozenset({"arab", "hebr", "thaa", "syrc", "nkoo", "adlm", "rohg", "mand"})


def direction_of(language: str) -> Direction:
    """The direction text in ``language`` (a BCP 47 tag) runs in."""
    parts = language.replace("_", "-").lower().split("-")
    script = next((part for part in parts[1:] if len(part) == 4 and part.isalpha()), None)
    if script is not None:
        return Direction.RTL if script in _RTL_SCRIPTS else Direction.LTR
    return Direction.RTL if parts[0] in _RTL_LANGUAGES else Direction.LTR


def flatten_copy(data: Any, file: str, prefix: str = "") -> tuple[dict[str, str], dict[str, Span]]:
    """Nested copy mappings into ``{"poster.headline": text}`` with spans.

    Every value that is not text is reported, all in one error.
    """
    texts: dict[str, str] = {}
    spans: dict[str, Span] = {}
    problems: list[Diagnostic] = []
    _flatten(data, file, prefix, texts, spans, problems)
    if problems:
        raise PackgenError(problems)
    return texts, spans


def _flatten(
    data: Any,
    file: str,
    prefix: str,
    texts: dict[str, str],
    spans: dict[str, Span],
    problems: list[Diagnostic],
) -> None:
    if not isinstance(data, dict):
        span = getattr(data, "span", None) or Span(file)
        problems.append(Diagnostic("a copy file is a mapping of keys to text", span))
        return
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        span = data.value_spans.get(key) if isinstance(data, SourceDict) else None
        if isinstance(value, dict):
            _flatten(value, file, dotted + ".", texts, spans, problems)
        elif isinstance(value, str):
            problem = script_problem(value)
            if problem and not any(p.message.endswith(problem) for p in problems):
                problems.append(
                    Diagnostic(
                        f"copy '{dotted}': {problem}",
                        span or Span(file),
                        "add a font for this script to assets/fonts.yaml (fallbacks:, scripts:),"
                        " or keep this language's copy out of the project"
                        " (the first such value in this file is shown)",
                    )
                )
            texts[dotted] = value
            spans[dotted] = span or Span(file)
        else:
            problems.append(
                Diagnostic(
                    f"copy '{dotted}' must be text, found {value!r}",
                    span or Span(file),
                    'quote it, e.g. "10"',
                )
            )


VARIANT = "@"  # ``key@press``: the copy at ``key`` for the press profile only


def for_profile(
    texts: dict[str, str], spans: dict[str, Span], profile: str, known: list[str]
) -> tuple[dict[str, str], dict[str, Span]]:
    """Copy with each ``key@<profile>`` variant in place of ``key``; other variants dropped.

    A variant lets a sentence fit its medium (printed copy cannot say "select
    a title on screen"). A variant of a key that does not exist, or for a
    profile that does not exist, is an error ("never silently wrong").
    """
    problems: list[Diagnostic] = []
    plain_texts = {k: v for k, v in texts.items() if VARIANT not in k}
    plain_spans = {k: spans[k] for k in plain_texts}
    for key, text in texts.items():
        if VARIANT not in key:
            continue
        base, _, variant = key.rpartition(VARIANT)
        if variant not in known:
            problems.append(
                Diagnostic(
                    f"copy '{key}' is for profile '{variant}', which does not exist",
                    spans.get(key),
                    f"profiles are {', '.join(known)} (e.g. '{base}@{known[0]}')",
                )
            )
        elif base not in plain_texts:
            problems.append(
                Diagnostic(
                    f"copy '{key}' is a {variant} variant of '{base}', which is not defined",
                    spans.get(key),
                    f"define '{base}' too: the copy every other profile uses",
                )
            )
        elif variant == profile:
            plain_texts[base] = text
            plain_spans[base] = spans[key]
    if problems:
        raise PackgenError(problems)
    return plain_texts, plain_spans


@dataclass
class Content:
    """Copy for one language plus data for placeholders and links by key."""

    copy: dict[str, str]
    copy_spans: dict[str, Span]
    data: dict[str, str]
    links: dict[str, Link]
    language: str
    palette: dict[str, Colour]
    tracking: dict[str, str] | None = None  # UTM parameters, when enabled
    product: str = ""
    others: Callable[[str], Content] | None = None  # the same in another language
    partner_logo: Asset | None = None  # an organisation's partner, beside its logo
    _blocks: dict[str, list[Block]] = field(default_factory=dict)

    def in_language(self, language: str) -> Content:
        """This content in ``language`` (for a bilingual layout's second language)."""
        if language == self.language:
            return self
        if self.others is None:
            raise error(f"no copy in '{language}' here")
        return self.others(language)

    @property
    def direction(self) -> Direction:
        """Which way the copy's lines run (from its language)."""
        return direction_of(self.language)

    def has(self, key: str) -> bool:
        return key in self.copy

    def keys(self) -> list[str]:
        return list(self.copy)

    def link(self, key: str) -> Link | None:
        return self.links.get(key)

    def link_names(self) -> list[str]:
        return list(self.links)

    def blocks(self, key: str) -> list[Block]:
        """Blocks of the copy at ``key``; raises for a missing placeholder value."""
        cached = self._blocks.get(key)
        if cached is None:
            try:
                cached = to_blocks(self.copy[key], self.data, self.finish)
            except MissingValue as exc:
                raise error(
                    f"copy '{key}' uses {{{exc.name}}}, which has no value here",
                    self.copy_spans.get(key),
                    hint=_value_hint(exc.name, sorted(self.data)),
                ) from None
            self._blocks[key] = cached
        return cached

    def tracked(self, url: str) -> str:
        """``url`` with UTM parameters added when tracking is on; else unchanged."""
        if not self.tracking:
            return url
        from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

        parts = urlsplit(url)
        query = dict(parse_qsl(parts.query))
        query.update(self.tracking)
        query["utm_content"] = self.product
        return urlunsplit(parts._replace(query=urlencode(query)))

    def plain(self, key: str) -> str:
        return plain(self.copy.get(key, ""), self.data, self.finish)

    @property
    def finish(self) -> Finish:
        """The typographic finishing of this language's copy (quotes, no-break spaces)."""
        return finish_for(self.language)


def _value_hint(name: str, known: list[str]) -> str:
    """A "did you mean" for a misspelt placeholder, then every value there is."""
    guess = suggest(name, known)
    listing = "values available: " + ", ".join(known)
    return f"{guess} {listing}" if guess else listing


def campaign_data(campaign: Campaign, language: str | None = None) -> dict[str, str]:
    """The values copy can insert, in ``language`` (names, theme and dates localised)."""
    language = language or campaign.language
    names = campaign.names_in(language)
    data = {
        "campaign.name": names.name,
        "campaign.short_name": names.short_name or campaign.short_name,
        "campaign.theme": names.theme,
        "campaign.hashtag": campaign.hashtag,
        "campaign.dates": campaign.date_range(language),
        "campaign.year": str(campaign.dates.start.year),
        "campaign.coordinator": campaign.coordinator,
        "support.name": campaign.support.name,
        "support.phone": campaign.support.phone or "",
    }
    for name, link in campaign.links.items():
        data[f"link.{name}"] = link.display
    return data
