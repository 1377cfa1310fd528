"""Which scripts packgen refuses: those with no configured font that shapes them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from packgen.resolve.scripts import (
    bidi_controls,
    configure,
    script_problem,
    shapable_scripts,
    unsupported_scripts,
)


@pytest.fixture(autouse=True)
def no_shaping_fonts() -> Iterator[None]:
    """Each test starts with no script configured (as a project with no `scripts:`)."""
    before = shapable_scripts()
    configure(set())
    yield
    configure(before)


@pytest.mark.parametrize(
    "text",
    [
        "Speak up for babies",
        "Siarad dros fabanod: ŵ ŷ â ê î ô û",  # Welsh
        "Mów w imieniu niemowląt: ąćęłńóśźż",  # Polish
        "Vorbiți pentru bebeluși: ăâîșț",  # Romanian
        "Μιλήστε για τα μωρά",  # Greek
        "Говорите за малышей",  # Cyrillic
        "10–16 June 2024 · £16 billion — “quoted”",
    ],
)
def test_latin_greek_and_cyrillic_text_is_accepted(text: str) -> None:
    assert unsupported_scripts(text) == []
    assert script_problem(text) is None


@pytest.mark.parametrize(
    ("text", "scripts"),
    [
        ("تحدث من أجل الأطفال", ["Arabic"]),
        ("بچوں کے لیے آواز اٹھائیں", ["Arabic"]),  # Urdu is written in Arabic script
        ("शिशुओं के लिए", ["Devanagari"]),
        ("শিশুদের জন্য", ["Bengali"]),
        ("ਬੱਚਿਆਂ ਲਈ", ["Gurmukhi"]),
        ("Hub מרכז", ["Hebrew"]),
        ("#IMHAW2024 الأطفال शिशु", ["Arabic", "Devanagari"]),
        ("ﻻ", ["Arabic"]),  # a presentation form is still Arabic
    ],
)
def test_scripts_that_need_shaping_are_named(text: str, scripts: list[str]) -> None:
    assert unsupported_scripts(text) == scripts
    problem = script_problem(text)
    assert problem is not None
    assert problem.startswith(" and ".join(scripts) + " text needs shaping")


def test_bidi_controls_are_named() -> None:
    text = "Riverside\u202eHub\u200f"
    assert bidi_controls(text) == ["RIGHT-TO-LEFT MARK", "RIGHT-TO-LEFT OVERRIDE"]
    assert script_problem(text) == (
        "contains invisible text-direction controls (RIGHT-TO-LEFT MARK, RIGHT-TO-LEFT OVERRIDE)"
    )


def test_scripts_with_a_shaping_font_are_accepted_and_the_others_still_refused() -> None:
    configure({"Arabic", "Devanagari"})  # as assets/fonts.yaml `scripts:`
    assert script_problem("تحدث من أجل الأطفال") is None
    assert script_problem("بچوں کے لیے") is None
    assert script_problem("शिशुओं के लिए") is None
    assert unsupported_scripts("শিশুদের জন্য शिशु") == ["Bengali"]
    problem = script_problem("শিশুদের জন্য")
    assert problem is not None
    assert problem.startswith("Bengali text needs shaping, and no font in assets/fonts.yaml")
