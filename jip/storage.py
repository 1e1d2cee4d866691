"""Static-file storages whose URLs are computed once per process.

Every page asks for the same few static files (the layout's style sheets and script); the storage's `url()`
(the manifest lookup, quoting and joining) costs tens of microseconds each time. A file's URL does not change
while a process runs (the manifest is read when the storage is made), so each is kept after its first use.
"""

from django.contrib.staticfiles.storage import StaticFilesStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


class UrlMemoMixin:
    def url(self, name: str | None, *args) -> str:  # the manifest storage takes `force` too
        memo = self.__dict__.setdefault("_url_memo", {})
        key = (name, *args)
        url = memo.get(key)
        if url is None:
            url = memo[key] = super().url(name, *args)
        return url


class ManifestStaticStorage(UrlMemoMixin, CompressedManifestStaticFilesStorage):
    """Production: hashed, compressed files (WhiteNoise), each URL looked up in the manifest once."""


class PlainStaticStorage(UrlMemoMixin, StaticFilesStorage):
    """Development, tests and the benchmark: files under their own names."""
