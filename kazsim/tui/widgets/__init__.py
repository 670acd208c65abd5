"""Widgets of the game screens; each renders part of a `TurnView` and asks nothing of the engine."""
