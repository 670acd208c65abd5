"""`kazsim sheets`: printable role sheets and a class handout, in HTML and Markdown.

A teacher prints them before the lesson. Nothing on them tells the future of the game:

- a **role sheet** for each side a person may play: its briefing and goals as they read
  at the start of a game, what only it knows (its secret, the indicators and flags only
  some sides see, its secret moves and the others' secret moves it will see), its
  actions (and the deals it may offer or be offered) with their descriptions, and the
  sources the game itself shows on turn 1 (none dated after the game's first day);
- a **class handout**: the content warning, the sides, a timeline of the days before
  the game starts (the real timeline's steps and the sources dated before turn 1), the
  glossary and the text map of the places (`CompiledScenario.reference`).

No ending, debrief, event, rule, later timeline step or later source is read. Every text
comes from a scenario file, which may be anyone's: the HTML escapes all of it (and says
in a Content-Security-Policy that the page loads nothing and runs nothing), the Markdown
escapes what Markdown would read as markup or raw HTML, and control characters are shown
as escapes (`kazsim.untrusted.printable`).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from kazsim.engine.game import Game
from kazsim.engine.timeline import turn_day
from kazsim.scenario.calendar import turn_span
from kazsim.scenario.compiled import CompiledScenario
from kazsim.scenario.effects import fmt
from kazsim.scenario.model import Flag, Indicator
from kazsim.story import CONTENT_WARNING, day_text, known_sources, named, turn_date
from kazsim.untrusted import printable

Format = Literal["html", "md", "both"]
HANDOUT = "handout"
ALL = "all"


# --- what a sheet says: a tiny document, rendered twice ------------------------------------

@dataclass(frozen=True)
class Item:
    """One entry of a section: `text`, after a bold `head` if any, then its sources."""

    text: str
    head: str = ""
    cite: str = ""  # the publishers of its sources, e.g. "Associated Press; Interfax"
    note: str = ""  # a second line, in italics (where a place is)


@dataclass
class Section:
    heading: str
    items: list[Item] = field(default_factory=list)
    kind: Literal["para", "list", "terms", "places", "warning"] = "list"
    intro: str = ""  # a line under the heading, in italics


@dataclass
class Sheet:
    name: str  # the file's stem: handout, role-government
    title: str
    subtitle: str
    sections: list[Section]


def _words(text: str) -> str:
    """Scenario text on one line, whitespace collapsed, control characters escaped."""
    return printable(" ".join(text.split()), keep_newlines=False)


def _and(names: Sequence[str]) -> str:
    """'you', 'you and Russia', 'you, Russia and the CSTO'."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _paragraphs(text: str) -> list[str]:
    return [w for w in (_words(p) for p in text.strip().split("\n\n")) if w]


def _cite(scenario: CompiledScenario, ids: Sequence[str]) -> str:
    wanted = set(ids)
    names = dict.fromkeys(s.publisher for s in scenario.model.sources if s.id in wanted)
    return "; ".join(_words(n) for n in names)


def _source_line(title: str, publisher: str, date: dt.date | None) -> Item:
    when = f", {day_text(date)}" if date is not None else ""
    return Item(_words(f"{publisher}{when}"), head=_words(title))


# --- the sheets ------------------------------------------------------------------------------

def _length(scenario: CompiledScenario) -> str:
    calendar = scenario.model.calendar
    return (f"{calendar.turns} turns, each {turn_span(calendar)}, from "
            f"{turn_date(scenario, 1)}")


def role_sheet(scenario: CompiledScenario, role_id: str) -> Sheet:
    """What one side knows at the start of a game, and what it can do."""
    game = Game(scenario, 0)  # the state on turn 1 is the same whatever the seed
    crole = scenario.role(role_id)
    role = crole.model
    situation, goals = game.briefing(role_id)
    sections = [Section("The situation", [Item(p) for p in _paragraphs(situation)], "para")]
    if goals:
        sections.append(Section("Your goals", [Item(_words(g)) for g in goals]))
    secret = _secret_section(scenario, role_id)
    if secret.items:
        sections.append(secret)
    actions = Section("Your actions", intro="One each turn, chosen in secret; all sides' "
                      "choices are revealed together.")
    for action in role.actions:
        notes = [n for n in (
            "once per game" if action.once else "",
            f"then {action.cooldown} turn{'s' * (action.cooldown > 1)} before it can be "
            "chosen again" if action.cooldown else "",
            "a secret move" if action.secret else "") if n]
        text = _words(action.description) or "(no description)"
        if action.unavailable_text:
            text += f" Not always possible: {_words(action.unavailable_text)}"
        actions.items.append(Item(text, head=_words(action.label),
                                  note=_words("; ".join(notes))))
    sections.append(actions)
    offers = [Item(_words(o.description) or "(no description)", head=_words(o.label),
                   note=("you offer it to " + _words(scenario.role(o.to).model.name))
                   if o.by == role_id else
                   ("offered to you by " + _words(scenario.role(o.by).model.name)))
              for o in scenario.model.offers if role_id in (o.by, o.to)]
    if offers:
        sections.append(Section("Deals", offers, intro="A deal is made by an action; the "
                                "other side accepts or refuses it on its next turn."))
    cited = set(role.cites) | {c for a in role.actions for c in a.cites}
    sources = known_sources(scenario, 1, cited) or known_sources(scenario, 1)
    sections.append(Section("Sources", [_source_line(s.title, s.publisher, s.date)
                                        for s in sources],
                            intro=f"Those published by {day_text(turn_day(scenario, 1))}; "
                            "the others are listed after the game."))
    leader = game.leader(role_id)
    return Sheet(f"role-{role_id}", _words(named(role.name, leader)),
                 _words(f"{scenario.model.title} · role sheet · {_length(scenario)}"),
                 sections)


