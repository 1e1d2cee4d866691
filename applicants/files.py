"""Checks on uploaded files: the type is judged by the content, not the name; the size is limited."""

import hashlib
import os

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


def check_upload(upload: UploadedFile) -> tuple[str, str, str]:
    """Returns (content type, extension, SHA-256) or raises a ValidationError that says what is wrong."""
    limit = settings.JIP_MAX_UPLOAD_BYTES
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
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
    return kind[0], kind[1], digest.hexdigest()


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
