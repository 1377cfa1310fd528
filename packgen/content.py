"""Copy lookup and the values copy can insert (``{campaign.hashtag}``, …)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from packgen.campaign import Campaign, Link
from packgen.colour import Colour
from packgen.errors import Span, error
from packgen.markup import Block, MissingValue, plain, to_blocks
from packgen.source import SourceDict


def flatten_copy(data: Any, file: str, prefix: str = "") -> tuple[dict[str, str], dict[str, Span]]:
    """Nested copy mappings into ``{"poster.headline": text}`` with spans."""
    texts: dict[str, str] = {}
    spans: dict[str, Span] = {}
    if not isinstance(data, dict):
        raise error("a copy file is a mapping of keys to text", getattr(data, "span", None))
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        span = data.value_spans.get(key) if isinstance(data, SourceDict) else None
        if isinstance(value, dict):
            inner, inner_spans = flatten_copy(value, file, dotted + ".")
            texts.update(inner)
            spans.update(inner_spans)
        elif isinstance(value, str):
            texts[dotted] = value
            spans[dotted] = span or Span(file)
        else:
            raise error(
                f"copy '{dotted}' must be text, found {value!r}",
                span,
                hint='quote it, e.g. "10"',
            )
    return texts, spans


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
    _blocks: dict[str, list[Block]] = field(default_factory=dict)

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
                cached = to_blocks(self.copy[key], self.data)
            except MissingValue as exc:
                raise error(
                    f"copy '{key}' uses {{{exc.name}}}, which has no value here",
                    self.copy_spans.get(key),
                    hint="values available: " + ", ".join(sorted(self.data)),
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
        return plain(self.copy.get(key, ""), self.data)


def campaign_data(campaign: Campaign) -> dict[str, str]:
    data = {
        "campaign.name": campaign.name,
        "campaign.short_name": campaign.short_name,
        "campaign.theme": campaign.theme,
        "campaign.hashtag": campaign.hashtag,
        "campaign.dates": campaign.date_range(),
        "campaign.year": str(campaign.dates.start.year),
        "campaign.coordinator": campaign.coordinator,
        "support.name": campaign.support.name,
        "support.phone": campaign.support.phone or "",
    }
    for name, link in campaign.links.items():
        data[f"link.{name}"] = link.display
    return data
