"""Copy that differs by profile: ``key@press`` replaces ``key`` in press output only."""

from __future__ import annotations

import pytest

from packgen.errors import PackgenError, Span
from packgen.resolve.content import for_profile

KNOWN = ["press", "office"]


def _spans(texts: dict[str, str]) -> dict[str, Span]:
    return {key: Span("copy/en-GB/pack.yaml") for key in texts}


def test_the_press_variant_replaces_the_key_for_press_only() -> None:
    texts = {"pack.intro": "On screen, select a title.", "pack.intro@press": "See the pages."}
    press, _ = for_profile(texts, _spans(texts), "press", KNOWN)
    office, _ = for_profile(texts, _spans(texts), "office", KNOWN)
    neutral, _ = for_profile(texts, _spans(texts), "", KNOWN)
    assert press == {"pack.intro": "See the pages."}
    assert office == neutral == {"pack.intro": "On screen, select a title."}


def test_a_variant_for_an_unknown_profile_is_an_error_naming_the_profiles() -> None:
    texts = {"pack.intro": "a", "pack.intro@prss": "b"}
    with pytest.raises(PackgenError) as caught:
        for_profile(texts, _spans(texts), "press", KNOWN)
    message = caught.value.format()
    assert "copy 'pack.intro@prss' is for profile 'prss', which does not exist" in message
    assert "profiles are press, office" in message


def test_a_variant_without_its_common_copy_is_an_error() -> None:
    texts = {"pack.intro@press": "b"}
    with pytest.raises(PackgenError) as caught:
        for_profile(texts, _spans(texts), "office", KNOWN)
    assert "a press variant of 'pack.intro', which is not defined" in caught.value.format()
