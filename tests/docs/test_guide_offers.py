"""The guide's offer example (docs/authoring.md, "Offers between sides") plays as the
guide says: accepted, it changes both sides and binds the residents; ignored, it is
refused."""

from __future__ import annotations

from kazsim.engine import Game
from kazsim.engine.resolve import legal_actions
from kazsim.scenario import CompiledScenario
from kazsim.scenario.load import load_text
from kazsim.story import news_lines

from .guide import blocks, final_stage


def compiled_example() -> CompiledScenario:
    block = next(b for b in blocks() if b.tag == "fragment" and "offers:" in b.text)
    base = final_stage().text.encode()
    compiled, problems = load_text("extends: dry_taps.yaml\n" + block.text, "example.yaml",
                                   resolve=lambda name, _: (base, "dry_taps.yaml"))
    assert compiled is not None, problems
    return compiled


def test_the_guides_offer_is_accepted_and_binds() -> None:
    compiled = compiled_example()
    game = Game(compiled, 1)
    game.play({"governor": "offer_repairs", "residents": "negotiate"})
    assert "repairs_for_road" in legal_actions(compiled, game.state, "residents")
    before = dict(game.state.values)
    record = game.play({"governor": "wait", "residents": "repairs_for_road"})
    assert "The residents accept the governor's deal and open the road." in news_lines(record)
    assert any(c.source == "repairs_for_road" and c.target == "blockade" and c.amount == -30
               for c in record.contributions)
    assert game.state.values["blockade"] < before["blockade"]
    assert "hold_blockade" not in legal_actions(compiled, game.state, "residents")


def test_the_guides_offer_ignored_is_refused() -> None:
    compiled = compiled_example()
    game = Game(compiled, 1)
    game.play({"governor": "offer_repairs", "residents": "negotiate"})
    record = game.play({"governor": "wait", "residents": "negotiate"})
    assert "The residents turn the governor's deal down." in news_lines(record)
    assert any(c.kind == "refusal" and c.target == "anger" and c.amount == 5
               for c in record.contributions)
