"""Where scenario files are found: the bundled folder and the current directory.

Bundled scenarios live in the repository's top-level ``scenarios/`` folder (and
variants, files that ``extends:`` another, in ``scenarios/variants/``); a
wheel ships the same files as ``kazsim/scenarios`` (see pyproject.toml), so they
are found whether kazsim is installed editable or not. A teacher's own files
in ``./scenarios`` are listed too, and any path can be given directly.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import kazsim
from kazsim.untrusted import printable, printable_line

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
    lessons: tuple[int, ...] = ()  # the suggested lesson lengths (calendar.lesson_turns)
    role_ids: tuple[str, ...] = ()  # the roles' ids (what `--role` takes), as `roles`
    ai_only: tuple[str, ...] = ()  # the ids of the roles only the computer plays


# What `kazsim list` reads of each file (`str`: a plain value; a dict: those keys of a
# mapping; a list: each item of a list), and how many YAML events it reads at most: the
# largest bundled scenario has about 10,000.
_HEADER: dict[str, Any] = {
    "id": str, "title": str, "summary": str, "extends": str,
    "calendar": {"turns": str, "lesson_turns": [str]},
    "roles": [{"id": str, "name": str, "players": [str]}],
}
MAX_LIST_EVENTS = 100_000


class _HeaderReader:
    """Reads the values `_HEADER` asks for from YAML events, skipping everything else."""

    def __init__(self, events: Iterator[Any]) -> None:
        import yaml

        self.yaml = yaml
        self.events = events
        self.count = 0
        self.anchors: dict[str, str] = {}  # anchored plain values, for aliases to them

    def next(self) -> Any:
        self.count += 1
        if self.count > MAX_LIST_EVENTS:
            raise _TooLong
        return next(self.events)

    def value(self, event: Any, spec: Any) -> Any:
        """The value that starts with `event`, as `spec` asks (None: skipped)."""
        y = self.yaml
        if isinstance(event, y.AliasEvent):
            return self.anchors.get(event.anchor or "") if spec is str else None
        if isinstance(event, y.ScalarEvent):
            if event.anchor:
                self.anchors[event.anchor] = event.value
            return event.value if spec is str else None
        if isinstance(event, y.MappingStartEvent):
            wanted = spec if isinstance(spec, dict) else {}
            found: dict[str, Any] = {}
            while not isinstance(key := self.next(), y.MappingEndEvent):
                name = self.value(key, str)
                value = self.value(self.next(), wanted.get(name))
                if isinstance(name, str) and name in wanted and value is not None:
                    found[name] = value
            return found if isinstance(spec, dict) else None
        if isinstance(event, y.SequenceStartEvent):
            item = spec[0] if isinstance(spec, list) else None
            items = []
            while not isinstance(start := self.next(), y.SequenceEndEvent):
                items.append(self.value(start, item))
            return items if isinstance(spec, list) else None
        return None


class _TooLong(Exception):
    """More events than `kazsim list` reads."""


def read_header(data: bytes) -> dict[str, Any]:
    """The few values `kazsim list` shows: id, title, summary, extends, the number of
    turns, the suggested lesson lengths and the roles' ids and names, as text.

    Read from the YAML events without building the rest, so a file costs at most
    `MAX_LIST_EVENTS` events: an alias is one event, never expanded (one naming a
    plain value gives that value). Raises `YamlProblem`.
    """
    from kazsim.scenario.yamlsafe import YamlProblem, decode, parse_events

    events = parse_events(decode(data))
    reader = _HeaderReader(events)
    try:
        reader.next()  # the stream starts
        document = reader.next()
        if not isinstance(document, reader.yaml.DocumentStartEvent):
            return {}
        header = reader.value(reader.next(), _HEADER)
    except _TooLong:
        raise YamlProblem(f"too large to list (more than {MAX_LIST_EVENTS:,} YAML events)",
                          1, 1, "run 'kazsim validate' on it to check it") from None
    finally:
        events.close()
    return header if isinstance(header, dict) else {}


def _read(path: Path) -> dict[str, Any]:
    from kazsim.scenario.yamlsafe import read_file

    return read_header(read_file(path))


def _entry(path: Path) -> Entry:
    from kazsim.scenario.yamlsafe import YamlProblem  # local: PyYAML only when listing

    try:
        data = _read(path)
        extends = data.get("extends")
        if isinstance(extends, str):
            # A variant: what it does not override comes from its base.
            base_path = path.parent / extends
            try:
                base = _read(base_path) if base_path.is_file() else {}
            except YamlProblem as exc:
                raise YamlProblem(f"{extends}: {exc.message}") from None
            data = {**base, **{k: v for k, v in data.items() if k in ("id", "title", "summary")},
                    **{k: v for k, v in data.items() if k not in base}}
    except (YamlProblem, OSError) as exc:
        message = exc.message if isinstance(exc, YamlProblem) else str(exc)
        return Entry(path, path.stem, path.stem, "", None, (), printable_line(message))
    calendar = data.get("calendar")
    calendar = calendar if isinstance(calendar, dict) else {}
    roles = data.get("roles")
    roles = roles if isinstance(roles, list) else []
    turns = calendar.get("turns")
    lessons = calendar.get("lesson_turns")
    lessons = lessons if isinstance(lessons, list) else []
    # Shown on a terminal by `kazsim list`: no control character of the file's reaches it.
    return Entry(
        path=path,
        id=printable_line(str(data.get("id", path.stem))),
        title=printable_line(str(data.get("title", path.stem))),
        summary=printable(str(data.get("summary", ""))),
        turns=int(turns) if isinstance(turns, str) and _TURNS.fullmatch(turns) else None,
        roles=tuple(printable_line(str(r.get("name", r.get("id", "?"))))
                    for r in roles if isinstance(r, dict)),
        lessons=tuple(sorted({int(n) for n in lessons
                              if isinstance(n, str) and _TURNS.fullmatch(n)})),
        role_ids=tuple(printable_line(str(r.get("id", "?")))
                       for r in roles if isinstance(r, dict)),
        ai_only=tuple(printable_line(str(r.get("id", "?"))) for r in roles
                      if isinstance(r, dict) and isinstance(r.get("players"), list)
                      and "human" not in r["players"]),
    )


_TURNS = re.compile(r"[0-9]{1,6}")


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

    Returns (its bytes, its path); raises FileNotFoundError when nothing matches, and
    what `yamlsafe.read_file` raises for a file it will not read.
    """
    from kazsim.scenario.yamlsafe import read_file

    candidate = Path(from_file).parent / name
    if candidate.is_file():
        return read_file(candidate), str(candidate)
    found = find_scenario(name)
    if found is None:
        raise FileNotFoundError(name)
    return read_file(found), str(found)
