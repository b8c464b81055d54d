"""The order a framework's dates must come in, and the cross-checks of its date rules.

An event's date may not be before the dates of the events it names in ``not_before``, nor before
the event a deadline it completes runs from (``deadlines[].from`` when that is an event: the timeline
has always refused an event before the event it follows). The order is transitive: a last day on
site cannot be before the notification even when the first day on site is not recorded yet.

A version loaded before events declared date rules borrows those of a later version of the same
framework (:func:`with_date_rules_from`): they check what is recorded, and inspections already
running under the older version are held to them too.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping

from .checks_support import Found, find_cycle
from .messages import (
    MSG_DATE_ORDER_CYCLE,
    MSG_DATE_RULE_ON_DECISION,
    MSG_DATE_RULES_NEED_SOURCE,
    MSG_NOT_A_DATE_EVENT,
    MSG_UNKNOWN_EVENT,
)
from .schema import Framework


def order_graph(fw: Framework) -> dict[str, tuple[str, ...]]:
    """Each date event -> the date events it may not come before (directly), in file order."""
    dates = {e.name for e in fw.events if e.choices is None}
    graph: dict[str, list[str]] = {}

    def add(later: str, earlier: str) -> None:
        if later in dates and earlier in dates:
            found = graph.setdefault(later, [])
            if earlier not in found:
                found.append(earlier)

    for event in fw.events:
        for earlier in event.not_before:
            add(event.name, earlier)
    for deadline in fw.deadlines:
        if deadline.event is not None:
            add(deadline.event, deadline.from_)
    return {name: tuple(earlier) for name, earlier in graph.items()}


def _reach(graph: Mapping[str, Iterable[str]], start: str) -> list[str]:
    """The events reachable from ``start``, nearest first (breadth first, without ``start``)."""
    seen = {start}
    order: list[str] = []
    todo = deque([start])
    while todo:
        for nxt in graph.get(todo.popleft(), ()):
            if nxt not in seen:
                seen.add(nxt)
                order.append(nxt)
                todo.append(nxt)
    return order


def earlier_events(fw: Framework, name: str) -> list[str]:
    """The events ``name`` may not come before, directly or through others, nearest first."""
    return _reach(order_graph(fw), name)


def later_events(fw: Framework, name: str) -> list[str]:
    """The events that may not come before ``name``, directly or through others, nearest first."""
    reverse: dict[str, list[str]] = {}
    for later, earlier in order_graph(fw).items():
        for name_before in earlier:
            reverse.setdefault(name_before, []).append(later)
    return _reach(reverse, name)


def check_date_rules(fw: Framework) -> Found:
    """``not_before`` names date events of this framework, only dates have date rules, the rules say
    where they come from, and no dates must each come after the other."""
    found: Found = []
    for index, event in enumerate(fw.events):
        here = ("events", index)
        has_rules = bool(event.not_before) or event.not_in_future
        if event.choices is not None:
            for rule, present in (
                ("not_before", bool(event.not_before)),
                ("not_in_future", event.not_in_future),
            ):
                if present:
                    found.append(
                        ((*here, rule), MSG_DATE_RULE_ON_DECISION.format(name=event.name, rule=rule))
                    )
        for j, earlier in enumerate(event.not_before):
            if earlier not in fw.event_names:
                found.append(((*here, "not_before", j), MSG_UNKNOWN_EVENT.format(name=earlier)))
            elif fw.choices(earlier) is not None:
                found.append(((*here, "not_before", j), MSG_NOT_A_DATE_EVENT.format(name=earlier)))
        if has_rules and (event.source is None or event.confidence is None):
            found.append(
                ((*here, "source" if event.source is None else "confidence"), MSG_DATE_RULES_NEED_SOURCE)
            )
    loop = find_cycle(order_graph(fw))
    if loop is not None:
        index = next((i for i, e in enumerate(fw.events) if e.name == loop[0]), 0)
        found.append((("events", index, "not_before"), MSG_DATE_ORDER_CYCLE.format(chain=" -> ".join(loop))))
    return found


def declares_date_rules(fw: Framework) -> bool:
    return any(e.not_before or e.not_in_future for e in fw.events)


def with_date_rules_from(old: Framework, later: Framework) -> Framework:
    """``old`` with the date rules of ``later``'s events of the same names, when ``old`` (a version
    loaded before date rules were declared) declares none. A rule naming an event ``old`` does not
    date is left out; ``old`` is returned unchanged when ``later`` is another framework or an
    earlier version, or when the borrowed rules would not fit it."""
    if declares_date_rules(old) or later.id != old.id or later.version <= old.version:
        return old
    dated = {e.name for e in old.events if e.choices is None}
    events = []
    for event in old.events:
        donor = later.event(event.name)
        if event.choices is None and donor is not None and donor.choices is None:
            rules = {
                "not_before": tuple(name for name in donor.not_before if name in dated),
                "not_in_future": donor.not_in_future,
                "source": donor.source,
                "confidence": donor.confidence,
            }
            event = event.model_copy(update=rules)
        events.append(event)
    merged = old.model_copy(update={"events": tuple(events)})
    return merged if not check_date_rules(merged) else old
