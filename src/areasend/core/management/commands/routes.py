from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from areasend.core.management import COMMAND_CHECKS
from areasend.core.routes import all_routes


class Command(BaseCommand):
    requires_system_checks = COMMAND_CHECKS
    help = "Print every route with its name and declared permission (the inventory in docs/routes.txt)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write("# pattern\tname\tpermission — regenerate with `areasend routes > docs/routes.txt`")
        for line in sorted(f"{r.pattern}\t{r.name}\t{r.permission}" for r in all_routes()):
            self.stdout.write(line)
