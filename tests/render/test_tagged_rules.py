"""The ``tagged`` audit's PDF/UA-1 (Matterhorn) conditions, each caught in a broken copy.

Each test breaks one thing in a copy of a built office PDF with pikepdf and
expects exactly the finding that names it (and the check's ``tagged`` fail).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, String

from packgen.build import BuildReport
from packgen.check import check_file
from packgen.check.containment import role_map_problems, standard
from packgen.check.tagged import audit
from tests.render.structure import elements


def _source(built: BuildReport, name: str) -> Path:
    return next(
        f.path for f in built.files if f.profile == "office" and f.path.name.startswith(name)
    )


def _all(pdf: pikepdf.Pdf, kind: str) -> list[pikepdf.Dictionary]:
    found: list[pikepdf.Dictionary] = []
    elements(pdf.Root.StructTreeRoot.K, kind, found)
    return found


def _document(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
    return pdf.Root.StructTreeRoot.K


# -- the breakages --------------------------------------------------------------------------


def _loose_path(pdf: pikepdf.Pdf) -> None:  # a rule drawn outside marked content
    pdf.pages[0].contents_add(pdf.make_stream(b"0 0 1 rg 10 10 m 100 10 l S"))


def _wrapped_in_artifact(pdf: pikepdf.Pdf) -> None:  # the whole page inside an artifact
    page = pdf.pages[0]
    page.contents_add(pdf.make_stream(b"/Artifact BMC"), prepend=True)
    page.contents_add(pdf.make_stream(b"EMC"))


def _empty_heading(pdf: pikepdf.Pdf) -> None:
    document = _document(pdf)
    empty = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.H2, P=document, K=Array()))
    document.K.append(empty)


def _unmapped_type(pdf: pikepdf.Pdf) -> None:  # a paragraph called /Para, with no role map
    _all(pdf, "/P")[0].S = Name("/Para")


def _mapped_type(pdf: pikepdf.Pdf) -> None:  # the same, role-mapped to P: sound
    _unmapped_type(pdf)
    pdf.Root.StructTreeRoot.RoleMap = Dictionary(Para=Name.P)


def _remapped_standard(pdf: pikepdf.Pdf) -> None:
    pdf.Root.StructTreeRoot.RoleMap = Dictionary(P=Name.Span)


def _circular_map(pdf: pikepdf.Pdf) -> None:
    pdf.Root.StructTreeRoot.RoleMap = Dictionary(Para=Name("/Text"), Text=Name("/Para"))


def _toci_holds_link(pdf: pikepdf.Pdf) -> None:  # TOCI > Link, its Reference left out
    entry = _all(pdf, "/TOCI")[0]
    link = entry.K[0].K[0]
    link.P = entry
    entry.K = Array([link])


def _toci_outside_toc(pdf: pikepdf.Pdf) -> None:  # the contents called a list
    _all(pdf, "/TOC")[0].S = Name.L


def _list_as_table(pdf: pikepdf.Pdf) -> None:  # a table whose rows are list items
    _all(pdf, "/L")[0].S = Name.Table


def _wrong_parent(pdf: pikepdf.Pdf) -> None:
    _all(pdf, "/H1")[0].P = _all(pdf, "/P")[0]


def _parent_tree_swapped(pdf: pikepdf.Pdf) -> None:  # MCIDs 0 and 1 lead to each other's
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    held = nums[1]
    held[0], held[1] = held[1], held[0]


def _parent_tree_without_page(pdf: pikepdf.Pdf) -> None:
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    pdf.Root.StructTreeRoot.ParentTree.Nums = Array(list(nums)[2:])


def _annotation_misled(pdf: pikepdf.Pdf) -> None:  # the first link's key names another's
    links = [a for a in pdf.pages[0].Annots if a.Subtype == Name.Link]
    links[0].StructParent = links[1].StructParent


def _annotation_in_paragraph(pdf: pikepdf.Pdf) -> None:  # the QR code's Link called a P
    link = next(e for e in _all(pdf, "/Link") if "/Figure" in [str(k.get("/S")) for k in e.K])
    link.S = Name.P


def _untagged_annotation(pdf: pikepdf.Pdf) -> None:  # a sticky note no element holds
    note = pdf.make_indirect(
        Dictionary(
            Type=Name.Annot,
            Subtype=Name.Text,
            Rect=Array([10, 10, 30, 30]),
            Contents=String("A note"),
        )
    )
    pdf.pages[0].Annots.append(note)


def _field_undescribed(pdf: pikepdf.Pdf) -> None:
    for page in pdf.pages:
        for annot in page.get("/Annots", []):
            if annot.Subtype == Name.Widget and "/TU" in annot:
                del annot.TU
                for form in _all(pdf, "/Form"):
                    if "/Alt" in form:
                        del form.Alt
                return


def _field_font_missing(pdf: pikepdf.Pdf) -> None:  # set in Helvetica, which the form lacks
    field = pdf.Root.AcroForm.Fields[0]
    field.DA = String("/Helv 12 Tf 0 g")


def _field_font_not_embedded(pdf: pikepdf.Pdf) -> None:
    font = pdf.Root.AcroForm.DR.Font.PGF0
    font.FontDescriptor = Dictionary(Type=Name.FontDescriptor, FontName=font.BaseFont, Flags=32)


def _suspect(pdf: pikepdf.Pdf) -> None:
    pdf.Root.MarkInfo.Suspects = True


CASES: list[tuple[str, Callable[[pikepdf.Pdf], None], list[str]]] = [
    (
        "poster-speak-up-A4",
        _loose_path,
        ["page 1: 1 drawing operator(s) (paths, images) outside marked content and artifacts"],
    ),
    (
        "poster-speak-up-A4",
        _wrapped_in_artifact,
        ["page 1: 12 artifact(s) and tagged content nested inside each other"],
    ),
    ("leaflet-cues-A4", _empty_heading, ["a heading (H2) is empty"]),
    (
        "leaflet-cues-A4",
        _unmapped_type,
        ["structure type Para is neither standard nor role-mapped to one"],
    ),
    ("leaflet-cues-A4", _mapped_type, []),
    ("leaflet-cues-A4", _remapped_standard, ["the role map remaps the standard type P"]),
    (
        "leaflet-cues-A4",
        _circular_map,
        ["the role map maps Para round in a circle", "the role map maps Text round in a circle"],
    ),
    (
        "pack-stakeholder",
        _toci_holds_link,
        ["a contents entry (TOCI) holds other than Lbl, Reference, NonStruct, P or TOC"],
    ),
    (
        "pack-stakeholder",
        _toci_outside_toc,
        [
            "a list (L) holds something other than list items (LI)",
            "a TOCI element is inside a L, not TOC (14 times)",
        ],
    ),
    (
        "leaflet-cues-A4",
        _list_as_table,
        [
            "a table holds something other than rows (TR) or THead, TBody, TFoot",
            "a LI element is inside a Table, not L (3 times)",
        ],
    ),
    ("leaflet-cues-A4", _wrong_parent, ["a structure element's /P is not the element holding it"]),
    (
        "leaflet-cues-A4",
        _parent_tree_swapped,
        ["page 1: the ParentTree does not lead MCID 0 to its element (2 MCIDs)"],
    ),
    (
        "poster-speak-up-A4",
        _parent_tree_without_page,
        ["page 1: the ParentTree has no entry for the page"],
    ),
    (
        "poster-speak-up-A4",
        _annotation_misled,
        ["page 1: the ParentTree does not lead a Link annotation to its element"],
    ),
    (
        "poster-speak-up-A4",
        _annotation_in_paragraph,
        ["page 1: a Link annotation is in a P element, not Link"],
    ),
    (
        "poster-speak-up-A4",
        _untagged_annotation,
        ["page 1: a Text annotation has no structure element"],
    ),
    ("pack-stakeholder", _field_undescribed, ["page 10: a form field has no description (/TU)"]),
    (
        "pack-stakeholder",
        _field_font_missing,
        ["a form field's font /Helv is not in the form's resources (/DR)"],
    ),
    (
        "pack-stakeholder",
        _field_font_not_embedded,
        ["a form field's font /AtkinsonHyperlegible-Regular is not embedded"],
    ),
    (
        "poster-speak-up-A4",
        _suspect,
        ["/MarkInfo /Suspects is true: the tagging is not to be trusted"],
    ),
]


@pytest.mark.parametrize(
    ("name", "breakage", "expected"), CASES, ids=[c[1].__name__.lstrip("_") for c in CASES]
)
def test_each_condition_is_caught_in_a_broken_copy(
    built: BuildReport,
    tmp_path: Path,
    name: str,
    breakage: Callable[[pikepdf.Pdf], None],
    expected: list[str],
) -> None:
    source = _source(built, name)
    assert audit(source) == []
    broken = tmp_path / source.name
    with pikepdf.open(source) as pdf:
        breakage(pdf)
        pdf.save(broken)
    assert audit(broken) == expected
    if expected:
        tagged = [f for f in check_file(broken, fast=True).findings if f.check == "tagged"]
        assert tagged and expected[0] in tagged[0].message, tagged


def test_role_map_types_resolve_to_standard_ones() -> None:
    assert standard("Para", {"Para": "Text", "Text": "P"}) == "P"
    assert standard("Para", {}) is None
    assert standard("Para", {"Para": "Para"}) is None
    assert role_map_problems({"Para": "P", "Box": "Div"}) == []
