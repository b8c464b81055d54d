from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import transaction
from django.utils.html import escape

from areasend import __version__
from areasend.areas.forms import ENTER_PARTNER_NAME, SELECT_PARTNER_KIND
from areasend.areas.models import Partner
from areasend.conftest import check_page, signed_in
from areasend.core import audit
from areasend.core.models import AuditEvent
from areasend.core.staticfiles import MANIFEST_MISSING
from areasend.core.tests.page_checker import text_of


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
    page = check_page(response)
    assert page.text("main h1") == "Page not found"
    assert page.exists("header .govuk-header")


@pytest.mark.django_db
def test_security_headers(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/sign-in/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert check_page(response).select_one("body > script:not([src])").attributes["nonce"] == nonce
    assert response["X-Frame-Options"] == "DENY"
    assert len(response["X-Request-ID"]) >= 16


@pytest.mark.django_db
def test_audit_record_refuses_to_write_outside_a_transaction(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from django.db import connections

    monkeypatch.setattr(connections["default"], "in_atomic_block", False)
    with pytest.raises(audit.AuditOutsideTransaction):
        audit.record(actor=None, action=audit.AuditAction.AREAS_IMPORT)


@pytest.mark.django_db
def test_audit_event_rolls_back_with_the_change(admin_user) -> None:  # type: ignore[no-untyped-def]
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record(actor=admin_user, action=audit.AuditAction.PARTNER_UPDATE)
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
    banner = check_page(page_client.get(response["Location"])).select_one(
        ".govuk-notification-banner--success"
    )
    assert banner.attributes["role"] == "alert"
    assert (
        text_of(banner.css_first(".govuk-notification-banner__heading")) == "Essex Parent Carer Forum saved"
    )
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
    page = check_page(response)
    assert page.text(".govuk-error-summary__title") == "There is a problem"
    assert page.texts(".govuk-error-summary__list a") == [SELECT_PARTNER_KIND, ENTER_PARTNER_NAME]
    assert page.text(".govuk-error-summary__list a[href='#id_name']") == ENTER_PARTNER_NAME
    assert page.title.startswith("Error: Add a partner – Essex")
    assert page.exists(".govuk-form-group--error input#id_name.govuk-input--error")


@pytest.mark.django_db
def test_the_last_local_authority_partner_cannot_be_removed(page_client, admin_user) -> None:  # type: ignore[no-untyped-def]
    signed_in(page_client, admin_user)
    la = Partner.objects.get(area__ons_code="E10000012", kind=Partner.LOCAL_AUTHORITY)
    response = page_client.post(f"/areas/E10000012/partners/{la.pk}/remove/")
    assert response.status_code == 200
    page = check_page(response)
    assert page.title.startswith(f"Error: Remove {la.name} – Essex")
    assert page.texts(".govuk-error-summary__list li") == ["An area must keep its local authority partner."]
    assert Partner.objects.filter(pk=la.pk).exists()


@pytest.mark.django_db
def test_a_partner_named_in_a_plan_cannot_be_removed(page_client, admin_user, frameworks, team) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from areasend.areas.services import PARTNER_IN_USE
    from areasend.conftest import walk_to
    from areasend.followup import services as follow_up
    from areasend.inspections import services
    from areasend.inspections.models import Inspection

    icb = Partner.objects.filter(area__ons_code="E10000012").exclude(kind=Partner.LOCAL_AUTHORITY).first()
    assert icb is not None
    inspection: Inspection = services.inspection_create(
        area=icb.area, framework_version=frameworks["local-area-send-2016"], actor=admin_user
    )
    services.team_assign(inspection=inspection, user=team["lead"], role="lead_hmi", actor=admin_user)
    walk_to(inspection, "drafting", admin_user)
    services.outcome_record(inspection=inspection, outcome="wsoa_required", actor=admin_user)
    plan = follow_up.plan_open(inspection=inspection, document="wsoa", actor=admin_user)
    follow_up.plan_action_add(plan=plan, text="Act", owner=icb, due_on=dt.date(2026, 1, 5), actor=admin_user)
    signed_in(page_client, admin_user)
    response = page_client.post(f"/areas/E10000012/partners/{icb.pk}/remove/")
    assert response.status_code == 200
    assert escape(PARTNER_IN_USE.format(partner=icb.name)) in response.content.decode()
    assert Partner.objects.filter(pk=icb.pk).exists()


def test_cli_help_lists_the_commands() -> None:
    program = Path(sys.executable).with_name("areasend")  # the installed entry point
    assert program.exists(), f"{program} is not installed"
    result = subprocess.run([str(program), "--help"], capture_output=True, text=True, check=True)
    for command in ("migrate", "runserver", "demo", "areas", "users", "routes"):
        assert command in result.stdout


def _production_env(data_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "areasend.settings.production",
        "AREASEND_SECRET_KEY": "x" * 20 + "production-secret-for-the-check-only-" + "y" * 20,
        "AREASEND_ALLOWED_HOSTS": "areasend.example.org",
        "AREASEND_DATA_DIR": str(data_dir),
        "DATABASE_URL": f"sqlite:///{data_dir / 'areasend.sqlite3'}",
    }


def _collectstatic_as_install_does(data_dir: Path) -> None:
    """`make install`'s step: `areasend collectstatic --noinput` with the default (base) settings."""
    env = {**os.environ, "AREASEND_DATA_DIR": str(data_dir), "DATABASE_URL": "sqlite:///:memory:"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run(
        [sys.executable, "-m", "areasend.cli", "collectstatic", "--noinput", "-v", "0"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )


def _check_deploy(data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "areasend.cli", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=_production_env(data_dir),
    )


SERVE_SIGN_IN = """
import areasend.wsgi
from django.test import Client
response = Client().get("/sign-in/", secure=True, HTTP_HOST="areasend.example.org")
print(response.status_code)
print(response.content.decode())
"""


def test_production_settings_serve_pages_straight_after_install(tmp_path: Path) -> None:
    _collectstatic_as_install_does(tmp_path)
    checked = _check_deploy(tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "no issues" in checked.stdout
    served = subprocess.run(
        [sys.executable, "-c", SERVE_SIGN_IN], capture_output=True, text=True, env=_production_env(tmp_path)
    )
    assert served.returncode == 0, served.stderr
    status, page = served.stdout.split("\n", 1)
    assert status == "200", served.stdout + served.stderr
    # production links the hashed copy from the manifest, which WhiteNoise can cache for ever
    linked = re.search(r'href="/static/govuk/application\.([0-9a-f]{12})\.css"', page)
    assert linked is not None, page
    assert (tmp_path / "staticfiles" / "govuk" / f"application.{linked.group(1)}.css").exists()


def test_production_settings_refuse_to_start_without_the_static_manifest(tmp_path: Path) -> None:
    missing = MANIFEST_MISSING.format(path=tmp_path / "staticfiles" / "staticfiles.json")
    checked = _check_deploy(tmp_path)
    assert checked.returncode == 1
    assert f"(areasend.E001) {missing}" in checked.stderr
    started = subprocess.run(
        [sys.executable, "-c", SERVE_SIGN_IN], capture_output=True, text=True, env=_production_env(tmp_path)
    )
    assert started.returncode == 1
    assert f"ImproperlyConfigured: {missing}" in started.stderr


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
