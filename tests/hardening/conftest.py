"""Shared strategies and helpers for the hardening tests (properties, crash loop, hostile input)."""

from __future__ import annotations

import os
import re
import socket
import stat

import pytest
from hypothesis import strategies as st

# Characters of the contract's "arbitrary text": every code point but U+0000 and the
# surrogates (a str holding a lone surrogate cannot be a decoded UTF-8 file).
any_char = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")

# Pieces that break naive code: newline styles, a BOM, escapes, markup, emoji
# sequences, right-to-left text and bidi controls, C1 controls, astral characters.
TRICKY_PIECES = [
    "\r\n", "\r", "\n", "\n\n", "\ufeff", "\x1b[31m", "\x1b]0;title\x07", "\x9b2J", "\x85",
    "[bold]", "[/]", "[@click=app.quit]x[/]", "👩\u200d👩\u200d👧", "🏳️\u200d🌈", "e\u0301",
    "مرحبا بالعالم", "\u202eevil", "\u2028", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "\t", "\x7f", " ", "word ", "The minister said ",
]

any_text = st.lists(
    st.one_of(st.text(any_char, max_size=12), st.sampled_from(TRICKY_PIECES)), max_size=25
).map("".join)

# Bytes the terminal must never receive from input text: C0 controls but the line breaks
# a program writes itself, DEL and the C1 range (8-bit CSI, OSC ...).
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")


def raw_controls(text: str) -> list[str]:
    return RAW_CONTROL.findall(text)


def make_device(path, minor: int):
    """A character device in the test's own folder with the numbers of /dev/null (3) or
    /dev/zero (5): the device, never the system's node."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    except PermissionError:
        pytest.skip("making a device node needs root (CI runs the tests as root)")
    return path


def make_socket(path):
    """A Unix socket file at ``path`` (bound, then closed: the file stays)."""
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()
    return path
