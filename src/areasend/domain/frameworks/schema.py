"""The schema of a framework file (pydantic 2, ``extra="forbid"``) and its look-ups.

Events. A framework declares the events a timeline is built from (``notified``, ``on_site_start``,
``report_received`` ...). Each is either a date or, when it has ``choices``, a decision (a review
judgement, say). ``outcome`` is built in: its values are the keys (or numbers) of ``outcomes``.

Criteria and vocabularies. ``nodes`` are the key questions and evaluation criteria (each with a
code, ``ref``, and an optional ``parent``). ``vocabularies`` names the terms that records made under
the framework use: sectors, age phases, evidence sources, activity types and plan statuses; finding
kinds are ``finding_kinds``. Files written before vocabularies were declared have none (``None``):
versions loaded from them keep working.

Regime rules. What areasend does at each step of an inspection is declared here too, never written
in code: which lifecycle state publishes the report and which states count as published
(``lifecycle.publication``), which organisations sign off (``sign_off``), the statuses a follow-up
plan goes through, the status each review judgement leads to and when a failed plan is escalated
(``follow_up_documents[].statuses`` / ``review_judgements[].status`` / ``escalation``), the statuses
of a plan's actions (``action_statuses``), which kind of finding a visit's judgement scale judges one
by one (``judges``) and how those judgements decide the overall one (``implied_by``, see
:mod:`.schema_visits`), which move back postpones an inspection and where the new date goes
(``transitions[].postpone``, ``lifecycle.postponement``), and what the national history counts for
inspections of the framework (``national_history``). Files written before these were declared leave them out (``None``): such a
version borrows them from a later version of the same framework (:func:`with_rules_from`), and a
new version must declare them (:func:`undeclared_rules`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, field_validator

from areasend.domain.vocabulary import VOCABULARY_KEYS as VOCABULARY_KEYS
from areasend.domain.vocabulary import VOCABULARY_KINDS as VOCABULARY_KINDS
from areasend.domain.vocabulary import VocabularyKind as VocabularyKind

from .schema_base import ID_PATTERN as ID_PATTERN
from .schema_base import KEY_PATTERN as KEY_PATTERN
from .schema_base import REF_PATTERN as REF_PATTERN
from .schema_base import WEEKDAYS as WEEKDAYS
from .schema_base import Conditions as Conditions
from .schema_base import Confidence as Confidence
from .schema_base import Key as Key
from .schema_base import NodeKind as NodeKind
from .schema_base import Ref as Ref
from .schema_base import Sourced as Sourced
from .schema_base import Sources as Sources
from .schema_base import Text as Text
from .schema_base import Unit as Unit
from .schema_base import Weekday as Weekday
from .schema_base import _Schema
from .schema_estimates import Estimate as Estimate
from .schema_roles import RecordStage as RecordStage
from .schema_roles import SignOff as SignOff
from .schema_roles import TeamRole as TeamRole
from .schema_visits import ImpliedBy as ImpliedBy
from .schema_visits import JudgementScale as JudgementScale
from .schema_visits import Length as Length
from .schema_visits import Option as Option
from .schema_visits import Visit as Visit
from .schema_visits import VisitEvents as VisitEvents

OUTCOME_EVENT = "outcome"
NEXT_FULL_INSPECTION = "next_full_inspection"


class Revision(Sourced):
    version: int = Field(ge=1)
    date: dt.date | None = None
    date_note: Text | None = None
    changes: tuple[Text, ...] = Field(min_length=1)


class Node(Sourced):
    """One node of the key-question / evaluation-criteria tree (a flat list with parent refs)."""

    ref: Ref
    parent: Ref | None = None
    kind: NodeKind
    text: Text
    note: Text | None = None


class ReportingEmphasis(Sourced):
    ref: Ref
    text: Text


class Interval(Sourced):
    value: int = Field(ge=0)
    unit: Unit
    from_: Key = Field(alias="from")
    qualifier: Text | None = None


class Outcome(Sourced):
    key: Key
    number: int = Field(ge=1)
    label: Text
    wording: Text | None = None
    next_full_inspection: Interval | None = None
    follow_up: tuple[Text, ...] = ()


class TermTimeRule(Sourced):
    required: bool
    text: Text


class TimetablePhase(Sourced):
    key: Key
    label: Text
    text: Text


class Timetable(Sourced):
    notification_event: Key
    notification_weekday: Weekday
    on_site_start_event: Key
    on_site_end_event: Key
    on_site_days: int = Field(ge=1)
    summary: Text
    term_time: TermTimeRule
    phases: tuple[TimetablePhase, ...] = ()


class State(_Schema):
    """A stage of the lifecycle, with what must be true before an inspection may enter it."""

    key: Key
    label: Text
    requires_event: Key | None = None  # the date that starts this stage (recorded by the move)
    requires_outcome: bool = False
    requires_findings: bool = False  # the findings the outcome calls for (see finding_kinds)
    requires_sign_off: tuple[Text, ...] = ()  # the organisations that must each sign off


class FindingKind(Sourced):
    """A kind of finding a report records, and the outcomes it belongs to (the finding-kind terms)."""

    key: Key
    label: Text
    when: Conditions = Field(default_factory=dict)  # allowed only when these decisions hold
    required: bool = False  # at least one is needed when allowed


class Transition(_Schema):
    from_: Key = Field(alias="from")
    to: Key
    label: Text | None = None
    # A move back to the initial state says whether it postpones the inspection (None in files
    # written before it was declared): postponing asks for a reason and a new date.
    postpone: bool | None = None


class Publication(Sourced):
    """Entering ``state`` publishes the report: the inspection joins the national history, dated by
    ``event``. An inspection in any of ``published_states`` counts as published."""

    state: Key
    event: Key
    published_states: tuple[Key, ...] = Field(min_length=1)


class Postponement(Sourced):
    """Postponing (a transition marked ``postpone``) records the new date in ``event``; the date of
    the stage it leaves is estimated by that event, so every deadline runs from the new date."""

    event: Key


class Lifecycle(_Schema):
    initial: Key
    final: tuple[Key, ...] = Field(min_length=1)
    states: tuple[State, ...] = Field(min_length=1)
    transitions: tuple[Transition, ...] = ()
    publication: Publication | None = None  # None in files written before it was declared
    postponement: Postponement | None = None  # None in files written before it was declared
    # The stages in which the report's outcome and findings may be recorded (see RecordStage).
    records: tuple[RecordStage, ...] = ()

    def record_states(self, record: str) -> tuple[str, ...] | None:
        """The stages in which `record` ('outcome', 'findings') may be made; None: any before publication."""
        rule = next((r for r in self.records if r.record == record), None)
        return rule.states if rule is not None else None

    def postpone_from(self, state: str) -> Transition | None:
        """The transition that postpones an inspection at ``state``, if there is one."""
        return next((t for t in self.transitions if t.from_ == state and t.postpone), None)


class Event(_Schema):
    """Something that happens on a date (or, with ``choices``, a decision) that deadlines run from.
    A date may not be before the dates of its ``not_before`` events, nor, ``not_in_future``, after
    today (it records what has happened); those rules carry their ``source`` and ``confidence``."""

    name: Key
    label: Text
    choices: tuple[Key, ...] | None = None
    # Until it happens, its date is estimated by a milestone, or by a date event (a planned date).
    estimated_by: Key | None = None
    not_before: tuple[Key, ...] = ()
    not_in_future: bool = False
    source: Sources | None = None
    confidence: Confidence | None = None


OwedBy = Literal["area", "inspectorates", "dfe"]


class Deadline(Sourced):
    key: Key
    label: Text
    value: int = Field(ge=0)
    unit: Unit
    from_: Key = Field(alias="from")
    when: Conditions = Field(default_factory=dict)
    event: Key | None = None
    # Who must act by the date: the local area partnership, the inspectorates, or DfE/NHS England.
    owed_by: OwedBy = "inspectorates"
    hold_for_pre_election: bool = False
    repeat_until: Key | None = None
    configurable: bool = False
    note: Text | None = None
    estimate: Estimate | None = None  # the value is an estimate from the record (schema_estimates)


class ReviewJudgement(Option):
    """A judgement a review of a plan can reach, and the plan status it leads to."""

    status: Key | None = None  # a plan status code (None in files written before it was declared)
    accepts: bool = False  # the plan is accepted: nothing more is owed on it


class PlanStatuses(_Schema):
    """The plan statuses (codes of ``vocabularies.plan_statuses``) a plan has before any review."""

    opened: Key  # a plan starts here and may be submitted
    on_submission: Key  # after each submission; with no review judgements, the plan is then complete


class Escalation(Sourced):
    """After this many submissions judged without acceptance, the plan is escalated (for example
    referred to the Department for Education) and cannot be submitted again."""

    after_failed_submissions: int = Field(ge=1)
    status: Key  # a plan status code


class DocumentEvents(_Schema):
    """The events that a plan's submission and review record (so its deadlines follow it)."""

    submitted: Key | None = None
    resubmitted: Key | None = None
    reviewed: Key | None = None
    judgement: Key | None = None
    accepted: Key | None = None


