"""Widgets of the annotate TUI."""
