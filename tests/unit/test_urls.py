"""URL hygiene: links that could pretend to be another address are refused or shown plainly."""

from __future__ import annotations

import pytest

from packgen.model.urls import MAX_URL, check_http_url, short_url


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://user:secret@example.org/", "has a user name or password before '@'"),
        ("https://good.org@evil.example/", "the real address is 'evil.example'"),
        ("https://example.org/\u202egpj.exe", "direction control characters"),
        ("https://example.org/\u200fa", "direction control characters"),
        ("https://example.org/\u200ba", "control or invisible characters"),
        ("https://example.org:99999/", "is not a port number from 1 to 65535"),
        ("https://example.org:0/", "is not a port number from 1 to 65535"),
        ("https://p\u0430ypal.com/", "mixes Cyrillic and Latin letters in 'p\u0430ypal'"),
        ("https://example.org/" + "a" * MAX_URL, f"the limit is {MAX_URL}"),
        ("https://exa_mple.org/", "is not a valid part of a host name"),
        ("https://-example.org/", "is not a valid part of a host name"),
        ("https://example..org/", "is not a valid part of a host name"),
        ("javascript:alert(1)", "only http:// and https:// links are allowed"),
        ("https://localhost/", "a link needs a host name such as example.org"),
    ],
)
def test_risky_links_are_refused(url: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        check_http_url(url)
    assert message in str(caught.value)


def test_internationalised_hosts_are_kept_in_punycode() -> None:
    assert check_http_url("https://münchen.de/a?b=1") == "https://xn--mnchen-3ya.de/a?b=1"
    lookalike = check_http_url("https://\u0430\u0440\u0440\u04cf\u0435.com/")  # all Cyrillic
    assert lookalike.startswith("https://xn--") and lookalike.isascii()
    assert short_url(lookalike).startswith("xn--")


def test_ordinary_links_are_unchanged() -> None:
    for url in (
        "https://parentinfantfoundation.org.uk/1001-days/speak-up-for-babies/",
        "https://www.example.org:8443/path?x=1#top",
        "http://example.org",
    ):
        assert check_http_url(url) == url