class FollowUpDocument(Sourced):
    key: Key
    title: Text
    required_when: Conditions = Field(default_factory=dict)
    responsible: Text | None = None
    deadlines: tuple[Key, ...] = ()
    statuses: PlanStatuses | None = None  # None in files written before they were declared
    review_judgements: tuple[ReviewJudgement, ...] = ()
    escalation: Escalation | None = None  # None: a plan may always be submitted again
    action_statuses: tuple[Term, ...] = ()  # in the order an action moves through; the last is done
    events: DocumentEvents | None = None
    note: Text | None = None

    @property
    def accepting_statuses(self) -> frozenset[str]:
        """The statuses in which a plan of this document is complete."""
        if not self.review_judgements:
            return frozenset({self.statuses.on_submission} if self.statuses else ())
        return frozenset(j.status for j in self.review_judgements if j.accepts and j.status)

    @property
    def resubmission_statuses(self) -> frozenset[str]:
        """The statuses a review without acceptance leads to: the plan may be submitted again."""
        return frozenset(j.status for j in self.review_judgements if not j.accepts and j.status)

    @property
    def submittable_statuses(self) -> frozenset[str]:
        opened = {self.statuses.opened} if self.statuses else set()
        return frozenset(opened) | self.resubmission_statuses

    def judgement(self, key: str) -> ReviewJudgement | None:
        return next((j for j in self.review_judgements if j.key == key), None)


class EvidenceGroup(Sourced):
    key: Key
    label: Text
    items: tuple[Text, ...] = Field(min_length=1)
    sources: tuple[Key, ...] = ()  # the evidence sources (codes) the items come from


class Term(Sourced):
    """One term of a vocabulary: a code that records store, and the label people read."""

    code: Key
    label: Text
    description: Text | None = None


class ActivityType(Term):
    evidence_source: Key | None = None  # the evidence source (code) the activity yields


class Vocabularies(_Schema):
    """The terms records made under this framework use; each vocabulary is declared once, here."""

    sectors: tuple[Term, ...] = Field(min_length=1)
    age_phases: tuple[Term, ...] = Field(min_length=1)
    evidence_sources: tuple[Term, ...] = Field(min_length=1)
    activity_types: tuple[ActivityType, ...] = Field(min_length=1)
    plan_statuses: tuple[Term, ...] = Field(min_length=1)


class OutcomeFigures(_Schema):
    figure: Key  # published reports of this framework by outcome number
    unknown_figure: Key | None = None  # published reports whose outcome is not recorded


class DocumentFigure(_Schema):
    document: Key
    figure: Key  # published reports whose outcome requires the document


class VisitFigure(_Schema):
    """A follow-up visit the national history records, with its overall result."""

    visit: Key
    figure: Key  # visits started
    result_scale: Key | None = None  # the visit's overall scale whose option is its result
    results_figure: Key | None = None  # published visits by result
    result_names: dict[Key, Key] = Field(default_factory=dict)  # option key -> name in the figures


class NationalHistory(Sourced):
    """What the national history records of this framework's inspections, and the national figures
    (``areasend stats``) it adds. Every published inspection records its outcome, the follow-up
    documents that outcome requires and its findings counted by kind; the visits listed here are
    recorded with their results."""

    outcomes: OutcomeFigures | None = None
    documents: tuple[DocumentFigure, ...] = ()
    visits: tuple[VisitFigure, ...] = ()

    def visit(self, key: str) -> VisitFigure | None:
        return next((v for v in self.visits if v.visit == key), None)


# The figures every framework's inspections add to (a framework may not declare these names).
GENERIC_FIGURES = (
    "as_of",
    "areas_inspected",
    "inspections_started",
    "reports_published",
    "next_inspections_due",
    "scraped_rows_counted",
)


class PfaArea(Sourced):
    key: Key
    text: Text


