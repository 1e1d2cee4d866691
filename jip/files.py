"""Serving a private upload: only from a view that has checked the viewer, never from a public path."""

from django.db.models.fields.files import FieldFile
from django.http import FileResponse

# An uploaded document (PDF or image) opened in its own tab: it may show itself and nothing else.
DOCUMENT_POLICY = "default-src 'none'; img-src 'self'; object-src 'self'; sandbox"


def private_file_response(
    file: FieldFile, *, content_type: str, filename: str | None, download: bool, policy: str = DOCUMENT_POLICY
) -> FileResponse:
    """The file with headers that keep it private: no caching on the way, no sniffing, its own policy."""
    response = FileResponse(
        file.open("rb"), content_type=content_type, as_attachment=download, filename=filename or None
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = policy
    response["Cache-Control"] = "private, no-store"
    return response
