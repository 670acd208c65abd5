"""The rules of offers between sides, one per test (numbered from 71, after the rules of
effects in time); the rulebook is docs/design.md, "How a turn is resolved"."""

from __future__ import annotations

import pytest

from kazsim.engine import IllegalDecisionError
from kazsim.engine.ai import ai_rng, choose, easy_weighing
from kazsim.engine.resolve import action_statuses, legal_actions
from kazsim.story import news_lines, why_lines

from .support import check_turns, play, scenario

OFFERS = """
indicators:
  - {id: cash, label: Cash, start: 50}
  - {id: reform, label: Reform, start: 10}
roles:
  - id: gov
    name: The government
    briefing: b
    score: cash
    actions:
      - {id: wait, label: Wait}
      - {id: protest, label: Protest}
  - id: lender
    name: The lender
    briefing: b
    score: reform
    actions:
      - {id: wait, label: Wait}
      - {id: offer_loan, label: Offer a loan, text: The lender offers a loan., offer: loan}
offers:
  - id: loan
    by: lender
    to: gov
    label: A loan for reform
    text: The government takes the loan.
    effects: {cash: {add: 20}, reform: {add: 15}}
    refused: {reform: {add: -5}}
    binds:
      - {action: protest, turns: 2}
"""

OFFER = {"gov": "wait", "lender": "offer_loan"}
WAIT = {"gov": "wait", "lender": "wait"}


def test_71_an_offer_is_answered_on_the_receivers_next_turn() -> None:
    """Making an offer is the offering role's action; the receiver's choice 'Accept: ...'
    exists only on the next turn, and accepting applies the effects on both sides."""
    compiled = scenario(OFFERS, turns=6)
    game = play(compiled, OFFER)
    assert news_lines(game.records[0])[1] == "The lender offers a loan."
    assert "loan" not in legal_actions(compiled, game.states[0], "gov")
    assert "loan" in legal_actions(compiled, game.state, "gov")
    labels = [s.action.model.label for s in action_statuses(compiled, game.state, "gov")]
    assert labels == ["Wait", "Protest", "Accept: A loan for reform"]
    record = game.play({"gov": "loan", "lender": "wait"})
    assert game.state.values["cash"] == 70 and game.state.values["reform"] == 25
    assert news_lines(record)[0] == "The government takes the loan."
    assert why_lines(compiled, record, "cash") == ["+20  The government: Accept: A loan for "
                                                   "reform"]
    assert "loan" not in legal_actions(compiled, game.state, "gov")  # answered: gone
    check_turns(compiled, game.states, game.records)


def test_72_ignoring_an_offer_refuses_it() -> None:
    """Any other choice refuses it: the refused effects, and a news line."""
    compiled = scenario(OFFERS, turns=6)
    game = play(compiled, OFFER, WAIT)
    assert game.state.values["reform"] == 5 and game.state.values["cash"] == 50
    assert "The government refuses: A loan for reform." in news_lines(game.records[1])
    assert why_lines(compiled, game.records[1], "reform") == [
        "\u22125  The government refused: A loan for reform"]
    check_turns(compiled, game.states, game.records)


def test_73_an_accepted_offer_binds_later_choices() -> None:
    """`binds`: for `turns` turns after accepting, the action is ruled out (with why)."""
    compiled = scenario(OFFERS, turns=6)
    game = play(compiled, OFFER, {"gov": "loan", "lender": "wait"})
    for _ in range(2):
        assert legal_actions(compiled, game.state, "gov") == ["wait"]
        status = next(s for s in action_statuses(compiled, game.state, "gov")
                      if s.action.id == "protest")
        assert not status.available and "bound by the accepted offer" in status.reason
        with pytest.raises(IllegalDecisionError):
            game.play({"gov": "protest", "lender": "wait"})
        game.play(WAIT)
    assert legal_actions(compiled, game.state, "gov") == ["wait", "protest"]


def test_74_a_required_binding_leaves_one_choice() -> None:
    compiled = scenario(OFFERS.replace("{action: protest, turns: 2}",
                                       "{action: protest, turns: 1, required: true}"), turns=6)
    game = play(compiled, OFFER, {"gov": "loan", "lender": "wait"})
    assert legal_actions(compiled, game.state, "gov") == ["protest"]
    game.play(WAIT | {"gov": "protest"})
    assert legal_actions(compiled, game.state, "gov") == ["wait", "protest"]


