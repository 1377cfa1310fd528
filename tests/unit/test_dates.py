"""Date ranges kept in the cache folder are the words CLDR gives."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from packgen.model import dates

RANGES = (
    (dt.date(2024, 6, 10), dt.date(2024, 6, 16)),
    (dt.date(2024, 5, 30), dt.date(2024, 6, 2)),
    (dt.date(2024, 12, 30), dt.date(2025, 1, 3)),
    (dt.date(2024, 6, 10), dt.date(2024, 6, 10)),
)


@pytest.mark.parametrize("language", ["en-GB", "cy", "pl", "ar", "en-US", "xx-unknown"])
def test_a_kept_range_is_cldrs_own(
    language: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    for start, end in RANGES:
        words = dates.worded_range(start, end, language)
        assert dates.date_range(start, end, language) == words  # worded, then kept
        assert dates.date_range(start, end, language) == words  # read back
    kept = list((tmp_path / "packgen" / "dates").iterdir())
    assert len(kept) == len(RANGES)
    assert not [path for path in kept if path.suffix != ".txt"]  # no temporary file left


def test_the_kept_words_are_read_without_babel(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    start, end = RANGES[0]
    assert dates.date_range(start, end, "cy") == "10\u201316 Mehefin 2024"

    def refuse(*_: object) -> str:
        raise AssertionError("worded again")

    monkeypatch.setattr(dates, "worded_range", refuse)
    assert dates.date_range(start, end, "cy") == "10\u201316 Mehefin 2024"


def test_an_unwritable_cache_still_gives_the_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    start, end = RANGES[0]
    assert dates.date_range(start, end, "en-GB") == "10\u201316 June 2024"


def test_threads_wording_the_same_range_all_get_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    start, end = RANGES[1]
    words = dates.worded_range(start, end, "pl")
    with ThreadPoolExecutor(8) as pool:
        found = list(pool.map(lambda _: dates.date_range(start, end, "pl"), range(64)))
    assert set(found) == {words}
    assert [path.suffix for path in (tmp_path / "packgen" / "dates").iterdir()] == [".txt"]


@pytest.mark.parametrize("kept", [b"", b"\xff\xfe not text"])
def test_an_empty_or_damaged_kept_file_is_worded_again(
    kept: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    start, end = RANGES[0]
    dates.date_range(start, end, "en-GB")
    (memo,) = (tmp_path / "packgen" / "dates").iterdir()
    memo.write_bytes(kept)
    assert dates.date_range(start, end, "en-GB") == "10\u201316 June 2024"
    assert memo.read_text(encoding="utf-8") == "10\u201316 June 2024"
