"""What a visitor may choose for a personalised pack, and which files a choice makes.

The offer comes from the default pack: its print products and their sizes,
the paper sizes (``layouts/_paper.yaml``: ``office: false`` means print shops
only, so A2 has no office version), the web-page (HTML) versions, the digital
kit (the email banner and the social images, grouped by layout kind) and the
languages each print product is made in
(:func:`packgen.designer.translations.languages_of`, read from the copy
folders, never listed here). A choice is the products, kit parts, sizes,
versions and languages ticked on the form; it is part of the request's cache
key and travels to the worker as plain data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

PROFILES = ("office", "press")  # the print versions
WEB = "html"  # the web-page version: one per product, whatever the paper size
SCREEN = "screen"  # the digital kit's profile
VERSIONS = (*PROFILES, WEB)
KIT = ("banner", "social")  # kit parts, by layout kind (packgen.model.digital.SCREEN_KINDS)
DEFAULT_SIZES = ("A4", "A3")  # what the form ticks at first: the sizes most people print
DEFAULT_VERSIONS = PROFILES


@dataclass(frozen=True)
class LanguageOption:
    code: str  # the copy folder
    name: str  # in the language itself: "Cymraeg"
    status: str  # complete, draft or partial (packgen.designer.translations.status)
    products: tuple[str, ...]  # the print products made in it
    kit: tuple[str, ...] = ()  # the digital kit's images made in it

    @property
    def draft(self) -> bool:
        return self.status != "complete"


@dataclass(frozen=True)
class Offer:
    products: dict[str, tuple[str, ...]]  # print product → its sizes, in listing order
    office_sizes: frozenset[str]  # paper an office printer takes
    languages: tuple[LanguageOption, ...] = ()  # the first is the campaign's own
    kit: dict[str, tuple[str, ...]] = field(default_factory=dict)  # part → screen products
    web: frozenset[str] = frozenset()  # print products with a web-page version

    @property
    def default_language(self) -> str:
        return self.languages[0].code if self.languages else ""

    @property
    def sizes(self) -> tuple[str, ...]:
        """The sizes to choose from: those of products made in more than one size."""
        found: list[str] = []
        for sizes in self.products.values():
            if len(sizes) > 1:
                found += [s for s in sizes if s not in found]
        return tuple(found)

    @property
    def versions(self) -> tuple[str, ...]:
        return VERSIONS if self.web else PROFILES

    def language(self, code: str) -> LanguageOption | None:
        return next((option for option in self.languages if option.code == code), None)

    def files(self, choice: Choice) -> list[tuple[str, str, str, str]]:
        """Every (language, product, size, profile) the choice makes, in listing order.

        Every language makes the chosen print products and kit images that are
        translated into it (the campaign's own language makes all of them).
        """
        chosen = set(self.sizes) & set(choice.sizes)
        made: list[tuple[str, str, str, str]] = []
        for option in self.languages:
            if option.code not in choice.languages:
                continue
            own = option.code == self.default_language
            for product, sizes in self.products.items():
                if product not in choice.products or not (own or product in option.products):
                    continue
                for size in sizes:
                    if len(sizes) > 1 and size not in chosen:
                        continue
                    made += [
                        (option.code, product, size, p)
                        for p in PROFILES
                        if self.allows(size, p, choice)
                    ]
                if WEB in choice.profiles and product in self.web:
                    made.append((option.code, product, sizes[0], WEB))
            made += [
                (option.code, p, "*", SCREEN)
                for part in KIT
                if part in choice.kit
                for p in self.kit.get(part, ())
                if own or p in option.kit
            ]
        return made

    def allows(self, size: str, profile: str, choice: Choice) -> bool:
        if profile not in choice.profiles:
            return False
        return profile != "office" or size in self.office_sizes

    def default(self) -> Choice:
        sizes = tuple(s for s in self.sizes if s in DEFAULT_SIZES) or self.sizes
        # the print pack; the digital kit, web pages and other languages are asked for
        return Choice(tuple(self.products), sizes, DEFAULT_VERSIONS, (self.default_language,))


@dataclass(frozen=True)
class Choice:
    products: tuple[str, ...]
    sizes: tuple[str, ...]
    profiles: tuple[str, ...]
    languages: tuple[str, ...]
    kit: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {
            "products": list(self.products),
            "sizes": list(self.sizes),
            "profiles": list(self.profiles),
            "languages": list(self.languages),
            "kit": list(self.kit),
        }

    @classmethod
    def of(cls, data: Mapping[str, object], fallback: Choice) -> Choice:
        """A choice read back from ``request.json`` (missing parts: ``fallback``'s)."""

        def strings(name: str, default: Iterable[str]) -> tuple[str, ...]:
            value = data.get(name)
            if not isinstance(value, list):
                return tuple(default)
            return tuple(str(v) for v in value)

        languages = strings("languages", fallback.languages)
        if "languages" not in data and isinstance(data.get("language"), str):
            languages = (str(data["language"]),)  # a request stored before languages were many
        return cls(
            strings("products", fallback.products),
            strings("sizes", fallback.sizes),
            strings("profiles", fallback.profiles),
            languages,
            strings("kit", fallback.kit),
        )


def language_options(
    project: object, products: Iterable[str], kit: Iterable[str] = ()
) -> tuple[LanguageOption, ...]:
    """The languages the print ``products`` and ``kit`` images are made in, the
    campaign's own first.

    Read from the copy folders (:func:`packgen.designer.translations.languages_of`),
    so a translation added as files is offered at once. A bilingual layout is a
    product of its own, not a language.
    """
    from packgen.designer.translations import languages_of
    from packgen.resolve.project import Project

    assert isinstance(project, Project)
    own = project.language_code
    found: dict[str, tuple[str, str, list[str]]] = {}
    images: dict[str, list[str]] = {}
    for image in kit:
        for entry in languages_of(project, image):
            images.setdefault(entry.language, []).append(image)
    for product in products:
        for entry in languages_of(project, product):
            if entry.bilingual:
                continue
            name, status, listed = found.setdefault(entry.language, (entry.name, entry.status, []))
            listed.append(product)
            if entry.status != "complete" and status == "complete":
                found[entry.language] = (name, entry.status, listed)
    if own not in found:
        found[own] = (own, "complete", list(products))
    order = [own, *sorted(code for code in found if code != own)]
    return tuple(
        LanguageOption(
            code, found[code][0], found[code][1], tuple(found[code][2]), tuple(images.get(code, ()))
        )
        for code in order
    )
