"""Cross-checks of the regime rules a framework file declares: publication, sign-off, plan statuses
and escalation, what each visit scale judges and how the overall judgement follows the others,
postponing, and the national history's figures."""

from __future__ import annotations

from .checks_support import Found, check_unique, keys_of, unknown_term
from .messages import (
    MSG_ESCALATION_WITHOUT_REVIEW,
    MSG_IMPLIED_BY_NOT_OVERALL,
    MSG_IMPLIED_WHEN_MISSING,
    MSG_IMPLIED_WHEN_WITHOUT_RULE,
    MSG_NO_ACCEPTING_JUDGEMENT,
    MSG_NOT_A_DATE_EVENT,
    MSG_NOT_A_FINDING_SCALE,
    MSG_NOT_A_SIGN_OFF_ORGANISATION,
    MSG_NOT_AFTER_PUBLICATION,
    MSG_NOT_AN_OVERALL_SCALE,
    MSG_ONE_OVERALL_SCALE,
    MSG_POSTPONE_NOT_TO_INITIAL,
    MSG_POSTPONE_WITHOUT_RULE,
    MSG_POSTPONED_DATE_NOT_ESTIMATED,
    MSG_PUBLICATION_EVENT_NOT_REQUIRED,
    MSG_PUBLICATION_STATE_NOT_PUBLISHED,
    MSG_RESERVED_FIGURE,
    MSG_RESULTS_WITHOUT_SCALE,
    MSG_SHARE_NOT_IMPLIED,
    MSG_STATUS_TWO_MEANINGS,
    MSG_UNKNOWN_DOCUMENT,
    MSG_UNKNOWN_EVENT,
    MSG_UNKNOWN_FINDING_KIND,
    MSG_UNKNOWN_OPTION,
    MSG_UNKNOWN_ORGANISATION,
    MSG_UNKNOWN_STATE,
    MSG_UNKNOWN_VISIT,
)
from .problems import Loc
from .schema import (
    GENERIC_FIGURES,
    Framework,
    JudgementScale,
    Visit,
)
from .schema_visits import SHARES


def _reachable(fw: Framework, start: str) -> set[str]:
    edges: dict[str, set[str]] = {}
    for transition in fw.lifecycle.transitions:
        edges.setdefault(transition.from_, set()).add(transition.to)
    reached = {start}
    todo = [start]
    while todo:
        for nxt in edges.get(todo.pop(), ()):
            if nxt not in reached:
                reached.add(nxt)
                todo.append(nxt)
    return reached


def check_publication(fw: Framework) -> Found:
    """The publication state and event exist, the state requires the event, and every state that
    counts as published comes after publication."""
    publication = fw.lifecycle.publication
    if publication is None:
        return []
    loc: Loc = ("lifecycle", "publication")
    found: Found = []
    states = {s.key for s in fw.lifecycle.states}
    state = fw.state(publication.state)
    if state is None:
        found.append(((*loc, "state"), MSG_UNKNOWN_STATE.format(name=publication.state)))
    if publication.event not in fw.event_names:
        found.append(((*loc, "event"), MSG_UNKNOWN_EVENT.format(name=publication.event)))
    elif fw.choices(publication.event) is not None:
        found.append(((*loc, "event"), MSG_NOT_A_DATE_EVENT.format(name=publication.event)))
    elif state is not None and state.requires_event != publication.event:
        found.append(
            (
                (*loc, "event"),
                MSG_PUBLICATION_EVENT_NOT_REQUIRED.format(state=publication.state, event=publication.event),
            )
        )
    if publication.state not in publication.published_states:
        found.append(
            ((*loc, "published_states"), MSG_PUBLICATION_STATE_NOT_PUBLISHED.format(state=publication.state))
        )
    after = _reachable(fw, publication.state) if state is not None else states
    for index, name in enumerate(publication.published_states):
        here: Loc = (*loc, "published_states", index)
        if name not in states:
            found.append((here, MSG_UNKNOWN_STATE.format(name=name)))
        elif name not in after:
            found.append((here, MSG_NOT_AFTER_PUBLICATION.format(state=name, publication=publication.state)))
    return found


def check_sign_off(fw: Framework) -> Found:
    """Sign-off organisations are team roles' organisations, and states require only those."""
    sign_off = fw.sign_off
    if sign_off is None:
        return []
    found = check_unique(
        ((("sign_off", "organisations", i), o) for i, o in enumerate(sign_off.organisations)),
        "organisation",
    )
    teams = {r.organisation for r in fw.team_roles}
    for index, name in enumerate(sign_off.organisations):
        if name not in teams:
            found.append((("sign_off", "organisations", index), MSG_UNKNOWN_ORGANISATION.format(name=name)))
    for index, state in enumerate(fw.lifecycle.states):
        for j, name in enumerate(state.requires_sign_off):
            if name in teams and name not in sign_off.organisations:
                found.append(
                    (
                        ("lifecycle", "states", index, "requires_sign_off", j),
                        MSG_NOT_A_SIGN_OFF_ORGANISATION.format(
                            name=name, organisations=", ".join(sign_off.organisations)
                        ),
                    )
                )
    return found


