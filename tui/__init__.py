"""annotate's terminal UI (Textual). Calls the domain in ``annotations``; never the reverse."""
