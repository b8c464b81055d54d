"""Pass 3: cross-references in a schema-valid framework, one small check per part of the file.

Each check returns ``(key path, message)`` pairs; :func:`cross_check` runs them all in file order:
parents exist and form no cycle, refs and keys are unique, a deadline's ``from`` names an event or
another milestone, conditions name choice events and their values, lifecycle transitions name states
that exist and every state can be reached, dates are in order, the latest revision note matches the
file's version, every low- or medium-confidence deadline is ``configurable: true``, every
vocabulary code is unique and every reference to one names a term that exists, and the regime rules
(publication, sign-off, plan statuses and escalation, what each visit scale judges, the national
history's figures) name states, events, organisations, statuses, finding kinds, documents, visits and
options that exist, each with one meaning.
"""

from __future__ import annotations

import datetime as dt

from .checks_support import TERM_NAMES, Check, Found, check_unique, find_cycle, keys_of, unknown_term
from .date_order import check_date_rules
from .messages import (
    MSG_AT_LEAST,
    MSG_DATES_OUT_OF_ORDER,
    MSG_DEPENDENCY_CYCLE,
    MSG_KEY_IS_EVENT,
    MSG_LATEST_REVISION,
    MSG_MUST_BE_CONFIGURABLE,
    MSG_NEEDS_PARENT,
    MSG_NOT_A_CHOICE_EVENT,
    MSG_NOT_A_DATE_EVENT,
    MSG_NOT_WORKING_DAY_NOTIFICATION,
    MSG_ONE_LEAD,
    MSG_PARENT_CYCLE,
    MSG_RESERVED_EVENT,
    MSG_REVISION_AFTER_VERSION,
    MSG_REVISION_DATE_ORDER,
    MSG_REVISION_VERSION_ORDER,
    MSG_UNKNOWN_CHOICE,
    MSG_UNKNOWN_DEADLINE,
    MSG_UNKNOWN_ESTIMATE,
    MSG_UNKNOWN_EVENT,
    MSG_UNKNOWN_FROM,
    MSG_UNKNOWN_MILESTONE,
    MSG_UNKNOWN_ORGANISATION,
    MSG_UNKNOWN_PARENT,
    MSG_UNKNOWN_STATE,
    MSG_UNREACHABLE_STATE,
)
from .problems import Loc
from .role_checks import check_record_stages, check_signatories, check_team_grades
from .rule_checks import (
    check_national_history,
    check_plan_rules,
    check_postponement,
    check_publication,
    check_sign_off,
    check_visit_consistency,
    check_visit_scales,
)
from .schema import (
    NEXT_FULL_INSPECTION,
    OUTCOME_EVENT,
    Conditions,
    DocumentEvents,
    Framework,
    Revision,
    VisitEvents,
)

# -- helpers ----------------------------------------------------------------------------------------


def check_conditions(fw: Framework, conditions: Conditions, loc: Loc) -> Found:
    found: Found = []
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


def check_linked_events(fw: Framework, linked: DocumentEvents | VisitEvents | None, loc: Loc) -> Found:
    if linked is None:
        return []
    return [
        ((*loc, name), MSG_UNKNOWN_EVENT.format(name=value))
        for name, value in linked.model_dump().items()
        if value is not None and value not in fw.event_names
    ]


def check_dates_and_revisions(fw: Framework) -> Found:
    found: Found = []
    if fw.in_force_to is not None and fw.in_force_to < fw.in_force_from:
        found.append(
            (("in_force_to",), MSG_DATES_OUT_OF_ORDER.format(to=fw.in_force_to, from_=fw.in_force_from))
        )
    previous: Revision | None = None
    last_dated: dt.date | None = None
    for index, rev in enumerate(fw.revisions):
        loc: Loc = ("revisions", index, "version")
        if previous is not None and rev.version <= previous.version:
            found.append(
                (loc, MSG_REVISION_VERSION_ORDER.format(version=rev.version, previous=previous.version))
            )
        if rev.version > fw.version:
            found.append((loc, MSG_REVISION_AFTER_VERSION.format(revision=rev.version, version=fw.version)))
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
    return found


def check_criteria_tree(fw: Framework) -> Found:
    """Criterion codes (refs) are unique, parents exist, and no parent chain loops."""
    found = check_unique(keys_of("nodes", fw.nodes, "ref"), "ref")
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
    return found


