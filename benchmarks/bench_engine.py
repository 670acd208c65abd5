"""How fast scenarios load and games play, next to floors measured in the same run.

    .venv/bin/python benchmarks/bench_engine.py [--repeat N] [--seconds S] [--profile]

Prints two tables (best of N timings, `time.perf_counter`):

(a) Load + validate, per bundled scenario: `load_text` on the file's bytes
    (safe YAML with positions, pydantic validation, every check, every
    expression compiled) against the floor: PyYAML's C loader
    (`yaml.load(text, Loader=yaml.CSafeLoader)`) and pydantic's validation
    against the format (`scenario_adapter().validate_python`) of the same
    text, with nothing checked or compiled. Target: within 1.5x.

(b) Complete AI-vs-AI playthroughs per second (`play_ai_game`, the easy AI in
    every role) against the floor: the same games hand-written in plain Python
    (every expression as a Python function over a dict, the engine's order of
    resolution, and the same easy AI written out by hand in `hand_written_ai`),
    with no records, no immutable states and no legality checks. Target:
    AI-vs-AI at least 0.5x of that floor. For reference, the table also shows
    games with random legal choices through the engine against the same
    hand-written game with random choices (the engine's own bookkeeping:
    records of every change and why, states as values), and the bare
    arithmetic of the chosen actions' effects alone.

With --profile, also prints where an AI-vs-AI game spends its time (cProfile,
the main scenario), grouped by function.
"""

from __future__ import annotations

import argparse
import ast
import cProfile
import hashlib
import math
import pstats
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from kazsim.engine import Game, legal_actions, play_ai_game
from kazsim.scenario import CompiledScenario
from kazsim.scenario.load import load_text, scenario_adapter

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
LOAD_TARGET = 1.5
PLAY_TARGET = 0.5


def best_of(repeat: int, fn: Callable[[], Any]) -> float:
    """The shortest of `repeat` timings of `fn()`, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


# --- (a) loading ------------------------------------------------------------------------------

def load_row(path: Path, repeat: int) -> tuple[str, int, float, float]:
    raw = path.read_bytes()
    text = raw.decode("utf-8")

    def floor() -> None:
        scenario_adapter().validate_python(yaml.load(text, Loader=yaml.CSafeLoader))

    def ours() -> None:
        compiled, problems = load_text(raw, str(path))
        assert compiled is not None, problems

    return path.name, len(raw), best_of(repeat, floor), best_of(repeat, ours)


# --- (b) playing ------------------------------------------------------------------------------

Plan = list[tuple[list[tuple[str, Any]], list[tuple[str, Any]], list[tuple[float, list[Any]]]]]


def floor_plan(compiled: CompiledScenario) -> dict[str, Plan]:
    """Each role's actions as (adds, sets, outcomes) with every amount worked out once."""
    env: dict[str, Any] = {**compiled.initial, "turn": 1, "last_turn": compiled.last_turn}
    plans: dict[str, Plan] = {}
    for role in compiled.roles:
        plan: Plan = []
        for action in role.actions:
            adds = [(e.target, e.fn(env)) for e in action.effects if e.mode == "add"]
            sets = [(e.target, e.fn(env)) for e in action.effects if e.mode != "add"]
            outcomes = [(float(o.chance(env)), [(e.target, e.mode, e.fn(env)) for e in o.effects])
                        for o in action.outcomes]
            plan.append((adds, sets, outcomes))
        plans[role.id] = plan
    return plans


def floor_games(compiled: CompiledScenario, turns_per_game: list[int]) -> None:
    """The hand-written loop: the arithmetic of the games, and nothing else."""
    plans = list(floor_plan(compiled).values())
    bounds = dict(compiled.bounds)
    initial = dict(compiled.initial)
    for seed, turns in enumerate(turns_per_game):
        rng = random.Random(seed)
        values = dict(initial)
        for _ in range(turns):
            delta: dict[str, Any] = {}
            for plan in plans:
                adds, sets, outcomes = rng.choice(plan)
                for target, value in sets:
                    values[target] = value
                for target, amount in adds:
                    delta[target] = delta.get(target, 0) + amount
                if outcomes:
                    draw = rng.random()
                    for chance, effects in outcomes:
                        draw -= chance
                        if draw < 0:
                            for target, mode, amount in effects:
                                if mode == "add":
                                    delta[target] = delta.get(target, 0) + amount
                                else:
                                    values[target] = amount
                            break
            for target, amount in delta.items():
                value = values[target] + amount
                lo, hi = bounds[target]
                values[target] = lo if value < lo else hi if value > hi else value


