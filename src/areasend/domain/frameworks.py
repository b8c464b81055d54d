"""Inspection frameworks as versioned data: the schema, the loader and its checks.

A framework file is YAML. It is validated in three passes, and every problem found is reported (not
only the first) as a :class:`Problem` naming the file, the key path (``deadlines[3].unit``), the
line where possible, and what is wrong:

1. YAML syntax, duplicate keys in a mapping, a top-level mapping;
2. the schema (pydantic, ``extra="forbid"``: unknown keys are errors, not silently dropped);
3. cross-references: parents exist and form no cycle, refs and keys are unique, a deadline's ``from``
   names an event or another milestone, conditions name choice events and their values, lifecycle
   transitions name states that exist and every state can be reached, dates are in order, the
   latest revision note matches the file's version, and every low- or medium-confidence deadline is
   ``configurable: true``.

Callers get :class:`FrameworkFileError` (carrying the problems) from the loaders, or the plain list
from :func:`validate_framework_text`; never a traceback from inside the parser.

Events. A framework declares the events a timeline is built from (``notified``, ``on_site_start``,
``report_received`` ...). Each is either a date or, when it has ``choices``, a decision (a review
judgement, say). ``outcome`` is built in: its values are the keys (or numbers) of ``outcomes``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
)

SHIPPED_FRAMEWORKS_DIR = Path(__file__).resolve().parent.parent / "frameworks" / "files"

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

# -- messages (tests import these and assert them exactly) ----------------------------------------
MSG_FILE_NOT_FOUND = "file not found"
MSG_FILE_UNREADABLE = "cannot be read: {error}"
MSG_NOT_UTF8 = "is not UTF-8 text"
MSG_EMPTY_FILE = "the file is empty"
MSG_YAML_SYNTAX = "is not valid YAML: {problem}"
MSG_TOP_LEVEL_NOT_MAPPING = "the top level must be a mapping of keys to values"
MSG_DUPLICATE_YAML_KEY = "key {key!r} appears more than once in this mapping"
MSG_TOO_LARGE = "the file expands to more than {limit} values (check its YAML aliases)"
MAX_EXPANDED_NODES = 200_000

MSG_MISSING = "is required but missing"
MSG_UNKNOWN_FIELD = "is not a recognised key here"
MSG_ONE_OF = "must be one of {expected} (got {got!r})"
MSG_WHOLE_NUMBER = "must be a whole number (got {got!r})"
MSG_AT_LEAST = "must be at least {limit} (got {got!r})"
MSG_DATE = "must be a date written YYYY-MM-DD (got {got!r})"
MSG_TEXT = "must be text (got {got!r})"
MSG_TRUE_FALSE = "must be true or false (got {got!r})"
MSG_LIST = "must be a list (got {got!r})"
MSG_MAPPING = "must be a mapping of keys to values (got {got!r})"
MSG_NOT_EMPTY = "must not be empty"
MSG_BAD_KEY = (
    "{got!r} is not a valid key: use lower-case letters, digits and underscores, starting with a letter"
)
MSG_BAD_REF = "{got!r} is not a valid ref: use letters, digits, '.', '_' or '-'"
MSG_BAD_ID = "{got!r} is not a valid framework id: use lower-case words joined by hyphens"
MSG_INVALID = "is invalid: {detail}"

MSG_DATES_OUT_OF_ORDER = "in_force_to ({to}) is before in_force_from ({from_})"
MSG_REVISION_VERSION_ORDER = "revision versions must increase: {version} follows {previous}"
MSG_REVISION_DATE_ORDER = (
    "revision dates must be in order: {date} is before the previous revision's {previous}"
)
MSG_REVISION_AFTER_VERSION = "revision note for version {revision} is newer than the file's version {version}"
MSG_LATEST_REVISION = (
    "the latest revision note is for version {revision}, but the file's version is {version}: "
    "add a revision note for version {version}"
)
MSG_DUPLICATE = "{what} {value!r} is already used at {other}"
MSG_UNKNOWN_PARENT = "parent {parent!r} is not the ref of any node"
MSG_PARENT_CYCLE = "parent chain forms a cycle: {chain}"
MSG_NEEDS_PARENT = "a {kind} must have a parent"
MSG_UNKNOWN_FROM = "{name!r} is neither an event nor a milestone of this framework"
MSG_DEPENDENCY_CYCLE = "dates depend on each other in a cycle: {chain}"
MSG_UNKNOWN_EVENT = "{name!r} is not an event of this framework"
MSG_UNKNOWN_MILESTONE = "{name!r} is not a milestone of this framework"
MSG_UNKNOWN_DEADLINE = "{name!r} is not a deadline key of this framework"
MSG_NOT_A_CHOICE_EVENT = "{name!r} is a date event, so it cannot be used in a condition"
MSG_UNKNOWN_CHOICE = "{value!r} is not a possible value of {event!r} (possible: {choices})"
MSG_ONE_LEAD = "only one team role can be the lead"
MSG_UNKNOWN_ORGANISATION = "{name!r} is not the organisation of any team role"
MSG_KEY_IS_EVENT = "deadline key {key!r} is also an event name: give the deadline a different key"
MSG_RESERVED_EVENT = "'outcome' is built in (its values are the outcome keys) and must not be declared"
MSG_MUST_BE_CONFIGURABLE = "a {confidence}-confidence deadline must be marked configurable: true"
MSG_UNKNOWN_STATE = "{name!r} is not a lifecycle state"
MSG_UNREACHABLE_STATE = "state {state!r} cannot be reached from the initial state {initial!r}"
MSG_NOT_WORKING_DAY_NOTIFICATION = "notification_weekday {weekday!r} is not a weekday"


# --------------------------------------------------------------------------------------------------
# Schema


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


FindingKindKey = Literal["significant_weakness", "priority_action", "improvement"]


class FindingKind(Sourced):
    """A kind of finding a report records, and the outcomes it belongs to."""

    key: FindingKindKey
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

    def in_force_on(self, day: dt.date) -> bool:
        return self.in_force_from <= day and (self.in_force_to is None or day <= self.in_force_to)


# --------------------------------------------------------------------------------------------------
# Problems


@dataclasses.dataclass(frozen=True)
class Problem:
    """One thing wrong with a framework file."""

    file: str
    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class FrameworkFileError(Exception):
    """A framework file could not be loaded; ``problems`` says every reason found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


