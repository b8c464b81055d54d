from __future__ import annotations

from typing import Any

import pytest

from areasend.conftest import make_user
from areasend.frameworks.models import FrameworkVersion
from areasend.frameworks.services import load_shipped_frameworks


@pytest.fixture
def frameworks(db: None) -> dict[str, FrameworkVersion]:
    load_shipped_frameworks()
    return {fv.framework_id: fv for fv in FrameworkVersion.objects.order_by("framework_id", "-version")}


@pytest.fixture
def team(db: None) -> dict[str, Any]:
    return {
        "admin": make_user("programme-admin", "administrator"),
        "lead": make_user("lead-hmi", "inspector"),
        "cqc": make_user("cqc-inspector", "inspector"),
        "social": make_user("social-care-inspector", "inspector"),
        "other_inspector": make_user("other-inspector", "inspector"),
        "officer": make_user("essex-officer", "area_officer", "E10000012"),
        "kent_officer": make_user("kent-officer", "area_officer", "E10000016"),
        "viewer": make_user("dfe-viewer", "viewer"),
    }