def _secret_section(scenario: CompiledScenario, role_id: str) -> Section:
    role = scenario.role(role_id).model
    section = Section("Only your side knows")
    if role.secret:
        section.items += [Item(p) for p in _paragraphs(role.secret)]
    model = scenario.model
    items: list[Indicator | Flag] = [*model.indicators, *model.flags]
    for item in items:
        if isinstance(item.visible_to, list) and role_id in item.visible_to:
            others = [scenario.role(r).model.name for r in item.visible_to if r != role_id]
            start = (("yes" if item.start else "no") if isinstance(item, Flag)
                     else fmt(item.start))
            seen = f"at the start: {start}; seen by " + _and(["you", *others])
            section.items.append(Item(_words(item.description), head=_words(item.label),
                                      note=_words(seen)))
    for action in role.actions:
        if action.secret:
            others = [scenario.role(r).model.name for r in action.seen_by]
            seen = _and(["you", *others]) + (" see" if others else " alone see")
            section.items.append(Item(_words(f"Your secret move: {seen} it when it is made, "
                                             "until it is revealed (the debrief shows it to "
                                             "all)."), head=_words(action.label)))
    for other in model.roles:
        for action in other.actions:
            if other.id != role_id and action.secret and role_id in action.seen_by:
                section.items.append(Item(_words(
                    f"A secret move of {other.name}: you will see it when it is made; "
                    "most others will not."), head=_words(action.label)))
    return section


def handout(scenario: CompiledScenario) -> Sheet:
    """The class handout: the warning, the sides, the days before, glossary and map."""
    model = scenario.model
    reference = scenario.reference
    game = Game(scenario, 0)
    sections: list[Section] = []
    if reference.content_warning:
        sections.append(Section(CONTENT_WARNING, [Item(p) for p in
                                                  _paragraphs(reference.content_warning)],
                                "warning"))
    sections.append(Section("The sides", [
        Item("played by a person or by the computer" if "human" in r.players else
             "played by the computer", head=_words(named(r.name, game.leader(r.id))))
        for r in model.roles]))
    start = turn_day(scenario, 1)
    days: list[tuple[dt.date, int, Item]] = [
        (step.date, 0, Item(_words(step.text), head=day_text(step.date),
                            cite=_cite(scenario, step.cites)))
        for step in model.timeline if step.date < start]
    days += [(s.date, 1, Item(_words(f"Published: {s.title} ({s.publisher})"),
                              head=day_text(s.date)))
             for s in model.sources if s.date is not None and s.date < start]
    days.sort(key=lambda d: (d[0], d[1]))
    timeline = Section("Before the game", [d[2] for d in days],
                       intro=f"What happened before turn 1 ({turn_date(scenario, 1)}).")
    if not timeline.items:
        timeline.intro = (f"The scenario records nothing dated before turn 1 "
                          f"({turn_date(scenario, 1)}): the briefings say where things stand.")
    timeline.items.append(Item("Turn 1: the game begins.", head=day_text(start)))
    sections.append(timeline)
    if reference.glossary:
        sections.append(Section("Glossary", [
            Item(_words(t.meaning), head=_words(t.term), cite=_cite(scenario, t.cites))
            for t in reference.glossary], "terms"))
    if reference.places:
        sections.append(Section("The places: a text map", [
            Item(_words(p.text), head=_words(p.name), note=_words(p.where),
                 cite=_cite(scenario, p.cites)) for p in reference.places], "places"))
    return Sheet(HANDOUT, _words(model.title),
                 _words(f"Class handout · {_length(scenario)}"), sections)