Loc = tuple[str | int, ...]


def format_path(loc: Iterable[str | int]) -> str:
    """``("deadlines", 3, "unit")`` -> ``deadlines[3].unit``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


# --------------------------------------------------------------------------------------------------
# Pass 1: YAML, with a map from key paths to line numbers


def _expanded_size(root: yaml.Node) -> int:
    """How many values the document holds once every alias is expanded (memoised, so it is fast)."""
    sizes: dict[int, int] = {}

    def size(node: yaml.Node, path: frozenset[int]) -> int:
        if id(node) in sizes:
            return sizes[id(node)]
        if id(node) in path:  # a recursive alias
            return MAX_EXPANDED_NODES + 1
        path = path | {id(node)}
        total = 1
        if isinstance(node, yaml.MappingNode):
            total += sum(size(k, path) + size(v, path) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            total += sum(size(item, path) for item in node.value)
        sizes[id(node)] = total = min(total, MAX_EXPANDED_NODES + 1)
        return total

    return size(root, frozenset())


class _TooLarge(Exception):
    pass


def _line_map(text: str) -> tuple[dict[Loc, int], list[tuple[Loc, int, str]]]:
    """Line numbers (1-based) for every key path, and the duplicate keys found on the way."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    lines: dict[Loc, int] = {}
    duplicates: list[tuple[Loc, int, str]] = []
    if root is None:
        return lines, duplicates
    if _expanded_size(root) > MAX_EXPANDED_NODES:
        raise _TooLarge
    visited: set[int] = set()

    def walk(node: yaml.Node, loc: Loc, seen: frozenset[int]) -> None:
        lines.setdefault(loc, node.start_mark.line + 1)
        if id(node) in seen or id(node) in visited:  # an alias: its lines were recorded where it was defined
            return
        seen = seen | {id(node)}
        visited.add(id(node))
        if isinstance(node, yaml.MappingNode):
            keys_here: set[str] = set()
            for key_node, value_node in node.value:
                key = str(key_node.value)
                child = (*loc, key)
                if key in keys_here:
                    duplicates.append((child, key_node.start_mark.line + 1, key))
                    continue
                keys_here.add(key)
                lines[child] = key_node.start_mark.line + 1
                walk(value_node, child, seen)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, (*loc, index), seen)

    walk(root, (), frozenset())
    return lines, duplicates


