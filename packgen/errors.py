"""Diagnostics: what went wrong, where, and what is allowed instead.

The library never prints. It raises :class:`PackgenError` (a ``ValueError``)
carrying one or more :class:`Diagnostic` objects; the CLI turns them into
compiler-style lines and an exit code.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


@dataclass(frozen=True)
class Span:
    """A place in a source file (1-based line and column)."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.file
        if self.column <= 0:
            return f"{self.file}:{self.line}"
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Diagnostic:
    message: str
    span: Span | None = None
    hint: str | None = None
    severity: Severity = Severity.ERROR
    field: str | None = None

    def format(self) -> str:
        if self.severity is Severity.NOTE and self.span is None:
            return f"  note: {self.message}"
        where = f"{self.span}: " if self.span else ""
        what = f"{self.field}: " if self.field else ""
        text = f"{where}{self.severity.value}: {what}{self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


@dataclass
class PackgenError(ValueError):
    """A user-facing failure; carries every diagnostic found before failing."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def __init__(self, diagnostics: Diagnostic | Iterable[Diagnostic]) -> None:
        if isinstance(diagnostics, Diagnostic):
            diagnostics = [diagnostics]
        self.diagnostics = list(diagnostics)
        super().__init__(self.format())

    def format(self) -> str:
        return "\n".join(d.format() for d in self.diagnostics)

    def __str__(self) -> str:
        return self.format()

    def __hash__(self) -> int:
        return id(self)


def error(
    message: str,
    span: Span | None = None,
    hint: str | None = None,
    field: str | None = None,
) -> PackgenError:
    return PackgenError(Diagnostic(message, span, hint, Severity.ERROR, field))


def suggest(found: str, allowed: Iterable[str]) -> str | None:
    """A "did you mean" hint for a misspelt name, or None."""
    names = list(allowed)
    matches = difflib.get_close_matches(found, names, n=1, cutoff=0.6)
    if not matches:
        lowered = found.lower()
        matches = [
            n
            for n in names
            if len(n) > 1 and (lowered.startswith(n.lower()) or n.lower().startswith(lowered))
        ]
    return f"did you mean '{matches[0]}'?" if matches else None


def allowed_hint(found: str, allowed: Sequence[str], noun: str = "values") -> str:
    """Hint listing what is allowed, led by a suggestion when one is close."""
    names = sorted(allowed)
    listing = ", ".join(names) if len(names) <= 12 else ", ".join(names[:12]) + ", …"
    guess = suggest(found, names)
    known = f"known {noun} are {listing}" if names else f"no {noun} are defined"
    return f"{guess} {known}" if guess else known


def relative(path: Path, root: Path | None) -> str:
    """A path as shown in messages: relative to the project root when inside it.

    A symbolic link is shown by its own name, not by where it points.
    """
    if root is not None:
        plain = Path(os.path.normpath(path.absolute()))
        base = Path(os.path.normpath(root.absolute()))
        if plain.is_relative_to(base):
            return str(plain.relative_to(base))
        try:
            return str(path.resolve().relative_to(root.resolve()))
        except (ValueError, OSError, RuntimeError):  # outside the root, or a looping link
            pass
    return str(path)


class BudgetExceeded(Exception):
    """A build of untrusted input used up its time or memory budget."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint
