"""The schema of a framework file (pydantic 2, ``extra="forbid"``) and its look-ups.

Events. A framework declares the events a timeline is built from (``notified``, ``on_site_start``,
``report_received`` ...). Each is either a date or, when it has ``choices``, a decision (a review
judgement, say). ``outcome`` is built in: its values are the keys (or numbers) of ``outcomes``.

Criteria and vocabularies. ``nodes`` are the key questions and evaluation criteria (each with a
code, ``ref``, and an optional ``parent``). ``vocabularies`` names the terms that records made under
the framework use: sectors, age phases, evidence sources, activity types and plan statuses; finding
kinds are ``finding_kinds``. Files written before vocabularies were declared have none (``None``):
versions loaded from them keep working.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, field_validator

from areasend.domain.vocabulary import VOCABULARY_KEYS as VOCABULARY_KEYS
from areasend.domain.vocabulary import VOCABULARY_KINDS as VOCABULARY_KINDS
from areasend.domain.vocabulary import VocabularyKind as VocabularyKind

OUTCOME_EVENT = "outcome"
NEXT_FULL_INSPECTION = "next_full_inspection"

Confidence = Literal["high", "medium", "low"]
Unit = Literal["working_days", "calendar_days", "weeks", "months", "years"]
NodeKind = Literal["heading", "question", "criterion", "aspect"]
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAYS: tuple[Weekday, ...] = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

KEY_PATTERN = r"^[a-z][a-z0-9_]*$"
REF_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"


def _one_or_many(value: object) -> object:
    """A single source may be written as text; several as a list."""
    if isinstance(value, str):
        return (value,)
    return value


Key = Annotated[str, StringConstraints(pattern=KEY_PATTERN)]
Ref = Annotated[str, StringConstraints(pattern=REF_PATTERN)]
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
Sources = Annotated[tuple[Text, ...], BeforeValidator(_one_or_many), Field(min_length=1)]


class _Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Sourced(_Schema):
    """Every rule says where it comes from and how sure we are of it (see rules/area-send-rules.md)."""

    source: Sources
    confidence: Confidence

    @property
    def source_text(self) -> str:
        return "; ".join(self.source)


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


class TeamRole(Sourced):
    key: Key
    title: Text
    organisation: Text
    required: bool = True
    lead: bool = False  # the role an inspection must have before the partnership is notified
    note: Text | None = None


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


class Lifecycle(_Schema):
    initial: Key
    final: tuple[Key, ...] = Field(min_length=1)
    states: tuple[State, ...] = Field(min_length=1)
    transitions: tuple[Transition, ...] = ()


class Event(_Schema):
    """Something that happens on a date (or, with ``choices``, a decision) that deadlines run from."""

    name: Key
    label: Text
    choices: tuple[Key, ...] | None = None
    estimated_by: Key | None = None


Conditions = dict[Key, tuple[Text, ...]]


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


class Option(_Schema):
    key: Key
    label: Text
    source: Sources | None = None
    confidence: Confidence | None = None


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
    review_judgements: tuple[Option, ...] = ()
    events: DocumentEvents | None = None
    note: Text | None = None


class JudgementScale(_Schema):
    key: Key
    label: Text
    applies_to: Literal["each_weakness", "each_area_for_priority_action", "overall"]
    options: tuple[Option, ...] = Field(min_length=1)


class Length(_Schema):
    min: int = Field(ge=1)
    max: int = Field(ge=1)
    unit: Literal["days", "working_days", "weeks"]


class VisitEvents(_Schema):
    """The events that scheduling and judging a visit record."""

    notified: Key | None = None
    start: Key | None = None
    end: Key | None = None
    published: Key | None = None
    outcome: Key | None = None


class Visit(Sourced):
    key: Key
    title: Text
    purpose: Text
    required_when: Conditions = Field(default_factory=dict)
    deadlines: tuple[Key, ...] = ()
    events: VisitEvents | None = None
    length: Length | None = None
    judgement_scales: tuple[JudgementScale, ...] = ()
    afterwards: tuple[Text, ...] = ()


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
