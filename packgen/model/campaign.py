"""Campaign and copy files into typed models.

A campaign folder (``assets/campaigns/<id>/``) holds ``campaign.yaml`` (name,
dates, theme, hashtag, links, palette) and ``copy/<language>.yaml`` (every
sentence, looked up by dotted key). A new campaign or language is new files.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from packgen.colour import Colour
from packgen.model.urls import check_http_url, short_url

__all__ = ["Campaign", "Link", "check_http_url", "short_url"]


class Link(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    url: str
    label: str | None = None  # the short URL printed under a QR code

    @field_validator("url")
    @classmethod
    def _http_only(cls, value: str) -> str:
        return check_http_url(value)

    @property
    def display(self) -> str:
        return self.label or short_url(self.url)


class Dates(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> Dates:
        if self.end < self.start:
            raise ValueError("end is before start")
        return self


class SupportDefault(BaseModel):
    """The support service printed when no organisation gives its own."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    phone: str | None = None


class Campaign(BaseModel):
    """Everything about one year's campaign that is data, not copy."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    name: str
    short_name: str
    theme: str
    hashtag: Annotated[str, Field(pattern=r"^#\w+$")]
    dates: Dates
    coordinator: str
    author: str
    language: str = "en-GB"
    mark: str | None = None
    support: SupportDefault
    links: dict[str, Link]
    palette: dict[str, Colour]
    output_intent: str | None = None  # relative to assets/: an intent file (.yaml) or .icc

    @field_validator("links")
    @classmethod
    def _required_links(cls, value: dict[str, Link]) -> dict[str, Link]:
        missing = {"video", "support", "campaign"} - set(value)
        if missing:
            raise ValueError(f"links must include {', '.join(sorted(missing))}")
        return value

    def date_range(self) -> str:
        """``10–16 June 2024`` (or across months/years as needed)."""
        s, e = self.dates.start, self.dates.end
        if (s.year, s.month) == (e.year, e.month):
            return f"{s.day}\u2013{e.day} {e:%B} {e.year}"
        if s.year == e.year:
            return f"{s.day} {s:%B} \u2013 {e.day} {e:%B} {e.year}"
        return f"{s.day} {s:%B} {s.year} \u2013 {e.day} {e:%B} {e.year}"
