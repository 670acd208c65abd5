"""`kazsim sheets`: what the sheets say, what they never say, and that nothing in a
scenario file can become markup; a real browser prints them on A4 (`-m slow`)."""

from __future__ import annotations

import html.parser
import os
import re
import shutil
import struct
import subprocess
import tempfile
from pathlib import Path

import pytest
import yaml

from kazsim.analysis.sheets import (
    handout,
    md,
    role_sheet,
    sheets,
    to_html,
    to_markdown,
    write_sheets,
)
from kazsim.cli import main
from kazsim.engine.game import Game
from kazsim.scenario import load_file
from kazsim.scenario.compiled import CompiledScenario
from kazsim.scenario.load import load_text

ROOT = Path(__file__).resolve().parents[2]
KAZ = ROOT / "scenarios" / "kazakhstan-2022.yaml"
CSTO = ROOT / "scenarios" / "csto-decision.yaml"
CHROMIUM = os.environ.get("KAZSIM_CHROMIUM") or shutil.which("chromium") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)


def _text(scenario: CompiledScenario) -> dict[str, str]:
    """Every sheet as HTML and Markdown, by name and kind."""
    out: dict[str, str] = {}
    for sheet in sheets(scenario):
        out[f"{sheet.name}.html"] = to_html(scenario, [sheet], sheet.title)
        out[f"{sheet.name}.md"] = to_markdown(scenario, [sheet])
    return out


def _plain(text: str) -> str:
    """HTML or Markdown as the words a reader sees, whitespace collapsed."""
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"\\(.)", r"\1", text).replace("**", "").replace("*", "")
    import html as h
    return " ".join(h.unescape(text).split())


def _words(text: str) -> str:
    return " ".join(text.split())


# --- what they say ---------------------------------------------------------------------

def test_the_handout_has_the_warning_the_days_before_the_glossary_and_the_map() -> None:
    scenario = load_file(KAZ)
    page = _plain(to_html(scenario, [handout(scenario)], "handout"))
    reference = scenario.reference
    assert _words(reference.content_warning) in page
    for term in ("CSTO", "Article 4", "KNB", "Elbasy", "akimat", "Mazhilis", "LPG", "tenge"):
        assert term in [t.term for t in reference.glossary]
        meaning = next(t.meaning for t in reference.glossary if t.term == term)
        assert _words(meaning) in page
    for place in ("Zhanaozen", "Aktau", "Aktobe", "Taldykorgan", "Almaty", "Nur-Sultan"):
        found = next(p for p in reference.places if p.name == place)
        assert _words(found.where) in page and _words(found.text) in page
    start = scenario.model.calendar.start
    before = [s for s in scenario.model.timeline if s.date < start]
    assert before, "the scenario's timeline has a step before the game"
    for step in before:
        assert _words(step.text) in page
    # the glossary reads alphabetically, the places in the file's order
    terms = [t.term for t in reference.glossary]
    assert terms == sorted(terms, key=str.casefold)
    order = [page.index(p.name + " — ") for p in reference.places]
    assert order == sorted(order)


def test_a_role_sheet_has_its_briefing_goals_secrets_actions_and_early_sources() -> None:
    scenario = load_file(KAZ)
    game = Game(scenario, 0)
    for role in scenario.model.roles:
        if "human" not in role.players:
            continue
        sheet = role_sheet(scenario, role.id)
        page = _plain(to_html(scenario, [sheet], sheet.title))
        situation, goals = game.briefing(role.id)
        assert _words(situation) in page
        for goal in goals:
            assert _words(goal) in page
        if role.secret:
            assert _words(role.secret) in page
        for action in role.actions:
            assert _words(action.label) in page
            assert _words(action.description) in page
        for item in [*scenario.model.indicators, *scenario.model.flags]:
            if isinstance(item.visible_to, list):
                assert (item.label in page) == (role.id in item.visible_to), (role.id, item.id)
        for source in scenario.model.sources:
            shown = _words(source.title) in page
            if source.date is not None and source.date > scenario.model.calendar.start:
                assert not shown, (role.id, source.id)


def test_only_roles_a_person_may_play_get_a_sheet() -> None:
    scenario = load_file(KAZ)
    names = [s.name for s in sheets(scenario)]
    playable = [r.id for r in scenario.model.roles if "human" in r.players]
    assert names == ["handout", *(f"role-{r}" for r in playable)]
    assert len(playable) < len(scenario.model.roles)  # the scenario has AI-only sides


