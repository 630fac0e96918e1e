import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STRONG_KEY = "k3J9-not-a-real-secret-but-long-and-random-enough-Qz81xLwP0aVb"


def manage(*args, **env):
    dropped = ("SECRET_KEY", "DEBUG", "DJANGO_ENV", "DJANGO_ALLOW_ASYNC_UNSAFE")
    environment = {k: v for k, v in os.environ.items() if k not in dropped}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("key", [None, "short", "django-insecure-" + "x" * 60])
def test_production_refuses_to_start_without_a_real_secret_key(key):
    env = {"DJANGO_ENV": "production", "ALLOWED_HOSTS": "mobility.example.org"}
    if key:
        env["SECRET_KEY"] = key
    result = manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_deploy_check_is_clean_in_production():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_ENV="production",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="mobility.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_default_database_is_sqlite_in_the_checkout():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])",
        DATABASE_URL="",
    )
    assert result.stdout.strip().splitlines()[-1].endswith("sqlite3")


def test_default_broker_needs_no_server():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.CELERY_BROKER_URL)",
        CELERY_BROKER_URL="",
        REDIS_URL="",
    )
    assert result.stdout.strip().splitlines()[-1] == "filesystem://"


def test_pages_carry_a_strict_content_security_policy(client):
    policy = client.get("/login/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_no_page_template_uses_inline_styles_or_scripts():
    """The policy forbids them: a style="" or <script> body in a web template would silently break."""
    templates = Path(__file__).resolve().parent.parent / "templates"
    offenders = []
    for path in templates.rglob("*.html"):
        if "documents" in path.parts:  # printed by WeasyPrint, not served to browsers
            continue
        text = path.read_text(encoding="utf-8")
        if " style=" in text or "<style" in text or "<script>" in text:
            offenders.append(str(path.relative_to(templates)))
    assert offenders == []
