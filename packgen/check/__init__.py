"""Preflight: check PDFs for print (``packgen check``) and report per file.

``check_file`` runs the fast rules (structure, fonts, colour, sizes, safe
area) and, unless ``fast`` is set, the pixel rules (contrast, QR codes read
back from a raster). Any PDF can be checked; a packgen build's manifest adds
what only the layout knows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from packgen.check.facts import read_facts
from packgen.check.press import PRESS
from packgen.check.rules import FAST, SLOW, Finding, Level, Subject
from packgen.render.manifest import FileEntry, expectation_for


@dataclass
class FileReport:
    path: Path
    profile: str  # "press", "office" or "unknown"
    pages: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(f.level is Level.FAIL for f in self.findings)

    def as_dict(self) -> dict[str, object]:
        return {
            "file": str(self.path),
            "profile": self.profile,
            "pages": self.pages,
            "ok": self.ok,
            "findings": [
                {"check": f.check, "level": f.level.value, "message": f.message, "page": f.page}
                for f in self.findings
            ],
        }


def check_file(path: Path, fast: bool = False, expect: FileEntry | None = None) -> FileReport:
    """Preflight one PDF; ``expect`` is what the layout knows (else read from the manifest)."""
    if expect is None and path.is_file():
        expect = expectation_for(path)
    try:
        facts = read_facts(path)
    except (ValueError, OSError) as exc:
        report = FileReport(path, "unknown")
        report.findings.append(Finding("read", Level.FAIL, str(exc)))
        return report
    first = facts.pages[0] if facts.pages else None
    if expect is not None:
        press = expect.profile == "press"
    else:
        press = bool(first and first.trim and first.trim != first.media)
    report = FileReport(
        path, "press" if press else ("office" if expect else "unknown"), len(facts.pages)
    )
    if not facts.pages:
        report.findings.append(Finding("read", Level.FAIL, "the PDF has no pages"))
        return report
    subject = Subject(facts, press, expect)
    for rule in FAST + PRESS + ([] if fast else SLOW):
        try:
            report.findings.extend(rule(subject))
        except Exception as exc:  # a rule that cannot read this PDF reports, not crashes
            name = getattr(rule, "__name__", "rule")
            report.findings.append(
                Finding(name, Level.WARN, f"could not run ({type(exc).__name__}: {exc})")
            )
    return report


def pdfs_in(paths: Iterable[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(path.glob("*.pdf")))
        else:
            found.append(path)
    return found
