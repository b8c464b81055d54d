"""The user administration services: each checks its actor through the access policy, keeps the last
administrator, and writes its audit row in the same transaction as the change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client

from areasend.access import AccessDenied, Action, decide
from areasend.access.policy import ADMINISTRATORS_ONLY, NO_PERMISSION, RULES
from areasend.accounts import selectors, services
from areasend.accounts.models import AREA_REQUIRED, ApiToken, RoleAssignment, hash_token
from areasend.areas.models import LocalArea
from areasend.conftest import make_user
from areasend.core.models import AuditEvent

pytestmark = pytest.mark.django_db

REFUSED = NO_PERMISSION.format(what=RULES[Action.USERS_MANAGE].what)


def _essex() -> LocalArea:
    return LocalArea.objects.get(ons_code="E10000012")


def _calls(target: User) -> list[tuple[str, Callable[[User], Any]]]:
    token = ApiToken.objects.get(key_hash=hash_token(services.api_token_create(user=target)))
    assignment = RoleAssignment.objects.filter(user=target).first()
    assert assignment is not None
    return [
        (
            "user_add",
            lambda a: services.user_add(
                actor=a, username="new", full_name="New Person", email="n@example.com", role="viewer"
            ),
        ),
        ("role_add", lambda a: services.role_add(actor=a, user=target, role="inspector")),
        ("role_remove", lambda a: services.role_remove(actor=a, assignment=assignment)),
        ("user_deactivate", lambda a: services.user_deactivate(actor=a, user=target)),
        ("user_reactivate", lambda a: services.user_reactivate(actor=a, user=target)),
        ("password_reset", lambda a: services.password_reset(actor=a, user=target)),
        ("api_token_issue", lambda a: services.api_token_issue(actor=a, user=target)),
        ("api_token_revoke", lambda a: services.api_token_revoke(actor=a, token=token)),
    ]


def test_every_administration_service_refuses_anyone_but_an_administrator(
    inspector: Any, viewer: Any, essex_officer: Any
) -> None:
    target = make_user("target", "viewer")
    calls = _calls(target)
    assert len(calls) == 8
    for actor in (inspector, viewer, essex_officer):
        for name, call in calls:
            before = AuditEvent.objects.count()
            with pytest.raises(AccessDenied) as refused:
                call(actor)
            assert str(refused.value) == REFUSED, name
            assert AuditEvent.objects.count() == before, name
    target.refresh_from_db()
    assert target.is_active and list(target.role_assignments.values_list("role", flat=True)) == ["viewer"]
    assert not User.objects.filter(username="new").exists()
    for actor in (inspector, viewer, essex_officer):  # and they read nobody through the selectors
        assert not selectors.users_for_administration(viewer=actor).exists()
        assert selectors.user_for_administration(viewer=actor, pk=target.pk) is None


def test_an_administrator_whose_role_was_removed_meanwhile_is_refused(admin_user: Any) -> None:
    other = make_user("other-admin", "administrator")
    services.role_add(actor=other, user=admin_user, role="viewer")
    # this request read `admin_user` as an administrator; then another administrator took the role away
    assert decide(admin_user, Action.USERS_MANAGE, None)
    elsewhere = RoleAssignment.objects.get(user_id=admin_user.pk, role="administrator")  # another request
    services.role_remove(actor=other, assignment=elsewhere)
    with pytest.raises(AccessDenied, match=ADMINISTRATORS_ONLY):
        services.user_deactivate(actor=admin_user, user=other)
    other.refresh_from_db()
    assert other.is_active


def test_user_add_creates_one_role_no_password_and_a_working_link(admin_user: Any) -> None:
    user, link = services.user_add(
        actor=admin_user,
        username=" jo.bloggs ",
        full_name="Jo Bloggs",
        email="jo@example.gov.uk",
        role="area_officer",
        area=_essex(),
    )
    assert (user.username, user.get_full_name(), user.email) == (
        "jo.bloggs",
        "Jo Bloggs",
        "jo@example.gov.uk",
    )
    assert not user.has_usable_password()
    assert list(user.role_assignments.values_list("role", "area__ons_code")) == [
        ("area_officer", "E10000012")
    ]
    assert services.user_for_set_password_key(link.split("/")[-2]) == user
    event = AuditEvent.objects.get(action="user.create", object_id=str(user.pk))
    assert event.actor == admin_user
    assert event.changes == {"role": "area_officer", "area": "E10000012", "email": "jo@example.gov.uk"}


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"role": "area_officer"}, "area", AREA_REQUIRED),
        ({"role": "administrator", "area": "essex"}, "area", services.ADMINISTRATOR_HAS_NO_AREA),
        ({"username": "ADMIN"}, "username", services.USERNAME_TAKEN.format(username="ADMIN")),
        ({"username": "no spaces"}, "username", None),
    ],
)
def test_user_add_refuses_bad_input_and_creates_nothing(
    admin_user: Any, fields: dict[str, Any], field: str, message: str | None
) -> None:
    values: dict[str, Any] = {"username": "someone", "full_name": "Some One", "email": "s@example.com"}
    values |= {"role": "viewer", **fields}
    if values.get("area") == "essex":
        values["area"] = _essex()
    users, events = User.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.user_add(actor=admin_user, **values)
    assert field in refused.value.message_dict
    if message is not None:
        assert refused.value.message_dict[field] == [message]
    assert (User.objects.count(), AuditEvent.objects.count()) == (users, events)


def test_role_add_and_remove_with_their_rules(admin_user: Any) -> None:
    user = make_user("officer", "area_officer", "E10000012")
    kent = LocalArea.objects.get(ons_code="E10000016")
    added = services.role_add(actor=admin_user, user=user, role="area_officer", area=kent)
    with pytest.raises(ValidationError) as held:
        services.role_add(actor=admin_user, user=user, role="area_officer", area=kent)
    assert held.value.messages == [
        services.ROLE_HELD.format(user="officer", role="Area partnership officer", scope="Kent")
    ]
    with pytest.raises(ValidationError) as no_area:
        services.role_add(actor=admin_user, user=user, role="area_officer")
    assert no_area.value.message_dict == {"area": [AREA_REQUIRED]}
    services.role_remove(actor=admin_user, assignment=added)
    only = user.role_assignments.get()
    with pytest.raises(ValidationError) as last:
        services.role_remove(actor=admin_user, assignment=only)
    assert last.value.messages == [services.LAST_ROLE.format(user="officer")]
    assert list(
        AuditEvent.objects.filter(object_id=str(user.pk)).order_by("pk").values_list("action", "changes")
    ) == [
        ("user.create", {"role": "area_officer", "area": "E10000012"}),
        ("role.assign", {"role": "area_officer", "area": "E10000016"}),
        ("role.remove", {"role": "area_officer", "area": "E10000016"}),
    ]


def test_the_last_administrator_keeps_their_administrator_role(admin_user: Any) -> None:
    services.role_add(actor=admin_user, user=admin_user, role="viewer")
    own = admin_user.role_assignments.get(role="administrator")
    with pytest.raises(ValidationError) as last:
        services.role_remove(actor=admin_user, assignment=own)
    assert last.value.messages == [services.LAST_ADMINISTRATOR.format(user="admin")]
    assert admin_user.role_assignments.filter(role="administrator").exists()
    # with a second active administrator it may go; a deactivated one does not count
    second = make_user("second-admin", "administrator")
    services.user_deactivate(actor=admin_user, user=second)
    with pytest.raises(ValidationError):
        services.role_remove(actor=admin_user, assignment=own)
    services.user_reactivate(actor=admin_user, user=second)
    services.role_remove(actor=admin_user, assignment=own)
    assert not admin_user.role_assignments.filter(role="administrator").exists()


def test_nobody_deactivates_themselves(admin_user: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        services.user_deactivate(actor=admin_user, user=admin_user)
    assert refused.value.messages == [services.CANNOT_DEACTIVATE_YOURSELF]
    admin_user.refresh_from_db()
    assert admin_user.is_active
    assert not AuditEvent.objects.filter(action="user.deactivate").exists()


def test_deactivation_ends_sessions_and_revokes_tokens_in_one_audited_change(admin_user: Any) -> None:
    user = make_user("leaver", "inspector")
    browser = Client()
    assert browser.post("/sign-in/", {"username": "leaver", "password": "correct-horse-9"}).status_code == 302
    session_key = browser.session.session_key
    other = Client()
    other.force_login(make_user("stayer", "inspector"))
    tokens = [services.api_token_create(user=user) for _ in range(2)]
    ended = services.user_deactivate(actor=admin_user, user=user)
    assert ended == {"api_tokens_revoked": 2, "sessions_ended": 1}
    assert not Session.objects.filter(session_key=session_key).exists()
    assert Session.objects.filter(session_key=other.session.session_key).exists()  # only theirs end
    assert all(t.revoked_at is not None for t in ApiToken.objects.filter(user=user))
    assert all(services.api_token_user(t) is None for t in tokens)
    event = AuditEvent.objects.get(action="user.deactivate")
    assert event.actor == admin_user and event.changes == {"is_active": False, **ended}
    with pytest.raises(ValidationError) as again:
        services.user_deactivate(actor=admin_user, user=user)
    assert again.value.messages == [services.ALREADY_DEACTIVATED.format(user="leaver")]


def test_password_reset_stops_the_old_password_and_old_links(admin_user: Any) -> None:
    user = make_user("forgetful", "viewer")
    first = services.password_reset(actor=admin_user, user=user)
    second = services.password_reset(actor=admin_user, user=user)
    user.refresh_from_db()
    assert not user.check_password("correct-horse-9")
    assert services.user_for_set_password_key(first.split("/")[-2]) is None
    key = second.split("/")[-2]
    assert services.user_for_set_password_key(key) == user
    with pytest.raises(ValidationError) as weak:
        services.password_set(key=key, password="forgetful1")
    assert "new_password" in weak.value.message_dict
    services.password_set(key=key, password="a long new passphrase 7")
    user.refresh_from_db()
    assert user.check_password("a long new passphrase 7")
    with pytest.raises(ValidationError) as used:
        services.password_set(key=key, password="another passphrase 8")
    assert used.value.messages == [services.LINK_NOT_VALID]
    assert list(
        AuditEvent.objects.filter(object_id=str(user.pk)).order_by("pk").values_list("action", "actor_label")
    ) == [
        ("user.create", "system"),
        ("user.password_reset", "admin"),
        ("user.password_reset", "admin"),
        ("user.password_set", "forgetful"),
    ]


def test_a_deactivated_users_link_and_tokens_are_refused(admin_user: Any) -> None:
    user = make_user("gone", "viewer")
    link = services.password_reset(actor=admin_user, user=user)
    services.user_deactivate(actor=admin_user, user=user)
    assert services.user_for_set_password_key(link.split("/")[-2]) is None
    for call in (services.api_token_issue, services.password_reset):
        with pytest.raises(ValidationError) as refused:
            call(actor=admin_user, user=user)
        assert refused.value.messages == [services.DEACTIVATED_USER.format(user="gone")]
    assert not ApiToken.objects.filter(user=user).exists()


def test_api_tokens_are_stored_as_hashes_and_revoked_once(admin_user: Any) -> None:
    user = make_user("robot", "viewer")
    token = services.api_token_issue(actor=admin_user, user=user)
    stored = ApiToken.objects.get(user=user)
    assert stored.key_hash == hash_token(token) and token not in (stored.key_hash, stored.prefix)
    assert stored.prefix == token[:8]
    assert services.api_token_user(token) == user
    services.api_token_revoke(actor=admin_user, token=stored)
    assert services.api_token_user(token) is None
    with pytest.raises(ValidationError) as again:
        services.api_token_revoke(actor=admin_user, token=stored)
    assert again.value.messages == [services.TOKEN_ALREADY_REVOKED]
    assert list(
        AuditEvent.objects.filter(object_id=str(user.pk), action__startswith="api_token")
        .order_by("pk")
        .values_list("action", "changes")
    ) == [("api_token.create", {"prefix": token[:8]}), ("api_token.revoke", {"prefix": token[:8]})]


@pytest.mark.parametrize("key", ["", "nothing", "MQ.not-a-token", "!!!.x", "OTk5OTk.1-abc"])
def test_malformed_or_unknown_set_password_keys_find_nobody(key: str) -> None:
    make_user("someone", "viewer")
    assert services.user_for_set_password_key(key) is None
    with pytest.raises(ValidationError) as refused:
        services.password_set(key=key, password="a long new passphrase 7")
    assert refused.value.messages == [services.LINK_NOT_VALID]