def check_plan_rules(fw: Framework) -> Found:
    """Plan statuses are terms of the plan statuses vocabulary, each with one meaning in a document;
    a review can accept the plan; only a reviewed document can be escalated; action statuses are
    unique."""
    found: Found = []
    for index, document in enumerate(fw.follow_up_documents):
        loc: Loc = ("follow_up_documents", index)
        meanings: dict[str, str] = {}
        named: list[tuple[Loc, str, str]] = []
        if document.statuses is not None:
            named.append(((*loc, "statuses", "opened"), document.statuses.opened, "the opening status"))
            named.append(
                (
                    (*loc, "statuses", "on_submission"),
                    document.statuses.on_submission,
                    "the status on submission",
                )
            )
        for j, judgement in enumerate(document.review_judgements):
            if judgement.status is not None:
                meaning = "acceptance" if judgement.accepts else "resubmission due"
                named.append(((*loc, "review_judgements", j, "status"), judgement.status, meaning))
        if document.escalation is not None:
            named.append(((*loc, "escalation", "status"), document.escalation.status, "escalation"))
            if not document.review_judgements:
                found.append(((*loc, "escalation"), MSG_ESCALATION_WITHOUT_REVIEW))
        for here, code, meaning in named:
            if fw.vocabularies is not None and fw.term("plan_status", code) is None:
                found.append((here, unknown_term(fw, code, "plan_status")))
            first = meanings.setdefault(code, meaning)
            if first != meaning:
                found.append((here, MSG_STATUS_TWO_MEANINGS.format(status=code, first=first, second=meaning)))
        if (
            document.statuses is not None
            and document.review_judgements
            and not any(j.accepts for j in document.review_judgements)
        ):
            found.append(((*loc, "review_judgements"), MSG_NO_ACCEPTING_JUDGEMENT))
        found += check_unique(
            keys_of((*loc, "action_statuses"), document.action_statuses, "code"), "action status"
        )
    return found


def check_visit_scales(fw: Framework) -> Found:
    """A scale judges a finding kind of the framework (each kind once per visit); at most one scale
    of a visit is overall."""
    kinds = {k.key for k in fw.finding_kinds}
    found: Found = []
    for index, visit in enumerate(fw.visits):
        loc: Loc = ("visits", index, "judgement_scales")
        found += check_unique(keys_of(loc, visit.judgement_scales), "judgement scale key")
        found += check_unique(
            (((*loc, j, "judges"), s.judges) for j, s in enumerate(visit.judgement_scales) if s.judges),
            "judged finding kind",
        )
        overall = 0
        for j, scale in enumerate(visit.judgement_scales):
            if scale.judges is not None and scale.judges not in kinds:
                found.append(
                    (
                        (*loc, j, "judges"),
                        MSG_UNKNOWN_FINDING_KIND.format(
                            name=scale.judges, kinds=", ".join(sorted(kinds)) or "none declared"
                        ),
                    )
                )
            if scale.overall:
                overall += 1
                if overall > 1:
                    found.append(((*loc, j, "key"), MSG_ONE_OVERALL_SCALE))
    return found


def check_postponement(fw: Framework) -> Found:
    """A move that postpones goes back to the initial state and needs the postponement rule, whose
    event is a date that estimates the date each postponed state requires."""
    life = fw.lifecycle
    found: Found = []
    rule = life.postponement
    for index, transition in enumerate(life.transitions):
        if not transition.postpone:
            continue
        here: Loc = ("lifecycle", "transitions", index)
        if transition.to != life.initial:
            found.append(
                ((*here, "to"), MSG_POSTPONE_NOT_TO_INITIAL.format(initial=life.initial, state=transition.to))
            )
        if rule is None:
            found.append(((*here, "postpone"), MSG_POSTPONE_WITHOUT_RULE))
            continue
        state = fw.state(transition.from_)
        required = state.requires_event if state is not None else None
        event = fw.event(required) if required else None
        if event is not None and event.estimated_by != rule.event and rule.event in fw.event_names:
            found.append(
                (
                    ("lifecycle", "postponement", "event"),
                    MSG_POSTPONED_DATE_NOT_ESTIMATED.format(
                        event=event.name, state=transition.from_, planned=rule.event
                    ),
                )
            )
    if rule is not None:
        loc: Loc = ("lifecycle", "postponement", "event")
        if rule.event not in fw.event_names:
            found.append((loc, MSG_UNKNOWN_EVENT.format(name=rule.event)))
        elif fw.choices(rule.event) is not None:
            found.append((loc, MSG_NOT_A_DATE_EVENT.format(name=rule.event)))
    return found


