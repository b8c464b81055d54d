from __future__ import annotations

import pytest

from areasend.core.demo_steps import create_demo_users
from areasend.followup.demo_steps import demo_follow_up
from areasend.frameworks.services import load_shipped_frameworks
from areasend.inspections.demo_steps import TITLE_2016, TITLE_2023, demo_inspections
from areasend.inspections.models import Inspection
from areasend.inspections.selectors import inspections_visible_to
from areasend.inspections.services import inspection_timeline


@pytest.mark.django_db
def test_demo_inspections_are_created_once_at_interesting_stages(django_user_model) -> None:  # type: ignore[no-untyped-def]
    load_shipped_frameworks()
    create_demo_users()
    assert demo_inspections() == [f"Demo inspections: created {TITLE_2016}, {TITLE_2023}."]
    assert demo_inspections() == ["Demo inspections: already present."]
    assert demo_follow_up() == ["Demo follow-up: WSOA and revisit of the Essex 2019 inspection."]
    assert demo_follow_up() == ["Demo follow-up: already present."]
    essex_2019 = Inspection.objects.get(title=TITLE_2016)
    assert essex_2019.state == "follow_up" and essex_2019.outcome == "wsoa_required"
    assert essex_2019.findings.count() == 3
    timeline = inspection_timeline(essex_2019)
    assert timeline["publication"].actual is not None
    assert timeline["revisit_publication"].actual is not None  # 27 July 2022, later than 33 working days
    current = Inspection.objects.get(title=TITLE_2023)
    assert current.state in {"notified", "fieldwork"}
    lead = django_user_model.objects.get(username="demo-lead-inspector")
    officer = django_user_model.objects.get(username="demo-area-officer")
    assert set(inspections_visible_to(lead)) == {essex_2019, current}
    assert set(inspections_visible_to(officer)) == {essex_2019, current}