def check_unique_outcomes_and_roles(fw: Framework) -> Found:
    return [
        *check_unique(keys_of("reporting_emphases", fw.reporting_emphases, "ref"), "ref"),
        *check_unique(keys_of("outcomes", fw.outcomes), "outcome key"),
        *check_unique(keys_of("outcomes", fw.outcomes, "number"), "outcome number"),
        *check_unique(keys_of("team_roles", fw.team_roles), "team role key"),
    ]


def check_events(fw: Framework) -> Found:
    found = check_unique(keys_of("events", fw.events, "name"), "event name")
    for index, event in enumerate(fw.events):
        if event.name == OUTCOME_EVENT:
            found.append((("events", index, "name"), MSG_RESERVED_EVENT))
        estimate = event.estimated_by
        if estimate is None or estimate in fw.milestone_keys:
            continue
        if estimate not in fw.event_names or estimate == event.name:
            found.append((("events", index, "estimated_by"), MSG_UNKNOWN_ESTIMATE.format(name=estimate)))
        elif fw.choices(estimate) is not None:
            found.append((("events", index, "estimated_by"), MSG_NOT_A_DATE_EVENT.format(name=estimate)))
    return found


def check_deadlines(fw: Framework) -> Found:
    found = check_unique(keys_of("deadlines", fw.deadlines), "deadline key")
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
        found += check_conditions(fw, deadline.when, (*loc, "when"))
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
    return found


def check_dependency_order(fw: Framework) -> Found:
    """The order in which dates are worked out must not loop (meaningless while keys are duplicated)."""
    if len({d.key for d in fw.deadlines}) < len(fw.deadlines):
        return []

    def node(name: str) -> str:
        return ("milestone:" if name in fw.milestone_keys else "event:") + name

    graph: dict[str, set[str]] = {}
    for deadline in fw.deadlines:
        graph.setdefault("milestone:" + deadline.key, set()).add(node(deadline.from_))
        if deadline.event is not None:
            graph.setdefault("event:" + deadline.event, set()).add("milestone:" + deadline.key)
    for event in fw.events:
        if event.estimated_by is not None:
            graph.setdefault("event:" + event.name, set()).add(node(event.estimated_by))
    for outcome in fw.outcomes:
        if outcome.next_full_inspection is not None:
            graph.setdefault("milestone:" + NEXT_FULL_INSPECTION, set()).add(
                node(outcome.next_full_inspection.from_)
            )
    loop = find_cycle(graph)
    if loop is None:
        return []
    in_cycle = {c.split(":", 1)[1] for c in loop if c.startswith("milestone:")}
    index = next((i for i, d in enumerate(fw.deadlines) if d.key in in_cycle), 0)
    chain = " -> ".join(c.split(":", 1)[1] for c in loop)
    return [(("deadlines", index, "from"), MSG_DEPENDENCY_CYCLE.format(chain=chain))]


def check_timetable(fw: Framework) -> Found:
    found: Found = []
    for field_name in ("notification_event", "on_site_start_event", "on_site_end_event"):
        value = getattr(fw.timetable, field_name)
        if value not in fw.event_names:
            found.append((("timetable", field_name), MSG_UNKNOWN_EVENT.format(name=value)))
    if fw.timetable.notification_weekday in ("saturday", "sunday"):
        found.append(
            (
                ("timetable", "notification_weekday"),
                MSG_NOT_WORKING_DAY_NOTIFICATION.format(weekday=fw.timetable.notification_weekday),
            )
        )
    return found


def check_lifecycle(fw: Framework) -> Found:
    """States are unique, transitions name states, and every state can be reached from the first."""
    life = fw.lifecycle
    found = check_unique(keys_of(("lifecycle", "states"), life.states), "state")
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
    if life.initial not in states:
        return found
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
    return found


def check_follow_up_documents(fw: Framework) -> Found:
    deadline_keys = {d.key for d in fw.deadlines}
    found = check_unique(keys_of("follow_up_documents", fw.follow_up_documents), "document key")
    for index, document in enumerate(fw.follow_up_documents):
        loc: Loc = ("follow_up_documents", index)
        found += check_conditions(fw, document.required_when, (*loc, "required_when"))
        for j, key in enumerate(document.deadlines):
            if key not in deadline_keys:
                found.append(((*loc, "deadlines", j), MSG_UNKNOWN_DEADLINE.format(name=key)))
        found += check_unique(
            (
                ((*loc, "review_judgements", j, "key"), o.key)
                for j, o in enumerate(document.review_judgements)
            ),
            "judgement",
        )
        found += check_linked_events(fw, document.events, (*loc, "events"))
    return found


