"""The `areasend` command: Django's management commands with areasend's settings.

`areasend --help` lists the commands; `areasend migrate`, `areasend runserver`, `areasend demo`,
`areasend areas import` and the rest work as Django management commands do.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

PROG_NAME = "areasend"


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "areasend.settings.base")
    args = list(sys.argv if argv is None else [PROG_NAME, *argv])
    args[0] = PROG_NAME
    if len(args) == 1 or args[1] in {"-h", "--help"}:
        args = [PROG_NAME, "help"]
    if args == [PROG_NAME, "help"]:
        text = help_text()
        if text is not None:
            sys.stdout.write(text + "\n")
            return
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


def commands_by_app(installed_apps: list[str]) -> dict[str, str] | None:
    """{command: app} as Django's `get_commands()` finds them, without setting up the apps.

    Django's own `help` imports every app's models to find each app's `management/commands`
    folder; the folders can be found from the app packages alone. None (Django answers instead)
    when an installed app is not a plain package, an AppConfig path for example.
    """
    import importlib.util
    import pkgutil

    def find_commands(package: str) -> list[str] | None:
        try:
            spec = importlib.util.find_spec(package)
        except ImportError:
            return None
        locations = list(spec.submodule_search_locations or []) if spec else []
        if len(locations) != 1:
            return None
        folder = os.path.join(locations[0], "management", "commands")
        return [
            name
            for _, name, is_pkg in pkgutil.iter_modules([folder])
            if not is_pkg and not name.startswith("_")
        ]

    core = find_commands("django.core")
    if core is None:
        return None
    commands = dict.fromkeys(core, "django.core")
    for app in reversed(installed_apps):  # the first app to name a command wins, as in Django
        found = find_commands(app)
        if found is None:
            return None
        commands.update(dict.fromkeys(found, app))
    return commands


def help_text() -> str | None:
    """The text of `areasend help` (Django's main help text), or None to let Django print it."""
    if "DJANGO_AUTO_COMPLETE" in os.environ or sys.platform == "win32":
        return None
    import importlib

    try:  # the settings module as django.conf reads it, without the rest of django.conf
        installed_apps = importlib.import_module(os.environ["DJANGO_SETTINGS_MODULE"]).INSTALLED_APPS
    except Exception:  # Django reports a settings problem in its own words
        return None
    if not isinstance(installed_apps, list | tuple):
        return None
    commands = commands_by_app(list(installed_apps))
    if commands is None:
        return None
    groups: dict[str, list[str]] = {}
    for name, app in commands.items():
        groups.setdefault("django" if app == "django.core" else app.rpartition(".")[-1], []).append(name)
    notice = _notice_style()
    lines = [
        "",
        f"Type '{PROG_NAME} help <subcommand>' for help on a specific subcommand.",
        "",
        "Available subcommands:",
    ]
    for app in sorted(groups):
        lines += ["", notice(f"[{app}]")]
        lines += [f"    {name}" for name in sorted(groups[app])]
    return "\n".join(lines)


def _notice_style() -> Callable[[str], str]:
    """Django's NOTICE style for the app headings: coloured only on a terminal, as Django does."""
    from django.utils import termcolors

    if not (hasattr(sys.stdout, "isatty") and sys.stdout.isatty()):
        return str
    palette = termcolors.parse_color_setting(os.environ.get("DJANGO_COLORS", ""))
    if not palette:
        return str
    style: Callable[[str], str] = termcolors.make_style(**palette.get("NOTICE", {}))  # type: ignore[arg-type]
    return style


if __name__ == "__main__":
    main()
