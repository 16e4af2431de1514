"""Errors of export and import (their messages name the file and the problem)."""

from __future__ import annotations


class ExportError(Exception):
    """An export that cannot be made (unknown format, tokenizer unavailable)."""


class ImportFileError(Exception):
    """An import file that cannot be imported; nothing was changed."""


# The name the CLI was first written against.
ImportError_ = ImportFileError
