"""Load YAML into plain containers that remember where each value came from.

``load_yaml(path)`` returns ``SourceDict``/``SourceList`` trees. Each container
keeps, for every child, the :class:`Span` of its key and of its value, so a
later stage can point at ``file:line:column`` for any path into the data, even
after files were merged (spans travel with the values they describe).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from packgen.errors import Span, error


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


def _span(file: str, node: yaml.Node) -> Span:
    mark = node.start_mark
    return Span(file, mark.line + 1, mark.column + 1)


class _ScalarLoader(yaml.SafeLoader):
    """Resolves scalars with YAML's safe rules (ints, floats, bools, null)."""


_SCALARS = _ScalarLoader("")


def _scalar(node: yaml.ScalarNode) -> Any:
    value = _SCALARS.construct_object(node, deep=True)
    _SCALARS.constructed_objects.clear()
    return value


def _build(node: yaml.Node, file: str) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node)
    if isinstance(node, yaml.MappingNode):
        result = SourceDict()
        result.span = _span(file, node)
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise error("a mapping key must be a plain value", _span(file, key_node))
            key = str(_scalar(key_node))
            if key == "<<":
                raise error("YAML merge keys ('<<') are not supported", _span(file, key_node))
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
        items = SourceList()
        items.span = _span(file, node)
        for item in node.value:
            items.append(_build(item, file))
            items.value_spans.append(_span(file, item))
        return items
    raise error(f"unsupported YAML node {node.tag}", _span(file, node))


def parse_yaml(text: str, file: str) -> Any:
    """Parse YAML text; syntax errors become diagnostics with a position."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        span = Span(file, mark.line + 1, mark.column + 1) if mark else Span(file)
        problem = exc.problem or "invalid YAML"
        context = f" ({exc.context})" if exc.context else ""
        raise error(f"YAML syntax: {problem}{context}", span) from None
    except yaml.YAMLError as exc:
        raise error(f"YAML syntax: {exc}", Span(file)) from None
    if node is None:
        empty = SourceDict()
        empty.span = Span(file, 1, 1)
        return empty
    return _build(node, file)


def load_yaml(path: Path, shown_as: str | None = None) -> Any:
    """Read and parse one YAML file; ``shown_as`` is its name in messages."""
    name = shown_as or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error("file not found", Span(name)) from None
    except UnicodeDecodeError as exc:
        raise error(f"file is not UTF-8 text ({exc.reason})", Span(name)) from None
    except OSError as exc:
        raise error(f"cannot read file: {exc.strerror}", Span(name)) from None
    return parse_yaml(text, name)


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
