"""The user administration pages: for programme administrators only; bad input is refused with a
GOV.UK error summary and changes nothing; deactivation and revocation take effect at once."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from areasend.accounts import services
from areasend.accounts.forms import (
    EMAIL_INVALID,
    ENTER_EMAIL,
    ENTER_FULL_NAME,
    ENTER_NEW_PASSWORD,
    ENTER_NEW_USERNAME,
    ENTER_PASSWORD_AGAIN,
    PASSWORDS_DIFFER,
    SEARCH_TOO_LONG,
    SELECT_AREA,
    SELECT_ROLE,
    SIGN_IN_INVALID,
)
from areasend.accounts.models import AREA_REQUIRED, ApiToken, RoleAssignment, hash_token
from areasend.conftest import PageClient, check_page, make_user, signed_in
from areasend.core.models import AuditEvent
from areasend.core.tests.page_checker import Page, text_of

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-9"


def _errors(page: Page) -> list[tuple[str, str]]:
    """(link target, message) of each item of the error summary."""
    return [(a.attributes.get("href") or "", text_of(a)) for a in page.select(".govuk-error-summary__list a")]


def _summary(page: Page) -> list[str]:
    return page.texts(".govuk-error-summary__list li")


def _pages_of(target: User) -> list[str]:
    """Every user administration page, for `target` and their first role and token."""
    assignment = target.role_assignments.first()
    token = ApiToken.objects.filter(user=target).first()
    assert assignment is not None and token is not None
    pk = target.pk
    return [
        reverse("accounts:user-list"),
        reverse("accounts:user-create"),
        reverse("accounts:user-detail", args=[pk]),
        reverse("accounts:role-add", args=[pk]),
        reverse("accounts:role-remove", args=[pk, assignment.pk]),
        reverse("accounts:user-deactivate", args=[pk]),
        reverse("accounts:user-reactivate", args=[pk]),
        reverse("accounts:password-reset", args=[pk]),
        reverse("accounts:password-link", args=[pk]),
        reverse("accounts:token-create", args=[pk]),
        reverse("accounts:token-created", args=[pk]),
        reverse("accounts:token-revoke", args=[pk, token.pk]),
    ]


def test_every_page_is_for_administrators_only(
    page_client: PageClient, admin_user: Any, inspector: Any, viewer: Any, essex_officer: Any
) -> None:
    target = make_user("target", "viewer")
    services.api_token_create(user=target)
    pages = _pages_of(target)
    assert len(pages) == 12
    for url in pages:
        assert Client().get(url).status_code == 302, url  # signed out: sent to sign in
    events = AuditEvent.objects.count()
    for user in (inspector, viewer, essex_officer):
        client = signed_in(PageClient(), user)
        for url in pages:
            assert client.get(url).status_code == 403, (user, url)
            assert client.post(url, {"username": "x", "role": "viewer"}).status_code == 403, (user, url)
    assert AuditEvent.objects.count() == events
    target.refresh_from_db()
    assert target.is_active and target.has_usable_password() and target.role_assignments.count() == 1
    assert ApiToken.objects.get(user=target).revoked_at is None
    client = signed_in(page_client, admin_user)
    for url in pages:
        assert client.get(url).status_code == 200, url


def test_administrators_find_the_users_page_in_the_navigation(
    page_client: PageClient, admin_user: Any, inspector: Any
) -> None:
    nav = "a.govuk-service-navigation__link[href='/users/']"
    assert check_page(signed_in(page_client, admin_user).get("/")).exists(nav)
    assert not check_page(signed_in(PageClient(), inspector).get("/")).exists(nav)


def test_the_list_shows_roles_areas_and_status_and_searches(page_client: PageClient, admin_user: Any) -> None:
    officer = make_user("essex-officer", "area_officer", "E10000012")
    officer.first_name, officer.email = "Sam Patel", "sam.patel@essex.gov.uk"
    officer.save()
    services.role_add(actor=admin_user, user=officer, role="viewer")
    leaver = make_user("leaver", "inspector")
    services.user_deactivate(actor=admin_user, user=leaver)
    page = check_page(signed_in(page_client, admin_user).get("/users/"))
    assert page.text("h1") == "Users"
    assert page.texts("#users thead th") == ["Username", "Name", "Email address", "Roles", "Status"]
    rows = {row[0]: row for row in page.rows("#users")}
    assert rows["essex-officer"] == [
        "essex-officer",
        "Sam Patel",
        "sam.patel@essex.gov.uk",
        "Area partnership officer – Essex Read-only viewer (DfE / NHS England) – every area",
        "Active",
    ]
    assert rows["leaver"][3:] == ["Inspector – every area", "Deactivated"]
    assert rows["admin"][3] == "Programme administrator – every area"
    detail = reverse("accounts:user-detail", args=[officer.pk])
    assert page.select_one(f"#users a.govuk-link[href='{detail}']")
    assert page.text("#user-count") == "3 users"
    for query in ("PATEL", "essex.gov", "essex-off"):
        found = check_page(page_client.get("/users/", {"q": query}))
        assert [row[0] for row in found.rows("#users")] == ["essex-officer"], query
        assert found.text("#user-count") == f"1 user matching “{query}”"
    nothing = check_page(page_client.get("/users/", {"q": "nobody-at-all"}))
    assert nothing.rows("#users") == [["No users match."]]


def test_the_list_pages_and_refuses_a_search_that_is_too_long(
    page_client: PageClient, admin_user: Any
) -> None:
    for number in range(55):
        make_user(f"user-{number:02}", "viewer")
    client = signed_in(page_client, admin_user)
    first = check_page(client.get("/users/"))
    assert len(first.rows("#users")) == 50
    assert first.texts(".govuk-pagination__item") == ["1", "2"]
    assert first.select_one(".govuk-pagination a[rel=next]").attributes["href"] == "?page=2&q="
    second = check_page(client.get("/users/", {"page": "2"}))
    assert [row[0] for row in second.rows("#users")] == [f"user-{n}" for n in range(49, 55)]
    too_long = client.get("/users/", {"q": "x" * 101})
    assert too_long.status_code == 400
    page = check_page(too_long)
    assert page.title.startswith("Error: Users")
    assert _errors(page) == [("#id_q", SEARCH_TOO_LONG)]


def _create(client: Client, **fields: str) -> Any:
    data = {"username": "jo", "full_name": "Jo Bloggs", "email": "jo@example.gov.uk", "role": "viewer"}
    return client.post(reverse("accounts:user-create"), {**data, **fields})


def test_creating_a_user_gives_a_one_time_set_password_link(page_client: PageClient, admin_user: Any) -> None:
    client = signed_in(page_client, admin_user)
    form = check_page(client.get(reverse("accounts:user-create")))
    assert form.text("h1") == "Create a user"
    assert "You do not choose their password" in form.text("main p.govuk-body")
    assert [o.attributes["value"] for o in form.select("#id_role, [name=role]")][:1] == ["administrator"]
    assert form.select_one("select#id_area option[selected]").text() == "Every area"
    response = _create(client, role="area_officer", area="E10000012")
    user = User.objects.get(username="jo")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password-link", args=[user.pk])
    shown = check_page(client.get(response["Location"]))
    assert shown.text(".govuk-notification-banner__heading") == "Jo Bloggs created"
    link = shown.text("#shown-once")
    assert link.startswith("http://testserver/set-password/")
    assert "works once, for 3 days" in shown.text(".govuk-warning-text__text")
    again = check_page(client.get(response["Location"]))
    assert not again.exists("#shown-once") and again.exists("#already-shown")
    assert not user.has_usable_password()
    assert list(user.role_assignments.values_list("role", "area__ons_code")) == [
        ("area_officer", "E10000012")
    ]
    event = AuditEvent.objects.get(action="user.create", object_id=str(user.pk))
    assert event.actor_label == "admin"

    # the new user chooses their own password with the link, under the password rules
    visitor = PageClient()
    path = link.removeprefix("http://testserver")
    page = check_page(visitor.get(path))
    assert page.text("h1") == "Choose your password"
    assert "at least 10 characters" in page.text("#id_new_password-hint")
    empty = check_page(visitor.post(path, {}))
    assert _errors(empty) == [
        ("#id_new_password", ENTER_NEW_PASSWORD),
        ("#id_confirm_password", ENTER_PASSWORD_AGAIN),
    ]
    differ = check_page(visitor.post(path, {"new_password": "a long passphrase 1", "confirm_password": "x"}))
    assert _errors(differ) == [("#id_confirm_password", PASSWORDS_DIFFER)]
    weak = check_page(visitor.post(path, {"new_password": "password", "confirm_password": "password"}))
    assert _errors(weak) == [
        ("#id_new_password", "This password is too short. It must contain at least 10 characters."),
        ("#id_new_password", "This password is too common."),
    ]
    user.refresh_from_db()
    assert not user.has_usable_password()
    done = visitor.post(
        path, {"new_password": "a long passphrase 1", "confirm_password": "a long passphrase 1"}
    )
    assert done.status_code == 302 and done["Location"] == reverse("accounts:sign-in")
    signed = check_page(visitor.get(done["Location"]))
    assert signed.text(".govuk-notification-banner__heading") == "Your password is set: sign in with it"
    assert visitor.post("/sign-in/", {"username": "jo", "password": "a long passphrase 1"}).status_code == 302
    used = PageClient().get(path)
    assert used.status_code == 404
    assert check_page(used).text("#link-problem") == services.LINK_NOT_VALID
    assert AuditEvent.objects.filter(action="user.password_set", actor=user).count() == 1


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        (
            {"username": "", "full_name": "", "email": "", "role": ""},
            [
                ("#id_username", ENTER_NEW_USERNAME),
                ("#id_full_name", ENTER_FULL_NAME),
                ("#id_email", ENTER_EMAIL),
                ("#id_role", SELECT_ROLE),
            ],
        ),
        ({"email": "not-an-address"}, [("#id_email", EMAIL_INVALID)]),
        ({"role": "superhero"}, [("#id_role", SELECT_ROLE)]),
        ({"role": "area_officer", "area": "E99999999"}, [("#id_area", SELECT_AREA)]),
        ({"role": "area_officer"}, [("#id_area", AREA_REQUIRED)]),
        ({"role": "administrator", "area": "E10000012"}, [("#id_area", services.ADMINISTRATOR_HAS_NO_AREA)]),
        ({"username": "ADMIN"}, [("#id_username", services.USERNAME_TAKEN.format(username="ADMIN"))]),
        ({"full_name": "x" * 151}, [("#id_full_name", "Full name must be 150 characters or less")]),
    ],
)
def test_creating_a_user_with_bad_input_changes_nothing(
    page_client: PageClient, admin_user: Any, fields: dict[str, str], errors: list[tuple[str, str]]
) -> None:
    client = signed_in(page_client, admin_user)
    users, events = User.objects.count(), AuditEvent.objects.count()
    response = _create(client, **fields)
    assert response.status_code == 200
    page = check_page(response)
    assert page.title.startswith("Error: Create a user")
    assert _errors(page) == errors
    assert (User.objects.count(), AuditEvent.objects.count()) == (users, events)


def test_a_username_with_spaces_is_refused_beside_the_field(page_client: PageClient, admin_user: Any) -> None:
    page = check_page(_create(signed_in(page_client, admin_user), username="jo bloggs"))
    [(href, message)] = _errors(page)
    assert href == "#id_username" and message.startswith("Enter a valid username")
    assert not User.objects.filter(username__startswith="jo").exists()


def test_the_user_page_shows_facts_roles_tokens_and_actions(page_client: PageClient, admin_user: Any) -> None:
    user = make_user("sam", "inspector")
    services.role_add(actor=admin_user, user=user, role="area_officer", area=_area("E10000016"))
    token = services.api_token_issue(actor=admin_user, user=user)
    services.api_token_user(token)  # used once
    client = signed_in(page_client, admin_user)
    page = check_page(client.get(reverse("accounts:user-detail", args=[user.pk])))
    assert page.text("h1") == "sam"
    facts = dict(
        zip(
            page.texts("#user-facts .govuk-summary-list__key"),
            page.texts("#user-facts .govuk-summary-list__value"),
            strict=True,
        )
    )
    assert facts["Status"] == "Active" and facts["Password"] == "Set" and facts["Last signed in"] == "Never"
    assert facts["Inspector’s grade"] == "His Majesty's Inspector (HMI), Ofsted"
    assert page.rows("#roles") == [
        ["Area partnership officer", "Kent", "Remove Area partnership officer – Kent"],
        ["Inspector", "Every area", "Remove Inspector – every area"],
    ]
    [row] = page.rows("#tokens")
    assert row[0] == f"{token[:8]}…" and row[2] != "Never" and row[3] == "Active"
    assert token not in page.html  # shown once, never again
    buttons = page.texts("main a.govuk-button")
    assert buttons == ["Give another role", "Create an API token", "Reset password", "Deactivate"]
    own = check_page(client.get(reverse("accounts:user-detail", args=[admin_user.pk])))
    assert own.texts("main a.govuk-button") == ["Give another role", "Create an API token"]
    assert own.text("#own-account").startswith("This is your own account")
    assert client.get(reverse("accounts:user-detail", args=[999999])).status_code == 404


def _area(code: str) -> Any:
    from areasend.areas.models import LocalArea

    return LocalArea.objects.get(ons_code=code)


def test_giving_a_role_and_its_bad_input(page_client: PageClient, admin_user: Any) -> None:
    user = make_user("sam", "viewer")
    client = signed_in(page_client, admin_user)
    url = reverse("accounts:role-add", args=[user.pk])
    events = AuditEvent.objects.count()
    for data, errors in [
        ({}, [("#id_role", SELECT_ROLE)]),
        ({"role": "area_officer"}, [("#id_area", AREA_REQUIRED)]),
        ({"role": "area_officer", "area": "nowhere"}, [("#id_area", SELECT_AREA)]),
    ]:
        page = check_page(client.post(url, data))
        assert page.title.startswith("Error: Give another role"), data
        assert _errors(page) == errors, data
    held = check_page(client.post(url, {"role": "viewer"}))
    assert _summary(held) == [
        services.ROLE_HELD.format(user="sam", role="Read-only viewer (DfE / NHS England)", scope="every area")
    ]
    assert AuditEvent.objects.count() == events
    assert list(user.role_assignments.values_list("role", flat=True)) == ["viewer"]
    response = client.post(url, {"role": "area_officer", "area": "E10000012"})
    assert response["Location"] == reverse("accounts:user-detail", args=[user.pk])
    page = check_page(client.get(response["Location"]))
    assert page.text(".govuk-notification-banner__heading") == "sam is now Area partnership officer – Essex"
    assert ["Area partnership officer", "Essex"] in [row[:2] for row in page.rows("#roles")]
    assert (
        AuditEvent.objects.filter(action="role.assign", object_id=str(user.pk), actor=admin_user).count() == 1
    )


def test_removing_a_role_never_the_last_one_or_the_last_administrators(
    page_client: PageClient, admin_user: Any
) -> None:
    client = signed_in(page_client, admin_user)
    user = make_user("sam", "viewer")
    only = user.role_assignments.get()
    url = reverse("accounts:role-remove", args=[user.pk, only.pk])
    page = check_page(client.get(url))
    assert page.text("h1") == "Remove the role Read-only viewer (DfE / NHS England) – every area?"
    last = check_page(client.post(url))
    assert _summary(last) == [services.LAST_ROLE.format(user="sam")]
    assert user.role_assignments.count() == 1

    services.role_add(actor=admin_user, user=admin_user, role="viewer")
    own = admin_user.role_assignments.get(role="administrator")
    own_url = reverse("accounts:role-remove", args=[admin_user.pk, own.pk])
    refused = check_page(client.post(own_url))
    assert _summary(refused) == [services.LAST_ADMINISTRATOR.format(user="admin")]
    assert RoleAssignment.objects.filter(pk=own.pk).exists()
    assert not AuditEvent.objects.filter(action="role.remove").exists()

    second = services.role_add(actor=admin_user, user=user, role="inspector")
    response = client.post(reverse("accounts:role-remove", args=[user.pk, second.pk]))
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(pk=second.pk).exists()
    assert AuditEvent.objects.get(action="role.remove").changes == {"role": "inspector", "area": None}
    other = make_user("other", "viewer").role_assignments.get()
    assert client.get(reverse("accounts:role-remove", args=[user.pk, other.pk])).status_code == 404


def test_deactivation_refuses_an_open_session_and_an_api_token_at_once(
    page_client: PageClient, admin_user: Any
) -> None:
    user = make_user("leaver", "inspector")
    browser = Client()
    assert browser.post("/sign-in/", {"username": "leaver", "password": PASSWORD}).status_code == 302
    assert browser.get("/areas/").status_code == 200
    token = services.api_token_create(user=user)
    api = {"Authorization": f"Bearer {token}"}
    assert Client().get("/api/areas", headers=api).status_code == 200

    client = signed_in(page_client, admin_user)
    url = reverse("accounts:user-deactivate", args=[user.pk])
    page = check_page(client.get(url))
    assert page.text("h1") == "Deactivate leaver?"
    assert page.select_one("main form button.govuk-button--warning").text().strip() == "Deactivate"
    response = client.post(url)
    assert response.status_code == 302
    done = check_page(client.get(response["Location"]))
    assert done.text(".govuk-notification-banner__heading") == (
        "leaver deactivated: signed out, and 1 API token revoked"
    )
    reactivate = reverse("accounts:user-reactivate", args=[user.pk])
    assert done.exists(f"main a.govuk-button[href='{reactivate}']")

    old_session = browser.get("/areas/")
    assert old_session.status_code == 302 and old_session["Location"].startswith("/sign-in/")
    assert Client().get("/api/areas", headers=api).status_code == 401
    again = PageClient().post("/sign-in/", {"username": "leaver", "password": PASSWORD})
    assert again.status_code == 200
    assert _summary(check_page(again)) == [SIGN_IN_INVALID]
    event = AuditEvent.objects.get(action="user.deactivate")
    assert event.actor == admin_user
    assert event.changes == {"is_active": False, "api_tokens_revoked": 1, "sessions_ended": 1}

    # reactivated, they sign in again with their password; the old session and token stay dead
    client.post(reverse("accounts:user-reactivate", args=[user.pk]))
    assert browser.get("/areas/").status_code == 302
    assert Client().get("/api/areas", headers=api).status_code == 401
    assert Client().post("/sign-in/", {"username": "leaver", "password": PASSWORD}).status_code == 302
    assert AuditEvent.objects.filter(action="user.reactivate", actor=admin_user).count() == 1


def test_an_administrator_cannot_deactivate_themselves(page_client: PageClient, admin_user: Any) -> None:
    client = signed_in(page_client, admin_user)
    response = client.post(reverse("accounts:user-deactivate", args=[admin_user.pk]))
    assert response.status_code == 200
    page = check_page(response)
    assert page.title.startswith("Error: Deactivate admin?")
    assert _summary(page) == [services.CANNOT_DEACTIVATE_YOURSELF]
    admin_user.refresh_from_db()
    assert admin_user.is_active
    assert client.get("/users/").status_code == 200  # still signed in
    assert not AuditEvent.objects.filter(action="user.deactivate").exists()
    active = check_page(client.post(reverse("accounts:user-reactivate", args=[admin_user.pk])))
    assert _summary(active) == [services.ALREADY_ACTIVE.format(user="admin")]
    reset = check_page(client.post(reverse("accounts:password-reset", args=[admin_user.pk])))
    assert _summary(reset) == [services.CANNOT_RESET_YOUR_OWN_PASSWORD]
    admin_user.refresh_from_db()
    assert admin_user.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action="user.password_reset").exists()


def test_resetting_a_password_signs_them_out_and_shows_a_new_link(
    page_client: PageClient, admin_user: Any
) -> None:
    user = make_user("forgetful", "viewer")
    browser = Client()
    browser.post("/sign-in/", {"username": "forgetful", "password": PASSWORD})
    client = signed_in(page_client, admin_user)
    url = reverse("accounts:password-reset", args=[user.pk])
    assert "stops working at once" in check_page(client.get(url)).text("main p.govuk-body")
    response = client.post(url)
    assert response["Location"] == reverse("accounts:password-link", args=[user.pk])
    shown = check_page(client.get(response["Location"]))
    link = shown.text("#shown-once").removeprefix("http://testserver")
    assert browser.get("/areas/").status_code == 302
    assert Client().post("/sign-in/", {"username": "forgetful", "password": PASSWORD}).status_code == 200
    assert check_page(PageClient().get(link)).text("h1") == "Choose your password"
    assert AuditEvent.objects.get(action="user.password_reset").changes == {"sessions_ended": 1}


def test_api_tokens_are_shown_once_and_revoked_at_once(page_client: PageClient, admin_user: Any) -> None:
    user = make_user("robot", "viewer")
    client = signed_in(page_client, admin_user)
    create = reverse("accounts:token-create", args=[user.pk])
    assert "shown once" in check_page(client.get(create)).text("main p.govuk-body")
    response = client.post(create)
    assert response["Location"] == reverse("accounts:token-created", args=[user.pk])
    shown = check_page(client.get(response["Location"]))
    token = shown.text("#shown-once")
    assert ApiToken.objects.get(user=user).key_hash == hash_token(token)
    assert not ApiToken.objects.filter(key_hash=token).exists()
    assert check_page(client.get(response["Location"])).exists("#already-shown")
    api = {"Authorization": f"Bearer {token}"}
    assert Client().get("/api/areas", headers=api).status_code == 200

    stored = ApiToken.objects.get(user=user)
    revoke = reverse("accounts:token-revoke", args=[user.pk, stored.pk])
    assert check_page(client.get(revoke)).text("h1") == f"Revoke the API token starting {token[:8]}?"
    assert client.post(revoke).status_code == 302
    assert Client().get("/api/areas", headers=api).status_code == 401
    page = check_page(client.get(reverse("accounts:user-detail", args=[user.pk])))
    assert page.rows("#tokens")[0][3].startswith("Revoked")
    twice = check_page(client.post(revoke))
    assert _summary(twice) == [services.TOKEN_ALREADY_REVOKED]
    assert list(
        AuditEvent.objects.filter(object_id=str(user.pk), action__startswith="api_token")
        .order_by("pk")
        .values_list("action", "actor_label")
    ) == [("api_token.create", "admin"), ("api_token.revoke", "admin")]


def test_a_broken_set_password_link_says_what_to_do() -> None:
    make_user("someone", "viewer")
    client = PageClient()
    for key in ("MQ.not-a-token", "nonsense"):
        response = client.get(reverse("accounts:set-password", args=[key]))
        assert response.status_code == 404
        page = check_page(response)
        assert page.text("h1") == "This link does not work"
        assert not page.exists("main form")
        assert client.post(reverse("accounts:set-password", args=[key]), {}).status_code == 404
