"""Font families from ``assets/fonts.yaml`` registered with ReportLab, once.

Families come from PyPI font packages (via ``fontpkg``), never downloaded at
run time. TrueType fonts are embedded as subsets by ReportLab.
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import fontpkg
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from packgen.errors import PackgenError, Span, error
from packgen.resolve.compose import composed

VARIANTS: dict[str, tuple[int, str]] = {
    "": (400, "normal"),
    "-Bold": (700, "normal"),
    "-Italic": (400, "italic"),
    "-BoldItalic": (700, "italic"),
}

_registered: dict[str, tuple[str, str]] = {}  # alias -> (fontpkg family, composed letters)
_generation = [0]  # counts changes to the registered faces (see ``generation``)


def generation() -> int:
    """A number that changes whenever a face is registered or the script fallbacks change,
    so a measurement kept under it is never reused with other fonts."""
    return _generation[0]


@dataclass(frozen=True)
class FontFamily:
    alias: str  # the name layouts use, e.g. "sans"
    package_family: str  # fontpkg family name, e.g. "Atkinson Hyperlegible"


def face_name(alias: str, bold: bool, italic: bool) -> str:
    suffix = "-Bold" * bold + "-Italic" * italic
    return f"{alias}{suffix.replace('-Bold-Italic', '-BoldItalic')}"


def register(family: FontFamily, span: Span | None = None, compose: str = "") -> None:
    """Register the four faces of ``family`` under its alias (idempotent).

    ``compose`` lists accented letters to build from the family's own base
    letter and combining mark where it lacks them (``compose.py``).
    """
    if _registered.get(family.alias) == (family.package_family, compose):
        return
    paths: dict[str, Path] = {}
    try:
        for suffix, (weight, style) in VARIANTS.items():
            installed = Path(fontpkg.path(family.package_family, weight, style))
            paths[suffix] = composed(installed, compose)
    except fontpkg.FontpkgError as exc:
        raise error(
            f"font family '{family.package_family}' is not installed ({exc})",
            span,
            hint="add its fontpkg-… package to pyproject.toml and reinstall",
        ) from None
    for suffix, path in paths.items():
        pdfmetrics.registerFont(TTFont(f"{family.alias}{suffix}", str(path)))
    names = {suffix: f"{family.alias}{suffix}" for suffix in VARIANTS}
    pdfmetrics.registerFontFamily(
        family.alias,
        normal=names[""],
        bold=names["-Bold"],
        italic=names["-Italic"],
        boldItalic=names["-BoldItalic"],
    )
    addMapping(family.alias, 0, 0, names[""])
    _registered[family.alias] = (family.package_family, compose)
    _generation[0] += 1
    for name in names.values():
        _covered.pop(name, None)


FALLBACK = "fallback"  # the registered name of the first fallback's regular face
_fallbacks: list[str] = []  # fontpkg families, in the order they are tried
_unread: dict[str, Path] = {}  # fallback faces found but not read yet (name -> file)
_reading = threading.Lock()


def fallback_face(index: int, bold: bool, italic: bool) -> str:
    """The registered name of a fallback family's face (the first one is ``fallback``)."""
    base = FALLBACK if index == 0 else f"{FALLBACK}{index + 1}"
    return face_name(base, bold, italic) if (bold or italic) else base


def _instance(path: Path, weight: int) -> Path:
    """A static instance of a variable font at ``weight``, made once and kept in a cache.

    Variable font packages ship one file for every weight; ReportLab embeds its
    default (regular) outlines, so bold needs an instance of its own.
    """
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "packgen" / "fonts"
    stat = path.stat()
    target = cache / f"{path.stem}-w{weight}-{stat.st_size}-{int(stat.st_mtime)}.ttf"
    if target.exists():
        return target  # made before: fontTools is not even imported (a cold start's 0.2 s)
    from fontTools.ttLib import TTFont as ToolsFont
    from fontTools.varLib.instancer import instantiateVariableFont

    font = ToolsFont(str(path))
    if "fvar" not in font:
        return path
    axes = {axis.axisTag: axis.defaultValue for axis in font["fvar"].axes}
    axes["wght"] = float(weight)
    static = instantiateVariableFont(font, axes, updateFontNames=False)
    # a face name of its own, so the PDF (and its ToUnicode map) tells the weights apart
    name = static["name"]
    family = (name.getDebugName(6) or path.stem).split("-")[0]
    for record in list(name.names):
        if record.nameID == 6:
            record.string = f"{family}-W{weight}"
    cache.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(f".{os.getpid()}.tmp")
    static.save(str(temporary))
    os.replace(temporary, target)  # atomic: another build may be making the same one
    return target


def _face_path(family: str, weight: int, style: str, span: Span | None) -> Path:
    try:
        path = fontpkg.path(family, weight, style, nearest=True)
        if weight != 400:
            regular = fontpkg.path(family, 400, style, nearest=True)
            if regular == path:  # one variable file for every weight
                return _instance(path, weight)
        return Path(path)
    except fontpkg.FontpkgError as exc:
        raise error(
            f"fallback font family '{family}' is not installed ({exc})",
            span,
            hint="add its fontpkg-… package to pyproject.toml and reinstall",
        ) from None


