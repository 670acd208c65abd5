"""Problems found in a scenario file, as messages an author can act on."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal

from kazsim.untrusted import printable_line


def plain_form(text: str) -> str | None:
    """The plain (ASCII) text that `text` imitates with look-alike characters, or None.

    Full-width letters (``ａｎｇｅｒ``), ligatures and other compatibility forms
    look like plain letters and signs, and Python's parser even reads names
    written with them as the plain name (NFKC normalisation); kazsim refuses
    them, with a hint naming the plain form.
    """
    if text.isascii():
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
        for name in ("file", "message", "hint"):
            text = getattr(self, name)
            if not text.isprintable():
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
