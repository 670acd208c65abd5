"""Mutations of real inputs, drawn by Hypothesis: byte edits and edits of the parsed tree."""

from __future__ import annotations

import copy
import json
from typing import Any

import yaml
from hypothesis import strategies as st

INTERESTING = [b"\x00", b"\xff", b"\xef\xbb\xbf", b"\x1b[2J", b"\r", b"\t", b"\n", b"\"", b"'",
               b":", b": ", b"- ", b"{", b"}", b"[", b"]", b"&a ", b"*a", b"<<: ", b"!!python/",
               b"!!binary ", b"? ", b"|", b">", b"#", b"%", b"@", b"`", b"\\u0000", b"1e999",
               b"-1", b"9" * 400, b"NaN", b".inf", b"~", b"null", b"true", b"\xe2\x80\xae"]

VALUES = st.deferred(lambda: st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, -1, 1, 10**30, -(10**400), 1e308, "", " ", "x" * 5000, "trust > 50",
                     "chose(government, crackdown)", "1 / 0", "not", "\x1b]0;hi\x07",
                     "tutorial", "../../etc/passwd", "2026-01-02T03:04:05Z",
                     # effects written out: uncertain, delayed, spread (docs/authoring.md)
                     {"add": [5, 15]}, {"add": 12, "after": 2}, {"add": 30, "over": 3},
                     {"add": ["-trust", "trust * 1e11"], "after": 1, "over": 200},
                     {"add": [1e12, -1e12], "over": 7}]),
    st.text(max_size=40),
    st.lists(VALUES, max_size=3),
    st.dictionaries(st.text(max_size=12), VALUES, max_size=3)))


def bytes_mutation(data: st.DataObject, seeds: list[bytes]) -> bytes:
    raw = bytearray(data.draw(st.sampled_from(seeds), label="seed"))
    for _ in range(data.draw(st.integers(1, 6), label="edits")):
        op = data.draw(st.sampled_from(["flip", "flip", "insert", "insert", "insert", "delete",
                                        "repeat", "splice", "splice", "cut"]))
        at = data.draw(st.integers(0, len(raw)))
        if op == "flip" and at < len(raw):
            raw[at] ^= 1 << data.draw(st.integers(0, 7))
        elif op == "insert":
            raw[at:at] = data.draw(st.one_of(st.sampled_from(INTERESTING), st.binary(max_size=8)))
        elif op == "delete":
            del raw[at:at + data.draw(st.integers(1, 64))]
        elif op == "repeat":
            piece = raw[at:at + data.draw(st.integers(1, 200))]
            raw[at:at] = piece * data.draw(st.integers(1, 20))
        elif op == "splice":
            other = data.draw(st.sampled_from(seeds))
            start = data.draw(st.integers(0, len(other)))
            raw[at:at] = other[start:start + data.draw(st.integers(1, 400))]
        elif op == "cut" and at > len(raw) // 2:
            del raw[at:]
    return bytes(raw)


def _paths(tree: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [here]
    if isinstance(tree, dict):
        for key, value in tree.items():
            found += _paths(value, (*here, key))
    elif isinstance(tree, list):
        for n, value in enumerate(tree):
            found += _paths(value, (*here, n))
    return found


def tree_mutation(data: st.DataObject, trees: list[Any]) -> Any:
    tree = copy.deepcopy(data.draw(st.sampled_from(trees), label="seed"))
    for _ in range(data.draw(st.integers(1, 4), label="edits")):
        paths = _paths(tree)
        path = data.draw(st.sampled_from(paths), label="where")
        if not path:
            continue
        parent = tree
        for part in path[:-1]:
            parent = parent[part]
        last = path[-1]
        op = data.draw(st.sampled_from(["replace", "delete", "duplicate", "rename", "nest",
                                        "swap"]))
        if op == "replace":
            parent[last] = data.draw(VALUES)
        elif op == "delete":
            del parent[last]
        elif op == "duplicate" and isinstance(parent, list):
            parent.insert(last, copy.deepcopy(parent[last]))
        elif op == "duplicate" and isinstance(parent, dict):
            parent[f"{last}_2"] = copy.deepcopy(parent[last])
        elif op == "rename" and isinstance(parent, dict):
            parent[data.draw(st.text(max_size=12))] = parent.pop(last)
        elif op == "nest":
            value = parent[last]
            for _ in range(data.draw(st.one_of(st.integers(1, 6), st.just(70)))):
                value = [value] if data.draw(st.booleans()) else {"a": value}
            parent[last] = value
        elif op == "swap":
            other = data.draw(st.sampled_from(paths))
            node = tree
            for part in other:
                node = node[part] if isinstance(node, dict | list) else node
            parent[last] = copy.deepcopy(node)
    return tree


def as_yaml(tree: Any) -> bytes:
    return yaml.safe_dump(tree, sort_keys=False, allow_unicode=True).encode("utf-8")


def as_json(tree: Any) -> bytes:
    return json.dumps(tree, indent=1, ensure_ascii=False).encode("utf-8", "surrogatepass")
