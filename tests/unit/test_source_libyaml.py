"""libyaml's C parser (the fast path) gives exactly what PyYAML's Python parser gives.

``parse_yaml`` reads text with libyaml when its guard says libyaml agrees, and
with PyYAML otherwise and for every message. These tests parse the same text
both ways (the Python path forced by turning the fast path off) and compare
everything a later stage can see: values, types, the line and column of every
key and value, and for refused text the whole message with its position.
The repository's own YAML files are compared, then derandomised mutations of
the fuzz seeds with the characters where YAML parsers are known to differ.
"""

from __future__ import annotations

import itertools
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from packgen.errors import PackgenError
from packgen.source import load
from packgen.source.load import SourceDict, SourceList, parse_yaml

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "tests" / "fixtures" / "fuzz"
pytestmark = pytest.mark.skipif(not load._FAST, reason="PyYAML without libyaml")


def _files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "*.yaml", "*.yml"], cwd=REPO, capture_output=True, text=True
    ).stdout.split()
    return [REPO / name for name in listed] or sorted(REPO.glob("packgen/**/*.yaml"))


def _seen(data: Any) -> Any:
    """Everything a later stage can read from a parsed tree, as plain comparable values."""
    if isinstance(data, SourceDict):
        return (
            "map",
            str(data.span),
            [
                (key, str(data.key_spans[key]), str(data.value_spans[key]), _seen(value))
                for key, value in data.items()
            ],
        )
    if isinstance(data, SourceList):
        return (
            "seq",
            str(data.span),
            [(str(span), _seen(value)) for span, value in zip(data.value_spans, data, strict=True)],
        )
    return (type(data).__name__, data)


def _outcome(text: str, fast: bool, monkeypatch: pytest.MonkeyPatch) -> Any:
    with monkeypatch.context() as patch:
        patch.setattr(load, "_FAST", fast)
        try:
            return _seen(parse_yaml(text, "f.yaml"))
        except PackgenError as exc:
            return ("refused", exc.format())


def _fast_composes(text: str) -> bool:
    """Whether libyaml itself (not the fallback) composed the text."""
    if not load._libyaml_agrees(text):
        return False
    composer = load._FastComposer(text, "f.yaml")
    try:
        composer.get_single_node()
    except (yaml.YAMLError, PackgenError, load._Disagree):
        return False
    finally:
        composer.dispose()
    return True


def test_every_yaml_file_of_the_repository_parses_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fast = 0
    for path in _files():
        text = path.read_text(encoding="utf-8", errors="surrogateescape")
        assert _outcome(text, True, monkeypatch) == _outcome(text, False, monkeypatch), path
        fast += _fast_composes(text)
    assert fast >= 100  # the fast path is taken for most of the project's files


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\na: 2\n",  # duplicate key: the message names both lines
        "a: &x 1\nb: *x\n",  # anchors and aliases refused
        "a: !!python/object/apply:os.system [id]\n",
        "a: !custom x\n",
        "a: !!int abc\n",
        "<<: {a: 1}\n",
        "a:\n  <<: {b: 1}\n",
        "x: " + "[" * 60 + "]" * 60 + "\n",
        "a: [1, 2\nb: 3\n",
        "a: 'open\n",
        "a: 1\n---\nb: 2\n",
        "é: 😀 ü\n  b: 2\n",
        "a:\r\n  b: 1\r\n  c: [x, y]\r\n",
        "a: b\x85c: d\n",
        "a: b\u2028c: d\u2029e: f\n",
        "a: ! 12\nb: !!str 12\nc: 2024-02-30\n",
        "%YAML 1.1\n---\na: 1\n",
        "%YAML 1.3\n---\na: 1\n",
        "%TAG !e! tag:example.org,2000:\n---\na: !e!x 1\n",
        'a: "\\ud800"\n',
        'a: "\\x41\\u00e9\\U0001F600\\/"\n',
        "a: |\n  text\n   more\n\n",
        "a: >-\n  folded\n  text\n",
        "- a\n- b: c\n  d: e\n",
        "a: 1e400\nb: .nan\n",
        "? a\n: b\n",
        "{a: 1, b}\n",
        "[a: 1, b]\n",
        "a: " + "x" * 1100 + "\n",
        "x" * 1100 + ": 1\n",
        "",
        "# only a comment\n",
        "...\n",
        "a: b # c\nd: e#f\n",
        "a: - b\n",
    ],
)
def test_known_differences_and_refusals_agree(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _outcome(text, True, monkeypatch) == _outcome(text, False, monkeypatch)


def test_the_fast_path_is_taken_and_its_positions_are_the_reference() -> None:
    text = "a: 1\nb:\n  - x: 2\n    y: [1, 2]\n"
    assert _fast_composes(text)
    data = parse_yaml(text, "f.yaml")
    assert str(data["b"][0].value_spans["y"]) == "f.yaml:4:8"


TRICKY = list(" \n\n\n  \r:-?,[]{}#&*!|>'\"%@`\\\t\x85\u2028\u2029\ufeff\x00=<~.0aé漢😀")
edit = st.one_of(
    st.tuples(
        st.just("insert"), st.integers(0, 5000), st.text(st.sampled_from(TRICKY), max_size=4)
    ),
    st.tuples(st.just("delete"), st.integers(0, 5000), st.integers(1, 3).map(str)),
    st.tuples(st.just("line"), st.integers(0, 200), st.just("")),
)


def _mutated(text: str, edits: list[tuple[str, int, str]]) -> str:
    for kind, where, payload in edits:
        if kind == "insert":
            at = where % (len(text) + 1)
            text = text[:at] + payload + text[at:]
        elif kind == "delete":
            at = where % (len(text) + 1)
            text = text[:at] + text[at + int(payload) :]
        else:
            lines = text.split("\n")
            at = where % len(lines)
            lines.insert(at, lines[(at * 7) % len(lines)])
            text = "\n".join(lines)
    return text


@settings(
    max_examples=400,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    seed=st.sampled_from(sorted(SEEDS.glob("*.yaml"))),
    edits=st.lists(edit, min_size=1, max_size=4),
)
def test_mutated_files_parse_the_same(
    seed: Path, edits: list[tuple[str, int, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    text = _mutated(seed.read_text(encoding="utf-8"), edits)
    assert _outcome(text, True, monkeypatch) == _outcome(text, False, monkeypatch)


REFERENCE_GUARD = re.compile(  # the guard written as a plain alternation (slower, clearer)
    r"[\t\ufeff]|[\[{,:]\s*\?|[\[{,]\s*:|[:,]\s*[,}\]]|[\[{]\s*,|[|>][-+0-9]*#|^ *[?:](?:\s|$)",
    re.MULTILINE,
)


def test_the_one_pass_guard_matches_the_plain_alternation() -> None:
    alphabet = " ?:[]{},|>#-+0\n\ta"
    for length in range(1, 4):
        for letters in itertools.product(alphabet, repeat=length):
            text = "".join(letters)
            expected = not REFERENCE_GUARD.search(text)
            assert load._libyaml_agrees(text) == expected, repr(text)
    for path in _files():
        text = path.read_text(encoding="utf-8", errors="surrogateescape")
        if not load._NON_PRINTABLE.search(text):
            assert load._libyaml_agrees(text) == (not REFERENCE_GUARD.search(text)), path
