"""A project folder: its layouts, campaign, copy, fonts and paper sizes.

The embedded default campaign ships inside the package (``packgen/_embedded``
in a wheel; the repository root in a source checkout). A designer's own
project is ``--project DIR``, or else the current folder when it holds
``layouts/`` or a ``packgen.yaml`` (:func:`find_project`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from packgen.errors import Diagnostic, PackgenError, Span, allowed_hint, error, relative
from packgen.model.campaign import Campaign
from packgen.model.language import LANGUAGE_FILE, LanguageInfo
from packgen.model.profiles import PROFILES
from packgen.resolve.content import Content, campaign_data, flatten_copy, for_profile
from packgen.resolve.fonts import FontFamily, register, register_fallbacks
from packgen.resolve.icc import OutputCondition, load_intent
from packgen.resolve.org import Organisation
from packgen.resolve.scripts import configure as configure_scripts
from packgen.source.load import load_yaml
from packgen.source.validate import validate
from packgen.units import Length, positive_length

ORG_ACCENT = "org-accent"  # the palette entry an organisation's accent colour replaces


class FontConfig(BaseModel):
    """``assets/fonts.yaml``: font families by alias, and a fallback family."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    families: dict[str, str]
    fallback: str | None = None  # one fallback family (older files)
    fallbacks: list[str] = []  # tried in order
    scripts: dict[str, str] = {}  # scripts that need shaping -> the family that sets them
    compose: str = ""  # accented letters built from a family's own glyphs where it lacks them

    def chain(self) -> list[str]:
        """The fallback families, in the order they are tried."""
        return ([self.fallback] if self.fallback else []) + list(self.fallbacks)


class Settings(BaseModel):
    """``assets/packgen.yaml``: which campaign and language to build by default."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    campaign: str
    language: str
    output_intent: str | None = None  # relative to assets/: the press printing condition


def embedded_root() -> Path:
    """Where the default campaign's ``layouts/`` and ``assets/`` live."""
    package = Path(__file__).resolve().parent.parent
    packaged = package / "_embedded"
    if (packaged / "layouts").is_dir():
        return packaged
    return package.parent


PROJECT_MARKERS = ("layouts", "packgen.yaml")  # what makes a folder a project


@dataclass(frozen=True)
class ProjectChoice:
    """Which project a command uses, and why (for the one line every command prints)."""

    root: Path
    how: str  # "--project", "current folder" or "embedded"


def find_project(explicit: str | Path | None, cwd: Path) -> ProjectChoice:
    """``--project`` if given; else ``cwd`` if it holds ``layouts/`` or ``packgen.yaml``;
    else the embedded default pack."""
    if explicit:
        return ProjectChoice(Path(explicit), "--project")
    if (cwd / "layouts").is_dir() or (cwd / "packgen.yaml").is_file():
        return ProjectChoice(cwd, "current folder")
    return ProjectChoice(embedded_root(), "embedded")


@dataclass(frozen=True)
class PaperSize:
    name: str
    width: Length
    height: Length
    office: bool = True  # made for office printers too (false: print shops only, e.g. A2)


