"""Stale edits are refused: every change adds one to the inspection's version, and an edit made from a
page or API read of an older version is refused with a message instead of overwriting what changed."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils.html import escape

from areasend.areas.models import LocalArea, Partner
from areasend.conftest import PageClient, api_headers, signed_in, walk_to
from areasend.core.models import AuditEvent
from areasend.inspections import services
from areasend.inspections.api import BAD_IF_MATCH
from areasend.inspections.models import Inspection
from areasend.inspections.services import STALE_INSPECTION, StaleVersion

D = dt.date
ESSEX = "E10000012"


def _inspection(frameworks: Any, team: dict[str, Any]) -> Inspection:
    inspection = services.inspection_create(
        area=LocalArea.objects.get(ons_code=ESSEX),
        framework_version=frameworks["local-area-send-2016"],
        actor=team["admin"],
    )
    services.team_assign(inspection=inspection, user=team["lead"], role="lead_hmi", actor=team["admin"])
    return inspection


def _stored_version(inspection: Inspection) -> int:
    return Inspection.objects.values_list("version", flat=True).get(pk=inspection.pk)


def _audit_count(inspection: Inspection) -> int:
    return AuditEvent.objects.filter(
        object_type="inspections.inspection", object_id=str(inspection.pk)
    ).count()


def _la(inspection: Inspection) -> list[Partner]:
    return list(inspection.area.partners.filter(kind=Partner.LOCAL_AUTHORITY))


# Each service that changes an inspection, as a call taking (inspection, team, expected_version).
CHANGES: dict[str, Callable[[Inspection, dict[str, Any], int | None], Any]] = {
    "inspection_move": lambda i, t, v: services.inspection_move(
        inspection=i, target="notified", on=D(2019, 9, 23), actor=t["lead"], expected_version=v
    ),
    "event_record": lambda i, t, v: services.event_record(
        inspection=i, name="notified", on=D(2019, 9, 23), actor=t["lead"], expected_version=v
    ),
    "outcome_record": lambda i, t, v: services.outcome_record(
        inspection=i, outcome="wsoa_required", actor=t["lead"], expected_version=v
    ),
    "team_assign": lambda i, t, v: services.team_assign(
        inspection=i, user=t["cqc"], role="cqc_inspector", actor=t["admin"], expected_version=v
    ),
    "team_remove": lambda i, t, v: services.team_remove(
        inspection=i, user=t["lead"], actor=t["admin"], expected_version=v
    ),
    "activity_add": lambda i, t, v: services.activity_add(
        inspection=i,
        actor=t["lead"],
        expected_version=v,
        on=D(2019, 9, 30),
        starts_at=dt.time(9),
        ends_at=dt.time(10),
        activity_type="leaders_meeting",
        title="Set-up meeting",
    ),
    "finding_add": lambda i, t, v: services.finding_add(
        inspection=i,
        kind="significant_weakness",
        text="Weakness",
        responsible=_la(i),
        actor=t["lead"],
        expected_version=v,
    ),
    "sign_off": lambda i, t, v: services.sign_off(
        inspection=i, inspectorate="Ofsted", actor=t["lead"], expected_version=v
    ),
}


def _ready_for(name: str, inspection: Inspection, team: dict[str, Any]) -> None:
    """Take the inspection to the stage the framework allows the change in."""
    lead = team["lead"]
    if name in ("outcome_record", "finding_add", "sign_off"):
        walk_to(inspection, "drafting", lead)
    if name in ("finding_add", "sign_off"):
        services.outcome_record(inspection=inspection, outcome="wsoa_required", actor=lead)
    if name == "sign_off":
        services.finding_add(
            inspection=inspection,
            kind="significant_weakness",
            text="W",
            responsible=_la(inspection),
            actor=lead,
        )
        services.inspection_move(inspection=inspection, target="quality_assurance", actor=lead)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(CHANGES))
def test_every_change_adds_one_to_the_version_and_a_stale_one_is_refused(name, frameworks, team) -> None:  # type: ignore[no-untyped-def]
    inspection = _inspection(frameworks, team)
    _ready_for(name, inspection, team)
    read = _stored_version(inspection)
    audited = _audit_count(inspection)

    with pytest.raises(StaleVersion) as caught:
        CHANGES[name](inspection, team, read - 1)
    assert str(caught.value) == STALE_INSPECTION
    assert _stored_version(inspection) == read
    assert _audit_count(inspection) == audited  # nothing was done, so nothing is in the log

    CHANGES[name](inspection, team, read)
    assert _stored_version(inspection) == inspection.version == read + 1
    assert _audit_count(inspection) > audited


@pytest.mark.django_db
def test_a_write_without_a_version_is_checked_on_the_stored_state_only(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    inspection = walk_to(_inspection(frameworks, team), "drafting", team["lead"])
    before = _stored_version(inspection)
    services.outcome_record(inspection=inspection, outcome="wsoa_required", actor=team["lead"])
    assert _stored_version(inspection) == before + 1
    # a refusal by the rules changes no version
    with pytest.raises(services.InspectionError):
        services.inspection_move(inspection=inspection, target="published", actor=team["lead"])
    assert _stored_version(inspection) == before + 1


@pytest.mark.django_db
def test_notes_and_conflicts_change_no_version(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    inspection = _inspection(frameworks, team)
    before = _stored_version(inspection)
    services.note_add(inspection=inspection, text="A working note", actor=team["lead"])
    services.conflict_declare(
        inspector=team["other_inspector"], area=inspection.area, reason="Worked there", actor=team["admin"]
    )
    assert _stored_version(inspection) == before


# --- the API -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_returns_the_version_and_refuses_a_stale_if_match_with_409(client, frameworks, team) -> None:  # type: ignore[no-untyped-def]
    inspection = _inspection(frameworks, team)
    lead = api_headers(team["lead"])
    read = client.get(f"/api/inspections/{inspection.pk}", headers=lead)
    version = read.json()["version"]
    assert read["ETag"] == f'"{version}"'
    assert [i["version"] for i in client.get("/api/inspections", headers=lead).json()] == [version]

    # someone else adds to the team; a write based on the earlier read is refused
    services.team_assign(inspection=inspection, user=team["cqc"], role="cqc_inspector", actor=team["admin"])
    audited = _audit_count(inspection)
    stale = client.post(
        f"/api/inspections/{inspection.pk}/moves",
        {"target": "notified", "on": "2019-09-23"},
        content_type="application/json",
        headers={**lead, "If-Match": read["ETag"]},
    )
    assert stale.status_code == 409
    assert stale.json() == {"detail": STALE_INSPECTION}
    inspection.refresh_from_db()
    assert inspection.state == "planned" and inspection.version == version + 1
    assert _audit_count(inspection) == audited

    # read again, decide again: the current version is accepted and the response gives the next one
    current = client.get(f"/api/inspections/{inspection.pk}", headers=lead)["ETag"]
    moved = client.post(
        f"/api/inspections/{inspection.pk}/moves",
        {"target": "notified", "on": "2019-09-23"},
        content_type="application/json",
        headers={**lead, "If-Match": current},
    )
    assert moved.status_code == 200, moved.content
    assert moved.json()["state"] == "notified" and moved.json()["version"] == version + 2
    assert moved["ETag"] == f'"{version + 2}"'

    # a weak ETag and a bare number name a version too; "*" and no If-Match name none
    event = {"name": "on_site_start", "on": "2019-09-30"}
    for if_match, status in (('W/"' + str(version + 2) + '"', 200), (str(version + 2), 409), ("*", 200)):
        response = client.post(
            f"/api/inspections/{inspection.pk}/events",
            event,
            content_type="application/json",
            headers={**lead, "If-Match": if_match},
        )
        assert response.status_code == status, (if_match, response.content)
    without = client.post(
        f"/api/inspections/{inspection.pk}/events", event, content_type="application/json", headers=lead
    )
    assert without.status_code == 200 and without.json()["version"] == version + 5
    assert without["ETag"] == f'"{version + 5}"'

    bad = client.post(
        f"/api/inspections/{inspection.pk}/events",
        event,
        content_type="application/json",
        headers={**lead, "If-Match": "yesterday"},
    )
    assert bad.status_code == 400
    assert bad.json() == {"detail": BAD_IF_MATCH.format(value="yesterday")}
    superscript = client.post(
        f"/api/inspections/{inspection.pk}/events",
        event,
        content_type="application/json",
        headers={**lead, "If-Match": '"²"'},
    )
    assert superscript.status_code == 400  # a digit to Unicode, but not a version
    assert superscript.json() == {"detail": BAD_IF_MATCH.format(value='"²"')}


@pytest.mark.django_db
def test_a_partner_named_by_something_that_is_not_an_id_or_a_code_is_refused(
    client: Any, frameworks: Any, team: dict[str, Any]
) -> None:
    from areasend.inspections.api import UNKNOWN_PARTNER

    inspection = walk_to(_inspection(frameworks, team), "drafting", team["lead"])
    services.outcome_record(inspection=inspection, outcome="wsoa_required", actor=team["lead"])
    response = client.post(
        f"/api/inspections/{inspection.pk}/findings",
        {"kind": "significant_weakness", "text": "Weakness", "responsible": ["²"]},
        content_type="application/json",
        headers=api_headers(team["lead"]),
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": UNKNOWN_PARTNER.format(code="²", area=inspection.area.name, ons_code=ESSEX)
    }
    assert not inspection.findings.exists()


@pytest.mark.django_db
def test_the_openapi_schema_documents_if_match_and_409(client) -> None:  # type: ignore[no-untyped-def]
    schema = client.get("/api/openapi.json").json()
    assert "If-Match" in schema["info"]["description"]
    move = schema["paths"]["/api/inspections/{pk}/moves"]["post"]
    assert any(p["in"] == "header" and p["name"] == "If-Match" for p in move["parameters"])
    assert "409" in move["responses"]
    submit = schema["paths"]["/api/plans/{pk}/submissions"]["post"]
    assert "409" in submit["responses"]


# --- the pages -----------------------------------------------------------------------------------


def _errors(response: Any) -> list[str]:
    html = response.content.decode()
    summary = re.search(r'<ul class="govuk-list govuk-error-summary__list">(.*?)</ul>', html, re.S)
    if summary is None:
        return []
    return [
        re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li>(.*?)</li>", summary.group(1), re.S)
    ]


def _hidden_version(response: Any) -> int | None:
    found = re.search(r'<input type="hidden" name="version" value="(\d+)">', response.content.decode())
    return int(found.group(1)) if found else None


@pytest.mark.django_db
def test_every_form_that_changes_the_inspection_carries_its_version(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    inspection = _inspection(frameworks, team)
    admin = signed_in(PageClient(), team["admin"])
    base = f"/inspections/{inspection.pk}/"
    version = _stored_version(inspection)
    for page in (
        "move/notified/",
        "events/",
        "outcome/",
        "team/",
        f"team/{team['lead'].pk}/remove/",
        "activities/",
        "findings/",
        "sign-offs/",
    ):
        assert _hidden_version(admin.get(base + page)) == version, page
    for page in ("notes/", "conflicts/"):  # these change no inspection
        assert _hidden_version(admin.get(base + page)) is None, page

    # postponing has its own page, which carries it too
    services.inspection_move(inspection=inspection, target="notified", on=D(2019, 9, 23), actor=team["lead"])
    assert f'href="{base}postpone/"' in admin.get(base).content.decode()
    assert _hidden_version(admin.get(base + "postpone/")) == version + 1

    # and so do the move buttons on the inspection's own page
    services.inspection_move(inspection=inspection, target="on_site", on=D(2019, 9, 30), actor=team["lead"])
    services.inspection_move(inspection=inspection, target="drafting", on=D(2019, 10, 4), actor=team["lead"])
    detail = admin.get(base).content.decode()
    button = re.search(
        rf'<form method="post" action="{base}move/quality_assurance/">(.*?)</form>', detail, re.S
    )
    assert button is not None
    assert f'<input type="hidden" name="version" value="{version + 3}">' in button.group(1)


@pytest.mark.django_db
def test_a_page_opened_before_someone_else_changed_the_inspection_is_refused(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    inspection = walk_to(_inspection(frameworks, team), "drafting", team["lead"])
    lead = signed_in(PageClient(), team["lead"])
    base = f"/inspections/{inspection.pk}/"
    opened = _hidden_version(lead.get(base + "outcome/"))
    assert opened == _stored_version(inspection)

    # meanwhile another inspector records the outcome
    services.outcome_record(inspection=inspection, outcome="wsoa_not_required", actor=team["lead"])
    audited = _audit_count(inspection)
    refused = lead.post(base + "outcome/", {"outcome": "wsoa_required", "version": opened})
    assert refused.status_code == 200
    assert _errors(refused) == [escape(STALE_INSPECTION)]
    inspection.refresh_from_db()
    assert inspection.outcome == "wsoa_not_required" and _audit_count(inspection) == audited
    # the page now shows what is stored, with its version: sending it again is a fresh decision
    assert _hidden_version(refused) == inspection.version == opened + 1
    again = lead.post(base + "outcome/", {"outcome": "wsoa_required", "version": inspection.version})
    assert again.status_code == 302, _errors(again)
    inspection.refresh_from_db()
    assert inspection.outcome == "wsoa_required" and inspection.version == opened + 2

    # a form sent back for a mistake keeps the version it was opened with, so the edit is still checked
    kept = lead.post(base + "outcome/", {"outcome": "", "version": opened})
    assert kept.status_code == 200 and _errors(kept)
    assert _hidden_version(kept) == opened
    # a move the rules refuse says why, not that the page is stale
    guard = lead.post(base + "move/published/", {"on": "23/12/2019", "version": inspection.version})
    assert _errors(guard) == [
        escape(
            services.NO_SUCH_TRANSITION.format(
                current="Drafting the outcome letter",
                target="Published",
                framework=frameworks["local-area-send-2016"].title,
            )
        )
    ]
    assert _stored_version(inspection) == opened + 2

    # a version the page never wrote cannot be checked, so it is refused; a post without one is allowed
    for unreadable in ("x", "²", "-1"):
        posted = {"name": "notified", "on": "23/9/2019", "version": unreadable}
        assert _errors(lead.post(base + "events/", posted)) == [escape(STALE_INSPECTION)]
    assert lead.post(base + "events/", {"name": "notified", "on": "23/9/2019"}).status_code == 302
    assert services.inspection_events(inspection)["notified"] == D(2019, 9, 23)
