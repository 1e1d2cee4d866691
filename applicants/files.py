"""Checks on uploaded files: the type is judged by the content, not the name; the size is limited."""

import hashlib
import os
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

SIGNATURES = {
    b"%PDF-": ("application/pdf", ".pdf"),
    b"\xff\xd8\xff": ("image/jpeg", ".jpg"),
    b"\x89PNG\r\n\x1a\n": ("image/png", ".png"),
}


def sniff(head: bytes) -> tuple[str, str] | None:
    for signature, kind in SIGNATURES.items():
        if head.startswith(signature):
            return kind
    return None


class CheckedUpload(NamedTuple):
    content_type: str
    extension: str
    sha256: str
    size: int  # bytes


def check_upload(upload: UploadedFile) -> CheckedUpload:
    """The upload's content type, extension, SHA-256 and size; a ValidationError says what is wrong."""
    limit = settings.JIP_MAX_UPLOAD_BYTES
    size = upload.size
    if size is None:  # Django's upload handlers always give it; only a file made by hand can lack it
        raise ValueError("The upload does not say its size.")
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > limit:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    upload.seek(0)
    kind = sniff(upload.read(16))
    if kind is None:
        raise ValidationError(
            _("Only PDF, JPEG or PNG files are accepted; this file is none of them."), code="type"
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(kind[0], kind[1], digest.hexdigest(), size)


def clean_name(name: str) -> str:
    """The applicant's file name, made safe to show and to offer back as a download name."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    try:
        cleaned = get_valid_filename(base)
    except SuspiciousFileOperation:
        return "document"
    # Shortened from the stem, so a long name keeps its extension for the download.
    stem, extension = os.path.splitext(cleaned)
    if len(extension) > 16:
        stem, extension = cleaned, ""
    return stem[: 150 - len(extension)] + extension