def _line_for(lines: Mapping[Loc, int], loc: Loc) -> int | None:
    """The line of ``loc``, or of its nearest ancestor that is in the file (for missing keys)."""
    probe = tuple(loc)
    while True:
        if probe in lines:
            return lines[probe]
        if not probe:
            return None
        probe = probe[:-1]


# --------------------------------------------------------------------------------------------------
# Pass 2: schema errors in plain words

_PATTERN_MESSAGES = {KEY_PATTERN: MSG_BAD_KEY, REF_PATTERN: MSG_BAD_REF, ID_PATTERN: MSG_BAD_ID}


def _schema_message(error: Mapping[str, Any]) -> str:
    kind = error["type"]
    got = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return MSG_MISSING
    if kind == "extra_forbidden":
        return MSG_UNKNOWN_FIELD
    if kind == "literal_error":
        return MSG_ONE_OF.format(expected=ctx.get("expected", "?"), got=got)
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return MSG_WHOLE_NUMBER.format(got=got)
    if kind in {"greater_than_equal", "greater_than"}:
        return MSG_AT_LEAST.format(limit=ctx.get("ge", ctx.get("gt")), got=got)
    if kind.startswith("date_"):
        return MSG_DATE.format(got=got)
    if kind in {"string_type", "string_unicode"}:
        return MSG_TEXT.format(got=got)
    if kind in {"bool_type", "bool_parsing"}:
        return MSG_TRUE_FALSE.format(got=got)
    if kind in {"tuple_type", "list_type", "iterable_type"}:
        return MSG_LIST.format(got=got)
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return MSG_MAPPING.format(got=got)
    if kind in {"too_short", "string_too_short"}:
        return MSG_NOT_EMPTY
    if kind == "string_pattern_mismatch":
        template = _PATTERN_MESSAGES.get(str(ctx.get("pattern")))
        if template:
            return template.format(got=got)
    return MSG_INVALID.format(detail=error.get("msg", kind))


def _schema_loc(error: Mapping[str, Any]) -> Loc:
    """Pydantic's location, less the bracketed markers it adds for dict keys and unions."""
    loc = tuple(error["loc"])
    return tuple(p for p in loc if not (isinstance(p, str) and p.startswith("[") and p.endswith("]")))


# --------------------------------------------------------------------------------------------------
# Pass 3: cross-references


def _where(section: str, index: int) -> str:
    return f"{section}[{index}]"


def _check_unique(items: Iterable[tuple[Loc, str]], what: str) -> list[tuple[Loc, str]]:
    seen: dict[str, Loc] = {}
    found: list[tuple[Loc, str]] = []
    for loc, value in items:
        if value in seen:
            found.append((loc, MSG_DUPLICATE.format(what=what, value=value, other=format_path(seen[value]))))
        else:
            seen[value] = loc
    return found


def _check_conditions(fw: Framework, conditions: Conditions, loc: Loc) -> list[tuple[Loc, str]]:
    found: list[tuple[Loc, str]] = []
    for name, values in conditions.items():
        here = (*loc, name)
        if name not in fw.event_names:
            found.append((here, MSG_UNKNOWN_EVENT.format(name=name)))
            continue
        choices = fw.choices(name)
        if choices is None:
            found.append((here, MSG_NOT_A_CHOICE_EVENT.format(name=name)))
            continue
        for index, value in enumerate(values):
            if value not in choices:
                found.append(
                    (
                        (*here, index),
                        MSG_UNKNOWN_CHOICE.format(value=value, event=name, choices=", ".join(choices)),
                    )
                )
    return found


