from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from areasend.accounts.forms import ENTER_PASSWORD, ENTER_USERNAME, SIGN_IN_INVALID
from areasend.accounts.models import AREA_REQUIRED, ApiToken, hash_token
from areasend.accounts.services import user_create
from areasend.conftest import check_page, make_user
from areasend.core.tests.page_checker import text_of


@pytest.mark.django_db
def test_sign_in_and_out(page_client) -> None:  # type: ignore[no-untyped-def]
    make_user("inspector-1", "inspector")
    response = page_client.post("/sign-in/", {"username": "inspector-1", "password": "correct-horse-9"})
    assert response.status_code == 302
    assert page_client.get("/areas/").status_code == 200
    assert page_client.post("/sign-out/").status_code == 200
    assert page_client.get("/areas/").status_code == 302


@pytest.mark.django_db
def test_wrong_password_shows_error_summary(page_client) -> None:  # type: ignore[no-untyped-def]
    make_user("inspector-1", "inspector")
    response = page_client.post("/sign-in/", {"username": "inspector-1", "password": "nope"})
    assert response.status_code == 200
    page = check_page(response)
    assert page.title.startswith("Error: Sign in")
    assert page.text(".govuk-error-summary__title") == "There is a problem"
    assert page.texts(".govuk-error-summary__list li") == [SIGN_IN_INVALID]
    assert page.select_one("input#id_username").attributes["value"] == "inspector-1"
    assert page.select_one("input#id_password[type=password]").attributes["value"] == ""


@pytest.mark.django_db
def test_missing_username_and_password_are_linked_from_the_summary(page_client) -> None:  # type: ignore[no-untyped-def]
    page = check_page(page_client.post("/sign-in/", {"username": "", "password": ""}))
    links = page.select(".govuk-error-summary__list a")
    assert [(a.attributes["href"], text_of(a)) for a in links] == [
        ("#id_username", ENTER_USERNAME),
        ("#id_password", ENTER_PASSWORD),
    ]
    username = page.select_one("input#id_username.govuk-input--width-20.govuk-input--error")
    assert username.attributes["autocomplete"] == "username" and username.attributes["spellcheck"] == "false"
    assert page.select_one("input#id_password").attributes["autocomplete"] == "current-password"


@pytest.mark.django_db
def test_lock_out_after_repeated_failures(client, settings) -> None:  # type: ignore[no-untyped-def]
    make_user("inspector-1", "inspector")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/sign-in/", {"username": "inspector-1", "password": "wrong"})
    response = client.post("/sign-in/", {"username": "inspector-1", "password": "correct-horse-9"})
    assert response.status_code == 429
    assert check_page(response).text("h1") == "Your account is locked"


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2_in_production_settings() -> None:
    from areasend.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


@pytest.mark.django_db
def test_area_officer_needs_an_area() -> None:
    with pytest.raises(ValidationError) as caught:
        user_create(username="officer", role="area_officer")
    assert AREA_REQUIRED in caught.value.messages
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username="officer").exists()


@pytest.mark.django_db
def test_users_create_prints_only_the_token_last(capsys) -> None:  # type: ignore[no-untyped-def]
    call_command("users", "create", "--username", "api-user", "--role", "viewer", "--token")
    out = capsys.readouterr().out.strip().splitlines()
    token = out[-1]
    assert len(token) >= 40
    assert ApiToken.objects.get(key_hash=hash_token(token)).user.username == "api-user"


@pytest.mark.django_db
def test_users_create_rejects_bad_input(capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="There is no area with ONS code 'E99999999'"):
        call_command("users", "create", "--username", "x", "--role", "area_officer", "--area", "E99999999")
    with pytest.raises(CommandError, match="An area partnership officer must be assigned to an area"):
        call_command("users", "create", "--username", "x", "--role", "area_officer")
    call_command("users", "create", "--username", "dup", "--role", "viewer")
    with pytest.raises(CommandError, match="A user called 'dup' already exists"):
        call_command("users", "create", "--username", "dup", "--role", "viewer")


@pytest.mark.django_db
def test_users_token_for_existing_user(client, capsys) -> None:  # type: ignore[no-untyped-def]
    make_user("viewer-1", "viewer")
    call_command("users", "token", "viewer-1")
    token = capsys.readouterr().out.strip().splitlines()[-1]
    response = client.get("/api/areas", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    with pytest.raises(CommandError, match="There is no user called 'ghost'"):
        call_command("users", "token", "ghost")


@pytest.mark.django_db
def test_users_create_refuses_a_weak_password_with_the_validators_messages() -> None:
    from django.contrib.auth import get_user_model

    from areasend.core.models import AuditEvent

    with pytest.raises(CommandError) as caught:
        call_command("users", "create", "--username", "weak", "--role", "viewer", "--password", "password")
    assert caught.value.returncode == 2
    assert str(caught.value) == (
        "This password is too short. It must contain at least 10 characters. This password is too common."
    )
    with pytest.raises(CommandError) as similar:
        call_command(
            "users",
            "create",
            "--username",
            "inspector-jones",
            "--role",
            "inspector",
            "--password",
            "inspector-jones",
        )
    assert similar.value.returncode == 2
    assert str(similar.value) == "The password is too similar to the username."
    assert not get_user_model().objects.filter(username__in=["weak", "inspector-jones"]).exists()
    assert not AuditEvent.objects.filter(action="user.create").exists()

    call_command(
        "users", "create", "--username", "strong", "--role", "viewer", "--password", "correct-horse-9"
    )
    assert get_user_model().objects.get(username="strong").check_password("correct-horse-9")
