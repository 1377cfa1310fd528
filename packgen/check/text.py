"""File reports into plain-words lines for a terminal: what the file is, two verdicts, each finding.

Each finding is shown once, marked for both audiences (``ok``, ``check`` or
``FIX``), with what to ask the designer for under the findings of one check.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby

from packgen.check import FileReport
from packgen.check.finding import Finding, Level

MARK = {Level.PASS: "ok", Level.WARN: "check", Level.FAIL: "FIX"}
SHOWN_PER_CHECK = 5


def _where(finding: Finding) -> str:
    return f" (page {finding.page})" if finding.page else ""


def _flagged(finding: Finding) -> bool:
    return any(finding.level_for(a) is not Level.PASS for a in ("office", "shop"))


def lines(report: FileReport) -> Iterator[str]:
    verdict = "ok" if report.ok else "FAILED"
    pages = f"{report.pages} page" + ("s" if report.pages != 1 else "")
    yield f"{report.path}  {report.profile}, {pages}: {verdict}"
    if report.intent is not None:
        yield f"  {report.intent.describe()}"
    for audience in ("office", "shop"):
        yield f"  {report.verdict(audience).sentence()}"
    yield "  office shop   check"
    for check, group in groupby(report.findings, key=lambda f: f.check):
        findings = list(group)
        for finding in findings[:SHOWN_PER_CHECK]:
            office = MARK[finding.level_for("office")]
            shop = MARK[finding.level_for("shop")]
            yield f"  {office:6} {shop:6} {check:12} {finding.message}{_where(finding)}"
        if len(findings) > SHOWN_PER_CHECK:
            yield f"  {'':6} {'':6} {'':12} … and {len(findings) - SHOWN_PER_CHECK} more"
        flagged = [f for f in findings if _flagged(f)]
        advice = next((f.advice for f in flagged if f.advice), "")
        if advice:
            yield f"  {'':6} {'':6} {'':12} → {advice}"
