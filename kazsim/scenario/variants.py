"""Variants: a scenario file that extends another and overrides a few values.

A variant names its base with ``extends:`` (a path relative to the variant, or
a bundled scenario id) and then gives only what differs::

    extends: ../kazakhstan-2022.yaml
    id: kazakhstan_2022_csto_refuses
    title: "What if the CSTO had refused?"
    roles:
      - id: csto
        actions:
          - id: authorise_mission
            remove: true

Mappings merge key by key; lists of things with an ``id`` (indicators, roles,
actions, rules, events, endings, sources, flags...) merge item by item, matched
by id, and new ids are appended; an item with ``remove: true`` is dropped (and
naming an id the base does not have is an error); an empty list (``events: []``)
empties the list; any other value replaces the base's. A key cannot be taken
out of a mapping. Errors point into whichever file the value came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from kazsim.scenario.contenthash import content_hash
from kazsim.scenario.errors import AuthorError
from kazsim.scenario.locator import Locator
from kazsim.scenario.yamlsafe import Document, Path, Positions, YamlProblem, decode, read_yaml


class _Merger:
    def __init__(self, base: Document, variant: Document, variant_file: str) -> None:
        self.positions: Positions = dict(base.positions)
        self.styles: dict[Path, str | None] = dict(base.styles)
        self.written: dict[Path, str] = dict(base.written)
        self.variant = variant
        self.variant_file = variant_file
        self.origins: dict[Path, str] = {}
        self.problems: list[AuthorError] = []
        self.removals: list[_Removal] = []

    def take(self, vpath: Path, out: Path) -> None:
        """Positions of a value the variant supplies whole."""
        n = len(out)
        tables: tuple[dict[Path, Any], ...] = (self.positions, self.styles, self.written)
        for table in tables:
            for p in [p for p in table if p[:n] == out]:
                del table[p]
        m = len(vpath)
        for p, pos in self.variant.positions.items():
            if p[:m] == vpath:
                self.positions[out + p[m:]] = pos
        for p, style in self.variant.styles.items():
            if p[:m] == vpath:
                self.styles[out + p[m:]] = style
        for p, text in self.variant.written.items():
            if p[:m] == vpath:
                self.written[out + p[m:]] = text
        self.origins[out] = self.variant_file

    def merge(self, base: Any, over: Any, vpath: Path, out: Path) -> Any:
        if isinstance(base, dict) and isinstance(over, dict):
            result = dict(base)
            for key, value in over.items():
                if not out and key == "extends":
                    continue
                if key in base:
                    result[key] = self.merge(base[key], value, (*vpath, key), (*out, key))
                    # The key's own position may come from the variant only when its whole
                    # value does: a merged mapping or list is still reported in the base.
                    taken = self.origins.get((*out, key)) == self.variant_file
                    if taken and (*vpath, key, "<key>") in self.variant.positions:
                        self.positions[(*out, key, "<key>")] = self.variant.positions[
                            (*vpath, key, "<key>")]
                else:
                    result[key] = value
                    self.take((*vpath, key), (*out, key))
                    self.positions[(*out, key, "<key>")] = self.variant.positions.get(
                        (*vpath, key, "<key>"), (1, 1))
            return result
        if _keyed(base) and isinstance(over, list) and over:
            result_list = list(base)
            index = {item["id"]: i for i, item in enumerate(base)}
            removed: set[int] = set()
            for j, item in enumerate(over):
                item_id = item.get("id") if isinstance(item, dict) else None
                if isinstance(item, dict) and "remove" in item and item["remove"] is not True:
                    # `remove: yes` is the word 'yes' in YAML 1.2, not true.
                    given = item["remove"]
                    shown = str(given).lower() if isinstance(given, bool | None) else repr(given)
                    self.problems.append(AuthorError(
                        self.variant_file,
                        *self.variant.positions.get((*vpath, j, "remove"), (1, 1)),
                        f"'remove' can only be true, found {shown}",
                        "write 'remove: true' to drop the item, or delete the line to keep "
                        "it (yes, no, on and off are words, not true/false)"))
                    continue
                if not isinstance(item_id, str):  # a list or mapping cannot match an id:
                    item_id = None  # appended, its type is reported like any other
                if item_id in index:
                    i = index[item_id]
                    if item.get("remove") is True:
                        removed.add(i)
                        where = self.variant.positions.get((*vpath, j, "remove"), (1, 1))
                        self.removals.append(_Removal(str(item_id), out, where))
                        continue
                    result_list[i] = self.merge(base[i], item, (*vpath, j), (*out, i))
                elif item_id is not None and item.get("remove") is True:
                    self.problems.append(AuthorError(
                        self.variant_file, *self.variant.positions.get((*vpath, j, "id"), (1, 1)),
                        f"cannot remove '{item_id}': the scenario this extends has no "
                        f"'{item_id}' here",
                        "check the id, and that it sits under the right list"))
                else:
                    self.take((*vpath, j), (*out, len(result_list)))
                    result_list.append(item)
            if removed:
                return self._drop(result_list, removed, out)
            return result_list
        self.take(vpath, out)
        return over

    def _drop(self, items: list[Any], removed: set[int], out: Path) -> list[Any]:
        """Remove items and shift the positions of those after them."""
        kept = [i for i in range(len(items)) if i not in removed]
        n = len(out)
        for table in (self.positions, self.styles, self.origins, self.written):
            moved: dict[Path, Any] = {}
            for p in list(table):
                index = p[n] if len(p) > n else None
                if p[:n] == out and isinstance(index, int):
                    value = table.pop(p)
                    if index in kept:
                        moved[(*out, kept.index(index), *p[n + 1:])] = value
            table.update(moved)
        return [items[i] for i in kept]


@dataclass(frozen=True)
class _Removal:
    """An item a variant removes: its id, the (merged) list it was in, the 'remove' line."""

    id: str
    list_path: Path
    where: tuple[int, int]


class _Blame:
    """Moves a problem found in the base to the variant's removal that caused it.

    The base is valid on its own; once a variant removes an item, whatever in
    the base still uses it (``chose(crowd, march)``), or needed it (a role's one
    action it can always take), is reported at the variant's ``remove:`` line,
    naming the place in the base. A problem names the removal when it quotes the
    removed id, or when it is about the very list the item was removed from.
    """

    def __init__(self, removals: list[_Removal], variant_file: str, base_file: str) -> None:
        self.removals = removals
        self.variant_file = variant_file
        self.base_file = base_file
        self.base_name = PurePath(base_file).name

    def __call__(self, path: Path, error: AuthorError) -> AuthorError:
        if error.file != self.base_file:
            return error
        for removal in self.removals:
            if f"'{removal.id}'" in error.message or path == removal.list_path:
                return AuthorError(
                    self.variant_file, *removal.where,
                    f"removing '{removal.id}' breaks {self.base_name}:{error.line}:"
                    f"{error.column}: {error.message}",
                    "; ".join(part for part in (
                        f"keep '{removal.id}' (delete its 'remove: true'), or override what "
                        "needs it", error.hint) if part),
                    error.severity)
        return error


def _keyed(value: Any) -> bool:
    return (isinstance(value, list) and bool(value)
            and all(isinstance(v, dict) and isinstance(v.get("id"), str) for v in value))


def merge_variant(doc: Document, loc: Locator, resolve: Any) -> tuple[Any, list[AuthorError]]:
    """Merge a variant over its base; on success, point `loc` at the merged document."""
    target = doc.data.get("extends")
    if not isinstance(target, str) or not target.strip():
        return None, [loc.error(("extends",), "'extends' must name a scenario file or id",
                                "write e.g. 'extends: ../tutorial.yaml' or a bundled id such as "
                                "'extends: tutorial'")]
    if resolve is None:
        return None, [loc.error(("extends",), "a variant can only be loaded from a file",
                                "save it as a .yaml file next to the scenario it extends")]
    try:
        raw, base_file = resolve(target.strip(), loc.filename)
    except FileNotFoundError:
        return None, [loc.error(("extends",), f"cannot find the scenario '{target}' to extend",
                                "give a path relative to this file, or an id from "
                                "'kazsim list'")]
    except YamlProblem as problem:  # not a regular file, or too large
        return None, [loc.error(("extends",), f"cannot use '{target}': {problem.message}",
                                problem.hint)]
    except OSError as exc:
        return None, [loc.error(("extends",), f"cannot read '{target}': {exc.strerror}",
                                "check the path, and that you may read the file")]
    try:
        base = read_yaml(decode(raw))
    except YamlProblem as problem:
        return None, [AuthorError(base_file, problem.line, problem.column, problem.message,
                                  problem.hint)]
    if "extends" in base.data:
        return None, [loc.error(("extends",), f"'{target}' is itself a variant",
                                "extend the original scenario instead")]
    # A variant's identity includes its base: when the base changes, so does the hash.
    loc.base_hash = content_hash(raw)
    merger = _Merger(base, doc, loc.filename)
    merged = merger.merge(base.data, doc.data, (), ())
    if merger.problems:
        return None, merger.problems
    loc.retarget(Document(merged, merger.positions, merger.styles, merger.written), base_file,
                 merger.origins)
    if merger.removals:
        loc.blame = _Blame(merger.removals, loc.filename, base_file)
    return merged, []
