"""Preflight: check PDFs for print (``packgen check``) and report per file, for two audiences.

``check_file`` infers what a file is for (trim, bleed, purpose), runs the fast
rules (structure, fonts, colour, spot, transparency, overprint, sizes, safe
area) and, unless ``fast`` is set, the pixel rules (bleed at the edges,
contrast, QR codes read back from a raster); then it judges the file twice:
for an office printer and for a print shop. Any PDF can be checked; a packgen
build's manifest adds what only the layout knows.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from packgen.check.content import EVERYTHING, operators_for
from packgen.check.facts import MAX_BYTES, PdfFacts, TooBig, read_facts
from packgen.check.finding import AUDIENCES, Finding, Level, Subject
from packgen.check.intent import Intent, infer
from packgen.check.press import PRESS
from packgen.check.rules import FAST, SLOW, safe_area, text_size
from packgen.render.manifest import FileEntry, expectation_for, read_manifest

# what the layout stage checks of every run it places (layout/checks.py), at the layout's line
LAYOUT_PROVED = (safe_area, text_size)
AUDIENCE_NAMES = {"office": "an office printer", "shop": "a print shop"}


@dataclass(frozen=True)
class Verdict:
    audience: str  # "office" or "shop"
    ready: bool
    to_fix: int  # checks that fail (each may have several findings)
    warnings: int  # checks that warn

    def sentence(self) -> str:
        """ "For a print shop: not ready — 3 things to fix"."""
        head = f"For {AUDIENCE_NAMES[self.audience]}: "
        if not self.ready:
            things = "thing" if self.to_fix == 1 else "things"
            head += f"not ready — {self.to_fix} {things} to fix"
        else:
            head += "ready"
        if self.warnings:
            head += (
                f" ({self.warnings} to check)" if not self.ready else f", {self.warnings} to check"
            )
        return head

    def as_dict(self) -> dict[str, object]:
        return {
            "ready": self.ready,
            "to_fix": self.to_fix,
            "warnings": self.warnings,
            "summary": self.sentence(),
        }


@dataclass
class FileReport:
    path: Path
    profile: str  # "press", "office" or "unknown" (the manifest's, or inferred)
    pages: int = 0
    findings: list[Finding] = field(default_factory=list)
    intent: Intent | None = None
    facts: PdfFacts | None = None

    @property
    def ok(self) -> bool:
        """Ready for what the file is for (the exit code follows this)."""
        return not any(f.level is Level.FAIL for f in self.findings)

    def verdict(self, audience: str) -> Verdict:
        failing = {f.check for f in self.findings if f.level_for(audience) is Level.FAIL}
        warning = {f.check for f in self.findings if f.level_for(audience) is Level.WARN} - failing
        return Verdict(audience, not failing, len(failing), len(warning))

    def as_dict(self) -> dict[str, object]:
        return {
            "file": str(self.path),
            "profile": self.profile,
            "pages": self.pages,
            "ok": self.ok,
            "intent": self.intent.as_dict() if self.intent else None,
            "verdicts": {a: self.verdict(a).as_dict() for a in AUDIENCES},
            "findings": [
                {
                    "check": f.check,
                    "level": f.level.value,
                    "office": f.level_for("office").value,
                    "shop": f.level_for("shop").value,
                    "message": f.message,
                    "advice": f.advice,
                    "page": f.page,
                    "box": None
                    if f.box is None
                    else [round(v, 2) for v in (f.box.x0, f.box.y0, f.box.x1, f.box.y1)],
                }
                for f in self.findings
            ],
        }


def _unreadable(path: Path, message: str, advice: str = "") -> FileReport:
    report = FileReport(path, "unknown")
    report.findings.append(
        Finding(
            "read", Level.FAIL, message, advice=advice or "Ask for the PDF to be exported again."
        )
    )
    return report


def _regular(path: Path) -> str | None:
    """Why ``path`` cannot be read as a PDF file, or None (FIFOs, devices, huge files)."""
    try:
        info = os.stat(path)  # follows symlinks: a link to /dev/zero is a device
    except OSError as exc:
        return f"cannot open the file ({exc.strerror})"
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file (a device, pipe or folder), so it is not read"
    if info.st_size > MAX_BYTES:
        size, limit = info.st_size / 2**20, MAX_BYTES // 2**20
        return f"the file is {size:.0f} MB; the preflight reads at most {limit} MB"
    return None


def check_file(
    path: Path, fast: bool = False, expect: FileEntry | None = None, trusted: bool = False
) -> FileReport:
    """Preflight one PDF; ``expect`` is what the layout knows (else read from the manifest).

    ``trusted`` (a build checking what it has just written, with ``expect``) leaves out
    the rules on what the layout stage has already proved of every placed text run
    (:data:`LAYOUT_PROVED`: its size and that it lies in the safe area) and so reads no
    text runs; the checks on what the writer produced (boxes, fonts, colour operators,
    inks, overprint, PDF/X, tags, images) all run.
    """
    problem = _regular(path)
    if problem is not None:
        return _unreadable(path, problem)
    stale = False
    if expect is None:
        expect = expectation_for(path)
        stale = expect is None and path.name in read_manifest(path.parent)
    try:
        # parse what the rules that run on this file follow: the press inks run on press
        # files only, the tagging audit on the others (a reader given less re-parses)
        keep = operators_for(expect.profile == "press") if expect is not None else EVERYTHING
        facts = read_facts(path, text=not (trusted and expect is not None), keep=keep)
    except TooBig as exc:
        return _unreadable(path, str(exc), "Ask for a smaller export, or check it in parts.")
    except (ValueError, OSError) as exc:
        return _unreadable(path, str(exc))
    try:
        return _judge(path, facts, expect, stale, fast, trusted)
    finally:
        facts.close()  # the open file is not kept with the report


def _judge(
    path: Path, facts: PdfFacts, expect: FileEntry | None, stale: bool, fast: bool, trusted: bool
) -> FileReport:
    """Run the rules over one file's facts (the file open) and judge each finding."""
    if not facts.pages:
        report = FileReport(path, "unknown", facts=facts)
        report.findings.append(
            Finding("read", Level.FAIL, "the PDF has no pages", advice="Ask for the PDF again.")
        )
        return report
    intent = infer(facts.pages, expect.profile if expect is not None else None)
    press = intent.purpose == "press"
    profile = intent.purpose if expect is not None or press else "unknown"
    report = FileReport(path, profile, len(facts.pages), intent=intent, facts=facts)
    if stale:
        report.findings.append(
            Finding(
                "manifest",
                Level.WARN,
                "this file is not the one packgen build recorded here (its contents differ);"
                " checked as any PDF",
                advice="Build the pack again, or check the file came from this build.",
            )
        )
    if expect is not None and expect.profile == "office":
        twin = path.with_name(path.name.replace("-office.", "-press."))
        report.findings.append(
            Finding(
                "version",
                Level.WARN,
                "this is packgen's office version (no bleed, screen colours)",
                office=Level.PASS,
                advice=f"Give the print shop the print-shop version, {twin.name}, instead."
                if twin != path and twin.is_file()
                else "Give the print shop the print-shop (press) version instead.",
            )
        )
    subject = Subject(facts, press, expect, intent)
    rules = FAST + PRESS + ([] if fast else SLOW)
    if trusted and expect is not None:
        rules = [rule for rule in rules if rule not in LAYOUT_PROVED]
    for rule in rules:
        try:
            report.findings.extend(rule(subject))
        except MemoryError:  # a budget ran out: the caller reports it, not as a finding
            raise
        except Exception as exc:  # a rule that cannot read this PDF reports, not crashes
            name = getattr(rule, "__name__", "rule")
            report.findings.append(
                Finding(name, Level.WARN, f"could not run ({type(exc).__name__}: {exc})")
            )
    report.findings = [f.judged(intent.purpose) for f in report.findings]
    return report


def pdfs_in(paths: Iterable[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(path.glob("*.pdf")))
        else:
            found.append(path)
    return found