@pytest.mark.parametrize("path", [KAZ, CSTO], ids=["kazakhstan", "csto"])
def test_no_sheet_tells_the_future(path: Path) -> None:
    """No ending, debrief, event, rule or later timeline step, no later source."""
    scenario = load_file(path)
    model = scenario.model
    start = model.calendar.start
    later: list[str] = []
    for ending in model.endings:
        later += [ending.title, *_texts(ending.text)]
        for result in ending.roles.values():
            later += _texts(result.text)
        for item in ending.debrief:
            later += _texts(item.text)
    for item in model.debrief:
        later += _texts(item.text)
    for event in model.events:
        later += [*_texts(event.text)]
    for rule in model.rules:
        later += _texts(rule.text)
    later += [s.text for s in model.timeline if s.date >= start]
    later += [s.title for s in model.sources if s.date is not None and s.date > start]
    later += model.discussion_questions
    later = [_words(t) for t in later if len(_words(t)) > 25]  # whole sentences, not words
    assert len(later) > 20
    for name, text in _text(scenario).items():
        page = _plain(text)
        leaks = [t for t in later if t in page]
        assert not leaks, f"{name} tells: {leaks[:3]}"


def _texts(told: object) -> list[str]:
    if isinstance(told, str):
        return [told]
    return [alt.text for alt in told] if isinstance(told, list) else []  # type: ignore[attr-defined]


# --- nothing in a file becomes markup --------------------------------------------------

EVIL = '<script>alert(1)</script>"><img src=x onerror=alert(2)></style>[x](javascript:y)'
HOSTILE: dict[str, object] = {
    "format": 2, "id": "hostile", "title": f"T {EVIL}", "version": f"1 {EVIL}",
    "summary": "s", "author": "a", "language": 'en"><script>alert(3)</script>',
    "sources": [{"id": "src", "title": f"S {EVIL}", "publisher": f"P {EVIL}",
                 "date": "2022-01-01"}],
    "calendar": {"start": "2022-01-02", "turns": 2},
    "indicators": [{"id": "level", "label": f"L {EVIL}", "description": f"D {EVIL}",
                    "start": 1, "visible_to": ["gov"]}],
    "roles": [{"id": "gov", "name": f"G {EVIL}",
               "briefing": f"B {EVIL} \x1b[31mred\x1b[0m", "secret": f"# X {EVIL}",
               "goals": [f"- {EVIL}", f"1. {EVIL}"], "score": "level",
               "actions": [{"id": "act", "label": f"A {EVIL}",
                            "description": "<b>bold</b> **stars** _under_ `tick` | pipe "
                                           f"& amp {EVIL}",
                            "unavailable_text": f"U {EVIL}", "available": "level > 0"},
                           {"id": "wait", "label": "Wait"}]}],
    "endings": [{"id": "end", "title": "E", "at_last_turn": True, "text": "e",
                 "roles": {"gov": {"result": "draw", "text": "d"}}}],
    "timeline": [{"id": "early", "date": "2022-01-01", "text": f"Y {EVIL}",
                  "happened": "level > 0", "cites": ["src"]}],
    "glossary": [{"term": f"K {EVIL[:60]}", "meaning": f"M {EVIL}", "cites": ["src"]}],
    "places": [{"name": f"N {EVIL[:60]}", "where": f"W {EVIL}", "text": f"H {EVIL}"}],
    "content_warning": f"C {EVIL}",
}
ALLOWED = {"html", "head", "meta", "title", "style", "body", "article", "header", "h1",
           "h2", "p", "section", "ul", "li", "strong", "span", "dl", "div", "dt", "dd",
           "br", "footer"}


