"""Links as typed text into checked http(s) URLs that cannot pretend to be another address.

Every QR target and printed link goes through :func:`check_http_url`: http(s)
only, a real host name, no user name or password before the host (the trick
``https://good.org@evil.example`` is refused), no direction-control or other
invisible characters, a valid port, a bounded length. An internationalised
host is kept in punycode (``xn--…``), the form a browser shows for a
suspicious name, and a host label that mixes scripts (a Cyrillic letter among
Latin ones, as look-alike addresses do) is refused.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit, urlunsplit

MAX_URL = 300  # characters: a longer link makes a QR code too dense to scan from print
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_EAST_ASIAN = {"CJK", "HIRAGANA", "KATAKANA", "HANGUL", "IDEOGRAPHIC"}


def _script(ch: str) -> str:
    word = unicodedata.name(ch, "UNKNOWN").split(" ")[0]
    return "CJK" if word in _EAST_ASIAN else word


def _mixed(label: str) -> set[str]:
    scripts = {_script(ch) for ch in label if ch.isalpha()}
    return scripts if len(scripts) > 1 else set()


def _ascii_host(host: str, value: str) -> str:
    """The host in ASCII (punycode for internationalised names), every label checked."""
    labels = host.rstrip(".").split(".")
    out: list[str] = []
    for label in labels:
        if not label.isascii():
            scripts = _mixed(label)
            if scripts:
                names = " and ".join(sorted(s.title() for s in scripts))
                raise ValueError(
                    f"the host name in '{value}' mixes {names} letters in '{label}', "
                    "as look-alike addresses do; write the address with the letters of one script"
                )
            try:
                label = label.encode("idna").decode("ascii")
            except UnicodeError:
                raise ValueError(f"'{label}' in '{value}' is not a valid host name") from None
        if not _LABEL.match(label.lower()):
            raise ValueError(
                f"'{label[:63]}' in '{value[:80]}' is not a valid part of a host name "
                "(letters, digits and hyphens, at most 63)"
            )
        out.append(label.lower())
    return ".".join(out)


def check_http_url(value: str) -> str:
    """Accept only absolute http(s) URLs with a real host; the host comes back in ASCII."""
    if len(value) > MAX_URL:
        raise ValueError(
            f"the link is {len(value)} characters; the limit is {MAX_URL} "
            "(a longer one makes a QR code too dense to scan)"
        )
    if any(ch in _BIDI for ch in value):
        raise ValueError(
            "the link contains right-to-left or other direction control characters, "
            "which can make it read as another address"
        )
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs") for ch in value):
        raise ValueError("the link contains control or invisible characters")
    if any(ch.isspace() for ch in value):
        raise ValueError(f"a URL cannot contain spaces, found '{value}'")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https"):
        raise ValueError(f"only http:// and https:// links are allowed, found '{value}'")
    if "@" in parts.netloc:
        raise ValueError(
            f"'{value}' has a user name or password before '@': the real address is "
            f"'{parts.hostname}'; links may not carry one (give the plain address)"
        )
    try:
        port = parts.port
    except ValueError:
        port = 0
    if port == 0 or (port is None and parts.netloc.endswith(":")):
        raise ValueError(f"the port in '{value}' is not a port number from 1 to 65535")
    host = parts.hostname
    if not host or "." not in host.strip("."):
        raise ValueError(f"a link needs a host name such as example.org, found '{value}'")
    ascii_host = _ascii_host(host, value)
    netloc = ascii_host + (f":{port}" if port is not None else "")
    if netloc == parts.netloc:
        return value
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def short_url(url: str) -> str:
    """``https://www.example.org/a/`` → ``example.org/a``: what a person types."""
    parts = urlsplit(url)
    host = parts.netloc.removeprefix("www.")
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{path}{query}"