def sheets(scenario: CompiledScenario) -> list[Sheet]:
    """The handout first, then a sheet for each side a person may play, in role order."""
    return [handout(scenario), *(role_sheet(scenario, r.id) for r in scenario.model.roles
                                 if "human" in r.players)]


# --- HTML ----------------------------------------------------------------------------------

CSS = """\
@page { size: A4; margin: 14mm 14mm 14mm 14mm; }
html { font-family: "DejaVu Serif", Georgia, "Times New Roman", serif; font-size: 10.5pt;
       line-height: 1.35; color: #000; background: #fff; }
body { margin: 0 auto; max-width: 182mm; }
.sheet { break-after: page; page-break-after: always; }
.sheet:last-of-type { break-after: auto; page-break-after: auto; }
header { border-bottom: 2pt solid #000; margin-bottom: 8pt; padding-bottom: 4pt; }
h1 { font-size: 17pt; margin: 0; line-height: 1.2; }
.subtitle { margin: 2pt 0 0 0; font-style: italic; }
h2 { font-size: 12.5pt; margin: 12pt 0 4pt 0; border-bottom: 0.5pt solid #777;
     break-after: avoid; page-break-after: avoid; }
p { margin: 0 0 5pt 0; }
ul, dl { margin: 0; padding: 0; }
li { margin: 0 0 4pt 14pt; }
li, dt, dd, .term, .place { break-inside: avoid; page-break-inside: avoid; }
dt { font-weight: bold; margin-top: 4pt; break-after: avoid; page-break-after: avoid; }
dd { margin: 0 0 2pt 14pt; }
.intro, .note { font-style: italic; }
.cite { color: #333; font-size: 8.5pt; }
.warning { border: 1.5pt solid #000; padding: 6pt 8pt; margin: 6pt 0; }
.warning h2 { border: none; margin-top: 0; }
.place { margin: 0 0 5pt 0; }
.place .name { font-weight: bold; }
/* The glossary and the map in two columns, in smaller type: a handout of two pages. */
section.terms, section.places { font-size: 9pt; line-height: 1.28; }
section.terms dl, section.places .columns { column-count: 2; column-gap: 7mm; }
section.terms h2, section.places h2 { font-size: 12pt; }
section.terms dd { margin-left: 0; }
footer { margin-top: 10pt; font-size: 8pt; color: #333; border-top: 0.5pt solid #999; }
@media screen { body { padding: 12mm 0; } .sheet { border-bottom: 1px dashed #999;
                padding-bottom: 12mm; margin-bottom: 12mm; } }
"""
# The page loads and runs nothing: even markup that escaped escaping could do nothing.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'"


def _h(text: str) -> str:
    return html.escape(text, quote=True)


def _html_item(item: Item, kind: str) -> Iterator[str]:
    cite = f' <span class="cite">[{_h(item.cite)}]</span>' if item.cite else ""
    note = f' <span class="note">({_h(item.note)})</span>' if item.note else ""
    if kind in ("para", "warning"):
        yield f"<p>{_h(item.text)}{cite}</p>"
    elif kind == "terms":
        yield f'<div class="term"><dt>{_h(item.head)}</dt><dd>{_h(item.text)}{cite}</dd></div>'
    elif kind == "places":
        yield (f'<div class="place"><span class="name">{_h(item.head)}</span>'
               f' — <span class="note">{_h(item.note)}</span><br>{_h(item.text)}{cite}</div>')
    else:
        head = f"<strong>{_h(item.head)}</strong>" if item.head else ""
        sep = ": " if item.head and item.text else ""
        yield f"<li>{head}{sep}{_h(item.text)}{note}{cite}</li>"


def _html_sheet(sheet: Sheet, origin: str) -> Iterator[str]:
    yield f'<article class="sheet" id="{_h(sheet.name)}">'
    yield f"<header><h1>{_h(sheet.title)}</h1>"
    yield f'<p class="subtitle">{_h(sheet.subtitle)}</p></header>'
    for section in sheet.sections:
        wrap = {"list": "ul", "terms": "dl"}.get(section.kind)
        yield f'<section class="{section.kind}">'
        yield f"<h2>{_h(section.heading)}</h2>"
        if section.intro:
            yield f'<p class="intro">{_h(section.intro)}</p>'
        if wrap:
            yield f"<{wrap}>"
        elif section.kind == "places":
            yield '<div class="columns">'
        for item in section.items:
            yield from _html_item(item, section.kind)
        if wrap:
            yield f"</{wrap}>"
        elif section.kind == "places":
            yield "</div>"
        yield "</section>"
    yield f"<footer>{_h(origin)}</footer>"
    yield "</article>"