class _Tags(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def _hostile() -> CompiledScenario:
    text = yaml.safe_dump(HOSTILE, allow_unicode=False, width=1000)
    compiled, problems = load_text(text, "hostile.yaml")
    assert compiled is not None, [str(p) for p in problems]
    return compiled


def test_a_crafted_scenario_cannot_put_markup_in_the_html() -> None:
    scenario = _hostile()
    made = sheets(scenario)
    text = to_html(scenario, made, scenario.model.title)
    parser = _Tags()
    parser.feed(text)
    assert {tag for tag, _ in parser.tags} <= ALLOWED
    for tag, attrs in parser.tags:
        for name, _ in attrs:
            assert name in {"lang", "charset", "http-equiv", "content", "name", "class",
                            "id"}, (tag, name)
    lang = next(dict(a)["lang"] for t, a in parser.tags if t == "html")
    assert lang == "en"  # a language that is not a language tag is not written
    assert "<script" not in text and "<img" not in text and "</style>" not in text.split(
        "<style>", 1)[1].split("</style>", 1)[1]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img" in text
    assert "\x1b" not in text and "\\e[31mred" in text  # a control shown, not sent
    assert "default-src &#x27;none&#x27;" in text  # and the page could run nothing anyway
    # every field the sheets show came through, escaped
    page = _plain(text)
    for mark in ("T ", "S ", "P ", "L ", "D ", "G ", "B ", "# X ", "- ", "1. ", "A ",
                 "U ", "Y ", "K ", "M ", "N ", "W ", "H ", "C "):
        assert mark + "<script>alert(1)</script>" in page, mark


def test_a_crafted_scenario_cannot_put_markup_in_the_markdown() -> None:
    scenario = _hostile()
    text = to_markdown(scenario, sheets(scenario))
    assert "\x1b" not in text
    unescaped = re.compile(r"(?<!\\)[<>\[\]`|]")
    body = [line for line in text.splitlines() if line and line != "---"]
    for line in body:
        content = re.sub(r"^(#+ |- |> |\s+)", "", line)
        assert not unescaped.search(content), line
        assert not re.match(r"^(#|[-+=]|\d+[.)])", content) or content.startswith(
            ("**", "*")), line
    assert "\\<script\\>alert(1)\\</script\\>" in text
    assert "- **\\- \\<script\\>" not in text  # a goal's own '- ' is escaped at the start
    assert "\\- \\<script\\>" in text and "1\\. \\<script\\>" in text


def test_markdown_escaping_reads_back_as_the_text() -> None:
    for text in ("plain", "# heading", "- item", "1. first", "a * b _c_ `d` [e](f) <g> | & !",
                 "\\ back"):
        escaped = md(text)
        assert re.sub(r"\\(.)", r"\1", escaped) == text


# --- the command -----------------------------------------------------------------------

def test_the_command_writes_html_and_markdown(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "sheets"
    assert main(["sheets", str(KAZ), "-o", str(out)]) == 0
    names = sorted(p.name for p in out.iterdir())
    scenario = load_file(KAZ)
    stems = [s.name for s in sheets(scenario)] + ["all"]
    assert names == sorted(f"{s}.{k}" for s in stems for k in ("html", "md"))
    said = capsys.readouterr().out
    assert "Wrote 12 files" in said and "all.html" in said
    every = (out / "all.html").read_text(encoding="utf-8")
    assert every.count('<article class="sheet"') == len(stems) - 1
    assert main(["sheets", str(CSTO), "-o", str(out / "md"), "--format", "md"]) == 0
    assert all(p.suffix == ".md" for p in (out / "md").iterdir())


def test_the_command_refuses_a_file_for_a_folder(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "a-file"
    target.write_text("keep me", encoding="utf-8")
    assert main(["sheets", str(KAZ), "-o", str(target)]) == 1
    assert "is a file" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "keep me"


def test_a_link_in_the_folder_is_replaced_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "handout.html").symlink_to(victim)
    write_sheets(load_file(CSTO), out, "html")
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert not (out / "handout.html").is_symlink()


# --- a real browser prints them --------------------------------------------------------

def _chromium(*args: str) -> None:
    assert CHROMIUM is not None
    with tempfile.TemporaryDirectory(prefix="kazsim-chromium-") as profile:
        subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                        "--disable-background-networking", "--disable-component-update",
                        "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
                        *args], check=True, capture_output=True, timeout=120)


def _pages(pdf: Path) -> int:
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    return len(re.findall(rb"/Type\s*/Page\b", data))


def _a4(pdf: Path) -> bool:
    """Every page's MediaBox is A4 (595 x 842 points, give or take a point)."""
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf.read_bytes())
    return bool(boxes) and all(abs(float(w) - 595.3) < 2 and abs(float(h) - 841.9) < 2
                               for w, h in boxes)


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium to print with: install the "
                    "Debian package 'chromium' (or set KAZSIM_CHROMIUM) to run this test")
@pytest.mark.parametrize("path", [KAZ, CSTO], ids=["kazakhstan", "csto"])
def test_chromium_prints_every_sheet_on_sane_a4_pages(path: Path, tmp_path: Path) -> None:
    scenario = load_file(path)
    write_sheets(scenario, tmp_path, "html")
    pages: dict[str, int] = {}
    for page in sorted(tmp_path.glob("*.html")):
        pdf = page.with_suffix(".pdf")
        _chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
        pages[page.stem] = _pages(pdf)
        assert _a4(pdf), page.name
    alone = {name: n for name, n in pages.items() if name != "all"}
    assert 1 <= alone["handout"] <= 2, pages  # the handout: one sheet of paper
    for name, count in alone.items():
        assert 1 <= count <= 4, (name, pages)
    # each sheet starts a page of its own, and none leaves a blank page behind
    assert pages["all"] == sum(alone.values()), pages
    shot = tmp_path / "handout.png"
    _chromium("--hide-scrollbars", "--window-size=794,1123", f"--screenshot={shot}",
              (tmp_path / "handout.html").as_uri())
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (794, 1123)
    assert len(data) > 20_000  # text on it, not a blank page
