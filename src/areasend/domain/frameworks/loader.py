"""Loading framework files: read the text, run the three passes, return the framework or every problem.

1. YAML syntax, duplicate keys in a mapping, a top-level mapping (:mod:`.reading`);
2. the schema (pydantic, ``extra="forbid"``: unknown keys are errors, not silently dropped);
3. cross-references (:mod:`.checks`).

Callers get :class:`FrameworkFileError` (carrying the problems) from the loaders, or the plain list
from :func:`validate_framework_text`; never a traceback from inside the parser.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from .checks import cross_check
from .editions import editions
from .messages import (
    MAX_EXPANDED_NODES,
    MSG_DUPLICATE_YAML_KEY,
    MSG_EMPTY_FILE,
    MSG_FILE_NOT_FOUND,
    MSG_FILE_UNREADABLE,
    MSG_NOT_UTF8,
    MSG_TOO_LARGE,
    MSG_TOP_LEVEL_NOT_MAPPING,
    MSG_YAML_SYNTAX,
)
from .problems import FrameworkFileError, Problem, format_path
from .reading import TooLarge, line_for, line_map, schema_loc, schema_message, useful_errors
from .rules import undeclared_rules
from .schema import Framework

SHIPPED_FRAMEWORKS_DIR = Path(__file__).resolve().parents[2] / "frameworks" / "files"


def _parse(text: str, filename: str) -> tuple[Framework | None, list[Problem]]:
    if not text.strip():
        return None, [Problem(filename, "", MSG_EMPTY_FILE)]
    try:
        lines, duplicates = line_map(text)
        data = yaml.safe_load(text)
    except TooLarge:
        return None, [Problem(filename, "", MSG_TOO_LARGE.format(limit=MAX_EXPANDED_NODES))]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = None if mark is None else mark.line + 1
        return None, [Problem(filename, "", MSG_YAML_SYNTAX.format(problem=exc.problem or exc.context), line)]
    except yaml.YAMLError as exc:
        return None, [Problem(filename, "", MSG_YAML_SYNTAX.format(problem=exc))]
    if duplicates:  # YAML keeps the last value silently; checking further would only confuse
        return None, [
            Problem(filename, format_path(loc), MSG_DUPLICATE_YAML_KEY.format(key=key), line)
            for loc, line, key in duplicates
        ]
    if not isinstance(data, dict):
        return None, [Problem(filename, "", MSG_TOP_LEVEL_NOT_MAPPING, 1)]
    problems: list[Problem] = []
    try:
        framework = Framework.model_validate(data)
    except ValidationError as exc:
        for error in useful_errors(exc.errors()):
            loc = schema_loc(error)
            problems.append(Problem(filename, format_path(loc), schema_message(error), line_for(lines, loc)))
        return None, problems
    for loc, message in cross_check(framework):
        problems.append(Problem(filename, format_path(loc), message, line_for(lines, loc)))
    return (None if problems else framework), problems


def validate_framework_text(text: str, filename: str = "<text>") -> list[Problem]:
    """Every problem with a framework file's text; an empty list means it is valid."""
    return _parse(text, filename)[1]


def load_framework_text(text: str, filename: str = "<text>") -> Framework:
    """The framework in ``text``; raises :class:`FrameworkFileError` listing every problem."""
    framework, problems = _parse(text, filename)
    if framework is None:
        raise FrameworkFileError(problems)
    return framework


def undeclared_rule_problems(framework: Framework, text: str, filename: str = "<text>") -> list[Problem]:
    """The regime rules a valid file leaves undeclared (which a new version must declare), each as a
    problem naming the file, the key path where the rule belongs and its line (or its parent's)."""
    lines, _ = line_map(text)
    return [
        Problem(filename, format_path(loc), message, line_for(lines, loc))
        for loc, message in undeclared_rules(framework)
    ]


def read_framework_file(path: str | Path) -> str:
    """A framework file's text; raises :class:`FrameworkFileError` if it cannot be read."""
    path = Path(path)
    try:
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise FrameworkFileError([Problem(str(path), "", MSG_FILE_NOT_FOUND)]) from None
    except UnicodeDecodeError:
        raise FrameworkFileError([Problem(str(path), "", MSG_NOT_UTF8)]) from None
    except OSError as exc:
        raise FrameworkFileError(
            [Problem(str(path), "", MSG_FILE_UNREADABLE.format(error=exc.strerror))]
        ) from None


def load_framework_file(path: str | Path) -> Framework:
    """Read, validate and return the framework in ``path``."""
    return load_framework_text(read_framework_file(path), str(path))


def shipped_framework_files() -> tuple[Path, ...]:
    """The framework files that ship with areasend, sorted by name."""
    return tuple(sorted(SHIPPED_FRAMEWORKS_DIR.glob("*.yaml")))


@lru_cache(maxsize=16)
def _load_once(sha256: str, text: str, name: str) -> Framework:
    """A shipped file's framework, validated once per content (the files change only between runs)."""
    return load_framework_text(text, name)


def shipped_editions() -> dict[str, list[Framework]]:
    """Every shipped version of each framework by id, its editions in the order they came into force."""
    found: dict[str, list[Framework]] = {}
    for path in shipped_framework_files():
        text = read_framework_file(path)
        framework = _load_once(hashlib.sha256(text.encode("utf-8")).hexdigest(), text, str(path))
        found.setdefault(framework.id, []).append(framework)
    return {key: editions(versions) for key, versions in found.items()}


def shipped_frameworks() -> dict[str, Framework]:
    """The shipped frameworks by id: the latest edition of each (ADR 26)."""
    return {key: chain[-1] for key, chain in shipped_editions().items()}