def _find_cycle(graph: Mapping[str, Iterable[str]]) -> list[str] | None:
    """A cycle in a directed graph, as a path that ends where it started; None if there is none."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in graph.get(node, ()):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state:
                cycle = visit(nxt)
                if cycle:
                    return cycle
        stack.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state:
            cycle = visit(start)
            if cycle:
                return cycle
    return None


def _check_linked_events(
    fw: Framework, linked: DocumentEvents | VisitEvents | None, loc: Loc
) -> list[tuple[Loc, str]]:
    if linked is None:
        return []
    return [
        ((*loc, name), MSG_UNKNOWN_EVENT.format(name=value))
        for name, value in linked.model_dump().items()
        if value is not None and value not in fw.event_names
    ]


def cross_check(fw: Framework) -> list[tuple[Loc, str]]:
    """Every cross-reference problem in a schema-valid framework, with the key path of each."""
    found: list[tuple[Loc, str]] = []

    # dates and versions
    if fw.in_force_to is not None and fw.in_force_to < fw.in_force_from:
        found.append(
            (("in_force_to",), MSG_DATES_OUT_OF_ORDER.format(to=fw.in_force_to, from_=fw.in_force_from))
        )
    previous: Revision | None = None
    last_dated: dt.date | None = None
    for index, rev in enumerate(fw.revisions):
        if previous is not None and rev.version <= previous.version:
            found.append(
                (
                    ("revisions", index, "version"),
                    MSG_REVISION_VERSION_ORDER.format(version=rev.version, previous=previous.version),
                )
            )
        if rev.version > fw.version:
            found.append(
                (
                    ("revisions", index, "version"),
                    MSG_REVISION_AFTER_VERSION.format(revision=rev.version, version=fw.version),
                )
            )
        if rev.date is not None:
            if last_dated is not None and rev.date < last_dated:
                found.append(
                    (
                        ("revisions", index, "date"),
                        MSG_REVISION_DATE_ORDER.format(date=rev.date, previous=last_dated),
                    )
                )
            last_dated = rev.date
        previous = rev
    latest = max(r.version for r in fw.revisions)
    if latest < fw.version:
        found.append((("version",), MSG_LATEST_REVISION.format(revision=latest, version=fw.version)))

    # the tree of questions and criteria
    found += _check_unique(((("nodes", i, "ref"), n.ref) for i, n in enumerate(fw.nodes)), "ref")
    refs = {n.ref for n in fw.nodes}
    parent_of: dict[str, str] = {}
    for index, node in enumerate(fw.nodes):
        if node.parent is None:
            if node.kind in ("criterion", "aspect"):
                found.append((("nodes", index, "kind"), MSG_NEEDS_PARENT.format(kind=node.kind)))
        elif node.parent not in refs:
            found.append((("nodes", index, "parent"), MSG_UNKNOWN_PARENT.format(parent=node.parent)))
        else:
            parent_of.setdefault(node.ref, node.parent)
    reported: set[str] = set()
    for index, node in enumerate(fw.nodes):
        chain = [node.ref]
        current = node.ref
        while current in parent_of:
            current = parent_of[current]
            if current in chain:
                cycle = [*chain[chain.index(current) :], current]
                if not reported.intersection(cycle):
                    found.append(
                        (("nodes", index, "parent"), MSG_PARENT_CYCLE.format(chain=" -> ".join(cycle)))
                    )
                    reported.update(cycle)
                break
            chain.append(current)

    found += _check_unique(
        ((("reporting_emphases", i, "ref"), e.ref) for i, e in enumerate(fw.reporting_emphases)), "ref"
    )
    found += _check_unique(
        ((("outcomes", i, "key"), o.key) for i, o in enumerate(fw.outcomes)), "outcome key"
    )
    found += _check_unique(
        ((("outcomes", i, "number"), str(o.number)) for i, o in enumerate(fw.outcomes)), "outcome number"
    )
    found += _check_unique(
        ((("team_roles", i, "key"), r.key) for i, r in enumerate(fw.team_roles)), "team role key"
    )

    # events and deadlines
    found += _check_unique(((("events", i, "name"), e.name) for i, e in enumerate(fw.events)), "event name")
    for index, event in enumerate(fw.events):
        if event.name == OUTCOME_EVENT:
            found.append((("events", index, "name"), MSG_RESERVED_EVENT))
        if event.estimated_by is not None and event.estimated_by not in fw.milestone_keys:
            found.append(
                (("events", index, "estimated_by"), MSG_UNKNOWN_MILESTONE.format(name=event.estimated_by))
            )
    found += _check_unique(
        ((("deadlines", i, "key"), d.key) for i, d in enumerate(fw.deadlines)), "deadline key"
    )
    names = fw.event_names
    known_from = names | fw.milestone_keys
    for index, deadline in enumerate(fw.deadlines):
        loc: Loc = ("deadlines", index)
        if deadline.key in names:
            found.append(((*loc, "key"), MSG_KEY_IS_EVENT.format(key=deadline.key)))
        if deadline.from_ not in known_from:
            found.append(((*loc, "from"), MSG_UNKNOWN_FROM.format(name=deadline.from_)))
        if deadline.event is not None and deadline.event not in names:
            found.append(((*loc, "event"), MSG_UNKNOWN_EVENT.format(name=deadline.event)))
        if deadline.repeat_until is not None and deadline.repeat_until not in fw.milestone_keys:
            found.append(((*loc, "repeat_until"), MSG_UNKNOWN_MILESTONE.format(name=deadline.repeat_until)))
        found += _check_conditions(fw, deadline.when, (*loc, "when"))
        if deadline.confidence in ("low", "medium") and not deadline.configurable:
            found.append(
                ((*loc, "configurable"), MSG_MUST_BE_CONFIGURABLE.format(confidence=deadline.confidence))
            )
    for index, outcome in enumerate(fw.outcomes):
        interval = outcome.next_full_inspection
        if interval is not None and interval.from_ not in known_from:
            found.append(
                (
                    ("outcomes", index, "next_full_inspection", "from"),
                    MSG_UNKNOWN_FROM.format(name=interval.from_),
                )
            )

    # the order in which dates are worked out must not loop (meaningless while keys are duplicated)
    graph: dict[str, set[str]] = {}
    for deadline in fw.deadlines:
        graph.setdefault("milestone:" + deadline.key, set()).add(
            ("milestone:" if deadline.from_ in fw.milestone_keys else "event:") + deadline.from_
        )
        if deadline.event is not None:
            graph.setdefault("event:" + deadline.event, set()).add("milestone:" + deadline.key)
    for event in fw.events:
        if event.estimated_by is not None:
            graph.setdefault("event:" + event.name, set()).add("milestone:" + event.estimated_by)
    for outcome in fw.outcomes:
        if outcome.next_full_inspection is not None:
            interval = outcome.next_full_inspection
            graph.setdefault("milestone:" + NEXT_FULL_INSPECTION, set()).add(
                ("milestone:" if interval.from_ in fw.milestone_keys else "event:") + interval.from_
            )
    duplicated = len({d.key for d in fw.deadlines}) < len(fw.deadlines)
    loop = None if duplicated else _find_cycle(graph)
    if loop is not None:
        in_cycle = {c.split(":", 1)[1] for c in loop if c.startswith("milestone:")}
        index = next((i for i, d in enumerate(fw.deadlines) if d.key in in_cycle), 0)
        found.append(
            (
                ("deadlines", index, "from"),
                MSG_DEPENDENCY_CYCLE.format(chain=" -> ".join(c.split(":", 1)[1] for c in loop)),
            )
        )

    # the timetable
    for field_name in ("notification_event", "on_site_start_event", "on_site_end_event"):
        value = getattr(fw.timetable, field_name)
        if value not in names:
            found.append((("timetable", field_name), MSG_UNKNOWN_EVENT.format(name=value)))
    if fw.timetable.notification_weekday in ("saturday", "sunday"):
        found.append(
            (
                ("timetable", "notification_weekday"),
                MSG_NOT_WORKING_DAY_NOTIFICATION.format(weekday=fw.timetable.notification_weekday),
            )
        )

    # the lifecycle
    life = fw.lifecycle
    found += _check_unique(
        ((("lifecycle", "states", i, "key"), s.key) for i, s in enumerate(life.states)), "state"
    )
    states = {s.key for s in life.states}
    if life.initial not in states:
        found.append((("lifecycle", "initial"), MSG_UNKNOWN_STATE.format(name=life.initial)))
    for index, name in enumerate(life.final):
        if name not in states:
            found.append((("lifecycle", "final", index), MSG_UNKNOWN_STATE.format(name=name)))
    edges: dict[str, set[str]] = {}
    for index, transition in enumerate(life.transitions):
        for field_name, value in (("from", transition.from_), ("to", transition.to)):
            if value not in states:
                found.append(
                    (("lifecycle", "transitions", index, field_name), MSG_UNKNOWN_STATE.format(name=value))
                )
        edges.setdefault(transition.from_, set()).add(transition.to)
    if life.initial in states:
        reached = {life.initial}
        todo = [life.initial]
        while todo:
            for nxt in edges.get(todo.pop(), ()):
                if nxt not in reached:
                    reached.add(nxt)
                    todo.append(nxt)
        for index, state in enumerate(life.states):
            if state.key not in reached:
                found.append(
                    (
                        ("lifecycle", "states", index, "key"),
                        MSG_UNREACHABLE_STATE.format(state=state.key, initial=life.initial),
                    )
                )

    # follow-up documents and visits
    deadline_keys = {d.key for d in fw.deadlines}
    found += _check_unique(
        ((("follow_up_documents", i, "key"), d.key) for i, d in enumerate(fw.follow_up_documents)),
        "document key",
    )
    for index, document in enumerate(fw.follow_up_documents):
        loc = ("follow_up_documents", index)
        found += _check_conditions(fw, document.required_when, (*loc, "required_when"))
        for j, key in enumerate(document.deadlines):
            if key not in deadline_keys:
                found.append(((*loc, "deadlines", j), MSG_UNKNOWN_DEADLINE.format(name=key)))
        found += _check_unique(
            (
                ((*loc, "review_judgements", j, "key"), o.key)
                for j, o in enumerate(document.review_judgements)
            ),
            "judgement",
        )
        found += _check_linked_events(fw, document.events, (*loc, "events"))
    found += _check_unique(((("visits", i, "key"), v.key) for i, v in enumerate(fw.visits)), "visit key")
    for index, visit in enumerate(fw.visits):
        loc = ("visits", index)
        found += _check_conditions(fw, visit.required_when, (*loc, "required_when"))
        for j, key in enumerate(visit.deadlines):
            if key not in deadline_keys:
                found.append(((*loc, "deadlines", j), MSG_UNKNOWN_DEADLINE.format(name=key)))
        if visit.length is not None and visit.length.max < visit.length.min:
            found.append(
                ((*loc, "length", "max"), MSG_AT_LEAST.format(limit=visit.length.min, got=visit.length.max))
            )
        found += _check_linked_events(fw, visit.events, (*loc, "events"))
        for j, scale in enumerate(visit.judgement_scales):
            found += _check_unique(
                (
                    ((*loc, "judgement_scales", j, "options", k, "key"), o.key)
                    for k, o in enumerate(scale.options)
                ),
                "judgement",
            )

    found += _check_unique(
        ((("finding_kinds", i, "key"), k.key) for i, k in enumerate(fw.finding_kinds)), "finding kind"
    )
    for index, kind in enumerate(fw.finding_kinds):
        found += _check_conditions(fw, kind.when, ("finding_kinds", index, "when"))
    leads = [i for i, r in enumerate(fw.team_roles) if r.lead]
    if len(leads) > 1:
        found.append((("team_roles", leads[1], "lead"), MSG_ONE_LEAD))
    for index, state in enumerate(fw.lifecycle.states):
        if state.requires_event is not None and state.requires_event not in fw.event_names:
            found.append(
                (
                    ("lifecycle", "states", index, "requires_event"),
                    MSG_UNKNOWN_EVENT.format(name=state.requires_event),
                )
            )
        organisations = {r.organisation for r in fw.team_roles}
        for j, organisation in enumerate(state.requires_sign_off):
            if organisation not in organisations:
                found.append(
                    (
                        ("lifecycle", "states", index, "requires_sign_off", j),
                        MSG_UNKNOWN_ORGANISATION.format(name=organisation),
                    )
                )

    found += _check_unique(
        ((("evidence", i, "key"), g.key) for i, g in enumerate(fw.evidence)), "evidence group key"
    )
    found += _check_unique(
        (
            (("preparation_for_adulthood", i, "key"), a.key)
            for i, a in enumerate(fw.preparation_for_adulthood)
        ),
        "preparation-for-adulthood key",
    )
    return found


# --------------------------------------------------------------------------------------------------
# Public entry points


def _parse(text: str, filename: str) -> tuple[Framework | None, list[Problem]]:
    if not text.strip():
        return None, [Problem(filename, "", MSG_EMPTY_FILE)]
    try:
        lines, duplicates = _line_map(text)
        data = yaml.safe_load(text)
    except _TooLarge:
        return None, [Problem(filename, "", MSG_TOO_LARGE.format(limit=MAX_EXPANDED_NODES))]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = None if mark is None else mark.line + 1
        return None, [Problem(filename, "", MSG_YAML_SYNTAX.format(problem=exc.problem or exc.context), line)]
    except yaml.YAMLError as exc:
        return None, [Problem(filename, "", MSG_YAML_SYNTAX.format(problem=exc))]
    if duplicates:  # YAML keeps the last value silently; checking further would only confuse
        return None, [
            Problem(filename, format_path(loc), MSG_DUPLICATE_YAML_KEY.format(key=key), line)
            for loc, line, key in duplicates
        ]
    if not isinstance(data, dict):
        return None, [Problem(filename, "", MSG_TOP_LEVEL_NOT_MAPPING, 1)]
    problems: list[Problem] = []
    try:
        framework = Framework.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            loc = _schema_loc(error)
            problems.append(
                Problem(filename, format_path(loc), _schema_message(error), _line_for(lines, loc))
            )
        return None, problems
    for loc, message in cross_check(framework):
        problems.append(Problem(filename, format_path(loc), message, _line_for(lines, loc)))
    return (None if problems else framework), problems


def validate_framework_text(text: str, filename: str = "<text>") -> list[Problem]:
    """Every problem with a framework file's text; an empty list means it is valid."""
    return _parse(text, filename)[1]


