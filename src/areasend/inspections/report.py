"""The report's findings and its sign-off by each inspectorate: recorded in the stages the framework
names (see ``stages``), by the team, on the locked inspection."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from areasend.access import Action, check
from areasend.areas.models import Partner
from areasend.core import audit
from areasend.domain.frameworks import Framework
from areasend.frameworks.selectors import term_labels

from .errors import InspectionError
from .frameworks import framework_of
from .locking import count_change, lock_inspection
from .models import Finding, Inspection, SignOff
from .stages import (
    CLOSED_ONCE_PUBLISHED,
    NOT_THE_SIGNATORY,
    check_record_stage,
    check_sign_off_stage,
    state_label,
)

# Guard messages: tests import and assert these exactly.
FINDING_KIND_NOT_ALLOWED = "{kind} is not a finding of {framework}{when}."
PARTNER_NOT_IN_AREA = "{partner} is not a partner of {area}."
NOT_A_SIGN_OFF_ORGANISATION = (
    "'{inspectorate}' does not sign off reports under {framework}: use one of {organisations}."
)
NOT_IN_TEAM_FOR_SIGN_OFF = "Only a member of the team from {inspectorate} can sign off for {inspectorate}."
ALREADY_SIGNED = "{inspectorate} has already signed off this report."


def finding_kinds(framework: Framework, outcome: str) -> dict[str, str]:
    """The kinds of finding the framework records, each with the outcome it needs ('' for any)."""
    kinds: dict[str, str] = {}
    for kind in framework.finding_kinds:
        outcomes = kind.when.get("outcome", ())
        kinds[kind.key] = outcomes[0] if outcomes else ""
    return kinds


def finding_add(
    *,
    inspection: Inspection,
    kind: str,
    text: str,
    responsible: Iterable[Partner],
    actor: User,
    expected_version: int | None = None,
) -> Finding:
    """Add a finding; its number is allocated on the locked inspection, so findings added at the same
    moment are numbered one after another."""
    check(actor, Action.INSPECTION_CHANGE, inspection)
    framework = framework_of(inspection)
    partners = list(responsible)
    for partner in partners:
        if partner.area_id != inspection.area_id:
            raise InspectionError(PARTNER_NOT_IN_AREA.format(partner=partner.name, area=inspection.area.name))
    with transaction.atomic():
        lock_inspection(inspection, expected_version=expected_version)
        check_record_stage(inspection, framework, "findings", "Findings")
        kinds = finding_kinds(framework, inspection.outcome)
        if kind not in kinds:
            raise InspectionError(
                FINDING_KIND_NOT_ALLOWED.format(kind=kind, framework=framework.title, when="")
            )
        needed_outcome = kinds[kind]
        if needed_outcome and inspection.outcome != needed_outcome:
            label = framework.outcome(needed_outcome)
            raise InspectionError(
                FINDING_KIND_NOT_ALLOWED.format(
                    kind=term_labels(inspection.framework_id, "finding_kind").get(kind, kind),
                    framework=framework.title,
                    when=f" unless the outcome is '{label.label if label else needed_outcome}'",
                )
            )
        number = (
            inspection.findings.filter(kind=kind).order_by("-number").values_list("number", flat=True).first()
            or 0
        ) + 1
        finding = Finding(inspection=inspection, kind=kind, number=number, text=text)
        finding.full_clean()
        finding.save()
        finding.responsible.set(partners)
        count_change(inspection)
        audit.record(
            actor=actor,
            action="inspection.finding_add",
            obj=inspection,
            changes={
                "finding": finding.pk,
                "kind": kind,
                "number": number,
                "responsible": [p.name for p in partners],
            },
        )
    return finding


def sign_off(
    *, inspection: Inspection, inspectorate: str, actor: User, expected_version: int | None = None
) -> SignOff:
    check(actor, Action.INSPECTION_CHANGE, inspection)
    framework = framework_of(inspection)
    if inspectorate not in framework.sign_off_organisations:
        raise InspectionError(
            NOT_A_SIGN_OFF_ORGANISATION.format(
                inspectorate=inspectorate,
                framework=framework.title,
                organisations=", ".join(sorted(framework.sign_off_organisations)),
            )
        )
    roles = {r.key: r for r in framework.team_roles}
    organisations = {key: role.organisation for key, role in roles.items()}
    try:
        with transaction.atomic():
            lock_inspection(inspection, expected_version=expected_version)
            if framework.is_published(inspection.state):
                raise InspectionError(
                    CLOSED_ONCE_PUBLISHED.format(
                        what="Sign-off", state=state_label(framework, inspection.state)
                    )
                )
            check_sign_off_stage(inspection, framework)
            rule = framework.sign_off
            signatory = rule.signatory(inspectorate) if rule is not None else None
            if signatory is not None:
                if not inspection.team.filter(user=actor, role=signatory).exists():
                    raise InspectionError(
                        NOT_THE_SIGNATORY.format(role=roles[signatory].title, inspectorate=inspectorate)
                    )
            elif inspectorate not in {organisations.get(m.role) for m in inspection.team.filter(user=actor)}:
                raise InspectionError(NOT_IN_TEAM_FOR_SIGN_OFF.format(inspectorate=inspectorate))
            if inspection.sign_offs.filter(inspectorate=inspectorate).exists():
                raise InspectionError(ALREADY_SIGNED.format(inspectorate=inspectorate))
            signed = SignOff.objects.create(inspection=inspection, inspectorate=inspectorate, user=actor)
            count_change(inspection)
            audit.record(
                actor=actor,
                action="inspection.sign_off",
                obj=inspection,
                changes={"inspectorate": inspectorate},
            )
    except IntegrityError:
        raise InspectionError(ALREADY_SIGNED.format(inspectorate=inspectorate)) from None
    return signed
