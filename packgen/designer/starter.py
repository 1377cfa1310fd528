"""``packgen init DIR``: the embedded pack's files copied into a new project folder.

The new folder gets ``layouts/``, ``assets/`` (campaign data, copy, art,
fonts and settings) and ``docs/`` with the JSON Schemas the layouts point
their editors at. It is written beside the target and renamed into place,
so a failure leaves nothing half-copied; a folder that is not empty is
refused, so nothing of the designer's is ever overwritten.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from packgen.errors import Span, error
from packgen.resolve.project import embedded_root

FOLDERS = ("layouts", "assets")
IGNORED = shutil.ignore_patterns("__pycache__", ".*", "*.pyc")


def init_project(target: Path, source: Path | None = None) -> int:
    """Copy the embedded project (or ``source``) into ``target``; the number of files."""
    from packgen.designer.reference import dumps, layout_schema, org_schema

    origin = source or embedded_root()
    if target.exists() and not target.is_dir():
        raise error(f"{target} is a file, not a folder", Span(str(target)))
    if target.is_dir() and any(target.iterdir()):
        raise error(
            f"{target} is not empty; packgen init writes only into a new or empty folder",
            Span(str(target)),
            "choose a new folder name, e.g. packgen init my-campaign",
        )
    parent = target.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=parent))
    try:
        for folder in FOLDERS:
            shutil.copytree(origin / folder, scratch / folder, ignore=IGNORED)
        docs = scratch / "docs"
        docs.mkdir()
        (docs / "layout.schema.json").write_text(dumps(layout_schema()), encoding="utf-8")
        (docs / "org.schema.json").write_text(dumps(org_schema()), encoding="utf-8")
        if target.is_dir():
            target.rmdir()
        os.replace(scratch, target)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    return sum(1 for p in target.rglob("*") if p.is_file())
