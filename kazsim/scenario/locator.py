"""Where a problem is in the file: a path inside the document to file, line and column.

`Locator` is shared by the stages of loading (`load`, `variants`, `checks`): each
reports a problem at a path of keys and list indexes, e.g. ``("roles", 0, "id")``,
and the locator turns it into an `AuthorError` in the right file (for a variant,
the file the value came from) at the right line and column (inside an
expression, at the word that is wrong). It imports none of those stages, so
they depend on it and not on each other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from kazsim.scenario.errors import AuthorError

if TYPE_CHECKING:  # not at run time: a game started from the cache never imports PyYAML
    from kazsim.scenario.yamlsafe import Document
    from kazsim.scenario.yamlsafe import Path as DocPath


class Locator:
    """Turns a path inside the document into a file position."""

    def __init__(self, filename: str, doc: Document) -> None:
        self.filename = filename
        self.doc = doc
        self.default_file = filename
        self.origins: dict[DocPath, str] = {}
        self.base_hash = ""  # set for a variant: the hash of the file it extends
        # Set for a variant that removes items: may move a problem reported in the base
        # to the removal that caused it (kazsim.scenario.variants).
        self.blame: Callable[[DocPath, AuthorError], AuthorError] | None = None

    def retarget(self, doc: Document, default_file: str, origins: dict[DocPath, str]) -> None:
        """Point at a merged variant: paths come from `origins` files, else the base."""
        self.doc = doc
        self.default_file = default_file
        self.origins = origins

    def file_for(self, path: tuple[str | int, ...]) -> str:
        while True:
            if path in self.origins:
                return self.origins[path]
            if not path:
                return self.default_file
            path = path[:-1]

    def position(self, path: Iterable[str | int], *, key: bool = False) -> tuple[int, int]:
        parts = tuple(path)
        if key and (*parts, "<key>") in self.doc.positions:
            return self.doc.positions[(*parts, "<key>")]
        while parts and parts not in self.doc.positions:
            parts = parts[:-1]
        return self.doc.positions.get(parts, (1, 1))

    def error(self, path: Iterable[str | int], message: str, hint: str = "", *,
              key: bool = False, offset: int | None = None,
              severity: str = "error") -> AuthorError:
        """An error at `path`; `offset` is a column inside the value's (stripped) text."""
        parts = tuple(path)
        line, column = self.position(parts, key=key)
        if offset is not None and parts in self.doc.positions:
            style = self.doc.styles.get(parts)
            if style in (None, "", '"', "'"):
                raw = self._raw(parts)
                lead = len(raw) - len(raw.lstrip()) if isinstance(raw, str) else 0
                column += offset + lead + (1 if style in ('"', "'") else 0)
        error = AuthorError(self.file_for(parts), line, column, message, hint,
                            "warning" if severity == "warning" else "error")
        return self.blame(parts, error) if self.blame is not None else error

    def _raw(self, path: tuple[str | int, ...]) -> Any:
        """The value at `path` as the file gives it (before pydantic strips text)."""
        node: Any = self.doc.data
        for part in path:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return None
        return node


class Unplaced:
    """A stand-in for `Locator` when compiling a scenario that passed validation already
    (a cached one, or the batch engine's second compilation): a problem, should a check
    find one, is placed at line 1 of the file (whoever uses it validates afresh then)."""

    def __init__(self, filename: str) -> None:
        self.filename = filename

    def error(self, path: Any, message: str, hint: str = "", *, key: bool = False,
              offset: int | None = None, severity: str = "error") -> AuthorError:
        return AuthorError(self.filename, 1, 1, message, hint,
                           "warning" if severity == "warning" else "error")


def unplaced(filename: str) -> Locator:
    """An `Unplaced` where a `Locator` is asked for (it has the one method used)."""
    return Unplaced(filename)  # type: ignore[return-value]
