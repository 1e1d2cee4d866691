"""jip/gunicorn.py, the production command's settings: sync workers, one a core unless WEB_CONCURRENCY says."""

import os
import runpy
from pathlib import Path

CONFIG = str(Path(__file__).resolve().parents[2] / "jip" / "gunicorn.py")


def test_one_sync_worker_a_core_by_default(monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    settings = runpy.run_path(CONFIG)
    assert settings["workers"] == len(os.sched_getaffinity(0))
    assert settings["worker_class"] == "sync"
    assert settings["bind"] == "0.0.0.0:8000"


def test_web_concurrency_and_bind_from_the_environment(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "5")
    monkeypatch.setenv("GUNICORN_BIND", "127.0.0.1:9000")
    settings = runpy.run_path(CONFIG)
    assert (settings["workers"], settings["bind"]) == (5, "127.0.0.1:9000")
