"""The regime rules a framework file declares for each step of an inspection, and older files.

The rules (see :mod:`.schema`): ``lifecycle.publication``, ``sign_off``, each follow-up document's
``statuses``, its review judgements' ``status``, ``escalation`` and ``action_statuses``, and each
visit judgement scale's ``judges``. Files written before the rules were declared leave them out;
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
    MSG_RULE_NO_JUDGEMENT_STATUS,
    MSG_RULE_NO_PLAN_STATUSES,
    MSG_RULE_NO_PUBLICATION,
    MSG_RULE_NO_SIGN_OFF,
)
from .problems import Loc
from .schema import FollowUpDocument, Framework, JudgementScale, ReviewJudgement, Visit


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
    for index, visit in enumerate(fw.visits):
        for j, scale in enumerate(visit.judgement_scales):
            if scale.applies_to is not None:
                found.append((("visits", index, "judgement_scales", j, "applies_to"), MSG_RULE_APPLIES_TO))
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
    if old.applies_to is None or donor is None or donor.applies_to is not None:
        return old
    return old.model_copy(update={"judges": donor.judges, "applies_to": None})


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
    lifecycle = old.lifecycle
    if lifecycle.publication is None:
        lifecycle = lifecycle.model_copy(update={"publication": later.lifecycle.publication})
    merged = old.model_copy(
        update={
            "lifecycle": lifecycle,
            "sign_off": old.sign_off if old.sign_off is not None else later.sign_off,
            "follow_up_documents": tuple(
                _document(d, later.document(d.key)) for d in old.follow_up_documents
            ),
            "visits": tuple(_visit(v, later.visit(v.key)) for v in old.visits),
        }
    )
    return merged if not cross_check(merged) else old
