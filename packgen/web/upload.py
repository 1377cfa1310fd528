"""The personalise form: submitted fields and a logo into a checked profile, or field errors.

Nothing a visitor sends is trusted. Text fields are trimmed and held to
length limits before the engine sees them; the profile is then validated by
the engine's own :class:`~packgen.resolve.org.OrgProfile` (http(s) URLs only, phone
and e-mail shapes, no control characters). The logo is judged by its bytes:
PNG, JPEG or SVG, within the byte limit, through the engine's decompression-
bomb guard (:func:`packgen.resolve.assets.load_asset`); an SVG may not declare a
document type or refer to any file or picture outside itself, since it is
drawn by a renderer that would otherwise follow such links.

Web addresses given without a scheme (``www.example.org``) are completed
with ``https://``. The choice of products, sizes and versions is read against
what the portal offers (:mod:`packgen.web.choice`); anything else is ignored.

Logos are kept in a content-addressed store (``<sha256>.<ext>``), so a form
sent back with an error in another field keeps its logo (``logo_ref``). The
store is bounded in count and in bytes.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from packgen.errors import PackgenError
from packgen.render.write import write_atomic
from packgen.resolve.assets import load_asset
from packgen.resolve.assets import svg_problem as svg_safety
from packgen.resolve.org import MAX_NAME, Organisation, OrgProfile, load_org_text
from packgen.source.load import parse_yaml
from packgen.source.validate import validate
from packgen.web.choice import Choice, Offer
from packgen.web.pages import PageCopy, human_bytes

MAX_LOGO = 5 * 1024 * 1024  # bytes
LOGO = "logo"
GENERAL = "_form"  # errors that concern no one field
_DIGEST = re.compile(r"^[0-9a-f]{64}$")
# a web address without a scheme: host name with a dot, optional port and path
_BARE_HOST = re.compile(r"^(?![\w+.-]+:(?!\d))[\w-]+(\.[\w-]+)+(:\d{1,5})?([/?#]\S*)?$")
CHOICES = ("products", "kit", "sizes", "profiles", "languages")


@dataclass(frozen=True)
class FormField:
    name: str  # the HTML form field
    path: str  # the field in an organisation profile (dotted)
    limit: int  # characters
    required: bool
    kind: str  # the <input> type
    autocomplete: str


FIELDS = (
    FormField("name", "name", MAX_NAME, True, "text", "organization"),
    FormField("website", "website", 200, True, "url", "url"),
    FormField("support_name", "support.name", MAX_NAME, True, "text", "off"),
    FormField("support_url", "support.url", 200, True, "url", "off"),
    FormField("support_phone", "support.phone", 30, True, "tel", "off"),
)
# No e-mail address is asked for: no layout prints one (organisation profiles may still
# give support.email for layouts that do).
BY_PATH = {f.path: f.name for f in FIELDS}
ORDER = ("name", LOGO, "website", "support_name", "support_url", "support_phone", *CHOICES)


@dataclass(frozen=True)
class Logo:
    digest: str  # sha256 of the bytes
    ext: str  # png, jpg or svg
    filename: str  # as uploaded (shown only, escaped)
    path: Path

    @property
    def stored(self) -> str:
        return f"{self.digest}.{self.ext}"


@dataclass
class FormResult:
    values: dict[str, str]
    errors: dict[str, list[str]] = field(default_factory=dict)
    logo: Logo | None = None
    org: Organisation | None = None
    choice: Choice | None = None
    files: list[tuple[str, str, str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and self.org is not None

    def add(self, name: str, message: str) -> None:
        messages = self.errors.setdefault(name, [])
        if message not in messages:
            messages.append(message)


def sniff(data: bytes) -> str | None:
    """``png``, ``jpg`` or ``svg`` by the first bytes; None for anything else."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    head = data[:4096].lstrip(b"\xef\xbb\xbf").lstrip()
    if head.startswith(b"<?xml") or head.startswith(b"<svg") or b"<svg" in head:
        return "svg"
    return None


def svg_problem(data: bytes) -> str | None:
    """The copy key of what makes an uploaded SVG unsafe to draw, or None.

    The check itself is the engine's (:func:`packgen.resolve.assets.svg_problem`),
    shared with the CLI and batch; its size limits are reported by ``load_asset``.
    """
    found = svg_safety(data)
    if found is None or found[0] == "limits":
        return None
    return f"errors.logo_svg_{found[0]}"


