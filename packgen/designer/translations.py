"""``packgen translations``: how far each language's copy covers each product.

For every copy language but the campaign's own, and every product it lists,
the report gives the keys the product uses, the missing ones, and the
*outdated* ones: keys whose source text changed since the translation was
made. What a translation was made from is recorded in ``copy/<lang>/source.lock``
(a short hash of each source value, written by ``--record``); a key with no
record counts as outdated. Keys a translation has that the source does not
are *extra* (a misspelt or retired key).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from packgen.errors import PackgenError, Span, error
from packgen.model.language import SOURCE_LOCK, Review
from packgen.render.write import write_atomic
from packgen.resolve.coverage import bilingual_languages, coverage, offered, source_hash
from packgen.resolve.project import Project
from packgen.source.load import load_yaml


@dataclass(frozen=True)
class ProductReport:
    product: str
    keys: int
    missing: list[str]
    outdated: list[str]

    @property
    def current(self) -> int:
        """Keys translated from the source text as it is now."""
        return self.keys - len(self.missing) - len(self.outdated)

    @property
    def percent(self) -> float:
        return round(100.0 * self.current / self.keys, 1) if self.keys else 100.0

    def as_json(self) -> dict[str, Any]:
        return {
            "product": self.product,
            "keys": self.keys,
            "translated": self.keys - len(self.missing),
            "current": self.current,
            "percent": self.percent,
            "missing": self.missing,
            "outdated": self.outdated,
        }


@dataclass
class LanguageReport:
    language: str
    source: str
    review: Review
    recorded: bool  # has a source.lock
    refused: str | None = None  # why packgen cannot build this language (yet)
    extra: list[str] = field(default_factory=list)
    products: list[ProductReport] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "source": self.source,
            "review": self.review.value,
            "recorded": self.recorded,
            "refused": self.refused,
            "extra": self.extra,
            "products": [p.as_json() for p in self.products],
        }


def lock_path(project: Project, language: str) -> Any:
    return project.campaign_dir / "copy" / language / SOURCE_LOCK


def read_lock(project: Project, language: str) -> dict[str, str] | None:
    """The source hashes a translation was made from, or None when never recorded."""
    path = lock_path(project, language)
    if not path.is_file():
        return None
    shown = project.shown(path)
    data = load_yaml(path, shown)
    hashes = data.get("hashes") if isinstance(data, dict) else None
    if not isinstance(hashes, dict):
        raise error("a source.lock holds 'hashes:', a mapping of copy keys", Span(shown))
    return {str(k): str(v) for k, v in hashes.items()}


def record(project: Project, language: str) -> int:
    """Write ``source.lock``: the source text of every key ``language`` translates, as now.

    Run it after translating (or checking) the copy against the current source.
    Returns how many keys were recorded.
    """
    info = project.language_info(language)
    source_language = info.source or project.campaign.language
    if source_language == language:
        raise error(f"'{language}' is the source language: it has nothing to record")
    source = project.in_language(source_language).own_copy[0]
    own = project.in_language(language).own_copy[0]
    hashes = {key: source_hash(source[key]) for key in sorted(own) if key in source}
    header = (
        f"# Written by `packgen translations --record {language}`: a hash of the\n"
        f"# {source_language} text each key was translated from. Do not edit by hand.\n"
    )
    body = yaml.safe_dump({"source": source_language, "hashes": hashes}, sort_keys=False)
    write_atomic(lock_path(project, language), (header + body).encode("utf-8"))
    return len(hashes)


def report(project: Project, only: str | None = None) -> list[LanguageReport]:
    """Coverage of every translated language (or ``only``), product by product."""
    languages = [only] if only else project.languages()
    found: list[LanguageReport] = []
    for language in languages:
        info = project.language_info(language)
        if language == project.campaign.language and only is None:
            continue
        source_language = info.source or project.campaign.language
        source = project.in_language(source_language).own_copy[0]
        try:
            own = project.in_language(language).own_copy[0]
        except PackgenError as exc:
            if only:
                raise
            why = exc.diagnostics[0].message if exc.diagnostics else "cannot be read"
            found.append(LanguageReport(language, source_language, info.review, False, why))
            continue
        lock = read_lock(project, language)
        outdated = {
            key
            for key in own
            if key in source and (lock is None or lock.get(key) != source_hash(source[key]))
        }
        if language == source_language:
            outdated = set()
        entry = LanguageReport(
            language,
            source_language,
            info.review,
            lock is not None,
            extra=sorted(set(own) - set(source)),
        )
        for product in project.products():
            bilingual = bilingual_languages(project, product)
            if bilingual and language not in bilingual:
                continue
            if not bilingual and not offered(project, product, language):
                continue
            cover = coverage(project.in_language(language), product, language)
            if cover.language != language:  # a bilingual layout led by another language
                continue
            entry.products.append(
                ProductReport(
                    product,
                    len(cover.keys),
                    list(cover.missing),
                    sorted(k for k in cover.keys if k in outdated),
                )
            )
        found.append(entry)
    return found


def status(project: Project, product: str, language: str) -> str:
    """``complete``, ``draft`` (every key, not yet reviewed) or ``partial`` (keys missing)."""
    cover = coverage(project.in_language(language), product, language)
    if cover.missing:
        return "partial"
    if project.language_info(language).review is Review.DRAFT:
        return "draft"
    return "complete"


@dataclass(frozen=True)
class ProductLanguage:
    """One language a product is offered in, for listings (``packgen list``, the portal)."""

    language: str
    name: str  # the language's own name, from CLDR: "Cymraeg", "polski"
    status: str  # complete, draft or partial
    bilingual: bool = False


def languages_of(project: Project, product: str) -> list[ProductLanguage]:
    """Every language ``product`` is made in, with its status (the campaign's own first).

    Languages packgen refuses to build (scripts it cannot shape yet) are left out.
    """
    from packgen.model.dates import locale_of

    bilingual = bilingual_languages(project, product)
    found: list[ProductLanguage] = []
    for language in bilingual or project.languages():
        if not bilingual and not offered(project, product, language):
            continue
        try:
            project.in_language(language).content()  # refused languages are not offered
            state = status(project, product, language)
        except PackgenError:
            continue
        name = str(locale_of(language).get_display_name(locale_of(language)) or language)
        found.append(ProductLanguage(language, name, state, bool(bilingual)))
    if bilingual and found:
        worst = "partial" if any(f.status == "partial" for f in found) else None
        worst = worst or ("draft" if any(f.status == "draft" for f in found) else "complete")
        joined = "+".join(f.language for f in found)
        names = " / ".join(f.name for f in found)
        return [ProductLanguage(joined, names, worst, True)]
    return found


def format_report(reports: list[LanguageReport]) -> str:
    """The report as text for a terminal."""
    lines: list[str] = []
    for entry in reports:
        if entry.refused:
            lines.append(f"{entry.language} ({entry.review.value}): not built: {entry.refused}")
            continue
        lock = "" if entry.recorded else "; no source.lock: every key counts as outdated"
        lines.append(f"{entry.language} ({entry.review.value}, from {entry.source}){lock}")
        for product in entry.products:
            lines.append(
                f"  {product.product}: {product.percent:g}% "
                f"({product.current} of {product.keys} keys current, "
                f"{len(product.missing)} missing, {len(product.outdated)} outdated)"
            )
            for key in product.missing:
                lines.append(f"    missing   {key}")
            for key in product.outdated:
                lines.append(f"    outdated  {key}")
        for key in entry.extra:
            lines.append(f"  extra     {key} (not in {entry.source})")
    return "\n".join(lines)
