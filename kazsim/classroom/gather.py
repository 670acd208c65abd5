"""`kazsim report FILES...`: the games of a class, read from class files and saves.

The report itself (`kazsim.analysis.classreport`) is built from engine games; this
module, on the classroom's floor (which may read both the class file,
`kazsim.classroom.store`, and saves, `kazsim.session`), finds and replays them:

* a class file (SQLite: recognised by its first bytes, not its name) is opened read
  only and every table replayed through the engine on the scenario it names (found
  by its content hash; `--scenario FILE` gives it), each turn's checksum checked;
* a save file is read as `kazsim replay --verify` reads it (`load_session`: bounded,
  validated, every turn's checksum checked); one made on another version of the
  scenario is left out, since its game would not be the one played;
* a folder: the class files and saves directly in it, in name order.

Every file is untrusted: one that cannot be read, is not a class file or a save, or
does not replay is left out with one line saying why, and the others go on. A game
found twice (a class file's table and its own save) is counted once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kazsim.analysis.classreport import ClassGame
from kazsim.classroom.store import ClassFileError, read_class_file, scheme_of
from kazsim.engine import Game, IllegalDecisionError
from kazsim.scenario.compiled import CompiledScenario
from kazsim.untrusted import printable_line

SQLITE_MAGIC = b"SQLite format 3\x00"
MAX_FILES = 500  # files read from one folder


@dataclass
class Gathered:
    games: list[ClassGame] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    files: int = 0  # files read (whether or not they gave games)
    seen: dict[tuple[str, int, int | None, tuple[tuple[tuple[str, str], ...], ...]], str] = \
        field(default_factory=dict)

    def add(self, item: ClassGame) -> None:
        game = item.game
        key = (game.scenario.content_hash, game.seed, game.turn_limit,
               tuple(tuple(sorted(r.decisions.items())) for r in game.records))
        if key in self.seen:
            self.problems.append(f"{item.source}: {item.label} is the same game as "
                                 f"{self.seen[key]} (counted once)")
            return
        self.seen[key] = f"{item.label} ({item.source})"
        self.games.append(item)


def _head(path: Path) -> bytes:
    with open(path, "rb") as f:
        return f.read(16)


def gather(paths: Iterable[str], *, scenario: CompiledScenario | None = None,
           note: Callable[[str], None] | None = None) -> Gathered:
    """Every game in `paths` (class files, saves, folders of them), in the order given."""
    out = Gathered()
    for given in paths:
        path = Path(given)
        try:
            folder = path.is_dir()
        except (OSError, ValueError):  # a NUL in the name, a name too long
            out.problems.append(f"{printable_line(given)}: not a file name this computer "
                                "can open")
            continue
        if folder:
            try:
                listed = sorted(path.iterdir())
            except OSError as exc:
                out.problems.append(f"{printable_line(given)}: cannot list it "
                                    f"({exc.strerror or exc})")
                continue
            # Only the files in the folder itself: a link may point anywhere, so it is
            # passed over (give its file by name to read it).
            links = [p for p in listed if p.is_symlink()]
            for link in links:
                out.problems.append(f"{printable_line(str(link))}: a link, passed over")
            entries = [p for p in listed if p.suffix in (".json", ".sqlite", ".db")
                       and not p.is_symlink() and p.is_file()]
            if len(entries) > MAX_FILES:
                out.problems.append(f"{printable_line(given)}: {len(entries)} files; only "
                                    f"the first {MAX_FILES} are read")
            if not entries:
                out.problems.append(f"{printable_line(given)}: no class file (.sqlite) or "
                                    "save (.json) in this folder")
            for entry in entries[:MAX_FILES]:
                _one(entry, str(entry), out, scenario, note)
        else:
            _one(path, given, out, scenario, note)
    return out


def _one(path: Path, shown: str, out: Gathered, scenario: CompiledScenario | None,
         note: Callable[[str], None] | None) -> None:
    shown = printable_line(shown)
    try:
        head = _head(path) if path.is_file() else b""
        exists = path.exists()
    except (OSError, ValueError) as exc:
        out.problems.append(f"{shown}: cannot read it "
                            f"({printable_line(getattr(exc, 'strerror', None) or str(exc))})")
        return
    if not exists:
        out.problems.append(f"{shown}: no such file")
        return
    out.files += 1
    if note is not None:
        note(f"reading {shown}")
    if head == SQLITE_MAGIC:
        _class_file(path, shown, out, scenario)
    else:
        _save(path, shown, out, scenario)


def _save(path: Path, shown: str, out: Gathered, scenario: CompiledScenario | None) -> None:
    from kazsim.session.model import SaveError
    from kazsim.session.replay import load_session

    try:
        loaded = load_session(path, scenario=scenario)
    except SaveError as exc:
        out.problems.append(printable_line(str(exc)))
        return
    except (OSError, ValueError) as exc:
        out.problems.append(f"{shown}: {printable_line(str(exc))}")
        return
    if loaded.changed:
        out.problems.append(f"{shown}: made with another version of the scenario "
                            f"'{printable_line(loaded.save.scenario.id)}' than the file found "
                            f"({printable_line(loaded.scenario.path)}): give that version "
                            "with --scenario FILE")
        return
    players = {}
    for role, player in loaded.save.players.items():
        if player.kind == "human":
            players[role] = player.name or "a person"
        else:
            players[role] = f"AI ({player.level})"
    label = loaded.save.name or path.stem
    out.add(ClassGame(printable_line(label), shown, loaded.game, players))


def _scenario_for(meta: dict[str, str], folder: Path,
                  given: CompiledScenario | None) -> CompiledScenario | str:
    """The class file's scenario (the very file it was played on), or why not."""
    from kazsim.cache import load_for_play
    from kazsim.scenario.catalog import find_scenario, scenario_dirs
    from kazsim.scenario.contenthash import file_content_hash

    wanted, sid = meta["content_hash"], meta["scenario_id"]
    if given is not None:
        if given.content_hash != wanted:
            return (f"it was played on '{sid}' (content {wanted[:12]}...), not on the "
                    f"scenario given (content {given.content_hash[:12]}...)")
        return given
    candidates: list[Path] = []
    for place in [folder, *scenario_dirs()]:
        if place.is_dir():
            candidates += sorted(place.glob("*.yaml")) + sorted(place.glob("variants/*.yaml"))
    found = find_scenario(sid) if sid.replace("_", "").replace("-", "").isalnum() else None
    if found is not None:
        candidates.insert(0, found)
    for candidate in candidates:
        try:
            if file_content_hash(candidate) != wanted:
                continue
        except (OSError, ValueError):
            continue
        compiled = load_for_play(candidate)[0]
        if compiled is not None and compiled.content_hash == wanted:
            return compiled
    return (f"its scenario '{sid}' (content {wanted[:12]}...) is not on this computer: "
            "give its file with --scenario FILE")


