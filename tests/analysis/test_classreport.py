"""`kazsim report`: the class report over class files and saves, in HTML and Markdown.

What it says (endings beside check's shares, scores, decisions per role, the timeline,
turning points), that crafted files are escaped or left out with a reason while the
others go on, that the same input gives the same bytes, that a class file and its own
saves count each game once, and that a real browser renders the page offline."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kazsim.analysis.classreport import ClassGame, build, check_shares, markdown, page
from kazsim.analysis.simulate import tally_games
from kazsim.classroom.gather import gather
from kazsim.classroom.host import Classroom
from kazsim.engine import play_ai_game
from kazsim.engine.odds import what_decided
from kazsim.scenario import CompiledScenario, load_file
from kazsim.session.model import ai, human
from kazsim.session.session import Session
from kazsim.story import percent

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
EVIL = '<script>alert("x")</script>\x1b[2J | *bold* _em_ [link](http://example.com)'


def play_class(room: Classroom, turns: int | None = None) -> None:
    """Every table played by people deciding as the AI would (to the end, or `turns`)."""
    for table in room.tables.values():
        for role in table.seats:
            room.join(table.code, role, None, name=f"student {role}")
        played = 0
        while not room.finished(table) and (turns is None or played < turns):
            turn = table.turn
            for role, seat in table.seats.items():
                room.decide(table, seat, seat.last_seq + 1, turn, table.game.ai_decision(role))
            room.advance(table)
            played += 1


def make_class(folder: Path, scenario: CompiledScenario, *, tables: int = 2, seed: int = 3,
               save_dir: Path | None = None) -> Path:
    path = folder / "class.sqlite"
    room, _ = Classroom.open(path, scenario, tables=tables, seed=seed, wait=True,
                             save_dir=save_dir)
    play_class(room)
    room.close()
    return path


def make_save(folder: Path, scenario: CompiledScenario, seed: int, name: str) -> Path:
    game = play_ai_game(scenario, seed)
    players = {r: human(f"pupil {r}") if i == 0 else ai("easy")
               for i, r in enumerate(scenario.role_ids)}
    session = Session.for_game(game, players, folder, name=name)
    return session.path


@pytest.fixture
def class_folder(tmp_path: Path, tutorial: CompiledScenario) -> Path:
    folder = tmp_path / "class"
    folder.mkdir()
    make_class(folder, tutorial)
    saves = folder / "saves"
    saves.mkdir()
    make_save(saves, tutorial, 11, "hot seat A")
    make_save(saves, tutorial, 12, "hot seat B")
    return folder


def test_the_report_tells_how_the_class_played(class_folder: Path,
                                               tutorial: CompiledScenario) -> None:
    found = gather([str(class_folder / "class.sqlite"), str(class_folder / "saves")])
    assert found.problems == [] and found.files == 3
    labels = [g.label for g in found.games]
    assert labels == ["class table 1", "class table 2", "hot seat A", "hot seat B"]
    report = build(found.games, check_runs=30, odds_runs=8, files=found.files)
    text = markdown(report)
    assert text.startswith("# Class report\n\n4 games from 3 files.")
    # how the games ended, beside check's shares over the same seeds
    tally = tally_games(tutorial, range(30))
    assert check_shares(tutorial, 30) == {e: n / 30 for e, n in tally.endings.items() if n}
    endings = [g.game.state.ending for g in found.games]
    for ending in tutorial.model.endings:
        n = endings.count(ending.id)
        if n or tally.endings[ending.id]:
            share = percent(tally.endings[ending.id] / 30)
            assert f"| {ending.title} | {n} ({percent(n / 4)}) | {share} |" in text
    # the decisions most often taken: the council's first line is its commonest decision
    council = [r.decisions["council"] for g in found.games for r in g.game.records]
    top = max(set(council), key=lambda a: (council.count(a), -[
        a.id for a in tutorial.role("council").actions].index(a)))
    label = tutorial.role("council").by_id[top].model.label
    assert f"- {label}: {council.count(top)} times" in text
    # scores, and who played: the names kept in the class file and the saves
    first = found.games[0].game
    score = dict((o.role, o.score) for o in first.outcomes())["council"]
    assert f"{score:.1f} (student council)" in text and "(pupil council)" in text
    # the turning points, with the number of continuations said
    decided = what_decided(found.games[2].game, runs=8)
    section = text.split("#### hot seat A")[1].split("####")[0]
    assert section.count("\n- ") == max(1, len(decided.turning_points))
    assert "from 8 continuations" in text and "from 30 games" in text
    html = page(report)
    assert html.count('class="game"') == 4 and "hot seat B" in html


def test_the_timeline_of_each_game() -> None:
    kazakhstan = load_file(ROOT / "scenarios" / "kazakhstan-2022.yaml")
    game = play_ai_game(kazakhstan, 4)
    report = build([ClassGame("table 1", "c.sqlite", game, {})], check_runs=0, odds_runs=0)
    text = markdown(report)
    assert "### Against the real timeline" in text
    # beside check's games: the share of them in which each real step happened, as check
    # counts it (timeline_report.TimelineTally)
    from kazsim.analysis.classreport import check_games
    from kazsim.analysis.timeline_report import stats

    beside = markdown(build([ClassGame("table 1", "c.sqlite", game, {})], check_runs=12,
                            odds_runs=0))
    tally = tally_games(kazakhstan, range(12))
    assert check_games(kazakhstan, 12)[1] == tally.timeline
    for row in stats(kazakhstan, tally.timeline, 12):
        line = next(x for x in beside.splitlines() if x.startswith("| ") and row.text[:40]
                    in x.replace("\\", ""))
        assert line.endswith(f" | {percent(row.share)} |"), line
    from kazsim.engine.timeline import compare

    matches = compare(kazakhstan, game.states, game.records).steps
    assert text.count("\n| ") - 1 >= len(matches)
    for match in matches:
        if match.turn and match.days:
            n = abs(match.days)
            side = "later" if match.days > 0 else "earlier"
            assert f"turn {match.turn}, {n} day{'s' * (n != 1)} {side}" in text
    assert "without kazsim check's shares" in text and "without turning points" in text


def _evil_save(folder: Path, tutorial: CompiledScenario) -> Path:
    path = make_save(folder, tutorial, 21, "evil")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["name"] = EVIL
    data["players"]["council"] = {"kind": "human", "name": EVIL}
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_crafted_files_are_escaped_or_left_out(tmp_path: Path,
                                               tutorial: CompiledScenario) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _evil_save(folder, tutorial)
    (folder / "garbage.json").write_text("{not json", encoding="utf-8")
    (folder / "fake.sqlite").write_bytes(b"SQLite format 3\x00" + b"\xff" * 600)
    (folder / "empty.sqlite").write_bytes(b"")
    # a class file whose decisions were edited after the turns were played
    edited = make_class(tmp_path, tutorial, tables=2)
    db = sqlite3.connect(edited)
    db.execute("UPDATE seats SET name = ? WHERE tbl = 1", (EVIL,))
    db.execute("UPDATE turns SET checksum = '0000000000000000' WHERE tbl = 2 AND turn = 1")
    db.commit()
    db.close()
    shutil.copy(edited, folder / "edited.sqlite")
    # a class file of a scenario this computer does not have
    other = folder / "other.sqlite"
    shutil.copy(edited, other)
    db = sqlite3.connect(other)
    db.execute("UPDATE meta SET value = ? WHERE key = 'content_hash'", ("ab" * 32,))
    db.commit()
    db.close()
    # a class file holding a value longer than any real one
    huge = folder / "huge.sqlite"
    shutil.copy(edited, huge)
    db = sqlite3.connect(huge)
    db.execute("UPDATE seats SET name = ? WHERE tbl = 1", ("x" * 300_000,))
    db.commit()
    db.close()
    # a link in the folder, to a save elsewhere: passed over
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (folder / "link.json").symlink_to(make_save(elsewhere, tutorial, 30, "linked"))
    found = gather([str(folder), str(tmp_path / "missing.json")])
    problems = "\n".join(found.problems)
    assert "huge.sqlite: not a class file" in problems
    assert "link.json: a link, passed over" in problems
    assert "edited.sqlite: table 2: turn 1 does not replay" in problems
    assert "fake.sqlite: not a class file" in problems
    assert "garbage.json" in problems and "missing.json: no such file" in problems
    assert "other.sqlite: its scenario 'tutorial' (content abababababab...) is not on" in problems
    labels = [g.label for g in found.games]
    assert len(labels) == 2 and labels[0] == "edited table 1"
    assert labels[1].startswith('<script>alert("x")</script>\\e[2J')  # escaped when shown
    report = build(found.games, found.problems, check_runs=0, odds_runs=0,
                   files=found.files)
    html = page(report)
    assert "<script>" not in html and "\x1b" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;\\e[2J" in html
    assert "<script" not in html.lower() and "http-equiv=\"Content-Security-Policy\"" in html
    assert "src=" not in html and "href=" not in html  # nothing to load, nothing to follow
    text = markdown(report)
    assert "\x1b" not in text and "<script>" not in text
    assert "\\<script\\>" in text and "\\[link\\](http://example.com)" in text
    assert "\\| \\*bold\\* \\_em\\_" in text
    assert "## Files left out" in text


def test_the_same_input_gives_the_same_bytes(class_folder: Path, tmp_path: Path) -> None:
    def run(out: Path, hash_seed: str) -> bytes:
        done = subprocess.run(
            [sys.executable, "-m", "kazsim", "report", str(class_folder / "class.sqlite"),
             str(class_folder / "saves"), "-o", str(out), "--runs", "20", "--odds-runs", "5"],
            capture_output=True, text=True, cwd=tmp_path, timeout=120,
            env={**os.environ, "PYTHONHASHSEED": hash_seed})
        assert done.returncode == 0, done.stderr
        assert f"the class report is in {out.resolve()}" in done.stderr
        return out.read_bytes()

    first = run(tmp_path / "a.html", "1")
    assert first == run(tmp_path / "b.html", "2")
    assert run(tmp_path / "a.md", "3") == run(tmp_path / "b.md", "4")
    # an existing report is kept unless --force
    again = subprocess.run([sys.executable, "-m", "kazsim", "report", str(class_folder),
                            "-o", str(tmp_path / "a.html")], capture_output=True, text=True,
                           cwd=tmp_path, timeout=120)
    assert again.returncode == 1 and "exists: give --force" in again.stderr


def test_a_class_file_and_its_own_saves_count_each_game_once(
        tmp_path: Path, tutorial: CompiledScenario) -> None:
    saves = tmp_path / "saves"
    make_class(tmp_path, tutorial, tables=2, save_dir=saves)
    make_save(saves, tutorial, 40, "hot seat")
    assert sorted(p.name for p in saves.iterdir()) == [
        "class-table1.json", "class-table2.json", "hot seat.json"]
    found = gather([str(tmp_path / "class.sqlite"), str(saves)])
    assert [g.label for g in found.games] == ["class table 1", "class table 2", "hot seat"]
    assert len(found.problems) == 2
    assert all("is the same game as class table" in p for p in found.problems)


def test_the_report_command(tmp_path: Path, class_folder: Path) -> None:
    bad = subprocess.run([sys.executable, "-m", "kazsim", "report", str(class_folder),
                          "-o", "report.txt"], capture_output=True, text=True, cwd=tmp_path,
                         timeout=60)
    assert bad.returncode == 2 and "-o: a file ending in .html or .md" in bad.stderr
    nothing = tmp_path / "nothing"
    nothing.mkdir()
    none = subprocess.run([sys.executable, "-m", "kazsim", "report", str(nothing)],
                          capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert none.returncode == 1 and "no game to report on" in none.stderr
    out = subprocess.run([sys.executable, "-m", "kazsim", "report", str(class_folder),
                          "-o", "-", "--runs", "0", "--odds-runs", "0"],
                         capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert out.returncode == 0 and out.stdout.startswith("# Class report")


def test_a_real_browser_renders_the_page_offline(tmp_path: Path, class_folder: Path,
                                                 tutorial: CompiledScenario) -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: the page is not checked in a browser here")
    _evil_save(class_folder / "saves", tutorial)
    found = gather([str(class_folder), str(class_folder / "saves")])
    assert len(found.games) == 5
    target = tmp_path / "report.html"
    target.write_text(page(build(found.games, found.problems, check_runs=20, odds_runs=5,
                                 files=found.files)), encoding="utf-8")
    profile = tmp_path / "profile"
    flags = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu",
             "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
             "--host-resolver-rules=MAP * ~NOTFOUND", "--window-size=1200,1600"]
    shot = tmp_path / "report.png"
    done = subprocess.run([*flags, f"--screenshot={shot}", target.as_uri()],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000  # a page, not a blank
    dom = subprocess.run([*flags, "--dump-dom", target.as_uri()], capture_output=True,
                         text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "<h1>Class report</h1>" in dom.stdout and 'class="fill class"' in dom.stdout
    # the crafted save's name is text on the page, never an element
    assert "<script" not in dom.stdout and "&lt;script&gt;" in dom.stdout