@dataclass
class Project:
    root: Path
    campaign_name: str | None = None
    language: str | None = None
    output_intent: Path | None = None  # ``build --output-intent``: overrides the campaign's
    cache: dict[tuple[object, ...], object] = field(default_factory=dict)

    def layouts_stamp(self) -> tuple[int, ...]:
        """Modification times of every layout file: a key that changes on any edit."""
        stamps = []
        for path in sorted(self.layouts_dir.glob("*.yaml")):
            try:
                stamps.append(path.stat().st_mtime_ns)
            except OSError:  # a broken or looping link: reported when the layout is read
                stamps.append(-1)
        return tuple(stamps)

    @property
    def layouts_dir(self) -> Path:
        return self.root / "layouts"

    @property
    def assets_dir(self) -> Path:
        return self.root / "assets"

    def shown(self, path: Path) -> str:
        return relative(path, self.root)

    @cached_property
    def settings(self) -> Settings:
        """``packgen.yaml`` at the project's top, else ``assets/packgen.yaml``."""
        path = self.root / "packgen.yaml"
        if not path.is_file():
            path = self.assets_dir / "packgen.yaml"
        return validate(Settings, load_yaml(path, self.shown(path)), self.shown(path))

    def describe(self) -> str:
        """Which campaign and language this project builds (never raises)."""
        try:
            campaign = self.campaign_name or self.settings.campaign
            language = self.language_code
        except PackgenError:
            return "campaign and language unreadable (see below)"
        return f"campaign {campaign}, language {language}"

    @property
    def campaign_dir(self) -> Path:
        name = self.campaign_name or self.settings.campaign
        folder = self.assets_dir / "campaigns" / name
        if not folder.is_dir():
            known = sorted(p.name for p in (self.assets_dir / "campaigns").glob("*") if p.is_dir())
            raise error(f"unknown campaign '{name}'", hint=allowed_hint(name, known, "campaigns"))
        return folder

    @cached_property
    def campaign(self) -> Campaign:
        path = self.campaign_dir / "campaign.yaml"
        return validate(Campaign, load_yaml(path, self.shown(path)), self.shown(path))

    @cached_property
    def output_condition(self) -> OutputCondition:
        """The printing condition of press output: ``--output-intent``, else the campaign's,
        else the project's (``assets/packgen.yaml``)."""
        if self.output_intent is not None:
            return load_intent(self.output_intent, str(self.output_intent))
        named = self.campaign.output_intent or self.settings.output_intent
        if named is None:
            raise error(
                "no output intent: press files need a printing condition",
                Span(self.shown(self.campaign_dir / "campaign.yaml")),
                "add `output_intent: colour/FOGRA39.yaml` (relative to assets/)"
                " to campaign.yaml or assets/packgen.yaml",
            )
        path = self.assets_dir / named
        source = self.campaign_dir / "campaign.yaml"
        if not self.campaign.output_intent:
            source = self.assets_dir / "packgen.yaml"
        spans = getattr(load_yaml(source, self.shown(source)), "value_spans", {})
        return load_intent(path, self.shown(path), spans.get("output_intent"))

    @property
    def language_code(self) -> str:
        return self.language or self.settings.language

    def languages(self) -> list[str]:
        """Every language the campaign has a copy folder for (the campaign's own first)."""
        folder = self.campaign_dir / "copy"
        found = sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
        source = self.campaign.language
        return sorted(found, key=lambda name: (name != source, name))

    def language_info(self, language: str | None = None) -> LanguageInfo:
        """``copy/<language>/language.yaml``, validated against the folder's name."""
        from packgen.model.language import Review
        from packgen.resolve.content import direction_of

        code = language or self.language_code
        path = self.campaign_dir / "copy" / code / LANGUAGE_FILE
        shown = self.shown(path)
        if not path.is_file():
            if code == self.campaign.language:  # the campaign's own copy needs no declaration
                return LanguageInfo(
                    language=code, direction=direction_of(code), review=Review.REVIEWED
                )
            raise error(
                f"copy folder '{code}' does not say what it is",
                Span(shown),
                f"add {shown} with: language: {code}, direction: {direction_of(code).value}, "
                f"review: draft, source: {self.campaign.language}",
            )
        info = validate(LanguageInfo, load_yaml(path, shown), shown)
        if info.language != code:
            raise error(
                f"language is '{info.language}', but the folder is '{code}'",
                Span(shown),
                f"write language: {code} (or rename the folder)",
                "language",
            )
        if info.direction is not direction_of(code):
            raise error(
                f"direction is {info.direction.value}, but {code} runs {direction_of(code).value}",
                Span(shown),
                f"write direction: {direction_of(code).value}",
                "direction",
            )
        return info

    @cached_property
    def own_copy(self) -> tuple[dict[str, str], dict[str, Span]]:
        """The language's own copy (no fallback): every ``copy/<language>/*.yaml``, merged."""
        return self.copy_of(self.language_code)

    @cached_property
    def copy(self) -> tuple[dict[str, str], dict[str, Span]]:
        """The copy the build uses: the language's own, plus the campaign language's
        for keys it lacks when ``campaign.yaml`` allows ``copy_fallback``."""
        texts, spans = self.own_copy
        if self.campaign.copy_fallback and self.language_code != self.campaign.language:
            source, source_spans = self.copy_of(self.campaign.language)
            texts = {**{k: v for k, v in source.items()}, **texts}
            spans = {**source_spans, **spans}
        return texts, spans

    def fallback_keys(self) -> set[str]:
        """Keys the build takes from the campaign language (none without copy_fallback)."""
        return set(self.copy[0]) - set(self.own_copy[0])

    def copy_of(self, language: str) -> tuple[dict[str, str], dict[str, Span]]:
        """All copy of ``language``: every ``copy/<language>/*.yaml`` but language.yaml."""
        cached = self.cache.get(("copy", language))
        if cached is not None:
            return cached  # type: ignore[return-value]
        folder = self.campaign_dir / "copy"
        lang_dir = folder / language
        files = (
            sorted(p for p in lang_dir.glob("*.yaml") if p.name != LANGUAGE_FILE)
            if lang_dir.is_dir()
            else []
        )
        if not files:
            known = sorted(p.name for p in folder.iterdir() if p.is_dir())
            raise error(
                f"no copy for language '{language}'",
                Span(self.shown(folder)),
                allowed_hint(language, known, "languages"),
            )
        self.language_info(language)  # every folder says what it is
        self.font_config  # noqa: B018 (says which scripts can be shaped)
        texts: dict[str, str] = {}
        spans: dict[str, Span] = {}
        problems: list[Diagnostic] = []  # of every copy file, reported together
        for path in files:
            shown = self.shown(path)
            try:
                more, more_spans = flatten_copy(load_yaml(path, shown), shown)
            except PackgenError as exc:
                problems.extend(exc.diagnostics)
                continue
            for key in sorted(more.keys() & texts.keys()):
                problems.append(
                    Diagnostic(
                        f"copy key '{key}' is also defined in {spans[key]}",
                        more_spans[key],
                        "each key lives in one file",
                    )
                )
            texts.update(more)
            spans.update(more_spans)
        if problems:
            raise PackgenError(problems)
        self.cache[("copy", language)] = (texts, spans)
        return texts, spans

    def content(
        self, org: Organisation | None = None, product: str = "", profile: str = ""
    ) -> Content:
        """Copy, data, links and palette: the campaign's, with an organisation's on top.

        ``profile`` (press, office) picks the copy's ``key@profile`` variants; without
        one, every key has its common copy.
        """
        texts, spans = for_profile(*self.copy, profile, list(PROFILES))
        data = campaign_data(self.campaign, self.language_code)
        if self.campaign.mark:
            data["campaign.mark"] = self.campaign.mark
        links = dict(self.campaign.links)
        palette = dict(self.campaign.palette)
        tracking: dict[str, str] | None = None
        if org is not None:
            data.update(org.data())
            links.update(org.links())
            if org.profile.accent is not None:
                palette[ORG_ACCENT] = org.profile.accent
            if org.profile.tracking.enabled:
                tracking = {
                    "utm_source": org.slug,
                    "utm_medium": "print",
                    "utm_campaign": self.campaign.id,
                }
        content = Content(texts, spans, data, links, self.language_code, palette, tracking, product)
        content.others = lambda language: self.in_language(language).content(org, product)
        content.partner_logo = org.partner_logo if org is not None else None
        return content

    def in_language(self, language: str) -> Project:
        """This project building ``language`` (one per language, kept)."""
        key = ("project", language)
        found = self.cache.get(key)
        if not isinstance(found, Project):
            found = Project(self.root, self.campaign_name, language)
            self.cache[key] = found
        return found

    @cached_property
    def font_config(self) -> FontConfig:
        path = self.assets_dir / "fonts.yaml"
        shown = self.shown(path)
        config = validate(FontConfig, load_yaml(path, shown), shown)
        configure_scripts(set(config.scripts))
        return config

    def author(self, org: Organisation | None = None) -> str:
        """The PDF author: the campaign's, led by the organisation's name when co-branded."""
        author = self.campaign.author
        return f"{org.profile.name} ({author})" if org else author

    def register_fonts(self) -> None:
        """Make every font family (and the fallback) available to ReportLab."""
        for family in self.fonts.values():
            register(family, compose=self.font_config.compose)
        chain = self.font_config.chain()
        if chain:
            register_fallbacks(chain, scripts=self.font_config.scripts)

    @property
    def fonts(self) -> dict[str, FontFamily]:
        return {alias: FontFamily(alias, name) for alias, name in self.font_config.families.items()}

    @cached_property
    def paper_sizes(self) -> dict[str, PaperSize]:
        path = self.layouts_dir / "_paper.yaml"
        shown = self.shown(path)
        data = load_yaml(path, shown)
        sizes: dict[str, PaperSize] = {}
        for name, entry in data.items():
            span = data.value_spans.get(name)
            try:
                office = entry.get("office", True)
                if not isinstance(office, bool):
                    raise ValueError(f"office must be true or false, not {office!r}")
                sizes[name] = PaperSize(
                    name,
                    positive_length(entry["width"]),
                    positive_length(entry["height"]),
                    office,
                )
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                raise error(f"paper size '{name}': {exc}", span, field=name) from None
        return sizes

    def products(self) -> list[str]:
        """Every layout that makes a product: ``layouts/*.yaml`` not starting with '_'."""
        return sorted(p.stem for p in self.layouts_dir.glob("*.yaml") if not p.name.startswith("_"))

    def layout_path(self, name: str) -> Path:
        path = self.layouts_dir / f"{name}.yaml"
        if not path.exists() and not path.is_symlink():  # a broken link or a FIFO is named
            raise error(
                f"unknown product '{name}'", hint=allowed_hint(name, self.products(), "products")
            )
        return path
