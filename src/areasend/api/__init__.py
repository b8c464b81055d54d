"""The JSON API under /api/, with its OpenAPI schema at /api/openapi.json.

Every operation declares its permission through its `auth` (``TokenAuth("areas.view")``); the
route-permission test fails on any operation without one.
"""

from __future__ import annotations

from ninja import NinjaAPI

from areasend import __version__
from areasend.core.permissions import public

from .auth import TokenAuth

api = NinjaAPI(
    title="areasend API",
    version=__version__,
    description="Area SEND inspections. Authenticate with `Authorization: Bearer <token>`.",
    urls_namespace="api",
    docs_url=None,
    docs_decorator=public,  # the OpenAPI schema is public documentation
    auth=TokenAuth("api.use"),
)

from .areas import router as areas_router  # noqa: E402
from .inspections import router as inspections_router  # noqa: E402

api.add_router("/areas", areas_router)
api.add_router("/", inspections_router)

__all__ = ["TokenAuth", "api"]
