"""Load YAML into plain containers that remember where each value came from.

``load_yaml(path)`` returns ``SourceDict``/``SourceList`` trees. Each container
keeps, for every child, the :class:`Span` of its key and of its value, so a
later stage can point at ``file:line:column`` for any path into the data, even
after files were merged (spans travel with the values they describe).
"""

from __future__ import annotations

import math
import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml

from packgen.errors import PackgenError, Span, error


class SourceDict(dict[str, Any]):
    """A mapping whose children know their key and value positions."""

    span: Span | None
    key_spans: dict[str, Span]
    value_spans: dict[str, Span]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.span = None
        self.key_spans = {}
        self.value_spans = {}


class SourceList(list[Any]):
    """A sequence whose items know their positions."""

    span: Span | None
    value_spans: list[Span | None]

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.span = None
        self.value_spans = []


try:  # libyaml, when PyYAML was built with it (the wheels are)
    from yaml._yaml import CParser as _CParser

    _FAST = True
except ImportError:  # pragma: no cover - a PyYAML without libyaml: the Python parser only
    _CParser = object  # type: ignore[assignment,misc]
    _FAST = False
# the characters PyYAML's reader refuses (its own pattern); such text takes the Python path
_NON_PRINTABLE = yaml.reader.Reader.NON_PRINTABLE
# where libyaml and PyYAML were seen to differ when fuzzing (libyaml accepts tabs, a
# plain '?' or ':' opening a flow item and '|#', which PyYAML refuses, and places an
# empty flow value elsewhere): such text, and a byte order mark, take the Python path
# (one pass: each alternative after its first character, which the lookbehinds name; twice
# as fast as the plain alternation, and the same matches)
_PYTHON_ONLY = re.compile(
    r"[\t\ufeff]"
    r"|[\[{,:|>\n](?:"
    r"(?<=[\[{,:])\s*\?"  # a '?' after a flow indicator or ':'
    r"|(?<=[\[{,])\s*:"  # a ':' opening a flow item
    r"|(?<=[:,])\s*[,}\]]"  # an empty flow value
    r"|(?<=[\[{])\s*,"  # an empty first flow item
    r"|(?<=[|>])[-+0-9]*#"  # '|#': a block scalar's header and a comment
    r"|(?<=\n) *[?:](?:\s|$)"  # a line opening with '? ' or ': '
    r")"
)
_PYTHON_ONLY_START = re.compile(r" *[?:](?:\s|$)")  # the same at the very start
_UNSET: Any = object()


def _libyaml_agrees(text: str) -> bool:
    """Whether ``text`` avoids every construct where libyaml and PyYAML were seen to differ."""
    found = _NON_PRINTABLE.search(text) or _PYTHON_ONLY.search(text)
    return not (found or _PYTHON_ONLY_START.match(text))


MAX_BYTES = 1024 * 1024  # a YAML file larger than this is refused before parsing
MAX_DEPTH = 40  # mappings and lists inside each other
MAX_NUMBER = 10**15  # integers beyond this are typing mistakes (no field needs them)
_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_WHAT = {
    "int": "whole number",
    "float": "number",
    "bool": "true or false",
    "null": "null",
    "timestamp": "date",
}


def _span(file: str, node: yaml.Node) -> Span:
    mark = node.start_mark
    return Span(file, mark.line + 1, mark.column + 1)


def _mark_span(file: str, mark: yaml.Mark | None) -> Span:
    return Span(file, mark.line + 1, mark.column + 1) if mark else Span(file)


def _short_tag(tag: str | None) -> str:
    tag = tag or "!"
    return "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag


class _Refusals:
    """Composes YAML into nodes, refusing what could make a small file expensive.

    Anchors and aliases are refused (an alias "bomb" of a few lines expands to
    billions of nodes), nesting is bounded, and a merge key is refused before
    its value is read, so it gets its own message.
    """

    file: str
    depth: int

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[attr-defined]
        if isinstance(index, yaml.ScalarNode) and index.tag == _CORE + "merge":
            raise _merge_error(self.file, index)
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise error(
                "anchors and aliases are not supported; repeat the value",
                _mark_span(self.file, event.start_mark),
                hint="write the value out again where it is needed (or use 'extends:')",
            )
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise error(
                    f"values are nested more than {MAX_DEPTH} levels deep",
                    _mark_span(self.file, event.start_mark),
                    hint="a layout, copy or profile file never needs this much nesting",
                )
            return super().compose_node(parent, index)  # type: ignore[misc,no-any-return]
        finally:
            self.depth -= 1


class _SafeComposer(_Refusals, yaml.SafeLoader):
    """PyYAML's own scanner and parser, in Python: the reference, and its messages."""

    def __init__(self, text: str, file: str) -> None:
        yaml.SafeLoader.__init__(self, text)
        self.file = file
        self.depth = 0


