"""Uploaded files: the type is judged by the content, the size is limited, the name is made safe."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from applicants import files

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
JPEG = b"\xff\xd8\xff\xdb\x00\x43\x00"
NOT_ACCEPTED = "Only PDF, JPEG or PNG files are accepted; this file is none of them."


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (PDF, ("application/pdf", ".pdf")),
        (b"%PDF-", ("application/pdf", ".pdf")),
        (PNG, ("image/png", ".png")),
        (JPEG, ("image/jpeg", ".jpg")),
        (b"\xff\xd8\xff", ("image/jpeg", ".jpg")),
        (b"", None),
        (b"%PDF", None),  # one byte short of the signature
        (b"\x89PNG\r\n\x1a", None),
        (b"\xff\xd8", None),
        (b" %PDF-1.4", None),  # the signature must be at the start
        (b"%pdf-1.4", None),
        (b"GIF89a\x01\x00", None),
        (b"PK\x03\x04\x14\x00", None),  # .docx, .zip
        (b"<!DOCTYPE html><html>", None),
        (b"<?xml version='1.0'?><svg/>", None),
        (b"MZ\x90\x00", None),  # a Windows executable
        (b"II*\x00", None),  # TIFF
    ],
)
def test_sniff(head, expected):
    assert files.sniff(head) == expected


def upload(content: bytes, name: str = "file.bin") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, "application/octet-stream")


@pytest.mark.parametrize(
    ("content", "name", "kind"),
    [
        (PDF, "cv.pdf", ("application/pdf", ".pdf")),
        (PDF, "cv.png", ("application/pdf", ".pdf")),  # the name does not decide
        (PNG, "cv.pdf", ("image/png", ".png")),
        (JPEG, "cv", ("image/jpeg", ".jpg")),
    ],
)
def test_check_upload_returns_type_extension_and_hash(content, name, kind):
    file = upload(content, name)
    assert files.check_upload(file) == (*kind, hashlib.sha256(content).hexdigest(), len(content))
    assert file.read() == content  # left at the start for whoever stores it


def test_check_upload_hashes_every_chunk_of_a_large_file(settings):
    content = PDF + bytes(range(256)) * 2048  # over 500 kB: several 64 kB chunks
    settings.JIP_MAX_UPLOAD_BYTES = len(content)
    file = upload(content, "big.pdf")
    file.read(100)  # a caller may have read from it already
    assert files.check_upload(file)[2] == hashlib.sha256(content).hexdigest()


@pytest.mark.parametrize(
    ("content", "code", "message"),
    [
        (b"", "empty", "The file is empty."),
        (b"Dear committee, ...", "type", NOT_ACCEPTED),
        (b"%PDF", "type", NOT_ACCEPTED),
        (b"PK\x03\x04 a word file", "type", NOT_ACCEPTED),
    ],
)
def test_check_upload_refuses(content, code, message):
    with pytest.raises(ValidationError) as error:
        files.check_upload(upload(content, "cv.pdf"))
    assert (error.value.code, error.value.messages) == (code, [message])


@pytest.mark.parametrize(
    ("limit", "size", "accepted", "message"),
    [
        (100, 100, True, None),
        (100, 101, False, "The file is 101\xa0bytes; the limit is 100\xa0bytes."),
        (1024 * 1024, 1024 * 1024 + 1, False, "The file is 1.0\xa0MB; the limit is 1.0\xa0MB."),
        (1024 * 1024, 3 * 1024 * 1024, False, "The file is 3.0\xa0MB; the limit is 1.0\xa0MB."),
    ],
)
def test_check_upload_limits_the_size(settings, limit, size, accepted, message):
    settings.JIP_MAX_UPLOAD_BYTES = limit
    file = upload(PDF + b"\x00" * (size - len(PDF)), "cv.pdf")
    if accepted:
        assert files.check_upload(file)[0] == "application/pdf"
        return
    with pytest.raises(ValidationError) as error:
        files.check_upload(file)
    assert (error.value.code, error.value.messages) == ("too_large", [message])


def test_the_size_is_checked_before_the_content(settings):
    settings.JIP_MAX_UPLOAD_BYTES = 10
    with pytest.raises(ValidationError) as error:
        files.check_upload(upload(b"not a document at all", "cv.pdf"))
    assert error.value.code == "too_large"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("cv.pdf", "cv.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("/etc/passwd", "passwd"),
        ("..\\..\\Windows\\evil.pdf", "evil.pdf"),
        ("C:\\Users\\An\\My CV (final).pdf", "My_CV_final.pdf"),
        ("  spaced name .pdf", "spaced_name_.pdf"),
        ("<script>alert(1)</script>.pdf", "script.pdf"),
        ("a\x00b.pdf", "ab.pdf"),
        ("line\nbreak.pdf", "linebreak.pdf"),
        ("\u202egnp.pdf", "gnp.pdf"),  # a right-to-left override cannot disguise the extension
        ("履歴書.pdf", "履歴書.pdf"),
        ("résumé.PDF", "résumé.PDF"),
        (".pdf", ".pdf"),
        ("", "document"),
        (".", "document"),
        ("..", "document"),
        ("/", "document"),
        ("dir/", "document"),
        ("***", "document"),
    ],
)
def test_clean_name(name, expected):
    assert files.clean_name(name) == expected


def test_a_long_name_is_shortened_and_keeps_its_extension():
    cleaned = files.clean_name("x" * 300 + ".pdf")
    assert cleaned == "x" * 146 + ".pdf"
    assert len(cleaned) == 150


def test_a_long_name_without_a_short_extension_is_cut():
    assert files.clean_name("a" * 100 + "." + "b" * 200) == ("a" * 100 + "." + "b" * 200)[:150]
