"""The wheel holds what its messages and editor lines point at (issue 10).

Builds the wheel, installs it into a fresh virtual environment in a temporary
folder, and runs the installed `kazsim` from an empty folder: the guides and
the schema are inside the package, `kazsim docs` prints paths that exist, the
bundled scenarios' editor lines resolve to the schema, and a game plays. The
metadata carries the license expression, the license file and classifiers.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MODELINE = "# yaml-language-server: $schema="

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # The build reads the checkout only; copy what it needs so no build files land in it.
    source = out / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".venv", ".git", "__pycache__", "*.egg-info", ".mypy_cache", ".pytest_cache",
        ".ruff_cache", "saves", "build", "dist"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out),
                    str(source)], check=True, capture_output=True, timeout=300)
    return next(out.glob("kazsim-*.whl"))


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin folder of a fresh venv with the wheel (and its dependencies) installed."""
    env_dir = tmp_path_factory.mktemp("venv")
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "-q", str(wheel)],
                   check=True, capture_output=True, timeout=600)
    return bin_dir


def run_installed(bin_dir: Path, args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("KAZSIM_SAVE_DIR", "PYTHONPATH", "VIRTUAL_ENV")}
    env["XDG_DATA_HOME"] = str(cwd / "data")
    return subprocess.run([str(bin_dir / "kazsim"), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_the_wheel_holds_the_docs_the_schema_the_scenarios_and_the_license(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
        meta = archive.read(metadata).decode("utf-8")
        license_text = archive.read(next(n for n in names
                                         if n.endswith(".dist-info/licenses/LICENSE")))
    for doc in ("authoring.md", "playing.md", "errors.md", "saves.md",
                "scenario.schema.json"):
        assert f"kazsim/docs/{doc}" in names
    assert "kazsim/scenarios/tutorial.yaml" in names
    assert "License-Expression: MIT" in meta and "License-File: LICENSE" in meta
    assert "Classifier: Intended Audience :: Education" in meta
    assert re.search(r"^Keywords: .*education", meta, re.MULTILINE)
    assert "Author: the kazsim authors" in meta
    assert license_text.startswith(b"MIT License\n\nCopyright (c) 2026 the kazsim authors")


def test_the_installed_package_from_an_empty_folder(installed: Path, tmp_path: Path) -> None:
    docs = run_installed(installed, ["docs"], tmp_path)
    assert docs.returncode == 0, docs.stderr
    paths = [Path(line.split()[0]) for line in docs.stdout.splitlines()[1:]]
    assert len(paths) >= 5 and all(p.is_file() for p in paths), docs.stdout
    folder = run_installed(installed, ["docs", "--path"], tmp_path).stdout.strip()
    package = Path(folder).parent
    assert Path(folder) == package / "docs" and "site-packages" in folder
    assert (package / "docs" / "authoring.md").is_file()

    # Every bundled scenario's editor line leads to the installed schema.
    scenarios = sorted((package / "scenarios").rglob("*.yaml"))
    assert len(scenarios) >= 3
    for scenario in scenarios:
        first = scenario.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith(MODELINE), scenario
        target = (scenario.parent / first[len(MODELINE):]).resolve()
        assert target == (package / "docs" / "scenario.schema.json").resolve(), scenario

    played = run_installed(installed, ["play", "tutorial", "--auto", "--seed", "1"], tmp_path)
    assert played.returncode == 0, played.stderr
    assert "══ Ending: " in played.stdout
    saved = tmp_path / "data" / "kazsim" / "saves" / "tutorial-seed1-1.json"
    assert played.stderr == f"saved: {saved}\n" and saved.is_file()

    # A message that says "see docs/authoring.md" is followed by where it is installed.
    (tmp_path / "broken.yaml").write_text("format: 1\nid: broken\n", encoding="utf-8")
    checked = run_installed(installed, ["validate", "broken.yaml"], tmp_path)
    assert checked.returncode == 1 and "docs/authoring.md" in checked.stdout
    assert f"docs/authoring.md is {package / 'docs' / 'authoring.md'}" in checked.stderr

    # kazsim new x && kazsim validate x, from an empty folder, with the user's permissions.
    made = run_installed(installed, ["new", "my-class"], tmp_path)
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith(f"wrote {tmp_path / 'my-class.yaml'}")
    assert (tmp_path / "my-class.yaml").stat().st_mode & 0o077 == 0o666 & ~_umask() & 0o077
    for name in ("my-class", "my_class", "my-class.yaml"):
        assert run_installed(installed, ["validate", name], tmp_path).returncode == 0


def test_twine_check(wheel: Path) -> None:
    if importlib.util.find_spec("twine") is None:
        pytest.skip("twine is not installed (pip install twine)")
    result = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", str(wheel)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
