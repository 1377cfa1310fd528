"""Fuzzing: mutated layouts, copy, organisation profiles and SVG logos never break packgen.

Hypothesis mutates the seed files in ``fixtures/fuzz/`` (hostile values put in
place of values, lines inserted, deleted or cut, bytes inserted) and builds
each result. Whatever the input, the build must end with exit 0 or 1 (never
3, the code of a bug), without a traceback, within a time budget (a hang
fails the test), and leave no partial file: every PDF in the output folder is
listed in its manifest with its sha256, and no temporary file is left.

Derandomised, with a fixed number of examples per test, so every run tries
the same inputs; a new failure found here belongs in ``fixtures/hostile/``.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import signal
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from packgen.cli import main
from tests.conftest import FIXTURES, ROOT

SEEDS = FIXTURES / "fuzz"
HANG = 60  # seconds: one build of a tiny layout taking longer than this is a hang
FUZZ = settings(
    max_examples=30,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

YAML_VALUES = [
    ".nan",
    "-.inf",
    "0pt",
    "-3mm",
    "0mm",
    "1e400pt",
    "99999999mm",
    "0.0001pt",
    "12",
    "&a x",
    "*a",
    "!!python/object/apply:os.system [id]",
    "!!binary '%%%'",
    "!!int abc",
    "!custom x",
    "2024-02-30",
    "<<",
    "[",
    "{",
    "}",
    "]",
    "''",
    '"',
    "~",
    "true",
    "[A4, A3]",
    "{}",
    "[]",
    "x" * 3000,
    "\u202e",
    "\x00",
    "\t",
    "?",
    "|",
    ">",
    "- -",
    "A99",
    "#",
    "%",
    "@",
    "`",
    "=",
    "https://good.org@evil.example",
    "https://x.org:99999/",
    "https://\u0440\u0430\u0443\u0440\u0430l.com",
    "javascript:alert(1)",
    "https://" + "a" * 400 + ".org",
    "{campaign.nope}",
    "**",
    "\\",
    "[" * 60,
    "{a: " * 50,
    "\u0645\u0631\u0643\u0632",
    "\u6771\u4eac",
    "\U0001f476",
    "0114 496 0000",
    "#1C8DC7",
]
SVG_VALUES = [
    "0",
    "-1",
    "nan",
    "inf",
    "1e308",
    "1e-308",
    "0 0 0 0",
    "0 0 inf inf",
    "0 0 -5 10",
    "../secret/secret.svg#x",
    "data:image/png;base64,AAAA",
    "http://example.org/x.png",
    "#nowhere",
    "",
    "M",
    "M0 0" + " L1 1" * 500,
    "url(http://example.org/x)",
    "&amp;",
    "<",
    "rotate(nan)",
    "scale(1e300)",
    "matrix(0 0 0 0 0 0)",
    "1e9",
    "red",
    "#zzz",
]
SVG_ELEMENTS = [
    '<use href="../secret/secret.svg#x"/>',
    '<image href="data:image/png;base64,AAAA" width="9" height="9"/>',
    '<image href="other.png" width="9" height="9"/>',
    '<style>@import url("http://example.org/a.css");</style>',
    "<g>" * 80 + "</g>" * 80,
    '<rect width="1" height="1"/>' * 500,
    '<text x="0" y="9">\u202e\U0001f476</text>',
    "<!-- -->",
    '<path d="' + "M0 0 " * 3000 + '"/>',
    "</svg>",
    "<svg>",
    "&lol;",
]

mutation = st.one_of(
    st.tuples(st.just("value"), st.integers(0, 80), st.sampled_from(YAML_VALUES)),
    st.tuples(st.just("value"), st.integers(0, 80), st.text(max_size=12)),
    st.tuples(st.just("line"), st.integers(0, 40), st.sampled_from(YAML_VALUES)),
    st.tuples(st.just("delete"), st.integers(0, 40), st.just("")),
    st.tuples(st.just("cut"), st.integers(0, 4000), st.just("")),
    st.tuples(st.just("insert"), st.integers(0, 4000), st.text(max_size=6)),
)
svg_mutation = st.one_of(
    st.tuples(st.just("value"), st.integers(0, 30), st.sampled_from(SVG_VALUES)),
    st.tuples(st.just("element"), st.integers(0, 6), st.sampled_from(SVG_ELEMENTS)),
    st.tuples(st.just("cut"), st.integers(0, 600), st.just("")),
    st.tuples(st.just("insert"), st.integers(0, 600), st.text(max_size=6)),
)
VALUE = re.compile(r"(?<=: )[^,{}\[\]\n]+")
ATTRIBUTE = re.compile(r'(?<==")[^"]*')


def mutate(text: str, changes: list[tuple[str, int, str]], pattern: re.Pattern[str]) -> str:
    for kind, index, payload in changes:
        if kind == "value":
            spots = list(pattern.finditer(text))
            if spots:
                spot = spots[index % len(spots)]
                text = text[: spot.start()] + payload + text[spot.end() :]
        elif kind in ("line", "delete", "element"):
            lines = text.split("\n")
            where = index % (len(lines) + 1)
            if kind == "delete" and lines:
                del lines[where % len(lines)]
            else:
                lines.insert(where, payload if kind == "element" else f"  {payload}")
            text = "\n".join(lines)
        elif kind == "cut":
            text = text[: index % (len(text) + 1)]
        else:
            where = index % (len(text) + 1)
            text = text[:where] + payload + text[where:]
    return text


class Hang(Exception):
    pass


@contextmanager
def budget(seconds: int) -> Iterator[None]:
    def stop(signum: int, frame: FrameType | None) -> None:
        raise Hang(f"no result after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project copy with the seed layout and copy, and an organisation folder."""
    root = tmp_path_factory.mktemp("fuzz")
    for folder in ("layouts", "assets"):
        shutil.copytree(ROOT / folder, root / "project" / folder)
    shutil.copy(SEEDS / "layout.yaml", root / "project" / "layouts" / "fuzz.yaml")
    copy = root / "project" / "assets" / "campaigns" / "imhaw-2024" / "copy" / "en-GB"
    shutil.copy(SEEDS / "copy.yaml", copy / "fuzz.yaml")
    (root / "org").mkdir()
    for name in ("profile.yaml", "logo.svg"):
        shutil.copy(SEEDS / name, root / "org" / name)
    (root / "secret").mkdir()
    (root / "secret" / "secret.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><rect id="x" width="5" height="5"/></svg>'
    )
    return root


