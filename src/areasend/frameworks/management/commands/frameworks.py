"""`areasend frameworks list|show|validate|load`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from areasend.core.management import COMMAND_CHECKS
from areasend.domain.frameworks import (
    Framework,
    FrameworkFileError,
    load_framework_file,
    read_framework_file,
    shipped_framework_files,
    undeclared_rule_problems,
)
from areasend.domain.timeline import describe_deadline, describe_interval
from areasend.frameworks.selectors import framework_for_display, known_frameworks
from areasend.frameworks.services import MSG_NO_VOCABULARIES, framework_load

MSG_UNKNOWN_FRAMEWORK = (
    "No framework {framework_id!r}{version}: `areasend frameworks list` shows the known ones."
)
MSG_INVALID_FILE = "{file} is not a valid framework file ({count} problem{s})."
MSG_NOTHING_LOADED = "Nothing was loaded: {count} file{s} not valid."


def _plural(count: int) -> str:
    return "" if count == 1 else "s"


class Command(BaseCommand):
    requires_system_checks = COMMAND_CHECKS
    help = (
        "Inspection frameworks: `list` the loaded and shipped ones, `show` one, `validate` a file, "
        "`load` files (default: the shipped ones)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=type(parser))
        sub.add_parser("list", help="One line per framework version: id, version and title, tab-separated.")
        show = sub.add_parser("show", help="Print a framework's rules (the latest version unless --version).")
        show.add_argument("framework_id", metavar="ID")
        show.add_argument("--version", dest="framework_version", type=int, default=None)
        validate = sub.add_parser("validate", help="Check a framework file; exit 2 listing every problem.")
        validate.add_argument("file", type=Path, metavar="FILE")
        load = sub.add_parser("load", help="Load framework files (idempotent). Default: the shipped files.")
        load.add_argument("files", type=Path, nargs="*", metavar="FILE")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "list":
            self._list()
        elif action == "show":
            self._show(options["framework_id"], options["framework_version"])
        elif action == "validate":
            self._validate(options["file"])
        else:
            self._load(options["files"])

    def _list(self) -> None:
        for item in known_frameworks():
            self.stdout.write(f"{item.framework_id}\t{item.version}\t{item.title}")

    def _show(self, framework_id: str, version: int | None) -> None:
        framework = framework_for_display(framework_id, version)
        if framework is None:
            suffix = "" if version is None else f" version {version}"
            raise CommandError(
                MSG_UNKNOWN_FRAMEWORK.format(framework_id=framework_id, version=suffix), returncode=2
            )
        for line in describe(framework):
            self.stdout.write(line)

    def _validate(self, path: Path) -> None:
        try:
            framework = load_framework_file(path)
        except FrameworkFileError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            count = len(exc.problems)
            raise CommandError(
                MSG_INVALID_FILE.format(file=path, count=count, s=_plural(count)), returncode=2
            ) from None
        if framework.vocabularies is None:  # valid when it was loaded, but a new version needs them
            self.stderr.write(
                f"{path}: " + MSG_NO_VOCABULARIES.format(framework_id=framework.id, version=framework.version)
            )
            raise CommandError(MSG_INVALID_FILE.format(file=path, count=1, s=""), returncode=2)
        undeclared = undeclared_rule_problems(framework, read_framework_file(path), str(path))
        if undeclared:  # valid when it was loaded, but a new version must declare its regime rules
            for problem in undeclared:
                self.stderr.write(str(problem))
            count = len(undeclared)
            raise CommandError(
                MSG_INVALID_FILE.format(file=path, count=count, s=_plural(count)), returncode=2
            )
        self.stdout.write(f"{path}: valid ({framework.id} version {framework.version}, {framework.title})")

    def _load(self, paths: list[Path]) -> None:
        paths = paths or list(shipped_framework_files())
        invalid = 0
        for path in paths:  # check every file before writing anything
            try:
                load_framework_file(path)
            except FrameworkFileError as exc:
                invalid += 1
                for problem in exc.problems:
                    self.stderr.write(str(problem))
        if invalid:
            raise CommandError(MSG_NOTHING_LOADED.format(count=invalid, s=_plural(invalid)), returncode=2)
        for path in paths:
            try:
                result = framework_load(path_or_text=path, actor=None)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages), returncode=2) from None
            except FrameworkFileError as exc:  # the file changed since it was checked
                raise CommandError(str(exc), returncode=2) from None
            self.stdout.write(result.line())


def describe(framework: Framework) -> list[str]:
    """A framework's rules as plain text lines (for `frameworks show`)."""
    lines = [
        f"{framework.id} version {framework.version}: {framework.title}",
        f"In force: {framework.in_force_from} to {framework.in_force_to or 'now'}",
        "",
        "Key questions and evaluation criteria:",
    ]
    for depth, node in framework.walk_nodes():
        lines.append(f"{'  ' * (depth + 1)}{node.ref} {node.text} [{node.confidence}]")
    lines += ["", "Outcomes:"]
    for outcome in framework.outcomes:
        after = ""
        if outcome.next_full_inspection is not None:
            interval = outcome.next_full_inspection
            after = f"; next full inspection {describe_interval(interval.value, interval.unit)} after {interval.from_}"
        lines.append(f"  {outcome.number} {outcome.key}: {outcome.label}{after} [{outcome.confidence}]")
    lines += ["", "Team:"]
    lines += [
        f"  {role.title} ({role.organisation}){'' if role.required else ', sometimes'} [{role.confidence}]"
        for role in framework.team_roles
    ]
    lines += ["", "Deadlines:"]
    for deadline in framework.deadlines:
        flag = ", configurable" if deadline.configurable else ""
        lines.append(f"  {deadline.key}: {describe_deadline(deadline)} [{deadline.confidence}{flag}]")
    lines += ["", "Stages: " + " -> ".join(state.key for state in framework.lifecycle.states)]
    publication = framework.lifecycle.publication
    if publication is not None:
        lines.append(
            f"Publication: moving to {publication.state} publishes (dated by {publication.event}); "
            f"published: {', '.join(publication.published_states)} [{publication.confidence}]"
        )
    if framework.sign_off_organisations:
        lines.append("Sign-off: " + ", ".join(framework.sign_off_organisations))
    if any(d.statuses is not None for d in framework.follow_up_documents):
        lines.append("Follow-up plans:")
    for document in framework.follow_up_documents:
        if document.statuses is None:
            continue
        judged = ", ".join(f"{j.key} -> {j.status}" for j in document.review_judgements) or "none"
        line = (
            f"  {document.key}: opened {document.statuses.opened}, submitted "
            f"{document.statuses.on_submission}; reviews: {judged}"
        )
        if document.escalation is not None:
            line += (
                f"; after {document.escalation.after_failed_submissions} failed: "
                f"{document.escalation.status} [{document.escalation.confidence}]"
            )
        lines.append(line)
    return lines
