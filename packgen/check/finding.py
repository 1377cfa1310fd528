"""What a preflight rule says about a PDF: a finding, judged for the office printer and print shop.

Every finding carries a level for each audience (an RGB colour is fine for an
office printer and a fault for a print shop), the level for the file's own
purpose (what the exit code follows), the page and box it concerns, and what
to ask the designer for.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum

from packgen.check.facts import Box, PdfFacts
from packgen.check.intent import Intent
from packgen.render.manifest import FileEntry

AUDIENCES = ("office", "shop")


class Level(str, Enum):
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"


@dataclass(frozen=True)
class Finding:
    """``level`` is for the print shop until ``judged`` sets it for the file's purpose."""

    check: str
    level: Level
    message: str
    page: int | None = None
    office: Level | None = None  # None: the same as for the print shop
    box: Box | None = None  # where on the page, in PDF points
    advice: str = ""  # what to ask the designer for
    shop: Level | None = None  # set by ``judged``

    def level_for(self, audience: str) -> Level:
        if audience == "office":
            return self.office or self.level
        return self.shop or self.level

    def judged(self, purpose: str) -> Finding:
        """This finding with both audiences fixed and ``level`` for ``purpose``."""
        shop, office = self.shop or self.level, self.office or self.level
        return replace(self, shop=shop, office=office, level=office if purpose != "press" else shop)


@dataclass
class Subject:
    """One PDF under check: its facts, what it is for and the layout's expectations."""

    facts: PdfFacts
    press: bool
    expect: FileEntry | None
    intent: Intent | None = None
