"""Errors the store raises, in a module of their own so the UI can catch them without
loading TinyDB (the reader opens the store after its first paint)."""

from __future__ import annotations

EXIT_BAD_INPUT = 2
EXIT_ENVIRONMENT = 1


class StoreError(Exception):
    """The store cannot be used; ``exit_code`` 2 for a bad file, 1 for the environment."""

    def __init__(self, message: str, exit_code: int = EXIT_BAD_INPUT) -> None:
        super().__init__(message)
        self.exit_code = exit_code
