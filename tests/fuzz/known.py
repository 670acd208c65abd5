"""Crashes found and recorded whose fix is not merged yet: one entry each, then delete it.

Each maps its regression file (regressions/<target>/<name>) to the crash it shows
and the crash's signature: the exception's type and the innermost kazsim function it
came from (or a piece of its message). The file's replay is an xfail(strict=True),
so it fails once the fix is in, and the fuzzers pass over inputs with the same
signature (they would find the same crash again and again) to look for others.
"""

from __future__ import annotations

import traceback
from pathlib import Path

KNOWN: dict[str, tuple[str, str]] = {}

KAZSIM = Path(__file__).resolve().parents[2] / "kazsim"


def signature(exc: BaseException) -> str:
    """`Type in kazsim/file.py:function` of the innermost kazsim frame, and the message."""
    where = ""
    for frame in traceback.extract_tb(exc.__traceback__):
        path = Path(frame.filename)
        if path.is_relative_to(KAZSIM):
            where = f" in kazsim/{path.relative_to(KAZSIM)}:{frame.name}"
    return f"{type(exc).__name__}{where} {exc}"


def known_crash(exc: BaseException) -> str | None:
    """The regression file of a known crash with this exception's signature, if any."""
    found = signature(exc)
    return next((name for name, (_, sign) in KNOWN.items() if sign in found), None)