class Framework(_Schema):
    # ``anchors`` is a place to define YAML anchors (``&name``) that rules reuse (``*name``); ignored.
    anchors: Any = Field(default=None, exclude=True, repr=False)
    id: Annotated[str, StringConstraints(pattern=ID_PATTERN)]
    version: int = Field(ge=1)
    title: Text
    short_title: Text | None = None
    summary: Text | None = None
    in_force_from: dt.date
    in_force_to: dt.date | None = None
    revisions: tuple[Revision, ...] = Field(min_length=1)
    nodes: tuple[Node, ...] = Field(min_length=1)
    reporting_emphases: tuple[ReportingEmphasis, ...] = ()
    outcomes: tuple[Outcome, ...] = Field(min_length=1)
    team_roles: tuple[TeamRole, ...] = Field(min_length=1)
    timetable: Timetable
    lifecycle: Lifecycle
    events: tuple[Event, ...] = Field(min_length=1)
    deadlines: tuple[Deadline, ...] = Field(min_length=1)
    follow_up_documents: tuple[FollowUpDocument, ...] = ()
    visits: tuple[Visit, ...] = ()
    finding_kinds: tuple[FindingKind, ...] = ()
    evidence: tuple[EvidenceGroup, ...] = ()
    preparation_for_adulthood: tuple[PfaArea, ...] = ()
    # None in files written before vocabularies were declared (their loaded versions keep working).
    vocabularies: Vocabularies | None = None
    sign_off: SignOff | None = None  # None in files written before it was declared
    national_history: NationalHistory | None = None

    @field_validator("anchors")
    @classmethod
    def _forget_anchors(cls, value: Any) -> None:
        """Aliases were resolved when the YAML was read; the anchors themselves carry no rules."""
        return None

    # -- look-ups ------------------------------------------------------------------------------------

    @property
    def label(self) -> str:
        return f"{self.id} v{self.version}"

    @property
    def event_names(self) -> frozenset[str]:
        return frozenset(e.name for e in self.events) | {OUTCOME_EVENT}

    def event(self, name: str) -> Event | None:
        return next((e for e in self.events if e.name == name), None)

    def choices(self, event_name: str) -> tuple[str, ...] | None:
        """The possible values of a decision event; None for date events and unknown names."""
        if event_name == OUTCOME_EVENT:
            return tuple(o.key for o in self.outcomes)
        found = self.event(event_name)
        return None if found is None else found.choices

    @property
    def has_next_full_inspection(self) -> bool:
        return any(o.next_full_inspection is not None for o in self.outcomes)

    @property
    def milestone_keys(self) -> frozenset[str]:
        keys = {d.key for d in self.deadlines}
        if self.has_next_full_inspection:
            keys.add(NEXT_FULL_INSPECTION)
        return frozenset(keys)

    def deadline(self, key: str) -> Deadline | None:
        return next((d for d in self.deadlines if d.key == key), None)

    def owed_by(self, milestone_key: str) -> OwedBy:
        """Who must act by a milestone (the next full inspection is the inspectorates')."""
        deadline = self.deadline(milestone_key)
        return deadline.owed_by if deadline is not None else "inspectorates"

    def outcome(self, value: int | str) -> Outcome | None:
        """The outcome with this key, or number (``3`` and ``"3"`` both find outcome number 3)."""
        for item in self.outcomes:
            if (
                value == item.key
                or value == item.number
                or (isinstance(value, str) and value == str(item.number))
            ):
                return item
        return None

    @property
    def lead_role(self) -> TeamRole:
        return next((r for r in self.team_roles if r.lead), self.team_roles[0])

    def state(self, key: str) -> State | None:
        return next((s for s in self.lifecycle.states if s.key == key), None)

    @property
    def publication(self) -> Publication | None:
        return self.lifecycle.publication

    def is_published(self, state: str) -> bool:
        """Whether an inspection in this state counts as published."""
        publication = self.lifecycle.publication
        return publication is not None and state in publication.published_states

    @property
    def sign_off_organisations(self) -> tuple[str, ...]:
        """The organisations that sign off a report (those a state requires, for older files)."""
        if self.sign_off is not None:
            return self.sign_off.organisations
        named: dict[str, None] = {}
        for state in self.lifecycle.states:
            named.update(dict.fromkeys(state.requires_sign_off))
        return tuple(named)

    def document(self, key: str) -> FollowUpDocument | None:
        return next((d for d in self.follow_up_documents if d.key == key), None)

    def visit(self, key: str) -> Visit | None:
        return next((v for v in self.visits if v.key == key), None)

    def finding_kind(self, key: str) -> FindingKind | None:
        return next((k for k in self.finding_kinds if k.key == key), None)

    def node(self, ref: str) -> Node | None:
        return next((n for n in self.nodes if n.ref == ref), None)

    def children(self, ref: str | None) -> tuple[Node, ...]:
        return tuple(n for n in self.nodes if n.parent == ref)

    def walk_nodes(self) -> Iterator[tuple[int, Node]]:
        """Every node in tree order with its depth (0 for roots)."""

        def visit(node: Node, depth: int) -> Iterator[tuple[int, Node]]:
            yield depth, node
            for child in self.children(node.ref):
                yield from visit(child, depth + 1)

        for root in self.children(None):
            yield from visit(root, 0)

    def vocabulary(self, kind: VocabularyKind) -> tuple[Term, ...]:
        """The terms of one vocabulary, in file order (empty when the file declares none)."""
        if kind == "finding_kind":
            return tuple(
                Term(code=k.key, label=k.label, source=k.source, confidence=k.confidence)
                for k in self.finding_kinds
            )
        if self.vocabularies is None:
            return ()
        terms: tuple[Term, ...] = getattr(self.vocabularies, VOCABULARY_KEYS[kind])
        return terms

    def term(self, kind: VocabularyKind, code: str) -> Term | None:
        return next((t for t in self.vocabulary(kind) if t.code == code), None)

    def in_force_on(self, day: dt.date) -> bool:
        return self.in_force_from <= day and (self.in_force_to is None or day <= self.in_force_to)
