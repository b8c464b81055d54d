"""The regime rules a framework file declares for each step of an inspection, and older files.

The rules (see :mod:`.schema`): ``lifecycle.publication``, ``sign_off``, each follow-up document's
``statuses``, its review judgements' ``status``, ``escalation`` and ``action_statuses``, each
visit judgement scale's ``judges`` and an overall scale's ``implied_by`` (with its options'
``implied_when``), and whether a move back to the initial state postpones (``postpone``, with
``lifecycle.postponement`` and the event that holds the new date). Files written before the rules were declared leave them out;
areasend then applied the same rules, fixed in code, to every version. So that inspections run under
such a version keep working exactly as before, :func:`with_rules_from` lends it the rules of a later
version of the same framework (matched key by key; nothing else of the later version is used). A
new version must declare its rules itself: :func:`undeclared_rules` lists what one leaves out.
"""

from __future__ import annotations

from .checks import cross_check
from .checks_support import Found
from .messages import (
    MSG_RULE_APPLIES_TO,
    MSG_RULE_NO_ACTION_STATUSES,
    MSG_RULE_NO_IMPLIED_BY,
    MSG_RULE_NO_JUDGEMENT_STATUS,
    MSG_RULE_NO_PLAN_STATUSES,
    MSG_RULE_NO_POSTPONE,
    MSG_RULE_NO_PUBLICATION,
    MSG_RULE_NO_SIGN_OFF,
)
from .problems import Loc
from .schema import Event, FollowUpDocument, Framework, JudgementScale, Lifecycle, ReviewJudgement, Visit


def undeclared_rules(fw: Framework) -> Found:
    """The rules a file leaves undeclared, with the key path where each belongs."""
    found: Found = []
    if fw.lifecycle.publication is None:
        found.append((("lifecycle", "publication"), MSG_RULE_NO_PUBLICATION))
    if fw.sign_off is None and any(s.requires_sign_off for s in fw.lifecycle.states):
        found.append((("sign_off",), MSG_RULE_NO_SIGN_OFF))
    for index, document in enumerate(fw.follow_up_documents):
        loc: Loc = ("follow_up_documents", index)
        if document.statuses is None:
            found.append(((*loc, "statuses"), MSG_RULE_NO_PLAN_STATUSES))
        if not document.action_statuses:
            found.append(((*loc, "action_statuses"), MSG_RULE_NO_ACTION_STATUSES))
        for j, judgement in enumerate(document.review_judgements):
            if judgement.status is None:
                found.append(((*loc, "review_judgements", j, "status"), MSG_RULE_NO_JUDGEMENT_STATUS))
    for index, transition in enumerate(fw.lifecycle.transitions):
        if transition.to == fw.lifecycle.initial and transition.postpone is None:
            found.append((("lifecycle", "transitions", index, "postpone"), MSG_RULE_NO_POSTPONE))
    for index, visit in enumerate(fw.visits):
        for j, scale in enumerate(visit.judgement_scales):
            loc = ("visits", index, "judgement_scales", j)
            if scale.applies_to is not None:
                found.append(((*loc, "applies_to"), MSG_RULE_APPLIES_TO))
            elif scale.overall and visit.judged_kinds and scale.implied_by is None:
                found.append(((*loc, "implied_by"), MSG_RULE_NO_IMPLIED_BY))
    return found


def declares_rules(fw: Framework) -> bool:
    return not undeclared_rules(fw)


def _document(old: FollowUpDocument, donor: FollowUpDocument | None) -> FollowUpDocument:
    """The document's statuses, judgement statuses, escalation and action statuses from ``donor``
    where ``old`` leaves them out. A document that declared no review judgements was reviewed with
    areasend's default ones, which a later version declares: those are borrowed too."""
    if donor is None or old.statuses is not None:
        return old
    judgements = old.review_judgements or donor.review_judgements
    update: dict[str, object] = {
        "statuses": donor.statuses,
        "escalation": old.escalation or donor.escalation,
        "action_statuses": old.action_statuses or donor.action_statuses,
        "review_judgements": tuple(_judgement(j, donor.judgement(j.key)) for j in judgements),
    }
    return old.model_copy(update=update)


