"""Shared fixtures: the embedded project, a built default pack, project copies."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PIL import ImageFile

from packgen.build import BuildReport, build
from packgen.resolve.project import Project, embedded_root

ROOT = embedded_root()
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def pillow_refuses_truncated_images() -> None:
    """Pillow's default before every test: importing WeasyPrint (the foreign-PDF fixtures)
    sets ``ImageFile.LOAD_TRUNCATED_IMAGES`` for the whole process, after which a truncated
    logo would be accepted and the hostile-input tests would depend on their order."""
    ImageFile.LOAD_TRUNCATED_IMAGES = False


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite the reference renders in tests/render/golden/ (never in CI)",
    )


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Whether this run rewrites the reference renders (``pytest --update-golden``)."""
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def project() -> Project:
    return Project(ROOT)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildReport:
    """The whole default pack in both profiles, built once per test session."""
    out = tmp_path_factory.mktemp("pack")
    report = build(Project(ROOT), out)
    assert report.ok, {name: str(error) for name, error in report.failures.items()}
    return report


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A writable copy of the project's layouts/ and assets/."""
    for folder in ("layouts", "assets"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path