_script_family: dict[str, int] = {}  # script name -> index of the fallback that sets it


def register_fallbacks(
    families: list[str], span: Span | None = None, scripts: dict[str, str] | None = None
) -> None:
    """Register every weight of each fallback family, tried in this order (idempotent).

    ``scripts`` names the family that sets each script that needs shaping: a
    word in that script is set in it first (another family that happens to
    cover it may shape it differently).
    """
    chosen = {
        script: families.index(family)
        for script, family in (scripts or {}).items()
        if family in families
    }
    if chosen != _script_family:
        _script_family.clear()
        _script_family.update(chosen)
        _generation[0] += 1
    if _fallbacks == families:
        return
    for index, family in enumerate(families):
        for suffix, (weight, style) in VARIANTS.items():
            try:
                path = _face_path(family, weight, style, span)
            except PackgenError:
                if style == "italic":  # no italic: the upright face of that weight
                    path = _face_path(family, weight, "normal", span)
                else:
                    raise
            name = fallback_face(index, "Bold" in suffix, "Italic" in suffix)
            _covered.pop(name, None)
            if name in pdfmetrics.getRegisteredFontNames():  # another chain's face: replace now
                pdfmetrics.registerFont(TTFont(name, str(path)))
                _unread.pop(name, None)
            else:  # read (16 TrueType files) when a text first needs it: _coverage
                _unread[name] = path
    _fallbacks[:] = families
    _generation[0] += 1


def register_fallback(package_family: str, span: Span | None = None) -> None:
    """One fallback family (kept for callers that have one)."""
    register_fallbacks([package_family], span)


def _coverage(face: str) -> frozenset[int]:
    """The characters ``face`` has; a fallback face is read and registered on first use."""
    cached = _covered.get(face)
    if cached is None:
        with _reading:  # one reader per face, even from threads
            unread = _unread.pop(face, None)
            if unread is not None:
                pdfmetrics.registerFont(TTFont(face, str(unread)))
        font = pdfmetrics.getFont(face)
        cached = _covered[face] = frozenset(getattr(font.face, "charToGlyph", {}))
    return cached


_covered: dict[str, frozenset[int]] = {}
_TAG_OR_ENTITY = re.compile(r"(<[^>]*>|&[#A-Za-z0-9]+;)")
_WORD = re.compile(r"(\s+)")
_COMPLEX = re.compile("[\u0590-\u0dff\u0e00-\u0fff\u1000-\u109f\ufb1d-\ufdff\ufe70-\ufeff]")


def _weight_of(face: str) -> tuple[bool, bool]:
    return "Bold" in face, "Italic" in face


def _preferred(word: str, bold: bool, italic: bool) -> list[tuple[str, frozenset[int]]]:
    """The face configured for the script of ``word`` (``scripts:`` in fonts.yaml), if any."""
    from packgen.resolve.scripts import script_names

    names = script_names(word)
    found = []
    for script in names:
        index = _script_family.get(script)
        if index is not None:
            name = fallback_face(index, bold, italic)
            found.append((name, _coverage(name)))
    return found


def with_fallback(markup: str, face: str) -> tuple[str, str]:
    """Set the characters ``face`` lacks in the first fallback family that has them.

    The fallback face has the weight and slant of ``face`` (bold stays bold).
    A word in a script that needs shaping is set whole in one font (the first
    that covers all of it), since shaping works on runs of one font.
    Returns the new markup and the characters no registered font can print.
    """
    primary = _coverage(face)
    if primary.issuperset(map(ord, markup.replace("\n", ""))):  # every character but breaks
        return markup, ""
    style_bold, style_italic = _weight_of(face)
    bold, italic = style_bold, style_italic
    missing = ""
    parts = _TAG_OR_ENTITY.split(markup)
    for index, part in enumerate(parts):
        if index % 2 == 1:  # a tag or an entity: follow <b> and <i>
            tag = part.lower()
            if tag in ("<b>", "<strong>"):
                bold = True
            elif tag in ("</b>", "</strong>"):
                bold = style_bold
            elif tag in ("<i>", "<em>"):
                italic = True
            elif tag in ("</i>", "</em>"):
                italic = style_italic
            continue
        chain = [(face, primary)] + [
            (name, _coverage(name))
            for name in (fallback_face(i, bold, italic) for i in range(len(_fallbacks)))
        ]
        out = []
        for word in _WORD.split(part):
            if word.isspace() or not word:
                out.append(word)
                continue
            if _COMPLEX.search(word):
                preferred = _preferred(word, bold, italic)
                whole = next(
                    (n for n, c in preferred + chain if all(ord(ch) in c for ch in word)), None
                )
                if whole is not None:
                    out.append(word if whole == face else f'<font name="{whole}">{word}</font>')
                    continue
            for ch in word:
                if ord(ch) in primary:
                    out.append(ch)
                    continue
                name = next((n for n, c in chain[1:] if ord(ch) in c), None)
                if name is None:
                    out.append(ch)
                    missing += ch
                else:
                    out.append(f'<font name="{name}">{ch}</font>')
        parts[index] = "".join(out)
    return "".join(parts), missing


def text_width(text: str, alias: str, size: float, bold: bool = False) -> float:
    return float(pdfmetrics.stringWidth(text, face_name(alias, bold, False), size))
