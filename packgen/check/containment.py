"""Which structure elements may hold which, and what a role map may say (PDF/UA-1).

Machine-checkable parts of ISO 32000-1 14.8.4 as PDF/UA-1 (ISO 14289-1 7.1,
7.2) and the Matterhorn Protocol apply them: every structure type is a
standard one or role-mapped to one, the role map neither remaps a standard
type nor goes round in a circle (Matterhorn 02-001 to 02-004), and lists,
tables of contents and tables are built as the standard says (09-004 to
09-006): ``L`` > ``LI`` > ``Lbl``/``LBody``, ``TOC`` > ``TOCI`` (> ``Lbl``,
``Reference``, ``NonStruct``, ``P``, ``TOC``), ``Table`` > (``THead``,
``TBody``, ``TFoot``) > ``TR`` > ``TH``/``TD``. Types are compared after the
role map, so a file with its own type names is judged by what they stand for.
"""

from __future__ import annotations

from collections.abc import Mapping

STANDARD = frozenset(
    {
        *("Document", "Part", "Art", "Sect", "Div", "BlockQuote", "Caption", "TOC", "TOCI"),
        *("Index", "NonStruct", "Private", "P", "H", "H1", "H2", "H3", "H4", "H5", "H6"),
        *("L", "LI", "Lbl", "LBody", "Table", "TR", "TH", "TD", "THead", "TBody", "TFoot"),
        *("Span", "Quote", "Note", "Reference", "BibEntry", "Code", "Link", "Annot"),
        *("Ruby", "RB", "RT", "RP", "Warichu", "WT", "WP", "Figure", "Formula", "Form"),
    }
)

# what a grouping type's kids may be ("content" is marked content held directly)
KIDS: dict[str, frozenset[str]] = {
    "L": frozenset({"LI", "Caption"}),
    "LI": frozenset({"Lbl", "LBody"}),
    "TOC": frozenset({"TOCI", "TOC", "Caption"}),
    "TOCI": frozenset({"Lbl", "Reference", "NonStruct", "P", "TOC"}),
    "Table": frozenset({"TR", "THead", "TBody", "TFoot", "Caption"}),
    "THead": frozenset({"TR"}),
    "TBody": frozenset({"TR"}),
    "TFoot": frozenset({"TR"}),
    "TR": frozenset({"TH", "TD"}),
}

# what a part's parent must be
PARENTS: dict[str, frozenset[str]] = {
    "LI": frozenset({"L"}),
    "LBody": frozenset({"LI"}),
    "TOCI": frozenset({"TOC"}),
    "TR": frozenset({"Table", "THead", "TBody", "TFoot"}),
    "THead": frozenset({"Table"}),
    "TBody": frozenset({"Table"}),
    "TFoot": frozenset({"Table"}),
    "TH": frozenset({"TR"}),
    "TD": frozenset({"TR"}),
}

KID_PROBLEMS = {
    "L": "a list (L) holds something other than list items (LI)",
    "LI": "a list item (LI) is not a label (Lbl) and a body (LBody)",
    "TOC": "a table of contents (TOC) holds something other than entries (TOCI) or a TOC",
    "TOCI": "a contents entry (TOCI) holds other than Lbl, Reference, NonStruct, P or TOC",
    "Table": "a table holds something other than rows (TR) or THead, TBody, TFoot",
    "THead": "a table's THead holds something other than rows (TR)",
    "TBody": "a table's TBody holds something other than rows (TR)",
    "TFoot": "a table's TFoot holds something other than rows (TR)",
    "TR": "a table row (TR) holds something other than cells (TH, TD)",
}


def kid_problem(kind: str, kids: list[str]) -> str | None:
    """What is wrong with the kids (their standard types) of an element of type ``kind``."""
    allowed = KIDS.get(kind)
    if allowed is None:
        return None
    wrong = any(k not in allowed for k in kids)
    if kind == "LI":
        wrong = wrong or "LBody" not in kids
    return KID_PROBLEMS[kind] if wrong else None


def parent_problem(kind: str, parent: str) -> str | None:
    """What is wrong with where an element of type ``kind`` sits (its parent's type)."""
    allowed = PARENTS.get(kind)
    if allowed is None or parent in allowed:
        return None
    return f"a {kind} element is inside a {parent or 'structure tree root'}, not {_or(allowed)}"


def _or(names: frozenset[str]) -> str:
    ordered = sorted(names)
    return ordered[0] if len(ordered) == 1 else ", ".join(ordered[:-1]) + " or " + ordered[-1]


def role_map_problems(role_map: Mapping[str, str]) -> list[str]:
    """A remapped standard type, or a mapping that goes round in a circle."""
    found = []
    for source in sorted(role_map):
        if source in STANDARD:
            found.append(f"the role map remaps the standard type {source}")
            continue
        seen, current = {source}, role_map[source]
        while current in role_map and current not in STANDARD:
            if current in seen:
                found.append(f"the role map maps {source} round in a circle")
                break
            seen.add(current)
            current = role_map[current]
    return found


def standard(kind: str, role_map: Mapping[str, str]) -> str | None:
    """The standard type ``kind`` stands for (after the role map); None when there is none."""
    seen: set[str] = set()
    while kind not in STANDARD:
        if kind in seen or kind not in role_map:
            return None
        seen.add(kind)
        kind = role_map[kind]
    return kind
