"""Watch mode: what a change rebuilds, and a watcher driven through edits of a project copy."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from PIL import Image

from packgen.cli import main
from packgen.designer.watch import Rebuild, Watcher, affected, changes, snapshot
from packgen.resolve.project import Project

POSTERS = ["poster-know-your-baby", "poster-speak-up"]
LEAFLETS = ["leaflet-cues", "leaflet-cues-a5", "leaflet-cues-large-print"]  # the cue icons
EASY_READ = "leaflet-cues-easy-read"


def edit(path: Path, old: str, new: str) -> None:
    """Replace text in a file and move its mtime on, as an editor's save does."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    before = path.stat().st_mtime_ns
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.utime(path, ns=(before + 1_000_000_000, before + 1_000_000_000))


def touch(path: Path) -> None:
    before = path.stat().st_mtime_ns
    os.utime(path, ns=(before + 1_000_000_000, before + 1_000_000_000))


def which(root: Path, *relative: str) -> list[str]:
    project = Project(root)
    changed = {(root / r).resolve() for r in relative}
    return affected(project, changed, project.products())


def test_what_each_change_rebuilds(project_copy: Path) -> None:
    print_layouts = sorted(
        [*LEAFLETS, EASY_READ, *POSTERS, "pack-stakeholder", "poster-speak-up-cy-en"]
    )
    screen = sorted(p.stem for p in (project_copy / "layouts").glob("[es]*-*.yaml"))
    every = sorted([*print_layouts, *screen])
    assert which(project_copy, "layouts/poster-speak-up.yaml") == ["poster-speak-up"]
    assert which(project_copy, "layouts/_base.yaml") == print_layouts  # print layouts extend it
    assert which(project_copy, "layouts/_screen.yaml") == screen  # ... screen layouts this one
    assert which(project_copy, "layouts/_paper.yaml") == every
    assert which(project_copy, "assets/campaigns/imhaw-2024/copy/en-GB/posters.yaml") == every
    assert which(project_copy, "assets/campaigns/imhaw-2024/campaign.yaml") == every
    # the pack's cover, its banner page and the Speak up images use the same art
    speak_up = sorted(
        ["pack-stakeholder", "poster-speak-up", "email-banner", "poster-speak-up-cy-en"]
        + [name for name in screen if name.startswith("social-speak-up")]
    )
    assert which(project_copy, "assets/illustrations/speak-up.svg") == speak_up
    assert which(project_copy, "assets/illustrations/cues/crying.svg") == LEAFLETS
    assert which(project_copy, "assets/illustrations/mark.svg") == every
    assert which(project_copy, "assets/illustrations/unused.svg") == []
    # a base file nobody extends
    (project_copy / "layouts" / "_spare.yaml").write_text("styles: {}\n", encoding="utf-8")
    assert which(project_copy, "layouts/_spare.yaml") == []


def test_unreadable_layout_is_rebuilt_on_any_change(project_copy: Path) -> None:
    layout = project_copy / "layouts" / "poster-speak-up.yaml"
    layout.write_text(layout.read_text(encoding="utf-8") + "\n  - [unclosed\n", encoding="utf-8")
    assert which(project_copy, "assets/illustrations/cues/crying.svg") == [
        *LEAFLETS[:2],
        "leaflet-cues-large-print",
        "poster-speak-up",
    ]


def test_snapshot_changes(tmp_path: Path) -> None:
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text("x: 1\n")
    before = snapshot([a, b])
    b.write_text("y: 2\n")
    touch(a)
    assert changes(before, snapshot([a, b])) == {a, b}
    assert changes(before, before) == set()


def run_until_rebuild(watcher: Watcher, seconds: float = 20) -> Rebuild:
    seen: list[Rebuild] = []
    watcher.run(
        seen.append, deadline=time.monotonic() + seconds, interval=0.02, until=lambda r: True
    )
    assert seen, "no rebuild before the deadline"
    return seen[0]