def _class_file(path: Path, shown: str, out: Gathered,
                given: CompiledScenario | None) -> None:
    try:
        record = read_class_file(path)
    except ClassFileError as exc:
        out.problems.append(printable_line(str(exc)))
        return
    found = _scenario_for(record.meta, path.parent, given)
    if isinstance(found, str):
        out.problems.append(f"{shown}: {printable_line(found)}")
        return
    scenario = found
    level = "hard" if record.meta.get("level") == "hard" else "easy"
    try:
        scheme = scheme_of(record.meta)
    except ClassFileError as exc:
        out.problems.append(f"{shown}: {printable_line(str(exc))}")
        return
    for row in record.tables:
        label = f"table {row.n}"
        try:
            game = Game(scenario, row.seed, turns=row.turn_limit, scheme=scheme)
        except ValueError as exc:
            out.problems.append(f"{shown}: {label}: {printable_line(str(exc))}")
            continue
        decisions, checksums = record.decisions[row.n], record.checksums[row.n]
        problem = ""
        while not game.over and game.turn in checksums:
            turn = game.turn
            chosen = decisions.get(turn, {})
            if set(chosen) != set(scenario.role_ids):
                problem = f"turn {turn} does not hold a decision for every role"
                break
            try:
                game.play(chosen)
            except IllegalDecisionError:
                problem = f"turn {turn} holds a decision that cannot be played"
                break
            if game.state.checksum() != checksums[turn]:
                problem = f"turn {turn} does not replay to the state it was stored with"
                break
        if problem:
            out.problems.append(f"{shown}: {label}: {problem} (left out)")
            continue
        players = {s.role: (s.name or "a person") if s.human else f"AI ({level})"
                   for s in record.seats[row.n] if s.role in scenario.role_ids}
        stop = record.meta.get("end_at", "")
        note = ""
        if not game.over and stop.isdigit() and len(game.records) >= int(stop):
            note = f"Stopped by the host after turn {len(game.records)}, without an ending."
        stem = printable_line(path.stem)
        out.add(ClassGame(f"{stem} {label}", shown, game, players, note))


def report_command(paths: list[str], output: str | None, *, scenario: CompiledScenario | None,
                   check_runs: int, odds_runs: int, force: bool = False) -> int:
    """`kazsim report`: 0 written, 1 no game could be read (every problem said)."""
    import sys

    from kazsim.analysis.classreport import build, markdown, page

    def note(text: str) -> None:
        print(f"kazsim: {text}", file=sys.stderr, flush=True)

    found = gather(paths, scenario=scenario, note=note)
    for problem in found.problems:
        print(f"kazsim: left out: {problem}", file=sys.stderr)
    if not found.games:
        print("kazsim: no game to report on", file=sys.stderr)
        return 1
    report = build(found.games, found.problems, check_runs=check_runs, odds_runs=odds_runs,
                   files=found.files, progress=note)
    as_markdown = output is not None and (output == "-" or output.endswith(".md"))
    text = markdown(report) if as_markdown else page(report)
    if output == "-":
        sys.stdout.write(text)
        return 0
    target = Path(output) if output is not None else Path("class-report.html")
    return write_report(target, text, force=force)


def write_report(target: Path, text: str, *, force: bool = False) -> int:
    import sys

    from kazsim.session.store import TargetRefusedError, write_atomic

    try:
        write_atomic(target, text.encode("utf-8"), exclusive=not force, keep_saves=True)
    except TargetRefusedError as exc:
        print(f"kazsim: will not write over {printable_line(str(target))}: "
              f"{printable_line(exc.strerror or '')}", file=sys.stderr)
        return 1
    except FileExistsError:
        print(f"kazsim: {printable_line(str(target))} exists: give --force to replace it, or "
              "another -o FILE", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"kazsim: cannot write {printable_line(str(target))}: "
              f"{printable_line(exc.strerror or str(exc))}", file=sys.stderr)
        return 1
    print(f"kazsim: the class report is in {printable_line(str(target.resolve()))}",
          file=sys.stderr)
    return 0
