"""Validate loaded YAML against a model; pydantic errors into diagnostics.

Every error names file:line:column (from the loader's spans), the field path,
what was found and what is allowed, with a "did you mean" for misspelt keys
and element types. All errors of a file are reported together.
"""

from __future__ import annotations

import re
import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from packgen.errors import Diagnostic, PackgenError, Span, allowed_hint, suggest
from packgen.source.load import SourceDict, SourceList, span_at

M = TypeVar("M", bound=BaseModel)


def _field_names(model: type[BaseModel]) -> list[str]:
    names = []
    for name, info in model.model_fields.items():
        names.append(info.alias or name)
    return names


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The BaseModel classes an annotation can hold (through lists, unions, dicts)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _models_in(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType, list, tuple, dict):
        found: list[type[BaseModel]] = []
        for arg in typing.get_args(annotation):
            found.extend(_models_in(arg))
        return found
    return []


def _keyed(annotation: Any) -> bool:
    """Whether a field holds a mapping of names to values (``dict[str, Style]``)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _keyed(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return any(_keyed(arg) for arg in typing.get_args(annotation))
    return origin is dict


def _model_at(
    root: type[BaseModel], data: Any, loc: tuple[int | str, ...]
) -> type[BaseModel] | None:
    """The model class that owns the last step of ``loc``, following the data.

    Which class a union (an element's ``type``) or a list item is, is decided by
    the item the path reaches, not by the first item of its list.
    """
    candidates: list[type[BaseModel]] = [root]
    node = data
    keyed = False  # the next step is a name in a mapping of models (or a list index)
    for step in loc[:-1]:
        in_list = isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node)
        in_map = keyed and isinstance(node, dict) and isinstance(step, str) and step in node
        if in_list or in_map:
            node, keyed = node[step], False
        elif isinstance(node, dict) and isinstance(step, str) and step in node:
            model = _pick(candidates, node)
            if model is None:
                return None
            info = next((f for n, f in model.model_fields.items() if (f.alias or n) == step), None)
            if info is None:
                return None
            candidates = _models_in(info.annotation)
            keyed = _keyed(info.annotation)
            node = node[step]
        elif isinstance(node, dict) and isinstance(step, str):
            # a union tag (``text``) pydantic inserts: keep the matching class
            tagged = [m for m in candidates if _tag(m) == step]
            candidates = tagged or candidates
    return _pick(candidates, node)


def _tag(model: type[BaseModel]) -> str | None:
    info = model.model_fields.get("type")
    if info is None:
        return None
    args = typing.get_args(info.annotation)
    return str(args[0]) if args else None


def _pick(candidates: list[type[BaseModel]], node: Any) -> type[BaseModel] | None:
    if not candidates:
        return None
    if isinstance(node, dict) and "type" in node:
        for model in candidates:
            if _tag(model) == node["type"]:
                return model
    return candidates[0]


def _found(value: Any) -> str:
    if isinstance(value, (SourceDict, dict)):
        return "a mapping"
    if isinstance(value, (SourceList, list)):
        return "a list"
    return repr(value)


def diagnose(
    exc: ValidationError, model: type[BaseModel], data: Any, file: str
) -> list[Diagnostic]:
    diagnostics: list[Diagnostic] = []
    for item in exc.errors(include_url=False):
        full_loc = tuple(item["loc"])
        loc = _without_tags(full_loc, data)
        kind = item["type"]
        path = ".".join(str(p) for p in loc)
        span = span_at(data, loc, key=(kind == "extra_forbidden")) or Span(file)
        hint: str | None = None
        if kind == "extra_forbidden":
            owner = _model_at(model, data, full_loc)
            allowed = _field_names(owner) if owner else []
            key = str(loc[-1])
            message = f"unknown field '{key}'"
            hint = allowed_hint(key, allowed, "fields") if allowed else None
            path = ".".join(str(p) for p in loc[:-1])
        elif kind == "missing":
            message = f"missing required field '{loc[-1]}'"
            path = ".".join(str(p) for p in loc[:-1])
        elif kind == "union_tag_invalid":
            ctx = item.get("ctx", {})
            tags = str(ctx.get("expected_tags", "")).replace("'", "").split(", ")
            found = str(ctx.get("tag", ""))
            message = f"unknown element type '{found}'"
            hint = allowed_hint(found, tags, "types")
            span = span_at(data, (*loc, "type")) or span
        elif kind == "union_tag_not_found":
            message = "an element needs a 'type'"
            hint = "for example type: text"
        elif kind == "literal_error" or kind == "enum":
            choices = str(item.get("ctx", {}).get("expected", ""))
            message = f"found {_found(item.get('input'))}, expected {choices}"
            found_value = item.get("input")
            if isinstance(found_value, str):
                hint = suggest(found_value, re.findall(r"'([^']*)'", choices))
        else:
            text = item["msg"].removeprefix("Value error, ")
            found = _found(item.get("input"))
            message = text if "found" in text else f"{text} (found {found})"
        diagnostics.append(Diagnostic(message, span, hint, field=_named(path, loc, data) or None))
    return diagnostics


def _named(path: str, loc: tuple[int | str, ...], data: Any) -> str:
    """``path`` led by the id of the innermost list item on it that has one:
    ``pages.0.elements.7`` → ``element 'qr-video' (pages.0.elements.7)``, and
    ``pages.0.elements.7.box.w`` → ``element 'qr-video' (pages.0.elements.7), box.w``."""
    if not path:
        return path
    steps = path.split(".")
    node, named, depth = data, "", 0
    for index, step in enumerate(loc[: len(steps)]):
        in_list = isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node)
        if in_list:
            node = node[step]
            item_id = node.get("id") if isinstance(node, dict) else None
            if isinstance(item_id, str) and item_id:
                owner = str(loc[index - 1]) if index else ""
                noun = "element" if owner == "elements" else "item"
                named, depth = f"{noun} '{item_id}'", index + 1
        elif isinstance(node, dict) and step in node:
            node = node[step]
        else:
            break
    if not named:
        return path
    rest = ".".join(steps[depth:])
    return f"{named} ({'.'.join(steps[:depth])})" + (f", {rest}" if rest else "")


def _without_tags(loc: tuple[int | str, ...], data: Any) -> tuple[int | str, ...]:
    """``loc`` without the union-tag steps pydantic inserts (``elements.0.text.box``)."""
    kept: list[int | str] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and isinstance(part, str) and node.get("type") == part:
            continue  # the discriminator of the element at this point
        kept.append(part)
        if isinstance(node, dict) and isinstance(part, str):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            node = None
    return tuple(kept)


def validate(model: type[M], data: Any, file: str) -> M:
    """``data`` as ``model``, or a :class:`PackgenError` listing every problem."""
    if not isinstance(data, dict):
        raise PackgenError(
            Diagnostic(
                f"expected a mapping of fields at the top of the file, found {_found(data)}",
                getattr(data, "span", None) or Span(file, 1, 1),
            )
        )
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        found = diagnose(exc, model, data, file)
        found.sort(key=lambda d: (d.span.line, d.span.column) if d.span else (0, 0))
        raise PackgenError(found) from None
