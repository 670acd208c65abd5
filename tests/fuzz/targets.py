"""The fuzz targets: each takes one input and must end in a clean kazsim error or success.

A target returns normally for success and for the error kazsim gives a person
(`ScenarioError`/author problems, `SaveError`, `ExprError`); anything else it
raises is a finding. Used by the fuzzers (test_fuzz.py) and by the replay of every
input ever found (test_regressions.py, files under regressions/<target>/).
"""

from __future__ import annotations

import contextlib
import hashlib
import signal
import tempfile
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
REGRESSIONS = Path(__file__).resolve().parent / "regressions"
MAX_TURNS_PLAYED = 60  # an AI game on a fuzzed scenario: enough to reach every kind of rule


def scenario(raw: bytes) -> None:
    """The YAML reader, the validator and checks, the variant merge, then the engine."""
    from kazsim.engine import play_ai_game
    from kazsim.scenario.catalog import resolve_extends
    from kazsim.scenario.load import errors_text, load_text

    # Named as if it sat beside the bundled scenarios, so `extends:` finds them.
    compiled, problems = load_text(raw, str(SCENARIOS / "fuzzed.yaml"), resolve=resolve_extends)
    for problem in problems:
        assert problem.line >= 1 and problem.column >= 1, problem
        assert problem.message, problem
    errors_text(problems)
    if compiled is None:
        assert any(p.severity == "error" for p in problems)
        return
    if compiled.last_turn <= MAX_TURNS_PLAYED:
        for seed in (1, 2):
            game = play_ai_game(compiled, seed)
            assert game.over


def save(raw: bytes) -> None:
    """Reading a save, finding its scenario, replaying it (with every checksum)."""
    from kazsim.session.model import SaveError
    from kazsim.session.replay import load_session

    with tempfile.TemporaryDirectory(prefix="kazsim-fuzz-") as folder:
        path = Path(folder) / "fuzzed.json"
        path.write_bytes(raw)
        try:
            loaded = load_session(path)
        except SaveError as exc:
            assert str(exc)
            return
        assert loaded.game.scenario is loaded.scenario


def expression(raw: bytes) -> None:
    """Compiling an expression (as a condition and as an amount), then evaluating it."""
    from kazsim.scenario.expr import ExprError, Names, compile_expr

    names = Names(numbers=frozenset({"protest_size", "trust"}), flags=frozenset({"martial_law"}),
                  actions={"government": frozenset({"crackdown", "talk"}),
                           "crowd": frozenset({"march", "rest"})})
    env: dict[str, Any] = {"protest_size": 40, "trust": 70, "martial_law": False, "turn": 3,
                           "last_turn": 10, "@government": "talk", "<crowd": "rest",
                           "#government.talk": 2, "#crowd.march": 1}
    text = raw.decode("utf-8", "replace")
    for want in ("number", "bool"):
        try:
            compiled = compile_expr(text, names, want)  # type: ignore[arg-type]
        except ExprError as exc:
            assert exc.message and 0 <= exc.offset <= len(text)
            continue
        result = compiled(env)
        assert isinstance(result, bool) if want == "bool" else isinstance(result, int | float)


def quietly(target: Callable[[bytes], None]) -> Callable[[bytes], None]:
    """A Python warning is not a clean message either: it reaches the person's terminal
    as `<unknown>:1: SyntaxWarning: ...`."""
    def run(raw: bytes) -> None:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            target(raw)
        shown = [f"{w.category.__name__}: {w.message}" for w in caught]
        assert not shown, f"a Python warning reaches the terminal: {shown}"
    run.__name__ = target.__name__
    return run


TARGETS: dict[str, Callable[[bytes], None]] = {
    "scenario": quietly(scenario), "save": quietly(save), "expression": quietly(expression)}
SUFFIX = {"scenario": ".yaml", "save": ".json", "expression": ".txt"}


CPU_SECONDS = 2.0  # per input
WALL_SECONDS = 30.0  # per input, for a wait that uses no processor time


class TooSlow(BaseException):
    """Raised inside a target by a timer: a BaseException, so no `except Exception` in
    kazsim can mistake it for a clean error."""


def _too_slow(signum: int, _frame: object) -> None:
    what = "processor time" if signum == signal.SIGPROF else "time on the clock"
    raise TooSlow(f"one input took more than its {what}")


@contextlib.contextmanager
def time_bound() -> Iterator[None]:
    """Interrupt the input after CPU_SECONDS of processor time (ITIMER_PROF: steady on a
    busy machine, unlike the wall clock) or WALL_SECONDS in all."""
    handlers = signal.signal(signal.SIGPROF, _too_slow), signal.signal(signal.SIGALRM,
                                                                        _too_slow)
    signal.setitimer(signal.ITIMER_PROF, CPU_SECONDS)
    signal.setitimer(signal.ITIMER_REAL, WALL_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGPROF, handlers[0])
        signal.signal(signal.SIGALRM, handlers[1])


def record(target: str, raw: bytes) -> Path:
    """Keep a crashing input as a regression case (named by its content)."""
    folder = REGRESSIONS / target
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (hashlib.sha256(raw).hexdigest()[:16] + SUFFIX[target])
    path.write_bytes(raw)
    return path
