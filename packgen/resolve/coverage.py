"""Which copy keys a product uses, and which of them a language lacks.

A product's keys are the copy keys its layout names (``copy:``, ``caption:``,
``alt:``, metadata, …): every text in the merged layout that is a key of the
campaign language's copy. An element with ``language:`` (a bilingual layout)
names keys of that language instead.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from packgen.errors import Diagnostic, Severity, Span, error
from packgen.resolve.design import load_design
from packgen.resolve.project import Project


def source_hash(text: str) -> str:
    """A short fingerprint of a source value (what a translation was made from)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _own_copy(project: Project, language: str) -> dict[str, str]:
    """``language``'s own copy texts, read through ``project`` itself when it builds that
    language (a second project for the same language would read every copy file again)."""
    same = language == project.language_code
    return (project if same else project.in_language(language)).own_copy[0]


def product_keys(project: Project, product: str) -> dict[str, str | None]:
    """Every copy key ``product`` uses, with the language an element fixes (else None)."""
    source = _own_copy(project, project.campaign.language)
    design = load_design(project, product)
    found: dict[str, str | None] = {}
    _walk(design.raw, None, set(source), found)
    return found


def _walk(node: Any, language: str | None, keys: set[str], found: dict[str, str | None]) -> None:
    if isinstance(node, dict):
        own = node.get("language")
        here = own if isinstance(own, str) else language
        for name, value in node.items():
            if name in ("sizes", "languages") and isinstance(value, dict):
                for overlay in value.values():
                    _walk(overlay, here, keys, found)
                continue
            _walk(value, here, keys, found)
    elif isinstance(node, list):
        for item in node:
            _walk(item, language, keys, found)
    elif isinstance(node, str) and node in keys:
        found.setdefault(node, language)


@dataclass(frozen=True)
class Coverage:
    """What ``language``'s copy has of the keys one product uses."""

    product: str
    language: str
    keys: tuple[str, ...]  # the product's keys in this language
    missing: tuple[str, ...]

    @property
    def translated(self) -> int:
        return len(self.keys) - len(self.missing)

    @property
    def share(self) -> float:
        """Translated keys, 0 to 1 (1 for a product with no copy)."""
        return self.translated / len(self.keys) if self.keys else 1.0


def coverage(project: Project, product: str, language: str | None = None) -> Coverage:
    """The keys ``product`` needs in ``language`` (default the project's) and those missing."""
    language = language or project.language_code
    own = _own_copy(project, language)
    bilingual = bilingual_languages(project, product)
    if bilingual:  # a bilingual product is made in its own languages, whichever is asked
        language = bilingual[0]
        own = _own_copy(project, language)
    needed = sorted(k for k, fixed in product_keys(project, product).items() if fixed is None)
    return Coverage(product, language, tuple(needed), tuple(k for k in needed if k not in own))


def offered(project: Project, product: str, language: str) -> bool:
    """Whether ``language``'s copy folder lists ``product`` (no ``products:``: every one)."""
    if language == project.campaign.language:
        return True
    listed = project.language_info(language).products
    return listed is None or product in listed


def bilingual_languages(project: Project, product: str) -> list[str]:
    """The languages a bilingual layout sets (its ``bilingual:``), leading first; else []."""
    raw = load_design(project, product).raw.get("bilingual")
    return [str(x) for x in raw] if isinstance(raw, list) else []


def copy_project(
    project: Project, product: str, explicit: bool = False
) -> tuple[Project | None, list[Diagnostic]]:
    """The project whose copy ``product`` is built from, and notes or warnings about it.

    None (with a note) skips a product: a bilingual layout not in the language
    asked for, or a product with no copy at all in it (unless named with
    ``--only``). Missing keys are an error naming them, or, where the campaign
    sets ``copy_fallback: true``, a warning: those keys print in the campaign language.
    """
    language = project.language_code
    folder = Span(project.shown(project.campaign_dir / "copy" / language))
    bilingual = bilingual_languages(project, product)
    if bilingual:
        if language not in bilingual:
            message = f"{product} sets {' and '.join(bilingual)} together"
            hint = f"build it with --language {bilingual[0]}"
            if explicit:
                raise error(f"{message}, not {language}", folder, hint)
            return None, [Diagnostic(f"{message}: skipped in {language}", severity=Severity.NOTE)]
        project = project.in_language(bilingual[0])
    found = coverage(project, product)
    if found.language == project.campaign.language:
        return project, []
    if not bilingual and not offered(project, product, found.language) and not explicit:
        note = f"{product} is not made in {found.language} (its language.yaml products:): skipped"
        return None, [Diagnostic(note, severity=Severity.NOTE)]
    if not found.missing:
        return project, []
    listing = ", ".join(found.missing[:12]) + (" …" if len(found.missing) > 12 else "")
    count = f"{len(found.missing)} of {len(found.keys)} copy keys"
    if project.campaign.copy_fallback:
        source = project.campaign.language
        message = (
            f"{product}: {count} have no {found.language} text, printed in {source}: {listing}"
        )
        hint = f"translate them (packgen translations --language {found.language} lists them)"
        return project, [Diagnostic(message, folder, hint, Severity.WARNING)]
    raise error(
        f"{product}: {count} have no {found.language} text: {listing}",
        folder,
        f"translate them (packgen translations --language {found.language} lists them), "
        "or set copy_fallback: true in campaign.yaml to print the campaign language's text",
    )
