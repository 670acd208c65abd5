"""One module per screen. Screens are imported lazily so the title appears fast."""
