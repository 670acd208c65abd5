"""A teacher's kit in the terminal: the glossary and the text map, and the content warning.

`ReferenceScreen` opens over play with g (shown in the footer when the scenario has a
glossary or places) and shows them in two tabs; the debrief has `ReferencePage`, both
on one page, in its last tab. `WarningScreen` says the scenario's content warning once,
before a game's first curtain or briefing (`PlayScreen.advance`). All of it is the
scenario's reference (`CompiledScenario.reference`): history, the same in every game.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static, TabbedContent, TabPane

from kazsim.scenario.compiled import CompiledScenario
from kazsim.story import CONTENT_WARNING, cite
from kazsim.tui.doc import Doc
from kazsim.tui.screens.common import close
from kazsim.tui.widgets.more import MORE, MORE_SCROLL, MoreBelow, read_on
from kazsim.tui.widgets.title_bar import TitleBar

CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")
GLOSSARY = "Glossary"
MAP = "Places: a text map"


def glossary_text(scenario: CompiledScenario, *, heading: bool = True) -> Group:
    """The glossary, alphabetical: each term in bold, its meaning, its sources."""
    doc = Doc()
    if heading:
        doc.heading(GLOSSARY)
    for term in scenario.reference.glossary:
        text = Text(term.term, "bold")
        text.append(" — " + " ".join(term.meaning.split()))
        text.append(cite(scenario, term.cites), "dim")
        doc.bullet(text)
    if not scenario.reference.glossary:
        doc.para("(this scenario has no glossary)", indent=2, style="italic")
    return doc.render()


def map_text(scenario: CompiledScenario, *, heading: bool = True) -> Group:
    """The places in the author's order: the name, where it is, what happened there."""
    doc = Doc()
    if heading:
        doc.heading(MAP)
    for place in scenario.reference.places:
        text = Text(place.name, "bold")
        text.append("\n" + " ".join(place.where.split()), "italic")
        text.append("\n" + " ".join(place.text.split()))
        text.append(cite(scenario, place.cites), "dim")
        doc.bullet(text, mark="◆").blank()
    if not scenario.reference.places:
        doc.para("(this scenario has no map of its places)", indent=2, style="italic")
    return doc.render()


class ReferencePage(Vertical):
    """The glossary and the map on one scrolling page (the debrief's tab)."""

    DEFAULT_CSS = CSS
    SCOPED_CSS = False

    def __init__(self, scenario: CompiledScenario, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.scenario = scenario

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="reference-page", classes="page"):
            if self.scenario.reference.glossary:
                yield Static(glossary_text(self.scenario))
            if self.scenario.reference.places:
                yield Static(Text(""))
                yield Static(map_text(self.scenario))
        yield MoreBelow("reference-page", MORE_SCROLL)


class ReferenceScreen(Screen[None]):
    """The glossary and the map during play: g or m switch tabs, Esc goes back."""

    DEFAULT_CSS = CSS
    SCOPED_CSS = False
    AUTO_FOCUS = "#glossary-page"
    BINDINGS = [
        Binding("escape,q", "close", "Back", key_display="Esc"),
        Binding("g", "tab('glossary')", "Glossary"),
        Binding("m", "tab('map')", "Map"),
    ]

    def __init__(self, scenario: CompiledScenario, *, start: str = "glossary") -> None:
        super().__init__()
        self.scenario = scenario
        self.start = start if scenario.reference.glossary or start != "glossary" else "map"
        self.title = f"Glossary and map: {scenario.model.title}"

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with TabbedContent(initial=self.start, id="reference-tabs"):
            with TabPane(GLOSSARY, id="glossary"):
                with VerticalScroll(id="glossary-page", classes="page"):
                    yield Static(glossary_text(self.scenario, heading=False))
                yield MoreBelow("glossary-page", MORE_SCROLL)
            with TabPane("Map", id="map"):
                with VerticalScroll(id="map-page", classes="page"):
                    yield Static(map_text(self.scenario, heading=False))
                yield MoreBelow("map-page", MORE_SCROLL)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(f"#{self.start}-page").focus()

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    @on(TabbedContent.TabActivated)
    def _shown(self, event: TabbedContent.TabActivated) -> None:
        # The arrows and PgDn scroll the tab just shown.
        for page in event.pane.query(VerticalScroll):
            page.focus()
            break

    def action_close(self) -> None:
        close(self, None)


class WarningScreen(Screen[None]):
    """The content warning, once before a game starts: Enter reads on, then goes on."""

    DEFAULT_CSS = CSS
    SCOPED_CSS = False
    AUTO_FOCUS = "#warning-page"
    BINDINGS = [
        Binding("enter", "read_on", "Continue", key_display="Enter"),
        Binding("escape", "close", "Continue", key_display="Esc", show=False),
    ]

    def __init__(self, scenario: CompiledScenario) -> None:
        super().__init__()
        self.scenario = scenario
        self.title = f"{CONTENT_WARNING}: {scenario.model.title}"

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="warning-page", classes="page"):
            doc = Doc().heading(CONTENT_WARNING)
            for paragraph in self.scenario.reference.content_warning.split("\n\n"):
                doc.para(paragraph).blank()
            closing = "Press Enter to go on."
            if self.scenario.reference:
                closing += " During the game, g opens the glossary and the map of the places."
            doc.para(closing, style="dim")
            yield Static(doc.render(), id="warning-text")
        yield MoreBelow("warning-page", MORE)
        yield Footer()

    def action_read_on(self) -> None:
        if not read_on(self.query_one("#warning-page", VerticalScroll)):
            self.action_close()

    def action_close(self) -> None:
        close(self, None)
