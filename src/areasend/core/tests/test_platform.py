from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.db import transaction

from areasend import __version__
from areasend.areas.models import Partner
from areasend.conftest import signed_in
from areasend.core import audit
from areasend.core.models import AuditEvent


@pytest.mark.django_db
def test_healthz_reports_version_and_database(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": __version__, "database": True}


@pytest.mark.django_db
def test_error_pages_are_govuk_pages(page_client, admin_user) -> None:  # type: ignore[no-untyped-def]
    signed_in(page_client, admin_user)
    response = page_client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "govuk-header" in response.content.decode()


@pytest.mark.django_db
def test_security_headers(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/sign-in/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()
    assert response["X-Frame-Options"] == "DENY"
    assert len(response["X-Request-ID"]) >= 16


@pytest.mark.django_db
def test_audit_record_refuses_to_write_outside_a_transaction(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from django.db import connections

    monkeypatch.setattr(connections["default"], "in_atomic_block", False)
    with pytest.raises(audit.AuditOutsideTransaction):
        audit.record(actor=None, action="test")


@pytest.mark.django_db
def test_audit_event_rolls_back_with_the_change(admin_user) -> None:  # type: ignore[no-untyped-def]
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record(actor=admin_user, action="test.change")
        raise RuntimeError("the change failed")
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_partner_change_is_audited_with_request_id(page_client, admin_user) -> None:  # type: ignore[no-untyped-def]
    signed_in(page_client, admin_user)
    response = page_client.post(
        "/areas/E10000012/partners/add/",
        {"kind": "other", "name": "Essex Parent Carer Forum", "code": "", "notes": ""},
        headers={"X-Request-ID": "req-test-123456"},
    )
    assert response.status_code == 302
    partner = Partner.objects.get(name="Essex Parent Carer Forum")
    event = AuditEvent.objects.get(action="partner.create", object_id=str(partner.pk))
    assert event.actor == admin_user
    assert event.request_id == "req-test-123456"
    assert event.changes["name"] == [None, "Essex Parent Carer Forum"]


@pytest.mark.django_db
def test_partner_form_shows_error_summary(page_client, admin_user) -> None:  # type: ignore[no-untyped-def]
    signed_in(page_client, admin_user)
    response = page_client.post("/areas/E10000012/partners/add/", {"kind": "", "name": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert '<a href="#id_name">Enter the partner&#x27;s name</a>' in html
    assert "<title>Error: Add a partner" in html


@pytest.mark.django_db
def test_the_last_local_authority_partner_cannot_be_removed(page_client, admin_user) -> None:  # type: ignore[no-untyped-def]
    signed_in(page_client, admin_user)
    la = Partner.objects.get(area__ons_code="E10000012", kind=Partner.LOCAL_AUTHORITY)
    response = page_client.post(f"/areas/E10000012/partners/{la.pk}/remove/")
    assert response.status_code == 200
    assert "An area must keep its local authority partner." in response.content.decode()
    assert Partner.objects.filter(pk=la.pk).exists()


def test_cli_help_lists_the_commands() -> None:
    program = Path(sys.executable).with_name("areasend")  # the installed entry point
    assert program.exists(), f"{program} is not installed"
    result = subprocess.run([str(program), "--help"], capture_output=True, text=True, check=True)
    for command in ("migrate", "runserver", "demo", "areas", "users", "routes"):
        assert command in result.stdout


def test_production_settings_pass_the_deployment_checks(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "areasend.settings.production",
        "AREASEND_SECRET_KEY": "x" * 20 + "production-secret-for-the-check-only-" + "y" * 20,
        "AREASEND_ALLOWED_HOSTS": "areasend.example.org",
        "AREASEND_DATA_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-m", "areasend.cli", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_demo_stops_with_a_message_when_a_step_is_refused(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import ValidationError
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from areasend.core import demo

    def refused() -> list[str]:
        raise ValidationError("a changed framework needs a new version number")

    monkeypatch.setattr(demo, "_STEPS", [(1, "refused", refused)])
    with pytest.raises(CommandError) as caught:
        call_command("demo")
    assert caught.value.returncode == 2
    assert str(caught.value) == "The demo stopped: a changed framework needs a new version number"
