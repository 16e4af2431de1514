"""Documents: decoding, normalization, identity, and clear errors for bad files."""

from __future__ import annotations

import hashlib

import pytest

from annotations.document import DocumentError, document_from_bytes, document_from_text, load_document, text_sha256


def write(tmp_path, data: bytes, name: str = "a.txt"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_crlf_and_cr_become_lf(tmp_path):
    doc = load_document(write(tmp_path, b"one\r\ntwo\rthree\n"))
    assert doc.text == "one\ntwo\nthree\n"


def test_bom_is_stripped_and_offsets_start_after_it(tmp_path):
    doc = load_document(write(tmp_path, "\ufeffHello".encode("utf-8")))
    assert doc.text == "Hello"
    assert doc.text[0:5] == "Hello"


def test_sha256_is_of_the_normalized_text(tmp_path):
    crlf = load_document(write(tmp_path, b"a\r\nb", "crlf.txt"))
    lf = load_document(write(tmp_path, b"a\nb", "lf.txt"))
    assert crlf.sha256 == lf.sha256 == hashlib.sha256(b"a\nb").hexdigest()


def test_emoji_zwj_and_combining_marks_are_code_points(tmp_path):
    text = "x \U0001F469\u200D\U0001F4BB e\u0301 y"
    doc = load_document(write(tmp_path, text.encode("utf-8")))
    assert doc.text == text
    assert doc.chars == len(text)
    start = text.index("y")
    assert doc.text[start : start + 1] == "y"


def test_control_characters_are_kept_in_the_text(tmp_path):
    doc = load_document(write(tmp_path, b"a\x1b]0;pwned\x07b\tc"))
    assert doc.text == "a\x1b]0;pwned\x07b\tc"


def test_empty_file_opens(tmp_path):
    doc = load_document(write(tmp_path, b""))
    assert doc.text == "" and doc.chars == 0


def test_missing_file_names_the_file(tmp_path):
    with pytest.raises(DocumentError) as info:
        load_document(tmp_path / "nope.txt")
    assert "nope.txt" in str(info.value) and "no such file" in str(info.value)


def test_folder_is_refused(tmp_path):
    with pytest.raises(DocumentError, match="folder"):
        load_document(tmp_path)


def test_nul_byte_means_binary(tmp_path):
    with pytest.raises(DocumentError, match="binary"):
        load_document(write(tmp_path, b"text\x00more"))


def test_nul_after_the_first_8k_is_not_sniffed_but_still_text(tmp_path):
    doc = load_document(write(tmp_path, b"a" * 9000 + b"\x00"))
    assert doc.chars == 9001


def test_invalid_utf8_is_refused_with_the_offset(tmp_path):
    with pytest.raises(DocumentError, match=r"not UTF-8.*offset 2"):
        load_document(write(tmp_path, b"ab\xff\xfe"))


def test_five_megabyte_single_line_opens(tmp_path):
    doc = load_document(write(tmp_path, b"word " * 1_000_000))
    assert doc.chars == 5_000_000


def test_document_from_text_normalizes_like_files():
    assert document_from_text("\ufeffa\r\nb").text == "a\nb"


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_a_large_article_hashed_while_decoding_has_the_digest_of_its_text(bom):
    # From HASH_THREAD_BYTES on, the digest is computed in a thread during the decode:
    # the same identity as the text's, BOM or not, and a bad byte is still refused.
    from annotations import document as document_module

    body = ("Kursk – “Sudzha” 中文 line\n" * (document_module.HASH_THREAD_BYTES // 20)).encode()
    assert len(body) >= document_module.HASH_THREAD_BYTES
    document = document_from_bytes(bom + body, "big.txt")
    assert document.text == body.decode()
    assert document.sha256 == text_sha256(document.text)
    with pytest.raises(DocumentError, match="not UTF-8"):
        document_from_bytes(bom + body + b"\xff", "bad.txt")
