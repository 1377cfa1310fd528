"""The pipeline's stage order, from the imports: each stage imports only earlier ones.

``packgen/<stage>/`` sub-packages (and the top-level modules) are ranked below;
a module may import its own stage and earlier ones. The few known exceptions
are listed with the reason and go as the engine is made one.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "packgen"

# rank of each stage: a module may import stages of the same or a lower rank
RANK = {
    "errors": 0,
    "units": 0,
    "colour": 0,
    "xmltext": 0,
    "source": 1,
    "model": 2,
    "resolve": 3,
    "elements": 4,  # one module per element type: its model and its layout
    "layout": 4,
    "render": 5,
    "check": 6,
    "build": 7,
    "designer": 8,
    "distribute": 8,
    "web": 9,
    "cli": 10,
    "__main__": 10,
}

# (importing module, imported module): why it is allowed for now
KNOWN = {
    ("packgen.model.fixed", "packgen.elements"): "the layout model's element union",
    ("packgen.model.pack", "packgen.elements"): "the pack's positioned items are elements",
    ("packgen.layout.typeset", "packgen.render.ink"): "paragraphs carry their colour",
}


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def _imports() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        importer = _module(path)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            found.extend((importer, name) for name in names if name.startswith("packgen."))
    return found


def _allowed(importer: str, imported: str) -> bool:
    return any(
        importer == known_importer and (imported + ".").startswith(known + ".")
        for known_importer, known in KNOWN
    )


def test_every_module_belongs_to_a_ranked_stage() -> None:
    stages = {_stage(_module(path)) for path in PACKAGE.rglob("*.py")} - {None}
    assert stages <= set(RANK), f"give these stages a rank: {sorted(stages - set(RANK))}"


def test_each_stage_imports_only_earlier_stages() -> None:
    backwards = sorted(
        f"{importer} imports {imported}"
        for importer, imported in _imports()
        if RANK[_stage(imported) or ""] > RANK[_stage(importer) or ""]
        and not _allowed(importer, imported)
    )
    assert not backwards, "imports against the stage order:\n" + "\n".join(backwards)


def test_every_known_exception_is_still_needed() -> None:
    imports = _imports()
    stale = [
        known
        for known in KNOWN
        if not any(
            _allowed(*pair)
            for pair in imports
            if pair[0] == known[0] and (pair[1] + ".").startswith(known[1] + ".")
        )
    ]
    assert not stale, f"no longer imported, drop from KNOWN: {stale}"
