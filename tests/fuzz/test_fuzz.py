"""The fuzzers: mutated real scenarios, saves and expressions end cleanly, within 2 s each.

Run with `KAZSIM_FUZZ=short python -m pytest -m fuzz` (about two minutes, part of
`.ci/run`) or `KAZSIM_FUZZ=long ...` (hours). Each input that makes a target raise
anything but kazsim's own error is written to regressions/<target>/ (on the final,
shrunk example) and from then on replayed by test_regressions.py in every run.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from . import mutate, targets
from .conftest import SCALE
from .known import known_crash

pytestmark = pytest.mark.fuzz

# The bundled scenarios, and one with every effect that takes time, uncertain amount and drift.
SEED_SCENARIOS = [*sorted(targets.SCENARIOS.glob("*.yaml")),
                  targets.ROOT / "tests" / "engine" / "in_time.yaml"]
CORPUS = sorted((targets.ROOT / "tests" / "corpus").rglob("*.yaml"))
EXPRESSIONS = [
    b"trust > 50 and not martial_law", b"chose(government, crackdown)",
    b"clamp(protest_size * 1.5 - trust / 2, 0, 100)", b"times(crowd, march) >= 2",
    b"previous(crowd, rest) or turn == last_turn", b"round(min(trust, 3) + max(1, 2, 3))",
    b"abs(-protest_size) != 0", b"(((trust)))", b"not not martial_law",
]


def run(target: str, raw: bytes) -> None:
    """Run the target within its time; keep the input if it raised or took too long (only
    the final, shrunk example, and only in a fuzz run: KAZSIM_FUZZ set)."""
    try:
        with targets.time_bound():
            targets.TARGETS[target](raw)
    except (Exception, targets.TooSlow) as exc:
        from hypothesis import currently_in_test_context, reject
        from hypothesis.control import current_build_context

        if currently_in_test_context():
            if known_crash(exc) is not None:
                reject()  # recorded, its fix on its way (known.py): look for other crashes
            if os.environ.get("KAZSIM_FUZZ") and current_build_context().is_final:
                print(f"kept as {targets.record(target, raw)}")
        if isinstance(exc, targets.TooSlow):
            raise AssertionError(str(exc)) from exc
        raise


def _scenario_bytes() -> list[bytes]:
    return [p.read_bytes() for p in SEED_SCENARIOS + CORPUS]


def _scenario_trees() -> list[object]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in SEED_SCENARIOS]


@settings(settings.get_profile("kazsim-fuzz"), max_examples=800 * SCALE)
@given(st.data())
def test_scenario_bytes(data: st.DataObject) -> None:
    run("scenario", mutate.bytes_mutation(data, _SCENARIO_BYTES))


@settings(settings.get_profile("kazsim-fuzz"), max_examples=300 * SCALE)
@given(st.data())
def test_scenario_structure(data: st.DataObject) -> None:
    run("scenario", mutate.as_yaml(mutate.tree_mutation(data, _SCENARIO_TREES)))


@settings(settings.get_profile("kazsim-fuzz"), max_examples=1500 * SCALE)
@given(st.data())
def test_save_bytes(saves: list[bytes], data: st.DataObject) -> None:
    run("save", mutate.bytes_mutation(data, saves))


@settings(settings.get_profile("kazsim-fuzz"), max_examples=1500 * SCALE)
@given(st.data())
def test_save_structure(saves: list[bytes], data: st.DataObject) -> None:
    trees = [json.loads(s) for s in saves]
    run("save", mutate.as_json(mutate.tree_mutation(data, trees)))


@settings(settings.get_profile("kazsim-fuzz"), max_examples=4000 * SCALE)
@given(st.data())
def test_expression(data: st.DataObject) -> None:
    raw = data.draw(st.one_of(
        st.builds(lambda d: mutate.bytes_mutation(d, EXPRESSIONS), st.data()),
        st.text(max_size=200).map(str.encode)))
    run("expression", raw)


_SCENARIO_BYTES = _scenario_bytes()
_SCENARIO_TREES = _scenario_trees()


def test_the_seeds_are_real_inputs(saves: list[bytes]) -> None:
    """The fuzzers start from inputs that succeed: each target accepts every seed."""
    assert len(SEED_SCENARIOS) >= 3 and all(isinstance(t, dict) for t in _SCENARIO_TREES)
    for path in SEED_SCENARIOS:
        targets.TARGETS["scenario"](path.read_bytes())
    for raw in saves:
        targets.TARGETS["save"](raw)
    for raw in EXPRESSIONS:
        targets.TARGETS["expression"](raw)


def test_a_crash_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(targets, "REGRESSIONS", tmp_path)
    path = targets.record("save", b"{}")
    assert path.parent == tmp_path / "save" and path.read_bytes() == b"{}"


def test_an_input_that_runs_too_long_is_stopped(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    def forever(raw: bytes) -> None:
        while raw:
            pass

    monkeypatch.setattr(targets, "CPU_SECONDS", 0.05)
    monkeypatch.setitem(targets.TARGETS, "save", forever)
    with pytest.raises(AssertionError, match="more than its processor time"):
        run("save", b"{}")