def check_visits(fw: Framework) -> Found:
    deadline_keys = {d.key for d in fw.deadlines}
    found = check_unique(keys_of("visits", fw.visits), "visit key")
    for index, visit in enumerate(fw.visits):
        loc: Loc = ("visits", index)
        found += check_conditions(fw, visit.required_when, (*loc, "required_when"))
        for j, key in enumerate(visit.deadlines):
            if key not in deadline_keys:
                found.append(((*loc, "deadlines", j), MSG_UNKNOWN_DEADLINE.format(name=key)))
        if visit.length is not None and visit.length.max < visit.length.min:
            found.append(
                ((*loc, "length", "max"), MSG_AT_LEAST.format(limit=visit.length.min, got=visit.length.max))
            )
        found += check_linked_events(fw, visit.events, (*loc, "events"))
        for j, scale in enumerate(visit.judgement_scales):
            found += check_unique(
                (
                    ((*loc, "judgement_scales", j, "options", k, "key"), o.key)
                    for k, o in enumerate(scale.options)
                ),
                "judgement",
            )
    return found


def check_finding_kinds(fw: Framework) -> Found:
    found = check_unique(keys_of("finding_kinds", fw.finding_kinds), "finding kind")
    for index, kind in enumerate(fw.finding_kinds):
        found += check_conditions(fw, kind.when, ("finding_kinds", index, "when"))
    return found


def check_lead_and_sign_off(fw: Framework) -> Found:
    """One lead role; a state's required event exists; sign-off names a team role's organisation."""
    found: Found = []
    leads = [i for i, r in enumerate(fw.team_roles) if r.lead]
    if len(leads) > 1:
        found.append((("team_roles", leads[1], "lead"), MSG_ONE_LEAD))
    organisations = {r.organisation for r in fw.team_roles}
    for index, state in enumerate(fw.lifecycle.states):
        loc: Loc = ("lifecycle", "states", index)
        if state.requires_event is not None and state.requires_event not in fw.event_names:
            found.append(((*loc, "requires_event"), MSG_UNKNOWN_EVENT.format(name=state.requires_event)))
        for j, organisation in enumerate(state.requires_sign_off):
            if organisation not in organisations:
                found.append(
                    ((*loc, "requires_sign_off", j), MSG_UNKNOWN_ORGANISATION.format(name=organisation))
                )
    return found


def check_evidence_and_adulthood(fw: Framework) -> Found:
    return [
        *check_unique(keys_of("evidence", fw.evidence), "evidence group key"),
        *check_unique(
            keys_of("preparation_for_adulthood", fw.preparation_for_adulthood),
            "preparation-for-adulthood key",
        ),
    ]


def check_vocabularies(fw: Framework) -> Found:
    """Codes are unique in each vocabulary, and every reference to a term names one that exists."""
    found: Found = []
    vocabularies = fw.vocabularies
    if vocabularies is not None:
        for file_key, what in TERM_NAMES.items():
            found += check_unique(
                keys_of(("vocabularies", file_key), getattr(vocabularies, file_key), "code"), what
            )
        for index, activity in enumerate(vocabularies.activity_types):
            source = activity.evidence_source
            if source is not None and fw.term("evidence_source", source) is None:
                found.append(
                    (
                        ("vocabularies", "activity_types", index, "evidence_source"),
                        unknown_term(fw, source, "evidence_source"),
                    )
                )
    for index, group in enumerate(fw.evidence):
        for j, code in enumerate(group.sources):
            if fw.term("evidence_source", code) is None:
                found.append((("evidence", index, "sources", j), unknown_term(fw, code, "evidence_source")))
    return found


CHECKS: tuple[Check, ...] = (
    check_dates_and_revisions,
    check_criteria_tree,
    check_unique_outcomes_and_roles,
    check_events,
    check_date_rules,
    check_deadlines,
    check_dependency_order,
    check_timetable,
    check_lifecycle,
    check_follow_up_documents,
    check_visits,
    check_finding_kinds,
    check_lead_and_sign_off,
    check_evidence_and_adulthood,
    check_vocabularies,
    check_publication,
    check_sign_off,
    check_plan_rules,
    check_visit_scales,
    check_visit_consistency,
    check_postponement,
    check_national_history,
    check_team_grades,
    check_signatories,
    check_record_stages,
)


def cross_check(fw: Framework) -> Found:
    """Every cross-reference problem in a schema-valid framework, with the key path of each."""
    return [problem for check in CHECKS for problem in check(fw)]
