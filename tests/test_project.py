"""Bars that hold for the whole project: permissions stated, translations complete, deploy settings clean."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

from jip.permissions import PUBLIC

ROOT = Path(__file__).resolve().parent.parent
PROJECT_APPS = ("jip", "applicants", "companies", "matching", "internships")


def _project_views(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _project_views(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            module = getattr(entry.callback, "__module__", "")
            if module.split(".")[0] in PROJECT_APPS and not module.startswith("jip.site.admin"):
                yield prefix + str(entry.pattern), entry.callback


def test_every_project_view_states_its_permission():
    views = list(_project_views(get_resolver().url_patterns))
    assert len(views) >= 4
    # A ModelAdmin's own pages (changelist, change, history…) are guarded by the admin site's check.
    missing = [
        route
        for route, view in views
        if not getattr(view, "jip_permission", None) and not getattr(view, "model_admin", None)
    ]
    assert missing == []
    public = sorted(route for route, view in views if getattr(view, "jip_permission", None) == PUBLIC)
    assert public == ["", "company/invitations/<str:token>/", "cycles/<int:fiscal_year>/", "i18n/setlang/"]


def test_japanese_catalogue_is_complete():
    with (ROOT / "locale/ja/LC_MESSAGES/django.po").open("rb") as fh:
        catalog = read_po(fh, locale="ja")
    untranslated = [
        m.id for m in catalog if m.id and not (all(m.string) if isinstance(m.string, tuple) else m.string)
    ]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert len(catalog) > 100
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.django_db
def test_migrations_are_committed():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def production_check(**environ: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "jip.settings.production",
        "DJANGO_SECRET_KEY": "a" * 20 + "-production-like-secret-key-with-enough-entropy-9f8e7d6c",
        "DJANGO_ALLOWED_HOSTS": "jip.example.org",
        **environ,
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    if not env["REDIS_URL"]:
        del env["REDIS_URL"]
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy():
    result = production_check(REDIS_URL="redis://127.0.0.1:6379/0")  # the check connects to nothing
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_without_a_broker_fail_their_check():
    """No REDIS_URL: no broker for the tasks and a per-process cache; production refuses to start."""
    result = production_check(REDIS_URL="")
    assert result.returncode == 1, result.stdout + result.stderr
    errors = re.findall(r"\(jip\.E\d{3}\)", result.stderr)
    assert errors == ["(jip.E001)", "(jip.E003)"], result.stderr


def _project_imports_of(path: Path):
    import ast

    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if (
            isinstance(node, ast.ImportFrom)
            and node.level == 0
            and node.module
            and node.module.split(".")[0] in PROJECT_APPS
        ):
            for alias in node.names:
                yield node.lineno, node.module, alias.name


@pytest.mark.parametrize("script", sorted(p.name for p in (ROOT / "scripts").glob("*.py")))
def test_the_scripts_import_only_what_the_project_has(script):
    """The benchmarks and tools import the project inside functions, where a moved name shows only when the
    script runs by hand: every `from <project module> import <name>` must resolve now."""
    import importlib

    missing = []
    for line, module, name in _project_imports_of(ROOT / "scripts" / script):
        try:
            target = importlib.import_module(module)
        except ImportError:
            missing.append(f"{script}:{line} {module}")
            continue
        if not hasattr(target, name):
            try:
                importlib.import_module(f"{module}.{name}")
            except ImportError:
                missing.append(f"{script}:{line} {module}.{name}")
    assert missing == []
