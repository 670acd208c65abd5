"""`kazsim validate --watch FILE...`: check scenario files again every time they are saved.

It polls each file's modification time and size (no dependency, works on every
system and with editors that save by replacing the file). For a variant, the
file it extends is watched too. Each check prints a timestamped header and the
problems, or "valid". Ctrl-C stops it with exit status 0.

The loop takes `polls`, `stop` and `sleep` so a test can drive it without
waiting or threads.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from kazsim.scenario.compiled import CompiledScenario
    from kazsim.scenario.errors import AuthorError

Validate = Callable[[str], "tuple[CompiledScenario | None, list[AuthorError]]"]
Signature = tuple[tuple[str, int, int] | None, ...]


def _stat(path: Path) -> tuple[str, int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return (str(path), info.st_mtime_ns, info.st_size)


def base_of(path: Path) -> Path | None:
    """The file a variant extends, when `path` is a readable variant; else None."""
    from kazsim.scenario.catalog import find_scenario, read_header
    from kazsim.scenario.yamlsafe import YamlProblem, read_file

    try:  # bounded like every scenario read, and only as far as the header
        data = read_header(read_file(path))
    except (OSError, ValueError, YamlProblem):
        return None
    target = data.get("extends")
    if not isinstance(target, str) or not target.strip():
        return None
    candidate = path.parent / target.strip()
    return candidate if candidate.is_file() else find_scenario(target.strip())


def signature(path: Path) -> Signature:
    """What changes when the file, or the file it extends, is saved."""
    base = base_of(path)
    return (_stat(path), _stat(base) if base is not None else None)


def report(name: str, validate_file: Validate, out: TextIO,
           now: Callable[[], time.struct_time]) -> None:
    """One check: a header with the time, then each problem, then the verdict.

    Problems and titles quote the file, so they are printed escaped, one line
    each (`printable_line`); the guides they name are followed by where they are
    installed.
    """
    from kazsim.places import docs_note
    from kazsim.untrusted import printable_line

    shown = printable_line(name)
    print(f"── {time.strftime('%H:%M:%S', now())}  {shown} ──", file=out)
    compiled, problems = validate_file(name)
    for problem in problems:  # one line each, whatever the file quoted
        print(printable_line(str(problem)), file=out)
    note = docs_note("\n".join(str(p) for p in problems))
    if note:
        print(note, file=out)
    if compiled is None:
        errors = sum(p.severity == "error" for p in problems)
        print(f"{shown}: {errors} error{'s' if errors != 1 else ''}", file=out)
    else:
        warnings = len(problems)
        extra = f"; {warnings} warning{'s' if warnings != 1 else ''}" if warnings else ""
        print(f"{shown}: valid ({printable_line(compiled.model.title)}, "
              f"{len(compiled.roles)} roles, {compiled.last_turn} turns{extra})", file=out)
    out.flush()


def watch(files: Sequence[str], validate_file: Validate, *, interval: float = 0.5,
          polls: int | None = None, stop: threading.Event | None = None,
          sleep: Callable[[float], Any] | None = None, out: TextIO | None = None,
          now: Callable[[], time.struct_time] = time.localtime) -> int:
    """Check `files` now and after every change until Ctrl-C (or `polls`, or `stop`)."""
    stream = out if out is not None else sys.stdout
    pause = sleep if sleep is not None else time.sleep
    seen: dict[str, Signature] = {}
    try:
        plural = "s" if len(files) != 1 else ""
        print(f"watching {len(files)} file{plural}; press Ctrl-C to stop", file=stream)
        for name in files:
            seen[name] = signature(Path(name))
            report(name, validate_file, stream, now)
        done = 0
        while (polls is None or done < polls) and not (stop is not None and stop.is_set()):
            pause(interval)
            done += 1
            for name in files:
                current = signature(Path(name))
                if current != seen[name]:
                    seen[name] = current
                    print(file=stream)
                    report(name, validate_file, stream, now)
    except KeyboardInterrupt:
        print("\nstopped watching", file=stream)
    return 0
