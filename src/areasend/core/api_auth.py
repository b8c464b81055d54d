from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer

from areasend.accounts.services import api_token_user
from areasend.core.permissions import has_permission


class TokenAuth(HttpBearer):
    """Bearer token auth that also checks one permission: 401 without a valid token, 403 without it."""

    def __init__(self, permission: str):
        super().__init__()
        self.permission = permission

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_user(token)
        if user is None:
            return None
        if not has_permission(user, self.permission):
            raise HttpError(403, "Your role does not allow this.")
        request.user = user
        return user