class _FastComposer(_Refusals, yaml.composer.Composer, yaml.resolver.Resolver, _CParser):
    """The same composer (and refusals) over libyaml's scanner and parser, written in C.

    Used only for text that the Python reader accepts character by character;
    any problem is reported by parsing again with :class:`_SafeComposer`, so
    messages and positions are the reference parser's.
    """

    def __init__(self, text: str, file: str) -> None:
        _CParser.__init__(self, text)
        yaml.composer.Composer.__init__(self)
        yaml.resolver.Resolver.__init__(self)
        self.file = file
        self.depth = 0
        self.flow = 0  # flow collections ('[...]', '{...}') open around the next event
        self.text = text

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        event = self.peek_event()
        if getattr(event, "tag", None) is not None:
            raise _Disagree  # a tag: the scanners end tags differently (',' in flow)
        # PyYAML refuses a flow plain scalar opening with ':' and places an empty one
        # elsewhere; libyaml reads both
        if self.flow and isinstance(event, yaml.ScalarEvent) and _empty_or_colon(event):
            raise _Disagree
        opens = isinstance(event, yaml.CollectionStartEvent) and bool(event.flow_style)
        self.flow += opens
        try:
            node = super().compose_node(parent, index)
        finally:
            self.flow -= opens
        # a '?' anywhere in a flow collection (a key indicator, or inside a plain
        # scalar, where PyYAML ends the scalar): libyaml reads what PyYAML refuses
        outermost = opens and not self.flow and node is not None
        if outermost and "?" in self._source(node):
            raise _Disagree
        return node

    def _source(self, node: yaml.Node | None) -> str:
        return self.text[node.start_mark.index : node.end_mark.index] if node else ""


def _empty_or_colon(event: yaml.ScalarEvent) -> bool:
    """Whether a scalar is plain (unquoted) and empty or opens with ':'."""
    return not event.style and event.value[:1] in ("", ":")


class _Disagree(Exception):
    """Text where libyaml may not read what PyYAML reads: parse it with PyYAML."""


def _merge_error(file: str, node: yaml.Node) -> PackgenError:
    return error(
        "YAML merge keys ('<<') are not supported",
        _span(file, node),
        hint="write the keys out, or put shared styles in a base file named by 'extends:'",
    )


class _ScalarLoader(yaml.SafeLoader):
    """Resolves scalars with YAML's safe rules (ints, floats, bools, null, dates)."""


_SCALARS = _ScalarLoader("")


def _scalar(node: yaml.ScalarNode, file: str) -> Any:
    tag = node.tag
    if tag == _CORE + "value":  # a lone '=' is text here, not YAML's value key
        return node.value
    if tag not in _SCALAR_TAGS:
        raise _tag_error(file, node)
    try:
        value = _SCALARS.construct_object(node, deep=True)
    except (ValueError, TypeError, KeyError, OverflowError, yaml.YAMLError) as exc:
        what = _WHAT.get(tag.removeprefix(_CORE), "value")
        reason = f" ({exc})" if isinstance(exc, ValueError) and str(exc) else ""
        raise error(
            f"'{node.value[:80]}' is not a valid {what}{reason}",
            _span(file, node),
            hint="write a date as YYYY-MM-DD (a real day)" if what == "date" else None,
        ) from None
    finally:
        _SCALARS.constructed_objects.clear()
    if isinstance(value, float) and not math.isfinite(value):
        raise error(
            f"'{node.value[:80]}' is not a finite number",
            _span(file, node),
            hint="give an ordinary number, e.g. 12",
        )
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_NUMBER:
        raise error(f"the number {node.value[:40]} is too large", _span(file, node))
    return value


def _tag_error(file: str, node: yaml.Node) -> PackgenError:
    return error(
        f"YAML tag '{_short_tag(node.tag)}' is not supported",
        _span(file, node),
        hint="remove the tag: plain text, numbers, true/false, dates, lists and mappings only",
    )


def _build(node: yaml.Node, file: str) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node, file)
    if isinstance(node, yaml.MappingNode):
        if node.tag != _CORE + "map":
            raise _tag_error(file, node)
        result = SourceDict()
        result.span = _span(file, node)
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise error("a mapping key must be a plain value", _span(file, key_node))
            if key_node.tag == _CORE + "merge":
                raise _merge_error(file, key_node)
            key = str(_scalar(key_node, file))
            if key in result:
                raise error(
                    f"duplicate key '{key}'",
                    _span(file, key_node),
                    hint=f"'{key}' is already set at line {result.key_spans[key].line}",
                )
            result[key] = _build(value_node, file)
            result.key_spans[key] = _span(file, key_node)
            result.value_spans[key] = _span(file, value_node)
        return result
    if isinstance(node, yaml.SequenceNode):
        if node.tag != _CORE + "seq":
            raise _tag_error(file, node)
        items = SourceList()
        items.span = _span(file, node)
        for item in node.value:
            items.append(_build(item, file))
            items.value_spans.append(_span(file, item))
        return items
    raise error(f"unsupported YAML node {node.tag}", _span(file, node))


