"""Mutated PDFs never crash or hang the preflight: every one gets a report.

Byte flips, truncations and spliced junk over PDFs from four engines, run
through ``check_file`` (fast rules) and the pixel rules; derandomised and
bounded, so the suite stays repeatable.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from packgen.check import FileReport, check_file
from tests.products.foreign import write_all

SEEDS: dict[str, bytes] = {}


@pytest.fixture(scope="module", autouse=True)
def seeds(tmp_path_factory: pytest.TempPathFactory) -> None:
    for name, path in write_all(tmp_path_factory.mktemp("seeds")).items():
        if name != "weasyprint-rgb-near-trim.pdf":  # one large seed is enough for the rest
            SEEDS[name] = path.read_bytes()


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    name = draw(st.sampled_from(sorted(SEEDS)))
    data = bytearray(SEEDS[name])
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["flip", "cut", "splice", "digits"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if kind == "flip":
            data[at] = draw(st.integers(0, 255))
        elif kind == "cut":
            del data[at:]
            if not data:
                data = bytearray(b"%PDF-1.7\n")
        elif kind == "splice":
            junk = draw(
                st.sampled_from(
                    [
                        b"<<",
                        b">>",
                        b"[",
                        b"999999999 0 R",
                        b"/Rotate 45",
                        b"-1e308",
                        b"endobj",
                        b"/MediaBox [0 0 1e9 1e9]",
                    ]
                )
            )
            data[at:at] = junk
        else:
            data[at:at] = str(draw(st.integers(-(10**12), 10**12))).encode()
    return bytes(data)


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=mutated(), fast=st.booleans())
def test_a_mutated_pdf_gets_a_report(tmp_path: Path, data: bytes, fast: bool) -> None:
    path = tmp_path / "mutated.pdf"
    path.write_bytes(data)
    report = check_file(path, fast=fast)
    assert isinstance(report, FileReport)
    assert report.findings, "every report says something"
    assert all(f.message for f in report.findings)
    assert not any(f.message.startswith("could not run (MemoryError") for f in report.findings)
