"""Contained failures, unique batch folders, worker budgets and output-folder errors.

The hostile inputs themselves are fixtures (``tests/errors/test_hostile.py``); these tests
cover what needs code to set up: a bug injected into one product, a worker
that runs out of time or memory or dies, ``kill -9`` of a batch, a full disk.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import packgen.build
from packgen.cli import main
from packgen.distribute.batch import OrgSource, folder_names, run_batch
from packgen.distribute.worker import Budget
from packgen.resolve.org import slug
from tests.conftest import ROOT

EXAMPLES = ROOT / "docs" / "examples" / "orgs"
ROW = "{name},riverside-logo.svg,https://x.example.org,Team,https://x.example.org/s,0114 496 0000\n"
HEADER = "name,logo,website,support_name,support_url,support_phone\n"


def batch_folder(tmp_path: Path, names: list[str]) -> Path:
    folder = tmp_path / "orgs"
    folder.mkdir()
    (folder / "riverside-logo.svg").write_bytes((EXAMPLES / "riverside-logo.svg").read_bytes())
    (folder / "orgs.csv").write_text(
        HEADER + "".join(ROW.format(name=f'"{n}"') for n in names), encoding="utf-8"
    )
    return folder


# --- contained failures ----------------------------------------------------------------


def test_a_bug_in_one_product_is_its_diagnostic_and_the_rest_are_built(
    project_copy: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    real = packgen.build.make

    def make(project, design, size, profile, org=None, **kwargs):  # type: ignore[no-untyped-def]
        if design.name == "poster-speak-up":
            raise ZeroDivisionError("float division by zero")
        return real(project, design, size, profile, org, **kwargs)

    monkeypatch.setattr(packgen.build, "make", make)
    out = tmp_path / "out"
    only = ["poster-speak-up", "poster-know-your-baby"]
    code = main(["build", "--project", str(project_copy), "--out", str(out), "--only", *only])
    err = capsys.readouterr().err
    assert code == 3  # a bug is still reported as one, but only after the rest is built
    assert "internal error while building poster-speak-up (ZeroDivisionError" in err
    assert "Traceback" not in err
    manifest = json.loads((out / "manifest.json").read_text())
    assert {e["product"] for e in manifest["files"]} == {"poster-know-your-baby"}
    assert not list(out.glob("poster-speak-up-*"))


def test_a_failed_product_leaves_no_files_and_no_bundle(
    project_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    args = ["build", "--project", str(project_copy), "--out", str(out), "--profile", "office"]
    assert main([*args, "--only", "poster-speak-up", "--zip"]) == 0
    assert (out / "imhaw-2024.zip").is_file()
    layout = project_copy / "layouts" / "poster-speak-up.yaml"
    layout.write_text(layout.read_text().replace("size: 11pt", "size: 0pt"))
    capsys.readouterr()
    assert main([*args, "--only", "poster-speak-up", "--zip"]) == 1
    err = capsys.readouterr().err
    assert "no bundle written: 1 product(s) failed" in err
    assert not list(out.glob("*.pdf")), "the earlier run's files of the failed product stay"
    assert not (out / "imhaw-2024.zip").exists()
    assert json.loads((out / "manifest.json").read_text())["files"] == []


# --- the output folder ------------------------------------------------------------------


def test_out_is_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "afile"
    target.write_text("x")
    assert main(["build", "--out", str(target), "--only", "poster-speak-up"]) == 1
    assert f"--out {target} is a file, not a folder" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (errno.ENOSPC, "No space left on device"),
        (errno.EROFS, "Read-only file system"),
        (errno.EACCES, "Permission denied"),
    ],
)
def test_a_disk_that_refuses_writes_is_a_user_error(
    number: int,
    words: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def refuse(path: Path, data: bytes) -> None:
        raise OSError(number, os.strerror(number), str(path))

    monkeypatch.setattr(packgen.build, "write_atomic", refuse)
    out = tmp_path / "out"
    code = main(["build", "--out", str(out), "--only", "poster-speak-up", "--profile", "office"])
    err = capsys.readouterr().err
    assert code == 1
    assert f"error: cannot write {out / 'poster-speak-up-A4-office.pdf'}: {words}" in err
    assert "internal error" not in err


def test_broken_and_looping_links_in_layouts(
    project_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    layouts = project_copy / "layouts"
    (layouts / "dangling.yaml").symlink_to("missing.yaml")
    (layouts / "loop.yaml").symlink_to("loop.yaml")
    out = tmp_path / "out"
    only = ["dangling", "loop", "poster-speak-up"]
    args = ["build", "--project", str(project_copy), "--out", str(out), "--profile", "office"]
    code = main([*args, "--only", *only])
    err = capsys.readouterr().err
    assert code == 1
    assert (
        "layouts/dangling.yaml: error: a symbolic link to 'missing.yaml', which does not exist"
        in err
    )
    assert "layouts/loop.yaml: error: cannot read file: Too many levels of symbolic links" in err
    assert (out / "poster-speak-up-A4-office.pdf").is_file()


def test_a_fifo_in_layouts_is_refused_without_blocking(
    project_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    os.mkfifo(project_copy / "layouts" / "pipe.yaml")
    args = ["build", "--project", str(project_copy), "--out", str(tmp_path / "out")]
    assert main([*args, "--only", "pipe", "--profile", "office"]) == 1
    assert "layouts/pipe.yaml: error: not a regular file" in capsys.readouterr().err


# --- batch folders -----------------------------------------------------------------------


def test_the_parents_warm_up_leaves_a_broken_layout_to_each_build(project_copy: Path) -> None:
    """Workers are forked from a parent that has resolved every layout (``warm``); a layout
    that fails there is not the parent's to report, and the others are resolved."""
    from packgen.distribute import batch
    from packgen.resolve.design import load_design

    layouts = project_copy / "layouts"
    (layouts / "broken.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    (layouts / "dangling.yaml").symlink_to("missing.yaml")
    batch.warm(project_copy)
    project = batch._project_for(project_copy, None, None)
    assert project.root == project_copy
    assert load_design(project, "poster-speak-up").name == "poster-speak-up"


def test_slugs_keep_non_latin_names_meaningful() -> None:
    assert slug("Tom & Jerry's <Hub>") == "tom-jerry-s-hub"
    assert slug("Ελληνικό Κέντρο Οικογένειας") == "elliniko-kentro-oikogeneias"
    assert slug("東京子育て支援センター") == "dongjingziyutezhiyuansenta"
    assert slug("مركز الأسرة") == "mrkz-l-srh"
    assert slug("Центр семьи") == "tsentr-sem-i"
    assert slug("!!!") == "organisation"


def test_folder_names_are_unique_and_stable(tmp_path: Path) -> None:
    names = ["Tom & Jerry", "Tom Jerry", "Riverside", "Riverside", "Ελληνικό", "Oak"]
    names += ["東京センター", "東京センター", "مركز الأسرة", "مركز  الأسرة"]
    todo = [OrgSource(f"orgs:{i + 2}", tmp_path, {"name": n}, i + 2) for i, n in enumerate(names)]
    first = folder_names(todo)
    assert first == folder_names(list(reversed(todo)))  # stable: not by order
    assert len(set(first.values())) == len(todo)
    assert first["orgs:7"] == "oak" and first["orgs:6"] == "elliniko"
    assert first["orgs:8"].startswith("dongjingsenta-") and first["orgs:9"].startswith("dongjing")
    assert first["orgs:10"].startswith("mrkz-l-srh-") and first["orgs:11"].startswith("mrkz-l-srh-")
    assert first["orgs:2"].startswith("tom-jerry-") and first["orgs:3"].startswith("tom-jerry-")
    assert first["orgs:4"] != first["orgs:5"]


def test_batch_never_writes_two_packs_to_one_folder(tmp_path: Path) -> None:
    folder = batch_folder(tmp_path, ["Tom & Jerry", "Tom Jerry", "Riverside", "Riverside"])
    out = tmp_path / "out"
    results = run_batch(ROOT, folder, out, 2, False, ("office",), preflight=False)
    assert all(r.ok for r in results), [r.problem for r in results]
    folders = {r.folder for r in results}
    assert len(folders) == 4
    for result in results:
        manifest = json.loads((Path(str(result.folder)) / "manifest.json").read_text())
        assert len(manifest["files"]) == result.files


# --- worker budgets and lifetime ---------------------------------------------------------


def _slow_build(*args: object, **kwargs: object) -> object:
    end = time.process_time() + 30
    while time.process_time() < end:
        pass
    raise AssertionError("the CPU budget did not stop this")


def _greedy_build(*args: object, **kwargs: object) -> object:
    hoard = [bytearray(64 * 1024 * 1024) for _ in range(64)]  # 4 GB
    raise AssertionError(f"the memory budget did not stop this ({len(hoard)})")


def _dying_build(project: object, target: Path, **kwargs: object) -> object:
    if "doomed" in str(target):
        os.kill(os.getpid(), signal.SIGKILL)
    return real_build(project, target, **kwargs)  # type: ignore[arg-type]


real_build = packgen.build.build


def test_a_worker_out_of_time_fails_that_profile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(packgen.build, "build", _slow_build)  # workers are forked from here
    folder = batch_folder(tmp_path, ["Slow Hub"])
    [result] = run_batch(
        ROOT,
        folder,
        tmp_path / "out",
        1,
        False,
        ("office",),
        None,
        False,
        Budget(seconds=1, memory_mb=0),
    )
    assert not result.ok and not result.internal
    assert "used more than 1 s of processor time" in str(result.problem)


def test_a_worker_out_of_memory_fails_that_profile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(packgen.build, "build", _greedy_build)
    folder = batch_folder(tmp_path, ["Greedy Hub"])
    [result] = run_batch(
        ROOT,
        folder,
        tmp_path / "out",
        1,
        False,
        ("office",),
        None,
        False,
        Budget(seconds=0, memory_mb=1024),
    )
    assert not result.ok and not result.internal
    assert "ran out of memory" in str(result.problem)


def test_a_dead_worker_fails_only_its_profile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(packgen.build, "build", _dying_build)
    folder = batch_folder(tmp_path, ["Doomed Hub", "Oakfield Surgery", "Riverside"])
    results = run_batch(ROOT, folder, tmp_path / "out", 2, False, ("office",), None, False)
    by_label = {r.label: r for r in results}
    assert len(results) == 3
    assert not by_label["orgs:2"].ok
    assert "the process building this profile stopped unexpectedly" in str(
        by_label["orgs:2"].problem
    )
    assert by_label["orgs:3"].ok and by_label["orgs:4"].ok


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found |= {int(x) for x in (task / "children").read_text().split()}
        except OSError:
            continue
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_kill_9_of_a_batch_leaves_no_worker(tmp_path: Path) -> None:
    folder = batch_folder(tmp_path, [f"Hub {n}" for n in range(6)])
    command = [sys.executable, "-m", "packgen", "batch", str(folder), "--jobs", "2"]
    batch = subprocess.Popen(
        [*command, "--out", str(tmp_path / "out"), "--profile", "office", "--no-check"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers: set[int] = set()
    deadline = time.monotonic() + 120
    while len(workers) < 2 and time.monotonic() < deadline and batch.poll() is None:
        workers = _children(batch.pid)
        time.sleep(0.05)
    assert len(workers) == 2, "the batch did not start two workers"
    batch.send_signal(signal.SIGKILL)
    batch.wait()
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in workers if _alive(pid)]
