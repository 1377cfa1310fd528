"""What a visitor may choose for a personalised pack, and which files a choice makes.

The offer comes from the default pack (products and their sizes), the paper
sizes (``layouts/_paper.yaml``: ``office: false`` means print shops only, so
A2 has no office version) and the campaign's copy folders (one language per
folder, drafts left out; the form asks only when more than one remains). A choice is the
products, sizes, versions and language ticked on the form; it is part of the
request's cache key and travels to the worker as plain data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

PROFILES = ("office", "press")
DEFAULT_SIZES = ("A4", "A3")  # what the form ticks at first: the sizes most people print


@dataclass(frozen=True)
class Offer:
    products: dict[str, tuple[str, ...]]  # product → its sizes, in listing order
    office_sizes: frozenset[str]  # paper an office printer takes
    languages: tuple[str, ...]  # copy folders; the first is the default

    @property
    def sizes(self) -> tuple[str, ...]:
        """The sizes to choose from: those of products made in more than one size."""
        found: list[str] = []
        for sizes in self.products.values():
            if len(sizes) > 1:
                found += [s for s in sizes if s not in found]
        return tuple(found)

    def files(self, choice: Choice) -> list[tuple[str, str, str]]:
        """Every (product, size, profile) the choice makes, in listing order."""
        chosen = set(self.sizes) & set(choice.sizes)
        made = []
        for product, sizes in self.products.items():
            if product not in choice.products:
                continue
            for size in sizes:
                if len(sizes) > 1 and size not in chosen:
                    continue
                made += [(product, size, p) for p in PROFILES if self.allows(size, p, choice)]
        return made

    def allows(self, size: str, profile: str, choice: Choice) -> bool:
        if profile not in choice.profiles:
            return False
        return profile != "office" or size in self.office_sizes

    def default(self) -> Choice:
        sizes = tuple(s for s in self.sizes if s in DEFAULT_SIZES) or self.sizes
        return Choice(tuple(self.products), sizes, PROFILES, self.languages[0])


@dataclass(frozen=True)
class Choice:
    products: tuple[str, ...]
    sizes: tuple[str, ...]
    profiles: tuple[str, ...]
    language: str

    def as_dict(self) -> dict[str, object]:
        return {
            "products": list(self.products),
            "sizes": list(self.sizes),
            "profiles": list(self.profiles),
            "language": self.language,
        }

    @classmethod
    def of(cls, data: Mapping[str, object], fallback: Choice) -> Choice:
        """A choice read back from ``request.json`` (missing parts: ``fallback``'s)."""

        def strings(name: str, default: Iterable[str]) -> tuple[str, ...]:
            value = data.get(name)
            if not isinstance(value, list):
                return tuple(default)
            return tuple(str(v) for v in value)

        language = data.get("language")
        return cls(
            strings("products", fallback.products),
            strings("sizes", fallback.sizes),
            strings("profiles", fallback.profiles),
            language if isinstance(language, str) else fallback.language,
        )


def reviewed_languages(copy: Path) -> list[str]:
    """Copy folders fit to offer to the public: not marked ``review: draft``.

    A draft translation (``review: draft`` in its ``language.yaml``) has not been
    checked by a qualified translator, so the portal does not offer it for printing.
    A folder without ``language.yaml`` is the campaign's own copy.
    """
    from packgen.errors import PackgenError
    from packgen.model.language import LANGUAGE_FILE
    from packgen.source.load import load_yaml

    found = []
    for folder in sorted(p for p in copy.iterdir() if p.is_dir() and any(p.glob("*.yaml"))):
        note = folder / LANGUAGE_FILE
        if note.is_file():
            try:
                data = load_yaml(note)
            except PackgenError:
                continue
            if not isinstance(data, dict) or data.get("review", "draft") != "reviewed":
                continue
        found.append(folder.name)
    return found


def languages(copy_folder: Iterable[str], default: str) -> tuple[str, ...]:
    """The campaign's languages, the default first."""
    found = sorted(set(copy_folder) - {default})
    return (default, *found)
