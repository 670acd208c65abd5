"""The batch engine: many AI games of one scenario at once, as arrays (numpy).

The reference engine (`kazsim.engine`) stays the reference: the batch engine plays
exactly its games (same decisions, draws, events, endings and values, to the bit),
faster, and says where it cannot (`supports`), so that callers then use the
reference. numpy is imported only by this package, which only the play-testing
(`kazsim.analysis.simulate`) imports, when it plays many games.
"""

from kazsim.batch.engine import RESULTS, Games, Prepared, play, play_from, prepare, supports

__all__ = ["RESULTS", "Games", "Prepared", "play", "play_from", "prepare", "supports"]
