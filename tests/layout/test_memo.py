"""Measurements kept between documents: the same input gives the kept result, any other
input (text, width, style, font, colour model, registered fonts) a result of its own."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import pytest

from packgen.build import build, make
from packgen.layout.cobrand import Laid, check_profile, take_laid
from packgen.layout.memo import Memo
from packgen.layout.typeset import Typeset, typeset
from packgen.model.common import VAlign
from packgen.model.profiles import OFFICE, PRESS
from packgen.resolve import fonts
from packgen.resolve.design import load_design, resolve
from packgen.resolve.markup import Block, BlockKind
from packgen.resolve.org import load_org
from packgen.resolve.project import Project
from packgen.resolve.styles import ResolvedStyle
from packgen.resolve.typography import finish_for
from tests.conftest import ROOT

ORG = ROOT / "docs" / "examples" / "orgs" / "riverside.yaml"
TEXT = "Babies who are responded to cry less than babies who are left to cry alone"


def test_a_memo_keeps_a_result_per_key_and_drops_the_oldest() -> None:
    memo: Memo[str] = Memo(2)
    made: list[str] = []

    def maker(value: str):  # type: ignore[no-untyped-def]
        return lambda: made.append(value) or value

    assert memo.get("a", maker("A")) == "A"
    assert memo.get("a", maker("other")) == "A"  # kept: not made again
    assert memo.get("b", maker("B")) == "B"
    memo.get("a", maker("unused"))  # "a" used last, so "b" is the oldest
    memo.get("c", maker("C"))
    assert len(memo) == 2
    assert memo.get("b", maker("B again")) == "B again"  # dropped, so made again
    assert made == ["A", "B", "C", "B again"]


def test_a_memo_has_a_table_per_thread() -> None:
    memo: Memo[object] = Memo(8)
    mine = memo.get("key", object)
    theirs: list[object] = []
    thread = threading.Thread(target=lambda: theirs.append(memo.get("key", object)))
    thread.start()
    thread.join()
    assert theirs[0] is not mine  # a paragraph is never drawn by two threads at once
    assert memo.get("key", object) is mine


def _set(style: ResolvedStyle, text: str = TEXT, width: float = 200, cmyk: bool = False) -> Typeset:
    return typeset(
        [(Block(BlockKind.PARAGRAPH, text), style)],
        x=0,
        top=500,
        width=width,
        height=400,
        scale=1.0,
        min_factor=1.0,
        valign=VAlign.TOP,
        cmyk=cmyk,
    )


@pytest.fixture
def body(project: Project) -> ResolvedStyle:
    project.register_fonts()
    return resolve(project, load_design(project, "poster-speak-up"), "A4").styles["body"]


def _lines(result: Typeset) -> list[list[str]]:
    return [[str(w) for w in words] for _, words in result.lines[0].flowable.blPara.lines]


def test_the_same_text_style_and_width_is_set_once(body: ResolvedStyle) -> None:
    first, again = _set(body), _set(body)
    assert again.lines[0].flowable is first.lines[0].flowable
    assert _lines(again) == _lines(first)


def test_another_width_text_style_or_colour_model_is_set_anew(body: ResolvedStyle) -> None:
    first = _set(body)
    narrow = _set(body, width=120)
    assert len(_lines(narrow)) > len(_lines(first))
    other = _set(body, text=TEXT.replace("alone", "on their own"))
    assert _lines(other)[-1] != _lines(first)[-1]
    bigger = _set(replace(body, size=body.size * 1.5))
    assert bigger.height > first.height
    bold = _set(replace(body, bold=True))
    assert bold.lines[0].flowable.style.fontName != first.lines[0].flowable.style.fontName
    press = _set(body, cmyk=True)
    colour = press.lines[0].flowable.style.textColor
    assert type(colour).__name__ == "CMYKColor"
    assert type(first.lines[0].flowable.style.textColor).__name__ == "Color"


def test_registering_fonts_again_sets_the_text_anew(
    body: ResolvedStyle, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _set(body)
    monkeypatch.setitem(fonts._registered, body.font, ("another family", ""))
    Project(ROOT).register_fonts()  # the alias is registered again: the fonts may differ
    again = _set(body)
    assert again.lines[0].flowable is not first.lines[0].flowable
    assert _lines(again) == _lines(first)  # (the same files, so the same lines)


def test_finishing_is_kept_per_language_and_text() -> None:
    english, polish = finish_for("en-GB"), finish_for("pl")
    text = 'She said "hello" at 10 am'
    assert english(text) == english(text) == "She said “hello” at 10\u00a0am"
    assert polish(text) != english(text)
    assert english("It's 9 am") == "It’s 9\u00a0am"


def test_the_check_hands_over_a_pack_only_when_it_is_the_same_layout(project: Project) -> None:
    org = load_org(ORG)
    laid: Laid = {}
    errors, _ = check_profile(project, org, ["pack-stakeholder"], laid=laid)
    assert not errors
    design = load_design(project, "pack-stakeholder")
    size = design.sizes[0]
    assert set(laid) == {("pack-stakeholder", size)}
    assert take_laid(laid, project, design, size, PRESS, org) is None  # another profile
    assert take_laid(laid, project, design, size, OFFICE, load_org(ORG)) is None  # another org
    assert take_laid(laid, Project(ROOT), design, size, OFFICE, org) is None  # another project
    placed = take_laid(laid, project, design, size, OFFICE, org)
    assert placed is not None and placed.profile == "office"
    assert take_laid(laid, project, design, size, OFFICE, org) is None  # taken once
    # what the build writes from it is what laying the pack out again writes
    assert (
        make(project, design, size, OFFICE, org, laid=placed)[1]
        == (make(project, design, size, OFFICE, org)[1])
    )


def test_a_co_branded_build_writes_the_handed_over_pack(tmp_path: Path) -> None:
    project = Project(ROOT)
    org = load_org(ORG)
    report = build(project, tmp_path, ["pack-stakeholder"], ["office"], org=org, preflight=False)
    assert report.ok, report.failures
    (built,) = report.files
    design = load_design(project, "pack-stakeholder")
    assert built.path.read_bytes() == make(project, design, built.size, OFFICE, org)[1]
