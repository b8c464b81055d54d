from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from areasend.core.demo import steps
from areasend.core.demo_steps import sign_in_details
from areasend.core.management import COMMAND_CHECKS
from areasend.domain.intake import IntakeError


class Command(BaseCommand):
    requires_system_checks = COMMAND_CHECKS
    help = "Load, idempotently, the demo: the register from real data, demo users and each app's demo data."

    def handle(self, *args: Any, **options: Any) -> None:
        for config in apps.get_app_configs():
            if config.name.startswith("areasend."):
                try:
                    importlib.import_module(f"{config.name}.demo_steps")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.demo_steps":
                        raise
        for _order, _name, step in steps():
            try:
                lines = step()
            except (ValidationError, IntakeError) as exc:
                message = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                raise CommandError(f"The demo stopped: {message}", returncode=2) from exc
            for line in lines:
                self.stdout.write(line)
        for line in sign_in_details():
            self.stdout.write(line)
