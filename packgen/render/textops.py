"""ReportLab's text operators for one run, split at glyph boundaries into equivalent parts.

ReportLab writes a shaped run as one stretch of operators (font, rise,
``Tj`` strings and ``TJ`` arrays with HarfBuzz's offsets as adjustments).
:func:`split` cuts it before given glyphs: a string or an array that spans a
cut becomes two, adjustments going with the glyph after them, so the parts
shown one after another place every glyph where the whole did. Marked content
can then open and close between the parts (``render/actualtext.py``).
"""

from __future__ import annotations

import re

_TOKEN = re.compile(rb"""\s*(\((?:\\[0-7]{1,3}|\\.|[^\\)])*\)|\[|\]|[^\s\[\]()]+)""", re.S)
_UNIT = re.compile(r"\\[0-7]{1,3}|\\.|[^\\]", re.S)


def tokens(code: str) -> list[str]:
    """The tokens of ReportLab's operators: strings, brackets, numbers, names, operators."""
    out = []
    pos = 0
    data = code.encode("latin-1")
    while pos < len(data):
        m = _TOKEN.match(data, pos)
        if m is None:
            if data[pos:].strip():
                raise ValueError(f"cannot read {data[pos : pos + 20]!r}")
            break
        out.append(m.group(1).decode("latin-1"))
        pos = m.end()
    return out


def split(code: str, cuts: list[int]) -> list[str]:
    """``code`` in len(cuts)+1 parts: part k shows glyphs cuts[k-1]:cuts[k]."""
    parts: list[list[str]] = [[]]
    glyph = 0
    pending: list[str] = []  # operands of the next operator
    cut = iter(cuts)
    nxt = next(cut, None)

    def emit(op: str, ops: list[str]) -> None:
        parts[-1].append(" ".join([*ops, op]))

    toks = tokens(code)
    i = 0
    while i < len(toks):
        t = toks[i]
        if t == "[":
            j = toks.index("]", i)
            elems = toks[i + 1 : j]
            assert toks[j + 1] == "TJ"
            current: list[str] = []
            for e in elems:
                if e.startswith("("):
                    units = _UNIT.findall(e[1:-1])
                    chunk: list[str] = []
                    for u in units:
                        while nxt is not None and glyph == nxt:
                            if chunk:
                                current.append("(" + "".join(chunk) + ")")
                                chunk = []
                            # adjustments after the last glyph shown go with the next glyph
                            last = max(
                                (k for k, v in enumerate(current) if v.startswith("(")), default=-1
                            )
                            head, current = current[: last + 1], current[last + 1 :]
                            if head:
                                emit("TJ", ["[" + " ".join(head) + "]"])
                            parts.append([])
                            nxt = next(cut, None)
                        chunk.append(u)
                        glyph += 1
                    if chunk:
                        current.append("(" + "".join(chunk) + ")")
                else:
                    current.append(e)
            if current:
                emit("TJ", ["[" + " ".join(current) + "]"])
            i = j + 2
            continue
        if t.startswith("("):
            assert toks[i + 1] == "Tj"
            units = _UNIT.findall(t[1:-1])
            chunk = []
            for u in units:
                while nxt is not None and glyph == nxt:
                    if chunk:
                        emit("Tj", ["(" + "".join(chunk) + ")"])
                        chunk = []
                    parts.append([])
                    nxt = next(cut, None)
                chunk.append(u)
                glyph += 1
            if chunk:
                emit("Tj", ["(" + "".join(chunk) + ")"])
            i += 2
            continue
        if t[0].isalpha() or t in ("'", '"'):
            emit(t, pending)
            pending = []
        else:
            pending.append(t)
        i += 1
    while nxt is not None:
        parts.append([])
        nxt = next(cut, None)
    return [" ".join(p) for p in parts]