def run_build(workspace: Path, capsys: pytest.CaptureFixture[str], org: Path | None = None) -> int:
    """Build the fuzz product, check it left nothing partial, and give its exit code."""
    out = Path(tempfile.mkdtemp(dir=workspace, prefix="out-"))
    args = ["build", "--project", str(workspace / "project"), "--only", "fuzz"]
    args += ["--out", str(out), "--profile", "office"]
    if org is not None:
        args += ["--org", str(org)]
    with budget(HANG):
        code = main(args)
    captured = capsys.readouterr()
    assert code in (0, 1), captured.err
    assert "Traceback" not in captured.err and "internal error" not in captured.err
    assert not list(out.glob(".*.tmp")), "a temporary file was left"
    pdfs = {p.name: p for p in out.glob("*.pdf")}
    if code == 0:
        assert pdfs, "exit 0 but nothing built"
    if pdfs:
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        listed = {entry["file"]: entry["sha256"] for entry in manifest["files"]}
        assert set(pdfs) == set(listed)
        for name, path in pdfs.items():
            assert hashlib.sha256(path.read_bytes()).hexdigest() == listed[name]
    shutil.rmtree(out)
    return code


@FUZZ
@given(changes=st.lists(mutation, min_size=1, max_size=3))
def test_fuzz_layouts(
    workspace: Path, capsys: pytest.CaptureFixture[str], changes: list[tuple[str, int, str]]
) -> None:
    text = mutate((SEEDS / "layout.yaml").read_text(encoding="utf-8"), changes, VALUE)
    (workspace / "project" / "layouts" / "fuzz.yaml").write_text(text, encoding="utf-8")
    assert run_build(workspace, capsys) in (0, 1)


@FUZZ
@given(changes=st.lists(mutation, min_size=1, max_size=3))
def test_fuzz_copy(
    workspace: Path, capsys: pytest.CaptureFixture[str], changes: list[tuple[str, int, str]]
) -> None:
    (workspace / "project" / "layouts" / "fuzz.yaml").write_text(
        (SEEDS / "layout.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    text = mutate((SEEDS / "copy.yaml").read_text(encoding="utf-8"), changes, VALUE)
    copy = workspace / "project" / "assets" / "campaigns" / "imhaw-2024" / "copy" / "en-GB"
    (copy / "fuzz.yaml").write_text(text, encoding="utf-8")
    try:
        assert run_build(workspace, capsys) in (0, 1)
    finally:
        shutil.copy(SEEDS / "copy.yaml", copy / "fuzz.yaml")


@FUZZ
@given(changes=st.lists(mutation, min_size=1, max_size=3))
def test_fuzz_profiles(
    workspace: Path, capsys: pytest.CaptureFixture[str], changes: list[tuple[str, int, str]]
) -> None:
    (workspace / "project" / "layouts" / "fuzz.yaml").write_text(
        (SEEDS / "layout.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    text = mutate((SEEDS / "profile.yaml").read_text(encoding="utf-8"), changes, VALUE)
    profile = workspace / "org" / "profile.yaml"
    profile.write_text(text, encoding="utf-8")
    assert run_build(workspace, capsys, profile) in (0, 1)


@FUZZ
@given(changes=st.lists(svg_mutation, min_size=1, max_size=3))
def test_fuzz_svg_logos(
    workspace: Path, capsys: pytest.CaptureFixture[str], changes: list[tuple[str, int, str]]
) -> None:
    (workspace / "project" / "layouts" / "fuzz.yaml").write_text(
        (SEEDS / "layout.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    svg = mutate((SEEDS / "logo.svg").read_text(encoding="utf-8"), changes, ATTRIBUTE)
    name = f"logo-{hashlib.sha256(svg.encode()).hexdigest()[:12]}.svg"  # a new file each time
    (workspace / "org" / name).write_text(svg, encoding="utf-8")
    seed = (SEEDS / "profile.yaml").read_text(encoding="utf-8")
    profile = workspace / "org" / "profile.yaml"
    profile.write_text(seed.replace("logo: logo.svg", f"logo: {name}"), encoding="utf-8")
    assert run_build(workspace, capsys, profile) in (0, 1)