def _check_implied(visit: Visit, scale: JudgementScale, loc: Loc) -> Found:
    """An overall scale that follows the judgements of each finding names a per-finding scale of the
    visit and options of it, and each share (all, some, none) is given by one option."""
    rule = scale.implied_by
    if rule is None:
        return [
            ((*loc, "options", k, "implied_when"), MSG_IMPLIED_WHEN_WITHOUT_RULE)
            for k, option in enumerate(scale.options)
            if option.implied_when
        ]
    if not scale.overall:
        return [((*loc, "implied_by"), MSG_IMPLIED_BY_NOT_OVERALL)]
    found: Found = []
    judged = visit.scale(rule.scale)
    if judged is None or judged.overall:
        found.append(((*loc, "implied_by", "scale"), MSG_NOT_A_FINDING_SCALE.format(name=rule.scale)))
    else:
        for k, key in enumerate(rule.counting):
            if judged.option(key) is None:
                found.append(
                    (
                        (*loc, "implied_by", "counting", k),
                        MSG_UNKNOWN_OPTION.format(name=key, scale=rule.scale),
                    )
                )
    found += check_unique(
        (((*loc, "implied_by", "counting", k), key) for k, key in enumerate(rule.counting)), "counted option"
    )
    shares: list[tuple[Loc, str]] = []
    for k, option in enumerate(scale.options):
        if not option.implied_when:
            found.append(((*loc, "options", k, "key"), MSG_IMPLIED_WHEN_MISSING))
        shares += [
            ((*loc, "options", k, "implied_when", j), share) for j, share in enumerate(option.implied_when)
        ]
    found += check_unique(shares, "share")
    counting = " or ".join(rule.counting)
    for share in SHARES:
        if share not in {value for _, value in shares}:
            found.append(((*loc, "options"), MSG_SHARE_NOT_IMPLIED.format(share=share, counting=counting)))
    return found


def check_visit_consistency(fw: Framework) -> Found:
    found: Found = []
    for index, visit in enumerate(fw.visits):
        for j, scale in enumerate(visit.judgement_scales):
            found += _check_implied(visit, scale, ("visits", index, "judgement_scales", j))
    return found


def check_national_history(fw: Framework) -> Found:
    """The figures name documents, visits, overall scales and options that exist, once each."""
    history = fw.national_history
    if history is None:
        return []
    loc: Loc = ("national_history",)
    figures: list[tuple[Loc, str]] = []
    found: Found = []
    if history.outcomes is not None:
        figures.append(((*loc, "outcomes", "figure"), history.outcomes.figure))
        if history.outcomes.unknown_figure is not None:
            figures.append(((*loc, "outcomes", "unknown_figure"), history.outcomes.unknown_figure))
    for index, item in enumerate(history.documents):
        here: Loc = (*loc, "documents", index)
        figures.append(((*here, "figure"), item.figure))
        if fw.document(item.document) is None:
            found.append(((*here, "document"), MSG_UNKNOWN_DOCUMENT.format(name=item.document)))
    for index, entry in enumerate(history.visits):
        here = (*loc, "visits", index)
        figures.append(((*here, "figure"), entry.figure))
        if entry.results_figure is not None:
            figures.append(((*here, "results_figure"), entry.results_figure))
        visit = fw.visit(entry.visit)
        if visit is None:
            found.append(((*here, "visit"), MSG_UNKNOWN_VISIT.format(name=entry.visit)))
            continue
        if entry.result_scale is None:
            if entry.results_figure is not None or entry.result_names:
                found.append(((*here, "result_scale"), MSG_RESULTS_WITHOUT_SCALE))
            continue
        scale = next((s for s in visit.judgement_scales if s.key == entry.result_scale), None)
        if scale is None or not scale.overall:
            found.append(
                (
                    (*here, "result_scale"),
                    MSG_NOT_AN_OVERALL_SCALE.format(name=entry.result_scale, visit=entry.visit),
                )
            )
            continue
        for option in entry.result_names:
            if scale.option(option) is None:
                found.append(
                    (
                        (*here, "result_names", option),
                        MSG_UNKNOWN_OPTION.format(name=option, scale=entry.result_scale),
                    )
                )
    found = check_unique(figures, "figure") + found
    for here, name in figures:
        if name in GENERIC_FIGURES:
            found.append((here, MSG_RESERVED_FIGURE.format(name=name)))
    return found