# The same game, hand-written: every expression becomes plain Python over a dict (the
# scenario language is Python's syntax, so the translation is mechanical) and the turn is
# the engine's order of resolution without records, news or immutable states.

class _ToPython(ast.NodeTransformer):
    def visit_Name(self, node: ast.Name) -> ast.expr:
        if node.id in ("true", "True", "false", "False"):
            return ast.Constant(node.id.lower() == "true")
        return ast.Subscript(ast.Name("v", ast.Load()), ast.Constant(node.id), ast.Load())

    def visit_Call(self, node: ast.Call) -> ast.expr:
        name = node.func.id  # type: ignore[attr-defined]
        if name in ("chose", "previous", "times"):
            role, action = (a.id for a in node.args)  # type: ignore[attr-defined]
            key = {"chose": "@" + role, "previous": "<" + role}.get(name, f"#{role}.{action}")
            get = ast.Call(ast.Attribute(ast.Name("v", ast.Load()), "get", ast.Load()),
                           [ast.Constant(key), ast.Constant(None if name != "times" else 0)],
                           [])
            if name == "times":
                return get
            return ast.Compare(get, [ast.Eq()], [ast.Constant(action)])
        node.args = [self.visit(a) for a in node.args]
        if name in ("clamp", "round"):
            node.func = ast.Name("_" + name, ast.Load())
        return node

    def visit_BinOp(self, node: ast.BinOp) -> ast.expr:
        self.generic_visit(node)
        if isinstance(node.op, ast.Div):
            return ast.Call(ast.Name("_div", ast.Load()), [node.left, node.right], [])
        return node


_HELPERS = {
    "_div": lambda a, b: a / b if b else 0.0,
    "_clamp": lambda x, lo, hi: lo if x < lo else hi if x > hi else x,
    "_round": lambda x: float(math.copysign(math.floor(abs(x) + 0.5), x)),
}


def python_fn(text: Any) -> Callable[[dict[str, Any]], Any]:
    """An expression of the scenario language as a Python function of the values dict."""
    tree = ast.parse(str(text).strip().lower() if isinstance(text, bool) else str(text).strip(),
                     mode="eval")
    body = _ToPython().visit(tree).body
    function = ast.Lambda(ast.arguments([], [ast.arg("v")], None, [], [], None, []), body)
    code = compile(ast.fix_missing_locations(ast.Expression(function)), "<floor>", "eval")
    fn: Callable[[dict[str, Any]], Any] = eval(code, dict(_HELPERS))  # noqa: S307 - our own text
    return fn


def _effects(effects: Any) -> list[tuple[str, str, Callable[[dict[str, Any]], Any]]]:
    out = []
    for e in effects:
        text = e.text[1:] if e.mode == "set" else e.text
        out.append((e.target, e.mode, python_fn(text)))
    return out


def _outcomes(outcomes: Any, model_outcomes: Any) -> list[tuple[Any, Any]]:
    return [(python_fn(m.chance), _effects(o.effects))
            for o, m in zip(outcomes, model_outcomes, strict=True)]


def _collect(effects: Any, v: dict[str, Any], sets: dict[str, Any],
             adds: dict[str, Any]) -> None:
    for target, mode, fn in effects:
        if mode == "add":
            adds[target] = adds.get(target, 0) + fn(v)
        else:
            sets[target] = fn(v)


def _draw(outcomes: Any, v: dict[str, Any], rng: random.Random) -> Any:
    pick, acc = rng.random(), 0.0
    for chance, effects in outcomes:
        acc += min(max(chance(v), 0.0), 1.0)
        if pick < acc:
            return effects
    return None


