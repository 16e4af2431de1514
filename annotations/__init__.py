"""annotate's domain: documents, analysis, store, anchoring, export.

Nothing here imports Textual or Rich; the TUI in ``tui/`` calls into this package,
never the reverse.
"""

from annotations.document import Document, DocumentError, load_document

__all__ = ["Document", "DocumentError", "load_document"]
__version__ = "0.1.0"
