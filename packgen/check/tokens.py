"""A content stream's bytes into (operator, operand text) pairs by one regular expression.

qpdf (through pikepdf) reads a stream token by token and makes a Python object
of every operand it keeps, about 3 µs an instruction. Most writers, ReportLab
among them, write a plain subset of the syntax: numbers, names, literal strings
and arrays and dictionaries of those, each operator a known PDF operator set
apart by white space or a delimiter. For a stream in that subset one regular
expression (C speed) gives every instruction's operator and the text of its
operands, which are read only when a rule asks (``check.content``: ``numbers``,
``count``, ``string``, ``marked``); anything the expression does not read as a
whole (comments, inline images, ``true``/``false``/``null``,
nested arrays or dictionaries, a number run into an operator, bytes outside
printable ASCII except in strings) makes :func:`split` return None, and the
stream is parsed by pikepdf as before. What the expression reads is what qpdf
reads: tested on every built file and on fuzzed streams (``tests/products``).
"""

from __future__ import annotations

import re

# every operator of PDF 32000 (Annex A) but the inline image's BI, ID and EI
OPERATORS = frozenset(
    b"b B b* B* BDC BMC BT BX c cm CS cs d d0 d1 Do DP EMC ET EX f F f* G g gs h i j J K k"
    b" l m M MP n q Q re RG rg ri s S SC sc SCN scn sh T* Tc Td TD Tf Tj TJ TL Tm Tr Ts Tw Tz"
    b" v w W W* y ' \"".split()
)
# white space as PDF has it, without NUL (which ``bytes.split`` does not split at) and
# with the form feed; numbers and white space run together between the other operands
_SPACE = b" \t\r\n\f"
# a token ends before white space, a delimiter or the end (``/F1Tf`` is one name)
_END = rb"(?![^\x00\t\n\f\r /\[\]<>(){}%])"


def _pattern(many: bytes) -> bytes:
    """The instruction, with ``many`` as the quantifier of its runs (``*+`` never gives
    back what it took, so a failed match is not tried again shorter: the same matches)."""
    numbers = rb"[-+.0-9 \t\r\n\f]" + many
    name = rb"/[^\x00-\x20\x7f-\xff/\[\]<>(){}%#]" + many + _END  # printable ASCII, no #xx
    string = rb"\([^()\\]*(?:\\.[^()\\]*)*\)"  # a literal string, no nested parentheses
    hex_string = rb"<[0-9A-Fa-f \t\r\n\f]*>"  # (``<<`` is not one: ``<`` is not a digit)

    def run(*items: bytes) -> bytes:  # numbers and white space, with any of ``items``
        return numbers + rb"(?:(?:" + rb"|".join(items) + rb")" + numbers + rb")" + many

    array = rb"\[" + run(name, string, hex_string) + rb"\]"  # not nested
    dictionary = rb"<<" + run(name, string, hex_string, array) + rb">>"  # not nested
    operands = run(name, string, hex_string, array, dictionary)
    # an operator is not run on from a number either (``0Tw`` is one token)
    operator = rb"(?<![-+.0-9])([A-Za-z'\"][A-Za-z0-9*'\"]" + many + rb")" + _END
    return rb"(" + operands + rb")" + operator


try:
    _INSTRUCTION = re.compile(_pattern(b"*+"), re.S)
except re.error:  # Python 3.10 has no possessive quantifiers: the same matches, slower
    _INSTRUCTION = re.compile(_pattern(b"*"), re.S)
NAME = re.compile(rb"/[^\x00-\x20\x7f-\xff/\[\]<>(){}%#]*")  # a name as read above


def split(data: bytes) -> tuple[list[bytes], list[bytes]] | None:
    """The stream's operators and, for each, the text of its operands; None unless plain.

    Plain: the expression reads the whole stream, every operator is a known one and
    nothing but white space follows the last operator.
    """
    parts = _INSTRUCTION.split(data)
    gaps = parts[0::3]
    if any(gaps[:-1]) or gaps[-1].strip(_SPACE):
        return None  # something the expression does not read (or operands without operator)
    operators = parts[2::3]
    if not OPERATORS.issuperset(operators):
        return None  # an unknown word: true, false, null, a typo, BI ... EI
    return operators, parts[1::3]