def hand_written_ai(compiled: CompiledScenario) -> Callable[..., str]:
    """The easy AI of engine/ai.py (choose_easy), written out in plain Python.

    Same algorithm, same arithmetic, same random draws: authored weights, the
    score gain of each legal action (its effects, its outcomes weighted by their
    chance, the rules on its role's choice, guessing the others repeat last
    turn), a softmax, one draw from the decision's own generator.
    """
    bounds = dict(compiled.bounds)
    role_ids = list(compiled.role_ids)
    rules = {r.id: (python_fn(r.model.when), _effects(r.effects),
                    _outcomes(r.outcomes, r.model.outcomes)) for r in compiled.rules}
    roles: dict[str, Any] = {}
    for role in compiled.roles:
        actions = {a.id: (python_fn(a.model.ai.weight), _effects(a.effects),
                          _outcomes(a.outcomes, a.model.outcomes),
                          [rules[r.id] for r in compiled.ai_rules[role.id][a.id]])
                   for a in role.actions}
        ai = role.model.ai
        roles[role.id] = (python_fn(role.model.score), ai.greed, max(ai.randomness, 0.02),
                          actions)

    def apply(effects: Any, v: dict[str, Any], weight: float) -> None:
        for target, mode, fn in effects:
            value = fn(v)
            if mode == "add":
                if not value:
                    continue
                new = v[target] + value * weight
            elif mode == "set":
                new = v[target] + (value - v[target]) * weight
            else:
                if weight >= 0.5:
                    v[target] = value
                continue
            lo, hi = bounds[target]
            v[target] = lo if new < lo else hi if new > hi else new

    def choose(role_id: str, legal: list[str], v: dict[str, Any], seed: int, turn: int) -> str:
        if len(legal) == 1:
            return legal[0]
        score, greed, tau, actions = roles[role_id]
        base = float(score(v))
        guess = dict(v)
        for other in role_ids:
            if other != role_id and "<" + other in v:
                guess["@" + other] = v["<" + other]
        weights, gains = [], []
        for action_id in legal:
            weight, effects, outcomes, action_rules = actions[action_id]
            weights.append(max(float(weight(v)), 0.0))
            if not greed:
                gains.append(0.0)
                continue
            trial = dict(guess)
            trial["@" + role_id] = action_id
            key = f"#{role_id}.{action_id}"
            trial[key] = trial.get(key, 0) + 1
            before = dict(trial)
            apply(effects, trial, 1.0)
            for chance, outcome in outcomes:
                c = chance(before)
                if c > 0:
                    apply(outcome, trial, min(c, 1.0))
            for when, rule_effects, rule_outcomes in action_rules:
                if when(before):
                    apply(rule_effects, trial, 1.0)
                    for chance, outcome in rule_outcomes:
                        c = chance(before)
                        if c > 0:
                            apply(outcome, trial, min(c, 1.0))
            gains.append(float(score(trial)) - base)
        if not any(weights):
            weights = [1.0] * len(legal)
        scale = max(abs(g) for g in gains) or 1.0
        utilities = [(math.log(w) + 3.0 * greed * g / scale) / tau if w > 0 else -math.inf
                     for w, g in zip(weights, gains, strict=True)]
        top = max(utilities)
        weights = [math.exp(u - top) if u > -math.inf else 0.0 for u in utilities]
        key = f"kazsim-ai/{seed}/{turn}/{role_id}/".encode() + b"\0\0\0\0"
        draw = int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "big") >> 11
        pick = draw / 9007199254740992.0 * sum(weights)
        for action_id, w in zip(legal, weights, strict=True):
            pick -= w
            if pick < 0:
                return action_id
        return legal[max(range(len(legal)), key=weights.__getitem__)]

    return choose