class LogoStore:
    """Uploaded logos by content, checked once, in one folder of at most ``keep`` files."""

    def __init__(self, folder: Path, keep: int = 1000, max_bytes: int = 200 * 1024**2) -> None:
        self.folder = folder
        self.keep = keep
        self.max_bytes = max_bytes

    def _evict(self, adding: int = 0) -> None:
        """Room for one more file of ``adding`` bytes: the oldest go first."""
        found = []
        for path in self.folder.glob("*"):
            try:
                info = path.stat()
            except OSError:
                continue
            found.append((info.st_mtime, info.st_size, path))
        found.sort()
        count, total = len(found), sum(size for _, size, _ in found)
        for _, size, path in found:
            if count < self.keep and total + adding <= self.max_bytes:
                break
            path.unlink(missing_ok=True)
            count, total = count - 1, total - size

    def find(self, digest: str, filename: str) -> Logo | None:
        """A logo uploaded before (``logo_ref``); only a well-formed digest is looked up."""
        if not _DIGEST.match(digest):
            return None
        for ext in ("png", "jpg", "svg"):
            path = self.folder / f"{digest}.{ext}"
            if path.is_file():
                return Logo(digest, ext, filename[:200], path)
        return None

    def add(self, data: bytes, filename: str, copy: PageCopy, result: FormResult) -> Logo | None:
        """Check ``data`` and keep it; on a problem, add it to ``result`` under the logo."""
        if len(data) > MAX_LOGO:
            result.add(LOGO, copy.text("errors.logo_too_large", limit=human_bytes(MAX_LOGO)))
            return None
        ext = sniff(data)
        if ext is None:
            result.add(LOGO, copy.text("errors.logo_type"))
            return None
        if ext == "svg" and (problem := svg_problem(data)):
            result.add(LOGO, copy.text(problem))
            return None
        digest = hashlib.sha256(data).hexdigest()
        logo = Logo(digest, ext, filename[:200], self.folder / f"{digest}.{ext}")
        if not logo.path.is_file():
            if self.folder.is_dir():
                self._evict(len(data))
            write_atomic(logo.path, data)
        try:
            load_asset(self.folder, logo.stored, None, what="logo")
        except PackgenError as exc:
            logo.path.unlink(missing_ok=True)
            for diagnostic in exc.diagnostics:
                shown = f"'{logo.filename}'" if logo.filename else "the file"
                result.add(LOGO, diagnostic.message.replace(f"'{logo.stored}'", shown))
            return None
        return logo


def profile_yaml(values: dict[str, str], logo: str) -> str:
    """The form as an organisation profile (YAML text), for the engine's validator."""
    profile: dict[str, object] = {"name": values["name"], "logo": logo}
    profile["website"] = values["website"]
    support: dict[str, str] = {
        "name": values["support_name"],
        "url": values["support_url"],
        "phone": values["support_phone"],
    }
    if values.get("support_email"):
        support["email"] = values["support_email"]
    profile["support"] = support
    return yaml.safe_dump(profile, allow_unicode=True, sort_keys=False)


def spec_limit(name: str) -> int:
    return next(f.limit for f in FIELDS if f.name == name)


def check_choice(
    ticked: dict[str, list[str]] | None, offer: Offer, copy: PageCopy, result: FormResult
) -> None:
    """The products, sizes, versions and language ticked (``None``: the defaults)."""
    default = offer.default()
    if ticked is None:
        choice = default
    else:

        def pick(name: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
            wanted = set(ticked.get(name, []))
            return tuple(value for value in allowed if value in wanted)

        codes = tuple(option.code for option in offer.languages)
        choice = Choice(
            pick("products", tuple(offer.products)),
            pick("sizes", offer.sizes),
            pick("profiles", offer.versions),
            pick("languages", codes) or default.languages,
            pick("kit", tuple(offer.kit)),
        )
    result.choice = choice
    if not choice.products and not choice.kit:
        result.add("products", copy.text("errors.products_none"))
    if choice.products and not choice.profiles:
        result.add("profiles", copy.text("errors.profiles_none"))
    several = any(len(offer.products[p]) > 1 for p in choice.products)
    if several and not choice.sizes:
        result.add("sizes", copy.text("errors.sizes_none"))
    if result.errors.keys() & {"products", "profiles", "sizes"}:
        return
    result.files = offer.files(choice)
    if choice.products and not any(f[3] != "screen" for f in result.files):
        shop_only = [s for s in choice.sizes if s not in offer.office_sizes]
        result.add("sizes", copy.text("errors.press_only", sizes=" and ".join(shop_only)))


def check_form(
    raw: dict[str, str],
    upload: tuple[bytes, str] | None,
    logo_ref: tuple[str, str] | None,
    store: LogoStore,
    copy: PageCopy,
    offer: Offer | None = None,
    ticked: dict[str, list[str]] | None = None,
) -> FormResult:
    """Every problem with a submitted form, by field; the organisation when there are none."""
    values = {f.name: " ".join((raw.get(f.name) or "").split()) for f in FIELDS}
    result = FormResult(values)
    for spec in FIELDS:
        value = values[spec.name]
        if spec.kind == "url" and _BARE_HOST.match(value):
            values[spec.name] = value = "https://" + value
        if not value and spec.required:
            key = f"errors.required_{spec.name}"
            result.add(spec.name, copy.text(key if copy.has(key) else "errors.required"))
        elif len(value) > spec.limit:
            result.add(spec.name, copy.text("errors.too_long", count=len(value), limit=spec.limit))
            values[spec.name] = value[: spec.limit * 2]  # what is shown back stays bounded
    if upload is not None and upload[0]:
        result.logo = store.add(upload[0], upload[1], copy, result)
    elif logo_ref is not None:
        result.logo = store.find(*logo_ref)
    if result.logo is None and LOGO not in result.errors:
        result.add(LOGO, copy.text("errors.logo_missing"))
    if offer is not None:
        check_choice(ticked, offer, copy, result)
    if any(name in values and len(values[name]) > spec_limit(name) for name in result.errors):
        return result  # the engine is never given oversized text
    text = profile_yaml(values, result.logo.stored if result.logo else "logo.png")
    try:
        if result.logo is None:
            validate(OrgProfile, parse_yaml(text, "form"), "form")
        else:
            result.org = load_org_text(text, store.folder, "form")
    except PackgenError as exc:
        for diagnostic in exc.diagnostics:
            name = BY_PATH.get(diagnostic.field or "", LOGO if diagnostic.field == LOGO else "")
            if name and name in result.errors:
                continue  # already told (an empty field), or the logo's own check
            result.add(name or GENERAL, diagnostic.message)
        result.org = None
    if result.errors:
        result.org = None
    return result
