from __future__ import annotations

from areasend.domain.frameworks import shipped_frameworks
from areasend.inspections.presentation import in_words, label_of


def test_keys_become_the_frameworks_own_words() -> None:
    frameworks = shipped_frameworks()
    f2016, f2023 = frameworks["local-area-send-2016"], frameworks["area-send-2023"]
    on_site_end = f2016.event("on_site_end")
    assert on_site_end is not None
    label = on_site_end.label
    assert (
        in_words(f2016, "33 working days after on_site_end")
        == f"33 working days after {label[0].lower()}{label[1:]}"
    )
    rule = in_words(f2016, "70 working days after report_received; only if outcome is wsoa_required")
    assert "_" not in rule and "report_received" not in rule
    assert label_of(f2016, "follow_up") == f2016.state("follow_up").label  # type: ignore[union-attr]
    assert label_of(f2023, "no_such_key") == "No such key"
    assert in_words(f2023, "projected from an_unknown_event") == "projected from an unknown event"
    # every key of the shipped files reads as words
    for framework in (f2016, f2023):
        for deadline in framework.deadlines:
            assert "_" not in in_words(framework, f"after {deadline.from_}; {deadline.key}")
