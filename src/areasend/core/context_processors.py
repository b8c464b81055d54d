from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from areasend import __version__

from .navigation import nav_items


def service(request: HttpRequest) -> dict[str, object]:
    return {
        "service_name": settings.SERVICE_NAME,
        "service_version": __version__,
        "csp_nonce": getattr(request, "csp_nonce", ""),
        "nav_items": SimpleLazyObject(lambda: nav_items(getattr(request, "user", None))),
    }
