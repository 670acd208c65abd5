"""Problems found in a scenario file, as messages an author can act on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True, order=True)
class AuthorError:
    """One problem at one place in one file: ``file:line:column: message — hint``."""

    file: str
    line: int
    column: int
    message: str
    hint: str = ""
    severity: Literal["error", "warning"] = "error"

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
