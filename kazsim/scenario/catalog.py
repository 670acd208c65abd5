"""Where scenario files are found: the bundled folder and the current directory.

Bundled scenarios live in the repository's top-level ``scenarios/`` folder (and
variants, files that ``extends:`` another, in ``scenarios/variants/``); a
wheel ships the same files as ``kazsim/scenarios`` (see pyproject.toml), so they
are found whether kazsim is installed editable or not. A teacher's own files
in ``./scenarios`` are listed too, and any path can be given directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import kazsim

PACKAGE_DIR = Path(kazsim.__file__).resolve().parent


def scenario_dirs() -> list[Path]:
    """Folders searched for scenarios, in order, without duplicates."""
    candidates = [PACKAGE_DIR / "scenarios", PACKAGE_DIR.parent / "scenarios",
                  Path.cwd() / "scenarios"]
    seen: list[Path] = []
    for folder in candidates:
        if folder.is_dir() and folder.resolve() not in seen:
            seen.append(folder.resolve())
    return seen


@dataclass(frozen=True)
class Entry:
    """One scenario file found in a folder (read cheaply: not compiled)."""

    path: Path
    id: str
    title: str
    summary: str
    turns: int | None
    roles: tuple[str, ...]
    problem: str = ""  # set when the file could not be read


def _read(path: Path) -> dict[str, Any]:
    from kazsim.scenario.yamlsafe import decode, read_yaml

    return read_yaml(decode(path.read_bytes())).data


def _entry(path: Path) -> Entry:
    from kazsim.scenario.yamlsafe import YamlProblem  # local: PyYAML only when listing

    try:
        data = _read(path)
        extends = data.get("extends")
        if isinstance(extends, str):
            # A variant: what it does not override comes from its base.
            base_path = path.parent / extends
            base = _read(base_path) if base_path.is_file() else {}
            data = {**base, **{k: v for k, v in data.items() if k in ("id", "title", "summary")},
                    **{k: v for k, v in data.items() if k not in base}}
    except (YamlProblem, OSError) as exc:
        message = exc.message if isinstance(exc, YamlProblem) else str(exc)
        return Entry(path, path.stem, path.stem, "", None, (), message)
    calendar = data.get("calendar")
    calendar = calendar if isinstance(calendar, dict) else {}
    roles = data.get("roles")
    roles = roles if isinstance(roles, list) else []
    turns = calendar.get("turns") if isinstance(calendar.get("turns"), int) else None
    return Entry(
        path=path,
        id=str(data.get("id", path.stem)),
        title=str(data.get("title", path.stem)),
        summary=str(data.get("summary", "")),
        turns=turns,
        roles=tuple(str(r.get("name", r.get("id", "?"))) for r in roles if isinstance(r, dict)),
    )


def list_scenarios() -> list[Entry]:
    """Every scenario file in the scenario folders, sorted by title."""
    entries: dict[Path, Entry] = {}
    for folder in scenario_dirs():
        for path in [*sorted(folder.glob("*.yaml")), *sorted(folder.glob("variants/*.yaml"))]:
            entries.setdefault(path.resolve(), _entry(path))
    return sorted(entries.values(), key=lambda e: (e.title.lower(), str(e.path)))


def find_scenario(name: str) -> Path | None:
    """A scenario by path, file name (in a scenario folder or the current one), or id;
    None when nothing matches."""
    path = Path(name)
    if path.suffix in (".yaml", ".yml") and path.is_file():
        return path
    stem = path.stem if path.suffix in (".yaml", ".yml") else name
    # The current folder last: where `kazsim new NAME` writes when there is no ./scenarios.
    for folder in [*scenario_dirs(), Path.cwd()]:
        for candidate in (folder / f"{stem}.yaml", folder / f"{stem.replace('_', '-')}.yaml"):
            if candidate.is_file():
                return candidate
    for entry in list_scenarios():
        if entry.id == name or entry.id == stem:
            return entry.path
    return None


def resolve_extends(name: str, from_file: str) -> tuple[bytes, str]:
    """The file a variant extends: a path relative to the variant, or a scenario id.

    Returns (its bytes, its path); raises FileNotFoundError when nothing matches.
    """
    candidate = Path(from_file).parent / name
    if candidate.is_file():
        return candidate.read_bytes(), str(candidate)
    found = find_scenario(name)
    if found is None:
        raise FileNotFoundError(name)
    return found.read_bytes(), str(found)