def to_html(scenario: CompiledScenario, chosen: Sequence[Sheet], title: str) -> str:
    """One HTML page holding `chosen`, each starting on a new printed page."""
    language = scenario.model.language
    lang = language if re.fullmatch(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*", language) else "en"
    head = [
        "<!DOCTYPE html>", f'<html lang="{_h(lang)}">', "<head>", '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_h(CSP)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_h(title)}</title>", f"<style>\n{CSS}</style>", "</head>", "<body>",
    ]
    origin = (f"{_words(scenario.model.title)} · scenario '{_words(scenario.id)}', version "
              f"{_words(scenario.model.version)} · printed with kazsim sheets")
    body = [line for sheet in chosen for line in _html_sheet(sheet, origin)]
    return "\n".join([*head, *body, "</body>", "</html>", ""])


# --- Markdown ------------------------------------------------------------------------------

# Everything Markdown (CommonMark) may read as markup or raw HTML, backslash-escaped; a
# line's start is escaped apart (#, -, +, =, "1." start blocks only there).
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~&!#])")
_MD_START = re.compile(r"^([-+=:]|\d+[.)])")


def md(text: str) -> str:
    """Scenario text as Markdown that reads as exactly that text."""
    return _MD_START.sub(lambda m: "\\" + m.group(1) if m.group(1)[0] in "-+=:"
                         else m.group(1)[:-1] + "\\" + m.group(1)[-1],
                         _MD_SPECIAL.sub(r"\\\1", text))


def _md_sheet(sheet: Sheet) -> Iterator[str]:
    yield f"# {md(sheet.title)}"
    yield ""
    yield f"*{md(sheet.subtitle)}*"
    for section in sheet.sections:
        yield ""
        yield f"## {md(section.heading)}"
        yield ""
        if section.intro:
            yield f"*{md(section.intro)}*"
            yield ""
        for item in section.items:
            cite = f" \\[{md(item.cite)}\\]" if item.cite else ""
            note = f" *({md(item.note)})*" if item.note else ""
            head = f"**{md(item.head)}**" if item.head else ""
            if section.kind in ("para", "warning"):
                prefix = "> " if section.kind == "warning" else ""
                if item is not section.items[0]:
                    yield prefix.rstrip()  # between paragraphs
                yield f"{prefix}{md(item.text)}{cite}"
            elif section.kind == "places":
                yield f"- {head} — *{md(item.note)}*  "  # two spaces: a line break
                yield f"  {md(item.text)}{cite}"
            else:
                sep = ": " if head and item.text else ""
                yield f"- {head}{sep}{md(item.text)}{note}{cite}"


def to_markdown(scenario: CompiledScenario, chosen: Sequence[Sheet]) -> str:
    parts: list[str] = []
    for sheet in chosen:
        if parts:
            parts += ["", "---", ""]
        parts += list(_md_sheet(sheet))
    while parts and parts[-1] in ("", ">"):
        parts.pop()
    return "\n".join(parts) + "\n"


# --- the command ---------------------------------------------------------------------------

def write_sheets(scenario: CompiledScenario, folder: Path, fmt: Format = "both") -> list[Path]:
    """Write every sheet (and all of them in one file, ALL) into `folder`; the paths
    written, in order. A file already there is replaced whole (never through a link)."""
    from kazsim.analysis.starter import _write

    folder.mkdir(parents=True, exist_ok=True)
    made = sheets(scenario)
    kinds = ("html", "md") if fmt == "both" else (fmt,)
    written: list[Path] = []
    title = _words(scenario.model.title)
    for sheet in [*made, Sheet(ALL, "", "", [])]:
        chosen = made if sheet.name == ALL else [sheet]
        heading = title if sheet.name == ALL else f"{sheet.title} — {title}"
        for kind in kinds:
            path = folder / f"{sheet.name}.{kind}"
            text = (to_html(scenario, chosen, heading) if kind == "html"
                    else to_markdown(scenario, chosen))
            _write(path, text)
            written.append(path)
    return written


def sheets_command(scenario: CompiledScenario, output: str, fmt: Format) -> int:
    from kazsim.analysis.starter import shown
    from kazsim.untrusted import printable_line

    folder = Path(output)
    paths = write_sheets(scenario, folder, fmt)
    print(f"Wrote {len(paths)} files in {printable_line(shown(folder))}:")
    for path in paths:
        print(f"  {printable_line(path.name)}")
    if fmt != "md":
        print("Print the .html files from a browser (A4; each sheet starts a new page); "
              f"{ALL}.html holds every sheet.")
    return 0
