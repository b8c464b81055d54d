"""The platform's own demo steps: the register and the demo users."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from areasend.accounts.grades import store_grade
from areasend.accounts.roles import ADMINISTRATOR, AREA_OFFICER, INSPECTOR, VIEWER
from areasend.accounts.services import role_assign, user_create
from areasend.areas.models import LocalArea
from areasend.areas.services import areas_import

from .demo import DEMO_AREA, DEMO_PASSWORD, demo_step

DEMO_USERS = [
    ("demo-admin", ADMINISTRATOR, None, "Programme administrator"),
    ("demo-lead-inspector", INSPECTOR, None, "Lead inspector (Ofsted HMI)"),
    ("demo-cqc-inspector", INSPECTOR, None, "CQC inspector"),
    ("demo-area-officer", AREA_OFFICER, DEMO_AREA, "Area partnership officer for Essex"),
    ("demo-viewer", VIEWER, None, "Read-only viewer (DfE / NHS England)"),
]
# The inspectors' grades: the team roles they hold in the demo inspections are checked against them.
DEMO_GRADES = {"demo-lead-inspector": "hmi", "demo-cqc-inspector": "cqc_inspector"}


@demo_step(10)
def load_register() -> list[str]:
    return ["Register of local areas: " + line for line in areas_import().lines()]


@demo_step(20)
def create_demo_users() -> list[str]:
    User = get_user_model()
    created = []
    for username, role, area_code, _label in DEMO_USERS:
        area = LocalArea.objects.get(ons_code=area_code) if area_code else None
        user = User.objects.filter(username=username).first()
        if user is None:
            user_create(
                username=username,
                role=role,
                area=area,
                password=DEMO_PASSWORD,
                grade=DEMO_GRADES.get(username, ""),
            )
            created.append(username)
        else:
            role_assign(user=user, role=role, area=area)
            with transaction.atomic():
                store_grade(user=user, grade=DEMO_GRADES.get(username, ""))
    return [f"Demo users: {len(created)} created, {len(DEMO_USERS) - len(created)} already present."]


def sign_in_details() -> list[str]:
    lines = [
        "",
        "Sign in at http://127.0.0.1:8000/sign-in/ with any of these (password: " + DEMO_PASSWORD + "):",
    ]
    lines += [f"  {username:<22} {label}" for username, _, _, label in DEMO_USERS]
    return lines
