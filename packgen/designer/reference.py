"""The layout language as data: JSON Schemas and the field reference, from the models.

``layout_schema()`` and ``org_schema()`` are the pydantic models' JSON Schemas
(by YAML name) with a description of every field from ``fields.yaml``.
A layout file is one of two documents, chosen by its ``kind``: a fixed-page
``LayoutDocument`` (poster, leaflet) or a flowing ``PackDocument`` (pack).
Because a layout may take fields from the file it ``extends:``, nothing is
required at the top of a layout file or in the mappings merged with the base
(``page``, ``rules``, ``metadata``, ``styles``, ``sizes``, ``templates``);
what lists hold (pages, elements, panels, frames, story items) is written
whole, so it keeps its required fields.

``reference_markdown()`` renders the reference tables of ``docs/layouts.md``.
``packgen schema --write`` refreshes the committed schemas and
that section; a test fails when they drift from the models.
"""

from __future__ import annotations

import copy
import json
import typing
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from packgen.elements import REGISTRY
from packgen.model.common import ElementBase
from packgen.model.fixed import DocumentBase, LayoutDocument
from packgen.model.pack import ItemBase, PackDocument
from packgen.resolve.org import OrgProfile
from packgen.source.validate import _models_in
from packgen.units import LENGTH_PATTERN

FIELDS_FILE = Path(__file__).with_name("fields.yaml")
DRAFT = "https://json-schema.org/draft/2020-12/schema"
START, END = "<!-- reference:start -->", "<!-- reference:end -->"
COMMON = ("type", "id", "box", "panel", "show")  # the fields every element has
ITEM_COMMON = ("type", "keep_with_next")  # the fields every story item has
DOCUMENTS: tuple[type[DocumentBase], ...] = (LayoutDocument, PackDocument)  # by `kind`

# Headings of the reference, by model; a model missing here is headed by its name.
TITLES: dict[str, str] = {
    "LayoutDocument": "Poster or leaflet layout file (top level)",
    "Metadata": "`metadata:`",
    "PageSpec": "`page:`",
    "Margins": "`page.margins:` (four sides)",
    "Grid": "`page.grid:`",
    "SizeVariant": "`sizes:` (one size's overlay)",
    "Rules": "`rules:`",
    "Style": "`styles:` (one style)",
    "PageModel": "`pages:` (one page)",
    "FoldPanel": "`pages[].panels:` (one fold panel)",
    "Box": "`box:`",
    "OrgProfile": "Organisation profile (top level)",
    "Support": "`support:`",
    "Tracking": "`tracking:`",
    "Colour": "A colour (`accent:`)",
    "PackDocument": "Pack layout file (top level)",
    "PackSize": "`sizes:` of a pack (one size's overlay)",
    "Template": "`templates:` (one page template)",
    "FlowFrame": "`templates.NAME.frames:` (one frame)",
    "CardLook": "`card:` (the box of each card, fact or post)",
    "FormField": "`fields:` of a form (one fill-in field)",
}


@cache
def descriptions() -> dict[str, dict[str, str]]:
    """``fields.yaml``: model name → field name → what it means."""
    data = yaml.safe_load(FIELDS_FILE.read_text(encoding="utf-8"))
    return {model: {str(k): str(v) for k, v in fields.items()} for model, fields in data.items()}


