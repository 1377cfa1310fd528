"""Organisation profiles (YAML) into validated co-branding data.

An organisation gives its name, logo, website and local support service; the
pack then carries them instead of the campaign defaults. Everything is
checked: http(s) URLs only, phone and e-mail shapes, a logo that really is a
PNG, JPEG or SVG (by content), within byte and pixel limits, inside the
profile's own folder.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from anyascii import anyascii
from pydantic import BaseModel, ConfigDict, Field, field_validator

from packgen.colour import Colour
from packgen.errors import Diagnostic, PackgenError, Span
from packgen.model.campaign import Link, check_http_url, short_url
from packgen.resolve.assets import Asset, load_asset
from packgen.resolve.scripts import script_problem
from packgen.source.load import SourceDict, load_yaml, parse_yaml
from packgen.source.validate import validate

_PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{5,22}[0-9]$")
_EMAIL = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
MAX_NAME = 120
NO_BREAK = "\u00a0"  # a phone number never breaks across lines


def _text(value: str, what: str, limit: int) -> str:
    value = " ".join(value.split())
    if not value:
        raise ValueError(f"{what} is empty")
    if len(value) > limit:
        raise ValueError(f"{what} is {len(value)} characters; the limit is {limit}")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Co") for ch in value):
        raise ValueError(f"{what} contains control or invisible characters")
    problem = script_problem(value)
    if problem:
        raise ValueError(f"{what}: {problem}")
    return value


class Support(BaseModel):
    # validators built on first validation: a build without an organisation needs none
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    name: str
    url: str
    phone: str
    email: str | None = None

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        return _text(value, "the service name", MAX_NAME)

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        return check_http_url(value)

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        value = " ".join(str(value).split())
        digits = re.sub(r"\D", "", value)
        if not _PHONE.match(value) or not 9 <= len(digits) <= 15:
            raise ValueError(
                f"'{value}' is not a phone number: use digits, spaces and an optional "
                "leading +, e.g. 0114 496 0000 or +44 114 496 0000"
            )
        return value

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and not _EMAIL.match(value):
            raise ValueError(f"'{value}' is not an e-mail address such as name@example.org")
        return value


class Partner(BaseModel):
    """A partner organisation shown beside the organisation, with equal weight."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    name: str
    logo: str

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        return _text(value, "the partner's name", MAX_NAME)


class Tracking(BaseModel):
    """UTM parameters on every QR link (off unless ``enabled``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    enabled: bool = False
    source: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,60}$")] | None = None


class OrgProfile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    name: str
    logo: str
    website: str
    support: Support
    accent: Colour | None = None
    partner: Partner | None = None
    tracking: Tracking = Tracking()

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        return _text(value, "the organisation name", MAX_NAME)

    @field_validator("website")
    @classmethod
    def _website(cls, value: str) -> str:
        return check_http_url(value)


LAST_WORDS = 24  # characters: last two words kept together when no longer than this


def keep_last_words(name: str) -> str:
    """A name whose last two words never part, so no line ends with one lone word
    (``Riverside Parent-Infant Team`` breaks before ``Parent-Infant Team``)."""
    head, _, last = name.rpartition(" ")
    if not head or " " not in head:
        return name  # one or two words: breaking them is better than overflowing
    if len(head.rpartition(" ")[2]) + 1 + len(last) > LAST_WORDS:
        return name
    return f"{head}{NO_BREAK}{last}"


def slug(name: str) -> str:
    """``Tom & Jerry's <Hub>`` → ``tom-jerry-s-hub``: safe for file names and UTM.

    Names in other scripts are transliterated (``Κέντρο`` → ``kentro``,
    ``東京`` → ``dongjing``), so every name keeps a meaningful folder.
    """
    ascii_name = anyascii(unicodedata.normalize("NFC", name))
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60] or "organisation"


@dataclass(frozen=True)
class Organisation:
    """A validated profile with its logo found and checked."""

    profile: OrgProfile
    logo: Asset
    file: str
    spans: tuple[tuple[str, Span], ...] = ()  # where each field is written (dotted names)
    partner_logo: Asset | None = None  # the partner's logo (``partner.logo``), checked alike

    def span(self, field: str) -> Span:
        """Where ``field`` (``name``, ``support.url``, …) is written in the profile."""
        return dict(self.spans).get(field) or Span(self.file)

    @property
    def slug(self) -> str:
        return self.profile.tracking.source or slug(self.profile.name)

    def data(self) -> dict[str, str]:
        support = self.profile.support
        return {
            "org.name": keep_last_words(self.profile.name),
            "org.website": short_url(self.profile.website),
            "support.name": keep_last_words(support.name),
            "support.phone": support.phone.replace(" ", NO_BREAK),
            "support.email": support.email or "",
            "partner.name": self.profile.partner.name if self.profile.partner else "",
        }

    def links(self) -> dict[str, Link]:
        return {
            "support": Link(url=self.profile.support.url),
            "org": Link(url=self.profile.website),
        }


def load_org(path: Path, shown: str | None = None) -> Organisation:
    """Read, validate and check an organisation profile and its logo."""
    name = shown or str(path)
    return _organisation(load_yaml(path, name), path.parent, name)


def load_org_text(text: str, folder: Path, shown: str) -> Organisation:
    """A profile given as YAML text (a CSV row, a web form); the logo is in ``folder``."""
    return _organisation(parse_yaml(text, shown), folder, shown)


def _organisation(data: object, folder: Path, name: str) -> Organisation:
    profile = validate(OrgProfile, data, name)
    spans = _field_spans(data)
    problems: list[Diagnostic] = []
    logos: list[Asset | None] = []
    fields = [("logo", profile.logo)]
    if profile.partner is not None:
        fields.append(("partner.logo", profile.partner.logo))
    for field, relative in fields:
        span = dict(spans).get(field) or Span(name)
        try:
            logos.append(load_asset(folder, relative, span, what=field.replace(".", " ")))
        except PackgenError as exc:
            problems += [
                Diagnostic(d.message, d.span, d.hint, d.severity, field) for d in exc.diagnostics
            ]
            logos.append(None)
    if problems:
        raise PackgenError(problems)
    logo, partner = logos[0], logos[1] if len(logos) > 1 else None
    if logo is None:  # unreachable: a logo that failed is a problem raised above
        raise PackgenError(Diagnostic("the logo could not be read", Span(name), field="logo"))
    return Organisation(profile, logo, name, spans, partner)


def _field_spans(data: object) -> tuple[tuple[str, Span], ...]:
    """The value spans of the profile's fields, one level of nesting deep."""
    found: list[tuple[str, Span]] = []
    if not isinstance(data, SourceDict):
        return ()
    for key, span in data.value_spans.items():
        found.append((str(key), span))
        inner = data.get(key)
        if isinstance(inner, SourceDict):
            found.extend((f"{key}.{k}", v) for k, v in inner.value_spans.items())
    return tuple(found)
