"""Documents: bytes -> normalized text -> sha256.

Offsets everywhere in annotate are code-point offsets into the text returned here:
UTF-8 decoded, a leading BOM stripped, ``\\r\\n`` and ``\\r`` turned into ``\\n``.
Nothing else is changed.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field

BINARY_SNIFF_BYTES = 8192
BOM = "\ufeff"


class DocumentError(Exception):
    """A file that cannot be opened as an article; the message names the file."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class Document:
    """An article's normalized text and its identity (sha256 of that text)."""

    path: str
    text: str
    sha256: str
    metadata: dict = field(default_factory=dict, compare=False)

    @property
    def chars(self) -> int:
        return len(self.text)

    @property
    def name(self) -> str:
        return os.path.basename(self.path) or self.path


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _decode(data: bytes, path: str) -> tuple[str, bool]:
    """Decode article bytes, refusing binary data and bytes that are not UTF-8:
    (text, True when the text's UTF-8 is ``data`` itself, BOM aside: nothing normalized)."""
    if b"\x00" in data[:BINARY_SNIFF_BYTES]:
        raise DocumentError(path, "binary file (NUL byte in the first 8 KiB), not a text article")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DocumentError(
            path, f"not UTF-8 text (undecodable byte at offset {error.start})"
        ) from None
    if text.startswith(BOM):
        text = text[1:]
    if b"\r" not in data:  # a byte search: much faster than two str.replace over the text
        return text, True
    return normalize_newlines(text), False


def document_from_text(text: str, path: str = "<text>", metadata: dict | None = None) -> Document:
    """A Document from already-decoded text (normalizes newlines, strips a BOM)."""
    if text.startswith(BOM):
        text = text[1:]
    text = normalize_newlines(text)
    return Document(path=path, text=text, sha256=text_sha256(text), metadata=metadata or {})


def document_from_bytes(data: bytes, path: str) -> Document:
    text, unchanged = _decode(data, path)
    if unchanged:  # hash the bytes read: encoding a large text again costs ms (first paint)
        digest = hashlib.sha256(data[3:] if data.startswith(b"\xef\xbb\xbf") else data).hexdigest()
    else:
        digest = text_sha256(text)
    return Document(path=path, text=text, sha256=digest)


def read_bytes(path: str) -> bytes:
    """Read a file's bytes, turning OS errors into DocumentError with a clear reason."""
    if path != "-" and os.path.isdir(path):
        raise DocumentError(path, "is a folder, not a file")
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        raise DocumentError(path, "no such file") from None
    except IsADirectoryError:
        raise DocumentError(path, "is a folder, not a file") from None
    except PermissionError:
        raise DocumentError(path, "permission denied") from None
    except OSError as error:
        raise DocumentError(path, f"cannot be read ({error.strerror or error})") from None


def load_document(path: str | os.PathLike) -> Document:
    """Load an article from disk. Raises DocumentError naming the file."""
    path = os.fspath(path)
    return document_from_bytes(read_bytes(path), path)
