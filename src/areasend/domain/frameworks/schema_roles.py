"""Who may do what in a framework: the team roles (with the inspectorate and grades that may hold
each), who signs off a report for each inspectorate and in which stages, and the stages in which the
report's outcome and findings may be recorded."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .schema_base import Key, Sourced, Text

RecordKind = Literal["outcome", "findings"]


class TeamRole(Sourced):
    key: Key
    title: Text
    organisation: Text
    required: bool = True
    lead: bool = False  # the role an inspection must have before the partnership is notified
    note: Text | None = None
    # The inspectors' grades (areasend.domain.inspectorates.GRADES) that may hold the role; none
    # named (files written before grades were declared): any inspector may hold it.
    grades: tuple[Key, ...] = ()


class SignOff(Sourced):
    """The organisations that sign off a report (each names a team role's organisation).

    ``signatories`` names, for each organisation, the team role whose holder signs off for it; an
    organisation it leaves out (or a file written before signatories were declared) is signed off by
    any team member of that organisation. ``states`` are the lifecycle stages in which a report may be
    signed off (none named: any stage before publication); ``requires_outcome`` and
    ``requires_findings`` ask for the outcome and the findings it calls for first."""

    organisations: tuple[Text, ...] = Field(min_length=1)
    signatories: dict[Text, Key] = Field(default_factory=dict)
    states: tuple[Key, ...] = ()
    requires_outcome: bool = False
    requires_findings: bool = False

    def signatory(self, organisation: str) -> str | None:
        """The team role that signs off for `organisation` (None: any member of it)."""
        return self.signatories.get(organisation)


class RecordStage(Sourced):
    """The lifecycle stages in which one kind of record of the report (its outcome, its findings) may
    be made or changed. A kind no rule names may be recorded in any stage before publication."""

    record: RecordKind
    states: tuple[Key, ...] = Field(min_length=1)
