"""Demo lines of enquiry: the current demo inspection of Essex (the demo area) has its lines proposed
from the data pack when it is created; this step makes sure it has them and that two are accepted."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from areasend.core.demo import DEMO_AREA, demo_step
from areasend.inspections.demo_steps import TITLE_2023
from areasend.inspections.models import Inspection

from .models import LineOfEnquiry
from .services import line_review, lines_propose


@demo_step(50)
def demo_lines_of_enquiry() -> list[str]:
    inspection = Inspection.objects.filter(area__ons_code=DEMO_AREA, title=TITLE_2023).first()
    if inspection is None:
        return ["Lines of enquiry: no demo inspection to keep them for."]
    lead = get_user_model().objects.get(username="demo-lead-inspector")
    lines = LineOfEnquiry.objects.filter(inspection=inspection)
    proposed = [] if lines.exists() else lines_propose(inspection=inspection, actor=lead)
    accepted = lines.filter(status__in=[LineOfEnquiry.ACCEPTED, LineOfEnquiry.EDITED]).exists()
    if not accepted:
        for line in lines.filter(status=LineOfEnquiry.PROPOSED).order_by("id")[:2]:
            line_review(line=line, actor=lead, decision="accept")
    if not proposed and accepted:
        return [f"Lines of enquiry: already kept for {inspection}."]
    return [f"Lines of enquiry: {lines.count()} kept for {inspection} from the data pack, 2 accepted."]
