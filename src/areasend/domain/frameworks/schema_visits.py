"""The schema of a framework's follow-up visits: their judgement scales, and how the judgements of
each finding decide the overall one.

A visit judges on scales: one judgement for each finding of the kind a scale ``judges`` (each area
of significant weakness, say), and one overall judgement on the scale without ``judges``. Where the
overall judgement follows from the others, the overall scale says how (``implied_by``): the options
of the per-finding scale that count (``counting``: sufficient progress), and for each overall option
the share of the findings judged with one of them that it stands for (``implied_when``: ``all``,
``some`` or ``none``). :meth:`JudgementScale.agreeing` gives the overall options that agree with
the judgements recorded so far.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import Field

from .schema_base import Conditions, Confidence, Key, Sourced, Sources, Text, _Schema

Share = Literal["all", "some", "none"]
SHARES: tuple[Share, ...] = ("all", "some", "none")


class Option(_Schema):
    key: Key
    label: Text
    source: Sources | None = None
    confidence: Confidence | None = None
    # On an overall scale with ``implied_by``: the shares of the findings judged with a counting
    # option that this option stands for.
    implied_when: tuple[Share, ...] = ()


class ImpliedBy(Sourced):
    """How the judgements of each finding decide a visit's overall judgement: ``scale`` is the
    visit's scale that judges each finding, ``counting`` the options of it that count."""

    scale: Key
    counting: tuple[Key, ...] = Field(min_length=1)


def shares_possible(counted: int, unjudged: int, total: int) -> frozenset[Share]:
    """The shares of ``total`` findings judged with a counting option that the judgements allow:
    ``counted`` are so judged, and ``unjudged`` are still to be judged (any way)."""
    if total == 0:
        return frozenset(SHARES)
    low, high = counted, counted + unjudged
    found: set[Share] = set()
    if low == 0:
        found.add("none")
    if high == total:
        found.add("all")
    if max(low, 1) <= min(high, total - 1):
        found.add("some")
    return frozenset(found)


class JudgementScale(_Schema):
    """A scale a visit judges on: one judgement for each finding of the kind it ``judges``, or (with
    no ``judges``) one judgement overall."""

    key: Key
    label: Text
    judges: Key | None = None  # a finding kind key
    # Written by files before ``judges`` was declared, and no longer read: such a version borrows
    # ``judges`` from a later version of its framework.
    applies_to: Key | None = None
    implied_by: ImpliedBy | None = None  # an overall scale that follows the per-finding judgements
    options: tuple[Option, ...] = Field(min_length=1)

    @property
    def overall(self) -> bool:
        return self.judges is None and self.applies_to is None

    def option(self, key: str) -> Option | None:
        return next((o for o in self.options if o.key == key), None)

    def agreeing(self, judgements: Sequence[str], unjudged: int = 0) -> tuple[str, ...]:
        """The options of this overall scale that agree with ``judgements`` (options of the
        ``implied_by`` scale, one per finding judged) while ``unjudged`` findings are still to be
        judged. Every option agrees when the scale declares no ``implied_by``, or there is nothing
        to judge."""
        rule = self.implied_by
        if rule is None:
            return tuple(o.key for o in self.options)
        counted = sum(1 for judgement in judgements if judgement in rule.counting)
        shares = shares_possible(counted, unjudged, len(judgements) + unjudged)
        return tuple(o.key for o in self.options if shares.intersection(o.implied_when))


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

    @property
    def overall_scale(self) -> JudgementScale | None:
        return next((s for s in self.judgement_scales if s.overall), None)

    def scale(self, key: str) -> JudgementScale | None:
        return next((s for s in self.judgement_scales if s.key == key), None)

    def scale_judging(self, finding_kind: str) -> JudgementScale | None:
        return next((s for s in self.judgement_scales if s.judges == finding_kind), None)

    @property
    def judged_kinds(self) -> tuple[str, ...]:
        """The finding kinds this visit judges one by one, in the order of its scales."""
        return tuple(s.judges for s in self.judgement_scales if s.judges is not None)
