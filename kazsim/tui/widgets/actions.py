"""The action picker: the deciding role's actions, unavailable ones greyed with the reason.

Available actions come first, then the unavailable ones, greyed with the
reason. The arrow keys reach the unavailable ones too (at 80x24 the reason may
not fit on the line: the description below gives it whole); choosing one tells
the reason again and changes nothing. Highlighting an action shows its
description below the list; choosing one (Enter or click) opens a confirm step,
and only a confirmed choice is sent to the play screen as `MakeDecision`.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.reactive import reactive
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from kazsim.engine.resolve import ActionStatus
from kazsim.story import known_sources
from kazsim.tui.messages import MakeDecision
from kazsim.tui.view import TurnView
from kazsim.tui.widgets.menu import Menu


def action_prompt(status: ActionStatus) -> Text:
    label = status.action.model.label
    if status.available:
        return Text(label)
    text = Text(f"✗ {label}", "dim")
    text.append(f" (unavailable: {status.reason})", "dim italic")
    return text


def action_detail(view: TurnView, status: ActionStatus) -> Text:
    """The description of an action and what the rules say about using it."""
    model = status.action.model
    text = Text(model.label, "bold")
    if not status.available:
        text.append(f"\nUnavailable: {status.reason}", "italic")
    if model.description:
        text.append("\n" + " ".join(model.description.split()))
    notes = []
    if model.once:
        notes.append("Can be used once per game.")
    if model.cooldown:
        notes.append(f"After using it, wait {model.cooldown} turn"
                     f"{'s' if model.cooldown > 1 else ''} before using it again.")
    if model.outcomes:
        notes.append("The result is uncertain.")
    if notes:
        text.append("\n" + " ".join(notes), "italic")
    # Only sources dated on or before today in the game (later ones tell the future).
    sources = [s.publisher for s in known_sources(view.scenario, view.turn, model.cites)]
    if sources:
        text.append(f"\nBased on: {'; '.join(sources)}", "dim")
    return text


class ActionDetail(VerticalScroll):
    """The highlighted action's description; it scrolls (Tab reaches it), and Enter
    here chooses the action, as it does in the list."""

    BINDINGS = [Binding("enter", "choose", "Choose", key_display="Enter")]

    def action_choose(self) -> None:
        picker = self.parent
        if isinstance(picker, ActionPicker):
            picker.query_one("#action-list", OptionList).action_select()


class ActionPicker(Vertical):
    """The list of actions of `view.deciding`, and the highlighted one's description."""

    view: reactive[TurnView | None] = reactive(None)

    def compose(self) -> ComposeResult:
        yield Menu(id="action-list")
        with ActionDetail(id="action-detail-box"):
            yield Static(id="action-detail")

    def watch_view(self, view: TurnView | None) -> None:
        if not self.query("#action-list"):
            return  # not composed yet: the watcher runs again once mounted
        options = self.query_one("#action-list", OptionList)
        options.clear_options()
        self.query_one("#action-detail", Static).update("")
        if view is None or view.hidden or view.deciding is None:
            return
        # What can be done comes first; what cannot follows, greyed, with the reason.
        # Unavailable actions can be highlighted (not `disabled`), so that the arrow keys
        # reach them and the description below says why; choosing one only says why.
        usable = [s for s in view.statuses if s.available]
        blocked = [s for s in view.statuses if not s.available]
        listed: list[Option | None] = [Option(action_prompt(s), id=s.action.id) for s in usable]
        if blocked:
            listed.append(None)
            listed += [Option(action_prompt(s), id=s.action.id) for s in blocked]
        options.add_options(listed)
        options.highlighted = 0 if usable else None

    def status(self, action_id: str | None) -> ActionStatus | None:
        view = self.view
        if view is None or action_id is None:
            return None
        return next((s for s in view.statuses if s.action.id == action_id), None)

    @on(OptionList.OptionHighlighted, "#action-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        status = self.status(event.option.id)
        if self.view is not None and status is not None:
            self.query_one("#action-detail", Static).update(action_detail(self.view, status))

    @on(OptionList.OptionSelected, "#action-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        view, status = self.view, self.status(event.option.id)
        if view is None or status is None or view.deciding is None:
            return
        if not status.available:
            self.app.bell()
            self.app.notify(status.reason, title=f"Unavailable: {status.action.model.label}",
                            severity="warning")
            return
        from kazsim.tui.screens.confirm import ConfirmScreen

        role, action = view.deciding, status.action.id

        def confirmed(yes: bool | None) -> None:
            current = self.view
            if yes and current is not None and current.deciding == role and not current.hidden:
                self.post_message(MakeDecision(role, action))

        body = action_detail(view, status)
        body.append("\n\nNobody sees your choice until every side has chosen; then all are "
                    "revealed and resolved together.")
        self.app.push_screen(
            ConfirmScreen(f"Turn {view.turn}: your decision as {view.role_name(role)}", body,
                          yes="Confirm", no="Back"),
            confirmed)
