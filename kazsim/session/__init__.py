"""Sessions: saving, resuming, replaying and exporting games (files live here)."""
