"""Cross-checks of who may do what: the grades that may hold each team role, who signs off for each
organisation and in which stages, and the stages in which the outcome and findings are recorded."""

from __future__ import annotations

from areasend.domain.inspectorates import GRADES

from .checks_support import Found
from .messages import (
    MSG_GRADE_OTHER_ORGANISATION,
    MSG_NOT_A_SIGN_OFF_ORGANISATION,
    MSG_RECORD_TWICE,
    MSG_SIGN_OFF_AFTER_PUBLICATION,
    MSG_SIGNATORY_OTHER_ORGANISATION,
    MSG_UNKNOWN_GRADE,
    MSG_UNKNOWN_ROLE,
    MSG_UNKNOWN_STATE,
)
from .schema import Framework


def check_team_grades(fw: Framework) -> Found:
    """Each grade a team role names is an inspector's grade of the role's own organisation."""
    found: Found = []
    for index, role in enumerate(fw.team_roles):
        for j, name in enumerate(role.grades):
            here = ("team_roles", index, "grades", j)
            grade = GRADES.get(name)
            if grade is None:
                found.append((here, MSG_UNKNOWN_GRADE.format(name=name, grades=", ".join(GRADES))))
            elif grade.inspectorate != role.organisation:
                found.append(
                    (
                        here,
                        MSG_GRADE_OTHER_ORGANISATION.format(
                            name=name, grade_organisation=grade.inspectorate, organisation=role.organisation
                        ),
                    )
                )
    return found


def _states(fw: Framework, names: tuple[str, ...], loc: tuple[str | int, ...]) -> Found:
    known = {s.key for s in fw.lifecycle.states}
    found: Found = []
    for index, name in enumerate(names):
        if name not in known:
            found.append(((*loc, index), MSG_UNKNOWN_STATE.format(name=name)))
    return found


def check_signatories(fw: Framework) -> Found:
    """Each signatory is a team role of the organisation it signs for, and a report is signed off in
    stages before publication."""
    sign_off = fw.sign_off
    if sign_off is None:
        return []
    roles = {r.key: r for r in fw.team_roles}
    found: Found = []
    for organisation, key in sign_off.signatories.items():
        here = ("sign_off", "signatories", organisation)
        role = roles.get(key)
        if organisation not in sign_off.organisations:
            found.append(
                (
                    here,
                    MSG_NOT_A_SIGN_OFF_ORGANISATION.format(
                        name=organisation, organisations=", ".join(sign_off.organisations)
                    ),
                )
            )
        elif role is None:
            found.append((here, MSG_UNKNOWN_ROLE.format(name=key)))
        elif role.organisation != organisation:
            found.append(
                (
                    here,
                    MSG_SIGNATORY_OTHER_ORGANISATION.format(
                        role=key, role_organisation=role.organisation, organisation=organisation
                    ),
                )
            )
    found += _states(fw, sign_off.states, ("sign_off", "states"))
    for index, name in enumerate(sign_off.states):
        if fw.is_published(name):
            found.append((("sign_off", "states", index), MSG_SIGN_OFF_AFTER_PUBLICATION.format(state=name)))
    return found


def check_record_stages(fw: Framework) -> Found:
    """The stages of each kind of record are lifecycle states, given once per kind."""
    found: Found = []
    seen: set[str] = set()
    for index, rule in enumerate(fw.lifecycle.records):
        loc = ("lifecycle", "records", index)
        if rule.record in seen:
            found.append(((*loc, "record"), MSG_RECORD_TWICE.format(record=rule.record)))
        seen.add(rule.record)
        found += _states(fw, rule.states, (*loc, "states"))
    return found
