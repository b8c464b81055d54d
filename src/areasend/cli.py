"""The `areasend` command: Django's management commands with areasend's settings.

`areasend --help` lists the commands; `areasend migrate`, `areasend runserver`, `areasend demo`,
`areasend areas import` and the rest work as Django management commands do.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "areasend.settings.base")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else ["areasend", *argv])
    args[0] = "areasend"
    if len(args) == 1 or args[1] in {"-h", "--help"}:
        args = ["areasend", "help"]
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