def test_watcher_rebuilds_after_edits_and_recovers(project_copy: Path, tmp_path: Path) -> None:
    out, previews = tmp_path / "out", tmp_path / "previews"
    watcher = Watcher(
        project_copy, ["poster-speak-up", "leaflet-cues"], out, previews, ["office"], dpi=20
    )
    first = watcher.start()
    assert first.ok and first.products == ["poster-speak-up", "leaflet-cues"]
    assert len(first.files) == 4 and len(first.previews) == 5  # 3 poster sizes + 2 leaflet sides
    pdf = out / "poster-speak-up-A4-office.pdf"
    png = previews / "poster-speak-up-A4-press-p1.png"
    leaflet = out / "leaflet-cues-A4-office.pdf"
    old_pdf, old_png, leaflet_time = pdf.read_bytes(), png.read_bytes(), leaflet.stat().st_mtime_ns

    assert watcher.poll() is None  # nothing changed yet

    layout = project_copy / "layouts" / "poster-speak-up.yaml"
    edit(layout, "background: cream", "background: sky")
    result = run_until_rebuild(watcher)
    assert result.changed == ["layouts/poster-speak-up.yaml"]
    assert result.products == ["poster-speak-up"] and result.ok
    assert {f.product for f in result.files} == {"poster-speak-up"}
    assert pdf.read_bytes() != old_pdf and png.read_bytes() != old_png
    assert leaflet.stat().st_mtime_ns == leaflet_time  # not affected, not rebuilt

    edit(layout, "fill: teal\n", "fill: tael\n")
    broken = run_until_rebuild(watcher)
    assert list(broken.failures) == ["poster-speak-up"]
    message = broken.failures["poster-speak-up"].format()
    assert (
        "layouts/poster-speak-up.yaml:71:15: error: element 'band', fill: unknown colour 'tael'"
        in message
    )
    assert "did you mean 'teal'?" in message
    assert message.count("unknown colour 'tael'") == 1  # reported once, for the first size
    # only the broken product is previewed again, in every size (mistakes in red)
    assert [f.path.name for f in broken.previews] == [
        f"poster-speak-up-{size}-press-p1.png" for size in ("A4", "A3", "A2")
    ]
    red = (255, 0, 0)
    for shown in broken.previews:
        assert red in {c for _, c in Image.open(shown.path).convert("RGB").getcolors(1 << 20)}
    assert not broken.files and leaflet.stat().st_mtime_ns == leaflet_time
    leaflet_png = previews / "leaflet-cues-A4-press-p1.png"
    assert leaflet_png.stat().st_mtime_ns < png.stat().st_mtime_ns

    edit(layout, "fill: tael\n", "fill: teal\n")
    fixed = run_until_rebuild(watcher)
    assert fixed.ok and fixed.products == ["poster-speak-up"]

    edit(
        project_copy / "assets/campaigns/imhaw-2024/copy/en-GB/leaflet.yaml",
        "title: Reading your",
        "title: Reading all your",
    )
    copy_change = run_until_rebuild(watcher)
    assert copy_change.products == ["poster-speak-up", "leaflet-cues"]


def test_watcher_stops_after_iterations(project_copy: Path, tmp_path: Path) -> None:
    watcher = Watcher(project_copy, ["poster-speak-up"], tmp_path / "out", None, ["office"])
    watcher.start()
    seen: list[Rebuild] = []
    polls: list[Rebuild | None] = []
    poll = watcher.poll

    def counted() -> Rebuild | None:
        polls.append(poll())
        return polls[-1]

    watcher.poll = counted  # type: ignore[method-assign]
    watcher.run(seen.append, iterations=3, interval=0)
    assert seen == [] and polls == [None, None, None]


def test_watch_command(
    project_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["watch", "poster-know-your-baby", "--project", str(project_copy)]
    args += ["--out", str(tmp_path / "out"), "--previews", str(tmp_path / "png"), "--polls", "1"]
    assert main([*args, "--profile", "office", "--dpi", "20", "--interval", "0"]) == 0
    printed = capsys.readouterr().out
    assert "rebuilt poster-know-your-baby in " in printed
    assert "3 PDFs in" in printed and "3 previews in" in printed
    assert "watching " in printed
    assert main(["watch", "postr-speak-up", "--project", str(project_copy), "--polls", "0"]) == 1
    err = capsys.readouterr().err
    assert "unknown product 'postr-speak-up'" in err and "did you mean 'poster-speak-up'?" in err
