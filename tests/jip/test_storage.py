"""Static URLs are computed once per process, and are the storages' own."""

import json

from django.contrib.staticfiles.storage import StaticFilesStorage
from django.test import override_settings

from jip.storage import ManifestStaticStorage, PlainStaticStorage


def test_plain_urls_are_the_storages_own_and_kept(monkeypatch):
    storage, reference = PlainStaticStorage(), StaticFilesStorage()
    for name in ("css/jip.css", "vendor/bootstrap/js/bootstrap.bundle.min.js", "a file with spaces.png"):
        assert storage.url(name) == reference.url(name)
    calls = []
    monkeypatch.setattr(StaticFilesStorage, "url", lambda self, name: calls.append(name) or "x")
    storage.url("css/jip.css")
    storage.url("css/jip.css")
    assert calls == []  # kept from the first call


@override_settings(DEBUG=False)
def test_manifest_urls_are_the_hashed_names(tmp_path):
    manifest = {"version": "1.1", "paths": {"css/jip.css": "css/jip.0123abcd.css"}, "hash": "x"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    storage = ManifestStaticStorage(location=tmp_path, base_url="/static/")
    assert storage.url("css/jip.css") == "/static/css/jip.0123abcd.css"
    assert storage.url("css/jip.css") == "/static/css/jip.0123abcd.css"
