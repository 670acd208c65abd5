"""How large a scenario file may be: the one home of the limit every reader applies.

Kept apart from `yamlsafe` (which imports PyYAML) so that a game started from
the cache of validated scenarios (`kazsim.cache`) reads the file under the same
limit without importing PyYAML. The largest bundled scenario is 76 KB; the
limit is given in docs/errors.md.
"""

from __future__ import annotations

MAX_BYTES = 2_000_000