def hand_written_games(compiled: CompiledScenario, games: int, *, ai: bool = False) -> None:
    """Complete games of the scenario, written as plain Python: random choices, or
    (ai=True) the easy AI in every role, written out as `hand_written_ai`."""
    choose = hand_written_ai(compiled) if ai else None
    roles = []
    for role in compiled.roles:
        actions = []
        for a in role.actions:
            m = a.model
            actions.append((a.id, f"{role.id}.{a.id}", m.once, m.cooldown,
                            python_fn(m.available) if m.available else None,
                            _effects(a.effects), _outcomes(a.outcomes, m.outcomes)))
        roles.append((role.id, actions))
    rules = [(python_fn(r.model.when), _effects(r.effects), _outcomes(r.outcomes, r.model.outcomes))
             for r in compiled.rules]
    events = [(e.id, e.turn, python_fn(e.model.when) if e.model.when else None,
               python_fn(e.model.chance), e.repeat, _effects(e.effects),
               _outcomes(e.outcomes, e.model.outcomes)) for e in compiled.events]
    endings = [(e.at_last_turn, python_fn(e.model.when) if e.model.when else None)
               for e in compiled.endings]
    bounds, last = dict(compiled.bounds), compiled.last_turn
    for seed in range(games):
        rng = random.Random(seed)
        values = dict(compiled.initial)
        counts: dict[str, int] = {}
        last_chosen: dict[str, int] = {}
        previous: dict[str, str] = {}
        fired: dict[str, int] = {}
        for turn in range(1, last + 1):
            v = dict(values)
            v["turn"], v["last_turn"] = turn, last
            for key, n in counts.items():
                v["#" + key] = n
            for role_id, action_id in previous.items():
                v["<" + role_id] = action_id
            chosen = []
            for role_id, actions in roles:
                legal = [a for a in actions
                         if not (a[2] and counts.get(a[1]))
                         and not (a[3] and turn <= last_chosen.get(a[1], -999) + a[3])
                         and (a[4] is None or a[4](v))]
                if choose is None:
                    chosen.append((role_id, rng.choice(legal)))
                else:
                    pick = choose(role_id, [a[0] for a in legal], v, seed, turn)
                    chosen.append((role_id, next(a for a in legal if a[0] == pick)))
            for role_id, action in chosen:
                counts[action[1]] = counts.get(action[1], 0) + 1
                last_chosen[action[1]] = turn
                previous[role_id] = action[0]
                v["@" + role_id] = action[0]
                v["#" + action[1]] = counts[action[1]]
            sets: dict[str, Any] = {}
            adds: dict[str, Any] = {}
            for _, action in chosen:
                _collect(action[5], v, sets, adds)
                if action[6] and (hit := _draw(action[6], v, rng)):
                    _collect(hit, v, sets, adds)
            for when, effects, outcomes in rules:
                if when(v):
                    _collect(effects, v, sets, adds)
                    if outcomes and (hit := _draw(outcomes, v, rng)):
                        _collect(hit, v, sets, adds)
            values.update(sets)
            for target, amount in adds.items():
                values[target] += amount
            for target in (*sets, *adds):
                if target in bounds:
                    lo, hi = bounds[target]
                    values[target] = min(max(values[target], lo), hi)
            v.update(values)
            for event_id, on_turn, due, chance, repeat, effects, outcomes in events:
                if (not repeat and fired.get(event_id)) or (on_turn is not None
                                                            and on_turn != turn):
                    continue
                if (due is not None and not due(v)) or rng.random() >= chance(v):
                    continue
                fired[event_id] = fired.get(event_id, 0) + 1
                for part in (effects, _draw(outcomes, v, rng) if outcomes else None):
                    for target, mode, fn in part or ():
                        value = values[target] + fn(v) if mode == "add" else fn(v)
                        if mode != "flag":
                            lo, hi = bounds[target]
                            value = min(max(value, lo), hi)
                        values[target] = v[target] = value
            if any((not at_last or turn == last) and (when is None or when(v))
                   for at_last, when in endings):
                break


def random_games(compiled: CompiledScenario, games: int) -> None:
    """Complete games through the engine, each role choosing uniformly among legal actions."""
    for seed in range(games):
        game = Game(compiled, seed)
        rng = random.Random(seed)
        while not game.over:
            env = game.state.env(compiled.last_turn)
            game.play({r: rng.choice(legal_actions(compiled, game.state, r, env))
                       for r in compiled.role_ids})


def ai_games(compiled: CompiledScenario, games: int) -> list[int]:
    return [len(play_ai_game(compiled, seed).records) for seed in range(games)]


def games_for(compiled: CompiledScenario, seconds: float) -> int:
    """How many AI games take about `seconds` (so every row times a similar amount)."""
    started = time.perf_counter()
    played = 0
    while time.perf_counter() - started < seconds / 4:
        play_ai_game(compiled, played)
        played += 1
    return max(10, played * 4)


def play_row(path: Path, repeat: int, seconds: float) -> dict[str, Any]:
    compiled, _ = load_text(path.read_bytes(), str(path))
    assert compiled is not None
    games = games_for(compiled, seconds)
    turns = ai_games(compiled, games)
    return {
        "name": path.name, "games": games, "turns": sum(turns) / games,
        "ai": games / best_of(repeat, lambda: ai_games(compiled, games)),
        "random": games / best_of(repeat, lambda: random_games(compiled, games)),
        "floor": games / best_of(repeat, lambda: floor_games(compiled, turns)),
        "hand": games / best_of(repeat, lambda: hand_written_games(compiled, games)),
        "hand_ai": games / best_of(repeat, lambda: hand_written_games(compiled, games, ai=True)),
    }


