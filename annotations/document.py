"""Documents: bytes -> normalized text -> sha256.

Offsets everywhere in annotate are code-point offsets into the text returned here:
UTF-8 decoded, a leading BOM stripped, ``\\r\\n`` and ``\\r`` turned into ``\\n``.
Nothing else is changed.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
import threading
from dataclasses import dataclass, field

BINARY_SNIFF_BYTES = 8192
BOM = "\ufeff"
HASH_THREAD_BYTES = 1 << 20  # from this size the digest is computed while decoding


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
    refuse_binary(data, path)
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
    if len(data) >= HASH_THREAD_BYTES and b"\r" not in data:
        # Nothing to normalize: the digest is that of the bytes read, so hash them in a
        # thread while decoding (hashlib releases the GIL on large buffers): a 20 MB
        # article's first paint does not wait for both one after the other.
        digests: list[str] = []
        hasher = threading.Thread(target=lambda: digests.append(_bytes_sha256(data)), daemon=True)
        hasher.start()
        try:
            text, _ = _decode(data, path)
        finally:
            hasher.join()
        return Document(path=path, text=text, sha256=digests[0])
    text, unchanged = _decode(data, path)
    # hash the bytes read when they are the text's UTF-8: encoding it again costs ms
    digest = _bytes_sha256(data) if unchanged else text_sha256(text)
    return Document(path=path, text=text, sha256=digest)


def _bytes_sha256(data: bytes) -> str:
    """The digest of a text from its UTF-8 bytes (a BOM is not part of the text)."""
    return hashlib.sha256(memoryview(data)[3:] if data.startswith(b"\xef\xbb\xbf") else data).hexdigest()


DEFAULT_MAX_INPUT_BYTES = 50_000_000
_max_input_bytes = DEFAULT_MAX_INPUT_BYTES
SIZE_UNITS = {"": 1, "b": 1, "k": 10**3, "kb": 10**3, "m": 10**6, "mb": 10**6, "g": 10**9, "gb": 10**9,
              "kib": 2**10, "mib": 2**20, "gib": 2**30}
READ_CHUNK = 1 << 20


def parse_size(text: str | int) -> int:
    """``50MB``, ``1.5 MiB``, ``800k``, ``1000`` -> bytes (k, M, G are powers of 1000).
    Raises ValueError naming what it expected."""
    if isinstance(text, int) and not isinstance(text, bool):
        number, unit = float(text), ""
    else:
        import re

        match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*", str(text))
        if not match or match.group(2).lower() not in SIZE_UNITS:
            raise ValueError(f"{text!r} is not a size (write e.g. 50MB, 500k, 2GiB)")
        number, unit = float(match.group(1)), match.group(2).lower()
    size = int(number * SIZE_UNITS[unit])
    if size < 1:
        raise ValueError(f"{text!r} is not a size above zero")
    return size


def format_size(size: int) -> str:
    for unit, factor in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if size >= factor and size % factor == 0:
            return f"{size // factor} {unit}"
    return f"{size:,} bytes"


def set_max_input_bytes(size: int) -> None:
    """The most any one input may hold (``--max-size``, ``max_size`` in config.toml)."""
    global _max_input_bytes
    _max_input_bytes = size


def max_input_bytes() -> int:
    return _max_input_bytes


def too_large(path: str, limit: int) -> DocumentError:
    return DocumentError(path, f"larger than the {format_size(limit)} limit for one input "
                               "(--max-size, or max_size in config.toml)")


def refuse_binary(head: bytes, path: str) -> None:
    if b"\x00" in head[:BINARY_SNIFF_BYTES]:
        raise DocumentError(path, "binary file (NUL byte in the first 8 KiB), not text")


def read_capped(handle, path: str, limit: int | None = None, first: int = READ_CHUNK) -> bytes:
    """All of a stream, refusing it as soon as it passes ``limit`` bytes or its first
    8 KiB hold a NUL byte (a ``/dev/zero`` ends after one chunk, not at the limit).
    ``first``: how much to ask for at once first (a regular file: its size and one)."""
    limit = max_input_bytes() if limit is None else limit
    chunks: list[bytes] = []
    total = 0
    want = first
    while True:
        chunk = handle.read(min(want, limit + 1 - total))
        want = READ_CHUNK
        if not chunk:
            break
        if total < BINARY_SNIFF_BYTES:
            refuse_binary(b"".join(chunks) + chunk[:BINARY_SNIFF_BYTES], path)
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise too_large(path, limit)
    return b"".join(chunks)


def is_stream_mode(mode: int) -> bool:
    """A FIFO (``<(command)``) or a character device: read once, as standard input is."""
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)


def read_input(path: str, stdin=None) -> tuple[bytes, bool]:
    """(bytes of ``path``, whether it was read as a stream): ``-`` is standard input, a
    FIFO or character device is read like it, a regular file at once. Every input goes
    through the size limit and the binary check. Raises DocumentError with a clear reason."""
    if path == "-":
        return read_capped(stdin or sys.stdin.buffer, path), True
    try:
        with open(path, "rb") as handle:
            st = os.fstat(handle.fileno())
            if is_stream_mode(st.st_mode):
                return read_capped(handle, path), True
            if stat.S_ISDIR(st.st_mode):
                raise DocumentError(path, "is a folder, not a file")
            if not stat.S_ISREG(st.st_mode):
                raise DocumentError(path, f"is {file_kind(st.st_mode)}, not an article file")
            limit = max_input_bytes()
            if st.st_size > limit:
                raise too_large(path, limit)
            return read_capped(handle, path, limit, first=st.st_size + 1), False
    except FileNotFoundError:
        raise DocumentError(path, "no such file") from None
    except IsADirectoryError:
        raise DocumentError(path, "is a folder, not a file") from None
    except PermissionError:
        raise DocumentError(path, "permission denied") from None
    except OSError as error:
        raise DocumentError(path, f"cannot be read ({error.strerror or error})") from None


def file_kind(mode: int) -> str:
    """What a file is, in words, for messages."""
    for test, name in ((stat.S_ISREG, "a regular file"), (stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISLNK, "a symlink")):
        if test(mode):
            return name
    return "a special file"


def load_document(path: str | os.PathLike) -> Document:
    """Load an article from disk. Raises DocumentError naming the file."""
    path = os.fspath(path)
    return document_from_bytes(read_input(path)[0], path)