def field_names(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


def describe(model: type[BaseModel], name: str) -> str | None:
    """What field ``name`` of ``model`` means (looked up along the class's bases)."""
    for cls in model.__mro__:
        text = descriptions().get(cls.__name__, {}).get(name)
        if text is not None:
            return text
    return None


def models(root: type[BaseModel]) -> list[type[BaseModel]]:
    """Every model a file of ``root`` can contain, in the order first met."""
    found: list[type[BaseModel]] = [root]
    for model in found:
        for info in model.model_fields.values():
            for inner in _models_in(info.annotation):
                if inner not in found:
                    found.append(inner)
    return found


def story_items() -> list[type[BaseModel]]:
    """The story item models of a pack, in the order the model lists them."""
    return _models_in(PackDocument.model_fields["story"].annotation)


def _describe_all(schema: dict[str, Any], roots: tuple[type[BaseModel], ...]) -> None:
    """Descriptions onto the properties of every model (a root without a definition is
    the schema itself)."""
    defs = schema.get("$defs", {})
    for model in {m: None for root in roots for m in models(root)}:
        target = defs.get(model.__name__)
        if target is None and model in roots:
            target = schema
        if target is None:
            raise LookupError(f"{model.__name__} has no definition in the schema")
        for name, prop in target.get("properties", {}).items():
            text = describe(model, name)
            if text:
                prop["description"] = text


def literal(model: type[BaseModel], name: str) -> list[str]:
    """The values a ``Literal`` field accepts (a document's ``kind``, an item's ``type``)."""
    return [str(value) for value in typing.get_args(model.model_fields[name].annotation)]


def kinds(document: type[DocumentBase]) -> list[str]:
    """The ``kind:`` values a document model accepts."""
    return literal(document, "kind")


def _name_keys(node: Any) -> None:
    """Mappings keyed by names (``dict[Name, Template]``) as ``propertyNames`` and
    ``additionalProperties``: pydantic's ``patternProperties`` would let a key of the
    wrong shape through unchecked, and the walks here read ``additionalProperties``."""
    if isinstance(node, list):
        for item in node:
            _name_keys(item)
        return
    if not isinstance(node, dict):
        return
    patterns = node.get("patternProperties")
    if isinstance(patterns, dict) and len(patterns) == 1 and "additionalProperties" not in node:
        ((pattern, values),) = patterns.items()
        del node["patternProperties"]
        node["propertyNames"] = {"pattern": pattern}
        node["additionalProperties"] = values
    for value in node.values():
        _name_keys(value)


def _model_schema(model: type[BaseModel]) -> dict[str, Any]:
    schema = model.model_json_schema(by_alias=True)
    _name_keys(schema)
    return schema


def _ref_name(node: dict[str, Any]) -> str | None:
    ref = node.get("$ref")
    return str(ref).rsplit("/", 1)[-1] if isinstance(ref, str) else None


def _whole(schema: dict[str, Any]) -> set[str]:
    """Names of the definitions reachable through a list (written whole, never merged)."""
    defs = schema.get("$defs", {})
    found: set[str] = set()

    def walk(node: Any, in_list: bool) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item, in_list)
            return
        if not isinstance(node, dict):
            return
        name = _ref_name(node)
        if name is not None and in_list and name not in found:
            found.add(name)
            walk(defs.get(name), True)
        for key, value in node.items():
            if key in ("items", "prefixItems"):
                walk(value, True)
            elif key == "properties":
                walk(list(value.values()), in_list)
            elif key in ("additionalProperties", "anyOf", "oneOf", "allOf"):
                walk(value, in_list)

    for definition in defs.values():
        walk(definition, False)
    walk(schema, False)
    return found


