"""Problems found in a scenario file, as messages an author can act on."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from kazsim.untrusted import printable_line

# Characters that look like a space or like nothing, and that YAML and the expression
# language do not read as a space: they come in with text pasted from a web page or a
# word processor. Each is named, so that an author knows what to delete.
INVISIBLE: dict[str, str] = {
    "\u00a0": "a non-breaking space",
    "\u202f": "a narrow non-breaking space",
    "\u2007": "a figure space",
    **{chr(c): "a typographic space" for c in range(0x2000, 0x200B) if c != 0x2007},
    "\u3000": "a full-width space",
    "\u200b": "a zero-width space",
    "\u200c": "a zero-width non-joiner",
    "\u200d": "a zero-width joiner",
    "\u2060": "a word joiner",
    "\ufeff": "a zero-width no-break space (byte order mark)",
    "\u00ad": "a soft hyphen",
}


_INVISIBLE_CODES = re.compile("[" + "".join(INVISIBLE) + "]")


def invisible(text: str) -> tuple[int, str] | None:
    """The first look-alike space or invisible character in `text`: (index, its name)."""
    if text.isascii():
        return None
    for index, char in enumerate(text):
        name = INVISIBLE.get(char)
        if name is not None:
            return index, f"{name} (U+{ord(char):04X}), often pasted from a web page"
    return None


def invisible_hint(text: str) -> str:
    """What to do about the character `invisible` found in `text`."""
    char = next(c for c in text if c in INVISIBLE)
    if "space" in INVISIBLE[char] and "zero-width" not in INVISIBLE[char]:
        return "delete it and type an ordinary space (or none)"
    return "delete it (most editors do not show it: move over it with the arrow keys)"


def plain_form(text: str) -> str | None:
    """The plain (ASCII) text that `text` imitates with look-alike characters, or None.

    Full-width letters (``ａｎｇｅｒ``), ligatures and other compatibility forms
    look like plain letters and signs, and Python's parser even reads names
    written with them as the plain name (NFKC normalisation); kazsim refuses
    them, with a hint naming the plain form.
    """
    if text.isascii() or invisible(text) is not None:
        return None
    plain = unicodedata.normalize("NFKC", text)
    return plain if plain != text and plain.isascii() else None


def plain_hint(plain: str) -> str:
    return f"write it in plain letters and signs: '{plain}'"


def number_text(value: float) -> str:
    """A number from the file as a message quotes it: short, whatever its size.

    A whole number of hundreds of digits cannot even be turned into a float (so
    not formatted with ``:g``); it is described by its length instead.
    """
    if isinstance(value, int) and abs(value) >= 10**15:
        digits = str(abs(value))
        sign = "-" if value < 0 else ""
        return f"{sign}{digits[:3]}...{digits[-3:]} ({len(digits):,} digits)"
    return f"{value:.3g}" if abs(value) >= 1e15 else repr(value)


@dataclass(frozen=True, order=True)
class AuthorError:
    """One problem at one place in one file: ``file:line:column: message — hint``."""

    file: str
    line: int
    column: int
    message: str
    hint: str = ""
    severity: Literal["error", "warning"] = "error"

    def __post_init__(self) -> None:
        # Messages quote the file (ids, values, paths): whatever they quote, one problem
        # stays one line of plain text, with no control character a terminal would act on.
        # A look-alike space or invisible character is written as its code, so that the
        # author sees what the hint names ('trust\u00a0', not 'trust ').
        for name in ("file", "message", "hint"):
            text = getattr(self, name)
            if not text.isprintable():
                if invisible(text) is not None:
                    text = _INVISIBLE_CODES.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
                object.__setattr__(self, name, printable_line(text))

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        tail = f" — {self.hint}" if self.hint else ""
        return f"{self.file}:{self.line}:{self.column}: {prefix}{self.message}{tail}"


class ScenarioError(ValueError):
    """A scenario could not be loaded; `errors` lists every problem found."""

    def __init__(self, errors: list[AuthorError]) -> None:
        self.errors = errors
        first = str(errors[0]) if errors else "invalid scenario"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(first + more)
