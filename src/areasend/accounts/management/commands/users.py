from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from areasend.accounts.grades import store_grade
from areasend.accounts.roles import ROLE_LABELS
from areasend.accounts.services import UNKNOWN_USER, api_token_create, user_create
from areasend.areas.models import LocalArea
from areasend.core.management import COMMAND_CHECKS
from areasend.domain.inspectorates import GRADES, grade_text

UNKNOWN_AREA = "There is no area with ONS code {code!r}."


class Command(BaseCommand):
    requires_system_checks = COMMAND_CHECKS
    help = (
        "Users: `users create --username U --role ROLE [--area ONS_CODE] [--grade GRADE] [--token]`, "
        "`users grade USERNAME GRADE|none`, `users token USERNAME`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=type(parser))
        create = sub.add_parser("create", help="Create a user with one role.")
        create.add_argument("--username", required=True)
        create.add_argument("--role", required=True, choices=list(ROLE_LABELS))
        create.add_argument(
            "--area", help="ONS code of the area the role is for (area officers must give one)"
        )
        create.add_argument("--email", default="")
        create.add_argument(
            "--grade", default="", choices=list(GRADES), help="An inspector's grade (and so inspectorate)"
        )
        create.add_argument("--password", help="Set a password (otherwise the user cannot sign in to pages)")
        create.add_argument("--token", action="store_true", help="Create an API token and print it last")
        token = sub.add_parser("token", help="Print a new API token for an existing user.")
        token.add_argument("username")
        grade = sub.add_parser("grade", help="Record an inspector's grade ('none' forgets it).")
        grade.add_argument("username")
        grade.add_argument("grade", choices=[*GRADES, "none"])

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "create":
            area = None
            if options["area"]:
                area = LocalArea.objects.filter(ons_code=options["area"].upper()).first()
                if area is None:
                    raise CommandError(UNKNOWN_AREA.format(code=options["area"]), returncode=2)
            if options["password"]:
                # The validators of AUTH_PASSWORD_VALIDATORS, as Django's password forms apply them.
                candidate = get_user_model()(username=options["username"], email=options["email"])
                try:
                    password_validation.validate_password(options["password"], candidate)
                except ValidationError as exc:
                    raise CommandError(" ".join(exc.messages), returncode=2) from exc
            try:
                user = user_create(
                    username=options["username"],
                    role=options["role"],
                    area=area,
                    email=options["email"],
                    password=options["password"],
                    grade=options["grade"],
                )
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages), returncode=2) from exc
            if options["token"]:
                self.stdout.write(api_token_create(user=user))
            else:
                self.stdout.write(f"Created {user.get_username()} ({ROLE_LABELS[options['role']]}).")
            return
        existing = get_user_model().objects.filter(username=options["username"]).first()
        if existing is None:
            raise CommandError(UNKNOWN_USER.format(username=options["username"]), returncode=2)
        if options["action"] == "grade":
            chosen = "" if options["grade"] == "none" else options["grade"]
            with transaction.atomic():
                store_grade(user=existing, grade=chosen)
            self.stdout.write(f"{existing.get_username()}: {grade_text(chosen) if chosen else 'no grade'}.")
        else:
            self.stdout.write(api_token_create(user=existing))