def _relax_merged(schema: dict[str, Any]) -> None:
    """Drop ``required`` wherever a layout's mapping merges with its base's."""
    defs = schema.get("$defs", {})
    whole = _whole(schema)
    done: set[str] = set()

    def relax(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                relax(item)
            return
        if not isinstance(node, dict):
            return
        name = _ref_name(node)
        if name is not None:
            if name in whole:  # also written whole elsewhere: relax a copy
                partial = f"{name}Partial"
                if partial not in defs:
                    defs[partial] = copy.deepcopy(defs[name])
                    done.add(partial)
                    relax(defs[partial])
                node["$ref"] = f"#/$defs/{partial}"
            elif name not in done:
                done.add(name)
                relax(defs[name])
        node.pop("required", None)
        for key, value in node.items():
            if key == "properties":
                relax(list(value.values()))
            elif key in ("additionalProperties", "anyOf", "oneOf", "allOf", "then", "else"):
                relax(value)  # never `if`: its `required` tests which branch applies

    relax(schema)


def layout_schema() -> dict[str, Any]:
    """JSON Schema of a layout file (``layouts/*.yaml``), either kind.

    ``kind`` picks the document a file is checked against, so a mistake is
    reported against that document alone; a file without ``kind`` (a base, or
    one that inherits its kind through ``extends:``) may be either.
    """
    _, top = models_json_schema([(d, "validation") for d in DOCUMENTS], by_alias=True)
    defs: dict[str, Any] = top["$defs"]
    _name_keys(defs)
    _describe_all({"$defs": defs}, DOCUMENTS)
    overlay = defs.get("SizeVariant", {}).get("properties", {}).get("styles")
    if overlay is not None:  # a size's style changes are partial styles
        overlay["additionalProperties"] = {"$ref": "#/$defs/Style"}
    refs = [{"$ref": f"#/$defs/{d.__name__}"} for d in DOCUMENTS]
    branches = [
        {"if": {"required": ["kind"], "properties": {"kind": {"enum": kinds(d)}}}, "then": ref}
        for d, ref in zip(DOCUMENTS, refs, strict=True)
    ]
    schema: dict[str, Any] = {
        "$schema": DRAFT,
        "title": "packgen layout",
        "description": (
            "A packgen layout file (layouts/*.yaml): a poster or leaflet of fixed pages "
            "(`kind: poster` or `leaflet`, with `pages`) or a pack whose text flows from "
            "page to page (`kind: pack`, with `templates` and a `story`); `kind` decides "
            "which fields are allowed. Fields may come from the file named in `extends:`, "
            "so none is required at the top level or in mappings merged with the base "
            "(page, rules, metadata, styles, sizes, templates); `packgen build` checks the "
            "merged layout. Lengths carry a unit: mm, cm, in or pt. "
            "Reference: docs/layouts.md."
        ),
        "type": "object",
        "properties": {
            "kind": {
                "enum": [kind for d in DOCUMENTS for kind in kinds(d)],
                "description": describe(DocumentBase, "kind"),
            }
        },
        # an unknown kind is flagged by `properties` above and matches no branch
        "allOf": [*branches, {"if": {"required": ["kind"]}, "else": {"anyOf": refs}}],
        "$defs": defs,
    }
    _relax_merged(schema)
    return schema


def org_schema() -> dict[str, Any]:
    """JSON Schema of an organisation profile (``packgen build --org FILE``)."""
    schema = _model_schema(OrgProfile)
    _describe_all(schema, (OrgProfile,))
    schema["title"] = "packgen organisation profile"
    schema["description"] = (
        "An organisation's co-branding: name, logo, website and local support service. "
        "Reference: docs/layouts.md."
    )
    return {"$schema": DRAFT, **schema}


def dumps(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


# --- the markdown reference -------------------------------------------------------------


def _anchor(name: str) -> str:
    return f"ref-{name.lower()}"


def _type(node: dict[str, Any], defs: dict[str, Any]) -> str:
    name = _ref_name(node)
    if name is not None:
        target = defs.get(name, {})
        if "enum" in target:
            return " \\| ".join(f"`{v}`" for v in target["enum"])
        return f"[{name}](#{_anchor(name)})"
    if "const" in node:
        return f"`{node['const']}`"
    if "enum" in node:
        return " \\| ".join(f"`{v}`" for v in node["enum"])
    if "anyOf" in node:
        parts = [_type(n, defs) for n in node["anyOf"] if n.get("type") != "null"]
        return " or ".join(parts)
    if "oneOf" in node:
        items = {m.__name__ for m in story_items()}
        if all(_ref_name(n) in items for n in node["oneOf"]):
            return "[story item](#ref-story-items)"
        return "[element](#ref-elements)"
    kind = node.get("type")
    if kind == "string":
        return "length" if node.get("pattern") == LENGTH_PATTERN else "text"
    if kind in ("integer", "number"):
        low = node.get("minimum", node.get("exclusiveMinimum"))
        high = node.get("maximum", node.get("exclusiveMaximum"))
        word = "whole number" if kind == "integer" else "number"
        if low is not None and high is not None:
            return f"{word} ({low}–{high})"
        return f"{word} (≥ {low})" if low is not None else word
    if kind == "boolean":
        return "`true` \\| `false`"
    if kind == "array":
        if "prefixItems" in node:
            items = node["prefixItems"]
            return f"list of {len(items)} × {_type(items[0], defs)}"
        return f"list of {_type(node.get('items', {}), defs)}"
    if kind == "object":
        values = node.get("additionalProperties")
        if isinstance(values, dict) and values:
            inner = _type(values, defs)
            return f"name → {inner}" if inner != "mapping" else "name → mapping"
        return "mapping"
    return "any"


def _default(prop: dict[str, Any], required: bool) -> str:
    if required:
        return "**required**"
    if "default" not in prop or prop["default"] is None:
        return "—"
    default = prop["default"]
    if isinstance(default, dict):  # a model's default: only what it sets
        default = {k: v for k, v in default.items() if v is not None}
    return f"`{json.dumps(default, ensure_ascii=False)}`"


def _table(model: type[BaseModel], schema: dict[str, Any], names: list[str]) -> list[str]:
    defs = schema.get("$defs", {})
    rows = ["| field | type | default | meaning |", "| --- | --- | --- | --- |"]
    required = set(schema.get("required", []))
    for name in names:
        prop = schema["properties"][name]
        text = (describe(model, name) or "").replace("|", "\\|")
        rows.append(
            f"| `{name}` | {_type(prop, defs)} | {_default(prop, name in required)} | {text} |"
        )
    return rows


def _section(
    model: type[BaseModel], root_schema: dict[str, Any], heading: str | None = None
) -> list[str]:
    name = model.__name__
    defs = root_schema.get("$defs", {})
    schema = {**defs.get(name, root_schema), "$defs": defs}  # the root model has no $defs entry
    names = field_names(model)
    if issubclass(model, ElementBase):
        names = [n for n in names if n not in COMMON]
    if issubclass(model, ItemBase):
        names = [n for n in names if n not in ITEM_COMMON]
    doc = (model.__doc__ or "").strip().split("\n\n")[0].replace("\n", " ")
    lines = [f'<a id="{_anchor(name)}"></a>', "", f"### {heading or TITLES.get(name, name)}", ""]
    if doc:
        lines += [doc, ""]
    return [*lines, *_table(model, schema, names), ""]


def _common(
    schema: dict[str, Any], first: type[BaseModel], names: tuple[str, ...], types: list[str]
) -> dict[str, Any]:
    """The schema of the fields a family of models shares, `type` naming every member."""
    common = {**schema["$defs"][first.__name__], "$defs": schema["$defs"]}
    common["required"] = [n for n in common.get("required", []) if n in names]
    common["properties"] = {**common["properties"], "type": {"enum": types}}
    return common


def reference_markdown() -> str:
    """The generated reference: one table per model of layouts, packs and organisation
    profiles."""
    layout = _model_schema(LayoutDocument)
    lines = [START, "", "*Generated from the models and `packgen/designer/fields.yaml`.*", ""]
    elements = [model for model, _ in REGISTRY.values()]
    for model in models(LayoutDocument):
        if model not in elements:
            lines += _section(model, layout)
    common = _common(layout, elements[0], COMMON, sorted(REGISTRY))
    lines += [
        '<a id="ref-elements"></a>',
        "",
        "### Elements: the fields every element has",
        "",
        *_table(ElementBase, common, [n for n in COMMON if n in common["properties"]]),
        "",
    ]
    for type_name, (model, _) in sorted(REGISTRY.items()):
        lines += _section(model, layout, f"`{type_name}` element")

    pack = _model_schema(PackDocument)
    items = story_items()
    shown = set(models(LayoutDocument))
    inside = {inner for item in items for inner in models(item)}  # cards, form fields
    own = [m for m in models(PackDocument) if m not in shown and m not in items]
    for model in own:
        if model not in inside:
            lines += _section(model, pack)
    types = [type_name for item in items for type_name in literal(item, "type")]
    common = _common(pack, items[0], ITEM_COMMON, types)
    lines += [
        '<a id="ref-story-items"></a>',
        "",
        "### Story items: the fields every item has",
        "",
        *_table(ItemBase, common, [n for n in ITEM_COMMON if n in common["properties"]]),
        "",
    ]
    for type_name, item in zip(types, items, strict=True):
        lines += _section(item, pack, f"`{type_name}` story item")
    for model in own:
        if model in inside:
            lines += _section(model, pack)

    org = _model_schema(OrgProfile)
    for model in models(OrgProfile):
        lines += _section(model, org)
    lines.append(END)
    return "\n".join(lines) + "\n"


def write(root: Path) -> list[Path]:
    """Refresh the committed schemas and the reference section of docs/layouts.md."""
    docs = root / "docs"
    written = []
    for name, schema in (
        ("layout.schema.json", layout_schema()),
        ("org.schema.json", org_schema()),
    ):
        path = docs / name
        path.write_text(dumps(schema), encoding="utf-8")
        written.append(path)
    guide = docs / "layouts.md"
    text = guide.read_text(encoding="utf-8")
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    guide.write_text(head + reference_markdown().rstrip("\n") + tail, encoding="utf-8")
    written.append(guide)
    return written