def profile(path: Path, games: int) -> str:
    """Where AI-vs-AI games spend their time: per file, and the main entry points."""
    compiled, _ = load_text(path.read_bytes(), str(path))
    assert compiled is not None
    profiler = cProfile.Profile()
    profiler.enable()
    ai_games(compiled, games)
    profiler.disable()
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    total = sum(row[2] for row in stats.values())
    by_file: dict[str, float] = {}
    cumulative: dict[str, float] = {}
    for (file, _, name), (_, _, own, cum, _) in stats.items():
        where = "/".join(Path(file).parts[-2:]) if file != "~" else "(built-in)"
        by_file[where] = by_file.get(where, 0.0) + own
        cumulative[f"{where}:{name}"] = max(cumulative.get(f"{where}:{name}", 0.0), cum)
    lines = [f"profiled {games} games: {total:.2f} s of own time (cProfile slows code ~2x)",
             "  own time by file:"]
    for where, own in sorted(by_file.items(), key=lambda kv: -kv[1])[:8]:
        lines.append(f"    {own / total:>6.1%}  {where}")
    lines.append("  time inside (cumulative, overlapping):")
    for key in ("engine/ai.py:choose_easy", "engine/ai.py:expected_gain", "engine/draws.py:ai",
                "engine/resolve.py:legal_actions", "engine/state.py:env"):
        found = [v for k, v in cumulative.items() if k == key]
        if found:
            lines.append(f"    {found[0] / total:>6.1%}  {key}")
    resolving = [v for k, v in cumulative.items() if k.startswith("engine/resolve.py:resolve")]
    if resolving:
        lines.append(f"    {max(resolving) / total:>6.1%}  engine/resolve.py:resolve*")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7, help="timings per measure (best kept)")
    parser.add_argument("--seconds", type=float, default=0.5,
                        help="about how long one timing of the AI games takes")
    parser.add_argument("--profile", action="store_true", help="profile an AI-vs-AI game")
    args = parser.parse_args()

    print("(a) load + validate, best of", max(args.repeat, 15), "(milliseconds)")
    print(f"{'scenario':<24}{'bytes':>9}{'floor':>9}{'kazsim':>9}{'ratio':>8}  target")
    for path in SCENARIOS:
        name, size, floor, ours = load_row(path, max(args.repeat, 15))
        ratio = ours / floor
        verdict = "ok" if ratio <= LOAD_TARGET else "MISSED"
        print(f"{name:<24}{size:>9,}{floor * 1000:>9.2f}{ours * 1000:>9.2f}{ratio:>7.2f}x"
              f"  <= {LOAD_TARGET}x {verdict}")
    print()
    print("(b) complete games per second, best of", args.repeat)
    print("    floor: the same game hand-written in plain Python (dicts and Python functions;")
    print("    the same order of resolution, no records, no immutable states)")
    print("    AI-vs-AI: play_ai_game, easy AI everywhere, against the floor with the same")
    print("    easy AI hand-written: this is the target")
    print("    random: Game.play with random legal choices, against the floor with random choices")
    print("    (the arithmetic-only loop, no conditions, rules, events or AI, for reference)")
    print(f"{'scenario':<22}{'turns':>6}{'AI floor':>10}{'AI-vs-AI':>17}  target"
          f"{'random floor':>15}{'random':>16}{'arithmetic':>12}")
    for path in SCENARIOS:
        row = play_row(path, args.repeat, args.seconds)
        ratio = row["ai"] / row["hand_ai"]
        verdict = "ok" if ratio >= PLAY_TARGET else "MISSED"
        print(f"{row['name']:<22}{row['turns']:>6.1f}{row['hand_ai']:>10,.0f}"
              f"{row['ai']:>9,.0f} ({ratio:.2f}x)  >={PLAY_TARGET}x {verdict:<6}"
              f"{row['hand']:>9,.0f}{row['random']:>9,.0f} ({row['random'] / row['hand']:.2f}x)"
              f"{row['floor']:>12,.0f}")
    if args.profile:
        main_scenario = ROOT / "scenarios" / "kazakhstan-2022.yaml"
        print()
        print(f"(c) where an AI-vs-AI game of {main_scenario.name} spends its time")
        print(profile(main_scenario, 200))


if __name__ == "__main__":
    main()