def _too_large(size: int, file: str) -> PackgenError:
    return error(
        f"file is {size / 1024:.0f} KB; the limit for a YAML file is {MAX_BYTES // 1024} KB",
        Span(file),
        hint="split it into smaller files",
    )


def parse_yaml(text: str, file: str) -> Any:
    """Parse YAML text safely; every problem becomes a diagnostic with a position."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        raise _too_large(size, file)
    if _FAST and _libyaml_agrees(text):
        fast = _FastComposer(text, file)
        try:
            node = fast.get_single_node()
        except Exception:  # any problem: the reference parser below gives the message
            node = _UNSET
        finally:
            fast.dispose()
        if node is not _UNSET:
            return _built(node, file)
    try:
        loader = _SafeComposer(text, file)
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        raise error(
            f"YAML syntax: the character U+{exc.character:04X} is not allowed",
            Span(file, line, column),
            "remove it (control characters cannot appear in YAML files)",
        ) from None
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "invalid YAML"
        context = f" ({exc.context})" if exc.context else ""
        raise error(f"YAML syntax: {problem}{context}", _mark_span(file, mark)) from None
    except yaml.YAMLError as exc:
        raise error(f"YAML syntax: {exc}", Span(file)) from None
    finally:
        loader.dispose()
    return _built(node, file)


def _built(node: yaml.Node | None, file: str) -> Any:
    if node is None:
        empty = SourceDict()
        empty.span = Span(file, 1, 1)
        return empty
    return _build(node, file)


def load_yaml(path: Path, shown_as: str | None = None) -> Any:
    """Read and parse one YAML file; ``shown_as`` is its name in messages.

    Only a regular file is read (a FIFO or device would block or never end),
    and never more than :data:`MAX_BYTES`.
    """
    name = shown_as or str(path)
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # before opening: a FIFO blocks on open
            raise error("not a regular file", Span(name), "give a YAML file")
        with path.open("rb") as stream:
            data = stream.read(MAX_BYTES + 1)
    except FileNotFoundError:
        if path.is_symlink():
            raise error(
                f"a symbolic link to '{os.readlink(path)}', which does not exist",
                Span(name),
                hint="remove the link or make it point to a file",
            ) from None
        raise error("file not found", Span(name)) from None
    except IsADirectoryError:
        raise error("a folder, not a file", Span(name)) from None
    except OSError as exc:
        raise error(f"cannot read file: {exc.strerror or exc}", Span(name)) from None
    if len(data) > MAX_BYTES:
        raise _too_large(path.stat().st_size, name)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(f"file is not UTF-8 text ({exc.reason})", Span(name)) from None
    return parse_yaml(text.removeprefix("\ufeff"), name)


def span_at(data: Any, path: tuple[int | str, ...], key: bool = False) -> Span | None:
    """The span of the value (or key) found by following ``path`` from ``data``.

    Falls back to the nearest enclosing container when the path does not exist
    (for example a missing field), so every message still has a position.
    """
    best: Span | None = getattr(data, "span", None)
    node = data
    for index, part in enumerate(path):
        last = index == len(path) - 1
        if isinstance(node, SourceDict) and isinstance(part, str) and part in node:
            spans = node.key_spans if (key and last) else node.value_spans
            best = spans.get(part, best)
            node = node[part]
        elif isinstance(node, SourceList) and isinstance(part, int) and 0 <= part < len(node):
            best = node.value_spans[part] or best
            node = node[part]
        elif isinstance(node, (SourceDict, SourceList)):
            # a path step that names no child (e.g. a union tag): skip it
            continue
        else:
            break
    return best


def merge(base: Any, overlay: Any) -> Any:
    """Deep-merge ``overlay`` onto ``base``; mappings merge, anything else replaces.

    Spans follow the values: a merged key keeps the span of the file that
    provided its final value.
    """
    if not (isinstance(base, SourceDict) and isinstance(overlay, SourceDict)):
        return overlay
    result = SourceDict(base)
    result.span = overlay.span or base.span
    result.key_spans = dict(base.key_spans)
    result.value_spans = dict(base.value_spans)
    for key, value in overlay.items():
        result[key] = merge(base[key], value) if key in base else value
        if key in overlay.key_spans:
            result.key_spans[key] = overlay.key_spans[key]
        if key in overlay.value_spans:
            result.value_spans[key] = overlay.value_spans[key]
    return result