def load_framework_text(text: str, filename: str = "<text>") -> Framework:
    """The framework in ``text``; raises :class:`FrameworkFileError` listing every problem."""
    framework, problems = _parse(text, filename)
    if framework is None:
        raise FrameworkFileError(problems)
    return framework


def read_framework_file(path: str | Path) -> str:
    """A framework file's text; raises :class:`FrameworkFileError` if it cannot be read."""
    path = Path(path)
    try:
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise FrameworkFileError([Problem(str(path), "", MSG_FILE_NOT_FOUND)]) from None
    except UnicodeDecodeError:
        raise FrameworkFileError([Problem(str(path), "", MSG_NOT_UTF8)]) from None
    except OSError as exc:
        raise FrameworkFileError(
            [Problem(str(path), "", MSG_FILE_UNREADABLE.format(error=exc.strerror))]
        ) from None


def load_framework_file(path: str | Path) -> Framework:
    """Read, validate and return the framework in ``path``."""
    return load_framework_text(read_framework_file(path), str(path))


def shipped_framework_files() -> tuple[Path, ...]:
    """The framework files that ship with areasend, sorted by name."""
    return tuple(sorted(SHIPPED_FRAMEWORKS_DIR.glob("*.yaml")))


def shipped_frameworks() -> dict[str, Framework]:
    """The shipped frameworks by id (the highest version of each)."""
    found: dict[str, Framework] = {}
    for path in shipped_framework_files():
        framework = load_framework_file(path)
        current = found.get(framework.id)
        if current is None or framework.version > current.version:
            found[framework.id] = framework
    return found
