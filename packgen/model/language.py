"""``copy/<language>/language.yaml``: what a copy folder is (its language, direction, review).

Every copy folder declares the BCP 47 tag it is written in, the direction its
text runs, whether a qualified translator has reviewed it (``draft`` copy
must be checked before printing) and the language it was translated from.
"""

from __future__ import annotations

from enum import Enum

from pydantic import BaseModel, ConfigDict

from packgen.model.common import Direction

LANGUAGE_FILE = "language.yaml"  # in each copy folder; not copy
SOURCE_LOCK = "source.lock"  # hashes of the source values a translation was made from


class Review(str, Enum):
    DRAFT = "draft"  # not yet checked by a qualified translator: never print
    REVIEWED = "reviewed"


class LanguageInfo(BaseModel):
    """The metadata of one copy folder."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    language: str  # BCP 47, equal to the folder's name
    direction: Direction
    review: Review
    source: str | None = None  # the language translated from; None for the original
    products: list[str] | None = None  # the products made in this language; None: every one
