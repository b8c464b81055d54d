"""The JSON API under /api/, with its OpenAPI schema at /api/openapi.json.

Every operation declares its permission through its `auth` (``TokenAuth("areas.view")``); the
route-permission test fails on any operation without one.
"""

from __future__ import annotations

from ninja import NinjaAPI

from areasend import __version__
from areasend.core.api_auth import TokenAuth
from areasend.core.permissions import public

api = NinjaAPI(
    title="areasend API",
    version=__version__,
    description=(
        "Area SEND inspections. Authenticate with `Authorization: Bearer <token>`.\n\n"
        "**Versions.** An inspection and each of its follow-up plans have a `version` that goes up by "
        "one with every change. `GET /api/inspections/{id}` returns it in its body and as its `ETag` "
        '(`"3"`); each plan in it has its own `version`. Send the version your change is based on in '
        "an `If-Match` header: the inspection's, or the plan's on a plan's own endpoints "
        "(`/plans/{id}/...`, `/actions/{id}/progress`). When someone else changed it since you read "
        "it, the write is refused with 409 and a message, and nothing changes; read again and decide "
        "again. Without `If-Match` a write is checked only against the rules on what is stored. Every "
        "write's response carries the new version in its `ETag`."
    ),
    urls_namespace="api",
    docs_url=None,
    docs_decorator=public,  # the OpenAPI schema is public documentation
    auth=TokenAuth("api.use"),
)

from areasend.followup.api import router as followup_router  # noqa: E402
from areasend.followup.correction_api import router as followup_corrections_router  # noqa: E402
from areasend.inspections.api import router as inspections_router  # noqa: E402
from areasend.inspections.correction_api import router as corrections_router  # noqa: E402

from .areas import router as areas_router  # noqa: E402
from .detail import router as detail_router  # noqa: E402
from .national import router as national_router  # noqa: E402

api.add_router("/areas", areas_router)
api.add_router("/", inspections_router)
api.add_router("/", detail_router)
api.add_router("/", followup_router)
api.add_router("/", national_router)
api.add_router("/", corrections_router)
api.add_router("/", followup_corrections_router)

__all__ = ["TokenAuth", "api"]