def test_75_an_offers_available_condition_gates_acceptance() -> None:
    compiled = scenario(OFFERS.replace("    label: A loan for reform\n",
                                       "    label: A loan for reform\n"
                                       "    available: cash < 40\n"), turns=6)
    game = play(compiled, OFFER)
    assert "loan" not in legal_actions(compiled, game.state, "gov")
    game.play(WAIT)  # refused all the same
    assert game.state.values["reform"] == 5


def test_76_chose_names_the_acceptance() -> None:
    body = OFFERS + """
rules:
  - {id: deal, when: "chose(gov, loan)", text: A deal is struck., effects: {cash: {add: 1}}}
"""
    compiled = scenario(body, turns=6)
    game = play(compiled, OFFER, {"gov": "loan", "lender": "wait"})
    assert game.state.values["cash"] == 71


def test_77_the_ai_accepts_what_helps_and_refuses_what_hurts() -> None:
    """The easy AI weighs the acceptance like any action: its expected score gain."""
    compiled = scenario(OFFERS, turns=6)
    game = play(compiled, OFFER)
    env = game.state.env(compiled.last_turn)
    legal = legal_actions(compiled, game.state, "gov", env)
    weights, gains = easy_weighing(compiled, env, "gov", legal)
    assert dict(zip(legal, gains, strict=True))["loan"] == 20
    picks = [choose(compiled, game.state, "gov", level="easy",
                    rng=ai_rng(s, 2, "gov")) for s in range(40)]
    assert picks.count("loan") > 30
    hurts = scenario(OFFERS.replace("{cash: {add: 20}, reform: {add: 15}}",
                                    "{cash: {add: -20}, reform: {add: 15}}"), turns=6)
    game = play(hurts, OFFER)
    picks = [choose(hurts, game.state, "gov", level="easy",
                    rng=ai_rng(s, 2, "gov")) for s in range(40)]
    assert picks.count("loan") < 5


def test_78_the_ai_counts_what_refusing_costs() -> None:
    """An acceptance that gains nothing beats its alternatives when refusing costs."""
    compiled = scenario(OFFERS.replace("score: cash", "score: cash + reform").replace(
        "{cash: {add: 20}, reform: {add: 15}}", "{cash: {add: 0}}"), turns=6)
    game = play(compiled, OFFER)
    env = game.state.env(compiled.last_turn)
    legal = legal_actions(compiled, game.state, "gov", env)
    _, gains = easy_weighing(compiled, env, "gov", legal)
    assert dict(zip(legal, gains, strict=True)) == {"wait": -5, "protest": -5, "loan": 0}


def test_78b_the_ai_makes_an_offer_for_what_the_answer_will_do() -> None:
    """The maker counts the answer it expects: the receiver accepts when accepting scores
    at least as well for it as refusing; the maker gains what that answer does to its own
    score, a turn later (0.9). A deal the receiver would refuse is worth only the
    refusal's effects to the maker, and is made far less often."""
    compiled = scenario(OFFERS, turns=6)
    game = play(compiled)
    env = game.state.env(compiled.last_turn)
    legal = legal_actions(compiled, game.state, "lender", env)
    _, gains = easy_weighing(compiled, env, "lender", legal)
    assert dict(zip(legal, gains, strict=True)) == pytest.approx(
        {"wait": 0, "offer_loan": 0.9 * 15})  # the government gains cash: it will accept
    picks = [choose(compiled, game.state, "lender", level="easy",
                    rng=ai_rng(s, 1, "lender")) for s in range(40)]
    assert picks.count("offer_loan") > 30
    refused = scenario(OFFERS.replace("{cash: {add: 20}, reform: {add: 15}}",
                                      "{cash: {add: -20}, reform: {add: 15}}"), turns=6)
    game = play(refused)
    env = game.state.env(refused.last_turn)
    _, gains = easy_weighing(refused, env, "lender", legal)
    assert dict(zip(legal, gains, strict=True)) == pytest.approx(
        {"wait": 0, "offer_loan": 0.9 * -5})  # it will be refused: the refusal's effects
    picks = [choose(refused, game.state, "lender", level="easy",
                    rng=ai_rng(s, 1, "lender")) for s in range(40)]
    assert picks.count("offer_loan") < 10


def test_79_offers_come_back_from_the_cache_form_exactly() -> None:
    """kazsim/plain.py: an offer (and its binds) survives the cache's plain form."""
    import json

    from kazsim.plain import from_plain, to_plain
    from kazsim.scenario.model import Scenario

    model = scenario(OFFERS, turns=6).model
    assert model.offers and model.offers[0].binds
    back = from_plain(Scenario, json.loads(json.dumps(to_plain(model))))
    assert back == model and repr(back) == repr(model)
