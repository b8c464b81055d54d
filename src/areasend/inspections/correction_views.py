"""Pages of one recorded date, decision, outcome or finding: what is recorded, its history, and the
forms that correct or withdraw it (each calls one service of `corrections`; a refusal shows in the
GOV.UK error summary with the service's message and nothing changes).

An inspection the viewer may not see is a 404; the forms need the team's access (403 otherwise)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.urls import reverse

from areasend.core.forms import date_text
from areasend.core.permissions import SignedInRequest, requires

from . import corrections, selectors, services
from .correction_forms import EventCorrectForm, FindingCorrectForm, OutcomeCorrectForm, WithdrawForm
from .corrections import OUTCOME, correction_refusal, event_label, withdrawal_refusal
from .frameworks import framework_of
from .models import Finding, Inspection
from .pages import VERSION_FIELD, changeable_inspection, inspection_form_page, posted, visible_inspection
from .record_history import event_history, event_value_words, finding_history
from .record_pages import link, record_page

NOT_RECORDED = "Not recorded"
WITHDRAW_INTRO = "It stays in this record's history, with your reason, and no longer counts."


def _event_name(inspection: Inspection, name: str) -> str:
    if name != OUTCOME and framework_of(inspection).event(name) is None:
        raise Http404("No such event")
    return name


def _event_url(view: str, inspection: Inspection, name: str) -> str:
    return reverse(f"inspections:{view}", args=[inspection.pk, name])


def _recorded(inspection: Inspection, name: str) -> Any:
    return services.inspection_events(inspection).get(name)


def _kind(inspection: Inspection, name: str) -> str:
    """What the event is, in words: the outcome, a decision or a date."""
    event = framework_of(inspection).event(name)
    return "outcome" if name == OUTCOME else "decision" if event is not None and event.choices else "date"


# --- dates, decisions and the outcome -----------------------------------------------------------


@requires("inspections.view")
def event_detail(request: SignedInRequest, pk: int, name: str) -> HttpResponse:
    inspection = visible_inspection(request, pk)
    name = _event_name(inspection, name)
    framework = framework_of(inspection)
    label = event_label(framework, name)
    value = _recorded(inspection, name)
    history = event_history(inspection, name)
    links: list[dict[str, str]] = []
    refusals: list[str] = []
    if value is not None and selectors.can_change(request.user, inspection):
        refusal = correction_refusal(inspection, framework, name)
        if refusal:
            refusals.append(refusal)
        else:
            links.append(
                link(_event_url("event-correct", inspection, name), f"Correct the {_kind(inspection, name)}")
            )
        withdrawal = withdrawal_refusal(inspection, framework, name)
        if withdrawal:
            refusals.append(withdrawal)
        else:
            links.append(
                link(
                    _event_url("event-withdraw", inspection, name), f"Withdraw the {_kind(inspection, name)}"
                )
            )
    now = event_value_words(framework, name, value) if value is not None else NOT_RECORDED
    if value is None and history and history[-1].what == "Withdrawn":
        now = "Withdrawn"
    return record_page(
        request,
        inspection=inspection,
        heading=label,
        summary=[("Recorded now", now)],
        history=history,
        links=links,
        refusals=refusals,
    )


@requires("inspections.change")
def event_correct(request: SignedInRequest, pk: int, name: str) -> HttpResponse:
    inspection = changeable_inspection(request, pk)
    name = _event_name(inspection, name)
    framework = framework_of(inspection)
    value = _recorded(inspection, name)
    form: Any
    if name == OUTCOME:
        form = OutcomeCorrectForm(
            posted(request), framework=framework, initial={"choice": inspection.outcome}
        )
    else:
        form = EventCorrectForm(
            posted(request),
            framework=framework,
            name=name,
            initial={"on": date_text(value)} if hasattr(value, "isoformat") else {"choice": value},
        )
    label = event_label(framework, name)

    def perform(data: dict[str, Any]) -> str:
        corrections.event_correct(
            inspection=inspection,
            name=name,
            on=data.get("on"),
            choice=data.get("choice") or "",
            reason=data["reason"],
            actor=request.user,
            expected_version=data[VERSION_FIELD],
        )
        return f"Corrected: {label}"

    words = event_value_words(framework, name, value) if value is not None else NOT_RECORDED.lower()
    return inspection_form_page(
        request,
        inspection=inspection,
        form=form,
        heading=f"Correct the {_kind(inspection, name)}: {label}",
        button="Save the correction",
        perform=perform,
        intro=f"Recorded now: {words}. The correction and its reason are kept in the history.",
        back=_event_url("event-detail", inspection, name),
    )


@requires("inspections.change")
def event_withdraw(request: SignedInRequest, pk: int, name: str) -> HttpResponse:
    inspection = changeable_inspection(request, pk)
    name = _event_name(inspection, name)
    label = event_label(framework_of(inspection), name)
    form = WithdrawForm(posted(request))

    def perform(data: dict[str, Any]) -> str:
        corrections.event_withdraw(
            inspection=inspection,
            name=name,
            reason=data["reason"],
            actor=request.user,
            expected_version=data[VERSION_FIELD],
        )
        return f"Withdrawn: {label}"

    return inspection_form_page(
        request,
        inspection=inspection,
        form=form,
        heading=f"Withdraw the {_kind(inspection, name)}: {label}",
        button="Withdraw",
        button_classes="govuk-button--warning",
        perform=perform,
        intro=f"Deadlines are worked out again without it. {WITHDRAW_INTRO}",
        back=_event_url("event-detail", inspection, name),
    )


# --- findings -----------------------------------------------------------------------------------


def _finding_of(inspection: Inspection, finding_pk: int) -> Finding:
    finding = inspection.findings.select_related("withdrawn_by").filter(pk=finding_pk).first()
    if finding is None:
        raise Http404("No such finding")
    finding.inspection = inspection
    return finding


def _finding_url(view: str, finding: Finding) -> str:
    return reverse(f"inspections:{view}", args=[finding.inspection_id, finding.pk])


def finding_refusal(inspection: Inspection, finding: Finding) -> str:
    """Why the finding cannot change now ('' when it can)."""
    framework = framework_of(inspection)
    if framework.is_published(inspection.state):
        return services.CLOSED_ONCE_PUBLISHED.format(
            what="Findings", state=services.state_label(framework, inspection.state)
        )
    return corrections.FINDING_WITHDRAWN.format(finding=finding) if finding.is_withdrawn else ""


@requires("inspections.view")
def finding_detail(request: SignedInRequest, pk: int, finding_pk: int) -> HttpResponse:
    inspection = visible_inspection(request, pk)
    finding = _finding_of(inspection, finding_pk)
    links: list[dict[str, str]] = []
    refusals: list[str] = []
    if selectors.can_change(request.user, inspection):
        refusal = finding_refusal(inspection, finding)
        if refusal:
            refusals.append(refusal)
        else:
            links = [
                link(_finding_url("finding-correct", finding), "Correct the finding"),
                link(_finding_url("finding-withdraw", finding), "Withdraw the finding"),
            ]
    partners = ", ".join(p.name for p in finding.responsible.order_by("name")) or "None named"
    return record_page(
        request,
        inspection=inspection,
        heading=str(finding),
        summary=[("Finding", finding.text), ("Partners responsible", partners)],
        history=finding_history(finding),
        links=links,
        refusals=refusals,
        record=finding,
    )


@requires("inspections.change")
def finding_correct(request: SignedInRequest, pk: int, finding_pk: int) -> HttpResponse:
    inspection = changeable_inspection(request, pk)
    finding = _finding_of(inspection, finding_pk)
    form = FindingCorrectForm(
        posted(request),
        partners=inspection.area.partners.all(),
        initial={"text": finding.text, "responsible": list(finding.responsible.all())},
    )

    def perform(data: dict[str, Any]) -> str:
        corrections.finding_correct(
            finding=finding,
            text=data["text"],
            responsible=data["responsible"],
            reason=data["reason"],
            actor=request.user,
            expected_version=data[VERSION_FIELD],
        )
        return f"Corrected: {finding}"

    return inspection_form_page(
        request,
        inspection=inspection,
        form=form,
        heading=f"Correct {finding}",
        button="Save the correction",
        perform=perform,
        intro="The finding as it was, the correction and its reason are kept in the history.",
        refresh=[finding],
        back=_finding_url("finding-detail", finding),
    )


@requires("inspections.change")
def finding_withdraw(request: SignedInRequest, pk: int, finding_pk: int) -> HttpResponse:
    inspection = changeable_inspection(request, pk)
    finding = _finding_of(inspection, finding_pk)
    form = WithdrawForm(posted(request))

    def perform(data: dict[str, Any]) -> str:
        corrections.finding_withdraw(
            finding=finding, reason=data["reason"], actor=request.user, expected_version=data[VERSION_FIELD]
        )
        return f"Withdrawn: {finding}"

    return inspection_form_page(
        request,
        inspection=inspection,
        form=form,
        heading=f"Withdraw {finding}",
        button="Withdraw the finding",
        button_classes="govuk-button--warning",
        perform=perform,
        intro=f"The report and the checks before quality assurance leave it out. {WITHDRAW_INTRO}",
        refresh=[finding],
        back=_finding_url("finding-detail", finding),
    )
