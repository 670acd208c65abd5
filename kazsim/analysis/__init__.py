"""The teachers' toolkit: play-testing, starter files, the editor schema, watching.

- `simulate` plays many AI games (in parallel) and tallies what happened;
- `findings` turns a tally into endings, unused and rare content, choices per
  seat, habits, balance and warnings (`reads` finds what the scenario never
  reads, `whynot` explains with the AI's own numbers why an action is rarely
  chosen, `exploits` plays each role another way to find dominant strategies,
  `compare` sets a variant against its original on the same seeds);
- `render` writes those findings as text, Markdown or JSON (`chart` draws the
  ranges by turn); `report` is `kazsim check`, with `progress` for its bar;
- `classreport` writes a class's games side by side, as HTML or Markdown (the
  games are read by `kazsim.classroom.gather`: this floor reads no save);
- `starter` is `kazsim new`, `schema` is `kazsim schema`, `watch` is
  `kazsim validate --watch`.

Nothing here needs a screen: this floor sits beside the terminal UI, above the
engine, and only reads `TurnRecord`s and states.
"""
