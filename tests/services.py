"""Tests that need a real service skip with a reason where it is missing, and fail under CI=true."""

import os
import shutil

import pytest


def is_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def require(condition: bool, reason: str) -> None:
    if condition:
        return
    if is_ci():
        pytest.fail(f"CI=true but a required service is missing: {reason}", pytrace=False)
    pytest.skip(reason)


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def redis_url() -> str:
    return os.environ.get("REDIS_URL", "")