def _judgement(old: ReviewJudgement, donor: ReviewJudgement | None) -> ReviewJudgement:
    if old.status is not None or donor is None:
        return old
    return old.model_copy(update={"status": donor.status, "accepts": donor.accepts})


def _scale(old: JudgementScale, donor: JudgementScale | None) -> JudgementScale:
    if donor is None or donor.applies_to is not None:
        return old
    if old.applies_to is not None:
        old = old.model_copy(update={"judges": donor.judges, "applies_to": None})
    same_options = [o.key for o in old.options] == [o.key for o in donor.options]
    if old.implied_by is not None or donor.implied_by is None or not old.overall or not same_options:
        return old
    options = tuple(
        o.model_copy(update={"implied_when": d.implied_when})
        for o, d in zip(old.options, donor.options, strict=True)
    )
    return old.model_copy(update={"implied_by": donor.implied_by, "options": options})


def _lifecycle(old: Lifecycle, later: Lifecycle) -> Lifecycle:
    """Publication, and whether each move back to the initial state postpones, from ``later``."""
    moves = {(t.from_, t.to): t.postpone for t in later.transitions}
    transitions = tuple(
        t.model_copy(update={"postpone": moves.get((t.from_, t.to))})
        if t.postpone is None and t.to == old.initial
        else t
        for t in old.transitions
    )
    postpones = any(t.postpone for t in transitions)
    return old.model_copy(
        update={
            "publication": old.publication or later.publication,
            "transitions": transitions,
            "postponement": old.postponement or (later.postponement if postpones else None),
        }
    )


def _events(old: Framework, later: Framework, lifecycle: Lifecycle) -> tuple[Event, ...]:
    """The event a borrowed postponement records the new date in (added when ``old`` has none), and
    its role as the estimate of the date each postponed state requires."""
    rule = lifecycle.postponement
    if rule is None or old.lifecycle.postponement is not None:
        return old.events
    postponed = {
        state.requires_event
        for t in lifecycle.transitions
        if t.postpone and (state := old.state(t.from_)) is not None and state.requires_event
    }
    events = tuple(
        e.model_copy(update={"estimated_by": rule.event})
        if e.name in postponed and e.estimated_by is None
        else e
        for e in old.events
    )
    added = later.event(rule.event)
    if old.event(rule.event) is None and added is not None:
        events = (*events, added)
    return events


def _visit(old: Visit, donor: Visit | None) -> Visit:
    if donor is None:
        return old
    scales = {s.key: s for s in donor.judgement_scales}
    return old.model_copy(
        update={"judgement_scales": tuple(_scale(s, scales.get(s.key)) for s in old.judgement_scales)}
    )


def with_rules_from(old: Framework, later: Framework) -> Framework:
    """``old`` with the rules it leaves undeclared taken from ``later`` (a later version of the same
    framework), key by key. ``old`` is returned unchanged when it declares its rules, when ``later``
    is another framework, or when the borrowed rules would not fit it (they name a state, a status
    or a finding kind that ``old`` does not have)."""
    if declares_rules(old) or later.id != old.id or later.version <= old.version:
        return old
    lifecycle = _lifecycle(old.lifecycle, later.lifecycle)
    merged = old.model_copy(
        update={
            "lifecycle": lifecycle,
            "events": _events(old, later, lifecycle),
            "sign_off": old.sign_off if old.sign_off is not None else later.sign_off,
            "follow_up_documents": tuple(
                _document(d, later.document(d.key)) for d in old.follow_up_documents
            ),
            "visits": tuple(_visit(v, later.visit(v.key)) for v in old.visits),
        }
    )
    return merged if not cross_check(merged) else old
