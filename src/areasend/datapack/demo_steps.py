"""Demo lines of enquiry for Essex (the demo area): proposed from its data pack, two accepted."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from areasend.areas.models import LocalArea
from areasend.core.demo import DEMO_AREA, demo_step

from .models import LineOfEnquiry
from .services import line_review, lines_propose


@demo_step(50)
def demo_lines_of_enquiry() -> list[str]:
    area = LocalArea.objects.get(ons_code=DEMO_AREA)
    if LineOfEnquiry.objects.filter(area=area).exists():
        return ["Lines of enquiry: already proposed for Essex."]
    lead = get_user_model().objects.get(username="demo-lead-inspector")
    proposed = lines_propose(area=area, actor=lead)
    for line in proposed[:2]:
        line_review(line=line, actor=lead, decision="accept")
    return [f"Lines of enquiry: {len(proposed)} proposed for Essex from its data pack, 2 accepted."]
