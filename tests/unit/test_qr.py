"""QR encoding is a pure function; runs cover exactly the dark modules."""

from __future__ import annotations

import pytest

from packgen.resolve import qr


def test_matrix_is_square_without_quiet_zone() -> None:
    matrix = qr.encode("https://example.org/", "M")
    assert len(matrix) == len(matrix[0]) == 21 + 4 * (len(matrix) - 21) // 4
    assert matrix[0][0] and matrix[0][6]  # finder pattern corner, no border


def test_runs_cover_dark_modules_exactly() -> None:
    url = "https://parentinfantfoundation.org.uk/"
    matrix = qr.encode(url, "M")
    painted = {(r, c + i) for r, c, n in qr.runs(url, "M") for i in range(n)}
    dark = {(r, c) for r, row in enumerate(matrix) for c, cell in enumerate(row) if cell}
    assert painted == dark


def test_higher_error_correction_needs_more_modules() -> None:
    url = "https://www.aaimh.org.au/events-and-training/2024-infant-mental-health-awareness-week/"
    assert len(qr.encode(url, "H")) > len(qr.encode(url, "M"))


@pytest.mark.parametrize("level", ["M", "Q", "H"])
def test_version_is_the_version_encode_draws(level: str) -> None:
    for length in (1, 14, 15, 40, 77, 78, 150, 400):
        url = "https://example.org/" + "a1-/" * (length // 4) + "x" * (length % 4)
        assert qr.version(url, level) == (len(qr.encode(url, level)) - 17) // 4, (url, level)
