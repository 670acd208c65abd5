"""The game shows a file's control characters escaped, as the command line does.

Rich and Textual remove a few control codes from the text they are given
(bell, backspace, vertical tab, form feed, carriage return) and pass every
other one to the terminal: a scenario title holding ``ESC ] 0 ; ... BEL``
would retitle the player's window, one holding ``ESC [ 2 J`` would clear it.
Every piece of text on the game's screens is made into a Rich `Text` or a
Textual `Content`, and both clean their text with one translation table each
(`rich.control._CONTROL_STRIP_TRANSLATE`, `textual.content._CONTROL_STRIP_TRANSLATE`).
`install()` adds to those tables every character `kazsim.untrusted.printable`
escapes, mapped to the same escape (``\\e``, ``\\x9b``, ``\\u202e``...), so the
game shows what the command line shows. Newlines and tabs are left to Rich
and Textual, which lay them out.

This touches two private tables of the libraries (pinned in pyproject.toml);
tests/tui/test_escape.py fails if an upgrade stops them being used.
"""

from __future__ import annotations

from typing import Any

from kazsim.untrusted import printable

# Every code point `printable` escapes: C0 but newline and tab, DEL, C1, bidi controls.
_UNSAFE = [c for c in [*range(0x20), *range(0x7F, 0xA0), *range(0x202A, 0x202F),
                       *range(0x2066, 0x206A)] if printable(chr(c)) != chr(c)]
ESCAPES: dict[int, str] = {c: printable(chr(c)) for c in _UNSAFE}


def _tables() -> list[dict[int, Any]]:
    import rich.control
    import textual.content

    return [rich.control._CONTROL_STRIP_TRANSLATE,
            textual.content._CONTROL_STRIP_TRANSLATE]


def install() -> None:
    """Make Rich and Textual show control characters escaped (idempotent)."""
    for table in _tables():
        table.update(ESCAPES)
