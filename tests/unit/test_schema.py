"""JSON Schemas and the field reference: generated from the models, committed, never stale."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from packgen.cli import main
from packgen.designer.reference import (
    DOCUMENTS,
    END,
    START,
    describe,
    descriptions,
    dumps,
    field_names,
    layout_schema,
    literal,
    models,
    org_schema,
    reference_markdown,
    story_items,
)
from packgen.elements import REGISTRY
from packgen.model.fixed import LayoutDocument
from packgen.model.pack import PackDocument
from packgen.resolve.org import OrgProfile
from tests.conftest import FIXTURES, ROOT

DOCS = ROOT / "docs"
REGENERATE = "run: packgen schema --write"
LAYOUTS = sorted(p for p in (ROOT / "layouts").glob("*.yaml") if p.name != "_paper.yaml")


def validator(schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_committed_schemas_match_the_models() -> None:
    layout = (DOCS / "layout.schema.json").read_text(encoding="utf-8")
    org = (DOCS / "org.schema.json").read_text(encoding="utf-8")
    assert layout == dumps(layout_schema()), f"docs/layout.schema.json is stale; {REGENERATE}"
    assert org == dumps(org_schema()), f"docs/org.schema.json is stale; {REGENERATE}"


def test_committed_reference_matches_the_models() -> None:
    text = (DOCS / "layouts.md").read_text(encoding="utf-8")
    section = START + text.partition(START)[2].partition(END)[0] + END + "\n"
    assert section == reference_markdown(), f"docs/layouts.md reference is stale; {REGENERATE}"


def test_every_field_is_described_and_no_description_is_stale() -> None:
    everything = models(LayoutDocument) + models(PackDocument) + models(OrgProfile)
    missing = [
        f"{m.__name__}.{name}"
        for m in everything
        for name in field_names(m)
        if not describe(m, name)
    ]
    assert missing == [], "describe these fields in packgen/designer/fields.yaml"
    names = {m.__name__: set(field_names(m)) for m in everything}
    # ElementBase describes what every element type has (its `type` included)
    names["ElementBase"] = set.intersection(*(set(field_names(m)) for m, _ in REGISTRY.values()))
    # DocumentBase: what both kinds of layout file have (`kind` and `sizes` included);
    # ItemBase: what every story item of a pack has (its `type` included)
    names["DocumentBase"] = set.intersection(*(set(field_names(m)) for m in DOCUMENTS))
    names["ItemBase"] = set.intersection(*(set(field_names(m)) for m in story_items()))
    stale = [
        f"{model}.{name}"
        for model, fields in descriptions().items()
        for name in fields
        if name not in names.get(model, set())
    ]
    assert stale == [], "packgen/designer/fields.yaml describes fields that no longer exist"


def test_every_field_appears_in_the_reference() -> None:
    text = (DOCS / "layouts.md").read_text(encoding="utf-8")
    for model in models(LayoutDocument) + models(PackDocument) + models(OrgProfile):
        for name in field_names(model):
            assert f"| `{name}` |" in text, f"{model.__name__}.{name} is not in docs/layouts.md"
    for type_name in REGISTRY:
        assert f"### `{type_name}` element" in text
    for item in story_items():
        (type_name,) = literal(item, "type")
        assert f"### `{type_name}` story item" in text
    assert '<a id="ref-packdocument"></a>' in text and '<a id="ref-story-items"></a>' in text


@pytest.mark.parametrize("layout", LAYOUTS, ids=[p.stem for p in LAYOUTS])
def test_schema_accepts_every_shipped_layout(layout: Path) -> None:
    text = layout.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../docs/layout.schema.json\n")
    errors = list(validator(layout_schema()).iter_errors(yaml.safe_load(text)))
    assert errors == [], [e.message for e in errors]


def test_schema_accepts_the_example_organisations() -> None:
    check = validator(org_schema())
    for path in sorted((DOCS / "examples" / "orgs").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# yaml-language-server: $schema=../../org.schema.json\n")
        assert list(check.iter_errors(yaml.safe_load(text))) == []


def errors_for(data: dict[str, Any]) -> list[str]:
    found = validator(layout_schema()).iter_errors(data)
    return sorted("/".join(str(p) for p in e.absolute_path) for e in found)


@pytest.mark.parametrize(
    ("fixture", "where"),
    [
        ("unknown-field", "pages/0/elements/0"),
        ("unknown-type", "pages/0/elements/0"),
        ("length-without-unit", "pages/0/elements/0"),
    ],
)
def test_schema_rejects_broken_layouts(fixture: str, where: str) -> None:
    data = yaml.safe_load((FIXTURES / "errors" / f"{fixture}.yaml").read_text(encoding="utf-8"))
    assert where in errors_for(data)


def test_schema_rejects_bad_values_and_keys() -> None:
    base = yaml.safe_load((ROOT / "layouts" / "poster-speak-up.yaml").read_text(encoding="utf-8"))
    assert errors_for(base) == []
    assert errors_for({**base, "kind": "flyer"}) == ["kind"]
    assert errors_for({**base, "stlyes": {}}) == [""]
    assert errors_for({**base, "page": {"bleed": 3}}) == ["page/bleed"]
    # merged mappings may be partial (a base gives the rest); list items are whole
    assert errors_for({"styles": {"headline": {"colour": "plum"}}}) == []
    page = {"id": "p", "elements": [{"type": "text", "id": "t"}]}
    assert errors_for({"kind": "poster", "pages": [page]}) == ["pages/0/elements/0"]


def test_every_property_is_described() -> None:
    for schema in (layout_schema(), org_schema()):
        for name, definition in schema["$defs"].items():
            for field, prop in definition.get("properties", {}).items():
                assert prop.get("description"), f"{name}.{field} has no description"


def test_kind_picks_the_document() -> None:
    pack = yaml.safe_load((ROOT / "layouts" / "pack-stakeholder.yaml").read_text(encoding="utf-8"))
    poster = yaml.safe_load((ROOT / "layouts" / "poster-speak-up.yaml").read_text(encoding="utf-8"))
    assert errors_for(pack) == []
    # a mistake is reported once, against the document `kind` names
    assert errors_for({**pack, "stroy": []}) == [""]
    assert errors_for({**pack, "pages": poster["pages"]}) == [""]
    assert errors_for({**poster, "story": pack["story"]}) == [""]
    assert errors_for({**pack, "kind": "poster"}) == [""]  # a poster has no story
    assert errors_for({**pack, "kind": "booklet"}) == ["kind"]
    # without `kind` (a base, or a kind inherited through `extends:`) either document fits
    assert errors_for({"templates": {"content": {"background": "teal"}}}) == []
    assert errors_for({"styles": {"body": {"size": "12pt"}}}) == []
    assert errors_for({"pages": poster["pages"]}) == []
    assert errors_for({"pages": poster["pages"], "story": pack["story"]}) == [""]


def test_schema_rejects_broken_packs() -> None:
    pack = yaml.safe_load((ROOT / "layouts" / "pack-stakeholder.yaml").read_text(encoding="utf-8"))
    story = pack["story"]

    def with_item(index: int, item: dict[str, Any]) -> list[str]:
        return errors_for({**pack, "story": [*story[:index], item, *story[index + 1 :]]})

    heading = {"type": "heading", "copy": "pack.about.title", "style": "h1"}
    assert with_item(1, heading) == []
    assert with_item(1, {**heading, "levle": 1}) == ["story/1"]  # a misspelt field
    assert with_item(1, {**heading, "type": "hedaing"}) == ["story/1"]  # an unknown type
    assert with_item(1, {"type": "heading", "copy": "pack.about.title"}) == ["story/1"]
    assert with_item(1, {**heading, "level": 4}) == ["story/1"]
    assert with_item(1, {"type": "space", "h": "4"}) == ["story/1"]  # a length needs a unit
    form = next(item for item in story if item["type"] == "form")
    label = {"label": "pack.letter.fields.sender", "maxlength": 20}
    assert with_item(1, {**form, "fields": {"sender": label}}) == ["story/1"]
    # templates merge with the base's (partial), their frames are written whole
    assert errors_for({**pack, "templates": {"back": {"once": False}}}) == []
    assert errors_for({**pack, "templates": {"back": {"onse": True}}}) == ["templates/back"]
    frame = {"box": {"col": 1, "span": 6, "y": "20mm", "h": "200mm"}}
    templates = {"content": {"frames": [frame]}}
    assert errors_for({**pack, "templates": templates}) == ["templates/content/frames/0"]
    assert errors_for({**pack, "story": []}) == ["story"]
    # template and form field names are names (letters, digits, - and _)
    assert errors_for({**pack, "templates": {"back page": {}}}) == ["templates"]
    named = {
        **form,
        "fields": {**form["fields"], "your name": {"label": "pack.letter.fields.sender"}},
    }
    assert with_item(1, named) == ["story/1"]
    # a pack's size overlay changes styles only
    assert errors_for({**pack, "sizes": {"A4": {"elements": {}}}}) == ["sizes/A4"]


@pytest.mark.parametrize(
    ("fixture", "where"),
    [("pack-unknown-item", "story/0"), ("pack-size-elements", "sizes/A4")],
)
def test_schema_rejects_broken_pack_fixtures(fixture: str, where: str) -> None:
    data = yaml.safe_load((FIXTURES / "errors" / f"{fixture}.yaml").read_text(encoding="utf-8"))
    assert where in errors_for(data)


def test_schema_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == layout_schema()
    assert main(["schema", "--org"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["title"] == "packgen organisation profile"
    assert "support" in printed["required"]
    assert printed["properties"]["logo"]["description"].startswith("PNG, JPEG or SVG")
