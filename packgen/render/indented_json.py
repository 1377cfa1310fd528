"""``json.dumps(value, indent=N)``'s exact text, written without its pure-Python encoder.

The standard library's C encoder runs only without ``indent``; with it, every
value goes through generator chains, which made the build's manifest (every
text run of every file) cost a few per cent of a build. This writes the same
characters (item separator ``,``, key separator ``: ``, keys in insertion
order, ``ensure_ascii`` escapes, ``NaN``/``Infinity`` for such floats) for
the JSON types the manifest holds: dicts with string keys, lists, tuples,
strings, ints, floats, booleans and None. Anything else raises ``TypeError``,
as ``json.dumps`` does for a value it cannot encode.
"""

from __future__ import annotations

from collections.abc import Callable
from json.encoder import encode_basestring, encode_basestring_ascii
from typing import Any

_INFINITY = float("inf")


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == _INFINITY:
        return "Infinity"
    if value == -_INFINITY:
        return "-Infinity"
    return float.__repr__(value)


def dumps(value: Any, indent: int = 2, ensure_ascii: bool = True) -> str:
    """The text ``json.dumps(value, indent=indent, ensure_ascii=ensure_ascii)`` gives."""
    string: Callable[[str], str] = encode_basestring_ascii if ensure_ascii else encode_basestring
    step = " " * indent
    parts: list[str] = []
    append = parts.append

    def scalar(item: Any) -> str | None:
        kind = type(item)
        if kind is str:
            return string(item)
        if item is None:
            return "null"
        if item is True:
            return "true"
        if item is False:
            return "false"
        if kind is int:
            return int.__repr__(item)
        if kind is float:
            return _float(item)
        if isinstance(item, str):  # subclasses (a str enum) encode as json.dumps does
            return string(item)
        if isinstance(item, int):
            return int.__repr__(item)
        if isinstance(item, float):
            return _float(item)
        return None

    def write(item: Any, margin: str) -> None:
        text = scalar(item)
        if text is not None:
            append(text)
            return
        kind = type(item)
        inner = margin + step
        if isinstance(item, (list, tuple)):
            if not item:
                append("[]")
                return
            texts = [scalar(v) for v in item]
            if None not in texts:  # a list of plain values: one join
                append("[" + inner + ("," + inner).join(texts) + margin + "]")  # type: ignore[arg-type]
                return
            append("[")
            separator = inner
            for v, text in zip(item, texts, strict=True):
                append(separator)
                separator = "," + inner
                if text is None:
                    write(v, inner)
                else:
                    append(text)
            append(margin + "]")
            return
        if isinstance(item, dict):
            if not item:
                append("{}")
                return
            append("{")
            separator = inner
            for key, v in item.items():
                if type(key) is not str:
                    raise TypeError(f"keys must be str here, not {type(key).__name__}")
                append(separator)
                separator = "," + inner
                append(string(key))
                append(": ")
                write(v, inner)
            append(margin + "}")
            return
        raise TypeError(f"Object of type {kind.__name__} is not JSON serializable")

    write(value, "\n")
    return "".join(parts)
