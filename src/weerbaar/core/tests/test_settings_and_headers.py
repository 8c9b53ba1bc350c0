from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from weerbaar.core.permissions import permissions_markdown
from weerbaar.settings import env_bool, env_int

REPO = Path(__file__).resolve().parents[4]

PRODUCTION_ENV = {
    "WEERBAAR_PRODUCTION": "true",
    "SECRET_KEY": "p" * 20 + "-een-lange-willekeurige-productiesleutel-0123456789",
    "ALLOWED_HOSTS": "weerbaar.example.nl",
    "SITE_URL": "https://weerbaar.example.nl",
    "DATABASE_URL": "sqlite:///" + str(REPO / "var" / "deploycheck.sqlite3"),
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "SECRET_KEY", "WEERBAAR_PRODUCTION", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    return subprocess.run(
        [sys.executable, str(REPO / "manage.py"), *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_variables() -> None:
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_the_default_secret() -> None:
    env = {**PRODUCTION_ENV}
    env.pop("SECRET_KEY")
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_a_site_address_that_mails_cannot_use() -> None:
    result = _manage("check", env={**PRODUCTION_ENV, "SITE_URL": "http://127.0.0.1:8000"})
    assert result.returncode != 0
    assert "SITE_URL" in result.stderr


def test_env_helpers_refuse_junk(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEERBAAR_X", "misschien")
    with pytest.raises(ImproperlyConfigured):
        env_bool("WEERBAAR_X", False)
    monkeypatch.setenv("WEERBAAR_X", "dertig")
    with pytest.raises(ImproperlyConfigured):
        env_int("WEERBAAR_X", 30)
    monkeypatch.setenv("WEERBAAR_X", "yes")
    assert env_bool("WEERBAAR_X", False) is True


@pytest.mark.django_db
def test_every_page_has_a_strict_content_security_policy() -> None:
    response = Client().get("/inloggen")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    for loophole in ("inline", "eval"):
        assert f"'unsafe-{loophole}'" not in csp
    assert "Content-Security-Policy-Report-Only" not in response
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_security_txt_is_served() -> None:
    response = Client().get("/.well-known/security.txt")
    assert response.status_code == 200
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/plain")
    assert "Contact: " in body and "Expires: " in body


def test_the_permissions_page_matches_the_role_table() -> None:
    committed = (REPO / "docs" / "permissions.md").read_text(encoding="utf-8")
    assert committed == permissions_markdown(), "Run `python manage.py permissions_doc` and commit docs/permissions.md"


@pytest.mark.django_db
def test_the_ui_is_dutch_unless_the_user_chooses_english() -> None:
    client = Client(headers={"accept-language": "en-US,en;q=0.9"})
    assert "Inloggen bij Weerbaar" in client.get("/inloggen").content.decode()
    client.post("/taal", {"language": "en", "next": "/inloggen"})
    assert client.get("/inloggen")["Content-Language"] == "en"


def test_the_demo_refuses_to_load_into_production() -> None:
    result = _manage("load_demo", env=PRODUCTION_ENV)
    assert result.returncode != 0
    assert "productie" in result.stderr


@pytest.mark.django_db
def test_a_request_in_english_does_not_leave_the_thread_in_english() -> None:
    from django.utils import translation

    client = Client()
    client.post("/taal", {"language": "en", "next": "/inloggen"})
    assert client.get("/inloggen")["Content-Language"] == "en"
    assert translation.get_language() == "nl"
